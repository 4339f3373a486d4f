"""The scale benchmark: synthetic article sets of growing size, each mode timed as its own process tree.

Articles are recombined from real ones (the project's examples by default): each takes a base article's
paragraphs in a shuffled order, borrows a paragraph from another article, gets its figures swapped for
others of the same shape, a new id and a new publication date. Every mode runs as a child process tree
(`coopwatch extract --processes 1`; `--processes 2`: two workers, each building its own pipeline, fed chunks
of articles as they free up (coopwatch.parallel); `coopwatch spark --master local[2]`), polled with psutil for the resident memory of each process; times
are wall-clock, start-up (model loading, JVM) included.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from ..document import Article

MODES = ("extract-1", "extract-2", "spark-local2")  # what `bench --scale --modes` may name

NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])|(?<![\w.,])\d{1,3}(?:\.\d+)?(?![\w,])")
ROOT = Path(__file__).resolve().parents[3]


def parse_size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


# --- synthetic articles -----------------------------------------------------------------------------------

def _swap_number(match: re.Match, rng: random.Random) -> str:
    text = match.group(0)
    value = float(text.replace(",", ""))
    new = value * rng.choice((0.5, 0.75, 1.25, 1.5, 2, 3))
    if "." in text:
        return f"{new:.{len(text.split('.')[1])}f}"
    new = max(1, round(new))
    return f"{new:,}" if "," in text else str(new)


def synthetic_articles(sources: list[Article], n: int, seed: int = 6, keep: int | None = None) -> list[dict]:
    """`n` JSON Lines records recombined from `sources` (cleaned first, so recombined text is article text);
    `keep` caps each at that many paragraphs, the lead first, for shorter articles."""
    from ..clean import clean

    rng = random.Random(seed)
    bases = []
    for article in sources:
        cleaned = clean(article)
        paragraphs = [p for p in cleaned.text.split("\n\n") if p.strip()]
        if paragraphs:
            bases.append((article, cleaned.title, paragraphs))
    out = []
    for k in range(n):
        article, title, paragraphs = bases[k % len(bases)]
        body = paragraphs[:1] + rng.sample(paragraphs[1:], len(paragraphs) - 1)  # the lead stays first
        kin = [b for b in bases if b[0].language == article.language]  # borrow in the article's own language
        other = kin[rng.randrange(len(kin))][2]
        body.insert(rng.randrange(1, len(body) + 1), rng.choice(other))
        body = body[:keep] if keep else body
        text = "\n\n".join(NUMBER.sub(lambda m: _swap_number(m, rng), p) for p in body)
        published = f"{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append({"id": f"syn{k:06d}-{article.id}", "text": text, "title": title, "url": article.url,
                    "outlet": article.outlet, "published": published, "language": article.language})
    return out


def write_articles(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


# --- the two-process extract ------------------------------------------------------------------------------

def extract_parallel(path: str, out: str, workers: int, chunk: int | None = None) -> int:
    """`coopwatch extract --processes N` on one JSON Lines file (the shared runner, coopwatch.parallel:
    chunks handed out as workers free up, output in input order)."""
    from ..parallel import CHUNK, Extractor
    from ..read import read_paths

    n = 0
    with Extractor(workers, chunk=chunk or CHUNK) as extractor, open(out, "w", encoding="utf-8") as f:
        for record in extractor.extract(read_paths([path])):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


# --- measuring --------------------------------------------------------------------------------------------

def measure(command: list[str], interval: float = 0.25) -> dict:
    """Run `command`; wall seconds, peak RSS of its largest Python process and of the whole tree, in MB."""
    import psutil

    import os

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    proc = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, tuple[str, float]] = {}
    total = 0.0
    while proc.poll() is None:
        now = 0.0
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        for p in tree:
            try:
                rss = p.memory_info().rss / 2**20
                name = p.name()
            except psutil.Error:
                continue
            now += rss
            if rss > peaks.get(p.pid, ("", 0.0))[1]:
                peaks[p.pid] = (name, rss)
        total = max(total, now)
        time.sleep(interval)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{err[-2000:]}")
    python = [rss for name, rss in peaks.values() if name.startswith("python") or name == "coopwatch"]
    java = [rss for name, rss in peaks.values() if name.startswith("java")]
    return {"seconds": seconds, "worker_mb": max(python, default=0.0), "jvm_mb": max(java, default=0.0),
            "total_mb": total, "load": max(load_before, os.getloadavg()[0])}


def commands(mode: str, articles: Path, out: Path) -> list[str]:
    exe = [sys.executable, "-m", "coopwatch.cli"]
    if mode == "extract-1":
        return [*exe, "extract", str(articles), "-o", str(out / "extract1.jsonl"), "--quiet", "--processes", "1"]
    if mode == "extract-2":
        return [*exe, "extract", str(articles), "-o", str(out / "extract2.jsonl"), "--quiet", "--processes", "2"]
    if mode == "spark-local2":
        return [*exe, "spark", str(articles), str(out / "spark"), "--master", "local[2]", "--quiet",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.memory=1g",
                "--conf", "spark.sql.shuffle.partitions=4"]
    raise ValueError(f"unknown mode {mode!r}")


def write_report(rows: list[dict], folder: Path) -> str:
    with open(folder / "scale.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    one = {r["articles"]: r["seconds"] for r in rows if r["mode"] == "extract-1"}
    lines = ["| mode | articles | words/doc | seconds | docs/s | speed-up vs extract-1 | ms/doc | peak MB per worker "
             "| peak MB JVM | peak MB total | load avg |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        speed = f"{one[r['articles']] / r['seconds']:.2f}x" if r["articles"] in one else ""
        lines.append(f"| {r['mode']} | {r['articles']:,} | {r.get('words_per_doc', '')} | {r['seconds']:.1f} | {r['docs_per_s']:.1f} | {speed} | "
                     f"{1000 * r['seconds'] / r['articles']:.1f} | {r['worker_mb']:.0f} | {r['jvm_mb']:.0f} | "
                     f"{r['total_mb']:.0f} | {r.get('load', 0):.1f} |")
    growth = []
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = sorted((r["articles"], r["seconds"]) for r in rows if r["mode"] == mode)
        for (n0, s0), (n1, s1) in zip(mine, mine[1:]):
            growth.append(f"- {mode}: {n1 / n0:.0f}x the articles took {s1 / s0:.2f}x the time "
                          f"({_growth((s1 / s0) / (n1 / n0))}: {1000 * s0 / n0:.1f} -> {1000 * s1 / n1:.1f} ms/doc)")
    text = "\n".join(lines + ([""] + growth if growth else [])) + "\n"
    (folder / "scale.md").write_text(text, encoding="utf-8")
    plot(rows, folder / "scale.png")
    return text


def _growth(ratio: float) -> str:
    """How time grew against articles: within 15 % of proportional is linear; less means the fixed start-up
    was spread over more articles, more means something costs more per article as the set grows."""
    if ratio < 0.85:
        return "sub-linear: fixed start-up spread over more articles"
    return "linear" if ratio <= 1.15 else "SUPER-LINEAR: per-article cost rises with the set"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = sorted((r["articles"], r["seconds"]) for r in rows if r["mode"] == mode)
        ax.plot([n for n, _ in mine], [s for _, s in mine], marker="o", label=mode)
    ax.set_xlabel("articles")
    ax.set_ylabel("wall-clock seconds (start-up included)")
    ax.set_title("coopwatch: time versus articles")
    if len({r["articles"] for r in rows}) > 2:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(args: argparse.Namespace) -> int:
    from ..read import read_paths

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    sources = [a for a in read_paths(args.paths or [ROOT / "examples"]) if isinstance(a, Article)]
    if not sources:
        raise SystemExit("coopwatch bench --scale: no readable articles to recombine")
    table = Path(args.table) if args.table else folder
    table.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        articles = folder / f"articles-{n}.jsonl"
        records = synthetic_articles(sources, n, args.seed, args.paragraphs)
        write_articles(articles, records)
        words = sum(len(r["text"].split()) for r in records) / n
        runs = folder / f"run-{n}"
        runs.mkdir(exist_ok=True)
        for mode in modes:
            print(f"bench --scale: {mode} on {n:,} articles ...", file=sys.stderr, flush=True)
            result = measure(commands(mode, articles, runs))
            rows.append({"mode": mode, "articles": n, "words_per_doc": round(words),
                         **{k: round(v, 2) for k, v in result.items()},
                         "docs_per_s": round(n / result["seconds"], 2)})
            print(f"  {result['seconds']:.1f} s, {n / result['seconds']:.1f} docs/s, "
                  f"worker {result['worker_mb']:.0f} MB", file=sys.stderr, flush=True)
            write_report(_with_earlier(rows, table), table)  # a partial table survives an interrupted run
    print(write_report(_with_earlier(rows, table), table))
    print(f"wrote {table / 'scale.md'}, {table / 'scale.csv'}, {table / 'scale.png'}")
    return 0


def _with_earlier(rows: list[dict], table: Path) -> list[dict]:
    """`rows` with the rows of an earlier run in `table` for the modes and sizes not measured again."""
    path = table / "scale.csv"
    if not path.exists():
        return rows
    measured = {(r["mode"], r["articles"]) for r in rows}
    with open(path, newline="") as f:
        earlier = [{k: v if k == "mode" else int(v) if k in ("articles", "words_per_doc") else float(v)
                    for k, v in r.items()} for r in csv.DictReader(f)]
    kept = [r for r in earlier if (r["mode"], r["articles"]) not in measured]
    return sorted(kept + rows, key=lambda r: (r["articles"], MODES.index(r["mode"]) if r["mode"] in MODES else 99))
