"""Issue 4 in the record: near-duplicates linked on ingest (also against earlier runs) and left out of counts,
merged events and projects stored, served by the API and the pages, on SQLite and PostgreSQL.

The resolve fixtures (tests/fixtures/resolve/articles.jsonl) and the examples are ingested by the real
`coopwatch ingest` in two runs: the originals first, then the copies (a republication with a cut ending and a new
title, an exact copy, edited copies of two examples).
"""
from __future__ import annotations

import json
import sqlite3
from urllib.parse import quote

import psycopg
import pytest
from fastapi.testclient import TestClient

from coopwatch.web.app import create_app

from .store_support import ROOT, WORK, articles_dir, coopwatch, postgres_url

pytest.importorskip("datasketch")

ARTICLES = ROOT / "tests" / "fixtures" / "resolve" / "articles.jsonl"
COPIES = {"r03-gas-contract-republished", "r04-gas-contract-exact", "r20-pos-copy", "r21-lunar-copy"}
HAVAL = {"r05-haval-plans", "r06-haval-agreement", "r07-haval-construction", "r08-haval-production"}


def _split_fixtures() -> tuple[str, str]:
    folder = WORK / "resolution"
    folder.mkdir(exist_ok=True)
    lines = [line for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    first, second = folder / "originals.jsonl", folder / "copies.jsonl"
    first.write_text("".join(l + "\n" for l in lines if json.loads(l)["id"] not in COPIES), encoding="utf-8")
    second.write_text("".join(l + "\n" for l in lines if json.loads(l)["id"] in COPIES), encoding="utf-8")
    return str(first), str(second)


def _snapshot(db: str) -> dict:
    client = TestClient(create_app(db))
    try:
        return {"totals": client.get("/api/stats").json()["totals"],
                "per_month": client.get("/api/stats").json()["per_month"],
                "facets": client.get("/api/events/facets").json(),
                "gazprom": client.get("/api/actors/gazprom").json()["event_count"],
                "oil_gas": client.get("/api/events", params={"sector": "oil_gas", "limit": 1}).json()["total"],
                "figures": client.get("/api/figures", params={"limit": 1}).json()["total"],
                "quotes": client.get("/api/quotes", params={"limit": 1}).json()["total"]}
    finally:
        client.app.state.engine.dispose()


@pytest.fixture(scope="module")
def record() -> tuple[str, dict]:
    """(SQLite file after both runs, the counts the API gave after the first run)."""
    first, second = _split_fixtures()
    db = str(WORK / "resolution" / "record.db")
    coopwatch("ingest", str(articles_dir()), first, "--db", db, "--quiet")
    before = _snapshot(db)
    coopwatch("ingest", second, "--db", db, "--quiet")
    return db, before


@pytest.fixture(scope="module")
def client(record) -> TestClient:
    client = TestClient(create_app(record[0]), raise_server_exceptions=False)
    yield client
    client.app.state.engine.dispose()


def rows(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


# ---- duplicates

def test_a_copy_ingested_in_a_later_run_is_linked_to_its_original(record):
    db, _ = record
    links = {doc: (original, kind, rule, jaccard, containment) for doc, original, kind, rule, jaccard, containment in
             rows(db, "SELECT document_id, original_id, kind, rule, jaccard, containment FROM document_duplicates")}
    assert set(links) == COPIES
    original, kind, _, jaccard, containment = links["r03-gas-contract-republished"]
    assert (original, kind) == ("r01-gas-contract-xinhua", "near") and 0.5 <= jaccard < 1 and containment > 0.9
    assert links["r04-gas-contract-exact"][:2] == ("r02-gas-contract-wire", "exact")
    assert links["r20-pos-copy"][0] == "02_power-of-siberia" and links["r21-lunar-copy"][0] == "08_lunar-station-cr929"
    # every stored article has its signature, and only articles long enough have LSH band keys
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == rows(db, "SELECT count(*) FROM document_signatures")[0][0]


def test_facts_of_copies_are_not_counted_again(record, client):
    db, before = record
    after = _snapshot(db)
    assert after["totals"]["documents"] == before["totals"]["documents"] + len(COPIES)
    for key in ("per_month", "facets", "gazprom", "oil_gas", "figures", "quotes"):
        assert after[key] == before[key], key
    assert after["totals"]["events"] == before["totals"]["events"] and after["totals"]["duplicates"] == len(COPIES)
    listed = {e["document_id"] for e in client.get("/api/events", params={"limit": 500}).json()["items"]}
    assert not listed & COPIES
    # still reachable: asked for, by document, and by id
    every = client.get("/api/events", params={"limit": 500, "include_duplicates": 1}).json()
    assert "r03-gas-contract-republished" in {e["document_id"] for e in every["items"]}
    own = client.get("/api/events", params={"document": "r03-gas-contract-republished"}).json()["items"]
    assert own and client.get(f"/api/events/{quote(own[0]['id'])}").json()["duplicate_of"]["original_id"] == \
        "r01-gas-contract-xinhua"
    page = client.get("/documents/r03-gas-contract-republished").text
    assert 'id="duplicate-of"' in page and "/documents/r01-gas-contract-xinhua" in page
    dups = client.get("/api/duplicates").json()
    assert dups["total"] == len(COPIES) and {d["document_id"] for d in dups["items"]} == COPIES


def test_the_duplicate_threshold_is_an_ingest_option(tmp_path):
    first, second = _split_fixtures()
    strict = tmp_path / "strict.jsonl"
    lines = [l for l in open(first, encoding="utf-8") if json.loads(l)["id"] == "r01-gas-contract-xinhua"]
    lines += [l for l in open(second, encoding="utf-8") if json.loads(l)["id"] == "r03-gas-contract-republished"]
    strict.write_text("".join(lines), encoding="utf-8")
    db = str(tmp_path / "strict.db")
    # the cut copy passes by containment too: a threshold alone over 1 leaves only containment
    coopwatch("ingest", str(strict), "--db", db, "--quiet", "--dup-threshold", "0.95")
    assert rows(db, "SELECT document_id, rule FROM document_duplicates") == [("r03-gas-contract-republished",
                                                                             "containment")]


# ---- merged events and projects

def test_two_articles_about_one_agreement_are_one_event_with_both_sources(record, client):
    db, _ = record
    groups = rows(db, "SELECT m.group_id, group_concat(m.document_id) FROM merged_event_members m "
                      "JOIN merged_events g ON g.id = m.group_id JOIN events e ON e.id = m.event_id "
                      "WHERE g.type = 'agreement' AND g.date_value = '2014-05-21' GROUP BY m.group_id")
    both = [g for g, docs in groups if {"r01-gas-contract-xinhua", "r02-gas-contract-wire"} <= set(docs.split(","))]
    assert len(both) == 1
    event_id = rows(db, "SELECT event_id FROM merged_event_members WHERE group_id = ? AND document_id = ?",
                    both[0], "r02-gas-contract-wire")[0][0]
    merged = client.get(f"/api/events/{quote(event_id)}").json()["merged"]
    docs = [s["document_id"] for s in merged["sources"]]
    assert {"r01-gas-contract-xinhua", "r02-gas-contract-wire"} <= set(docs) and len(docs) == len(set(docs))
    assert not set(docs) & COPIES and merged["merge"] and merged["date_value"] == "2014-05-21"
    assert "merged-sources" in client.get(f"/events/{quote(event_id)}").text


def test_a_plant_told_by_four_articles_is_one_operating_project(client):
    listed = client.get("/api/projects", params={"q": "haval"}).json()
    assert listed["total"] == 1
    project = client.get(f"/api/projects/{listed['items'][0]['id']}").json()
    assert project["name"] == "Haval plant" and project["status"] == "operating"
    stages = [t["stage"] for t in project["timeline"] if t["stage"]]
    assert stages == ["announced", "agreed", "under construction", "operating"]
    days = [t["day"] for t in project["timeline"] if t["stage"]]
    assert days == sorted(days)
    assert HAVAL <= {s["document_id"] for s in project["sources"]}
    assert "nev" in project["sectors"]
    assert "Great Wall Motor" in [p["name"] for p in project["participants"]["CN"]]
    assert [f for f in project["figures"] if f["date"]]
    html = client.get(f"/projects/{project['id']}").text
    assert 'id="timeline-chart"' in html and html.count('class="point"') >= 4 and "operating" in html


@pytest.mark.parametrize("params, check", [
    ({"sector": "nev"}, lambda p: "nev" in p["sectors"]),
    ({"status": "operating"}, lambda p: p["status"] == "operating"),
    ({"country": "cn"}, lambda p: any(x.endswith("(CN)") for x in p["participants"])),
    ({"date_from": "2019-01-01", "date_to": "2019-12-31"},
     lambda p: p["first_day"] <= "2019-12-31" and p["last_day"] >= "2019-01-01"),
])
def test_project_filters_select_what_they_say(client, params, check):
    found = client.get("/api/projects", params={**params, "limit": 500}).json()
    assert found["items"] and all(check(p) for p in found["items"]), params
    assert found["total"] < client.get("/api/projects").json()["total"]


def test_projects_export_and_errors(client):
    csv_text = client.get("/api/projects", params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("id,name,status") and "Haval plant" in csv_text
    lines = client.get("/api/projects", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == client.get("/api/projects").json()["total"]
    assert client.get("/api/projects", params={"status": "dreamt"}).status_code == 400
    assert client.get("/api/projects/prj_nope").status_code == 404
    assert client.get("/projects/prj_nope").status_code == 404
    assert "/api/projects" in client.get("/openapi.json").json()["paths"]


def test_actor_endpoints_follow_merges(client):
    alias = client.get("/api/actors/sergei-volkov").json()
    assert alias["id"] == "sergey-volkov" and "Sergei Volkov" in alias["aliases"]
    assert [m["rule"] for m in alias["merged"]] == ["transliteration"]
    listed = {a["id"] for a in client.get("/api/actors", params={"q": "volkov"}).json()["items"]}
    assert listed == {"sergey-volkov"}


def test_rebuilding_the_resolution_changes_nothing(record, tmp_path):
    db, _ = record
    tables = ("actor_merges", "merged_events", "merged_event_members", "projects", "project_timeline",
              "project_participants", "project_figures", "project_sources", "document_duplicates")
    before = {t: sorted(rows(db, f"SELECT * FROM {t}")) for t in tables}
    coopwatch("resolve", "--db", db, "-o", str(tmp_path / "out"))
    assert {t: sorted(rows(db, f"SELECT * FROM {t}")) for t in tables} == before
    review = (tmp_path / "out" / "review.md").read_text(encoding="utf-8")
    assert "r03-gas-contract-republished" in review and "Haval plant — operating" in review
    listed = coopwatch("projects", "--db", db, "--sector", "nev", "--status", "operating", "--country", "CN").stdout
    assert "Haval plant [operating]" in listed and "Yamal LNG" not in listed


def test_ingest_can_leave_resolution_for_later(tmp_path):
    """`ingest --no-resolve` stores and links copies but builds no projects; `resolve --db` builds them."""
    first, second = _split_fixtures()
    db = str(tmp_path / "later.db")
    coopwatch("ingest", first, second, "--db", db, "--quiet", "--no-resolve")
    assert rows(db, "SELECT count(*) FROM projects") == [(0,)]
    assert rows(db, "SELECT count(*) FROM document_duplicates")[0][0] >= 2  # linked on ingest all the same
    coopwatch("resolve", "--db", db, "-o", str(tmp_path / "out"))
    assert rows(db, "SELECT count(*) FROM projects WHERE name = 'Haval plant' AND status = 'operating'") == [(1,)]


# ---- PostgreSQL

def test_postgres_builds_the_same_projects(record):
    url = postgres_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS resolution")
        conn.execute("CREATE DATABASE resolution")
    pg = url.rsplit("/", 1)[0] + "/resolution"
    first, second = _split_fixtures()
    # in two runs, as the SQLite record: the second resolves incrementally through the index
    coopwatch("ingest", str(articles_dir()), first, "--db", pg, "--quiet")
    coopwatch("ingest", second, "--db", pg, "--quiet")
    client = TestClient(create_app(pg))
    try:
        haval = client.get("/api/projects", params={"q": "Haval", "status": "operating"}).json()["items"]
        assert [p["name"] for p in haval] == ["Haval plant"]
        project = client.get(f"/api/projects/{haval[0]['id']}").json()
        assert [t["stage"] for t in project["timeline"] if t["stage"]] == \
            ["announced", "agreed", "under construction", "operating"]
        on_pg = {(p["id"], p["status"]) for p in client.get("/api/projects", params={"limit": 500}).json()["items"]}
        assert client.get("/api/duplicates").json()["total"] == len(COPIES)
    finally:
        client.app.state.engine.dispose()
    assert on_pg == set(rows(record[0], "SELECT id, status FROM projects"))
    with psycopg.connect(pg) as conn:
        for table in ("merged_event_members", "project_sources", "document_duplicates"):
            assert sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) == \
                sorted(rows(record[0], f"SELECT * FROM {table}"), key=repr), table
    # the copies first and their originals later, incrementally on PostgreSQL too (seniority compared in SQL)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS resolution_reversed")
        conn.execute("CREATE DATABASE resolution_reversed")
    reversed_pg = url.rsplit("/", 1)[0] + "/resolution_reversed"
    coopwatch("ingest", second, "--db", reversed_pg, "--quiet")
    coopwatch("ingest", first, str(articles_dir()), "--db", reversed_pg, "--quiet")
    with psycopg.connect(reversed_pg) as conn:
        for table in RESOLUTION_TABLES:
            assert sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) == \
                tables(record[0])[table], table


def test_an_earlier_original_arriving_later_takes_over_its_copies(tmp_path):
    """Links are re-pointed when the group's earliest article is stored after its copies (no extraction needed)."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.ingest import record_hash, store_records
    from coopwatch.store.migrations import migrate

    story = " ".join(f"Paragraph {n} tells how the joint venture built plant number {n} near the river "
                     f"and hired {n * 10} workers from the region." for n in range(12))
    def article(doc, published, text):
        return {"id": doc, "published": published, "text": text, "entities": [], "quantities": [], "quotes": [],
                "events": []}
    copy = article("b-copy", "2020-01-03", story)
    cut = article("c-cut", "2020-01-05", story[: len(story) // 3])
    original = article("a-original", "2020-01-01", "Breaking: " + story)
    engine = open_engine(str(tmp_path / "order.db"))
    migrate(engine)
    for batch in ([copy], [cut], [original]):
        with engine.begin() as conn:
            store_records(conn, batch, [record_hash(r) for r in batch])
    db = str(tmp_path / "order.db")
    assert sorted(rows(db, "SELECT document_id, original_id, kind FROM document_duplicates")) == [
        ("b-copy", "a-original", "near"), ("c-cut", "a-original", "near")]
    assert rows(db, "SELECT rule FROM document_duplicates WHERE document_id = 'c-cut'") == [("containment",)]


def test_a_record_from_before_the_resolution_tables_upgrades(record, tmp_path):
    """Migration 3 on a record without the issue-4 tables, then the rebuild ingest runs: every stored article is
    signed and its copies linked, as if they had been stored with them."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.migrations import MIGRATIONS
    from coopwatch.store.resolution import rebuild

    old = tmp_path / "old.db"
    with sqlite3.connect(record[0]) as source, sqlite3.connect(old) as target:
        source.backup(target)
    links = sorted(rows(str(old), "SELECT document_id, original_id, kind FROM document_duplicates"))
    projects = sorted(rows(str(old), "SELECT id, status FROM projects"))
    with sqlite3.connect(old) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        for table in ("project_sources", "project_figures", "project_timeline", "project_participants",
                      "project_sectors", "projects", "merged_event_members", "merged_events", "actor_merges",
                      "document_duplicates", "document_bands", "document_signatures"):
            conn.execute(f"DROP TABLE {table}")
    engine = open_engine(str(old))
    with engine.begin() as conn:
        next(apply for number, _, apply in MIGRATIONS if number == 3)(conn)
    rebuild(engine)
    engine.dispose()
    assert sorted(rows(str(old), "SELECT document_id, original_id, kind FROM document_duplicates")) == links
    assert sorted(rows(str(old), "SELECT id, status FROM projects")) == projects


# ---- the same record whatever the order of ingests (issues 13 and 15)

RESOLUTION_TABLES = ("document_duplicates", "actor_merges", "merged_events", "merged_event_members", "projects",
                     "project_sectors", "project_participants", "project_timeline", "project_figures",
                     "project_sources")


def tables(db: str) -> dict[str, list]:
    return {table: sorted(rows(db, f"SELECT * FROM {table}"), key=repr) for table in RESOLUTION_TABLES}


def test_the_copies_first_and_the_originals_later_give_the_same_record(record, tmp_path):
    first, second = _split_fixtures()
    db = str(tmp_path / "reversed.db")
    coopwatch("ingest", second, "--db", db, "--quiet")
    coopwatch("ingest", first, str(articles_dir()), "--db", db, "--quiet")
    assert tables(db) == tables(record[0])
    # every stored link is a pair over a threshold, never a link through another copy
    assert not rows(db, "SELECT document_id FROM document_duplicates WHERE kind = 'near' AND jaccard < threshold "
                        "AND containment < 0.8")


def _story(n_changed: int) -> str:
    """Forty sentences of one story, the first `n_changed` told in other words."""
    told = [f"On day {n} the builders of the joint plant poured concrete for block {n} beside the river."
            for n in range(40)]
    return " ".join(f"Reporters heard on day {n} that crews at the site finished block {n} ahead of time."
                    if n < n_changed else s for n, s in enumerate(told))


def _bare(doc: str, published: str, text: str) -> dict:
    return {"id": doc, "published": published, "text": text, "entities": [], "quantities": [], "quotes": [],
            "events": []}


@pytest.mark.parametrize("order", [("a", "b", "c"), ("c", "b", "a"), ("b", "c", "a")])
def test_a_copy_of_a_copy_points_at_the_copy_it_resembles(tmp_path, order):
    """c is close to b and b to a, but c is too far from a: c copies b, b copies a, in every ingest order, and
    no link is stored under the threshold."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.ingest import record_hash, store_records
    from coopwatch.store.migrations import migrate

    articles = {"a": _bare("a", "2021-03-01", _story(0)), "b": _bare("b", "2021-03-02", _story(12)),
                "c": _bare("c", "2021-03-03", _story(24))}
    engine = open_engine(str(tmp_path / "chain.db"))
    migrate(engine)
    for doc in order:
        with engine.begin() as conn:
            store_records(conn, [articles[doc]], [record_hash(articles[doc])])
    links = rows(str(tmp_path / "chain.db"), "SELECT document_id, original_id, jaccard, threshold FROM "
                                              "document_duplicates ORDER BY document_id")
    assert [(d, o) for d, o, _, _ in links] == [("b", "a"), ("c", "b")]
    assert all(j >= threshold for _, _, j, threshold in links)
    # the file resolver links the same pairs
    from coopwatch.resolve.duplicates import find_duplicates

    found = find_duplicates([articles[d] for d in reversed(order)])
    assert sorted((l.doc, l.original) for l in found.links) == [("b", "a"), ("c", "b")]


# ---- incremental resolution (issue 15)

def _stored_records(db: str) -> list[dict]:
    """The record's articles as extraction records (no extraction needed to store them again)."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.resolution import load_records

    engine = open_engine(db)
    with engine.connect() as conn:
        records = load_records(conn)
    engine.dispose()
    return records


def _ingest_in_batches(path, batches: list[list[dict]]) -> list:
    """Store each batch and resolve it as `coopwatch ingest` does; returns what each resolution was."""
    from coopwatch.store.db import open_engine
    from coopwatch.store.ingest import record_hash, store_records
    from coopwatch.store.migrations import migrate
    from coopwatch.store.resolution import update

    engine = open_engine(str(path))
    migrate(engine)
    done = []
    for batch in batches:
        with engine.begin() as conn:
            store_records(conn, batch, [record_hash(r) for r in batch])
        done.append(update(engine))
    engine.dispose()
    return done


def test_newer_articles_settle_incrementally_into_the_same_record_as_a_rebuild(record, tmp_path):
    """Articles arriving in publication order, a few at a time: every ingest after the first resolves only the
    new articles against the record's index, and the tables equal a full `resolve --db` of the same articles."""
    from coopwatch.store.resolution import Incremental

    records = sorted(_stored_records(record[0]), key=lambda r: (r["published"] or "9999", r["id"]))
    batches = [records[:20]] + [records[i:i + 7] for i in range(20, len(records), 7)]
    done = _ingest_in_batches(tmp_path / "daily.db", batches)
    assert all(isinstance(d, Incremental) for d in done[1:]), [type(d).__name__ for d in done]
    assert sum(d.articles for d in done[1:]) == len(records) - 20
    daily = tables(str(tmp_path / "daily.db"))
    coopwatch("resolve", "--db", str(tmp_path / "daily.db"), "-o", str(tmp_path / "out"))
    assert tables(str(tmp_path / "daily.db")) == daily
    assert daily == tables(record[0])
    assert [p for p in daily["projects"] if p[1] == "Haval plant"]


def test_an_older_article_arriving_later_gives_the_same_record(record, tmp_path):
    """In another order (newest first, and shuffled), what was settled after an older article's time is settled
    again after it: the same tables."""
    import random

    from coopwatch.store.resolution import Incremental

    records = sorted(_stored_records(record[0]), key=lambda r: (r["published"] or "9999", r["id"]), reverse=True)
    newest = _ingest_in_batches(tmp_path / "newest-first.db", [records[i:i + 9] for i in range(0, len(records), 9)])
    random.Random(15).shuffle(records)
    shuffled = _ingest_in_batches(tmp_path / "shuffled.db", [records[i:i + 5] for i in range(0, len(records), 5)])
    # older articles settle incrementally too (the settled events they can merge with settle again after them), as
    # do stored articles that become copies of an older one and events whose actors now resolve otherwise
    why = ["incremental" if isinstance(d, Incremental) else d.rebuilt_because for d in newest + shuffled]
    assert why == ["no index yet"] + ["incremental"] * (len(newest) - 1) + ["no index yet"] + \
        ["incremental"] * (len(shuffled) - 1), why
    assert tables(str(tmp_path / "newest-first.db")) == tables(record[0])
    assert tables(str(tmp_path / "shuffled.db")) == tables(record[0])


def test_projects_of_a_record_are_read_from_its_tables(record, tmp_path):
    """`coopwatch projects --db` lists what the project tables hold (here edited by hand), not a recomputation."""
    copy = tmp_path / "edited.db"
    with sqlite3.connect(record[0]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE projects SET name = 'Haval plant as stored' WHERE name = 'Haval plant'")
    listed = coopwatch("projects", "--db", str(copy), "--format", "jsonl").stdout.splitlines()
    names = {json.loads(line)["name"] for line in listed}
    assert "Haval plant as stored" in names and "Haval plant" not in names
    assert len(listed) == rows(str(copy), "SELECT count(*) FROM projects")[0][0]
    haval = next(json.loads(line) for line in listed if json.loads(line)["name"] == "Haval plant as stored")
    assert haval["status"] == "operating" and "Great Wall Motor" in haval["participants"]["CN"]
    # a plant's units are stored as its components, each timeline entry saying which units it is about
    tianwan = next(json.loads(line) for line in listed if json.loads(line)["key"] == "tianwan power plant")
    assert {"unit 7", "unit 8"} <= {c["name"] for c in tianwan["components"]}
    assert ["unit 8"] in [t["components"] for t in tianwan["timeline"]]


def test_a_replaced_article_gives_the_record_of_its_new_version(record, tmp_path):
    """An article stored again with other content (here its events dropped) is resolved as if it had always been
    the new version."""
    records = sorted(_stored_records(record[0]), key=lambda r: r["id"])
    haval = next(r for r in records if r["id"] == "r07-haval-construction")
    changed = dict(haval, title="Corrected", events=[])
    _ingest_in_batches(tmp_path / "replaced.db", [records, [changed]])
    _ingest_in_batches(tmp_path / "fresh.db", [[changed if r is haval else r for r in records]])
    assert tables(str(tmp_path / "replaced.db")) == tables(str(tmp_path / "fresh.db"))
    assert not rows(str(tmp_path / "replaced.db"), "SELECT * FROM merged_event_members WHERE document_id = ?",
                    "r07-haval-construction")


def test_resolve_of_files_gives_what_the_record_holds(record):
    """`coopwatch resolve FILES` (the pure functions) on the record's articles: the same duplicate links, merged
    events and projects as the record built by two incremental ingests."""
    from coopwatch.resolve import resolve

    res = resolve(_stored_records(record[0]))
    db = record[0]
    assert sorted((d.doc, d.original, d.kind) for d in res.duplicates.links) == sorted(
        rows(db, "SELECT document_id, original_id, kind FROM document_duplicates"))
    assert sorted(e.id for e in res.events) == sorted(r[0] for r in rows(db, "SELECT id FROM merged_events"))
    assert sorted((p.id, p.name, p.status, len(p.events)) for p in res.projects) == sorted(
        rows(db, "SELECT id, name, status, events FROM projects"))
