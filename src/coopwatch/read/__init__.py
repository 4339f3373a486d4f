"""Readers: files and folders in, `Article`s (or `ReadError`s) out, one reader per input kind."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Article, ReadError
from . import jsonl, text


def _html(data: bytes, path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    from . import html  # trafilatura loads in ~0.5 s: only when a page is read, not for every command line

    return html.read(data, path, max_bytes)


READERS = {".txt": text.read, ".html": _html, ".htm": _html, ".jsonl": jsonl.read}
MAX_BYTES = 2_000_000  # a news article is tens of kilobytes; anything this large is not one
UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
         "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def byte_size(value: str) -> int:
    """A size as people write it: 2000000, 2MB, 2 MB, 1.5mb, 500KiB (KB = 1000 bytes, KiB = 1024)."""
    import argparse
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value or "")
    unit = m.group(2).lower() if m else ""
    if not m or unit not in UNITS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size (e.g. 2000000, 2MB, 500KB, 1MiB)")
    size = int(float(m.group(1)) * UNITS[unit])
    if size < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is less than one byte")
    return size


def read_paths(paths: Iterable[str | Path], max_bytes: int = MAX_BYTES) -> Iterator[Article | ReadError]:
    """Every article under `paths`, in a stable order; problems come back as `ReadError`s.

    Each item's `source` names its file as the input named it: relative paths as given (`news/a.txt`,
    `crawl.jsonl:7`), absolute ones from their last part (`/srv/crawl/news` -> `news/a.txt`), so the machine's
    own folders never reach the record."""
    for path in map(Path, paths):
        shown = path.as_posix() if not path.is_absolute() else (path.name or ".")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            for file in files:
                if file.suffix.lower() in READERS:
                    yield from _relative(read_file(file, max_bytes), file, f"{shown}/{file.relative_to(path).as_posix()}")
        else:
            yield from _relative(read_file(path, max_bytes), path, shown)


def _relative(items: Iterator[Article | ReadError], path: Path, shown: str) -> Iterator[Article | ReadError]:
    full = str(path)
    for item in items:
        if item.source.startswith(full):
            item.source = shown + item.source[len(full):]
        yield item


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

