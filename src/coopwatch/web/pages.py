"""The web pages: server-rendered with Jinja2 (autoescaped), one small script for the chart, no CDN."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy import Connection

from ..data import sector_colours
from ..focus import sides_needed
from ..read.metadata import http_url
from ..store import resolution_search, search
from ..store.db import focus_of
from ..store.search import BadQuery, Filters
from .api import connection, missing

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# an article's original is a link only when it is http(s): a stored `javascript:` URL is shown as text
templates.env.filters["http_url"] = http_url
PAGE_SIZE = 25
FILTER_NAMES = ("q", "sector", "type", "plover", "country", "actor", "date_from", "date_to")


def form_fields(request: Request, names: tuple[str, ...]) -> dict:
    """A form's filter fields: empty ones mean no filter, dates are read, bad values are a 400 with the reason."""
    params = {name: (request.query_params.get(name) or "").strip() or None for name in names}
    for name in ("date_from", "date_to"):
        if params.get(name):
            try:
                params[name] = date.fromisoformat(params[name])
            except ValueError:
                raise BadQuery(f"{name} {params[name]!r} is not a date (YYYY-MM-DD)") from None
    if params.get("q") and len(params["q"]) > 300:
        raise BadQuery("the search is longer than 300 characters")
    return params


def page_filters(request: Request) -> Filters:
    return Filters(**form_fields(request, FILTER_NAMES)).validated()


def page_number(request: Request) -> int:
    raw = request.query_params.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise BadQuery(f"page {raw!r} is not a page number")
    return int(raw)


def link(path: str, f: Filters, **changes) -> str:
    """The URL of `path` with the current filters, some changed (None removes one)."""
    params = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in f.as_params().items() if k != "document"}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return path + ("?" + urlencode(params) if params else "")


def subject(sides: list[dict]) -> str:
    """What the record served is about, from `search.record_sides` (the focus, else the record's own main
    countries): 'China–Russia cooperation', 'Cooperation with India', 'Cooperation' if none."""
    if len(sides) == 1:
        return f"Cooperation with {sides[0]['name']}"
    return f"{'–'.join(c['name'] for c in sides)} cooperation" if sides else "Cooperation"


def focus_note(conn: Connection) -> dict | None:
    """What the overview says of a focus: its countries and how many events of the record it leaves unseen."""
    focus = focus_of(conn)
    if focus is None:
        return None
    sides = {1: "this country", 2: "both countries"}.get(len(focus), f"at least {sides_needed(focus)} of these countries")
    return {"countries": ", ".join(f"{c['name']} ({c['code']})" for c in search.record_sides(conn)),
            "sides": sides, "hidden": search.out_of_focus_count(conn)}


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)


def highlight(text: str, spans: list[dict], focus: tuple[int, int] | None = None) -> Markup:
    """The article text, escaped, with each extracted span in a <mark> whose classes say what it is.

    Overlapping spans are cut at every boundary, so each piece carries the classes of all spans over it.
    """
    cuts = {0, len(text)}
    for s in spans:
        cuts.update((max(0, s["start"]), min(len(text), s["end"])))
    if focus:
        cuts.update(focus)
    cuts = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    focus_opened = False
    for start, end in zip(cuts, cuts[1:]):
        piece = escape(text[start:end])
        over = [s for s in spans if s["start"] <= start and end <= s["end"]]
        classes = sorted({s["kind"] for s in over})
        in_focus = bool(focus and focus[0] <= start and end <= focus[1])
        if in_focus:
            classes.append("focus")
        if not classes:
            out.append(str(piece))
            continue
        titles = "; ".join(dict.fromkeys(s["label"] for s in over))
        anchor = ""
        if in_focus and not focus_opened:
            anchor, focus_opened = ' id="focus"', True
        out.append(f'<mark class="{" ".join(classes)}"{anchor} title="{escape(titles)}">{piece}</mark>')
    return Markup("".join(out))


def spans_of(spans: dict) -> list[dict]:
    out = [{"start": m["start"], "end": m["end"], "kind": "entity", "label": f"{m['type']}: {m['name']}"}
           for m in spans["mentions"]]
    out += [{"start": x["start"], "end": x["end"], "kind": "figure",
             "label": f"figure: {x['value']:g} {x['unit'] or ''} ({x['measure'] or ''})"} for x in spans["figures"]]
    out += [{"start": x["start"], "end": x["end"], "kind": "quote", "label": f"quote: {x['speaker'] or 'unknown'}"}
            for x in spans["quotes"]]
    out += [{"start": x["start"], "end": x["end"], "kind": "event", "label": f"event: {x['type']}"}
            for x in spans["events"]]
    return out


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, conn: Connection = Depends(connection)):
    per_month = search.events_per_month(conn)
    return render(request, "overview.html", totals=search.totals(conn), subject=subject(search.record_sides(conn)),
                  focus=focus_note(conn),
                  chart=per_month, colours=sector_colours(), top_actors=search.list_actors(conn, Filters(), limit=12),
                  latest=search.list_events(conn, Filters(), limit=10))


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, f: Filters = Depends(page_filters), page: int = Depends(page_number),
                conn: Connection = Depends(connection)):
    total = search.count_events(conn, f)
    rows = search.list_events(conn, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "events.html", f=f, rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                  facets=search.event_facets(conn, f), link=link, sectors=search.SECTORS,
                  types=search.EVENT_TYPES, countries=search.record_countries(conn), export=link("/api/events", f))


@router.get("/events/{event_id:path}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, conn: Connection = Depends(connection)):
    found = search.get_event(conn, event_id)
    if found is None:
        return error_page(request, 404, missing("event", event_id, conn))
    document = search.get_document(conn, found["document_id"])
    spans = search.document_spans(conn, found["document_id"])
    body = highlight(document["text"], spans_of(spans), focus=(found["start"], found["end"]))
    return render(request, "event.html", e=found, document=document, body=body, link=link, f=Filters(),
                  merged=resolution_search.event_group(conn, event_id), projects=resolution_search.projects_of_event(conn, event_id),
                  duplicate=resolution_search.duplicate_of(conn, found["document_id"]))


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, conn: Connection = Depends(connection)):
    document = search.get_document(conn, document_id)
    if document is None:
        return error_page(request, 404, f"no document {document_id!r}")
    spans = search.document_spans(conn, document_id)
    body = highlight(document["text"], spans_of(spans))
    events = search.list_events(conn, Filters(document=document_id), limit=500)
    return render(request, "document.html", document=document, body=body, events=events,
                  duplicate=resolution_search.duplicate_of(conn, document_id), copies=resolution_search.copies_of(conn, document_id))


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, f: Filters = Depends(page_filters), page: int = Depends(page_number),
                conn: Connection = Depends(connection)):
    total = search.count_actors(conn, f)
    rows = search.list_actors(conn, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "actors.html", f=f, rows=rows, total=total, page=page, page_size=PAGE_SIZE, link=link,
                  countries=search.record_countries(conn))


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str, conn: Connection = Depends(connection)):
    found = search.get_actor(conn, actor_id)
    if found is None:
        return error_page(request, 404, f"no actor {actor_id!r}")
    timeline = search.list_events(conn, Filters(actor=actor_id), limit=500)
    timeline.sort(key=lambda e: (e["day"] or "9999", e["id"]))
    quotes = search.list_quotes(conn, Filters(actor=actor_id), limit=500)
    return render(request, "actor.html", a=found, timeline=timeline, quotes=quotes)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, f: Filters = Depends(page_filters), conn: Connection = Depends(connection)):
    documents, events, total_documents, total_events = [], [], 0, 0
    if f.q:
        total_documents = search.count_documents(conn, f)
        documents = search.list_documents(conn, f, limit=PAGE_SIZE)
        total_events = search.count_events(conn, f)
        events = search.list_events(conn, f, limit=PAGE_SIZE)
    return render(request, "search.html", f=f, documents=documents, events=events,
                  total_documents=total_documents, total_events=total_events, link=link)


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The OpenAPI schema (/openapi.json) as a page: every endpoint with its parameters."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                           "description": p.get("description") or p.get("schema", {}).get("description", ""),
                           "type": _type_of(p.get("schema", {}))} for p in operation.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                              "parameters": parameters})
    return render(request, "api_docs.html", endpoints=endpoints, info=schema["info"])


def _type_of(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    return schema.get("format") or schema.get("type", "")
