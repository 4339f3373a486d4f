"""The SQLite record: schema and migrations, ingest (idempotent, per-batch transactions), full-text search, CLI."""
from __future__ import annotations

import json
import sqlite3
import shutil

import pytest
from sqlalchemy import inspect

from coopwatch.document import Article
from coopwatch.read import read_paths
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import content_hash, ingest
from coopwatch.store.migrations import LATEST, migrate

from .store_support import WORK, articles_dir, coopwatch, sqlite_db

TABLES = {"documents", "entities", "mentions", "actors", "figures", "quotes", "events", "event_sectors",
          "event_countries", "event_actors", "event_figures", "ingest_errors", "schema_version"}


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(sqlite_db())
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_schema_has_real_tables_keys_and_indexes():
    engine = open_engine(sqlite_db(), read_only=True)
    schema = inspect(engine)
    assert TABLES <= set(schema.get_table_names())
    references = {(fk["referred_table"]) for fk in schema.get_foreign_keys("events")}
    assert references == {"documents"}
    assert {fk["referred_table"] for fk in schema.get_foreign_keys("event_actors")} == {"events", "actors"}
    indexed = {tuple(ix["column_names"]) for ix in schema.get_indexes("events")}
    assert ("day", "id") in indexed and ("document_id",) in indexed
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT max(version) FROM schema_version").scalar() == LATEST


def test_migrating_twice_changes_nothing(tmp_path):
    engine = open_engine(str(tmp_path / "m.db"))
    assert migrate(engine) == LATEST
    assert migrate(engine) == LATEST
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM schema_version").scalar() == LATEST


def test_every_article_is_stored_with_its_facts(db):
    articles = [a for a in read_paths([articles_dir()]) if isinstance(a, Article)]
    stored = {row["id"]: row for row in db.execute("SELECT * FROM documents")}
    assert set(stored) == {a.id for a in articles}
    for article in articles:
        assert stored[article.id]["content_hash"] == content_hash(article)
    assert count(db, "events") > 50 and count(db, "quotes") > 10 and count(db, "figures") > 30
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_stored_spans_point_at_what_they_claim(db):
    texts = {row["id"]: row["text"] for row in db.execute("SELECT id, text FROM documents")}
    for row in db.execute("SELECT document_id, sentence, start, \"end\" FROM events"):
        assert texts[row["document_id"]][row["start"]:row["end"]] == row["sentence"]
    for table in ("figures", "quotes"):
        for row in db.execute(f"SELECT document_id, text, start, \"end\" FROM {table}"):
            assert texts[row["document_id"]][row["start"]:row["end"]] == row["text"]
    for row in db.execute("SELECT e.document_id, e.name, m.start, m.\"end\" FROM mentions m "
                          "JOIN entities e ON e.id = m.entity_id"):
        assert texts[row["document_id"]][row["start"]:row["end"]]


def test_event_links_are_tables_not_strings(db):
    sectors = {r[0] for r in db.execute("SELECT DISTINCT sector FROM event_sectors")}
    assert {"nuclear", "hydrogen", "oil_gas"} <= sectors
    # every event actor is a row of actors, reached by a foreign key
    orphans = db.execute("SELECT count(*) FROM event_actors ea LEFT JOIN actors a ON a.id = ea.actor_id "
                         "WHERE a.id IS NULL").fetchone()[0]
    assert orphans == 0
    rosatom = db.execute("SELECT * FROM actors WHERE id = 'rosatom'").fetchone()
    assert rosatom["country"] == "RU"


def test_full_text_search_tables_match_their_rows(db):
    assert count(db, "documents_fts") == count(db, "documents")
    assert count(db, "events_fts") == count(db, "events")
    hits = [r[0] for r in db.execute("SELECT document_id FROM documents_fts WHERE documents_fts MATCH 'lunar'")]
    assert "08_lunar-station-cr929" in hits


def test_ingesting_again_stores_nothing_twice():
    before = _counts(sqlite_db())
    result = coopwatch("ingest", str(articles_dir()), "--db", sqlite_db())
    assert f"{len(before['documents_ids'])} unchanged" in result.stderr
    assert _counts(sqlite_db()) == before


def test_a_changed_article_replaces_its_old_version(tmp_path):
    db = tmp_path / "changed.db"
    shutil.copy(sqlite_db(), db)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(articles_dir() / "07_hydrogen-lunar.jsonl", folder)
    (folder / "zz_markup.txt").write_text((articles_dir() / "zz_markup.txt").read_text().replace(
        "on Monday", "on Tuesday, and Gazprom signed a gas supply contract with CNPC on Wednesday"))
    result = coopwatch("ingest", str(folder), "--db", str(db))
    assert "1 stored (1 replaced)" in result.stderr and "2 unchanged" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == _counts(sqlite_db())["documents"]
    text = conn.execute("SELECT text FROM documents WHERE id = 'zz_markup'").fetchone()[0]
    assert "Gazprom" in text
    sentences = [r[0] for r in conn.execute("SELECT sentence FROM events WHERE document_id = 'zz_markup'")]
    assert sentences and all(s in text for s in sentences)
    assert conn.execute("SELECT count(*) FROM events_fts WHERE event_id LIKE 'zz_markup#%'").fetchone()[0] == len(
        sentences)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # the replaced version's actors are recounted: Gazprom now appears, counted once
    assert conn.execute("SELECT document_count FROM actors WHERE id = 'gazprom'").fetchone()[0] >= 1
    stale = conn.execute("SELECT count(*) FROM actors a WHERE a.document_count != "
                         "(SELECT count(DISTINCT e.document_id) FROM entities e WHERE e.actor_id = a.id)").fetchone()[0]
    assert stale == 0


ACTOR_COUNTS_OFF = """
    SELECT a.id FROM actors a
    WHERE a.event_count != (SELECT count(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id
                            WHERE ea.actor_id = a.id AND e.document_id NOT IN (SELECT document_id FROM document_duplicates))
       OR a.document_count != (SELECT count(DISTINCT en.document_id) FROM entities en WHERE en.actor_id = a.id
                               AND en.document_id NOT IN (SELECT document_id FROM document_duplicates))
"""


def test_actor_counts_stay_exact_batch_by_batch(tmp_path):
    """Each batch adds its articles' share to their actors' counts; a copy of a stored article adds nothing."""
    folder = tmp_path / "in"
    shutil.copytree(articles_dir(), folder)
    original = (folder / "02_power-of-siberia.txt").read_text(encoding="utf-8")
    (folder / "zz_reprint.txt").write_text(original + "\n\nReporting by the newswire's Moscow bureau.\n",
                                           encoding="utf-8")
    counts = []
    for batch_size in ("2", "100"):
        path = tmp_path / f"batches-{batch_size}.db"
        coopwatch("ingest", str(folder), "--db", str(path), "--batch-size", batch_size, "--quiet", "--no-resolve")
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT document_id FROM document_duplicates").fetchall() == [("zz_reprint",)]
        assert conn.execute(ACTOR_COUNTS_OFF).fetchall() == []
        counts.append(conn.execute("SELECT id, event_count, document_count FROM actors ORDER BY id").fetchall())
        conn.close()
    assert counts[0] == counts[1]
    assert max(events for _, events, _ in counts[0]) > 3


def test_an_interrupted_ingest_keeps_whole_batches_and_rerunning_finishes(tmp_path):
    engine = open_engine(str(tmp_path / "crash.db"))
    migrate(engine)
    articles = [a for a in read_paths([articles_dir()]) if isinstance(a, Article)][:4]

    def crash_after_first_batch(_n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(engine, articles, batch_size=2, progress=crash_after_first_batch)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id FROM documents ORDER BY id").scalars().all() == [a.id for a in
                                                                                               articles[:2]]
    report = ingest(engine, articles, batch_size=2)
    assert (report.stored, report.unchanged) == (2, 2)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM documents").scalar() == 4


def test_unreadable_inputs_are_recorded_and_the_rest_stored(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    shutil.copy(articles_dir() / "zz_markup.txt", folder)
    result = coopwatch("ingest", str(folder), "--db", str(tmp_path / "bad.db"), check=False)
    assert result.returncode == 1 and "empty file" in result.stderr
    conn = sqlite3.connect(tmp_path / "bad.db")
    assert conn.execute("SELECT document_id, error FROM ingest_errors").fetchall() == [("empty", "empty file")]
    assert conn.execute("SELECT id FROM documents").fetchall() == [("zz_markup",)]


def test_search_command_filters_events():
    result = coopwatch("search", "hydrogen", "--db", sqlite_db(), "--sector", "hydrogen", "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert "hydrogen" in row["sentence"].lower() and "hydrogen" in row["sectors"]
    result = coopwatch("search", "--db", sqlite_db(), "--country", "RU", "--type", "agreement", "--from",
                       "2019-01-01", "--to", "2022-12-31", "--json", "--limit", "500")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert row["type"] == "agreement" and "RU" in row["countries"] and "2019-01-01" <= row["day"] <= "2022-12-31"


def test_search_command_finds_documents_and_refuses_bad_filters():
    result = coopwatch("search", "lunar research station", "--documents", "--db", sqlite_db(), "--json")
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert "08_lunar-station-cr929" in ids
    bad = coopwatch("search", "gas", "--db", sqlite_db(), "--sector", "spaceships", check=False)
    assert bad.returncode == 2 and "unknown sector" in bad.stderr
    bad = coopwatch("search", "gas", "--db", sqlite_db(), "--from", "yesterday", check=False)
    assert bad.returncode == 2


def _counts(path: str) -> dict:
    conn = sqlite3.connect(path)
    out = {t: count(conn, t) for t in TABLES | {"documents_fts", "events_fts"}}
    out["documents_ids"] = sorted(r[0] for r in conn.execute("SELECT id FROM documents"))
    out["hashes"] = sorted(r[0] for r in conn.execute("SELECT content_hash FROM documents"))
    conn.close()
    return out


def test_actor_activity_counts_match_their_links(db):
    stale = db.execute("""
        SELECT a.id FROM actors a
        WHERE a.event_count != (SELECT count(*) FROM event_actors ea WHERE ea.actor_id = a.id)
           OR a.document_count != (SELECT count(DISTINCT e.document_id) FROM entities e WHERE e.actor_id = a.id)
    """).fetchall()
    assert stale == []
    assert db.execute("SELECT max(event_count) FROM actors").fetchone()[0] > 3


def test_bench_store_reports_ingest_rate_and_latency(tmp_path):
    result = coopwatch("bench-store", "--docs", "24", "--sample", "8", "--requests", "3", "--db",
                       str(tmp_path / "bench.db"))
    assert "of extraction alone" in result.stdout and "worst p95" in result.stdout
    conn = sqlite3.connect(tmp_path / "bench.db")
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 24


def test_serve_refuses_a_missing_database(tmp_path):
    result = coopwatch("serve", "--db", str(tmp_path / "none.db"), check=False)
    assert result.returncode == 2 and "no database" in result.stderr
