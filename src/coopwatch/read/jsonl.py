"""JSON Lines crawler output: one article per line, `id` and `text` required."""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from ..document import FACTS, Article, ReadError
from .metadata import metadata_problem

OPTIONAL = ("title", "url", "outlet", "published", "language")


def read(path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    """The file's articles, line by line: a crawl of millions of articles is never held in memory at once,
    and a line that is not UTF-8 is that line's error, not the file's."""
    from .decode import binary_error

    with open(path, "rb") as f:
        problem = binary_error(f.read(8192), path.stem, str(path))
        if problem:
            yield problem
            return
        f.seek(0)
        empty = True
        for number, raw in enumerate(f, 1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            empty = False
            source, fallback_id = f"{path}:{number}", f"{path.stem}:{number}"
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as e:
                yield ReadError(fallback_id, source, f"not valid UTF-8: byte 0x{raw[e.start]:02x} at column {e.start + 1}")
                continue
            yield parse_line(line, source, fallback_id, max_bytes)
    if empty:
        yield ReadError(path.stem, str(path), "empty file")


def parse_line(line: str, source: str, fallback_id: str, max_bytes: int) -> Article | ReadError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return ReadError(fallback_id, source, f"line is not JSON: {e.msg} at column {e.colno}")
    if not isinstance(record, dict):
        return ReadError(fallback_id, source, "line is not a JSON object")
    doc_id = record.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        return ReadError(fallback_id, source, "record has no 'id'")
    doc_id = str(doc_id)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ReadError(doc_id, source, "record has no 'text'")
    if len(text.encode("utf-8")) > max_bytes:
        return ReadError(doc_id, source, f"text is over the {max_bytes:,}-byte limit for one article")
    meta = {key: record.get(key) for key in OPTIONAL}
    problem = metadata_problem({"id": doc_id, **meta}, raw=True)
    if problem:
        return ReadError(doc_id[:255], source, problem)
    return Article(id=doc_id, text=text, source=source, format="jsonl", **meta)


FACT_LISTS = tuple(FACTS)  # the fact lists of a record (document.FACTS)


def is_extraction_record(record: object) -> bool:
    """A `coopwatch extract` record (the contract: an article with its fact lists), or its error record."""
    if not isinstance(record, dict):
        return False
    if set(record) >= {"id", "source", "error"} and "text" not in record:
        return True
    return "text" in record and all(isinstance(record.get(key), list) for key in FACT_LISTS)


def holds_extractions(path: Path) -> bool:
    """Whether a .jsonl file is `coopwatch extract` output (judged by its first record), to be stored as it is
    rather than extracted again."""
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        return False
    try:
        with open(path, "rb") as f:
            for raw in f:
                if raw.strip():
                    return is_extraction_record(json.loads(raw.removeprefix(codecs.BOM_UTF8)))
    except (OSError, ValueError):
        return False
    return False


def read_extractions(path: Path, shown: str | None = None) -> Iterator[dict]:
    """The records of an `extract` output file; a line that is not one becomes that line's error record."""
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            source = f"{shown or path.name}:{number}"
            try:
                record = json.loads(raw.removeprefix(codecs.BOM_UTF8).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield {"id": f"{path.stem}:{number}", "source": source, "error": f"line is not JSON: {e}"}
                continue
            if not is_extraction_record(record):
                yield {"id": str(record.get("id") if isinstance(record, dict) else f"{path.stem}:{number}"),
                       "source": source, "error": "line is not an extraction record (no fact lists)"}
                continue
            yield record
