"""The FastAPI application: one read-only engine, the API under /api, pages at /, assets under /static."""
from __future__ import annotations

import gc
import json
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError

from ..store.db import database_problem, open_engine, with_focus
from ..store.migrations import SchemaVersionError, check_readable
from ..store import search
from ..store.search import BadQuery
from . import api, pages, projects
from .cache import ResponseCache

HERE = Path(__file__).parent
log = logging.getLogger("coopwatch.web")
# no inline script or style anywhere (the chart and the focus scroll are files under /static), no framing
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class _HeadDone(Exception):
    """A HEAD answer is complete once its headers are sent: the body the GET route goes on making is dropped."""


def _head_done(error: BaseException) -> bool:
    if isinstance(error, BaseExceptionGroup):
        return all(_head_done(e) for e in error.exceptions)
    return isinstance(error, _HeadDone)


class Guard:
    """Around the whole app (pure ASGI, so it costs microseconds): every response carries the security headers;
    HEAD is answered by the GET route without its body; an exception nobody handled is logged and answered
    with a 500 (when the headers have not gone yet; an export that fails later ends with a visible error,
    see api.export)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        started = False

        async def guarded_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body" and head:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                raise _HeadDone
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception as error:
            if _head_done(error):  # raised by us, perhaps through a streaming answer's task group
                return
            log.exception("server fault on %s %s", scope["method"], scope.get("path"))
            if started:
                raise
            body = json.dumps({"detail": "internal server error (logged on the server)"}).encode()
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": b"" if head else body})


def create_app(db: str, cache: bool = True, focus: frozenset[str] | None = None) -> FastAPI:
    """The app serving the record at `db`; with `focus` (focus.py), every page and answer holds only the events
    in focus (api.connection sets it on each request's connection)."""
    engine = open_engine(db, read_only=True)
    try:
        with with_focus(engine.connect(), focus) as conn:
            check_readable(conn, db)  # serving is read-only, so it cannot migrate; ingest does
            about = pages.subject(search.record_sides(conn))
    except SchemaVersionError:
        engine.dispose()
        raise
    app = FastAPI(
        title="coopwatch",
        description=f"The record of {'c' + about[1:] if about.startswith('Cooperation') else about} extracted "
                    "from news: documents, events, actors, figures and quotes, each with the character span of "
                    "its source sentence.",
        version="1",
        # Swagger UI and ReDoc load their scripts from a CDN; /api-docs renders the same OpenAPI schema here
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.focus = focus
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(projects.api)
    app.include_router(pages.router)
    app.include_router(projects.pages)

    def _wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")

    @app.exception_handler(BadQuery)
    async def bad_query(request: Request, error: BadQuery):
        if _wants_html(request):
            return pages.error_page(request, 400, str(error))
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, error: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()]
        if _wants_html(request):
            return pages.error_page(request, 422, "; ".join(problems))
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(DataError)
    async def value_refused(request: Request, error: DataError):
        # the database refused a value of the request (PostgreSQL: a NUL character in an id, a number out of
        # range): every value a query binds comes from the client, so this is the client's 400, in one line
        problem = database_problem(error)
        log.info("value refused on %s %s: %s", request.method, request.url.path, problem)
        message = f"the database cannot take a value of this request: {problem}"
        if _wants_html(request):
            return pages.error_page(request, 400, message)
        return JSONResponse({"detail": message}, status_code=400)

    @app.exception_handler(SQLAlchemyError)
    async def database_fault(request: Request, error: SQLAlchemyError):
        # parameters are bound and searches quoted, so a query the database cannot answer is the server's
        # fault (a locked, damaged or missing database), not the client's: a 500, logged with its cause
        log.error("database fault on %s %s: %s", request.method, request.url.path, error, exc_info=error)
        message = f"the database could not answer: {type(getattr(error, 'orig', error)).__name__} (logged)"
        if _wants_html(request):
            return pages.error_page(request, 500, message)
        return JSONResponse({"detail": message}, status_code=500)

    # what is loaded by now (modules, templates, the engine) lives as long as the app: kept out of full
    # collections, their pauses fall from ~90 ms to ~13 ms on a 10,000-article record, which was the p95 spike
    if cache:
        app.add_middleware(ResponseCache, engine_of=lambda: app.state.engine)
    app.add_middleware(Guard)  # outermost: its headers go on every answer, replayed ones too
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """The app for each worker process of `coopwatch serve --workers N` (uvicorn imports it by name)."""
    import os

    from ..focus import parse_focus

    return create_app(os.environ["COOPWATCH_SERVE_DB"], cache=os.environ.get("COOPWATCH_SERVE_CACHE", "1") == "1",
                      focus=parse_focus(os.environ.get("COOPWATCH_SERVE_FOCUS")))
