"""The command line: `coopwatch extract`, `coopwatch bench`, and the commands each feature registers."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from . import __version__
from .focus import add_focus_argument
from .read import byte_size
from .scale.commands import add_scale_arguments, run_scale

# Modules that bring their own commands: each has `register(subcommands)`, which only declares arguments
# (heavy imports wait for the command to run).
FEATURE_COMMANDS: list[str] = [
    "coopwatch.store.commands",
    "coopwatch.web.commands",
    "coopwatch.spark",
    "coopwatch.spark_resolve",
    "coopwatch.resolve.commands",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coopwatch", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"coopwatch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("extract", help="extract facts from articles into JSON Lines")
    ex.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .html/.htm or .jsonl files, or folders of them")
    ex.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of standard output")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.add_argument("--max-bytes", type=byte_size, default=None, metavar="SIZE",
                    help="largest article accepted, e.g. 2MB or 500KiB (default 2,000,000 bytes)")
    ex.add_argument("--processes", type=int, default=None, metavar="N",
                    help="worker processes, output in input order (default: one per core; 1: in this process)")
    add_focus_argument(ex)
    ex.set_defaults(run=run_extract)

    bench = commands.add_parser("bench", help="measure docs/s, ms/doc and peak memory against a bare spaCy parse")
    bench.add_argument("paths", nargs="*", metavar="PATH", help="articles (default: the project's examples)")
    bench.add_argument("--repeat", type=int, default=None, help="run over the articles this many times")
    bench.add_argument("--min-docs", type=int, default=200, help="repeat the articles until this many are timed")
    bench.add_argument("--processes", type=int, default=None, metavar="N",
                       help="processes for the speed-up figure (default: one per core, at least 2)")
    add_scale_arguments(bench)
    bench.set_defaults(run=run_bench)

    for module in FEATURE_COMMANDS:
        try:
            importlib.import_module(module).register(commands)
        except ImportError as e:  # a feature whose extra is not installed must not take `extract` down with it
            print(f"coopwatch: commands of {module} unavailable: {e}", file=sys.stderr)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # the reader of our output went away (`coopwatch search --json | head -1`): that is no error of ours
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        print("coopwatch: interrupted", file=sys.stderr)
        return 130


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit does not raise BrokenPipeError again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run_extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .parallel import WorkerFailed, extract_articles
    from .read import MAX_BYTES, read_paths

    if args.processes is not None and args.processes < 1:
        print("coopwatch extract: --processes must be at least 1", file=sys.stderr)
        return 2
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as e:
        print(f"coopwatch extract: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
        return 2
    failed = 0
    written = 0
    items = read_paths(args.paths, max_bytes=args.max_bytes or MAX_BYTES)
    progress = tqdm(desc="extract", unit="doc", file=sys.stderr, disable=args.quiet or None, leave=False)
    try:
        for record in extract_articles(items, args.processes, focus=args.focus):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
            progress.update()
            if "error" in record:
                failed += 1
                progress.write(f"coopwatch: {record['id']} ({record.get('source', '')}): {record['error']}",
                               file=sys.stderr)
    except WorkerFailed as e:
        print(f"coopwatch extract: {e}", file=sys.stderr)
        return 2
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    if written == 0:
        print(f"coopwatch extract: no article found in {', '.join(args.paths)} "
              "(coopwatch reads .txt, .html, .htm and .jsonl files)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"coopwatch: {written} documents, {written - failed} extracted, {failed} failed", file=sys.stderr)
    if failed == written:
        print(f"coopwatch extract: no readable article among {written} inputs", file=sys.stderr)
    return 1 if failed else 0


def run_bench(args: argparse.Namespace) -> int:
    if args.scale:
        return run_scale(args)
    from .bench import benchmark

    paths = args.paths or [str(Path(__file__).resolve().parents[2] / "examples")]
    report = benchmark(paths, min_docs=args.min_docs, repeat=args.repeat, processes=args.processes)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
