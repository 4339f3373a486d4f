"""The record's shape is declared once (the dataclasses of coopwatch.document, as the table `FIELDS`): JSON is
read back into an `Extraction` exactly, and the store holds a record so that it reads back as the same JSON,
its events' lists in their order and its facts under ids that a resolution keeps.

(The same record through Parquet and `ingest --from-parquet` is in tests/test_spark.py.)
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from coopwatch.document import (FACTS, FIELDS, Article, Extraction, Quantity, ReadError, document_fields, fact_id,
                                record_from_json)
from coopwatch.pipeline import extract_articles
from coopwatch.read import read_paths
from coopwatch.store import schema
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import LATEST, MIGRATIONS, migrate
from coopwatch.store.resolution import load_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# articles written for these tests: figures, a quote, events in several sectors, three languages, and records
# that end with a warning (no text left, a language coopwatch does not read) instead of facts
OWN = [
    Article(id="own-en", language="en", published="2025-03-04", title="Ports and power", outlet="Test Wire",
            text="China and Russia signed an agreement on Tuesday to build a $2.5 billion port and a 600 MW "
                 "power plant in Vladivostok, officials said. \"This is a new stage of our cooperation,\" said "
                 "Ivan Petrov, head of the Far East Development Corporation. The two countries also agreed to "
                 "study water quality and wildlife on the Amur river in 2026."),
    Article(id="own-ru", language="ru", published="2025-05-06",
            text="Россия и Китай подписали соглашение о строительстве газопровода стоимостью 3 млрд долларов. "
                 "Стороны также договорились о совместных исследованиях в Арктике."),
    Article(id="own-zh", language="zh", published="2025-07-08",
            text="中国和俄罗斯签署了建设一座核电站的协议，总投资约20亿美元。"),
    Article(id="own-empty", language="en", text="   "),
    Article(id="own-fr", language="fr", text="La Chine et la Russie ont signé un accord."),
]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """`coopwatch extract examples` and the articles above, as JSON lines (what the command writes)."""
    found = list(extract_articles([*read_paths([EXAMPLES]), *OWN]))
    return [json.loads(json.dumps(r, ensure_ascii=False)) for r in found]


def test_every_record_reads_back_into_the_same_json(records):
    assert {"own-en", "own-ru", "own-zh", "own-empty", "own-fr"} <= {r["id"] for r in records}
    assert any(r["warnings"] for r in records)  # records with a warning and no facts are extractions too
    for record in records:
        again = record_from_json(record).to_json()
        assert json.dumps(again, ensure_ascii=False) == json.dumps(record, ensure_ascii=False), record["id"]


def test_a_failure_reads_back_as_a_failure():
    failure = {"id": "broken:3", "source": "broken.jsonl:3", "error": "cannot read: not JSON"}
    read = record_from_json(failure)
    assert isinstance(read, ReadError) and read.to_json() == failure


def test_an_events_figures_are_the_articles_figures(records):
    """An event names its figures by value, unit, text and span; read back, each is the extraction's Quantity,
    with the measure and qualifier the event's JSON leaves out."""
    extraction = Extraction.from_json(next(r for r in records if r["id"] == "own-en"))
    named = [q for e in extraction.events for q in e.quantities]
    assert named and all(isinstance(q, Quantity) for q in named)
    figures = {q.span: q for q in extraction.quantities}
    for q in named:
        assert q.measure == figures[q.span].measure and q.qualifier == figures[q.span].qualifier
    assert set(extraction.to_json()["events"][0]["quantities"][0]) == {"value", "unit", "text", "span"}


def test_the_table_of_fields_is_the_dataclasses():
    assert [f.name for f in FIELDS["quote"]] == ["speaker", "role", "organization", "direct", "text", "span"]
    value_max = next(f for f in FIELDS["quantity"] if f.name == "value_max")
    assert value_max.kind == "number" and value_max.nullable and value_max.json.split() == ["plain", "omit_none"]
    date = next(f for f in FIELDS["event"] if f.name == "date")
    assert [x.name for x in date.fields()] == ["value", "precision", "text"]
    assert fact_id("doc-1", "events", 3) == "doc-1#ev3" and fact_id("doc-1", "quantities", 0) == "doc-1#fi0"


def test_every_declared_field_has_its_column_in_the_store():
    """A field added to the record fails here until the store has a column for it (and a migration)."""
    sample = {"span": [0, 1], "date": None}
    tables = {"entities": (schema.entities, "entity"), "quantities": (schema.figures, "quantity"),
              "quotes": (schema.quotes, "quote"), "events": (schema.events, "event")}
    assert set(tables) == set(FACTS)
    for name, (table, kind) in tables.items():
        missing = set(schema.to_columns(FIELDS[kind], sample)) - set(table.c.keys())
        assert not missing, f"{table.name} has no column for {sorted(missing)}"
    missing = set(schema.to_columns(document_fields(), {}, lists="json")) - set(schema.documents.c.keys())
    assert not missing


def _store(tmp_path: Path, records: list[dict]):
    engine = open_engine(str(tmp_path / "record.db"))
    migrate(engine)
    report = ingest_records(engine, records)
    assert report.failed == 0, report.errors
    return engine


def test_extract_json_store_json_gives_the_same_record(records, tmp_path):
    """What the store gives back is what `coopwatch extract` wrote: the same fields, facts and order. (An event's
    figure reads back as the same number, 4.0 where the extraction wrote 4: JSON has one kind of number.)"""
    engine = _store(tmp_path, records)
    with engine.connect() as conn:
        back = {r["id"]: r for r in load_records(conn)}
    assert set(back) == {r["id"] for r in records}
    for record in records:
        assert back[record["id"]] == record, record["id"]
        assert list(back[record["id"]]) == list(record)


def _tie(doc: str, published: str, sectors: list[str],
         sentence: str = "Both sides agreed to protect the river and its wildlife.") -> dict:
    return {"id": doc, "title": None, "url": None, "outlet": None, "published": published, "language": "en",
            "text": sentence, "entities": [], "quantities": [], "quotes": [],
            "events": [{"type": "agreement", "plover": "AGREE", "sectors": sectors,
                        "date": {"value": "2024-05", "precision": "month", "text": "May 2024"},
                        "status": "completed", "actors": [], "countries": ["RU", "CN"], "location": None,
                        "quantities": [], "sentence": sentence, "span": [0, len(sentence)], "trigger": "agreed",
                        "confidence": 0.9}],
            "removed": [], "warnings": [], "source": f"{doc}.txt"}


def test_a_resolution_of_the_store_ranks_sectors_as_one_of_the_files(tmp_path):
    """Sectors are ranked, most telling first; the store keeps the rank, so an event whose sectors tie comes out
    of `resolve --db` with its sectors in the same order as from `resolve FILES` (not alphabetically), and its
    sources name the stored events by their ids."""
    from coopwatch.resolve.core import resolve
    from coopwatch.store.resolution import rebuild

    records = [_tie("tie-a", "2024-05-02", ["water", "biodiversity"]),
               _tie("tie-b", "2024-05-03", ["water", "environment"],
                    "A joint commission agreed on new rules for fishing quotas and clean water.")]
    from_files = resolve(records)
    from_store = rebuild(_store(tmp_path, records))
    assert [e.sectors for e in from_files.events] == [e.sectors for e in from_store.events]
    assert [r["events"][0]["countries"] for r in from_store.records] == [["RU", "CN"], ["RU", "CN"]]
    assert [s["event_id"] for e in from_files.events for s in e.sources] == \
           [s["event_id"] for e in from_store.events for s in e.sources]
    assert {s["event_id"] for e in from_store.events for s in e.sources} == {"tie-a#ev0", "tie-b#ev0"}


def _database(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return str(tmp_path / "old.db")
    import psycopg

    from .store_support import postgres_url

    url = postgres_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS schema_seven")
        conn.execute("CREATE DATABASE schema_seven")
    return url.rsplit("/", 1)[0] + "/schema_seven"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_database_of_the_last_schema_opens_and_keeps_its_rows(kind, tmp_path):
    """A database made before events' lists kept their order (schema 7) is migrated: its rows stay and read
    back (in alphabetical order, as before), and an article stored again keeps its order."""
    engine = open_engine(_database(kind, tmp_path))
    record = _tie("old", "2024-05-02", ["water", "biodiversity"])
    with engine.begin() as conn:
        for number, description, apply in MIGRATIONS[:7]:
            apply(conn)
            conn.execute(schema.schema_version.insert().values(version=number, description=description,
                                                               applied_at="2026-01-01T00:00:00"))
        for table in ("event_sectors", "event_countries", "event_actors"):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN position"))  # as schema 7 made them
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, content_hash, text, ingested_at) "
                          "VALUES ('old', 'h', :text, 'now')"), {"text": record["text"]})
        conn.execute(text("INSERT INTO events (id, document_id, type, plover, sentence, start, \"end\") "
                          "VALUES ('old#ev0', 'old', 'agreement', 'AGREE', 'Both sides agreed.', 0, 5)"))
        conn.execute(text("INSERT INTO event_sectors (event_id, sector) VALUES ('old#ev0', 'water'), "
                          "('old#ev0', 'biodiversity')"))
    assert migrate(engine) == LATEST
    assert "position" in {c["name"] for c in inspect(engine).get_columns("event_sectors")}
    with engine.connect() as conn:
        assert load_records(conn)[0]["events"][0]["sectors"] == ["biodiversity", "water"]
    ingest_records(engine, [record])  # stored again (another content): the order is kept
    with engine.connect() as conn:
        assert load_records(conn)[0]["events"][0]["sectors"] == ["water", "biodiversity"]


def test_an_event_an_article_lists_twice_is_stored_twice_and_resolved_once(tmp_path):
    """Two events alike in span, type, trigger and date (a pipeline told one thing twice) keep their own ids in
    the store; the resolution counts them as one source, whether it rebuilds or settles a new article."""
    from coopwatch.store.resolution import rebuild, update

    twice = _tie("twice", "2024-05-02", ["water"])
    twice["events"] *= 2
    engine = _store(tmp_path, [twice])
    res = rebuild(engine)
    assert [s["event_id"] for e in res.events for s in e.sources] == ["twice#ev0"]
    with engine.connect() as conn:
        assert [e["sectors"] for e in load_records(conn)[0]["events"]] == [["water"], ["water"]]
    ingest_records(engine, [_tie("later", "2024-06-01", ["water"], "Officials agreed on a new bridge.")])
    update(engine)
    update(engine)  # nothing new: the article listing its event twice is not settled again
    with engine.connect() as conn:
        members = conn.execute(text("SELECT event_id FROM merged_event_members ORDER BY event_id")).scalars().all()
    assert members == ["later#ev0", "twice#ev0"]
