"""`coopwatch resolve` and `coopwatch projects`: the cross-article steps over extraction files."""
from __future__ import annotations

import argparse
import sys

from ..data import project_statuses


def register(subcommands) -> None:
    r = subcommands.add_parser("resolve", help="link duplicate articles, resolve actors, merge events, build projects")
    r.add_argument("paths", nargs="*", metavar="EXTRACTIONS.jsonl", help="output of `coopwatch extract`")
    r.add_argument("--db", default=None, help="instead of files: rebuild the resolution tables of this record "
                                              "(SQLite file or postgresql:// URL) and write the files from it")
    r.add_argument("-o", "--outdir", default="out/resolve", metavar="OUTDIR",
                   help="folder for duplicates.jsonl, actors.jsonl, events.jsonl, projects.jsonl/.csv, review.md "
                        "(default out/resolve)")
    r.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate Jaccard threshold (default from data/resolve.toml)")
    r.set_defaults(run=run_resolve)

    p = subcommands.add_parser("projects", help="list the projects built from extraction files, or stored in a record")
    p.add_argument("paths", nargs="*", metavar="EXTRACTIONS.jsonl", help="output of `coopwatch extract`")
    p.add_argument("--db", default=None, help="instead of files: the projects stored in this record")
    p.add_argument("--sector", action="append", help="only projects in this sector (repeatable)")
    p.add_argument("--country", action="append", help="only projects with a participant of this side (CN, RU, ...)")
    p.add_argument("--status", action="append",
                   help=f"only projects with this status ({', '.join(project_statuses())})")
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    p.set_defaults(run=run_projects)


def _resolution(args: argparse.Namespace, rebuild: bool):
    """The resolution of the extraction files, or of the record (`--db`; rebuilt there first when asked)."""
    from .core import resolve
    from .files import read_records

    if args.db is None:
        if not args.paths:
            raise SystemExit(f"coopwatch {args.command}: give extraction files or --db")
        return resolve(read_records(args.paths), threshold=getattr(args, "threshold", None))
    from ..store.db import open_engine
    from ..store.resolution import rebuild as rebuild_tables, resolve_stored

    if rebuild:
        from ..store.migrations import migrate

        engine = open_engine(args.db)
        migrate(engine)
        return rebuild_tables(engine, args.threshold)
    with open_engine(args.db, read_only=True).connect() as conn:
        return resolve_stored(conn)


def run_resolve(args: argparse.Namespace) -> int:
    from .files import write_outputs

    res = _resolution(args, rebuild=True)
    files = write_outputs(res, args.outdir)
    counts = res.counts()
    print("coopwatch resolve: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()), file=sys.stderr)
    print(f"coopwatch resolve: wrote {', '.join(str(f) for f in files.values())}", file=sys.stderr)
    return 0


def select_projects(projects, sectors=None, countries=None, statuses=None):
    """The projects passing every given filter (each filter: any of its values)."""
    out = []
    for p in projects:
        if sectors and not set(sectors) & set(p.sectors):
            continue
        if countries and not {c.upper() for c in countries} & {side for side, names in p.participants.items() if names}:
            continue
        if statuses and p.status not in {s.replace("_", " ").lower() for s in statuses}:
            continue
        out.append(p)
    return out


def _projects(args: argparse.Namespace) -> list:
    """The projects of the extraction files, or those stored in the record (`--db`: read, not recomputed)."""
    if args.db is None:
        return _resolution(args, rebuild=False).projects
    from ..store.db import open_engine
    from ..store.migrations import SchemaVersionError, check_readable
    from ..store.resolution_search import stored_projects

    try:
        with open_engine(args.db, read_only=True).connect() as conn:
            check_readable(conn, args.db)
            return stored_projects(conn)
    except (FileNotFoundError, SchemaVersionError) as e:
        raise SystemExit(f"coopwatch projects: {e}")


def run_projects(args: argparse.Namespace) -> int:
    import csv
    import json

    projects = _projects(args)
    chosen = select_projects(projects, args.sector, args.country, args.status)
    if args.format == "jsonl":
        for p in chosen:
            print(json.dumps(p.to_json(), ensure_ascii=False))
    elif args.format == "csv":
        rows = [p.csv_row() for p in chosen]
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id", "name"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        for p in chosen:
            dates = [t["date"] for t in p.timeline if t.get("date")]
            span = f"{min(dates)}–{max(dates)}" if dates else "undated"
            sides = "; ".join(f"{side}: {', '.join(n)}" for side, n in p.participants.items() if n)
            units = ", ".join(f"{c['name']} [{c['status']}]" for c in p.components)
            print(f"{p.name} [{p.status}] {','.join(p.sectors)} {span} · {len(p.events)} events, "
                  f"{len({s['doc'] for s in p.sources})} articles · {sides}" + (f" · {units}" if units else ""))
        print(f"{len(chosen)} of {len(projects)} projects", file=sys.stderr)
    return 0
