"""Measure what an event's confidence means and write it to `src/coopwatch/data/confidence.toml`.

    python scripts/calibrate_confidence.py [--shared ../shared]

An event's confidence is the share of events with the same evidence that are right on the gold: the dev gold of
every language and the seeds. The evidence is whether the sentence itself names two sides or they are inferred from
its paragraph or article, and whether it gives a date (`coopwatch.extract.cooperation.confidence`). To tell the
buckets apart, the articles are extracted once with a table whose values are bucket numbers; a prediction is right
unless the shared scorer counts it a false positive. The share is smoothed ((right + 1) / (n + 2)) so that a small
bucket never claims certainty.
"""
from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "src" / "coopwatch" / "data" / "confidence.toml"
BUCKETS = ("named_dated", "named_undated", "inferred_dated", "inferred_undated")
SETS = (("seeds", "gold/seeds.json"), ("gold/dev/articles.jsonl", "gold/dev/gold.json"),
        ("gold/dev/ru/articles.jsonl", "gold/dev/ru/gold.json"), ("gold/dev/zh/articles.jsonl", "gold/dev/zh/gold.json"))


def load_scorer(shared: Path):
    loader = importlib.machinery.SourceFileLoader("score", str(shared / "tools" / "score"))
    spec = importlib.util.spec_from_loader("score", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def false_positives(scorer, gold: dict, pred: dict) -> Counter:
    """(type, sentence start) of each prediction the scorer counts as a false positive."""
    lines: list[str] = []
    tallies = {k: scorer.Tally() for k in ("entities", "quantities", "quotes", "events")}
    accs = defaultdict(scorer.Acc)
    scorer.score_doc(gold, pred, tallies, accs, lines.append)
    prefix = f"{gold['id']}: event FP "
    return Counter(line[len(prefix):] for line in lines if line.startswith(prefix))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    shared = Path(args.shared)
    scorer = load_scorer(shared)
    right, total = Counter(), Counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        (data / "confidence.toml").write_text(
            "[confidence]\n" + "".join(f"{b} = {i}\n" for i, b in enumerate(BUCKETS)), encoding="utf-8")
        env = {**os.environ, "COOPWATCH_DATA": str(data)}
        for articles, gold_file in SETS:
            out = Path(tmp) / "pred.jsonl"
            subprocess.run([sys.executable, "-m", "coopwatch.cli", "extract", str(shared / articles), "-o", str(out),
                            "--quiet"], check=False, env=env)
            preds = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if r}
            for gold in json.loads((shared / gold_file).read_text(encoding="utf-8")):
                pred = preds.get(gold["id"], {})
                wrong = false_positives(scorer, gold, pred)
                for event in pred.get("events", []):
                    bucket = BUCKETS[int(event["confidence"])]
                    key = f"{event.get('type')} {str(event.get('sentence'))[:70]!r}"
                    total[bucket] += 1
                    if wrong[key]:
                        wrong[key] -= 1
                    else:
                        right[bucket] += 1
    lines = ["# How far to trust an event, by its evidence: the share of events with that evidence that are right.",
             "# Written by scripts/calibrate_confidence.py from the seeds and the dev gold of every language",
             "# ((right + 1) / (events + 2)). The rules were written on these articles, so on news nobody tuned to",
             "# the shares are lower: read them as an order of trust more than as odds. Do not edit by hand.",
             "[confidence]"]
    for bucket in BUCKETS:
        share = (right[bucket] + 1) / (total[bucket] + 2)
        lines.append(f"{bucket} = {share:.2f}  # {right[bucket]} of {total[bucket]} right")
        print(f"{bucket:18} {right[bucket]:4} of {total[bucket]:4} right -> {share:.2f}")
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
