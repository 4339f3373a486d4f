"""Opening the record: a file path means SQLite, a postgresql:// URL means PostgreSQL."""
from __future__ import annotations

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
        # uri mode so SQLite itself refuses writes, whatever a bug might try
        return f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite+pysqlite:///{path}"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def refresh_statistics(conn: Connection) -> None:
    """Planner statistics for the indexes the queries rely on. Without them SQLite guesses, and its guess for a
    figure probe (walk every listed event per figure) ran for minutes on 10,000 articles; analysis_limit
    samples each index, so this stays about a second however large the record grows."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=2000")
    conn.exec_driver_sql("ANALYZE")


def open_engine(db: str = DEFAULT_DB, read_only: bool = False) -> Engine:
    url = database_url(db, read_only)
    if url.startswith("postgresql"):
        options = "-c default_transaction_read_only=on" if read_only else ""
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options} if options else {})
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            # WAL lets `serve` read while `ingest` writes; NORMAL sync is still crash-safe in WAL mode
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine
