"""Across articles: near-duplicate articles, one actor under many names, events merged, projects built.

Every function here is pure: it takes extraction records (contract dicts, as `coopwatch extract` writes them)
and returns plain dataclasses with ids derived from their content, so the store can call them on ingest and the
`coopwatch resolve` command can write them out. `resolve(records)` runs the four steps in order.
"""
from __future__ import annotations

from .core import Resolution, resolve

__all__ = ["Resolution", "resolve"]
