"""Aggregates (counts, facets, totals, events per month) remembered per generation of the record.

Every write to the record bumps `record_generation` in its own transaction (`bump_generation`, called by
ingest), and a cached answer is only ever served for the generation it was computed at: after a write, the
next reader sees the new generation and computes afresh, so the cache is never stale. Answers live per
engine (so two databases in one process never share), at most MAX_ENTRIES of them, least recently used out, and
are keyed by the connection's focus (db.with_focus) too: a record read with `--focus CN,RU` and read whole never
share an answer.
"""
from __future__ import annotations

import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Connection, Engine, select, update

from . import schema as t
from .db import focus_of

MAX_ENTRIES = 2048
T = TypeVar("T")


class _Answers:
    def __init__(self) -> None:
        self.generation: int | None = None
        self.values: OrderedDict[Hashable, bytes] = OrderedDict()
        self.lock = threading.Lock()


_by_engine: weakref.WeakKeyDictionary[Engine, _Answers] = weakref.WeakKeyDictionary()
_engines_lock = threading.Lock()


def generation(conn: Connection) -> int:
    return conn.execute(select(t.record_generation.c.generation).where(t.record_generation.c.id == 1)).scalar() or 0


def bump_generation(conn: Connection) -> None:
    """Mark the record changed; call inside the transaction that changes it."""
    conn.execute(update(t.record_generation).where(t.record_generation.c.id == 1)
                 .values(generation=t.record_generation.c.generation + 1))


def cached(conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s answer for `key` at the record's current generation and the connection's focus, computed
    once per generation."""
    key = (focus_of(conn), key)
    with _engines_lock:
        answers = _by_engine.setdefault(conn.engine, _Answers())
    now = generation(conn)
    with answers.lock:
        if answers.generation != now:  # the record changed: nothing remembered holds any more
            answers.generation, answers.values = now, OrderedDict()
        if key in answers.values:
            answers.values.move_to_end(key)
            # a fresh copy, since callers may change what they get; unpickling is ~7x faster than deepcopy
            return pickle.loads(answers.values[key])
    value = compute()
    with answers.lock:
        if answers.generation == now:
            answers.values[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            while len(answers.values) > MAX_ENTRIES:
                answers.values.popitem(last=False)
    return value
