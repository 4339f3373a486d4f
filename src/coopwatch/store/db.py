"""Opening the record: a file path means SQLite, a postgresql:// URL means PostgreSQL."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

DEFAULT_DB = "coopwatch.db"


def database_url(db: str, read_only: bool = False) -> str:
    if db.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        scheme, rest = db.split("://", 1)
        return f"postgresql+psycopg://{rest}"
    if db.startswith("sqlite"):
        return db
    path = Path(db).resolve()
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no database at {path}; run `coopwatch ingest` first")
        # uri mode so SQLite itself refuses writes, whatever a bug might try. A WAL database needs its -shm
        # file, which a reader creates: on read-only storage (a mounted volume, a directory owned by another
        # user) that is impossible, so the file is opened as immutable (ingest checkpoints the WAL into it)
        if not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK):
            return f"sqlite+pysqlite:///file:{path}?mode=ro&immutable=1&uri=true"
        return f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite+pysqlite:///{path}"


def is_postgres(bind: Engine | Connection) -> bool:
    """PostgreSQL or SQLite (the only two a record lives in): the one place the dialect is asked."""
    return bind.dialect.name == "postgresql"


# ---- the focus a reader sees the record through (`coopwatch serve --focus`)

FOCUS_OPTION = "coopwatch_focus"


def with_focus(conn: Connection, focus: frozenset[str] | None) -> Connection:
    """`conn`, reading only the events in `focus` (focus.py; None: every event). It is set on the connection, not
    passed to each query, so no page or answer can leave it out: store/search.py's event conditions read it, and
    store/cache.py keys every remembered answer by it. It lasts as long as the connection."""
    return conn.execution_options(**{FOCUS_OPTION: focus})


def focus_of(conn: Connection) -> frozenset[str] | None:
    return conn.get_execution_options().get(FOCUS_OPTION)


def database_problem(error: BaseException) -> str:
    """A database error as one line: the driver's message, not SQLAlchemy's statement dump."""
    cause = getattr(error, "orig", None) or error
    text = getattr(cause, "strerror", None) or str(cause)
    first = text.strip().splitlines()[0] if text.strip() else type(cause).__name__
    if "file is not a database" in first or "malformed" in first:
        first += " (the file is damaged or is not a coopwatch database)"
    elif "readonly" in first or "read-only" in first or "unable to open" in first:
        first += " (is the file or its folder read-only?)"
    return first


def refresh_statistics(conn: Connection) -> None:
    """Planner statistics for the indexes the queries rely on. Without them SQLite guesses, and its guess for a
    figure probe (walk every listed event per figure) ran for minutes on 10,000 articles; analysis_limit
    samples each index, so this stays about a second however large the record grows."""
    if not is_postgres(conn):
        conn.exec_driver_sql("PRAGMA analysis_limit=2000")
    conn.exec_driver_sql("ANALYZE")


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database file and empty it, so the file alone is the whole
    record (it can then be served from read-only storage, or copied)."""
    if not is_postgres(engine):
        raw = engine.raw_connection()  # outside any transaction, where a checkpoint can complete
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def _write_ahead_log(cursor, wait: float = 60.0) -> None:
    """Switch a database to WAL, waiting while another process holds it: switching takes the whole file, and
    SQLite's busy timeout does not cover it (two first ingests into a new file at once)."""
    import sqlite3
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_engine(db: str = DEFAULT_DB, read_only: bool = False) -> Engine:
    url = database_url(db, read_only)
    if url.startswith("postgresql"):
        options = "-c default_transaction_read_only=on" if read_only else ""
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options} if options else {})
    # a writer waits up to a minute for another writer (two ingests at once) rather than failing at once
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5 if read_only else 60})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            # WAL lets `serve` read while `ingest` writes; NORMAL sync is still crash-safe in WAL mode
            _write_ahead_log(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
            # transactions are begun by us (below), not by the driver
            dbapi_connection.isolation_level = None
        cursor.close()

    if not read_only:
        @event.listens_for(engine, "begin")
        def _write_lock_first(conn):
            # BEGIN IMMEDIATE: a writing transaction takes the write lock when it starts, so two ingests (or two
            # first ingests creating the schema) queue one after the other instead of both reading "no schema
            # yet" and then colliding, or failing to upgrade a read lock mid-transaction
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
