"""Check that a restructuring leaves the extraction unchanged: extract the seeds, the examples and the dev gold
articles of every language into a folder, then compare two such folders fact by fact.

    python scripts/compare_extractions.py snapshot BEFORE [--shared ../shared]
    ... change the code ...
    python scripts/compare_extractions.py snapshot AFTER
    python scripts/compare_extractions.py diff BEFORE AFTER [--ignore confidence]

`diff` prints each fact found in one folder and not in the other, and exits 1 when there is any.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {"seeds": "seeds", "dev": "gold/dev/articles.jsonl", "ru": "gold/dev/ru/articles.jsonl",
        "zh": "gold/dev/zh/articles.jsonl"}


def snapshot(folder: Path, shared: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {"examples": ROOT / "examples", **{name: shared / path for name, path in SETS.items()}}
    for name, path in inputs.items():
        # run from the project root with relative paths, so that each record's `source` is the same in both folders
        subprocess.run([sys.executable, "-m", "coopwatch.cli", "extract", os.path.relpath(path, ROOT),
                        "-o", str((folder / f"{name}.jsonl").resolve()), "--quiet"], check=True, cwd=ROOT)
    print(f"wrote {', '.join(sorted(inputs))} to {folder}")


def _without(value, ignored: set[str]):
    if isinstance(value, dict):
        return {k: _without(v, ignored) for k, v in value.items() if k not in ignored}
    if isinstance(value, list):
        return [_without(v, ignored) for v in value]
    return value


def diff(before: Path, after: Path, ignored: set[str]) -> int:
    changes = 0
    for old_file in sorted(before.glob("*.jsonl")):
        read = lambda path: {r["id"]: _without(r, ignored) for r in map(json.loads, path.read_text().splitlines()) if r}
        old, new = read(old_file), read(after / old_file.name)
        for doc_id in sorted(old.keys() | new.keys()):
            a, b = old.get(doc_id, {}), new.get(doc_id, {})
            for key in sorted(a.keys() | b.keys()):
                if a.get(key) == b.get(key):
                    continue
                if isinstance(a.get(key), list) and isinstance(b.get(key), list):
                    was = [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in a[key]]
                    now = [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in b[key]]
                    lines = [f"- {x}" for x in was if x not in now] + [f"+ {x}" for x in now if x not in was]
                    lines = lines or ["  (same facts, another order)"]
                else:
                    lines = [f"- {a.get(key)!r}", f"+ {b.get(key)!r}"]
                changes += 1
                print(f"{old_file.stem} {doc_id} {key}:")
                print("\n".join("    " + line[:300] for line in lines))
    print(f"{changes} changed field(s)")
    return 1 if changes else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("folder", type=Path)
    snap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    compare = sub.add_parser("diff")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    compare.add_argument("--ignore", action="append", default=[], help="a field left out of the comparison")
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.folder, args.shared)
        return 0
    return diff(args.before, args.after, set(args.ignore))


if __name__ == "__main__":
    sys.exit(main())
