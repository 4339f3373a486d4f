"""`coopwatch spark INPUT OUTPUT`: the extraction as a PySpark batch job, and its Parquet output read back.

The job reads JSON Lines (one article per line, as `coopwatch extract` reads them) or Parquet article sets
(columns `id`, `text` and optionally `title`, `url`, `outlet`, `published`, `language`), from local paths or
any Hadoop-compatible URI (hdfs://, s3a://, gs://, ...). Every partition runs the same per-article function as
`coopwatch extract` (`pipeline.extract_articles`, batched); the spaCy pipeline is built once per Python worker
process and reused for every partition that worker runs. It writes one Parquet table per kind of fact:

    OUTPUT/documents   doc_index, id, title, url, outlet, published, language, text, removed, warnings, source
    OUTPUT/entities    doc_index, document_id, position, name, type, country, role, mentions, canonical, organization
    OUTPUT/figures     doc_index, document_id, position, value, unit, measure, qualifier, text, span, value_max
    OUTPUT/quotes      doc_index, document_id, position, speaker, role, organization, direct, text, span
    OUTPUT/events      doc_index, document_id, position, type, plover, sectors, date, status, actors, countries,
                       location, quantities, sentence, span, trigger, confidence
    OUTPUT/failures    doc_index, id, source, error

The columns are the fields the record declares once (document.FIELDS), in its order; a field added there
is a column here. `doc_index` is the article's record number in the input (unique even where ids repeat), `document_id` its id,
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

from .document import FACTS, FIELDS, Extraction, document_fields
from .focus import add_focus_argument

TABLES = ("documents", *(table for table, _ in FACTS.values()), "failures")
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


# --- Spark schemas, derived from the record's one declaration (document.FIELDS) ------------------------------

def _spark_type(f):
    """The Spark type of a field of document.FIELDS: a list is an array, a nested kind a struct."""
    from pyspark.sql.types import ArrayType, BooleanType, DoubleType, IntegerType, StringType, StructField, StructType

    if f.shape is not None:
        one = StructType([StructField(x.name, _spark_type(x), True) for x in f.fields()])
    elif f.kind == "record":
        one = StructType([StructField(k, StringType(), True) for k in f.keys])
    else:
        one = {"text": StringType(), "number": DoubleType(), "flag": BooleanType(),
               "span": ArrayType(IntegerType(), False)}[f.kind]
    return ArrayType(one, False) if f.many else one


def _fact_fields(name: str):
    """The fields of the facts an extraction's list `name` holds (document.FACTS), as one table's columns."""
    return next(f for f in FIELDS["extraction"] if f.name == name).fields()


def schemas() -> dict[str, Any]:
    """The explicit Spark schemas: `record` (one row per input article, facts nested) and the output tables."""
    from pyspark.sql.types import ArrayType, IntegerType, LongType, StringType, StructField, StructType

    def columns(fields):
        return [StructField(f.name, _spark_type(f), f.name != "id") for f in fields]

    document = columns(document_fields())
    index = StructField("doc_index", LongType(), False)
    child = [index, StructField("document_id", StringType(), False), StructField("position", IntegerType(), False)]
    facts = {table: columns(_fact_fields(name)) for name, (table, _) in FACTS.items()}
    return {
        "record": StructType([index, *document, StructField("error", StringType(), True),
                              *[StructField(table, ArrayType(StructType(cols), False), True) for table, cols in facts.items()]]),
        "documents": StructType([index, *document]),
        **{table: StructType(child + cols) for table, cols in facts.items()},
        "failures": StructType([index, StructField("id", StringType(), False), StructField("source", StringType()),
                                StructField("error", StringType())]),
    }


# --- per partition (runs in the Python workers) ------------------------------------------------------------

def _cell(f, value):
    """A JSON value of field `f` as Spark holds it (a struct as a tuple, in the declaration's order)."""
    if value is None:
        return [] if f.many else None
    if f.many:
        return [_one(f, v) for v in value]
    return _one(f, value)


def _one(f, value):
    if value is None:
        return None
    if f.kind == "span":
        return [int(value[0]), int(value[1])]
    if f.shape is not None:
        return tuple(_cell(x, value.get(x.name)) for x in f.fields())
    if f.kind == "record":
        return tuple(value.get(k) for k in f.keys)
    if f.kind == "number":
        return float(value)
    return value


def record_row(doc_index: int, record: dict) -> tuple:
    """One `extract_articles` record as a row of the `record` schema (field order as in `schemas()`)."""
    if "error" in record:
        cells = {"id": str(record["id"]), "source": record.get("source")}
        document = [cells.get(f.name, [] if f.many else None) for f in document_fields()]
        return (doc_index, *document, record["error"], *[[] for _ in FACTS])
    document = [_cell(f, record.get(f.name)) for f in document_fields()]
    facts = [[tuple(_cell(f, item.get(f.name)) for f in _fact_fields(name)) for item in record.get(name) or []]
             for name in FACTS]
    return (doc_index, *document, None, *facts)


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
        for table, _ in FACTS.values():  # the record's nested list of the same name, one row per fact
            fields = [f.name for f in schema[table].fields[3:]]
            tables[table] = (ok.select("doc_index", F.col("id").alias("document_id"),
                                       F.posexplode(table).alias("position", "item"))
                             .select("doc_index", "document_id", F.col("position").cast("int"),
                                     *[F.col(f"item.{f}").alias(f) for f in fields]))
        for table in TABLES:
            tables[table].write.mode(mode).parquet(f"{base}/{table}")
        failed = F.col("error").isNotNull()
        row = records.agg(
            F.sum(F.when(failed, 0).otherwise(1)).alias("documents"),
            *[F.sum(F.size(t)).alias(t) for t, _ in FACTS.values()],
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

def _children(output: str, table: str) -> dict[int, list[dict]]:
    import pyarrow.parquet as pq

    by_doc: dict[int, list[tuple[int, dict]]] = {}
    for row in pq.read_table(f"{output.rstrip('/')}/{table}").to_pylist():
        by_doc.setdefault(row["doc_index"], []).append((row["position"], row))
    return {k: [item for _, item in sorted(v, key=lambda p: p[0])] for k, v in by_doc.items()}


def read_extractions(output: str, batch_rows: int = 1024) -> Iterator[dict]:
    """The documents of a `coopwatch spark` output as contract-shaped dicts, facts nested again.

    Each dict is what `coopwatch extract` wrote for the article (`Extraction.from_json` of the rows, written
    back to JSON) plus `doc_index`. Documents are streamed in batches; the fact tables (no article text) are held
    in memory, grouped by document.
    """
    import pyarrow.parquet as pq

    children = {name: _children(output, table) for name, (table, _) in FACTS.items()}
    documents = pq.ParquetDataset(f"{output.rstrip('/')}/documents")
    for fragment in documents.fragments:
        for batch in fragment.to_batches(batch_size=batch_rows):
            for row in batch.to_pylist():
                key = row["doc_index"]
                record = {**row, **{name: table.get(key, []) for name, table in children.items()}}
                yield {**Extraction.from_json(record).to_json(), "doc_index": key}


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
