"""`coopwatch spark-resolve` on local[2] resolves a record exactly as `coopwatch resolve` does, and `coopwatch ingest
--from-parquet` loads its tables into the record as a `resolve --db` rebuild would write them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coopwatch.cli import main
from coopwatch.document import Article
from coopwatch.read import read_paths
from coopwatch.spark import run_job
from coopwatch.spark_resolve import read_resolution, resolve_job

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """The examples, plus a republication of the gas-contract article (another outlet, a new headline, its
    ending cut: a near copy) and another outlet's report of the same signing in its own words (one event, two
    sources)."""
    found = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    rows = [{k: getattr(a, k) for k in ("id", "text", "title", "url", "outlet", "published", "language")}
            for a in found]
    gas = next(a for a in found if a.id.startswith("02_"))
    rows.append({"id": "x1_gas-contract-republished", "title": "Gazprom, CNPC agree on Far Eastern gas route",
                 "outlet": "Eurasia Energy Wire", "published": "2022-02-07", "language": "en",
                 "text": "\n\n".join([p for p in gas.text.split("\n\n") if p.strip()][:4])})
    rows.append({"id": "x2_far-eastern-route-signed", "title": "Second gas deal for China",
                 "outlet": "Pacific Energy Daily", "published": "2022-02-06", "language": "en",
                 "text": "BEIJING -- Gazprom and CNPC on February 4, 2022 signed a long-term contract for natural gas "
                         "supplies to China via the Far Eastern route, a deal that will add 10 billion cubic meters "
                         "a year once it reaches full capacity.\n\nAnalysts said the contract would take years to "
                         "build out, as the pipeline across the Far East still has to be laid."})
    path = tmp_path_factory.mktemp("resolve-in") / "articles.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spark_tables(spark, articles, tmp_path_factory) -> tuple[Path, dict]:
    """`coopwatch spark` then `coopwatch spark-resolve` over its Parquet tables (written to OUTPUT/resolution)."""
    out = tmp_path_factory.mktemp("resolve-spark") / "tables"
    run_job(spark, str(articles), str(out), partitions=3)
    counts = resolve_job(spark, str(out), str(out / "resolution"), partitions=3)
    return out, counts


@pytest.fixture(scope="module")
def local(articles, tmp_path_factory) -> tuple[Path, Path]:
    """`coopwatch extract` then `coopwatch resolve FILES`, and `coopwatch ingest` then `coopwatch resolve --db`."""
    folder = tmp_path_factory.mktemp("resolve-local")
    assert main(["extract", str(articles), "-o", str(folder / "extract.jsonl"), "--quiet"]) == 0
    assert main(["resolve", str(folder / "extract.jsonl"), "-o", str(folder / "files")]) == 0
    assert main(["ingest", str(folder / "extract.jsonl"), "--db", str(folder / "record.db"), "--quiet"]) == 0
    assert main(["resolve", "--db", str(folder / "record.db"), "-o", str(folder / "db")]) == 0
    return folder / "files", folder / "db"


def _jsonl(path: Path) -> list[dict]:
    return sorted((json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()), key=lambda r: r["id"])


def test_spark_resolution_equals_resolve_files(spark_tables, local):
    out, counts = spark_tables
    articles, duplicates, actors, events, projects = read_resolution(str(out / "resolution"))
    spark = {"duplicates": [d.to_json() for d in duplicates.links],
             "actors": [a.to_json() for a in actors.actors.values()],
             "events": [e.to_json() for e in events], "projects": [p.to_json() for p in projects]}
    files, db = local
    for table, rows in spark.items():
        # every field, as `resolve --db` resolves the record these articles are stored in and `resolve FILES`
        # resolves their extraction (the store keeps the record as extracted: one record, three resolvers)
        ours = sorted(rows, key=lambda r: r["id"])
        assert ours == _jsonl(db / f"{table}.jsonl"), table
        assert ours == _jsonl(files / f"{table}.jsonl"), table
    # what the record holds: the republication linked to its original, the signing told by two outlets once
    assert [(d.doc, d.original, d.kind) for d in duplicates.links] == [
        ("x1_gas-contract-republished", "02_power-of-siberia", "near")]
    (signing,) = [e for e in events if len(e.sources) > 1]
    assert {s["doc"] for s in signing.sources} == {"02_power-of-siberia", "x2_far-eastern-route-signed"}
    assert signing.republished_in == ["x1_gas-contract-republished"]
    assert counts["articles"] == len(articles) == 14 and counts["merged_events"] == 1
    assert counts["projects"] == len(projects) > 0 and counts["actor_merges"] > 0


def test_ingest_from_parquet_loads_the_spark_resolution(spark_tables, tmp_path):
    """The record loaded with Spark's resolution holds the resolution tables a record resolving on ingest
    holds, and a `resolve --db` rebuild of it changes none of them."""
    from sqlalchemy import select

    from coopwatch.store import schema
    from coopwatch.store.db import open_engine

    out, _ = spark_tables
    plain = tmp_path / "extraction-only"
    shutil.copytree(out, plain, ignore=shutil.ignore_patterns("resolution"))
    with_spark, resolved_here = tmp_path / "spark.db", tmp_path / "here.db"
    assert main(["ingest", "--from-parquet", str(out), "--db", str(with_spark), "--quiet"]) == 0
    assert main(["ingest", "--from-parquet", str(plain), "--db", str(resolved_here), "--quiet"]) == 0

    def resolution_rows(db: Path) -> dict[str, list]:
        with open_engine(str(db)).connect() as conn:
            return {table.name: sorted(map(repr, conn.execute(select(table)))) for table in schema.RESOLUTION_TABLES}

    loaded = resolution_rows(with_spark)
    assert loaded == resolution_rows(resolved_here)
    assert len(loaded["merged_events"]) > 0 and len(loaded["projects"]) > 0 and len(loaded["actor_merges"]) > 0
    assert main(["resolve", "--db", str(with_spark), "-o", str(tmp_path / "rebuilt")]) == 0
    assert resolution_rows(with_spark) == loaded


def test_an_event_an_article_lists_twice_is_one_source_as_locally(spark, local):
    """spark-resolve reads an article's events as `merge_events` does: an event listed twice (the same span, type,
    trigger and date) counted once, each under its `fact_id`."""
    from coopwatch.resolve import events as merging
    from coopwatch.resolve.actors import resolve_actors
    from coopwatch.spark_resolve import _items

    extracted = _jsonl(local[0].parent / "extract.jsonl")
    record = next(r for r in extracted if len(r.get("events") or []) >= 2)
    record = dict(record, events=[*record["events"], record["events"][0]])
    actors = resolve_actors([record])
    here = [it.key for it in merging._items([record], actors, None)]
    there = [it.key for it in _items(spark.sparkContext.parallelize([record]), spark.sparkContext.broadcast(actors),
                                     set()).collect()]
    assert there == here and len(here) == len(record["events"]) - 1
