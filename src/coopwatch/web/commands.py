"""`coopwatch serve` and `coopwatch bench-serve`: arguments here, the app in app.py, the load in bench.py."""
from __future__ import annotations

import argparse
import os
import sys

from ..focus import SERVING, add_focus_argument, focus_text
from ..store.db import DEFAULT_DB


def register(subcommands) -> None:
    serve = subcommands.add_parser("serve", help="serve the record: JSON API at /api, web pages at /")
    serve.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL (default {DEFAULT_DB})")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes (default 1; one per core serves the most requests)")
    serve.add_argument("--no-cache", action="store_true", help="make every answer afresh (no response cache)")
    add_focus_argument(serve, help=SERVING)
    serve.set_defaults(run=run_serve)

    bench = subcommands.add_parser(
        "bench-serve", help="measure requests/s and latency of `coopwatch serve` on 127.0.0.1 with concurrent clients")
    bench.add_argument("--db", default=DEFAULT_DB, help=f"the record to serve (default {DEFAULT_DB})")
    bench.add_argument("--workers", type=int, default=2, metavar="N", help="server worker processes (default 2)")
    bench.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    bench.add_argument("--requests", type=int, default=3000, help="requests per path, at most (default 3000)")
    bench.add_argument("--seconds", type=float, default=15.0, help="time per path, at most (default 15)")
    bench.add_argument("--path", action="append", dest="paths", metavar="PATH",
                       help="a path to load (repeatable; default / and /api/events)")
    bench.add_argument("--no-cache", action="store_true", help="serve without the response cache")
    bench.set_defaults(run=run_bench_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    if args.workers < 1:
        print("coopwatch serve: --workers must be at least 1", file=sys.stderr)
        return 2
    from sqlalchemy.exc import SQLAlchemyError

    from ..store.db import database_problem
    from ..store.migrations import SchemaVersionError

    try:
        app = create_app(args.db, cache=not args.no_cache, focus=args.focus)  # checked here once: a bad --db is one line
    except (FileNotFoundError, SchemaVersionError) as e:
        print(f"coopwatch serve: {e}", file=sys.stderr)
        return 2
    except SQLAlchemyError as e:
        print(f"coopwatch serve: cannot read the database {args.db}: {database_problem(e)}", file=sys.stderr)
        return 2
    print(f"coopwatch: serving {args.db} at http://{args.host}:{args.port}/ (API docs at /api-docs)"
          + (f", focus {focus_text(args.focus)}" if args.focus else "")
          + (f" with {args.workers} workers" if args.workers > 1 else ""), file=sys.stderr)
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
        return 0
    # each worker process builds its own app (and engine) from the environment
    os.environ["COOPWATCH_SERVE_DB"] = args.db
    os.environ["COOPWATCH_SERVE_CACHE"] = "0" if args.no_cache else "1"
    os.environ["COOPWATCH_SERVE_FOCUS"] = focus_text(args.focus)
    app.state.engine.dispose()
    uvicorn.run("coopwatch.web.app:app_from_environment", factory=True, workers=args.workers, host=args.host,
                port=args.port, log_level="warning", access_log=False)
    return 0


def run_bench_serve(args: argparse.Namespace) -> int:
    from .bench import bench_serve

    try:
        print(bench_serve(args.db, workers=args.workers, clients=args.clients, requests=args.requests,
                          seconds=args.seconds, paths=args.paths or ["/", "/api/events"], cache=not args.no_cache))
    except (RuntimeError, FileNotFoundError) as e:
        print(f"coopwatch bench-serve: {e}", file=sys.stderr)
        return 2
    return 0
