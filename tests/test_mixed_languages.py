"""Mixed-language ingest (issue #5): the example articles in English, Russian and Chinese go into one record, and an
actor the gazetteer knows is one actor row, keyed on its `canonical` name, whose entities and events come from every
language that names it — through the store, the JSON API and the actor page."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from coopwatch.store.ingest import actor_key
from coopwatch.web.app import create_app

from .store_support import sqlite_db


@pytest.fixture(scope="module")
def db():
    conn = sqlite3.connect(sqlite_db())
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(sqlite_db()), raise_server_exceptions=False)


def languages_by_actor(db, query: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for actor_id, language in db.execute(query):
        found[actor_id].add(language)
    return found


def entity_languages(db) -> dict[str, set[str]]:
    return languages_by_actor(db, "SELECT e.actor_id, d.language FROM entities e JOIN documents d ON d.id = e.document_id")


def event_languages(db) -> dict[str, set[str]]:
    return languages_by_actor(db, "SELECT ea.actor_id, d.language FROM event_actors ea "
                                  "JOIN events ev ON ev.id = ea.event_id JOIN documents d ON d.id = ev.document_id")


def test_the_examples_are_in_three_languages(db):
    assert {r[0] for r in db.execute("SELECT DISTINCT language FROM documents")} >= {"en", "ru", "zh"}


def test_a_known_actor_is_one_row_keyed_on_its_canonical_name(db):
    rows = db.execute("SELECT actor_id, name, canonical FROM entities WHERE canonical IS NOT NULL").fetchall()
    assert rows
    assert all(r["actor_id"] == actor_key(r["canonical"]) for r in rows), \
        [tuple(r) for r in rows if r["actor_id"] != actor_key(r["canonical"])][:5]
    # no second row under a Russian or Chinese spelling of a gazetteer actor
    ids = {r[0] for r in db.execute("SELECT id FROM actors")}
    assert not ids & {actor_key(n) for n in ("Росатом", "Газпром", "Си Цзиньпин", "俄罗斯天然气工业股份公司", "习近平")}


def test_facts_of_one_actor_come_from_every_language_that_names_it(db):
    entities, events = entity_languages(db), event_languages(db)
    # the two leaders are named in all three languages; both companies in English and one other
    for actor in ("xi-jinping", "vladimir-putin"):
        assert entities[actor] >= {"en", "ru", "zh"}, (actor, entities[actor])
        assert events[actor] >= {"en", "ru", "zh"}, (actor, events[actor])
    assert entities["rosatom"] >= {"en", "ru"} and events["rosatom"] >= {"en", "ru"}
    assert entities["gazprom"] >= {"en", "zh"} and events["gazprom"] >= {"en", "zh"}
    counted = db.execute("SELECT document_count FROM actors WHERE id = 'xi-jinping'").fetchone()[0]
    assert counted == db.execute("SELECT count(DISTINCT document_id) FROM entities WHERE actor_id = 'xi-jinping'"
                                 ).fetchone()[0]


def test_the_api_and_the_actor_page_show_an_actor_in_all_languages(db, client):
    language_of = dict(db.execute("SELECT id, language FROM documents").fetchall())
    actor = client.get("/api/actors/xi-jinping").json()
    assert {language_of[e["document_id"]] for e in actor["events"]} >= {"en", "ru", "zh"}
    assert {"Си Цзиньпин", "习近平"} <= set(actor["aliases"])
    rosatom = client.get("/api/actors/rosatom").json()
    assert {language_of[e["document_id"]] for e in rosatom["events"]} >= {"en", "ru"}
    page = client.get("/actors/xi-jinping")
    assert page.status_code == 200
    for language in ("en", "ru", "zh"):
        event = next(e for e in actor["events"] if language_of[e["document_id"]] == language)
        assert f"/events/{quote(event['id'])}" in page.text, language


REPORTS = [  # one signing, told in three languages by three outlets (written for this test)
    {"id": "mx-en", "published": "2024-03-06", "title": "Rosatom and CNNC sign fast reactor fuel contract",
     "text": "Russia's Rosatom and China National Nuclear Corporation (CNNC) signed a contract on the supply of fuel "
             "for China's CFR-600 fast reactor in Beijing on March 5, 2024, the companies said."},
    {"id": "mx-ru", "published": "2024-03-06", "title": "Росатом и CNNC подписали контракт",
     "text": "Госкорпорация «Росатом» и Китайская национальная ядерная корпорация 5 марта 2024 года подписали в "
             "Пекине контракт на поставку топлива для китайского реактора на быстрых нейтронах CFR-600."},
    {"id": "mx-zh", "published": "2024-03-06", "title": "中俄签署快堆燃料合同",
     "text": "2024年3月5日，俄罗斯国家原子能公司与中国核工业集团有限公司在北京签署了CFR-600快堆燃料供应合同。"},
]


def test_one_event_told_in_three_languages_is_one_event_with_three_sources(tmp_path):
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_articles
    from coopwatch.resolve import resolve
    from coopwatch.store.db import open_engine
    from coopwatch.store.ingest import ingest_records
    from coopwatch.store.migrations import migrate
    from coopwatch.store.resolution import update

    records = list(extract_articles(Article(source="t", **r) for r in REPORTS))
    assert sorted(r["language"] for r in records) == ["en", "ru", "zh"]
    merged = [e for e in resolve(records).events if e.type == "agreement"]
    assert [sorted(s["doc"] for s in e.sources) for e in merged] == [["mx-en", "mx-ru", "mx-zh"]]

    engine = open_engine(str(tmp_path / "record.db"))  # the same, ingested one report at a time
    migrate(engine)
    for record in records:
        ingest_records(engine, [record])
        update(engine)
    with engine.connect() as conn:
        groups = conn.exec_driver_sql("SELECT group_id, COUNT(*) FROM merged_event_members GROUP BY group_id").all()
    assert [n for _, n in groups] == [3]
