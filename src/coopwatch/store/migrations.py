"""Schema migrations: a numbered list applied in order, each recorded in `schema_version`.

To change the schema, append a function; never edit one that has shipped.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, inspect, select, text

from .db import is_postgres
from .schema import metadata, schema_version


def _v1_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _v2_full_text(conn: Connection) -> None:
    """Full-text search over article titles and text and over event sentences."""
    if not is_postgres(conn):
        # standalone FTS5 tables keyed by the row id (UNINDEXED); ingest keeps them in step
        conn.execute(text("CREATE VIRTUAL TABLE documents_fts USING fts5("
                          "document_id UNINDEXED, title, text, tokenize='porter unicode61')"))
        conn.execute(text("CREATE VIRTUAL TABLE events_fts USING fts5("
                          "event_id UNINDEXED, sentence, tokenize='porter unicode61')"))
    else:
        conn.execute(text("CREATE INDEX ix_documents_fts ON documents USING GIN "
                          "(to_tsvector('english', coalesce(title, '') || ' ' || text))"))
        conn.execute(text("CREATE INDEX ix_events_fts ON events USING GIN (to_tsvector('english', sentence))"))


def _v3_resolution(conn: Connection) -> None:
    """Near-duplicate signatures and links, actor merges, merged events and projects (issue 4)."""
    from .schema import DUPLICATE_TABLES, RESOLUTION_TABLES

    # a database made by v1 after these tables were declared has them already
    metadata.create_all(conn, tables=[*DUPLICATE_TABLES, *RESOLUTION_TABLES], checkfirst=True)


def _v4_fast_reads(conn: Connection) -> None:
    """The record's generation (for cached aggregates), events flagged when their article is a copy, and
    indexes for lists of original articles' events and actor-filtered article lists."""
    from .schema import record_generation

    # a database made by v1 after these were declared has them already, hence checkfirst / IF NOT EXISTS
    record_generation.create(conn, checkfirst=True)
    if conn.execute(select(record_generation.c.id)).first() is None:
        conn.execute(record_generation.insert().values(id=1, generation=0))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_entities_document_actor ON entities (document_id, actor_id)"))
    if "copied" not in {c["name"] for c in inspect(conn).get_columns("events")}:
        conn.execute(text("ALTER TABLE events ADD COLUMN copied BOOLEAN NOT NULL DEFAULT '0'"))
    from .ingest import mark_copies

    mark_copies(conn)
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_listed ON events (copied, day, id)"))


def _v5_full_text_keys(conn: Connection) -> None:
    """Documents and events note the rowid of their FTS5 row, so searches join on an integer."""
    for table in ("documents", "events"):
        if "fts_rowid" not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN fts_rowid INTEGER"))
    if not is_postgres(conn):
        for table, fts, key in (("documents", "documents_fts", "document_id"), ("events", "events_fts", "event_id")):
            rows = conn.execute(text(f"SELECT rowid, {key} FROM {fts}")).all()
            if rows:
                conn.execute(text(f"UPDATE {table} SET fts_rowid = :rowid WHERE id = :id"),
                             [{"rowid": rowid, "id": key_value} for rowid, key_value in rows])
    for table in ("documents", "events"):
        conn.execute(text(f"CREATE UNIQUE INDEX IF NOT EXISTS ix_{table}_fts_rowid ON {table} (fts_rowid)"))


def _v6_walk_covers_search(conn: Connection) -> None:
    """ix_events_listed also holds fts_rowid: a latest-first walk checks a common search word in the index."""
    conn.execute(text("DROP INDEX IF EXISTS ix_events_listed"))
    conn.execute(text("CREATE INDEX ix_events_listed ON events (copied, day, id, fts_rowid)"))


def _v7_resolution_index(conn: Connection) -> None:
    """The resolution's index: blocking keys, settled events and project entries, so ingest resolves new
    articles against the record incrementally (issue 15). Empty tables: the next ingest rebuilds them."""
    from .schema import INDEX_TABLES

    metadata.create_all(conn, tables=list(INDEX_TABLES), checkfirst=True)


def _v8_list_order(conn: Connection) -> None:
    """An event's sectors, countries and actors keep their order (`position`): its sectors are ranked, most telling
    first, and a resolution of the record must see them as the articles' JSON gives them. Rows stored before keep
    position 0 (they read back in alphabetical order, as before) until their article is stored again. The
    resolution's index is emptied: its entries now carry the events' ids, and the next ingest rebuilds it."""
    from .schema import INDEX_TABLES

    for table in ("event_sectors", "event_countries", "event_actors"):
        if "position" not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN position INTEGER NOT NULL DEFAULT 0"))
    for table in INDEX_TABLES:
        conn.execute(table.delete())


def _v9_project_components(conn: Connection) -> None:
    """projects.components: a plant's units kept as its components (issue 15). The resolution's index is emptied
    (its unit mentions were keyed by unit, now by plant), so the next ingest rebuilds the resolution and fills it."""
    if "components" not in {c["name"] for c in inspect(conn).get_columns("projects")}:
        conn.execute(text("ALTER TABLE projects ADD COLUMN components TEXT"))
    from .schema import resolution_documents

    conn.execute(resolution_documents.delete())


def _refile_event_index(conn: Connection) -> None:
    """The event index's keys changed (resolve.events.filing_keys, issue 15): the index is emptied, so the next
    ingest rebuilds the resolution and files every event under its new keys."""
    from .schema import INDEX_TABLES

    for table in INDEX_TABLES:
        conn.execute(table.delete())


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "tables, foreign keys and indexes", _v1_tables),
    (2, "full-text search", _v2_full_text),
    (3, "near-duplicates and cross-article resolution", _v3_resolution),
    (4, "record generation for cached aggregates; events.copied; list indexes", _v4_fast_reads),
    (5, "documents.fts_rowid and events.fts_rowid: the rows' FTS5 rowids", _v5_full_text_keys),
    (6, "ix_events_listed covers fts_rowid", _v6_walk_covers_search),
    (7, "the resolution's index for incremental resolution", _v7_resolution_index),
    (8, "event_sectors, event_countries, event_actors keep their order (position)", _v8_list_order),
    (9, "projects.components: a plant's units", _v9_project_components),
    (10, "the event index's blocking keys: by date and word", _refile_event_index),
    (11, "the event index's blocking keys: each event also under the coarser dates it lies within",
     _refile_event_index),
]
LATEST = MIGRATIONS[-1][0]


class SchemaVersionError(Exception):
    """The record's schema is not the version this coopwatch reads; the message is one line saying what to do."""


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def check_readable(conn: Connection, db: str) -> None:
    """Raise SchemaVersionError unless the record at `db` has the schema this coopwatch reads. Readers (serve,
    search, projects --db) cannot migrate, since they open the record read-only; `coopwatch ingest` does."""
    version = current_version(conn)
    if version == LATEST:
        return
    if version == 0:
        raise SchemaVersionError(f"{db} holds no coopwatch record yet (no schema); run `coopwatch ingest --db {db}` "
                                 "to create one")
    if version < LATEST:
        raise SchemaVersionError(f"the database's schema is version {version}, this coopwatch reads version "
                                 f"{LATEST}; run `coopwatch ingest --db {db}` to migrate it")
    raise SchemaVersionError(f"the database's schema is version {version}, newer than this coopwatch knows "
                             f"(version {LATEST}); use the coopwatch that wrote it, or a newer one")


def migrate(engine: Engine) -> int:
    """Bring the database up to the latest schema; returns the version it is at."""
    with engine.begin() as conn:
        if is_postgres(conn):
            # two ingests starting at once must not both create the tables
            conn.execute(text("SELECT pg_advisory_xact_lock(734512)"))
        version = current_version(conn)
        if version > LATEST:  # written by a newer coopwatch: writing into it with older code could damage it
            raise SchemaVersionError(f"the database's schema is version {version}, newer than this coopwatch knows "
                                     f"(version {LATEST}); use the coopwatch that wrote it, or a newer one")
        for number, description, apply in MIGRATIONS:
            if number <= version:
                continue
            apply(conn)
            conn.execute(schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(timezone.utc).isoformat()))
            version = number
    return version
