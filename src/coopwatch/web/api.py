"""The JSON API: lists with filters and pagination, single items by stable id, exports, the actor network."""
from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import date
from typing import Literal

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Connection

from ..store import resolution_search, search
from ..focus import focus_text
from ..store.db import focus_of, with_focus
from ..store.search import Filters

router = APIRouter(prefix="/api", tags=["api"])
EXPORT_PAGE = 1000
EXPORT_MAX = 1_000_000
log = logging.getLogger("coopwatch.web")
# a spreadsheet reads a cell starting with one of these as a formula (CSV injection): such cells get a leading '
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def connection(request: Request) -> Iterator[Connection]:
    """A connection for one request, reading the record through the app's focus (`serve --focus`): every
    route takes its connection here, so none can show an event out of focus."""
    with request.app.state.engine.connect() as conn:
        yield with_focus(conn, request.app.state.focus)


def filters(
    q: str | None = Query(None, max_length=300, description="full-text search (words, all must match)"),
    sector: str | None = Query(None, max_length=40, description="sector, e.g. hydrogen"),
    type: str | None = Query(None, max_length=20, description="event type, e.g. agreement"),
    plover: str | None = Query(None, max_length=20, description="PLOVER code, e.g. AGREE"),
    country: str | None = Query(None, max_length=2, description="ISO code of a side, e.g. RU"),
    actor: str | None = Query(None, max_length=255, description="actor id (or name)"),
    date_from: date | None = Query(None, description="events on or after this day (YYYY-MM-DD)"),
    date_to: date | None = Query(None, description="events on or before this day (YYYY-MM-DD)"),
    document: str | None = Query(None, max_length=255, description="only this document's items"),
    include_duplicates: bool = Query(False, description="also the facts of articles that copy another"),
) -> Filters:
    return Filters(q=q, sector=sector, type=type, plover=plover, country=country, actor=actor,
                   date_from=date_from, date_to=date_to, document=document,
                   include_duplicates=include_duplicates or None).validated()


class Page:
    def __init__(self, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=100_000_000),
                 format: Literal["json", "csv", "jsonl"] = Query(
                     "json", description="json: one page; csv or jsonl: the whole filtered list")):
        self.limit, self.offset, self.format = limit, offset, format


def respond(request: Request, conn: Connection, f: Filters, page: Page, lister: Callable, counter: Callable,
            name: str, link: Callable[[dict], dict] = lambda r: r) -> Response:
    if page.format != "json":
        rows = (link(r) for r in _all_rows(conn, f, lister))
        return export(rows, page.format, export_name(conn, name))
    items = [link(_plain(r)) for r in lister(conn, f, limit=page.limit, offset=page.offset)]
    # counted up to offset + COUNT_CAP: exact for every page anyone reaches by paging, cheap on broad filters
    cap = page.offset + search.COUNT_CAP
    total = counter(conn, f, cap=cap)
    exact = total < cap
    following = None
    if page.offset + len(items) < total or (not exact and len(items) == page.limit):
        following = next_link(request, offset=page.offset + page.limit, limit=page.limit)
    return _json({"total": total, "total_exact": exact, "limit": page.limit, "offset": page.offset,
                  "next": following, "items": items})


def export_name(conn: Connection, name: str) -> str:
    """A download's file name from the sides served (the focus, else the record's own main sides):
    'cn-ru-events', 'events' for an empty record."""
    sides = sorted(c["code"].lower() for c in search.record_sides(conn))
    return "-".join([*sides, name])


def next_link(request: Request, **changes) -> str:
    """The same path and query with some parameters changed, as a relative link: never built from the Host
    header, which a client chooses."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items()]
    return request.url.path + "?" + urlencode(params)


def _all_rows(conn: Connection, f: Filters, lister: Callable) -> Iterator[dict]:
    for offset in range(0, EXPORT_MAX, EXPORT_PAGE):
        rows = lister(conn, f, limit=EXPORT_PAGE, offset=offset)
        yield from (_plain(r) for r in rows)
        if len(rows) < EXPORT_PAGE:
            return


def _plain(row: dict) -> dict:
    return {k: v for k, v in row.items()}


def _json(data) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


def export(rows: Iterator[dict], kind: str, name: str) -> StreamingResponse:
    """The rows as a download. The first rows are read before the headers go, so a query that fails at once is
    an ordinary error answer; one that fails later ends the file with a line saying so (and is logged), since
    a 200 already sent cannot be taken back."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    rows = iter(rows)
    first = next(rows, None)  # raises here, before any header, when the database cannot answer
    rows = _guarded(([first] if first is not None else []), rows, kind)
    if kind == "jsonl":
        lines = (json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
        return StreamingResponse(_in_chunks(lines), media_type="application/x-ndjson", headers=headers)

    def csv_lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = None
        for row in rows:
            if isinstance(row, _Failure):
                yield f"# export failed: {row.message}\n"
                return
            flat = {k: neutralise(_cell(v)) for k, v in row.items()}
            if writer is None:
                writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(flat)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    return StreamingResponse(_in_chunks(csv_lines()), media_type="text/csv; charset=utf-8", headers=headers)


class _Failure:
    def __init__(self, message: str) -> None:
        self.message = message


def _guarded(first: list[dict], rest: Iterator[dict], kind: str) -> Iterator:
    """The rows; when reading them fails mid-way, the fault is logged and the export ends with an error item
    (JSON Lines: `{"error": ...}`; CSV: a `# export failed` line), so a cut file never looks complete."""
    yield from first
    try:
        yield from rest
    except Exception as error:
        log.error("export failed mid-way: %s", error, exc_info=error)
        message = f"the database stopped answering ({type(error).__name__}); this file is incomplete"
        yield {"error": message} if kind == "jsonl" else _Failure(message)


def neutralise(value):
    """A CSV cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) made plain text with a
    leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _in_chunks(lines: Iterator[str], size: int = 64 * 1024) -> Iterator[str]:
    """Lines joined into pieces of about `size` characters: each piece sent costs a hop between threads,
    which one row a piece made the cost of an export."""
    piece: list[str] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            yield "".join(piece)
            piece, length = [], 0
    if piece:
        yield "".join(piece)


def _cell(value):
    if isinstance(value, list):
        return ";".join(v["name"] if isinstance(v, dict) else str(v) for v in value)
    return value


def missing(kind: str, item_id: str, conn: Connection) -> str:
    """'no event 'x'', and with a focus, that it may be out of it."""
    focus = focus_of(conn)
    return f"no {kind} {item_id!r}" + (f" in focus {focus_text(focus)}" if focus else "")


def _event_links(row: dict) -> dict:
    row["url"] = f"/events/{row['id']}"
    return row


@router.get("/documents", summary="Documents (articles), newest first; q searches title and text")
def documents(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
              conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_documents, search.count_documents, "documents")


@router.get("/documents/{document_id:path}", summary="One document with its text and every extracted span")
def document(document_id: str, conn: Connection = Depends(connection)):
    found = search.get_document(conn, document_id)
    if found is None:
        raise HTTPException(404, f"no document {document_id!r}")
    found["warnings"] = json.loads(found["warnings"] or "[]")
    found["removed"] = json.loads(found["removed"] or "[]")
    found["spans"] = search.document_spans(conn, document_id)
    found["duplicate_of"] = resolution_search.duplicate_of(conn, document_id)
    found["copies"] = resolution_search.copies_of(conn, document_id)
    return _json(found)


@router.get("/events", summary="Cooperation events, latest first, with sectors, countries and actors")
def events(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
           conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_events, search.count_events, "events", _event_links)


@router.get("/events/facets", summary="Counts per sector, type, PLOVER code and country of the filtered events")
def facets(f: Filters = Depends(filters), conn: Connection = Depends(connection)):
    return _json({name: [{"value": v, "events": n} for v, n in counts]
                  for name, counts in search.event_facets(conn, f).items()})


@router.get("/events/{event_id:path}", summary="One event")
def event(event_id: str, conn: Connection = Depends(connection)):
    found = search.get_event(conn, event_id)
    if found is None:
        raise HTTPException(404, missing("event", event_id, conn))
    # the same real event told by other articles, and the projects it is part of (store/resolution_search.py)
    found["merged"] = resolution_search.event_group(conn, event_id)
    found["projects"] = resolution_search.projects_of_event(conn, event_id)
    found["duplicate_of"] = resolution_search.duplicate_of(conn, found["document_id"])
    return _json(_event_links(found))


@router.get("/actors", summary="Actors (people, organisations, places), most active first; q matches names")
def actors(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
           conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_actors, search.count_actors, "actors")


@router.get("/entities", summary="Same as /api/actors: entities grouped across documents")
def entities(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
             conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_actors, search.count_actors, "entities")


@router.get("/actors/{actor_id:path}", summary="One actor with aliases, roles, events and quotes")
def actor(actor_id: str, conn: Connection = Depends(connection)):
    found = search.get_actor(conn, actor_id)
    if found is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    found["events"] = [_event_links(e) for e in search.list_events(conn, Filters(actor=actor_id), limit=500)]
    found["quotes"] = search.list_quotes(conn, Filters(actor=actor_id), limit=500)
    return _json(found)


@router.get("/figures", summary="Figures (value, unit, measure); event filters select figures of matching events")
def figures(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
            conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_figures, search.count_figures, "figures")


@router.get("/quotes", summary="Quotes with their speakers; actor selects a speaker, q searches the quote")
def quotes(request: Request, f: Filters = Depends(filters), page: Page = Depends(),
           conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, search.list_quotes, search.count_quotes, "quotes")


@router.get("/stats", summary="Totals and events per month by sector")
def stats(f: Filters = Depends(filters), conn: Connection = Depends(connection)):
    return _json({"totals": search.totals(conn), "per_month": search.events_per_month(conn, f)})


@router.get("/network.json", summary="Actor co-occurrence network of the filtered events (JSON)")
def network_json(f: Filters = Depends(filters), min_weight: int = Query(1, ge=1, le=10_000),
                 conn: Connection = Depends(connection)):
    return _json(search.co_occurrence(conn, f, min_weight))


@router.get("/network.graphml", summary="Actor co-occurrence network of the filtered events (GraphML)")
def network_graphml(f: Filters = Depends(filters), min_weight: int = Query(1, ge=1, le=10_000),
                    conn: Connection = Depends(connection)):
    return Response(search.graphml(search.co_occurrence(conn, f, min_weight)), media_type="application/graphml+xml",
                    headers={"Content-Disposition": 'attachment; filename="actors.graphml"'})
