"""JSON Lines crawler output: one article per line, `id` and `text` required."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..document import Article, ReadError

OPTIONAL = ("title", "url", "outlet", "published", "language")


def read(data: bytes, path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    from . import decode

    content = decode(data, path.stem, str(path))
    if isinstance(content, ReadError):
        yield content
        return
    for number, line in enumerate(content.splitlines(), 1):
        if line.strip():
            yield parse_line(line, f"{path}:{number}", f"{path.stem}:{number}", max_bytes)


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
