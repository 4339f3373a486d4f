"""`coopwatch ingest`, `coopwatch search` and `coopwatch bench-store`: arguments here, work in run_*."""
from __future__ import annotations

import argparse
import sys

from ..focus import READING, add_focus_argument
from ..read import byte_size
from .db import DEFAULT_DB, database_problem


def register(subcommands) -> None:
    ing = subcommands.add_parser("ingest", help="extract articles and store them in the record (SQLite or PostgreSQL)")
    ing.add_argument("paths", nargs="*", metavar="PATH",
                     help=".txt, .html/.htm or .jsonl files, or folders of them (none: only migrate the schema)")
    ing.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL (default {DEFAULT_DB})")
    ing.add_argument("--from-parquet", action="append", default=[], metavar="DIR",
                     help="also store the tables a `coopwatch spark` run wrote to DIR, without extracting again "
                          "(repeatable)")
    ing.add_argument("--batch-size", type=int, default=64, help="articles per transaction (default 64)")
    ing.add_argument("--max-bytes", type=byte_size, default=None, metavar="SIZE",
                     help="largest article accepted, e.g. 2MB or 500KiB (default 2,000,000 bytes)")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    add_focus_argument(ing)
    ing.add_argument("--processes", type=int, default=None, metavar="N",
                     help="extraction worker processes (default: one per core; 1: in this process)")
    ing.add_argument("--dup-threshold", type=float, default=None, metavar="JACCARD",
                     help="near-duplicate MinHash Jaccard threshold (default from data/resolve.toml)")
    ing.add_argument("--no-resolve", action="store_true",
                     help="store only (near-duplicates are still linked): leave actor merges, merged events and "
                          "projects to the next ingest or a `coopwatch resolve --db` rebuild")
    ing.set_defaults(run=run_ingest)

    se = subcommands.add_parser("search", help="search stored events (or documents) with filters")
    se.add_argument("query", nargs="?", default=None, metavar="QUERY", help="words to find in event sentences")
    se.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL (default {DEFAULT_DB})")
    se.add_argument("--sector")
    se.add_argument("--type", help="event type: agreement, launch, meeting, ...")
    se.add_argument("--plover", help="PLOVER code: AGREE, COOPERATE, CONSULT, AID")
    se.add_argument("--country", help="ISO code of a side, e.g. RU")
    se.add_argument("--actor", help="actor id or name")
    se.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    se.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    add_focus_argument(se, help=READING)
    se.add_argument("--documents", action="store_true", help="list matching articles instead of events")
    se.add_argument("--limit", type=int, default=20)
    se.add_argument("--json", action="store_true", help="one JSON object per line")
    se.set_defaults(run=run_search)

    be = subcommands.add_parser("bench-store", help="measure ingest docs/s and API p95 latency on generated articles")
    be.add_argument("--docs", type=int, default=10_000, help="articles to generate from the examples (default 10000)")
    be.add_argument("--db", default=None, help="SQLite file to build (default: a temporary one)")
    be.add_argument("--requests", type=int, default=40, help="requests per API query for the latency figures")
    be.add_argument("--sample", type=int, default=160,
                    help="articles that go through the real pipeline (default 160; --sample N = --docs N for all)")
    be.add_argument("--reuse", action="store_true", help="--db already built by bench-store: measure the API only")
    be.add_argument("--no-resolve", action="store_true", help="time ingest without the resolution rebuild")
    be.set_defaults(run=run_bench_store)


def run_ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError
    from tqdm import tqdm

    from ..read import MAX_BYTES, read_paths
    from ..read.jsonl import holds_extractions, read_extractions
    from .db import checkpoint, open_engine, refresh_statistics
    from .ingest import IngestReport, ingest, ingest_records
    from .migrations import SchemaVersionError, migrate
    from .resolution import update

    from ..focus import refocus
    from ..parallel import Extractor

    # `coopwatch extract` output is stored as it is (its facts are already there); everything else is extracted
    saved = [p for p in args.paths if holds_extractions(Path(p))]
    raw = [p for p in args.paths if p not in saved]
    bar = tqdm(desc="ingest", unit="doc", file=sys.stderr, disable=args.quiet or None, leave=False)
    try:
        engine = open_engine(args.db)
        migrate(engine)
        report = IngestReport()
        if raw:
            with Extractor(args.processes, focus=args.focus) as extractor:  # workers live across the batches
                report = ingest(engine, read_paths(raw, max_bytes=args.max_bytes or MAX_BYTES),
                                extract=extractor.extract, batch_size=args.batch_size, progress=bar.update,
                                dup_threshold=args.dup_threshold)
        for path in saved:
            records = (refocus(r, args.focus) for r in read_extractions(Path(path)))
            report = report.merged(ingest_records(engine, records, batch_size=args.batch_size,
                                                  progress=bar.update, dup_threshold=args.dup_threshold))
        for folder in args.from_parquet:
            report = report.merged(ingest_records(engine, spark_records(folder), batch_size=args.batch_size,
                                                  progress=bar.update, dup_threshold=args.dup_threshold))
        bar.close()
        # actor merges, merged events, projects: the new articles settled against the record through its index (a
        # full rebuild when there is none yet, or when they change what was settled before them)
        resolution = None if args.no_resolve else (spark_resolution(engine, args)
                                                     or update(engine, args.dup_threshold))
        with engine.begin() as conn:
            refresh_statistics(conn)
        checkpoint(engine)  # the file alone now holds the record: it can be served read-only or copied
    except SchemaVersionError as e:
        bar.close()
        print(f"coopwatch ingest: {e}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, OSError) as e:
        bar.close()
        print(f"coopwatch ingest: cannot write the database {args.db}: {database_problem(e)}", file=sys.stderr)
        return 2
    for error in report.errors:
        print(f"coopwatch: {error['id']} ({error.get('source', '')}): {error['error']}", file=sys.stderr)
    if (args.paths or args.from_parquet) and report.read == 0:
        print(f"coopwatch ingest: no article found in {', '.join(args.paths + args.from_parquet)} "
              "(coopwatch reads .txt, .html, .htm and .jsonl files)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"coopwatch: {report.read} read, {report.stored} stored ({report.replaced} replaced), "
              f"{report.unchanged} unchanged, {report.failed} failed", file=sys.stderr)
    if not args.quiet and resolution is not None:
        counts = resolution.counts()
        print(f"coopwatch: {counts['near_duplicates'] + counts['exact_duplicates']} duplicate articles, "
              f"{counts['actor_merges']} actor merges, {counts['merged_events']} events told by several articles, "
              f"{counts['projects']} projects", file=sys.stderr)
    if report.failed and report.stored + report.unchanged == 0:
        print(f"coopwatch ingest: no readable article among {report.read} inputs", file=sys.stderr)
    return 1 if report.failed else 0


def spark_resolution(engine, args: argparse.Namespace):
    """The resolution tables `coopwatch spark-resolve` wrote beside one `--from-parquet` folder, loaded into the
    record when they resolve exactly its articles (else None: ingest resolves them itself)."""
    if len(args.from_parquet) != 1 or args.paths or args.dup_threshold is not None:
        return None
    from ..spark_resolve import has_resolution, load_resolution

    if not has_resolution(args.from_parquet[0]):
        return None
    loaded = load_resolution(engine, args.from_parquet[0])
    if loaded is None and not args.quiet:
        print("coopwatch ingest: the Spark resolution does not cover the record as it is now; resolving here",
              file=sys.stderr)
    return loaded


def spark_records(folder: str):
    """The extractions and failures a `coopwatch spark` run wrote, as `coopwatch extract` records."""
    from ..spark import read_extractions, read_failures

    yield from read_extractions(folder)
    yield from read_failures(folder)


def run_search(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from sqlalchemy.exc import SQLAlchemyError

    from . import search
    from .db import open_engine, with_focus
    from .migrations import SchemaVersionError, check_readable

    try:
        filters = search.Filters(
            q=args.query, sector=args.sector, type=args.type, plover=args.plover, country=args.country,
            actor=args.actor, date_from=date.fromisoformat(args.date_from) if args.date_from else None,
            date_to=date.fromisoformat(args.date_to) if args.date_to else None).validated()
        engine = open_engine(args.db, read_only=True)
        with with_focus(engine.connect(), args.focus) as conn:
            check_readable(conn, args.db)  # reading is read-only, so it cannot migrate; ingest does
            if args.documents:
                total = search.count_documents(conn, filters)
                rows = search.list_documents(conn, filters, limit=args.limit)
            else:
                total = search.count_events(conn, filters)
                rows = search.list_events(conn, filters, limit=args.limit)
    except (ValueError, FileNotFoundError, SchemaVersionError) as e:  # BadQuery and bad dates are ValueErrors
        print(f"coopwatch search: {e}", file=sys.stderr)
        return 2
    except SQLAlchemyError as e:
        print(f"coopwatch search: cannot read the database {args.db}: {database_problem(e)}", file=sys.stderr)
        return 2
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False, default=str))
        elif args.documents:
            print(f"{row['published'] or '----------'}  {row['id']}  {row['title'] or ''}")
            if row.get("snippet"):
                print("    " + " ".join(row["snippet"].split()))
        else:
            print(f"{row['day'] or '----------'}  {row['type']:<9} {','.join(row['sectors']):<20} {row['id']}")
            print("    " + " ".join(row["sentence"].split())[:200])
    print(f"{len(rows)} of {total} {'documents' if args.documents else 'events'}", file=sys.stderr)
    return 0


def run_bench_store(args: argparse.Namespace) -> int:
    from .bench import BenchFailed, bench_store

    try:
        print(bench_store(args.docs, db=args.db, requests=args.requests, sample=args.sample,
                          resolve=not args.no_resolve, reuse=args.reuse))
    except BenchFailed as e:
        print(f"coopwatch bench-store: {e}", file=sys.stderr)
        return 1
    return 0
