"""Plain-text scrapes: the whole file is the article; cleaning finds title and date."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..document import Article, ReadError


def read(data: bytes, path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    from .decode import decode

    text = decode(data, path.stem, str(path))
    if isinstance(text, ReadError):
        yield text
    else:
        yield Article(id=path.stem, text=text, source=str(path), format="txt")
