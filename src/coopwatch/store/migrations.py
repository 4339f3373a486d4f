"""Schema migrations: a numbered list applied in order, each recorded in `schema_version`.

To change the schema, append a function; never edit one that has shipped.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, inspect, select, text

from .schema import metadata, schema_version


def _v1_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _v2_full_text(conn: Connection) -> None:
    """Full-text search over article titles and text and over event sentences."""
    if conn.dialect.name == "sqlite":
        # standalone FTS5 tables keyed by the row id (UNINDEXED); ingest keeps them in step
        conn.execute(text("CREATE VIRTUAL TABLE documents_fts USING fts5("
                          "document_id UNINDEXED, title, text, tokenize='porter unicode61')"))
        conn.execute(text("CREATE VIRTUAL TABLE events_fts USING fts5("
                          "event_id UNINDEXED, sentence, tokenize='porter unicode61')"))
    else:
        conn.execute(text("CREATE INDEX ix_documents_fts ON documents USING GIN "
                          "(to_tsvector('english', coalesce(title, '') || ' ' || text))"))
        conn.execute(text("CREATE INDEX ix_events_fts ON events USING GIN (to_tsvector('english', sentence))"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "tables, foreign keys and indexes", _v1_tables),
    (2, "full-text search", _v2_full_text),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine) -> int:
    """Bring the database up to the latest schema; returns the version it is at."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # two ingests starting at once must not both create the tables
            conn.execute(text("SELECT pg_advisory_xact_lock(734512)"))
        version = current_version(conn)
        for number, description, apply in MIGRATIONS:
            if number <= version:
                continue
            apply(conn)
            conn.execute(schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(timezone.utc).isoformat()))
            version = number
    return version
