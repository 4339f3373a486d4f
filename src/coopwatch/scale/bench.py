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
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from ..document import Article

MODES = ("extract-1", "extract-2", "spark-local2")  # the extraction modes (`bench --scale` runs them by default)
# the resolution modes (`--modes resolve-rebuild,resolve+10,resolve+100,spark-resolve`): over a record of extraction
# records, not raw articles (see resolution_rows)
RESOLUTION_MODES = ("resolve-rebuild", "resolve+10", "resolve+100", "spark-resolve")

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

def measure(command: list[str], interval: float = 0.25, log: Path | None = None) -> dict:
    """Run `command`; wall seconds, peak RSS of its largest Python process and of the whole tree, in MB. Its
    stderr goes to `log` (else a temporary file: a pipe read at the end would stall a chatty run once full)."""
    import tempfile

    with open(log, "w+b") if log else tempfile.TemporaryFile() as errors:
        return _measured(command, interval, errors)


def _measured(command: list[str], interval: float, errors) -> dict:
    import os

    import psutil

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    proc = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
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
    errors.seek(0)
    err = errors.read().decode(errors="replace")
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


def new_articles(row: dict) -> int:
    """The articles a run processed: the whole set, or the new articles an incremental resolution settled."""
    return int(row.get("new_articles") or row["articles"])


def write_report(rows: list[dict], folder: Path) -> str:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with open(folder / "scale.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    one = {r["articles"]: r["seconds"] for r in rows if r["mode"] == "extract-1"}
    lines = ["| mode | articles | new | words/doc | seconds | docs/s | speed-up vs extract-1 | ms/doc | peak MB per "
             "worker | peak MB JVM | peak MB total | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        extraction = r["mode"] not in RESOLUTION_MODES
        speed = f"{one[r['articles']] / r['seconds']:.2f}x" if r["articles"] in one and extraction else ""
        new = new_articles(r)
        lines.append(f"| {r['mode']} | {r['articles']:,} | {f'{new:,}' if r['mode'].startswith('resolve+') or new != r['articles'] else ''} | "
                     f"{r.get('words_per_doc', '')} | {r['seconds']:.1f} | {new / r['seconds']:.1f} | {speed} | "
                     f"{1000 * r['seconds'] / new:.1f} | {r['worker_mb']:.0f} | {r['jvm_mb']:.0f} | "
                     f"{r['total_mb']:.0f} | {r.get('load', 0):.1f} |")
    growth = []
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = sorted((r["articles"], r["seconds"], new_articles(r)) for r in rows if r["mode"] == mode)
        for (n0, s0, k0), (n1, s1, k1) in zip(mine, mine[1:]):
            if k0 != n0:  # incremental: the same number of new articles into a record n1 / n0 times larger
                growth.append(f"- {mode}: a record {n1 / n0:.0f}x larger, {k1:,} new articles took {s1 / s0:.2f}x "
                              f"the time ({1000 * s0 / k0:.1f} -> {1000 * s1 / k1:.1f} ms per new article; "
                              f"{'grows with the record' if s1 / s0 > 1.15 else 'flat'})")
                continue
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

    resolution = [r for r in rows if r["mode"] in RESOLUTION_MODES]
    fig, axes = plt.subplots(1, 2 if resolution else 1, figsize=(13 if resolution else 7, 4.5), squeeze=False)
    ax = axes[0][0]
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = sorted((r["articles"], r["seconds"]) for r in rows if r["mode"] == mode)
        ax.plot([n for n, _ in mine], [s for _, s in mine], marker="o", label=mode)
    ax.set_xlabel("articles (in the record, for resolution)")
    ax.set_ylabel("wall-clock seconds (start-up included)")
    ax.set_title("coopwatch: time versus articles")
    if len({r["articles"] for r in rows}) > 2:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    if resolution:
        ax = axes[0][1]
        for mode in dict.fromkeys(r["mode"] for r in resolution):
            mine = sorted((r["articles"], 1000 * r["seconds"] / new_articles(r)) for r in resolution
                          if r["mode"] == mode)
            ax.plot([n for n, _ in mine], [c for _, c in mine], marker="o", label=mode)
        ax.set_xlabel("articles in the record")
        ax.set_ylabel("ms per new article")
        ax.set_title("resolution: cost per new article versus record size")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
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
    resolution = [m for m in modes if m in RESOLUTION_MODES]
    modes = [m for m in modes if m not in RESOLUTION_MODES]
    if resolution:
        from ..pipeline import extract_articles

        base = [r for r in extract_articles(sources) if "error" not in r]
        for n in sizes:
            for row in resolution_rows(base, n, resolution, folder, args.seed):
                rows.append(row)
                write_report(_with_earlier(rows, table), table)
    for n in sizes if modes else ():
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


# --- resolution -------------------------------------------------------------------------------------------

# how many articles tell each story in the resolution record (a story told by a few outlets, as news is)
TOLD_BY = 4


def resolution_records(base: list[dict], n: int, seed: int = 6, tag: str = "rec", first: int = 0,
                       years: tuple[int, int] = (2016, 2025)) -> Iterator[dict]:
    """`n` extraction records for a record: stories, each told by TOLD_BY articles published over a few days.
    A story is a source article's extraction with every word outside names and figures swapped (bench-store's
    `rekeyed`: word frequencies stay those of the sources, spans hold) and its events moved to the story's date,
    drawn within `years`; each article telling it swaps half of the story's words again. So the record grows in
    stories, not in retellings of a dozen: two stories share their actors and common words but are no copies
    (a record of the same dozen events told thousands of times would measure nothing a real one does). Every
    50th article is a republication of the one before (an exact copy under another id), so duplicates are linked
    too. A generator: a record of 100k articles is written and stored as it is made, never held whole."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    from ..store.bench import rekeyed, word_lengths

    rng = random.Random(seed + first)
    vocabulary = word_lengths(base)
    story = last = None
    for k in range(first, first + n):
        if story is None or k % TOLD_BY == 0:
            source = base[(k // TOLD_BY) % len(base)]
            day = date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
            story = rekeyed(source, SimpleNamespace(id=f"story{k // TOLD_BY}", published=day.isoformat()),
                            vocabulary, k // TOLD_BY, swap_every=1)
        published = date.fromisoformat(story["published"]) + timedelta(days=k % TOLD_BY)
        article = SimpleNamespace(id=f"{tag}{k:06d}-{source['id']}", published=published.isoformat())
        if k % 50 == 49 and last:
            copy = json.loads(json.dumps(last))
            copy["id"], copy["published"] = article.id, max(article.published, last["published"] or "")
            yield copy
            continue
        last = rekeyed(story, article, vocabulary, k, move_dates=False)
        yield last


def resolution_rows(base: list[dict], n: int, modes: list[str], folder: Path, seed: int = 6) -> list[dict]:
    """The resolution modes on a record of `n` articles: `resolve --db` (a full rebuild, its own process),
    `resolve+10` and `resolve+100` (that many new articles, dated after the record, stored and resolved as
    `coopwatch ingest` does: the resolution's wall seconds, in this process) and `coopwatch spark-resolve --master
    local[2]` over the same records as extraction JSON Lines (its own process tree)."""
    from ..store.db import open_engine
    from ..store.ingest import record_hash, store_records
    from ..store.migrations import migrate
    from ..store.resolution import rebuild, update

    exe = [sys.executable, "-m", "coopwatch.cli"]
    runs = folder / f"resolution-{n}"
    runs.mkdir(parents=True, exist_ok=True)
    incremental = [m for m in modes if m.startswith("resolve+")]
    stored = "resolve-rebuild" in modes or bool(incremental)
    path = runs / "records.jsonl"
    db = runs / "record.db"
    if stored:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        engine = open_engine(str(db))
        migrate(engine)
    started, words = time.perf_counter(), 0
    with open(path, "w", encoding="utf-8") as f:  # written (and stored) as made: never held whole
        records = resolution_records(base, n, seed)
        while batch := list(islice(records, 64)):
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in batch)
            words += sum(len(r["text"].split()) for r in batch)
            if stored:
                with engine.begin() as conn:
                    store_records(conn, batch, [record_hash(r) for r in batch])
    words = round(words / n)
    print(f"bench --scale: made {'and stored ' if stored else ''}{n:,} records in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    rows = []

    def row(mode: str, result: dict, new: int) -> dict:
        out = {"mode": mode, "articles": n, "new_articles": new, "words_per_doc": words,
               **{k: round(v, 2) for k, v in result.items()}, "docs_per_s": round(new / result["seconds"], 2)}
        print(f"  {mode}: {result['seconds']:.1f} s, {1000 * result['seconds'] / new:.1f} ms per article",
              file=sys.stderr, flush=True)
        return out

    if "spark-resolve" in modes:
        print(f"bench --scale: spark-resolve on {n:,} articles ...", file=sys.stderr, flush=True)
        log = runs / "spark-resolve.log"
        result = measure([*exe, "spark-resolve", str(path), str(runs / "spark"), "--master", "local[2]",
                          "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.memory=2g",
                          "--conf", "spark.sql.shuffle.partitions=8"], log=log)
        # its summary: the counts and each step's seconds
        print(*(f"  {line}" for line in log.read_text(errors="replace").splitlines()
                if line.startswith("coopwatch spark-resolve:")), sep="\n", file=sys.stderr, flush=True)
        rows.append(row("spark-resolve", result, n))
    if not stored:
        return rows
    if "resolve-rebuild" in modes:
        print(f"bench --scale: resolve --db on {n:,} articles ...", file=sys.stderr, flush=True)
        engine.dispose()
        result = measure([*exe, "resolve", "--db", str(db), "-o", str(runs / "resolve")])
        rows.append(row("resolve-rebuild", result, n))
    else:
        rebuild(engine)
    first = 10 ** 6
    for mode in incremental:
        count = int(mode.split("+")[1])
        new = list(resolution_records(base, count, seed, tag="new", first=first, years=(2026, 2026)))
        first += count
        with engine.begin() as conn:
            store_records(conn, new, [record_hash(r) for r in new])
        print(f"bench --scale: {mode} into {n:,} articles ...", file=sys.stderr, flush=True)
        import os

        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        done = update(engine)
        seconds = time.perf_counter() - started
        kind = type(done).__name__
        if kind != "Incremental":
            print(f"  {mode}: not incremental ({getattr(done, 'rebuilt_because', kind)})", file=sys.stderr)
        rows.append(row(mode, {"seconds": seconds, "cpu_seconds": time.process_time() - cpu, "worker_mb": 0.0,
                               "jvm_mb": 0.0, "total_mb": 0.0, "load": max(load, os.getloadavg()[0])}, count))
    engine.dispose()
    return rows


def _with_earlier(rows: list[dict], table: Path) -> list[dict]:
    """`rows` with the rows of an earlier run in `table` for the modes and sizes not measured again."""
    path = table / "scale.csv"
    if not path.exists():
        return rows
    measured = {(r["mode"], r["articles"]) for r in rows}
    with open(path, newline="") as f:
        earlier = [{k: v if k == "mode" else int(v) if k in ("articles", "words_per_doc", "new_articles") else float(v)
                    for k, v in r.items() if v not in ("", None)} for r in csv.DictReader(f)]
    kept = [r for r in earlier if (r["mode"], r["articles"]) not in measured]
    order = MODES + RESOLUTION_MODES
    return sorted(kept + rows, key=lambda r: (r["articles"], order.index(r["mode"]) if r["mode"] in order else 99))
