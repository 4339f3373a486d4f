"""The same record on a real PostgreSQL server (started by the test setup): same rows, same answers."""
from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from coopwatch.store import search
from coopwatch.store.db import open_engine
from coopwatch.store.migrations import LATEST
from coopwatch.web.app import create_app

from .store_support import articles_dir, coopwatch, postgres_db, sqlite_db

TABLES = ("documents", "entities", "mentions", "actors", "figures", "quotes", "events", "event_sectors",
          "event_countries", "event_actors", "event_figures")


@pytest.fixture(scope="module")
def pg():
    engine = open_engine(postgres_db())
    yield engine
    engine.dispose()


def test_postgres_holds_the_same_rows_as_sqlite(pg):
    lite = sqlite3.connect(sqlite_db())
    with pg.connect() as conn:
        for table in TABLES:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == \
                lite.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
        assert sorted(conn.execute(text("SELECT id, content_hash FROM documents")).all()) == \
            sorted(lite.execute("SELECT id, content_hash FROM documents").fetchall())
        assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == LATEST


def test_postgres_schema_has_keys_and_full_text_indexes(pg):
    schema = inspect(pg)
    assert {fk["referred_table"] for fk in schema.get_foreign_keys("event_actors")} == {"events", "actors"}
    names = {ix["name"] for ix in schema.get_indexes("events")}
    assert {"ix_events_fts", "ix_events_day"} <= names


def test_ingesting_again_into_postgres_stores_nothing_twice(pg):
    with pg.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM events")).scalar()
    result = coopwatch("ingest", str(articles_dir()), "--db", postgres_db())
    assert "0 stored" in result.stderr
    with pg.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == before


@pytest.mark.parametrize("filters", [
    dict(sector="nuclear"), dict(type="agreement", country="RU"), dict(actor="rosatom"),
    dict(date_from="2020-01-01", date_to="2022-12-31"), dict(plover="AID"),
])
def test_postgres_answers_filters_like_sqlite(pg, filters):
    from datetime import date

    f = {k: date.fromisoformat(v) if k.startswith("date") else v for k, v in filters.items()}
    lite = open_engine(sqlite_db(), read_only=True)
    with pg.connect() as a, lite.connect() as b:
        got = [e["id"] for e in search.list_events(a, search.Filters(**f).validated(), limit=500)]
        want = [e["id"] for e in search.list_events(b, search.Filters(**f).validated(), limit=500)]
    assert got and sorted(got) == sorted(want)


def test_postgres_full_text_search_finds_words_in_sentences(pg):
    with pg.connect() as conn:
        rows = search.list_events(conn, search.Filters(q="hydrogen"), limit=500)
        documents = search.list_documents(conn, search.Filters(q="lunar station"), limit=50)
    assert rows and all("hydrogen" in r["sentence"].lower() for r in rows)
    assert "08_lunar-station-cr929" in [d["id"] for d in documents]


def test_api_serves_postgres_read_only(pg):
    client = TestClient(create_app(postgres_db()))
    response = client.get("/api/events", params={"sector": "oil_gas", "limit": 5})
    assert response.status_code == 200 and response.json()["items"]
    assert client.get("/api/events", params={"q": '"'}).status_code == 400
    with client.app.state.engine.connect() as conn, pytest.raises(Exception, match="read-only"):
        conn.execute(text("DELETE FROM quotes"))
