"""`coopwatch serve --focus CN,RU`: one record of several country pairs, served whole and served with a focus.

With a focus, every answer holds only the events in focus — lists, totals, the per-month chart, facets, actors'
event counts, the network, exports, search and single pages — by the same rule as `extract --focus` (focus.py:
at least two of an event's sides among the focus countries, or the one country of a one-country focus). Out of
focus events stay in the record: served without the focus, they are all there again. Articles, figures and quotes
are served whole, as `ingest --focus` would have stored them.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from coopwatch.focus import in_focus, parse_focus
from coopwatch.store import search
from coopwatch.store.db import open_engine, with_focus
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from coopwatch.web.app import create_app

SIDES = {"Rosatom": "RU", "CNNC": "CN", "Gazprom": "RU", "Samruk": "KZ", "HAL": "IN", "GE Aerospace": "US",
         "Toyota": "JP", "European Commission": "EU"}


def article(doc_id: str, published: str, *events: tuple[str, list[str], str, str]) -> dict:
    """An `extract` record whose sentences are its events: (sentence, countries, sector, type) each; the actors
    are the known names the sentence holds."""
    text, found, entities = "", [], {}
    for sentence, countries, sector, type_ in events:
        start = len(text)
        text += sentence + " "
        actors = [name for name in SIDES if name in sentence]
        for name in actors:
            at = start + sentence.index(name)
            entities.setdefault(name, {"name": name, "type": "ORG", "country": SIDES[name], "role": None,
                                       "mentions": [], "canonical": None, "organization": None})
            entities[name]["mentions"].append([at, at + len(name)])
        found.append({"type": type_, "plover": {"agreement": "AGREE", "meeting": "CONSULT"}.get(type_, "COOPERATE"),
                      "sectors": [sector], "date": None, "status": "completed", "actors": actors,
                      "countries": countries, "location": None, "quantities": [], "sentence": sentence,
                      "span": [start, start + len(sentence)], "trigger": "signed", "confidence": 0.9})
    text += " ".join(f"{doc_id}word{k}" for k in range(40))  # no article is taken for a copy of another
    return {"id": doc_id, "title": f"Article {doc_id}", "url": f"https://news.example.org/{doc_id}",
            "outlet": "Example", "published": published, "language": "en", "text": text, "source": f"{doc_id}.txt",
            "removed": [], "warnings": [], "entities": list(entities.values()), "quantities": [], "quotes": [],
            "events": found}


RECORD = [
    article("china-russia", "2024-03-05",
            ("Rosatom and CNNC signed a nuclear fuel agreement.", ["CN", "RU"], "nuclear", "agreement")),
    article("three-sides", "2024-04-10",
            ("Gazprom, CNNC and Samruk signed a gas transit agreement.", ["CN", "KZ", "RU"], "oil_gas", "agreement")),
    article("mixed", "2024-04-20",
            ("Gazprom and CNNC met on hydrogen research.", ["CN", "RU"], "hydrogen", "meeting"),
            ("CNNC and Samruk signed a 500 MW wind farm agreement.", ["CN", "KZ"], "renewables", "agreement")),
    article("india-us", "2024-05-02",
            ("HAL and GE Aerospace signed an engine agreement.", ["IN", "US"], "aerospace", "agreement")),
    article("eu-japan", "2024-05-15",
            ("The European Commission and Toyota signed a hydrogen agreement.", ["EU", "JP"], "hydrogen", "agreement")),
]
# the wind farm's capacity, a figure of the China–Kazakhstan event
_MIXED = RECORD[2]
_AT = _MIXED["text"].index("500 MW")
_MIXED["quantities"] = [{"value": 500, "value_max": None, "unit": "MW", "measure": "capacity", "qualifier": None,
                         "text": "500 MW", "span": [_AT, _AT + 6]}]
_MIXED["events"][1]["quantities"] = [{"value": 500, "unit": "MW", "text": "500 MW", "span": [_AT, _AT + 6]}]
IN_CHINA_RUSSIA = {"china-russia#ev0", "three-sides#ev0", "mixed#ev0"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("focus") / "record.db")
    engine = open_engine(path)
    migrate(engine)
    assert ingest_records(engine, RECORD).stored == len(RECORD)
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def whole(db) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def focused(db) -> TestClient:
    return TestClient(create_app(db, focus=parse_focus("CN,RU")), raise_server_exceptions=False)


def event_ids(client: TestClient, **params) -> set[str]:
    return {e["id"] for e in client.get("/api/events", params={"limit": 500, **params}).json()["items"]}


def test_served_whole_every_pair_is_there(whole):
    assert len(event_ids(whole)) == 6
    assert whole.get("/api/stats").json()["totals"]["events"] == 6


def test_with_a_focus_the_events_list_holds_only_events_in_focus(focused):
    answer = focused.get("/api/events").json()
    assert {e["id"] for e in answer["items"]} == IN_CHINA_RUSSIA and answer["total"] == 3
    # the same rule as extraction's: a third side (Kazakhstan) does not take the China–Russia event out
    assert all(in_focus(e["countries"], frozenset({"CN", "RU"})) for e in answer["items"])
    assert event_ids(focused, sector="renewables") == set()  # China–Kazakhstan only, so out of focus
    assert event_ids(focused, q="agreement") == {"china-russia#ev0", "three-sides#ev0"}


def test_with_a_focus_totals_chart_facets_and_network_count_only_events_in_focus(focused):
    stats = focused.get("/api/stats").json()
    assert stats["totals"]["events"] == 3
    assert stats["totals"]["documents"] == 5  # articles stay whole: the India–US one is still an article
    assert sum(row["events"] for row in stats["per_month"]) == 3
    assert {row["sector"] for row in stats["per_month"]} == {"nuclear", "oil_gas", "hydrogen"}
    facets = focused.get("/api/events/facets").json()
    assert {f["value"]: f["events"] for f in facets["country"]} == {"CN": 3, "RU": 3, "KZ": 1}
    assert {f["value"] for f in facets["sector"]} == {"nuclear", "oil_gas", "hydrogen"}
    nodes = {n["name"] for n in focused.get("/api/network.json").json()["nodes"]}
    assert nodes == {"Rosatom", "CNNC", "Gazprom", "Samruk"}


def test_figures_stay_whole_but_an_event_filter_sees_only_events_in_focus(focused, whole):
    assert focused.get("/api/figures").json()["total"] == 1  # the article's figure, as ingest --focus keeps it
    assert whole.get("/api/figures", params={"sector": "renewables"}).json()["total"] == 1
    assert focused.get("/api/figures", params={"sector": "renewables"}).json()["total"] == 0
    assert focused.get("/api/figures", params={"country": "KZ"}).json()["total"] == 0


def test_with_a_focus_actors_are_counted_by_their_events_in_focus(focused, whole):
    counted = {a["name"]: a["events"] for a in focused.get("/api/actors", params={"limit": 50}).json()["items"]}
    assert counted["CNNC"] == 3 and counted["Samruk"] == 1 and counted["HAL"] == 0
    assert {a["name"]: a["events"] for a in whole.get("/api/actors").json()["items"]}["CNNC"] == 4
    samruk = focused.get("/api/actors/samruk").json()
    assert samruk["event_count"] == 1 and [e["id"] for e in samruk["events"]] == ["three-sides#ev0"]


def test_an_event_out_of_focus_is_not_found_but_stays_in_the_record(focused, whole):
    missing = focused.get("/api/events/india-us%23ev0")
    assert missing.status_code == 404 and "in focus CN,RU" in missing.json()["detail"]
    assert focused.get("/events/india-us%23ev0", headers={"Accept": "text/html"}).status_code == 404
    assert whole.get("/api/events/india-us%23ev0").status_code == 200
    # an article of two events shows the one in focus, and marks only that one in its text
    document = focused.get("/api/documents/mixed").json()
    assert [e["id"] for e in document["spans"]["events"]] == ["mixed#ev0"]
    page = focused.get("/documents/mixed", headers={"Accept": "text/html"}).text
    assert "met on hydrogen research" in page and "/events/mixed%23ev1" not in page


def test_exports_hold_the_events_in_focus_and_are_named_after_it(focused):
    export = focused.get("/api/events", params={"format": "csv"})
    assert export.headers["content-disposition"] == 'attachment; filename="cn-ru-events.csv"'
    assert {row["id"] for row in csv.DictReader(io.StringIO(export.text))} == IN_CHINA_RUSSIA
    lines = focused.get("/api/events", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == 3


def test_the_title_and_overview_name_the_focus(focused, whole, db):
    page = focused.get("/", headers={"Accept": "text/html"}).text
    assert re.search(r"<h1>(China–Russia|Russia–China) cooperation", page)
    assert "Focus: " in page and "Only events with both countries among their sides" in page
    assert "3 other events in the record are not" in page
    assert "China" in focused.get("/openapi.json").json()["info"]["description"]
    assert "Focus:" not in whole.get("/", headers={"Accept": "text/html"}).text
    # a one-country focus: every event with India as a side
    india = TestClient(create_app(db, focus=parse_focus("IN")))
    overview = india.get("/", headers={"Accept": "text/html"}).text
    assert "<h1>Cooperation with India" in overview and "Only events with this country" in overview
    assert event_ids(india) == {"india-us#ev0"}


@pytest.mark.parametrize("focus", ["CN,RU", "CN,KZ", "CN", "EU,JP", "CN,RU,KZ", "US,BR"])
def test_the_stored_record_answers_the_focus_rule_of_extraction(db, focus):
    """The SQL asked of the store keeps exactly the events focus.in_focus keeps, in every reading mode."""
    codes = parse_focus(focus)
    expected = {f"{r['id']}#ev{n}" for r in RECORD for n, e in enumerate(r["events"]) if in_focus(e["countries"], codes)}
    engine = open_engine(db, read_only=True)
    with with_focus(engine.connect(), codes) as conn:
        assert {e["id"] for e in search.list_events(conn, search.Filters(), limit=100)} == expected
        for probe in (True, False):
            rows = conn.execute(search.select(search.t.events.c.id).where(search.focus_condition(conn, probe)))
            assert set(rows.scalars()) == expected
    engine.dispose()


def test_remembered_answers_are_kept_apart_by_focus(db):
    """One engine, two readers: the cached count of one focus is never the answer for another."""
    engine = open_engine(db, read_only=True)
    with engine.connect() as conn:
        assert search.count_events(with_focus(conn, None), search.Filters()) == 6
        assert search.count_events(with_focus(conn, parse_focus("CN,RU")), search.Filters()) == 3
        assert search.count_events(with_focus(conn, parse_focus("IN")), search.Filters()) == 1
        assert search.totals(with_focus(conn, None))["events"] == 6
    engine.dispose()


def test_projects_are_those_with_events_in_focus(tmp_path):
    from coopwatch.store.resolution import update

    db = str(tmp_path / "projects.db")
    engine = open_engine(db)
    migrate(engine)
    ingest_records(engine, [
        article("tianwan", "2024-06-01",
                ("Rosatom and CNNC signed an agreement on Tianwan units 7 and 8.", ["CN", "RU"], "nuclear", "agreement")),
        article("nashik", "2024-06-03",
                ("HAL and GE Aerospace signed an agreement on Nashik units 3 and 4.", ["IN", "US"], "aerospace",
                 "agreement"))])
    update(engine)  # the resolution after ingest: one project per plant, its units as components
    engine.dispose()
    whole, focused = TestClient(create_app(db)), TestClient(create_app(db, focus=parse_focus("CN,RU")))
    assert {p["name"] for p in whole.get("/api/projects").json()["items"]} == {"Tianwan power plant",
                                                                              "Nashik power plant"}
    listed = focused.get("/api/projects").json()
    assert [p["name"] for p in listed["items"]] == ["Tianwan power plant"] and listed["total"] == 1
    assert focused.get("/api/stats").json()["totals"]["projects"] == 1
    nashik = next(p for p in whole.get("/api/projects").json()["items"] if p["name"].startswith("Nashik"))
    assert focused.get(f"/api/projects/{nashik['id']}").status_code == 404


def test_coopwatch_search_takes_the_same_focus(db):
    import json
    import subprocess
    import sys

    def ids(*focus: str) -> set[str]:
        done = subprocess.run([sys.executable, "-m", "coopwatch.cli", "search", "--db", db, "--json", *focus],
                              capture_output=True, text=True, timeout=300, check=True)
        return {json.loads(line)["id"] for line in done.stdout.splitlines()}

    assert ids("--focus", "CN,RU") == IN_CHINA_RUSSIA
    assert ids("--focus", "any") == ids() and len(ids()) == 6


def test_saved_output_of_a_narrow_extraction_is_ingested_whole_without_a_focus(tmp_path):
    """`extract --focus CN,RU` sets the China–Kazakhstan event apart; `ingest` (any pair) stores it after all."""
    from coopwatch.focus import refocus

    saved = {**RECORD[2], "events": [RECORD[2]["events"][0]], "out_of_focus": [RECORD[2]["events"][1]]}
    assert [e["countries"] for e in refocus(dict(saved), None)["events"]] == [["CN", "RU"], ["CN", "KZ"]]
    assert "out_of_focus" not in refocus(dict(saved), None)
    narrow = refocus(dict(saved), parse_focus("CN,KZ"))
    assert [e["countries"] for e in narrow["events"]] == [["CN", "KZ"]]
    assert [e["countries"] for e in narrow["out_of_focus"]] == [["CN", "RU"]]
