"""The JSON API and the pages, in-process over the examples record: filters, pagination, exports, escaping,
and 4xx (never 500) for bad parameters."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from coopwatch.web.app import create_app

from .store_support import sqlite_db


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(sqlite_db()), raise_server_exceptions=False)


def all_events(client, **params) -> list[dict]:
    return client.get("/api/events", params={"limit": 500, **params}).json()["items"]


def test_openapi_documents_every_list(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/events", "/api/actors", "/api/entities", "/api/figures", "/api/quotes",
                 "/api/network.graphml", "/api/network.json"):
        assert path in paths
    page = client.get("/api-docs").text
    assert all(f"GET {path}" in page for path in paths if path.startswith("/api/"))
    names = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"q", "sector", "type", "plover", "country", "actor", "date_from", "date_to", "limit", "offset",
            "format"} <= names


@pytest.mark.parametrize("param, value, check", [
    ("sector", "nuclear", lambda e: "nuclear" in e["sectors"]),
    ("type", "agreement", lambda e: e["type"] == "agreement"),
    ("plover", "COOPERATE", lambda e: e["plover"] == "COOPERATE"),
    ("country", "mn", lambda e: "MN" in e["countries"]),
    ("actor", "rosatom", lambda e: "rosatom" in [a["id"] for a in e["actors"]]),
    ("actor", "Xi Jinping", lambda e: "xi-jinping" in [a["id"] for a in e["actors"]]),
    ("q", "gas pipeline", lambda e: "gas" in e["sentence"].lower() and "pipeline" in e["sentence"].lower()),
])
def test_each_event_filter_selects_what_it_says(client, param, value, check):
    events = all_events(client, **{param: value})
    assert events
    assert all(check(e) for e in events)
    assert len(events) < len(all_events(client))


def test_date_range_and_combined_filters(client):
    events = all_events(client, date_from="2019-01-01", date_to="2021-12-31", sector="oil_gas")
    assert events
    assert all("2019-01-01" <= e["day"] <= "2021-12-31" and "oil_gas" in e["sectors"] for e in events)


def test_pages_of_a_list_add_up_to_the_list(client):
    whole = all_events(client)
    first = client.get("/api/events", params={"limit": 20}).json()
    seen, url = [], "/api/events?limit=20"
    while url:
        page = client.get(url).json()
        seen += [e["id"] for e in page["items"]]
        url = page["next"]
    assert first["total_exact"] and first["total"] == len(whole) == len(seen) == len(set(seen))
    assert seen == [e["id"] for e in whole]


def test_ids_are_stable_and_resolve(client):
    event = all_events(client, sector="hydrogen")[0]
    assert client.get(f"/api/events/{event['id'].replace('#', '%23')}").json()["sentence"] == event["sentence"]
    document = client.get(f"/api/documents/{event['document_id']}").json()
    assert document["text"][event["start"]:event["end"]] == event["sentence"]
    assert document["spans"]["mentions"] and document["spans"]["events"]


def test_exports_carry_the_whole_filtered_list(client):
    events = all_events(client, country="CN")
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events", params={"country": "CN", "format": "csv"}).text)))
    assert [r["id"] for r in rows] == [e["id"] for e in events]
    assert rows[0]["sectors"] == ";".join(events[0]["sectors"])
    lines = client.get("/api/events", params={"country": "CN", "format": "jsonl", "limit": 1}).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in events]
    quotes = client.get("/api/quotes", params={"format": "csv"})
    assert quotes.status_code == 200 and "speaker" in quotes.text.splitlines()[0]


def test_other_lists(client):
    actors = client.get("/api/actors", params={"country": "RU", "limit": 100}).json()["items"]
    assert actors and all(a["country"] == "RU" for a in actors)
    rosatom = client.get("/api/actors/rosatom").json()
    assert rosatom["events"] and rosatom["aliases"]
    figures = client.get("/api/figures", params={"sector": "oil_gas", "limit": 500}).json()["items"]
    assert figures and all(isinstance(f["value"], float) for f in figures)
    quotes = client.get("/api/quotes", params={"q": "Russian", "limit": 500}).json()["items"]
    assert quotes and all("russian" in q["text"].lower() for q in quotes)
    assert len(quotes) < client.get("/api/quotes").json()["total"]
    docs = client.get("/api/documents", params={"q": "Yamal LNG"}).json()["items"]
    assert [d["id"] for d in docs] == ["06_yamal-arctic-lng"]


def test_network_graphml_and_json_agree(client):
    network = client.get("/api/network.json", params={"sector": "nuclear"}).json()
    root = ET.fromstring(client.get("/api/network.graphml", params={"sector": "nuclear"}).content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    edges = root.findall(".//g:edge", ns)
    assert nodes == {n["id"] for n in network["nodes"]} and len(edges) == len(network["edges"]) > 0
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)


@pytest.mark.parametrize("url", [
    "/api/events?limit=0", "/api/events?limit=100000", "/api/events?offset=-1", "/api/events?date_from=2020-13-01",
    "/api/events?date_from=2022-01-01&date_to=2020-01-01", "/api/events?sector=spaceships", "/api/events?type=war",
    "/api/events?plover=FIGHT", "/api/events?country=RUS", "/api/events?q=%22", "/api/events?q=%28%29*",
    "/api/events?format=xml", "/api/network.json?min_weight=0", "/api/events/nope",
    "/api/actors/nope", "/api/documents/nope", "/events?date_from=soon", "/events?page=0", "/events?sector=x",
    "/search?q=%22%22", "/events/nope", "/actors/nope", "/documents/nope", "/api/quotes?actor=" + "x" * 300,
])
def test_bad_parameters_get_a_4xx_with_a_message(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:300])
    assert response.text.strip()


def test_article_markup_is_shown_as_text(client):
    event = all_events(client, q="hydrogen production Beijing")
    assert event and event[0]["document_id"] == "zz_markup"
    page = client.get(f"/events/{event[0]['id'].replace('#', '%23')}").text
    assert "<script>alert" not in page and "<script>document.title" not in page and "<b>the companies" not in page
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
    document = client.get("/documents/zz_markup").text
    assert "<script>document.title" not in document and "&lt;script&gt;document.title" in document


def test_event_page_highlights_the_sentence_and_every_span(client):
    event = all_events(client, sector="nuclear")[0]
    page = client.get(f"/events/{event['id'].replace('#', '%23')}").text
    assert 'id="focus"' in page and 'class="entity' in page
    document = client.get(f"/api/documents/{event['document_id']}").json()
    assert page.count("<mark ") >= len(document["spans"]["figures"])


def test_pages_render(client):
    for url in ("/", "/api-docs", "/events", "/events?sector=nuclear&type=agreement", "/actors", "/actors/rosatom",
                "/search?q=lunar", "/documents/06_yamal-arctic-lng", "/static/chart.js", "/static/style.css"):
        response = client.get(url)
        assert response.status_code == 200, url
    overview = client.get("/").text
    assert 'id="chart-data"' in overview
    # every script and stylesheet comes from the app itself, never a CDN
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', overview)
    assert assets and all(a.startswith("/static/") for a in assets)


def test_the_app_cannot_write(client):
    with client.app.state.engine.connect() as conn, pytest.raises(Exception, match="readonly"):
        conn.execute(text("DELETE FROM quotes"))
