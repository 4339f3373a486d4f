"""Whose fault, in one line: a value the client sent that the record cannot take is a 400, a fault of the server
or its database a 500; a record of another schema version is a `SchemaVersionError` saying what to do (never a
"file not found"); `bench-store` checks its answers with real checks, which `python -O` keeps; and the SQL
dialect is asked in one place, `store/db.is_postgres`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import DataError, OperationalError

from coopwatch.focus import parse_focus
from coopwatch.store import schema as t
from coopwatch.store import search
from coopwatch.store.db import is_postgres, open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import LATEST, SchemaVersionError, migrate
from coopwatch.web.app import create_app

from .test_serve_focus import RECORD

SRC = Path(__file__).resolve().parents[1] / "src" / "coopwatch"


def record_at(db: str) -> str:
    engine = open_engine(db)
    migrate(engine)
    ingest_records(engine, RECORD)
    engine.dispose()
    return db


def coopwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coopwatch.cli", *args], capture_output=True, text=True, timeout=300)


def set_version(db: str, version: int) -> None:
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(t.schema_version.delete().where(t.schema_version.c.version > min(version, LATEST)))
        if version > LATEST:
            conn.execute(t.schema_version.insert().values(version=version, description="from the future",
                                                          applied_at="2030-01-01T00:00:00"))
    engine.dispose()


# ---- the dialect

def test_the_dialect_is_asked_in_one_place(tmp_path):
    askers = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "dialect.name" in p.read_text("utf-8"))
    assert askers == ["store/db.py"]
    engine = open_engine(str(tmp_path / "dialect.db"))
    with engine.connect() as conn:
        assert not is_postgres(engine) and not is_postgres(conn)
    engine.dispose()


# ---- 400 or 500

@pytest.fixture(scope="module")
def served(tmp_path_factory) -> TestClient:
    return TestClient(create_app(record_at(str(tmp_path_factory.mktemp("errors") / "record.db")), cache=False),
                      raise_server_exceptions=False)


def test_a_fault_of_the_database_is_a_500_in_one_line(served, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("disk I/O error\nand a second line"))

    monkeypatch.setattr(search, "list_events", broken)
    answer = served.get("/api/events")
    assert answer.status_code == 500
    assert answer.json()["detail"] == "the database could not answer: Exception (logged)"


def test_a_value_the_database_refuses_is_the_clients_400_in_one_line(served, monkeypatch):
    def refused(*args, **kwargs):
        raise DataError("SELECT ...", {}, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    monkeypatch.setattr(search, "get_event", refused)
    answer = served.get("/api/events/some-id")
    assert answer.status_code == 400
    assert answer.json()["detail"] == ("the database cannot take a value of this request: "
                                       "PostgreSQL text fields cannot contain NUL (0x00) bytes")
    page = served.get("/events/some-id", headers={"Accept": "text/html"})
    assert page.status_code == 400 and "cannot take a value" in page.text


@pytest.mark.parametrize("name", ["q", "actor", "document"])
def test_a_nul_character_in_a_filter_is_a_bad_query(served, name):
    answer = served.get("/api/events", params={name: "gas\x00pipeline"})
    assert answer.status_code == 400 and answer.json()["detail"] == f"{name} holds a NUL character"
    assert served.get("/api/events", params={"sector": "nuclear"}).status_code == 200  # a good query stays 200


def test_on_postgres_a_nul_character_is_a_400_and_the_focus_holds(tmp_path):
    """The real thing: PostgreSQL refuses NUL in text, so an id with one is a value error (DataError)."""
    import psycopg

    from .store_support import postgres_url

    server = postgres_url()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS store_errors")
        admin.execute("CREATE DATABASE store_errors")
    db = server.rsplit("/", 1)[0] + "/store_errors"
    record_at(db)
    client = TestClient(create_app(db, cache=False), raise_server_exceptions=False)
    refused = client.get("/api/events/mixed%00ev0")
    assert refused.status_code == 400 and "cannot contain NUL" in refused.json()["detail"]
    assert client.get("/api/events", params={"actor": "a\x00b"}).status_code == 400
    assert client.get("/api/events").json()["total"] == 6
    focused = TestClient(create_app(db, cache=False, focus=parse_focus("CN,RU")))
    assert {e["id"] for e in focused.get("/api/events").json()["items"]} == {
        "china-russia#ev0", "three-sides#ev0", "mixed#ev0"}
    assert focused.get("/api/stats").json()["totals"]["events"] == 3
    client.app.state.engine.dispose()
    focused.app.state.engine.dispose()


# ---- schema versions

def test_a_record_of_an_older_schema_asks_for_ingest_to_migrate_it(tmp_path):
    db = record_at(str(tmp_path / "old.db"))
    set_version(db, 3)
    with pytest.raises(SchemaVersionError) as raised:
        create_app(db)
    assert str(raised.value) == (f"the database's schema is version 3, this coopwatch reads version {LATEST}; "
                                 f"run `coopwatch ingest --db {db}` to migrate it")
    assert not isinstance(raised.value, FileNotFoundError)
    for command in (["serve"], ["search", "gas"]):
        done = coopwatch(*command, "--db", db)
        assert done.returncode == 2
        assert done.stderr.strip().splitlines() == [f"coopwatch {command[0]}: {raised.value}"]


def test_a_record_of_a_newer_schema_is_neither_read_nor_written(tmp_path):
    db = record_at(str(tmp_path / "new.db"))
    set_version(db, LATEST + 1)
    with pytest.raises(SchemaVersionError, match=f"version {LATEST + 1}, newer than this coopwatch knows"):
        create_app(db)
    with pytest.raises(SchemaVersionError):
        migrate(open_engine(db))
    done = coopwatch("ingest", "--db", db)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "newer than this coopwatch knows" in done.stderr and "Traceback" not in done.stderr


def test_a_file_that_holds_no_record_yet_says_so(tmp_path):
    db = tmp_path / "empty.db"
    create_engine(f"sqlite:///{db}").connect().close()
    with pytest.raises(SchemaVersionError, match="holds no coopwatch record yet"):
        create_app(str(db))


# ---- bench-store's checks

def test_bench_store_stops_on_a_failed_answer_even_under_python_O(tmp_path):
    db = record_at(str(tmp_path / "bench.db"))
    script = (
        "import sys\n"
        "from coopwatch.store import bench\n"
        "assert False, 'never raised: -O strips asserts'\n"
        "bench.API_QUERIES = ['/api/events?limit=5', '/api/events?sector=no-such-sector']\n"
        f"try:\n    bench._latency_report({db!r}, 2)\n"
        "except bench.BenchFailed as e:\n    print(e)\n    sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith("/api/events?sector=no-such-sector answered 400, not 200: ")
