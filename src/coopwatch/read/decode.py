"""Bytes to an article's text, or the reason they are none: what every reader shares."""
from __future__ import annotations

from ..document import ReadError


def binary_error(head: bytes, doc_id: str, source: str) -> ReadError | None:
    """A file whose first bytes hold NUL is no text (an image, a PDF, a database)."""
    if b"\x00" in head[:8192]:
        return ReadError(doc_id, source, "binary file (contains NUL bytes), not text")
    return None


def decode(data: bytes, doc_id: str, source: str) -> str | ReadError:
    """Bytes to text, or the reason they are not an article's text."""
    if not data.strip():
        return ReadError(doc_id, source, "empty file")
    problem = binary_error(data, doc_id, source)
    if problem:
        return problem
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return ReadError(doc_id, source, f"not valid UTF-8: byte 0x{data[e.start]:02x} at offset {e.start}")
