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


def score(shared: Path, articles: Path, gold: Path) -> tuple[dict, dict[str, dict]]:
    """The figures for the whole set, and for each language of its articles (as the extraction detected it)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pred.jsonl"
        subprocess.run([sys.executable, "-m", "coopwatch.cli", "extract", str(articles), "-o", str(out), "--quiet"],
                       check=False)
        figures = run_scorer(shared, gold, out)
        language_of = {r.get("id"): r.get("language") for r in map(json.loads, out.read_text().splitlines()) if r}
        documents = json.loads(gold.read_text(encoding="utf-8"))
        languages = sorted({language_of.get(d["id"]) or "?" for d in documents})
        per_language = {}
        for language in languages if len(languages) > 1 else []:
            subset = Path(tmp) / f"gold.{language}.json"
            subset.write_text(json.dumps([d for d in documents if (language_of.get(d["id"]) or "?") == language],
                                         ensure_ascii=False), encoding="utf-8")
            print(f"-- language {language}")
            per_language[language] = run_scorer(shared, subset, out)
    return figures, per_language


def run_scorer(shared: Path, gold: Path, pred: Path) -> dict:
    """The shared scorer's table printed, its figures returned (F1 for the fact kinds)."""
    command = [sys.executable, str(shared / "tools" / "score"), "--gold", str(gold), "--pred", str(pred)]
    result = subprocess.run([*command, "--json"], check=True, capture_output=True, text=True)
    subprocess.run(command, check=True)
    figures = json.loads(result.stdout)
    return {**{k: figures[k]["f1"] for k in KINDS}, **{k: v for k, v in figures.items() if k not in KINDS}}


def check(name: str, figures: dict, bars: dict) -> list[str]:
    failures = []
    for key, bar in bars.items():
        value = figures.get(key)
        if value is None or isinstance(bar, dict):  # [examples.ru]: a language's own bars, checked apart
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
        figures, per_language = score(shared, articles, gold)
        failures += check(name, figures, bars.get(name, {}))
        for language, language_figures in per_language.items():
            failures += check(f"{name}.{language}", language_figures, bars.get(name, {}).get(language, {}))
    if failures:
        print("evaluate: under the bar: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("evaluate: every bar holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
