"""The tables of the record, declared once with SQLAlchemy Core for both SQLite and PostgreSQL.

Every row has a stable text id derived from the article id and the fact's position in the extraction
(`doc#ev3`), so links and exports survive re-ingesting; actors are keyed by their normalised name.
Full-text indexes are dialect specific and live in migrations.py.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(255), primary_key=True, comment="the article id (file name or crawler id)"),
    Column("content_hash", String(64), nullable=False, unique=True, comment="sha256 of the input article"),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(10), comment="ISO date"),
    Column("language", String(16)),
    Column("text", Text, nullable=False, comment="cleaned text every span points into"),
    Column("source", Text),
    Column("warnings", Text, comment="JSON list"),
    Column("removed", Text, comment="JSON list of boilerplate cut from the text"),
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_documents_published", documents.c.published, documents.c.id)

ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(255), nullable=False, comment="the id the input would have had"),
    Column("source", Text),
    Column("error", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("id", String(255), primary_key=True, comment="normalised canonical name"),
    Column("name", Text, nullable=False, comment="display name (gazetteer name when known)"),
    Column("type", String(16)),
    Column("country", String(2)),
    # kept up to date by ingest for the actors it touches, so lists sort by activity without a GROUP BY
    Column("event_count", Integer, nullable=False, server_default="0", comment="events naming the actor"),
    Column("document_count", Integer, nullable=False, server_default="0", comment="articles naming the actor"),
)
Index("ix_actors_country", actors.c.country)
Index("ix_actors_activity", actors.c.event_count.desc(), actors.c.document_count.desc(), actors.c.id)

entities = Table(
    "entities", metadata,
    Column("id", String(300), primary_key=True),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(255), ForeignKey("actors.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("country", String(2)),
    Column("role", Text),
    Column("canonical", Text),
    Column("organization", Text),
)
Index("ix_entities_document", entities.c.document_id)
Index("ix_entities_actor", entities.c.actor_id)

mentions = Table(
    "mentions", metadata,
    Column("entity_id", String(300), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
)

figures = Table(
    "figures", metadata,
    Column("id", String(300), primary_key=True),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("value", Float, nullable=False),
    Column("value_max", Float),
    Column("unit", Text),
    Column("measure", Text),
    Column("qualifier", String(16)),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
Index("ix_figures_document", figures.c.document_id, figures.c.start)

quotes = Table(
    "quotes", metadata,
    Column("id", String(300), primary_key=True),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("speaker", Text),
    Column("actor_id", String(255), ForeignKey("actors.id"), comment="the speaker as an actor"),
    Column("role", Text),
    Column("organization", Text),
    Column("direct", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
Index("ix_quotes_document", quotes.c.document_id, quotes.c.start)
Index("ix_quotes_actor", quotes.c.actor_id)

events = Table(
    "events", metadata,
    Column("id", String(300), primary_key=True),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("plover", String(16), nullable=False),
    Column("date_value", String(32), comment="ISO 8601 at the text's precision, or an interval"),
    Column("date_precision", String(8)),
    Column("date_text", Text),
    Column("day", String(10), comment="first day the date covers, or the publication date; for ranges"),
    Column("month", String(7), comment="YYYY-MM of `day`, for charts"),
    Column("status", String(16)),
    Column("location", Text),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("trigger", Text),
    Column("confidence", Float),
)
Index("ix_events_document", events.c.document_id)
Index("ix_events_day", events.c.day, events.c.id)
# no index on type or plover: eight and four values, and an index on them would steer SQLite away from
# walking ix_events_day for "latest first" pages

event_sectors = Table(
    "event_sectors", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("sector", String(32), primary_key=True),
)
Index("ix_event_sectors_sector", event_sectors.c.sector)

event_countries = Table(
    "event_countries", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(2), primary_key=True),
)
Index("ix_event_countries_country", event_countries.c.country)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(255), ForeignKey("actors.id"), primary_key=True),
    Column("name", Text, nullable=False, comment="the name as the event gives it"),
)
Index("ix_event_actors_actor", event_actors.c.actor_id)

event_figures = Table(
    "event_figures", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("figure_id", String(300), ForeignKey("figures.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_event_figures_figure", event_figures.c.figure_id)
