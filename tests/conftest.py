from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

# The parts of the suite that need more than Python and SQLite, or take long: `make test-fast` leaves them out.
MARKED_MODULES = {"test_browser": "browser", "test_spark": "spark", "test_spark_resolve": "spark",
                  "test_store_postgres": "postgres",
                  "test_speed": "slow", "test_bench": "slow", "test_scale": "slow", "test_web_params": "slow"}
SLOW_TESTS = {"test_actor_counts_stay_exact_batch_by_batch", "test_bench_store_reports_ingest_rate_and_latency",
              "test_bench_serve_loads_a_multi_worker_server_and_reports", "test_two_first_ingests_at_once_both_succeed"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in MARKED_MODULES:
            item.add_marker(MARKED_MODULES[module])
        if "postgres" in item.nodeid:  # a PostgreSQL case of a test that runs on both databases
            item.add_marker("postgres")
        if item.originalname in SLOW_TESTS:
            item.add_marker("slow")


@pytest.fixture(scope="session")
def extracted() -> dict[str, dict]:
    """Every fixture article run through the whole pipeline once, by document id."""
    from coopwatch.pipeline import extract_articles
    from coopwatch.read import read_paths

    # the fixture folder's articles and the Russian and Chinese ones (resolve/ has a suite of its own)
    paths = [p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html", ".jsonl")] + [FIXTURES / "ru", FIXTURES / "zh"]
    return {record["id"]: record for record in extract_articles(read_paths(sorted(paths)))}


def one(items: list[dict], **where) -> dict:
    """The single item whose fields contain the given values (strings: as substrings)."""
    def fits(item):
        return all(v in (item.get(k) or "") if isinstance(v, str) else item.get(k) == v for k, v in where.items())

    found = [item for item in items if fits(item)]
    assert len(found) == 1, f"expected one item with {where}, found {len(found)}: {found}"
    return found[0]


@pytest.fixture(scope="session")
def spark():
    """One local[2] Spark session for every Spark test (a JVM holds one). Fail, not skip, without Java: `make test`
    installs it (scripts/system-packages.txt)."""
    import shutil

    from coopwatch.spark import spark_session

    assert shutil.which("java"), "no Java runtime: scripts/setup-system.sh installs openjdk-17-jre-headless"
    session = spark_session("local[2]", [
        "spark.ui.enabled=false", "spark.sql.shuffle.partitions=2", "spark.driver.memory=512m",
        "spark.default.parallelism=2"], app="coopwatch-test")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
