"""A hostile record served: links to an article's original are http(s) only, every page sends a
Content-Security-Policy and the other security headers, CSV exports carry no formula, `next` links do not
trust the Host header, HEAD works, and a database fault is the server's 500, logged."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from coopwatch.read.metadata import http_url
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from coopwatch.web.app import create_app

HOSTILE_URLS = ["javascript:alert(document.domain)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                "JAVASCRIPT:alert(1)", "javascript://%0aalert(1)", "//evil.example/x", "https:evil.example"]
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]


def record(doc_id: str, url: str | None, title: str, sentence: str = "Rosatom and CNNC signed a hydrogen agreement.") -> dict:
    """A small extraction record in the contract's shape (as `coopwatch extract` writes it)."""
    text = f"{sentence} The deal covers research."
    return {
        "id": doc_id, "title": title, "url": url, "outlet": "Example", "published": "2024-05-06", "language": "en",
        "text": text, "source": f"{doc_id}.txt", "removed": [], "warnings": [],
        "entities": [{"name": "Rosatom", "type": "ORG", "country": "RU", "role": None, "mentions": [[0, 7]],
                      "canonical": None, "organization": None},
                     {"name": "CNNC", "type": "ORG", "country": "CN", "role": None, "mentions": [[12, 16]],
                      "canonical": None, "organization": None}],
        "quantities": [], "quotes": [],
        "events": [{"type": "agreement", "plover": "AGREE", "sectors": ["hydrogen"], "date": None, "status": None,
                    "actors": ["Rosatom", "CNNC"], "countries": ["CN", "RU"], "location": None, "quantities": [],
                    "sentence": sentence, "span": [0, len(sentence)], "trigger": "signed", "confidence": 0.9}],
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("hostile") / "hostile.db")
    engine = open_engine(db)
    migrate(engine)
    records = [record(f"hostile-{n}", url, FORMULAS[n % len(FORMULAS)]) for n, url in enumerate(HOSTILE_URLS)]
    records.append(record("formula-event", "https://news.example.org/ok", "A fine title",
                          sentence="=HYPERLINK(\"http://evil.example\",\"click\") Rosatom signed an agreement."))
    report = ingest_records(engine, records)
    assert report.stored == len(records), report.errors
    return db, TestClient(create_app(db), raise_server_exceptions=False)


def pages(db_client) -> list[str]:
    _, client = db_client
    ids = [f"hostile-{n}" for n in range(len(HOSTILE_URLS))] + ["formula-event"]
    urls = ["/", "/events", "/actors", "/actors/rosatom", "/projects", "/search?q=rosatom", "/api-docs",
            "/documents/nowhere"]
    urls += [f"/documents/{quote(i)}" for i in ids] + [f"/events/{quote(i + '#ev0')}" for i in ids]
    return urls


@pytest.mark.parametrize("url", ["javascript:x", " JaVaScRiPt:x", "java\tscript:x", "java\nscript:x",
                                 "\x00javascript:x", "data:text/html,x", "vbscript:x", "//host/x", "ftp://h/x",
                                 "https:host", None, 42])
def test_only_http_urls_may_be_links(url):
    assert http_url(url) is None


def test_http_and_https_urls_are_links():
    assert http_url("https://news.example.org/a?b=1") == "https://news.example.org/a?b=1"
    assert http_url("  HTTP://news.example.org/") == "HTTP://news.example.org/"


def test_no_page_links_to_a_hostile_url(hostile):
    _, client = hostile
    for url in pages(hostile):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        hrefs = re.findall(r"""(?:href|src|action)\s*=\s*["']?([^"'\s>]*)""", response.text, flags=re.I)
        for href in hrefs:
            assert href.startswith(("/", "?", "#", "http://", "https://")) and not href.startswith("//"), (url, href)
        assert "<script>alert" not in response.text


def test_a_hostile_url_is_shown_as_text(hostile):
    _, client = hostile
    page = client.get("/documents/hostile-0").text
    assert "javascript:alert(document.domain)" in page  # visible, so a reader sees what the source gave
    assert 'href="javascript' not in page.lower()
    fine = client.get("/documents/formula-event").text
    assert 'href="https://news.example.org/ok"' in fine


def test_every_page_sends_the_security_headers(hostile):
    _, client = hostile
    for url in pages(hostile) + ["/api/events", "/api/stats", "/static/chart.js", "/api/events?format=csv",
                                 "/api/nowhere", "/api/events?limit=0"]:
        headers = client.get(url).headers
        policy = headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert headers.get("x-content-type-options") == "nosniff", url
        assert headers.get("x-frame-options") == "DENY", url
        assert headers.get("referrer-policy"), url


def test_pages_hold_no_inline_script_or_style(hostile):
    _, client = hostile
    for url in pages(hostile):
        page = client.get(url).text
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
            assert "src=" in attributes or 'type="application/json"' in attributes, (url, body[:80])
        assert not re.search(r"\sstyle\s*=", page), url
        assert not re.search(r"\son[a-z]+\s*=", page), url


def test_csv_exports_carry_no_formula(hostile):
    _, client = hostile
    for name in ("events", "documents", "quotes", "actors"):
        response = client.get(f"/api/{name}", params={"format": "csv"})
        assert response.status_code == 200
        for row in csv.reader(io.StringIO(response.text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    titles = [r["title"] for r in csv.DictReader(io.StringIO(client.get("/api/documents?format=csv").text))]
    assert "'=cmd|' /C calc'!A0" in titles  # kept, as text


def test_next_links_are_relative_whatever_the_host_header(hostile):
    _, client = hostile
    page = client.get("/api/documents", params={"limit": 2}, headers={"Host": "evil.example"}).json()
    assert page["next"].startswith("/api/documents?") and "evil" not in page["next"]
    assert "offset=2" in page["next"] and "limit=2" in page["next"]


def test_head_answers_like_get_without_a_body(hostile, caplog):
    _, client = hostile
    for url in ("/", "/events", "/api/events", "/api/events?format=csv", "/documents/hostile-0"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "content-security-policy" in head.headers
    assert "server fault" not in caplog.text  # a HEAD ends quietly, an export's stream too


def test_a_database_fault_is_a_logged_500(hostile, caplog, monkeypatch):
    client = TestClient(create_app(hostile[0], cache=False), raise_server_exceptions=False)
    from sqlalchemy.exc import OperationalError

    from coopwatch.store import search

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(search, "list_events", broken)
    with caplog.at_level("ERROR", logger="coopwatch.web"):
        response = client.get("/api/events")
        page = client.get("/events", headers={"Accept": "text/html"})
        export = client.get("/api/events?format=csv")
    assert response.status_code == page.status_code == export.status_code == 500
    assert "content-disposition" not in export.headers  # it failed before the file began
    assert "disk I/O error" in caplog.text
    assert client.get("/api/events?limit=abc").status_code == 422  # the client's fault stays a 4xx


def test_an_export_that_fails_mid_way_ends_with_an_error(hostile, monkeypatch):
    client = TestClient(create_app(hostile[0], cache=False), raise_server_exceptions=False)
    from coopwatch.web import api

    def rows_then_fault(conn, f, lister):
        yield {"id": "first", "title": "fine"}
        raise RuntimeError("connection lost")

    monkeypatch.setattr(api, "_all_rows", rows_then_fault)
    jsonl = client.get("/api/documents?format=jsonl")
    assert jsonl.status_code == 200
    assert jsonl.text.strip().splitlines()[-1].startswith('{"error": ')
    text = client.get("/api/documents?format=csv").text
    assert text.strip().splitlines()[-1].startswith("# export failed")
