"""`coopwatch bench-store`: ingest rate into SQLite and API latency on a record of generated articles.

Articles are the project's examples with varied ids and publication dates. Extraction is the slow part
(a few docs/s on one core), so the real `ingest` (pipeline + store) runs on a sample, timing extraction and
storage apart; the rest of the record is filled by storing re-keyed copies of the sample's records, which
costs the store exactly what ingesting them would. The ingest rate for the full count is then
1 / (extraction s/doc + store s/doc measured at that size). `--sample` equal to `--docs` extracts everything.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import re
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
API_QUERIES = [
    "/api/events?limit=50",
    "/api/events?sector=nuclear&limit=50",
    "/api/events?type=agreement&country=RU&limit=50",
    "/api/events?date_from=2020-01-01&date_to=2021-12-31&limit=50",
    "/api/events?actor=rosatom&limit=50",
    "/api/events?q=hydrogen&limit=50",
    "/api/events?q=gas&sector=oil_gas&offset=500&limit=50",
    "/api/documents?q=lunar+station&limit=50",
    "/api/actors?limit=50",
    "/api/figures?sector=oil_gas&limit=50",
    "/api/quotes?limit=50",
    # the rest of the main lists and filters, the aggregates and the pages built on them
    "/api/events?plover=AID&limit=50",
    "/api/events?country=MN&limit=50",
    "/api/events?sector=renewables&date_from=2018-01-01&limit=50",
    "/api/events/facets",
    "/api/events/facets?sector=hydrogen&country=RU",
    "/api/stats",
    "/api/stats?sector=nuclear",
    "/api/documents?limit=50",
    "/api/documents?sector=hydrogen&limit=50",
    "/api/actors?country=RU&limit=50",
    "/api/figures?limit=50",
    "/api/quotes?q=cooperation&limit=50",
    "/api/events?format=csv&actor=rosatom&date_from=2024-01-01&date_to=2024-03-31",
    "/",
    "/events",
    "/events?sector=nuclear&type=agreement",
    "/search?q=hydrogen",
]


class BenchFailed(RuntimeError):
    """A measurement that cannot stand: a query the record did not answer with 200 (a real check, which
    `python -O` keeps; an assert would vanish and the failed query's time be reported as its latency)."""


def generated_articles(count: int):
    from ..document import Article
    from ..read import read_paths

    bases = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    start = date(2015, 1, 1)
    for i in range(count):
        base = bases[i % len(bases)]
        published = (start + timedelta(days=(i * 7) % 3650)).isoformat()
        yield dataclasses.replace(base, id=f"{base.id}-{i:05d}", published=published)


def rekeyed(record: dict, article, vocabulary: dict[int, list[str]] | None = None, variant: int = 0,
            move_dates: bool = True, swap_every: int = 2) -> dict:
    """`record` as the extraction of `article`: its events moved in time with its publication (`_shift_dates`)
    unless `move_dates` is false; with a vocabulary, its text varied by `variant` (`_vary`: one word in
    `swap_every` swapped)."""
    copied = copy.deepcopy(record)
    if move_dates:
        _shift_dates(copied, record.get("published"), article.published)
    copied["id"], copied["published"] = article.id, article.published
    if vocabulary:
        _vary(copied, vocabulary, variant, swap_every)
    return copied


def _shift_dates(record: dict, published: str | None, republished: str | None) -> None:
    """Move the record's event dates by as many days as its publication moved: an article told on another day
    tells of other days. (Kept where they were, ten thousand articles of a dozen sources would all report the
    same dozen events on the same days, one merged event per source told thousands of times: no real record.)"""
    if not published:  # an undated source: its latest event's day stands for its publication
        days = [e["date"]["value"] for e in record.get("events") or [] if (e.get("date") or {}).get("value")
                and "/" not in e["date"]["value"]]
        published = max(days, default="")
        published += {4: "-07-01", 7: "-15"}.get(len(published), "")
    try:
        delta = date.fromisoformat(republished) - date.fromisoformat(published)
    except (TypeError, ValueError):
        return
    if not delta:
        return

    def moved(value: str) -> str:
        if "/" in value:
            return "/".join(moved(part) for part in value.split("/"))
        try:
            if len(value) == 10:
                return (date.fromisoformat(value) + delta).isoformat()
            if len(value) == 7:
                return (date.fromisoformat(f"{value}-15") + delta).isoformat()[:7]
            if len(value) == 4:
                return (date.fromisoformat(f"{value}-07-01") + delta).isoformat()[:4]
        except ValueError:
            pass
        return value

    for event in record.get("events") or []:
        if (event.get("date") or {}).get("value"):
            event["date"] = dict(event["date"], value=moved(event["date"]["value"]))


def word_lengths(records: list[dict]) -> dict[int, list[str]]:
    """Every word of the records' texts (repeats kept, so drawing from it keeps their frequencies), by length."""
    out: dict[int, list[str]] = {}
    for record in records:
        for word in re.findall(r"\w+", record["text"]):
            out.setdefault(len(word), []).append(word)
    return out


def _vary(record: dict, vocabulary: dict[int, list[str]], variant: int, swap_every: int = 2) -> None:
    """Make the record's text an article of its own, not a copy of its base: one in `swap_every` of the words
    outside the names and figures (about half by default, all with 1) is swapped for words of the same length
    drawn from all the texts (so every span still holds and word frequencies stay those of the examples). Ingest
    links copies of other articles and lists leave them out, so a record of 10,000 copies of a dozen articles
    would be a record of a dozen articles."""
    text = record["text"]
    kept = [tuple(m) for e in record.get("entities") or [] for m in e.get("mentions") or []]
    kept += [tuple(q["span"]) for q in record.get("quantities") or []]
    pieces, last = [], 0
    for n, word in enumerate(re.finditer(r"\w+", text)):
        start, end = word.span()
        draw = (n * 7919 + variant * 104729) % 1_000_003
        if draw % swap_every or any(a < end and start < b for a, b in kept):
            continue
        same_length = vocabulary[end - start]
        pieces += [text[last:start], same_length[draw % len(same_length)]]
        last = end
    varied = "".join(pieces) + text[last:]
    record["text"] = varied
    for event in record.get("events") or []:
        if event["sentence"] == text[event["span"][0]:event["span"][1]]:
            event["sentence"] = varied[event["span"][0]:event["span"][1]]
    for quote in record.get("quotes") or []:
        if quote["text"] == text[quote["span"][0]:quote["span"][1]]:
            quote["text"] = varied[quote["span"][0]:quote["span"][1]]


def bench_store(docs: int = 10_000, db: str | None = None, requests: int = 40, sample: int = 160,
                reuse: bool = False, resolve: bool = True) -> str:
    from ..pipeline import extract_articles
    from .db import open_engine, refresh_statistics
    from .ingest import content_hash, ingest, store_records
    from .migrations import migrate
    from .resolution import rebuild

    workdir = tempfile.TemporaryDirectory()
    path = db or str(Path(workdir.name) / "bench.db")
    if reuse and Path(path).exists():
        engine = open_engine(path)
        migrate(engine)  # a record built by an older coopwatch is brought up to date first
        with engine.begin() as conn:
            refresh_statistics(conn)
        return "\n".join(_latency_report(path, requests))
    Path(path).unlink(missing_ok=True)
    engine = open_engine(path)
    migrate(engine)
    articles = list(generated_articles(docs))
    sample = min(sample, docs)
    # warm the spaCy pipeline so model loading is not counted as extraction
    list(extract_articles(articles[:1]))

    extract_seconds = 0.0
    sample_records: dict[str, dict] = {}

    def timed_extract(items):
        nonlocal extract_seconds
        started = time.perf_counter()
        out = list(extract_articles(items))
        extract_seconds += time.perf_counter() - started
        for record in out:
            sample_records[record["id"]] = record
        return out

    started = time.perf_counter()
    ingest(engine, articles[:sample], extract=timed_extract)
    sample_seconds = time.perf_counter() - started
    store_sample_seconds = sample_seconds - extract_seconds

    # the rest: the sample's records re-keyed to the remaining articles, stored batch by batch
    records = list(sample_records.values())
    vocabulary = word_lengths(records)
    started = time.perf_counter()
    rest = articles[sample:]
    for i in range(0, len(rest), 64):
        batch = rest[i:i + 64]
        with engine.begin() as conn:
            store_records(conn, [rekeyed(records[(sample + i + j) % len(records)], a, vocabulary, sample + i + j)
                                 for j, a in enumerate(batch)],
                          [content_hash(a) for a in batch])
    store_rest_seconds = time.perf_counter() - started
    rebuild_seconds = None
    resolution_lines: list[str] = []
    if resolve:  # `coopwatch resolve --db`: resolution over the whole record, then new articles settled into it
        started, cpu = time.perf_counter(), time.process_time()
        rebuild(engine)
        rebuild_seconds = time.perf_counter() - started
        resolution_lines = _incremental_report(path, records, vocabulary, docs, rebuild_seconds,
                                               time.process_time() - cpu)
    with engine.begin() as conn:  # as `coopwatch ingest` does at the end
        refresh_statistics(conn)

    extract_per_doc = extract_seconds / sample
    store_per_doc = (store_sample_seconds + store_rest_seconds) / docs
    extraction_rate = 1 / extract_per_doc
    ingest_rate = 1 / (extract_per_doc + store_per_doc)
    with_resolution = 1 / (extract_per_doc + store_per_doc + (rebuild_seconds or 0) / docs)

    lines = [
        f"record: {docs} articles generated from {EXAMPLES} (SQLite, {path if db else 'temporary file'})",
        f"extraction alone        {extraction_rate:8.1f} docs/s  ({sample} articles through the pipeline)",
        f"ingest (real, sample)   {sample / sample_seconds:8.1f} docs/s  (pipeline + store, {sample} articles)",
        f"store only              {1 / store_per_doc:8.1f} docs/s  (all {docs} articles, near-duplicates linked)",
        f"ingest, {docs} articles {ingest_rate:8.1f} docs/s  = {ingest_rate / extraction_rate:.1%} of extraction alone",
        f"resolution rebuild      " + (f"{rebuild_seconds:8.1f} s       (actor merges, merged events, projects over "
                                       f"the whole record; with it, ingest is {with_resolution / extraction_rate:.1%} "
                                       f"of extraction)" if rebuild_seconds is not None else "    not run (--no-resolve)"),
        "",
    ] + resolution_lines + _latency_report(path, requests)
    workdir.cleanup()
    return "\n".join(lines)


def _incremental_report(path: str, records: list[dict], vocabulary: dict, docs: int, full_seconds: float,
                        full_cpu: float, rounds: int = 3, per_round: int = 10) -> list[str]:
    """Rounds of `per_round` new articles (published after the record, as a day's news is) stored and resolved as
    `coopwatch ingest` does, in a copy of the record (which keeps its `--docs` articles): the resolution's wall and
    CPU seconds against the full rebuild's."""
    import sqlite3
    from types import SimpleNamespace

    from .db import open_engine
    from .ingest import record_hash, store_records
    from .resolution import Incremental, update

    copy = f"{path}.incremental"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    engine = open_engine(copy)

    lines = [f"{'resolution':<34} {'wall s':>8} {'cpu s':>8} {'per new article':>16} {'of full (cpu)':>14}",
             f"{'full rebuild, ' + str(docs) + ' articles':<34} {full_seconds:8.2f} {full_cpu:8.2f} "
             f"{'':>16} {'100.0%':>14}"]
    for n in range(rounds):
        batch = []
        for j in range(per_round):
            article = SimpleNamespace(id=f"new-{n}-{j:02d}", published=f"2026-{n + 1:02d}-{j + 10:02d}")
            batch.append(rekeyed(records[(n * per_round + j) * 37 % len(records)], article, vocabulary,
                                 10 ** 6 + n * per_round + j))
        with engine.begin() as conn:
            store_records(conn, batch, [record_hash(r) for r in batch])
        started, cpu = time.perf_counter(), time.process_time()
        done = update(engine)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        kind = "incremental" if isinstance(done, Incremental) else "rebuilt"
        lines.append(f"{f'+{per_round} new articles ({kind})':<34} {wall:8.2f} {cpu:8.2f} "
                     f"{cpu / per_round * 1000:13.0f} ms {cpu / full_cpu:14.1%}")
    lines.append(f"load average while measuring (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(copy + suffix).unlink(missing_ok=True)
    return lines + [""]


def _latency_report(path: str, requests: int) -> list[str]:
    from fastapi.testclient import TestClient

    from ..web.app import create_app

    # the queries' own latency: without the response cache (web/cache.py), which would replay all but the first
    client = TestClient(create_app(path, cache=False))
    latencies = {}
    for query in API_QUERIES:
        started = time.perf_counter()
        _answered(query, client.get(query))  # warms the page cache and the aggregate cache: its time is the cold one
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(query)
            times.append((time.perf_counter() - started) * 1000)
            _answered(query, response)
        latencies[query] = (statistics.quantiles(times, n=20)[18], statistics.median(times), first)
    all_p95 = max(p95 for p95, _, _ in latencies.values())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"{'API query':<78} {'p95 ms':>8} {'median ms':>10} {'first ms':>9}"]
    lines += [f"{q:<78} {p95:8.1f} {median:10.1f} {first:9.1f}" for q, (p95, median, first) in latencies.items()]
    lines.append(f"{'worst p95':<78} {all_p95:8.1f}")
    lines.append(f"load average after measuring (1, 5, 15 min): {load}")
    return lines


def _answered(query: str, response) -> None:
    if response.status_code != 200:
        detail = " ".join(response.text.split())[:200]
        raise BenchFailed(f"{query} answered {response.status_code}, not 200: {detail}")
