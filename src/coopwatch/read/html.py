"""HTML pages: trafilatura keeps the article body and reads title, date, outlet and URL from metadata."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura

from ..document import Article, ReadError
from .metadata import metadata_problem


def read(data: bytes, path: Path, max_bytes: int) -> Iterator[Article | ReadError]:
    from .decode import decode

    page = decode(data, path.stem, str(path))
    if isinstance(page, ReadError):
        yield page
        return
    yield from parse(page, path.stem, str(path))


def parse(page: str, doc_id: str, source: str) -> Iterator[Article | ReadError]:
    result = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True,
    )
    body = (result.text if result else None) or ""
    if not body.strip():
        yield ReadError(doc_id, source, "no article text found in the HTML page")
        return
    meta = {"title": result.title or None, "url": result.url or None, "outlet": result.sitename or None,
            "published": result.date or None, "language": result.language or None}
    problem = metadata_problem({"id": doc_id, **meta}, raw=True)
    if problem:
        yield ReadError(doc_id, source, problem)
        return
    yield Article(id=doc_id, text=body, source=source, format="html", **meta)
