"""Readers: files and folders in, `Article`s (or `ReadError`s) out, one reader per input kind."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Article, ReadError
from . import html, jsonl, text

READERS = {".txt": text.read, ".html": html.read, ".htm": html.read, ".jsonl": jsonl.read}
MAX_BYTES = 2_000_000  # a news article is tens of kilobytes; anything this large is not one


def read_paths(paths: Iterable[str | Path], max_bytes: int = MAX_BYTES) -> Iterator[Article | ReadError]:
    """Every article under `paths`, in a stable order; problems come back as `ReadError`s."""
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            for file in files:
                if file.suffix.lower() in READERS:
                    yield from read_file(file, max_bytes)
        else:
            yield from read_file(path, max_bytes)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Article | ReadError]:
    doc_id = path.stem
    if not path.exists():
        yield ReadError(doc_id, str(path), "no such file or folder")
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield ReadError(doc_id, str(path), f"unknown file type {path.suffix or '(none)'!r}; coopwatch reads {known}")
        return
    try:
        if reader is jsonl.read:  # many articles, read and checked line by line
            yield from jsonl.read(path, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield ReadError(doc_id, str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for one article")
            return
        data = path.read_bytes()
    except OSError as e:
        yield ReadError(doc_id, str(path), f"cannot read: {e.strerror or e}")
        return
    yield from reader(data, path, max_bytes)


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
