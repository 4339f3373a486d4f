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
]


def generated_articles(count: int):
    from ..document import Article
    from ..read import read_paths

    bases = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    start = date(2015, 1, 1)
    for i in range(count):
        base = bases[i % len(bases)]
        published = (start + timedelta(days=(i * 7) % 3650)).isoformat()
        yield dataclasses.replace(base, id=f"{base.id}-{i:05d}", published=published)


def rekeyed(record: dict, article) -> dict:
    copied = copy.deepcopy(record)
    copied["id"], copied["published"] = article.id, article.published
    return copied


def bench_store(docs: int = 10_000, db: str | None = None, requests: int = 40, sample: int = 160,
                reuse: bool = False) -> str:
    from ..pipeline import extract_articles
    from .db import open_engine
    from .ingest import content_hash, ingest, store_records
    from .migrations import migrate

    workdir = tempfile.TemporaryDirectory()
    path = db or str(Path(workdir.name) / "bench.db")
    if reuse and Path(path).exists():
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
    started = time.perf_counter()
    rest = articles[sample:]
    for i in range(0, len(rest), 64):
        batch = rest[i:i + 64]
        with engine.begin() as conn:
            store_records(conn, [rekeyed(records[(sample + i + j) % len(records)], a) for j, a in enumerate(batch)],
                          [content_hash(a) for a in batch])
    store_rest_seconds = time.perf_counter() - started
    with engine.begin() as conn:  # as `coopwatch ingest` does at the end
        conn.exec_driver_sql("PRAGMA optimize")

    extract_per_doc = extract_seconds / sample
    store_per_doc = (store_sample_seconds + store_rest_seconds) / docs
    extraction_rate = 1 / extract_per_doc
    ingest_rate = 1 / (extract_per_doc + store_per_doc)

    lines = [
        f"record: {docs} articles generated from {EXAMPLES} (SQLite, {path if db else 'temporary file'})",
        f"extraction alone        {extraction_rate:8.1f} docs/s  ({sample} articles through the pipeline)",
        f"ingest (real, sample)   {sample / sample_seconds:8.1f} docs/s  (pipeline + store, {sample} articles)",
        f"store only              {1 / store_per_doc:8.1f} docs/s  (all {docs} articles)",
        f"ingest, {docs} articles {ingest_rate:8.1f} docs/s  = {ingest_rate / extraction_rate:.1%} of extraction alone",
        "",
    ] + _latency_report(path, requests)
    workdir.cleanup()
    return "\n".join(lines)


def _latency_report(path: str, requests: int) -> list[str]:
    from fastapi.testclient import TestClient

    from ..web.app import create_app

    client = TestClient(create_app(path))
    latencies = {}
    for query in API_QUERIES:
        client.get(query)  # warm caches
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (query, response.text)
        latencies[query] = (statistics.quantiles(times, n=20)[18], statistics.median(times))
    all_p95 = max(p95 for p95, _ in latencies.values())
    lines = [f"{'API query':<62} {'p95 ms':>8} {'median ms':>10}"]
    lines += [f"{q:<62} {p95:8.1f} {median:10.1f}" for q, (p95, median) in latencies.items()]
    lines.append(f"{'worst p95':<62} {all_p95:8.1f}")
    return lines
