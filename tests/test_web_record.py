"""The web app describes whatever record it serves: its title, country choices and export names come from the
record's own countries (nothing says China–Russia unless the record does), and event dates are shown as the
text gave them: a month as YYYY-MM, a year as YYYY, an undated event as undated (never its publication date)."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from coopwatch.web.app import create_app

from .test_web_security import record


def dated(doc_id: str, date: dict | None, countries: list[str], published: str = "2024-05-06") -> dict:
    r = record(doc_id, "https://news.example.org/" + doc_id, f"Article {doc_id}",
               sentence=f"Embrapa and Tata signed agreement number {doc_id} on farming research.")
    r["published"] = published
    r["events"][0].update(date=date, countries=countries, sectors=["agriculture"])
    r["entities"][0].update(name="Embrapa", country="BR")
    r["entities"][1].update(name="Tata", country="IN")
    r["events"][0]["actors"] = ["Embrapa", "Tata"]
    return r


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = str(tmp_path_factory.mktemp("brazil-india") / "record.db")
    engine = open_engine(db)
    migrate(engine)
    records = [
        dated("undated", None, ["BR", "IN"]),
        dated("month", {"value": "2023-09", "precision": "month", "text": "in September 2023"}, ["BR", "IN"]),
        dated("year", {"value": "2021", "precision": "year", "text": "in 2021"}, ["BR", "IN"]),
        dated("day", {"value": "2022-03-15", "precision": "day", "text": "on 15 March 2022"}, ["BR", "IN", "ZA"]),
    ]
    # distinct texts, so no article is taken for a copy of another
    for n, r in enumerate(records):
        r["text"] += " " + " ".join(f"word{n}x{k}" for k in range(40))
    assert ingest_records(engine, records).stored == 4
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_the_overview_names_the_records_own_countries(client):
    page = client.get("/").text
    assert re.search(r"<h1>(Brazil–India|India–Brazil) cooperation", page)
    assert "China" not in page and "Russia" not in page
    assert "Brazil" in client.get("/openapi.json").json()["info"]["description"]


def test_the_country_filter_offers_the_countries_present(client):
    page = client.get("/events").text
    choice = re.search(r'<select name="country".*?</select>', page, flags=re.S).group(0)
    assert re.findall(r'<option value="([A-Z]{2})"', choice) == ["BR", "IN", "ZA"]
    chosen = client.get("/events", params={"country": "ZA"}).text
    assert '<option value="ZA" selected' in chosen and "number day" in chosen and "number month" not in chosen


def test_exports_are_named_after_the_records_countries(client):
    disposition = client.get("/api/events", params={"format": "csv"}).headers["content-disposition"]
    assert disposition == 'attachment; filename="br-in-events.csv"'


@pytest.mark.parametrize("doc_id, shown", [("undated", None), ("month", "2023-09"), ("year", "2021"),
                                           ("day", "2022-03-15")])
def test_dates_are_shown_at_their_precision(client, doc_id, shown):
    event = client.get(f"/api/events/{doc_id}%23ev0").json()
    assert event["when"] == shown
    page = client.get(f"/events/{doc_id}%23ev0").text
    heading = re.search(r"<h1>(.*?)</h1>", page, flags=re.S).group(1)
    assert (shown or "undated") in heading
    assert "2023-09-01" not in page and "2021-01-01" not in page
    listed = {e["document_id"]: e["when"] for e in client.get("/api/events", params={"limit": 50}).json()["items"]}
    assert listed[doc_id] == shown


def test_an_undated_event_is_listed_as_undated(client):
    page = client.get("/events").text
    row = re.search(r'<span class="day[^"]*">([^<]*)</span>(?:(?!</li>).)*number undated', page, flags=re.S)
    assert row.group(1) == "undated"


def test_remembered_answers_never_outlive_a_write(tmp_path):
    db = str(tmp_path / "cached.db")
    engine = open_engine(db)
    migrate(engine)
    ingest_records(engine, [dated("first", None, ["BR", "IN"])])
    client = TestClient(create_app(db))
    first = client.get("/api/documents").json()
    assert client.get("/api/documents").json() == first and first["total"] == 1
    html = client.get("/", headers={"Accept": "text/html"})
    assert client.get("/", headers={"Accept": "text/html"}).text == html.text
    later = dated("second", None, ["BR", "IN"])
    later["text"] += " " + " ".join(f"other{k}" for k in range(40))
    ingest_records(engine, [later])  # another process's ingest, as far as the server knows
    assert client.get("/api/documents").json()["total"] == 2
    assert "content-security-policy" in client.get("/api/documents").headers


def test_bench_serve_loads_a_multi_worker_server_and_reports():
    from .store_support import coopwatch, sqlite_db

    done = coopwatch("bench-serve", "--db", sqlite_db(), "--workers", "2", "--clients", "3", "--requests", "30",
                     "--seconds", "5", "--path", "/api/events", "--path", "/events?sector=nuclear")
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.startswith("/")}
    assert set(rows) == {"/api/events", "/events?sector=nuclear"}
    for path, (_, requests, per_second, p50, p95, p99, errors) in rows.items():
        assert int(requests) == 30 and float(per_second) > 0 and float(p50) <= float(p95) <= float(p99)
        assert errors == "0", path
    assert "load average" in done.stdout
