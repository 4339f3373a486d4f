"""`coopwatch spark-resolve INPUT [OUTPUT]`: the cross-article resolution as a Spark batch job.

INPUT is what `coopwatch spark` wrote (its Parquet tables) or `coopwatch extract` JSON Lines, on any path Spark
reads. The job runs the rules of coopwatch.resolve, not a copy of them; only the way the work is spread differs:

- duplicates   exact copies: articles grouped by their normalised-text hash. Near copies: each article's MinHash
               signature cut into the LSH bands of the local resolver and the store (`lsh_bands`), the articles
               grouped by band: every pair sharing one is a candidate, as it is locally; the candidates whose
               estimate or containment could reach the bars are judged by `resolve.duplicates.near_pair` and the
               pairs linked by `link_pairs`, the local resolver's functions. (MLlib's MinHashLSH amplifies by OR
               only, one hash per table: at the low candidate threshold, every two articles sharing a few phrases
               became a candidate, and 100k articles ran the JVM out of memory.)
- actors       `actor_input` of every article on the executors (names, types, sides, definitions: no text),
               `resolve_actors` over them on the driver: the one step that sees the whole record at once.
- events       `event_item` on the executors; each event goes to every share of the blocking (`block_of`: a type
               and date, or a type and organisation pair) its `filing_keys` and `probe_keys` fall in (one shuffle),
               and each share is searched on its own as `merge_events` searches the whole record, the pairs it
               meets compared by `_compare` (the local rules). Events joined by a mergeable pair form
               components; each component settles on one executor in order of seniority by
               `choose` and `join`, exactly as `merge_events` settles the whole record (a choice only depends on
               the event's partners and their groups, all inside its component), and `build_group` builds the
               merged events.
- projects     `doc_mentions` and `figure_refs` per article on the executors, `settle_units` on the driver (unit
               mentions settle across a site), `assign` and `entry` per merged event on the executors, `assemble`
               per project key.

It writes one Parquet table per kind under OUTPUT (default: INPUT/resolution when INPUT is a `coopwatch spark`
output): `articles`, `duplicates`, `actors`, `events` (merged events), `projects`; each row has its main fields as
columns and the whole record (`resolve FILES`'s JSON) in `json`. `coopwatch ingest --from-parquet INPUT` loads them
into the record's resolution tables (`load_resolution`) when they resolve exactly the articles the record holds.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from .document import FACTS, fact_id
from .spark import spark_session

RESOLUTION_TABLES = ("articles", "duplicates", "actors", "events", "projects")
# articles per partition by default: a partition's records (about 15 KB each) stay small beside an executor's heap
ARTICLES_PER_PARTITION = 2000


def _kept(rdd):
    """`rdd` kept for the steps that read it again, on the executors' disks: Python rows reach the JVM as pickled
    bytes either way, and kept on disk they take none of its heap (kept in memory first, the records, shingles and
    events of 100k articles ran a 2 GB JVM out of memory)."""
    from pyspark import StorageLevel

    return rdd.persist(StorageLevel.DISK_ONLY)


def register(subcommands) -> None:
    p = subcommands.add_parser(
        "spark-resolve", help="resolve duplicates, actors, events and projects on Spark into Parquet tables",
        description="Run the cross-article resolution on Spark over a `coopwatch spark` output (or `coopwatch "
                    "extract` JSON Lines) and write its tables as Parquet; `coopwatch ingest --from-parquet` "
                    "loads them.")
    p.add_argument("input", metavar="INPUT", help="a `coopwatch spark` output folder, or extraction JSON Lines")
    p.add_argument("output", metavar="OUTPUT", nargs="?", default=None,
                   help="folder or URI for the resolution tables (default: INPUT/resolution for a spark output)")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] or spark://host:7077")
    p.add_argument("--partitions", type=int, default=None,
                   help="partitions of the articles (default: one per 2,000 articles, at least 2 per core)")
    p.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate Jaccard threshold (default from data/resolve.toml)")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting")
    p.add_argument("--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(run=run_spark_resolve)


def default_output(path: str) -> str | None:
    return f"{path.rstrip('/')}/resolution" if is_spark_output(path) else None


def is_spark_output(path: str) -> bool:
    local = Path(path)
    return not local.exists() or local.is_dir() and (local / "documents").is_dir()


def run_spark_resolve(args: argparse.Namespace) -> int:
    output = args.output or default_output(args.input)
    if output is None:
        print("coopwatch spark-resolve: give OUTPUT for JSON Lines input", file=sys.stderr)
        return 2
    if not Path(args.input).exists() and "://" not in args.input:
        print(f"coopwatch spark-resolve: {args.input} does not exist", file=sys.stderr)
        return 2
    spark = spark_session(args.master, args.conf, app="coopwatch-resolve")
    try:
        spark.sparkContext.setLogLevel("ERROR")
        counts = resolve_job(spark, args.input, output, args.partitions, args.threshold)
    finally:
        spark.stop()
    if not args.quiet:
        print("coopwatch spark-resolve: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
              + f" -> {output}", file=sys.stderr)
    return 0


# --- the articles, as extraction records -------------------------------------------------------------------

def _record(row: dict) -> dict:
    """A documents row joined with its facts (lists of structs, in their order); `as_stored` reads it as a record."""
    facts = {key: sorted(row.get(key) or [], key=lambda item: item["position"]) for key in FACTS if key != "quotes"}
    return {**row, **facts}


def extraction_records(spark, path: str, partitions: int | None = None):
    """An RDD of the extraction records under `path` (what resolve reads: no quotes), one per article id (the
    first in the input where an id repeats, as `resolve FILES` reads them); failed and empty articles left out. In
    `partitions` partitions, by default enough for ARTICLES_PER_PARTITION each."""
    from pyspark.sql import functions as F

    base = path.rstrip("/")
    lines = spark.read.parquet(f"{base}/documents") if is_spark_output(path) else spark.read.text(path)
    wanted = partitions or max(2 * spark.sparkContext.defaultParallelism, -(-lines.count() // ARTICLES_PER_PARTITION))
    if is_spark_output(path):
        frame = lines.select("doc_index", "id", "title", "url", "outlet", "published", "language", "text")
        for key, (table, _) in ((k, v) for k, v in FACTS.items() if k != "quotes"):
            facts = spark.read.parquet(f"{base}/{table}")
            fields = [c for c in facts.columns if c not in ("doc_index", "document_id")]
            frame = frame.join(facts.groupBy("doc_index").agg(F.collect_list(F.struct(*fields)).alias(key)),
                               "doc_index", "left")
        records = frame.rdd.map(lambda row: _record(row.asDict(recursive=True)))
    else:
        records = (lines.rdd.map(lambda row: row["value"]).filter(lambda line: line and line.strip())
                   .zipWithIndex().map(lambda p: dict(json.loads(p[0]), doc_index=p[1])))
    return (records.filter(lambda r: "error" not in r and r.get("text")).map(as_stored)
            .keyBy(lambda r: r["id"]).reduceByKey(lambda a, b: a if a["doc_index"] < b["doc_index"] else b, wanted)
            .values())


def as_stored(record: dict) -> dict:
    """The record as the store reads it back (`store.resolution.load_records`: the extraction's JSON through
    `Extraction.from_json`), so that the tables load into a record as its own rebuild writes them."""
    from .document import Extraction

    return {**Extraction.from_json(record).to_json(), "doc_index": record.get("doc_index")}


# --- the four steps ----------------------------------------------------------------------------------------

def _shingle_row(record: dict, k: int) -> dict:
    from .resolve.common import words
    from .resolve.duplicates import shingles, text_hash

    tokens = words(record["text"])
    return {"id": record["id"], "hash": text_hash(record["text"], tokens), "words": len(tokens),
            "shingles": sorted(shingles(record["text"], k, tokens)), "published": record.get("published"),
            "title": record.get("title"), "outlet": record.get("outlet")}


def _pairs(ids) -> list[tuple[str, str]]:
    ids = sorted(ids)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def spark_duplicates(spark, records, threshold: float | None = None):
    """Exact copies by text hash; near copies found by MinHash LSH bands (`lsh_bands`, the local resolver's and
    the store's: the same candidates) and judged by `near_pair`; linked by `link_pairs`. Returns the
    DuplicateResult (the links are few: they are collected)."""
    from .resolve.common import settings
    from .resolve.duplicates import (band_keys, estimated_jaccard, link_pairs, lsh_bands, may_be_contained,
                                     near_pair, signature)

    conf = settings()["duplicates"]
    threshold = conf["threshold"] if threshold is None else threshold
    containment, k, num_perm, min_words = conf["containment"], conf["shingle"], conf["num_perm"], conf["min_words"]
    bands, rows_per_band = lsh_bands(threshold)
    rows = _kept(records.map(lambda r: _shingle_row(r, k)))
    signed = None
    try:
        exact = rows.map(lambda d: (d["hash"], d["id"])).groupByKey().flatMap(lambda kv: _pairs(kv[1])).collect()
        exact_pairs = [{"a": a, "b": b, "kind": "exact", "jaccard": 1.0, "containment": 1.0} for a, b in sorted(exact)]
        exact_set = set(exact)
        long_enough = rows.filter(lambda d: d["words"] >= min_words and d["shingles"])
        signed = _kept(long_enough.map(lambda d: (d["id"], (
            [int(v) for v in signature(set(d["shingles"]), num_perm).hashvalues], len(d["shingles"])))))
        # candidates: the articles sharing a band; a pair sharing several is one candidate
        candidates = (signed.flatMap(lambda kv: [(key, kv[0]) for key in band_keys(kv[1][0], bands, rows_per_band)])
                      .groupByKey().flatMap(lambda kv: _pairs(kv[1])).distinct()
                      .filter(lambda pair: pair not in exact_set))

        def worth_judging(pair):
            """A near copy by its estimate, or one whose containment could reach the bar: the few pairs whose
            shingles are then joined (the store's test, `may_be_contained`)."""
            (a, b), ((sig_a, n_a), (sig_b, n_b)) = pair
            jaccard = round(estimated_jaccard(sig_a, sig_b), 3)
            return jaccard >= threshold or may_be_contained(jaccard, n_a, n_b, containment)

        shingled = long_enough.map(lambda d: (d["id"], d["shingles"]))

        def judge(pair):
            (a, b), (sa, sb) = pair
            sa, sb = set(sa), set(sb)
            return near_pair(a, b, signature(sa, num_perm), signature(sb, num_perm), sa, sb, threshold, containment)

        def with_both(pairs, table):
            """((a, b), (a's row, b's row)) for each pair (a, b), joined with `table` on both ids."""
            return (pairs.join(table).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))      # b -> (a, a's row)
                    .join(table).map(lambda kv: ((kv[1][0][0], kv[0]), (kv[1][0][1], kv[1][1]))))

        plausible = with_both(candidates, signed).filter(worth_judging).keys()
        near = with_both(plausible, shingled).map(judge).filter(bool).collect()
        pairs = exact_pairs + sorted(near, key=lambda p: (p["b"], p["a"]))
        paired = {d for p in pairs for d in (p["a"], p["b"])}
        docs = rows.filter(lambda d: d["id"] in paired).map(
            lambda d: {k: d[k] for k in ("id", "published", "title", "outlet")}).collect()
    finally:
        rows.unpersist()
        if signed is not None:
            signed.unpersist()
    return link_pairs(docs, pairs, threshold)


def _items(records, actors, copies: set[str]):
    """Every event of the original articles as merging reads it (`event_item`; an event the article lists twice
    once: `told_once`), keyed as the store keys it (`fact_id`)."""
    from .resolve.events import country_word, event_item, told_once

    def partition(rs):
        is_country = country_word()
        index = actors.value
        for r in rs:
            if r["id"] in copies:
                continue
            light = {k: r.get(k) for k in ("id", "published", "outlet", "title", "language")}
            for n, e in told_once(r):
                it = event_item(fact_id(r["id"], "events", n), r, n, e, index, is_country)
                it.doc = light  # what comparing and building read of the article
                yield it
    return records.mapPartitions(partition)


def _block_edges(block, conf: dict) -> Iterator[tuple[str, str, float, str]]:
    """One share of the blocking (`block_of`) searched as `merge_events` searches the whole record: its events in
    order of seniority, each meeting the earlier ones filed under the share's keys and compared by `_compare`.
    (junior, senior, score, rule) for each mergeable pair."""
    from .resolve.events import BlockIndex, _compare

    name, members = block
    index = BlockIndex(conf, name)
    for x in sorted(members, key=lambda it: it.rank):
        for y in index.partners(x):
            found = _compare(y, x, conf)
            if found:
                yield x.key, y.key, found[1], found[0]
        index.file(x)


def _components(pairs) -> dict[str, str]:
    """Each event linked to another by `pairs` -> its component (the smallest key in it)."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, *_ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _spanning(edges) -> Iterator[tuple[str, str]]:
    """A partition's edges reduced to what joins the same events: each event and its component within the
    partition. The driver joins these (at most one per event and partition), never the edges themselves."""
    return ((x, root) for x, root in _components(edges).items() if x != root)


def _settle(members, edges, actors, copies_of) -> list:
    """One component's events settled in order of seniority, as merge_events settles them, each with the partners
    and scores its shares found (`edges`: (junior, senior, score, rule), as `mergeable` gives them): merged
    events."""
    from .resolve.events import build_group, choose, join

    members = sorted(members, key=lambda it: it.rank)
    by_key = {it.key: it for it in members}
    seniors: dict[str, list] = {}
    for junior, senior, score, rule in sorted(edges):
        seniors.setdefault(junior, []).append((score, rule, by_key[senior]))
    group_of: dict = {}
    groups: dict = {}
    for x in members:
        group_id, merge = choose(x, seniors.get(x.key, []), group_of, groups)
        join(x, group_id, merge, group_of, groups)
    return [build_group(g["members"], g["merge"], actors, copies_of) for g in groups.values()]


def spark_events(spark, records, actors_b, duplicates):
    """The merged events (an RDD of MergedEvent)."""
    from .resolve.common import settings
    from .resolve.events import block_of, comparable, copies_by_original, filing_keys, probe_keys

    conf = settings()["events"]
    sc = spark.sparkContext
    copies = set(duplicates.original_of)
    copies_of = copies_by_original(duplicates)
    items = _kept(_items(records, actors_b, copies))

    def shares(it):
        light = comparable(it)
        return ((block, light) for block in dict.fromkeys(map(block_of, (*filing_keys(it), *probe_keys(it)))))

    # an event goes to each share of the blocking its keys fall in; a pair may meet in several organisation pairs
    edges = _kept(items.flatMap(shares).groupByKey().flatMap(lambda block: _block_edges(block, conf)).distinct())
    # mergeable pairs are many in a dense record: they stay on the executors, the driver only joins components
    component_b = sc.broadcast(_components(edges.mapPartitions(_spanning).toLocalIterator()))

    def component(key):
        return component_b.value.get(key, key)

    merged = (items.keyBy(lambda it: component(it.key)).cogroup(edges.keyBy(lambda edge: component(edge[0])))
              .flatMap(lambda kv: _settle(kv[1][0], kv[1][1], actors_b.value, copies_of)))
    return merged, items


def spark_projects(spark, records, merged, actors_b):
    """The projects (a list: few), from each article's mentions and each merged event's entry."""
    from .resolve.projects import (assemble, assign, doc_mentions, entry, figure_refs, mention_json,
                                   mentions_from_json, settle_units)

    sc = spark.sparkContext

    def found(r):
        got = doc_mentions(r, actors_b.value)
        return r["id"], r.get("published"), mention_json(got), figure_refs(r, got)

    per_doc = records.map(found).collect()
    published = {doc: when for doc, when, _, _ in per_doc}
    mentions = {doc: mentions_from_json(m) for doc, _, m, _ in per_doc}
    figures = {doc: f for doc, _, _, f in per_doc}
    settle_units(mentions)
    mentions = {doc: m for doc, m in mentions.items() if m}  # what assign and assemble read of the others: none
    figures = {doc: figures[doc] for doc in mentions}
    mentions_b, figures_b, published_b = sc.broadcast(mentions), sc.broadcast(figures), sc.broadcast(published)

    def entries(ev):
        got = assign(ev, mentions_b.value)
        return [(got[0], entry(ev, got[1], published_b.value, actors_b.value))] if got else []

    projects = (merged.flatMap(entries).groupByKey()
                .map(lambda kv: assemble(kv[0], list(kv[1]), mentions_b.value, figures_b.value, actors_b.value))
                .collect())
    return sorted(projects, key=lambda p: p.name.lower())


def resolve_job(spark, input_path: str, output: str, partitions: int | None = None,
                threshold: float | None = None) -> dict[str, int]:
    """Resolve the articles under `input_path` and write the resolution tables under `output`; counts."""
    from .resolve.actors import actor_input, resolve_actors

    sc = spark.sparkContext
    records = _kept(extraction_records(spark, input_path, partitions))
    try:
        clock = _Clock()
        articles = sorted(records.map(lambda r: r["id"]).collect())
        clock("read")
        duplicates = spark_duplicates(spark, records, threshold)
        clock("duplicates")
        actors = resolve_actors(sorted(records.map(actor_input).collect(), key=lambda a: a["id"]))
        clock("actors")
        actors_b = sc.broadcast(actors)
        merged, items = spark_events(spark, records, actors_b, duplicates)
        merged = _kept(merged)
        merged.count()
        clock("events")
        projects = spark_projects(spark, records, merged, actors_b)
        clock("projects")
        base = output.rstrip("/")
        dumps = _dumps
        spark.createDataFrame([(a,) for a in articles], "id string").coalesce(1).write.mode("overwrite") \
            .parquet(f"{base}/articles")
        spark.createDataFrame(
            [(d.id, d.doc, d.original, d.kind, float(d.jaccard), float(d.containment), dumps(d.to_json()))
             for d in duplicates.links],
            "id string, doc string, original string, kind string, jaccard double, containment double, json string",
        ).coalesce(1).write.mode("overwrite").parquet(f"{base}/duplicates")
        spark.createDataFrame(
            [(a.id, a.name, a.type, a.country, a.names, a.docs, dumps(a.to_json())) for a in actors.actors.values()],
            "id string, name string, type string, country string, names array<string>, docs array<string>, "
            "json string").write.mode("overwrite").parquet(f"{base}/actors")
        spark.createDataFrame(
            merged.map(lambda e: (e.id, e.type, e.date.get("value"), len(e.sources),
                                  [s["doc"] for s in e.sources], dumps(e.to_json()))),
            "id string, type string, date string, sources int, docs array<string>, json string",
        ).write.mode("overwrite").parquet(f"{base}/events")
        spark.createDataFrame(
            [(p.id, p.name, p.key, p.status, len(p.events), dumps(p.to_json())) for p in projects],
            "id string, name string, key string, status string, events int, json string",
        ).coalesce(1).write.mode("overwrite").parquet(f"{base}/projects")
        events = spark.read.parquet(f"{base}/events")
        clock("write")
        return {"articles": len(articles), "duplicate_links": len(duplicates.links), "actors": len(actors.actors),
                "actor_merges": len(actors.merges), "events": events.count(),
                "merged_events": events.where("sources > 1").count(), "projects": len(projects),
                **{f"s {step}": round(seconds, 1) for step, seconds in clock.steps.items()}}
    finally:
        records.unpersist()


class _Clock:
    """Wall seconds per step of the job (printed in the summary)."""

    def __init__(self):
        import time

        self.time, self.last, self.steps = time.perf_counter, time.perf_counter(), {}

    def __call__(self, step: str) -> None:
        now = self.time()
        self.steps[step], self.last = now - self.last, now


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- reading the tables back (no Spark needed) -------------------------------------------------------------

def read_resolution(folder: str):
    """The tables of a spark-resolve run as resolve's objects: (article ids, DuplicateResult, ActorIndex, merged
    events, projects)."""
    import pyarrow.parquet as pq

    from .resolve.actors import ActorIndex, ActorRecord
    from .resolve.duplicates import DuplicateLink, DuplicateResult
    from .resolve.events import MergedEvent
    from .resolve.projects import Project

    base = folder.rstrip("/")

    def rows(table):
        return [json.loads(j) for j in pq.read_table(f"{base}/{table}", columns=["json"]).column("json").to_pylist()]

    articles = sorted(pq.read_table(f"{base}/articles").column("id").to_pylist())
    links = sorted((DuplicateLink(**d) for d in rows("duplicates")), key=lambda d: d.doc)
    actors = {a["id"]: ActorRecord(**a) for a in rows("actors")}
    by_name = {("PERSON" if a.type == "PERSON" else "ORG", n): a.id for a in actors.values() for n in a.names}
    index = ActorIndex(actors=actors, by_doc_name={(m["doc"], m["name"]): a.id for a in actors.values()
                                                    for m in a.mentions}, by_name=by_name)
    events = sorted((MergedEvent(**e) for e in rows("events")), key=lambda e: (e.date.get("value") or "9999", e.id))
    projects = sorted((Project(**p) for p in rows("projects")), key=lambda p: p.name.lower())
    return articles, DuplicateResult(links=links), index, events, projects


def has_resolution(folder: str) -> bool:
    return all((Path(folder) / "resolution" / table).is_dir() for table in RESOLUTION_TABLES)


def load_resolution(engine, folder: str):
    """Replace the record's resolution tables with those a spark-resolve run wrote under FOLDER/resolution, when
    they resolve exactly the articles the record holds, with the duplicate links ingest made; else None (the
    caller resolves itself). The resolution's index is cleared: the next ingest rebuilds it first."""
    from sqlalchemy import delete, select

    from .resolve.core import Resolution
    from .store import schema as t
    from .store.cache import bump_generation
    from .store.resolution import load_records, write

    articles, duplicates, actors, events, projects = read_resolution(f"{folder.rstrip('/')}/resolution")
    try:
        with engine.begin() as conn:
            stored = sorted(conn.execute(select(t.documents.c.id).where(t.documents.c.text != "")).scalars())
            dup = t.document_duplicates.c
            links = sorted(tuple(r) for r in conn.execute(select(dup.document_id, dup.original_id, dup.kind)))
            if stored != articles or links != sorted((d.doc, d.original, d.kind) for d in duplicates.links):
                raise _Mismatch()
            records = load_records(conn, text=False)
            try:
                write(conn, Resolution(records, duplicates, actors, events, projects))
            except KeyError:  # an event the record does not hold as Spark read it
                raise _Mismatch()
            for table in t.INDEX_TABLES:
                conn.execute(delete(table))
            bump_generation(conn)
    except _Mismatch:
        return None
    return Resolution(records, duplicates, actors, events, projects)


class _Mismatch(Exception):
    """The Spark tables do not resolve the record as it is."""
