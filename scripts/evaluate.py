"""Run `coopwatch extract` on gold-annotated articles, score with the shared scorer, enforce the bars.

    python scripts/evaluate.py [--shared ../shared]

Exit status 1 when any figure is under its bar in scripts/bars.toml.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("entities", "quantities", "quotes", "events")


def score(shared: Path, articles: Path, gold: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pred.jsonl"
        subprocess.run([sys.executable, "-m", "coopwatch.cli", "extract", str(articles), "-o", str(out), "--quiet"],
                       check=False)
        result = subprocess.run([sys.executable, str(shared / "tools" / "score"), "--gold", str(gold),
                                 "--pred", str(out), "--json"], check=True, capture_output=True, text=True)
        subprocess.run([sys.executable, str(shared / "tools" / "score"), "--gold", str(gold), "--pred", str(out)],
                       check=True)
    figures = json.loads(result.stdout)
    return {**{k: figures[k]["f1"] for k in KINDS}, **{k: v for k, v in figures.items() if k not in KINDS}}


def check(name: str, figures: dict, bars: dict) -> list[str]:
    failures = []
    for key, bar in bars.items():
        value = figures.get(key)
        if value is None:
            continue
        mark = "ok " if value + 1e-9 >= bar else "LOW"
        print(f"  {mark} {name}.{key}: {value:.3f} (bar {bar:.2f})")
        if mark == "LOW":
            failures.append(f"{name}.{key} {value:.3f} < {bar:.2f}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    shared = Path(args.shared)
    bars = tomllib.loads((ROOT / "scripts" / "bars.toml").read_text())
    failures = []
    sets = [("seeds", shared / "seeds", shared / "gold" / "seeds.json"),
            ("examples", ROOT / "examples", ROOT / "examples" / "gold.json")]
    for name, articles, gold in sets:
        if not gold.exists():
            print(f"evaluate: {gold} is missing", file=sys.stderr)
            failures.append(f"{name}: no gold")
            continue
        print(f"== {name}: {articles}")
        figures = score(shared, articles, gold)
        failures += check(name, figures, bars.get(name, {}))
    if failures:
        print("evaluate: under the bar: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("evaluate: every bar holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
