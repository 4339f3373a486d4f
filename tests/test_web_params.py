"""Odd parameter values on every list, API and page alike: an answer (200) or a 4xx that says why, never a 500."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from coopwatch.web.app import create_app

from .store_support import sqlite_db

# at least these; every other GET route without a path parameter is read from the app and swept too
API_LISTS = ["/api/documents", "/api/events", "/api/actors", "/api/entities", "/api/figures", "/api/quotes",
             "/api/events/facets", "/api/stats", "/api/network.json", "/api/network.graphml"]
PAGES = ["/", "/events", "/actors", "/search"]
FTS_SYNTAX = ['"', '""', "*", "hydro*", "NEAR(", "NEAR(a b", "a NOT", "AND", "OR OR", "(", ")", "^", "-gas", ":", "{a}",
              'a" OR "b', "title:lunar", "' OR 1=1 --"]
ODD = {
    "q": FTS_SYNTAX + ["", " ", "%", "_", "\\", "%00", "🙂", "中俄 合作", "Россия и Китай", "x" * 301, "a" * 300],
    "date_from": ["2020-13-01", "2020-02-30", "soon", "0000-01-01", "99999-01-01", "2020-1-1", "-1", "2020-01-01T00:00"],
    "date_to": ["1900-01-01", "9999-12-31", "yesterday", "2020/01/01"],
    "sector": ["spaceships", "NUCLEAR", "nuclear'--", "🙂", "x" * 41],
    "type": ["war", "AGREEMENT", "x" * 21],
    "plover": ["FIGHT", "aid", "x" * 21],
    "country": ["RUS", "R", "1!", "ру", "🙂"],
    "actor": ["nobody", "🙂", "%", "x" * 256, "Rosatom\u0000"],
    "document": ["nope", "../../etc/passwd", "x" * 256],
    "limit": ["-5", "0", "abc", "1e3", "501", "99999999999999999999"],
    "offset": ["-1", "abc", "100000000", "100000001", "99999999999999999999"],
    "format": ["xml", "CSV", ""],
    "min_weight": ["0", "-1", "abc"],
    "page": ["0", "-1", "abc", "1.5", "99999999", "1000001"],
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(sqlite_db()), raise_server_exceptions=False)


def _cases(paths: list[str]):
    for path in paths:
        for name, values in ODD.items():
            for value in values:
                yield path, name, value


def _check(response, url: str, html: bool) -> None:
    assert response.status_code < 500, (url, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert 400 <= response.status_code < 500, url
        if html:
            assert "text/html" in response.headers["content-type"], url
            assert str(response.status_code) in response.text, url
        else:
            assert response.json()["detail"], url


def _lists(app) -> tuple[list[str], list[str]]:
    """The app's GET routes without a path parameter: API lists and pages."""
    gets = [r.path for r in app.routes if "GET" in getattr(r, "methods", ()) and "{" not in r.path]
    api = sorted(set(API_LISTS) | {p for p in gets if p.startswith("/api/")})
    pages = sorted(set(PAGES) | {p for p in gets if not p.startswith(("/api", "/static", "/openapi"))})
    return api, pages


def test_api_lists_answer_odd_values_with_200_or_a_4xx_reason(client):
    api, _ = _lists(client.app)
    for path, name, value in _cases(api):
        url = f"{path}?{name}={value}"
        _check(client.get(path, params={name: value.replace("%00", "\u0000")}), url, html=False)


def test_pages_answer_odd_values_with_200_or_a_4xx_page(client):
    _, pages = _lists(client.app)
    for path, name, value in _cases(pages):
        url = f"{path}?{name}={value}"
        _check(client.get(path, params={name: value.replace("%00", "\u0000")}, headers={"accept": "text/html"}),
               url, html=True)


def test_specific_answers(client):
    # a page past the end is an empty page, not an error
    far = client.get("/api/events", params={"offset": 100_000_000})
    assert far.status_code == 200 and far.json()["items"] == []
    # bad values are named in the message
    assert "spaceships" in client.get("/api/events", params={"sector": "spaceships"}).json()["detail"]
    assert "date_from" in " ".join(client.get("/api/events", params={"date_from": "soon"}).json()["detail"])
    assert "soon" in client.get("/events", params={"date_from": "soon"}, headers={"accept": "text/html"}).text
    assert client.get("/api/events", params={"limit": -5}).status_code == 422
    # FTS syntax is searched for as words, never run as a query
    assert client.get("/api/events", params={"q": 'NEAR("gas" pipeline'}).status_code == 200
    assert client.get("/api/documents", params={"q": "*"}).status_code == 400
    # a lower-case PLOVER code is the same code
    assert client.get("/api/events", params={"plover": "aid"}).status_code == 200
