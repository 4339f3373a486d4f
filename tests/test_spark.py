"""`coopwatch spark` runs for real on local[2] and finds exactly the facts `coopwatch extract` finds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopwatch.cli import main
from coopwatch.document import Article
from coopwatch.read import read_paths
from coopwatch.spark import read_extractions, read_failures, run_job

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FACTS = ("entities", "quantities", "quotes", "events")


@pytest.fixture(scope="session")
def articles_jsonl(tmp_path_factory) -> Path:
    """The example articles (.txt, .html, .jsonl) as one JSON Lines input, read by the project's readers,
    with a broken line and a record without text among them."""
    path = tmp_path_factory.mktemp("spark-in") / "articles.jsonl"
    lines = []
    for article in read_paths([EXAMPLES]):
        assert isinstance(article, Article), article
        lines.append(json.dumps({k: getattr(article, k) for k in
                                 ("id", "text", "title", "url", "outlet", "published", "language")},
                                ensure_ascii=False))
    lines.insert(3, '{"id": "broken", "text": "unterminated')
    lines.append(json.dumps({"id": "no-text", "title": "A record without text"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def reference(articles_jsonl, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("spark-ref") / "extract.jsonl"
    assert main(["extract", str(articles_jsonl), "-o", str(out), "--quiet"]) == 1  # the two bad lines
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def spark_output(spark, articles_jsonl, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("spark-out") / "tables"
    counts = run_job(spark, str(articles_jsonl), str(out), partitions=3, batch_size=2)
    return out, counts


def test_spark_finds_the_same_facts_as_extract(spark_output, reference):
    out, counts = spark_output
    expected = {r["id"]: r for r in reference if "error" not in r}
    got = {d["id"]: d for d in read_extractions(str(out))}
    assert len(expected) == len(list(read_paths([EXAMPLES]))) and set(got) == set(expected)
    assert counts["documents"] == len(expected)
    for doc_id, want in expected.items():
        have = got[doc_id]
        for key in FACTS:
            assert have[key] == want[key], f"{doc_id}: {key} differ"
        have = {k: v for k, v in have.items() if k != "doc_index"}
        assert have == want, doc_id  # the whole record, text, metadata and sources too
    assert counts["events"] == sum(len(r["events"]) for r in expected.values()) > 0
    assert counts["entities"] == sum(len(r["entities"]) for r in expected.values()) > 0


def test_bad_lines_are_failures_and_the_rest_succeed(spark_output, reference):
    out, counts = spark_output
    failures = read_failures(str(out))
    assert counts["failures"] == 2
    assert failures == [r for r in reference if "error" in r]
    assert {f["id"] for f in failures} == {"articles:4", "no-text"}
    assert "not JSON" in failures[0]["error"] and "no 'text'" in failures[1]["error"]


def test_tables_have_the_contract_fields_and_document_ids(spark, spark_output):
    out, _ = spark_output
    documents = spark.read.parquet(str(out / "documents"))
    assert {"id", "title", "url", "outlet", "published", "language", "text"} <= set(documents.columns)
    types = {t: dict(spark.read.parquet(str(out / t)).dtypes) for t in ("entities", "figures", "quotes", "events")}
    assert types["entities"]["mentions"] == "array<array<int>>"
    assert types["events"]["sectors"] == types["events"]["actors"] == types["events"]["countries"] == "array<string>"
    assert types["figures"]["value"] == "double" and types["figures"]["span"] == "array<int>"
    assert types["quotes"]["direct"] == "boolean"
    for table, columns in types.items():
        assert columns["document_id"] == "string", table
    # every span points at what it claims, read back from Parquet
    texts = {r["id"]: r["text"] for r in documents.select("id", "text").collect()}
    for row in spark.read.parquet(str(out / "figures")).collect():
        start, end = row["span"]
        assert texts[row["document_id"]][start:end] == row["text"]
    lunar = [r for r in spark.read.parquet(str(out / "events")).collect()
             if r["document_id"] == "08_lunar-station-cr929" and r["type"] == "agreement"]
    assert lunar and all(set(r["countries"]) >= {"CN", "RU"} for r in lunar)


def test_parquet_articles_in(spark, spark_output, articles_jsonl, tmp_path):
    """A Parquet article set goes through the same job; ids, text and facts come out the same."""
    rows = [json.loads(line) for line in articles_jsonl.read_text(encoding="utf-8").splitlines()[:2]]
    rows = [r for r in rows if isinstance(r.get("text"), str)]
    source = tmp_path / "articles.parquet"
    spark.createDataFrame(rows, "id string, text string, title string, url string, outlet string, "
                                "published string, language string").write.parquet(str(source))
    counts = run_job(spark, str(source), str(tmp_path / "tables"))
    assert counts["failures"] == 0 and counts["documents"] == len(rows)
    first = {d["id"]: d for d in read_extractions(str(spark_output[0]))}
    for doc in read_extractions(str(tmp_path / "tables")):
        for key in FACTS:
            assert doc[key] == first[doc["id"]][key]


def stored_rows(db: Path) -> dict[str, list[tuple]]:
    """Every table of a store, rows sorted, without the columns that say when or in which order it was written
    (FTS rowids, the record's generation)."""
    from sqlalchemy import select

    from coopwatch.store import schema
    from coopwatch.store.db import open_engine

    tables = {}
    with open_engine(str(db)).connect() as conn:
        for table in schema.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in ("ingested_at", "at", "applied_at", "content_hash",
                                                                  "fts_rowid", "generation")]
            tables[table.name] = sorted(tuple(map(repr, row)) for row in conn.execute(select(*columns)))
    return tables


def test_ingest_from_parquet_stores_what_ingest_stores(spark_output, articles_jsonl, tmp_path):
    """`coopwatch ingest --from-parquet` loads a Spark run's tables: the same rows as extracting and ingesting
    the same articles, the failures logged, the exit status saying some articles failed; a second load
    changes nothing."""
    out, _ = spark_output
    direct, loaded = tmp_path / "direct.db", tmp_path / "loaded.db"
    assert main(["ingest", str(articles_jsonl), "--db", str(direct), "--quiet"]) == 1
    assert main(["ingest", "--from-parquet", str(out), "--db", str(loaded), "--quiet"]) == 1
    want, have = stored_rows(direct), stored_rows(loaded)
    assert len(have["documents"]) == len(list(read_paths([EXAMPLES])))
    assert len(have["events"]) > 0 and len(have["ingest_errors"]) == 2
    for table in want:
        assert have[table] == want[table], table
    assert main(["ingest", "--from-parquet", str(out), "--db", str(loaded), "--quiet"]) == 1  # failures again
    assert stored_rows(loaded)["events"] == have["events"]


def test_extract_json_parquet_store_json_gives_the_same_record(spark_output, reference, tmp_path):
    """The record's one shape across every form it takes: `coopwatch extract`'s JSON, the Spark job's Parquet,
    the store loaded by `ingest --from-parquet`, and JSON read back from the store are the same record."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.resolution import load_records

    out, _ = spark_output
    db = tmp_path / "from-parquet.db"
    assert main(["ingest", "--from-parquet", str(out), "--db", str(db), "--quiet", "--no-resolve"]) == 1
    with open_engine(str(db)).connect() as conn:
        back = {r["id"]: r for r in load_records(conn)}
    expected = [r for r in reference if "error" not in r]
    assert set(back) == {r["id"] for r in expected}
    for record in expected:
        assert back[record["id"]] == record, record["id"]
        assert list(back[record["id"]]) == list(record)
