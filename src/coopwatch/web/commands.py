"""`coopwatch serve`: arguments here, the app in app.py."""
from __future__ import annotations

import argparse
import sys

from ..store.db import DEFAULT_DB


def register(subcommands) -> None:
    serve = subcommands.add_parser("serve", help="serve the record: JSON API at /api, web pages at /")
    serve.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL (default {DEFAULT_DB})")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    try:
        app = create_app(args.db)
    except FileNotFoundError as e:
        print(f"coopwatch serve: {e}", file=sys.stderr)
        return 2
    print(f"coopwatch: serving {args.db} at http://{args.host}:{args.port}/ (API docs at /api-docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
