"""The record: extracted articles stored in SQLite or PostgreSQL (one SQLAlchemy Core code path)."""
