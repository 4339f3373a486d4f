"""How the record answers: cached aggregates that never go stale, and two query shapes that give the same rows.

A filter on a common value (a sector most events have, a word most sentences hold) walks the date index and
checks each row; a rare one reads its few ids from an index and sorts them. Which shape runs depends on how
broad the value is, so both must list exactly the same rows.
"""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from coopwatch.store import search
from coopwatch.store.cache import bump_generation, cached
from coopwatch.store.db import open_engine
from coopwatch.store.search import Filters

from .store_support import articles_dir, coopwatch, sqlite_db

FILTERS = [
    Filters(q="hydrogen"),
    Filters(q="agreement"),
    Filters(q="gas", sector="oil_gas"),
    Filters(sector="nuclear"),
    Filters(country="RU"),
    Filters(country="CN", sector="hydrogen"),
    Filters(actor="rosatom"),
    Filters(sector="nuclear", date_from=date(2018, 1, 1)),
    Filters(q="station", include_duplicates=True),
]


def _all_shapes(monkeypatch, read):
    """`read()` with every value taken as broad, then with none."""
    monkeypatch.setattr(search, "BROAD_SHARE", 0.0)
    walked = read()
    monkeypatch.setattr(search, "BROAD_SHARE", 2.0)
    return walked, read()


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.as_params().items()))
def test_both_query_shapes_list_the_same_rows(monkeypatch, f):
    engine = open_engine(sqlite_db(), read_only=True)
    with engine.connect() as conn:
        for lister in (search.list_events, search.list_documents, search.list_figures):
            walked, looked_up = _all_shapes(monkeypatch, lambda: [r["id"] for r in lister(conn, f, limit=500)])
            assert walked == looked_up, lister.__name__
        events, _ = _all_shapes(monkeypatch, lambda: search.list_events(conn, f, limit=500))
    assert events, "every filter here matches some events of the examples"
    for event in events:
        if f.q:
            assert f.q in event["sentence"].lower()
        if f.sector:
            assert f.sector in event["sectors"]
        if f.country:
            assert f.country in event["countries"]


def test_a_text_search_counts_its_matches_once_per_generation():
    engine = open_engine(sqlite_db(), read_only=True)
    with engine.connect() as conn:
        first = [e["id"] for e in search.list_events(conn, Filters(q="hydrogen"), limit=5)]
        remembered = cached(conn, ("fts_matches", "events_fts", '"hydrogen"'),
                            lambda: pytest.fail("the match count should be remembered"))
        matches = conn.exec_driver_sql("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'hydrogen'").scalar_one()
        assert remembered == matches > 0
        assert [e["id"] for e in search.list_events(conn, Filters(q="hydrogen"), limit=5)] == first


def test_cached_answers_are_copies_and_end_with_their_generation(tmp_path):
    path = tmp_path / "record.db"
    coopwatch("ingest", str(articles_dir() / "zz_markup.txt"), "--db", str(path), "--quiet")
    engine = open_engine(str(path))
    calls = []

    def compute():
        calls.append(1)
        return {"months": [{"month": "2024-05", "events": 1}]}

    with engine.connect() as conn:
        answer = cached(conn, ("test",), compute)
        answer["months"].append("changed by the caller")
        assert cached(conn, ("test",), compute) == {"months": [{"month": "2024-05", "events": 1}]}
        assert len(calls) == 1
    with engine.begin() as conn:
        bump_generation(conn)  # what ingest does with every write
    with engine.connect() as conn:
        cached(conn, ("test",), compute)
    assert len(calls) == 2


def test_ingest_leaves_planner_statistics():
    conn = sqlite3.connect(sqlite_db())
    analysed = {table for (table,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    conn.close()
    assert {"events", "event_sectors", "event_figures", "figures", "documents"} <= analysed
