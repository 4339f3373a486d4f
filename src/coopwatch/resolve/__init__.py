"""Across articles: near-duplicate articles, one actor under many names, events merged, projects built.

The rules (duplicates.py, actors.py, events.py, projects.py and `core.resolve`) are pure: they take extraction
records (contract dicts, as `coopwatch extract` writes them) and return plain dataclasses with ids derived from
their content, so the store can call them on ingest. Files are read and written only by files.py (the
`coopwatch resolve` inputs, outputs and review.md) and commands.py, which also opens the record for
`resolve --db`. `resolve(records)` runs the four steps in order.
"""
from __future__ import annotations

from .core import Resolution, resolve

__all__ = ["Resolution", "resolve"]
