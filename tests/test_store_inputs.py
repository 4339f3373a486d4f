"""What goes into the record, however it comes: metadata checked the same way on every path and on both
databases (a bad field is that article's error, never the batch's), two first ingests at once, extraction
records loaded without extracting again, sources relative to the input, and the first hour's command lines
(empty input, sizes with units, a closed pipe, a damaged or read-only database) ending in one line."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from coopwatch.read import read_paths
from coopwatch.read.jsonl import parse_line
from coopwatch.store import schema as t
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest, ingest_records
from coopwatch.store.migrations import migrate

from .store_support import ROOT, WORK, coopwatch, postgres_url, sqlite_db
from .test_web_security import record

FIXTURES = ROOT / "tests" / "fixtures"


def bad_records() -> list[dict]:
    """One fine article and, next to it, one article per field that does not fit."""
    fine = record("fine", "https://news.example.org/fine", "A fine article")
    bad = {
        "long-language": {"language": "english-or-maybe-not"},
        "number-title": {"title": 42},
        "long-title": {"title": "T" * 5000},
        "odd-published": {"published": "Tuesday"},
        "long-url": {"url": "https://example.org/" + "a" * 5000},
        "long-outlet": {"outlet": "O" * 1000},
    }
    records = [fine]
    for doc_id, change in bad.items():
        r = record(doc_id, "https://news.example.org/" + doc_id, doc_id)
        r.update(change)
        records.append(r)
    odd_type = record("odd-event-type", None, "odd type")
    odd_type["events"][0]["type"] = "coup"
    odd_sector = record("odd-sector", None, "odd sector")
    odd_sector["events"][0]["sectors"] = ["x" * 100]
    long_id = record("i" * 300, None, "long id")
    return records + [odd_type, odd_sector, long_id]


def postgres_database(name: str) -> str:
    """A fresh database on the test server (the shared one holds the examples record other tests compare)."""
    server = postgres_url()
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_bad_field_is_that_articles_error_on_both_databases(database, tmp_path):
    db = str(tmp_path / "v.db") if database == "sqlite" else postgres_database("i13_validation")
    engine = open_engine(db)
    migrate(engine)
    records = bad_records()
    report = ingest_records(engine, records, batch_size=100)  # all in one batch: it must not be lost
    assert (report.stored, report.failed) == (1, len(records) - 1), report.errors
    with engine.connect() as conn:
        assert conn.execute(select(t.documents.c.id)).scalars().all() == ["fine"]
        errors = dict(conn.execute(select(t.ingest_errors.c.document_id, t.ingest_errors.c.error)).all())
    assert "language" in errors["long-language"] and "title" in errors["number-title"]
    assert "ISO date" in errors["odd-published"] and "event type" in errors["odd-event-type"]
    assert len(errors) == len(records) - 1 and all(len(key) <= 255 for key in errors)
    engine.dispose()


def test_jsonl_and_html_inputs_are_checked_by_the_same_rules(tmp_path):
    line = json.dumps({"id": "a", "text": "Text.", "language": "english-or-maybe-not"})
    assert "language" in parse_line(line, "x.jsonl:1", "x:1", 10_000).error
    assert "string" in parse_line(json.dumps({"id": "a", "text": "T.", "title": ["a"]}), "s", "f", 10_000).error
    page = tmp_path / "page.html"
    page.write_text('<html><head><title>' + "Headline " * 200 + '</title></head><body><article><p>'
                    + "Rosatom and CNNC signed an agreement on hydrogen in Beijing on Monday. " * 5
                    + "</p></article></body></html>", encoding="utf-8")
    items = list(read_paths([page]))
    assert len(items) == 1 and "'title' is 1,79" in getattr(items[0], "error", ""), items


RACER = """
import sys, time
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from tests.test_web_security import record
db, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
time.sleep(max(0, start - time.time()))
engine = open_engine(db)
migrate(engine)
r = record(name, None, name)
r["text"] += " " + " ".join(name + str(k) for k in range(50))
report = ingest_records(engine, [r])
assert report.stored == 1, report
"""


def test_two_first_ingests_at_once_both_succeed(tmp_path):
    for round_ in range(3):
        db = tmp_path / f"race{round_}.db"
        start = time.time() + 2.0
        runs = [subprocess.Popen([sys.executable, "-c", RACER, str(db), f"racer{n}", str(start)], cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True) for n in range(2)]
        outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in runs]
        assert all(code == 0 for code, _ in outcomes), outcomes
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
            assert conn.execute("SELECT count(DISTINCT version) FROM schema_version").fetchone()[0] == \
                conn.execute("SELECT count(*) FROM schema_version").fetchone()[0]


def test_sources_are_relative_to_the_input():
    with sqlite3.connect(sqlite_db()) as conn:
        sources = [s for (s,) in conn.execute("SELECT source FROM documents")]
    assert sources and all(not s.startswith("/") and str(WORK) not in s for s in sources)
    assert "articles/01_tianwan-xudapu.txt" in sources


def test_extraction_records_are_stored_without_extracting_again(tmp_path, monkeypatch):
    from coopwatch import pipeline
    from coopwatch.cli import main

    inputs = [FIXTURES / "amur-bridges.txt", FIXTURES / "crawl.jsonl"]
    facts = tmp_path / "facts.jsonl"
    coopwatch("extract", *map(str, inputs), "-o", str(facts), "--quiet")
    raw_db, facts_db = tmp_path / "raw.db", tmp_path / "facts.db"
    raw_engine = open_engine(str(raw_db))
    migrate(raw_engine)
    ingest(raw_engine, read_paths(inputs))

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr(pipeline, "extract_articles", no_extraction)
    assert main(["ingest", str(facts), "--db", str(facts_db), "--quiet", "--no-resolve"]) == 0
    queries = {"documents": "SELECT id, title, published, language, text FROM documents ORDER BY id",
               "events": "SELECT id, type, day, sentence FROM events ORDER BY id",
               "entities": "SELECT id, name, type, country FROM entities ORDER BY id",
               "figures": "SELECT id, value, unit FROM figures ORDER BY id",
               "quotes": "SELECT id, text FROM quotes ORDER BY id"}
    with sqlite3.connect(raw_db) as a, sqlite3.connect(facts_db) as b:
        for name, query in queries.items():
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), name
        assert b.execute("SELECT count(*) FROM events").fetchone()[0] > 0


# ---- the first hour's command lines

def test_an_empty_folder_is_a_message_and_a_failure(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "report.pdf").write_bytes(b"%PDF-1.4")
    for folder in (empty, tmp_path / "pdfs"):
        for command in (["extract", str(folder)], ["ingest", str(folder), "--db", str(tmp_path / "e.db")]):
            done = coopwatch(*command, check=False)
            assert done.returncode != 0 and done.stdout == ""
            assert "no article found" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_output_that_cannot_be_written_is_one_line(tmp_path):
    done = coopwatch("extract", str(FIXTURES / "amur-bridges.txt"), "-o", str(tmp_path / "no" / "such" / "out.jsonl"),
                     check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot write" in done.stderr


def test_sizes_take_units(tmp_path):
    article = FIXTURES / "amur-bridges.txt"
    assert coopwatch("extract", str(article), "--max-bytes", "2MB", "--quiet").stdout.count("\n") == 1
    small = coopwatch("extract", str(article), "--max-bytes", "1KiB", "--quiet", check=False)
    assert small.returncode == 1 and "1,024-byte limit" in small.stdout
    wrong = coopwatch("extract", str(article), "--max-bytes", "2 parsecs", check=False)
    assert wrong.returncode == 2 and "not a size" in wrong.stderr


def test_a_closed_pipe_ends_quietly():
    done = subprocess.run(f"{sys.executable} -m coopwatch.cli search --db {sqlite_db()} --json --limit 500 | head -1",
                          shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.count("\n") == 1 and json.loads(done.stdout)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_a_damaged_database_is_one_line(tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database " * 200)
    done = coopwatch("ingest", str(FIXTURES / "amur-bridges.txt"), "--db", str(damaged), check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "not a database" in done.stderr
    for command in ("search", "serve"):
        done = coopwatch(command, "--db", str(damaged), check=False)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "not a database" in done.stderr


@pytest.fixture
def read_only_record(tmp_path_factory, monkeypatch) -> Path:
    """The examples record (WAL mode) in a folder no one may write to. Root writes anyway, so for root the
    folder is also reported unwritable (os.access) as it would be to anyone else."""
    folder = tmp_path_factory.mktemp("read-only")
    shutil.copy(sqlite_db(), folder / "record.db")
    os.chmod(folder / "record.db", 0o444)
    os.chmod(folder, 0o555)
    assert not (folder / "record.db-wal").exists()  # ingest checkpointed the log into the file
    from coopwatch.store import db

    real_access = os.access
    monkeypatch.setattr(db.os, "access", lambda path, mode: False if str(path).startswith(str(folder))
                        else real_access(path, mode))
    yield folder / "record.db"
    os.chmod(folder, 0o755)


def test_a_read_only_wal_database_is_served(read_only_record):
    from fastapi.testclient import TestClient

    from coopwatch.web.app import create_app

    app = create_app(str(read_only_record))
    assert "immutable=1" in str(app.state.engine.url)
    client = TestClient(app)
    assert client.get("/api/stats").json()["totals"]["events"] > 0 and client.get("/").status_code == 200
    assert not (read_only_record.parent / "record.db-shm").exists()


def test_a_read_only_database_is_one_line_for_ingest(tmp_path):
    copy = tmp_path / "record.db"
    shutil.copy(sqlite_db(), copy)
    read_only = f"sqlite+pysqlite:///file:{copy}?mode=ro&uri=true"  # what a read-only file is to its reader
    done = coopwatch("ingest", str(FIXTURES / "amur-bridges.txt"), "--db", read_only, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "read-only" in done.stderr, done.stderr
