"""Extraction in several processes, output in input order: what `extract --processes`, `ingest --processes` and
the scale benchmark share.

Articles go out in chunks to worker processes (spawned, each building its pipelines once, the English one and
dateparser's set-up before its first chunk) as the workers free up, so no worker waits for a slower one; results
come back in input order. At most a few chunks per worker are in flight, so the parent never holds the whole
input. Every worker runs the same per-article function as one process (`pipeline.extract_articles`), so the
records are the same, in the same order.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice

from .document import Article, ReadError

CHUNK = 8  # articles per task: small enough to share a small input, large enough for spaCy's batching
SMALL = 32  # fewer articles than this: one process by default (starting workers costs more than they save)
IN_FLIGHT = 2  # chunks per worker handed out ahead


def default_processes() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker() -> None:
    from .nlp.english import english

    english()


def _extract_chunk(chunk: list[Article | ReadError], focus: frozenset[str] | None = None) -> list[dict]:
    from .pipeline import extract_articles

    return list(extract_articles(chunk, focus=focus))


class WorkerFailed(RuntimeError):
    pass


class Extractor:
    """`extract(items)` -> records in input order, in `processes` worker processes (one: in this process).
    The workers live until `close()` (or the end of a `with` block), so a caller extracting batch after batch
    (`ingest`) pays their start once."""

    def __init__(self, processes: int | None = None, chunk: int = CHUNK, focus: frozenset[str] | None = None):
        self.auto = processes is None  # one per core, but a call with fewer than SMALL articles stays here
        self.processes = default_processes() if processes is None else max(1, processes)
        self.chunk = chunk
        self.focus = focus  # the run's --focus (focus.py), for every worker
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def extract(self, items: Iterable[Article | ReadError]) -> Iterator[dict]:
        here = self.processes == 1
        if self.auto and not here and self.pool is None:
            items = iter(items)
            head = list(islice(items, SMALL))
            here = len(head) < SMALL
            items = chain(head, items)
        if here:
            from .pipeline import extract_articles

            yield from extract_articles(items, focus=self.focus)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start_worker)
        pending: deque = deque()
        iterator = iter(items)
        try:
            while chunk := list(islice(iterator, self.chunk)):
                pending.append(self.pool.submit(_extract_chunk, chunk, self.focus))
                if len(pending) >= IN_FLIGHT * self.processes:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as e:
            self.close()
            raise WorkerFailed(f"an extraction worker died ({e}); run with --processes 1 to find the article") from None


def extract_articles(items: Iterable[Article | ReadError], processes: int | None = None,
                     focus: frozenset[str] | None = None) -> Iterator[dict]:
    """`pipeline.extract_articles` in `processes` processes, records in input order. Default: one per core, or
    this process alone for an input of fewer than SMALL articles."""
    with Extractor(processes, focus=focus) as extractor:
        yield from extractor.extract(items)
