"""`coopwatch spark INPUT OUTPUT`: the extraction as a PySpark batch job, and its Parquet output read back.

The job reads JSON Lines (one article per line, as `coopwatch extract` reads them) or Parquet article sets
(columns `id`, `text` and optionally `title`, `url`, `outlet`, `published`, `language`), from local paths or
any Hadoop-compatible URI (hdfs://, s3a://, gs://, ...). Every partition runs the same per-article function as
`coopwatch extract` (`pipeline.extract_articles`, batched); the spaCy pipeline is built once per Python worker
process and reused for every partition that worker runs. It writes one Parquet table per kind of fact:

    OUTPUT/documents   doc_index, id, title, url, outlet, published, language, text, source, removed, warnings
    OUTPUT/entities    doc_index, document_id, position, name, type, country, role, mentions, canonical, organization
    OUTPUT/figures     doc_index, document_id, position, value, value_max, unit, measure, qualifier, text, span
    OUTPUT/quotes      doc_index, document_id, position, speaker, role, organization, direct, text, span
    OUTPUT/events      doc_index, document_id, position, type, plover, sectors, date, status, actors, countries,
                       location, quantities, sentence, span, trigger, confidence
    OUTPUT/failures    doc_index, id, source, error

`doc_index` is the article's record number in the input (unique even where ids repeat), `document_id` its id,
`position` the fact's place in the article's list. Lists stay arrays (`mentions` an array of [start, end]
pairs, `span` a [start, end] pair); an event's `date` is a struct (value, precision, text). An article that
cannot be read or extracted becomes a `failures` row; the job goes on.

`read_extractions(OUTPUT)` reads the tables back into contract-shaped dicts (the same dicts
`coopwatch extract` writes), with pyarrow only, no Spark or Java needed.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .focus import add_focus_argument

TABLES = ("documents", "entities", "figures", "quotes", "events", "failures")
ARTICLE_COLUMNS = ("id", "text", "title", "url", "outlet", "published", "language")


def register(subcommands) -> None:
    p = subcommands.add_parser(
        "spark", help="extract facts from a JSON Lines or Parquet article set with PySpark into Parquet tables",
        description="Run the extraction on Spark: one Parquet table each for documents, entities, figures, "
                    "quotes, events and failures under OUTPUT.")
    p.add_argument("input", metavar="INPUT", help="JSON Lines or Parquet articles: a file, folder, glob or URI")
    p.add_argument("output", metavar="OUTPUT", help="folder or URI for the Parquet tables")
    p.add_argument("--master", default=None,
                   help="Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*])")
    p.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto",
                   help="input format (default: parquet if INPUT ends in .parquet or is a folder of .parquet, "
                        "else jsonl)")
    p.add_argument("--partitions", type=int, default=None,
                   help="split the articles into this many partitions (default: at least 2 per core)")
    p.add_argument("--batch-size", type=int, default=None, help="articles per spaCy batch within a partition")
    p.add_argument("--max-bytes", type=int, default=None, help="largest article accepted (default 2,000,000)")
    p.add_argument("--mode", choices=("overwrite", "error"), default="overwrite",
                   help="what to do when OUTPUT exists (default: overwrite)")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting")
    add_focus_argument(p)
    p.add_argument("--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(run=run_spark)


# --- Spark schemas ----------------------------------------------------------------------------------------

def schemas() -> dict[str, Any]:
    """The explicit Spark schemas: `record` (one row per input article, facts nested) and the output tables."""
    from pyspark.sql.types import (ArrayType, BooleanType, DoubleType, IntegerType, LongType, StringType,
                                   StructField, StructType)

    def s(name, kind=StringType(), nullable=True):
        return StructField(name, kind, nullable)

    span = ArrayType(IntegerType(), False)
    strings = ArrayType(StringType(), False)
    entity = [s("name"), s("type"), s("country"), s("role"), s("mentions", ArrayType(span, False)),
              s("canonical"), s("organization")]
    figure = [s("value", DoubleType()), s("value_max", DoubleType()), s("unit"), s("measure"), s("qualifier"),
              s("text"), s("span", span)]
    quote = [s("speaker"), s("role"), s("organization"), s("direct", BooleanType()), s("text"), s("span", span)]
    event_quantity = StructType([s("value", DoubleType()), s("unit"), s("text"), s("span", span)])
    date = StructType([s("value"), s("precision"), s("text")])
    event = [s("type"), s("plover"), s("sectors", strings), s("date", date), s("status"), s("actors", strings),
             s("countries", strings), s("location"), s("quantities", ArrayType(event_quantity, False)),
             s("sentence"), s("span", span), s("trigger"), s("confidence", DoubleType())]
    removed = ArrayType(StructType([s("kind"), s("text")]), False)
    document = [s("id", StringType(), False), s("title"), s("url"), s("outlet"), s("published"), s("language"),
                s("text"), s("source"), s("removed", removed), s("warnings", strings)]
    index = s("doc_index", LongType(), False)
    child = [index, s("document_id", StringType(), False), s("position", IntegerType(), False)]
    return {
        "record": StructType([index, *document, s("error"),
                              s("entities", ArrayType(StructType(entity), False)),
                              s("figures", ArrayType(StructType(figure), False)),
                              s("quotes", ArrayType(StructType(quote), False)),
                              s("events", ArrayType(StructType(event), False))]),
        "documents": StructType([index, *document]),
        "entities": StructType(child + entity),
        "figures": StructType(child + figure),
        "quotes": StructType(child + quote),
        "events": StructType(child + event),
        "failures": StructType([index, s("id", StringType(), False), s("source"), s("error")]),
    }


# --- per partition (runs in the Python workers) ------------------------------------------------------------

def _span(pair) -> list[int]:
    return [int(pair[0]), int(pair[1])]


def _float(value) -> float | None:
    return None if value is None else float(value)


def record_row(doc_index: int, record: dict) -> tuple:
    """One `extract_articles` record as a row of the `record` schema (field order as in `schemas()`)."""
    if "error" in record:
        return (doc_index, str(record["id"]), None, None, None, None, None, None, record.get("source"), [], [],
                record["error"], [], [], [], [])
    entities = [(e["name"], e["type"], e.get("country"), e.get("role"), [_span(m) for m in e.get("mentions", [])],
                 e.get("canonical"), e.get("organization")) for e in record.get("entities", [])]
    figures = [(_float(q["value"]), _float(q.get("value_max")), q.get("unit"), q.get("measure"), q.get("qualifier"),
                q.get("text"), _span(q["span"])) for q in record.get("quantities", [])]
    quotes = [(q.get("speaker"), q.get("role"), q.get("organization"), q.get("direct"), q.get("text"),
               _span(q["span"])) for q in record.get("quotes", [])]
    events = []
    for e in record.get("events", []):
        date = e.get("date")
        events.append((
            e["type"], e.get("plover"), list(e.get("sectors") or []),
            None if date is None else (date.get("value"), date.get("precision"), date.get("text")),
            e.get("status"), list(e.get("actors") or []), list(e.get("countries") or []), e.get("location"),
            [(_float(q.get("value")), q.get("unit"), q.get("text"), _span(q["span"])) for q in e.get("quantities") or []],
            e.get("sentence"), _span(e["span"]), e.get("trigger"), _float(e.get("confidence"))))
    removed = [(r.get("kind"), r.get("text")) for r in record.get("removed", [])]
    return (doc_index, record["id"], record.get("title"), record.get("url"), record.get("outlet"),
            record.get("published"), record.get("language"), record.get("text"), record.get("source"), removed,
            list(record.get("warnings", [])), None, entities, figures, quotes, events)


def extract_partition(rows: Iterable[tuple[int, str, str]], max_bytes: int, batch_size: int,
                      focus: frozenset[str] | None = None) -> Iterator[tuple]:
    """(doc_index, source path, JSON line) in, `record` rows out: the per-partition body of the job.

    Each line goes through the same reader (`read.jsonl.parse_line`) and the same per-article function
    (`pipeline.extract_articles`) as `coopwatch extract`; the spaCy pipeline is built once per worker process.
    """
    from .document import ReadError
    from .pipeline import extract_articles
    from .read.jsonl import parse_line

    indices: list[int] = []

    def articles():
        for doc_index, source, line in rows:
            indices.append(doc_index)
            number = doc_index + 1
            name = source.rstrip("/").rsplit("/", 1)[-1]  # the file's name, not the machine's path (as read/)
            stem = name.rsplit(".", 1)[0]
            try:
                yield parse_line(line, f"{name}:{number}", f"{stem}:{number}", max_bytes)
            except Exception as e:  # never let one line stop the partition
                yield ReadError(f"{stem}:{number}", f"{name}:{number}", f"cannot read: {type(e).__name__}: {e}")

    for n, record in enumerate(extract_articles(articles(), batch_size=batch_size, focus=focus)):
        doc_index = indices[n]
        try:
            yield record_row(doc_index, record)
        except Exception as e:  # a record the schema cannot hold is that article's failure
            yield record_row(doc_index, {"id": record.get("id", ""), "source": record.get("source", ""),
                                         "error": f"output failed: {type(e).__name__}: {e}"})


# --- the job (driver) --------------------------------------------------------------------------------------

def _local_path(uri: str) -> str:
    return uri[len("file:"):].replace("///", "/", 1) if uri.startswith("file:") else uri


def input_format(path: str, chosen: str = "auto") -> str:
    if chosen != "auto":
        return chosen
    if path.rstrip("/").endswith(".parquet"):
        return "parquet"
    local = Path(path)
    if local.is_dir() and any(local.rglob("*.parquet")) and not any(local.rglob("*.jsonl")):
        return "parquet"
    return "jsonl"


def article_lines(spark, path: str, fmt: str):
    """An RDD of (doc_index, source, JSON line): JSON Lines as they are, Parquet rows turned into JSON lines."""
    import json

    from pyspark.sql import functions as F

    if fmt == "parquet":
        frame = spark.read.parquet(path)
        present = [c for c in ARTICLE_COLUMNS if c in frame.columns]
        frame = frame.select(*[F.col(c).cast("string").alias(c) for c in present],
                             F.input_file_name().alias("source"))
        pairs = frame.rdd.map(lambda r: (_local_path(r["source"]),
                                         json.dumps({c: r[c] for c in present}, ensure_ascii=False)))
    else:
        frame = spark.read.text(path).select(F.input_file_name().alias("source"), F.col("value"))
        pairs = frame.rdd.map(lambda r: (_local_path(r["source"]), r["value"]))
    # blank lines are no articles (as in `coopwatch extract`), but they keep their line numbers
    return (pairs.zipWithIndex()
            .map(lambda p: (p[1], p[0][0], p[0][1]))
            .filter(lambda t: t[2] is not None and t[2].strip() != ""))


def spark_session(master: str | None = None, conf: Iterable[str] = (), app: str = "coopwatch"):
    import os

    from pyspark.sql import SparkSession

    # workers run this interpreter (and so find coopwatch and its model) unless the cluster says otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    elif "SPARK_HOME" not in os.environ and not os.environ.get("PYSPARK_SUBMIT_ARGS"):
        builder = builder.master("local[*]")
    settings = {"spark.ui.showConsoleProgress": "false", "spark.sql.session.timeZone": "UTC"}
    for item in conf:
        key, _, value = item.partition("=")
        settings[key.strip()] = value.strip()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_job(spark, input_path: str, output: str, fmt: str = "auto", partitions: int | None = None,
            batch_size: int | None = None, max_bytes: int | None = None, mode: str = "overwrite",
            focus: frozenset[str] | None = None) -> dict[str, int]:
    """Extract every article under `input_path` into Parquet tables under `output`; counts per table. With a
    `focus` (focus.py), the events table holds the events in focus only."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .pipeline import BATCH_SIZE
    from .read import MAX_BYTES

    schema = schemas()
    lines = article_lines(spark, input_path, input_format(input_path, fmt))
    wanted = partitions or 2 * spark.sparkContext.defaultParallelism
    if lines.getNumPartitions() < wanted or partitions:
        lines = lines.repartition(wanted)
    limit, batch = max_bytes or MAX_BYTES, batch_size or BATCH_SIZE
    rows = lines.mapPartitions(lambda part: extract_partition(part, limit, batch, focus))
    records = spark.createDataFrame(rows, schema["record"]).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        ok = records.filter(F.col("error").isNull())
        base = output.rstrip("/")
        tables = {
            "documents": ok.select(*schema["documents"].fieldNames()),
            "failures": records.filter(F.col("error").isNotNull()).select(*schema["failures"].fieldNames()),
        }
        for table, column in (("entities", "entities"), ("figures", "figures"), ("quotes", "quotes"),
                              ("events", "events")):
            fields = [f.name for f in schema[table].fields[3:]]
            tables[table] = (ok.select("doc_index", F.col("id").alias("document_id"),
                                       F.posexplode(column).alias("position", "item"))
                             .select("doc_index", "document_id", F.col("position").cast("int"),
                                     *[F.col(f"item.{f}").alias(f) for f in fields]))
        for table in TABLES:
            tables[table].write.mode(mode).parquet(f"{base}/{table}")
        failed = F.col("error").isNotNull()
        row = records.agg(
            F.sum(F.when(failed, 0).otherwise(1)).alias("documents"),
            *[F.sum(F.size(c)).alias(t) for t, c in (("entities", "entities"), ("figures", "figures"),
                                                     ("quotes", "quotes"), ("events", "events"))],
            F.sum(F.when(failed, 1).otherwise(0)).alias("failures")).first()
        return {table: int(row[table] or 0) for table in TABLES}
    finally:
        records.unpersist()


def run_spark(args: argparse.Namespace) -> int:
    spark = spark_session(args.master, args.conf)
    try:
        spark.sparkContext.setLogLevel("ERROR")
        counts = run_job(spark, args.input, args.output, args.format, args.partitions, args.batch_size,
                         args.max_bytes, args.mode, args.focus)
    finally:
        spark.stop()
    if not args.quiet:
        print("coopwatch spark: " + ", ".join(f"{n} {t}" for t, n in counts.items()) + f" -> {args.output}",
              file=sys.stderr)
    return 1 if counts["failures"] else 0


# --- reading the output back (no Spark needed) -------------------------------------------------------------

def _plain(value):
    return int(value) if value is not None and float(value).is_integer() else value


def _children(output: str, table: str, shape) -> dict[int, list[dict]]:
    import pyarrow.parquet as pq

    by_doc: dict[int, list[tuple[int, dict]]] = {}
    for row in pq.read_table(f"{output.rstrip('/')}/{table}").to_pylist():
        by_doc.setdefault(row["doc_index"], []).append((row["position"], shape(row)))
    return {k: [item for _, item in sorted(v, key=lambda p: p[0])] for k, v in by_doc.items()}


def _entity(row: dict) -> dict:
    return {"name": row["name"], "type": row["type"], "country": row["country"], "role": row["role"],
            "mentions": [list(m) for m in row["mentions"] or []], "canonical": row["canonical"],
            "organization": row["organization"]}


def _figure(row: dict) -> dict:
    out = {"value": _plain(row["value"]), "unit": row["unit"], "measure": row["measure"],
           "qualifier": row["qualifier"], "text": row["text"], "span": list(row["span"])}
    if row["value_max"] is not None:
        out["value_max"] = row["value_max"]
    return out


def _quote(row: dict) -> dict:
    return {k: row[k] for k in ("speaker", "role", "organization", "direct", "text")} | {"span": list(row["span"])}


def _event(row: dict) -> dict:
    return {"type": row["type"], "plover": row["plover"], "sectors": list(row["sectors"] or []),
            "date": dict(row["date"]) if row["date"] is not None else None, "status": row["status"],
            "actors": list(row["actors"] or []), "countries": list(row["countries"] or []),
            "location": row["location"],
            "quantities": [{**q, "span": list(q["span"])} for q in row["quantities"] or []],
            "sentence": row["sentence"], "span": list(row["span"]), "trigger": row["trigger"],
            "confidence": row["confidence"]}


def read_extractions(output: str, batch_rows: int = 1024) -> Iterator[dict]:
    """The documents of a `coopwatch spark` output as contract-shaped dicts, facts nested again.

    Each dict has the keys `coopwatch extract` writes (id, title, url, outlet, published, language, text,
    entities, quantities, quotes, events, removed, warnings, source) plus `doc_index`. Documents are streamed
    in batches; the fact tables (no article text) are held in memory, grouped by document.
    """
    import pyarrow.parquet as pq

    children = {
        "entities": _children(output, "entities", _entity),
        "quantities": _children(output, "figures", _figure),
        "quotes": _children(output, "quotes", _quote),
        "events": _children(output, "events", _event),
    }
    documents = pq.ParquetDataset(f"{output.rstrip('/')}/documents")
    for fragment in documents.fragments:
        for batch in fragment.to_batches(batch_size=batch_rows):
            for row in batch.to_pylist():
                key = row["doc_index"]
                yield {
                    "id": row["id"], "title": row["title"], "url": row["url"], "outlet": row["outlet"],
                    "published": row["published"], "language": row["language"], "text": row["text"],
                    **{name: table.get(key, []) for name, table in children.items()},
                    "removed": [dict(r) for r in row["removed"] or []], "warnings": list(row["warnings"] or []),
                    "source": row["source"], "doc_index": key,
                }


def read_failures(output: str) -> list[dict]:
    """The `failures` table as `{id, source, error}` records, as `coopwatch extract` writes them."""
    import pyarrow.parquet as pq

    rows = pq.read_table(f"{output.rstrip('/')}/failures").to_pylist()
    return [{"id": r["id"], "source": r["source"], "error": r["error"]} for r in sorted(rows, key=lambda r: r["doc_index"])]


if __name__ == "__main__":  # spark-submit .../coopwatch/spark.py INPUT OUTPUT [options]: the command on its own
    _parser = argparse.ArgumentParser(prog="spark.py")
    register(_parser.add_subparsers(dest="command", required=True))
    _args = _parser.parse_args(["spark", *sys.argv[1:]])
    sys.exit(_args.run(_args))
