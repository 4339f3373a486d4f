"""`datasette coopwatch.db --metadata src/coopwatch/store/datasette.json` over the examples record: tables with
their descriptions, foreign keys shown as labels, full-text search of articles and events, facets."""
from __future__ import annotations

import asyncio
import html
import json
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from .store_support import ROOT, sqlite_db

METADATA = json.loads((ROOT / "src/coopwatch/store/datasette.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browse(tmp_path_factory):
    """GET a Datasette path as (status, JSON or HTML text), in process, over a copy named coopwatch.db."""
    path = tmp_path_factory.mktemp("datasette") / "coopwatch.db"  # the metadata names the database coopwatch
    with sqlite3.connect(sqlite_db()) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    datasette = Datasette([str(path)], metadata=METADATA)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(datasette.invoke_startup())

    def get(url: str):
        response = loop.run_until_complete(datasette.client.get(url))
        assert response.status_code == 200, (url, response.status_code, response.text[:500])
        return response.json() if ".json" in url else response.text

    get.db = sqlite3.connect(path)
    yield get
    get.db.close()
    loop.close()


def test_tables_are_listed_with_their_descriptions(browse):
    listed = {t["name"]: t for t in browse("/coopwatch.json")["tables"]}
    core = ("documents", "events", "event_sectors", "event_countries", "event_actors", "event_figures", "actors",
            "entities", "mentions", "figures", "quotes")
    assert all(name in listed and not listed[name]["hidden"] for name in core)
    described = METADATA["databases"]["coopwatch"]["tables"]
    for name in core:
        assert html.escape(described[name]["description"], quote=False) in browse(f"/coopwatch/{name}"), name
    # every table of the record has a description, so the browse explains itself
    assert {name for name, t in listed.items() if not t["hidden"]} <= set(described)


def test_foreign_keys_show_as_labels(browse):
    event = browse("/coopwatch/events.json?_labels=on&_shape=objects&_size=1")["rows"][0]
    title = browse.db.execute("SELECT title FROM documents WHERE id = ?", (event["document_id"]["value"],)).fetchone()[0]
    assert event["document_id"]["label"] == title
    link = browse("/coopwatch/event_actors.json?_labels=on&_shape=objects&actor_id=rosatom")["rows"][0]
    assert link["actor_id"] == {"value": "rosatom", "label": "Rosatom"}
    assert link["event_id"]["label"]  # the event's sentence
    page = browse("/coopwatch/event_actors?actor_id=rosatom")
    assert '<a href="/coopwatch/actors/rosatom">Rosatom</a>' in page


def test_full_text_search_finds_articles_and_events(browse):
    # the documents and events tables themselves take ?_search= (their FTS5 rows are keyed by fts_rowid)
    found = browse("/coopwatch/documents.json?_search=lunar+station&_shape=objects")["rows"]
    assert "08_lunar-station-cr929" in {r["id"] for r in found}
    assert len(found) < browse.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 'name="_search"' in browse("/coopwatch/documents")
    sentences = browse("/coopwatch/events.json?_search=hydrogen&_shape=objects")["rows"]
    assert sentences and all("hydrogen" in e["sentence"].lower() for e in sentences)
    # user input is escaped for FTS5: `"NEAR(` is the word "near", not broken syntax
    near = browse('/coopwatch/events.json?_search=%22NEAR(&_shape=objects')["rows"]
    assert all("near" in e["sentence"].lower() for e in near)
    canned = browse("/coopwatch/search_documents.json?q=lunar&_shape=objects")["rows"]
    assert "08_lunar-station-cr929" in {r["id"] for r in canned} and "[lunar]" in canned[0]["snippet"].lower()
    events = browse("/coopwatch/search_events.json?q=hydrogen&_shape=objects")["rows"]
    assert events and all("hydrogen" in e["sentence"].lower() for e in events)


def test_facets(browse):
    facets = browse("/coopwatch/events.json?_size=0")["facet_results"]
    assert {"type", "plover", "status", "month"} <= set(facets)  # the metadata's default facets
    events = browse.db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert sum(v["count"] for v in facets["type"]["results"]) == events
    sectors = browse("/coopwatch/event_sectors.json?_facet=sector&_size=0")["facet_results"]["sector"]["results"]
    nuclear = browse.db.execute("SELECT count(*) FROM event_sectors WHERE sector = 'nuclear'").fetchone()[0]
    assert {v["value"]: v["count"] for v in sectors}["nuclear"] == nuclear > 0
    chart = browse("/coopwatch/events_per_month_by_sector.json?_shape=objects")["rows"]
    assert chart and {"month", "sector", "events"} <= set(chart[0])
