"""JSON Lines crawler output: one article per line, `id` and `text` required."""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from ..document import Article, ReadError

OPTIONAL = ("title", "url", "outlet", "published", "language")


def read(path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    """The file's articles, line by line: a crawl of millions of articles is never held in memory at once,
    and a line that is not UTF-8 is that line's error, not the file's."""
    from . import binary_error

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
    meta = {key: (str(record[key]) if record.get(key) is not None else None) for key in OPTIONAL}
    return Article(id=doc_id, text=text, source=source, format="jsonl", **meta)
