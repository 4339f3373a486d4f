"""The tables of the record, declared once with SQLAlchemy Core for both SQLite and PostgreSQL.

Every row has a stable text id derived from the article id and the fact's position in the extraction
(`doc#ev3`, document.fact_id), so links and exports survive re-ingesting; actors are keyed by their normalised
name. Full-text indexes are dialect specific and live in migrations.py.

A fact's columns are its fields as the record declares them (document.FIELDS): `to_columns` and `from_columns`
below turn one into the other (a span is `start` and `end`, an event's date `date_value`, `date_precision`, `date_text`; an
event's lists are tables of their own, kept in their order by `position`). A field added to the record needs its
column here and a migration; tests/test_record_shape.py says which is missing.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text)

from ..document import Field

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

# one row (id 1) whose generation every write to the record bumps in its transaction, so aggregates cached
# per generation (store/cache.py) are never served stale
record_generation = Table(
    "record_generation", metadata,
    Column("id", Integer, primary_key=True),
    Column("generation", Integer, nullable=False, server_default="0"),
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
    Column("fts_rowid", Integer, comment="SQLite: the article's row in documents_fts (Datasette's fts_pk)"),
)
Index("ix_documents_published", documents.c.published, documents.c.id)
Index("ix_documents_fts_rowid", documents.c.fts_rowid, unique=True)

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
# "documents naming this actor" newest first probes (document_id, actor_id) per document without reading rows
Index("ix_entities_document_actor", entities.c.document_id, entities.c.actor_id)

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
    # document_duplicates folded into the row (ingest keeps it in step), so "latest events of original
    # articles" walks one index instead of checking every event's article against the copies
    Column("copied", Boolean, nullable=False, server_default="0",
           comment="the event's article copies another (document_duplicates); default lists leave it out"),
    Column("fts_rowid", Integer, comment="SQLite: the event's row in events_fts (Datasette's fts_pk)"),
)
Index("ix_events_fts_rowid", events.c.fts_rowid, unique=True)
Index("ix_events_document", events.c.document_id)
Index("ix_events_day", events.c.day, events.c.id)
# latest-first pages of original articles' events walk this; fts_rowid in it lets a common search word be
# checked from the index alone, without reading each event's row
Index("ix_events_listed", events.c.copied, events.c.day, events.c.id, events.c.fts_rowid)
# no index on type or plover: eight and four values, and an index on them would steer SQLite away from
# walking ix_events_day for "latest first" pages

event_sectors = Table(
    "event_sectors", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("sector", String(32), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0",
           comment="its place in the event's list (sectors: most telling first)"),
)
Index("ix_event_sectors_sector", event_sectors.c.sector)

event_countries = Table(
    "event_countries", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0",
           comment="its place in the event's list (sectors: most telling first)"),
)
Index("ix_event_countries_country", event_countries.c.country)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(255), ForeignKey("actors.id"), primary_key=True),
    Column("name", Text, nullable=False, comment="the name as the event gives it"),
    Column("position", Integer, nullable=False, server_default="0",
           comment="its place in the event's list (sectors: most telling first)"),
)
Index("ix_event_actors_actor", event_actors.c.actor_id)

event_figures = Table(
    "event_figures", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("figure_id", String(300), ForeignKey("figures.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_event_figures_figure", event_figures.c.figure_id)

# ---- across articles (issue 4): near-duplicates found on ingest, and the resolution rebuilt after it

document_signatures = Table(
    "document_signatures", metadata,
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("text_hash", String(40), nullable=False, comment="sha1 of the normalized words: exact copies"),
    Column("shingles", Integer, nullable=False, comment="how many distinct word shingles the text has"),
    Column("signature", Text, nullable=False, comment="MinHash hash values, JSON list"),
)
Index("ix_document_signatures_text_hash", document_signatures.c.text_hash)

document_bands = Table(
    "document_bands", metadata,
    Column("band", Integer, primary_key=True),
    Column("key", String(40), primary_key=True, comment="hash of the signature's rows in this LSH band"),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_document_bands_document", document_bands.c.document_id)

document_duplicates = Table(
    "document_duplicates", metadata,
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
           comment="the copy; its facts are left out of counts and default lists"),
    Column("original_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False, comment="exact or near"),
    Column("rule", String(16), nullable=False, comment="text_hash, jaccard or containment"),
    Column("jaccard", Float, nullable=False, comment="MinHash estimate of the shingle Jaccard similarity"),
    Column("containment", Float, nullable=False, comment="share of the shorter text's shingles in the other"),
    Column("threshold", Float, nullable=False),
)
Index("ix_document_duplicates_original", document_duplicates.c.original_id)

actor_merges = Table(
    "actor_merges", metadata,
    Column("actor_id", String(255), ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True,
           comment="the alias actor"),
    Column("canonical_id", String(255), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(32), nullable=False, comment="the first rule on the path from alias to canonical"),
    Column("evidence", Text, nullable=False, comment="JSON list of {rule, names, evidence} merges of the group"),
)
Index("ix_actor_merges_canonical", actor_merges.c.canonical_id)

merged_events = Table(
    "merged_events", metadata,
    Column("id", String(40), primary_key=True, comment="hash of the member events' content"),
    Column("type", String(16), nullable=False),
    Column("date_value", String(32)),
    Column("date_precision", String(8)),
    Column("day", String(10)),
    Column("status", String(16)),
    Column("sources", Integer, nullable=False),
    Column("merge", Text, nullable=False, comment="JSON list of {rule, sources, evidence}"),
)
Index("ix_merged_events_day", merged_events.c.day)

merged_event_members = Table(
    "merged_event_members", metadata,
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", String(40), ForeignKey("merged_events.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
)
Index("ix_merged_event_members_group", merged_event_members.c.group_id)

projects = Table(
    "projects", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("names", Text, nullable=False, comment="JSON list of the names articles give it"),
    Column("status", String(24), nullable=False),
    Column("first_day", String(10)),
    Column("last_day", String(10)),
    Column("events", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("merges", Text, nullable=False, comment="JSON list: events of the project found to be one event"),
    Column("components", Text, comment="JSON list: a plant's units, each with its status, events and dates"),
)
Index("ix_projects_status", projects.c.status)
Index("ix_projects_first_day", projects.c.first_day)

project_sectors = Table(
    "project_sectors", metadata,
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("sector", String(32), primary_key=True),
)
Index("ix_project_sectors_sector", project_sectors.c.sector)

project_participants = Table(
    "project_participants", metadata,
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("side", String(8), primary_key=True, comment="country code, or 'other'"),
    Column("name", Text, primary_key=True),
    Column("actor_id", String(255), ForeignKey("actors.id", ondelete="SET NULL")),
)
Index("ix_project_participants_side", project_participants.c.side)

project_timeline = Table(
    "project_timeline", metadata,
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("date", String(32)),
    Column("day", String(10)),
    Column("stage", String(24)),
    Column("why", Text),
    Column("type", String(16), nullable=False),
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), nullable=False,
           comment="the first source's event"),
    Column("group_id", String(40), ForeignKey("merged_events.id", ondelete="SET NULL")),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("sentence", Text),
    Column("sources", Integer, nullable=False),
)

project_figures = Table(
    "project_figures", metadata,
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("value", Float),
    Column("unit", Text),
    Column("measure", Text),
    Column("text", Text),
    Column("date", String(32)),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
)

project_sources = Table(
    "project_sources", metadata,
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(300), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", String(255), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("group_id", String(40), ForeignKey("merged_events.id", ondelete="SET NULL")),
)
Index("ix_project_sources_document", project_sources.c.document_id)

# ---- the resolution's index (issue 15): what ingest needs to settle new articles against the record without
# reading it all. No foreign keys: a replaced article is noticed by its content hash and triggers a rebuild.

resolution_documents = Table(
    "resolution_documents", metadata,
    Column("document_id", String(255), primary_key=True),
    Column("content_hash", String(64), nullable=False, comment="the article's hash when it was resolved"),
    Column("mentions", Text, nullable=False, comment="JSON: the project names in the article, with positions"),
    Column("figures", Text, nullable=False, comment="JSON: figures told next to a project name"),
    Column("actors", Text, nullable=False, comment="JSON: what actor resolution reads of the article"),
)

project_keys = Table(
    "project_keys", metadata,
    Column("key", String(300), primary_key=True, comment="a project key (a plant's units under the plant's)"),
    Column("document_id", String(255), primary_key=True),
)
Index("ix_project_keys_document", project_keys.c.document_id)

event_items = Table(
    "event_items", metadata,
    Column("event_id", String(300), primary_key=True),
    Column("document_id", String(255), nullable=False),
    Column("rank", String(600), nullable=False, comment="undated, published, article, place: the settling order, "
                                                        "as text that sorts like it"),
    Column("date_value", String(32)),
    Column("leader", String(300), nullable=False, comment="the most senior event of its merged group"),
    Column("data", Text, nullable=False, comment="JSON: type, date, countries, span, actors, organisations, "
                                                 "people, object words"),
    Column("source", Text, nullable=False, comment="JSON: the event and its article's metadata"),
)
Index("ix_event_items_leader", event_items.c.leader, event_items.c.rank)
Index("ix_event_items_document", event_items.c.document_id)

event_keys = Table(
    "event_keys", metadata,
    Column("key", String(300), primary_key=True, comment="w|type|year|word, or o|type|org|org"),
    Column("event_id", String(300), primary_key=True),
)
Index("ix_event_keys_event", event_keys.c.event_id)

group_entries = Table(
    "group_entries", metadata,
    Column("leader", String(300), primary_key=True),
    Column("group_id", String(40), nullable=False, comment="merged_events.id"),
    Column("key", String(300), comment="the project the merged event belongs to, if any"),
    Column("entry", Text, comment="JSON: what the merged event brings to its project"),
)
Index("ix_group_entries_key", group_entries.c.key)

actor_names = Table(
    "actor_names", metadata,
    Column("class", String(8), primary_key=True),
    Column("name", String(300), primary_key=True),
    Column("actor_id", String(40), nullable=False, comment="the resolved actor (resolve.actors id)"),
    Column("actor", Text, nullable=False, comment="JSON: the resolved actor's name, names, side and type"),
)

INDEX_TABLES = (resolution_documents, project_keys, event_items, event_keys, group_entries, actor_names)

RESOLUTION_TABLES = (actor_merges, merged_events, merged_event_members, projects, project_sectors,
                     project_participants, project_timeline, project_figures, project_sources)
DUPLICATE_TABLES = (document_signatures, document_bands, document_duplicates)


# ---- a fact's fields as its row's columns, and back

def to_columns(fields: tuple[Field, ...], item: dict[str, Any], lists: str = "skip") -> dict[str, Any]:
    """The columns of a fact (contract JSON) whose fields are `fields`: scalars as they are, a span as `start` and
    `end`, a nested kind as `name_field` columns; lists left to tables of their own, or (`lists="json"`, the
    documents row) written as JSON text."""
    out: dict[str, Any] = {}
    for f in fields:
        value = item.get(f.name)
        if f.many:
            if lists == "json":
                out[f.name] = json.dumps(value or [], ensure_ascii=False)
        elif f.kind == "span":
            out["start"], out["end"] = value[0], value[1]
        elif f.shape is not None:
            out.update({f"{f.name}_{x.name}": (value or {}).get(x.name) for x in f.fields()})
        elif f.kind == "flag":
            out[f.name] = bool(value)
        else:
            out[f.name] = value
    return out


def from_columns(fields: tuple[Field, ...], row: dict[str, Any], lists: str = "skip") -> dict[str, Any]:
    """A row's columns as the fact's fields again (the inverse of `to_columns`): a date whose value is empty is no
    date; lists are the caller's, unless they are JSON text (`lists="json"`)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.many:
            if lists == "json":
                out[f.name] = json.loads(row[f.name]) if row.get(f.name) else []
        elif f.kind == "span":
            out[f.name] = [row["start"], row["end"]]
        elif f.shape is not None:
            nested = {x.name: row[f"{f.name}_{x.name}"] for x in f.fields()}
            out[f.name] = nested if any(v is not None for v in nested.values()) else None
        else:
            out[f.name] = row[f.name]
    return out
