"""Articles in, rows out: read, skip what is already stored, extract the rest, write each batch in one transaction.

Idempotent by content hash: an article whose hash is stored is neither extracted nor written again; an
article whose id is stored with another hash replaces the old version. A crash mid-way loses at most the
batch in flight, and re-running picks up from there.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from ..document import FIELDS, Article, ReadError, document_fields, fact_id, position_of
from ..read.metadata import facts_problem, metadata_problem
from . import schema as t
from .cache import bump_generation
from .db import is_postgres
from .duplicates import forget as forget_duplicates, link_duplicates

BATCH_SIZE = 64


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)

    def merged(self, other: "IngestReport") -> "IngestReport":
        """The two reports' counts added up: one summary for several sources."""
        return IngestReport(*(getattr(self, k) + getattr(other, k) for k in
                              ("read", "stored", "replaced", "unchanged", "failed", "errors")))


HASHED = ("id", "title", "url", "outlet", "published", "language", "text")


def content_hash(article: Article) -> str:
    """What makes two inputs the same article: its id, metadata and text, not where it was read from."""
    return record_hash({key: getattr(article, key) for key in HASHED})


def record_hash(record: dict) -> str:
    """The same for an already extracted article, whose text is the cleaned one."""
    fields = [record.get(key) for key in HASHED]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def actor_key(name: str) -> str:
    """The id of an actor: its name folded to lower-case ASCII-ish words joined by '-'."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[^\w]+", "-", folded).strip("-")[:255] or "unnamed"


def ingest(engine: Engine, items: Iterable[Article | ReadError], extract=None, batch_size: int = BATCH_SIZE,
           progress=None, dup_threshold: float | None = None) -> IngestReport:
    """Store every article of `items`; `extract` maps articles to contract records (default: the pipeline);
    `dup_threshold` overrides the near-duplicate threshold of data/resolve.toml."""
    if extract is None:
        from ..pipeline import extract_articles as extract
    report = IngestReport()
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        report.read += len(batch)
        articles = [a for a in batch if isinstance(a, Article)]
        hashes = {a.id: content_hash(a) for a in articles}
        with engine.connect() as conn:
            known = set(conn.execute(select(t.documents.c.content_hash).where(
                t.documents.c.content_hash.in_(list(hashes.values())))).scalars())
        # the same id twice in a batch: the later version wins, as it would across batches
        last = {a.id: a for a in articles}
        todo = [a for a in batch if isinstance(a, ReadError) or (last[a.id] is a and hashes[a.id] not in known)]
        hashes = {a.id: content_hash(a) for a in last.values()}
        report.unchanged += len(batch) - len(todo)
        records = list(extract(todo)) if todo else []
        _write_batch(engine, records, hashes, report, dup_threshold)
        if progress is not None:
            progress(len(batch))
    return report


def ingest_records(engine: Engine, records: Iterable[dict], batch_size: int = BATCH_SIZE,
                   progress=None, dup_threshold: float | None = None) -> IngestReport:
    """Store extraction records made elsewhere (`coopwatch spark` output): the same batches, skips and errors as
    `ingest`, without extracting; error records (`{"id", "source", "error"}`) are logged as failures."""
    report = IngestReport()
    iterator = iter(records)
    while batch := list(islice(iterator, batch_size)):
        report.read += len(batch)
        last = {r["id"]: r for r in batch if "error" not in r}
        hashes = {key: record_hash(r) for key, r in last.items()}
        with engine.connect() as conn:
            known = set(conn.execute(select(t.documents.c.content_hash).where(
                t.documents.c.content_hash.in_(list(hashes.values())))).scalars())
        todo = [r for r in batch if "error" in r or (last[r["id"]] is r and hashes[r["id"]] not in known)]
        report.unchanged += len(batch) - len(todo)
        _write_batch(engine, todo, hashes, report, dup_threshold)
        if progress is not None:
            progress(len(batch))
    return report


def _write_batch(engine: Engine, records: list[dict], hashes: dict[str, str], report: IngestReport,
                 dup_threshold: float | None = None) -> None:
    """One transaction: the batch's error records logged, its extractions stored. An article whose metadata
    or facts do not fit (read/metadata.py) becomes its own error record, so it never costs the batch."""
    records = [_checked(r) for r in records]
    with engine.begin() as conn:
        for record in records:
            if "error" in record:
                report.failed += 1
                report.errors.append(record)
                conn.execute(t.ingest_errors.insert().values(
                    document_id=str(record["id"])[:255], source=record.get("source"), error=str(record["error"]),
                    at=_now()))
        stored = [r for r in records if "error" not in r]
        report.replaced += store_records(conn, stored, [hashes[r["id"]] for r in stored], dup_threshold)
        report.stored += len(stored)


def _checked(record: dict) -> dict:
    if "error" in record:
        return record
    from ..data import event_type_names, sector_names

    problem = metadata_problem(record) or facts_problem(record, event_type_names(), sector_names())
    if problem is None and not isinstance(record.get("text"), str):
        problem = "the record has no 'text'"
    if problem is None:
        return record
    return {"id": str(record.get("id"))[:255], "source": record.get("source"), "error": f"not stored: {problem}"}


def store_records(conn: Connection, records: list[dict], hashes: list[str], dup_threshold: float | None = None) -> int:
    """Write extraction records (contract JSON) with their content hashes; returns how many replaced a stored one.

    Every path into the record passes here, so here each article is also signed and, when it copies a stored
    one, linked to it (store/duplicates.py)."""
    if not records:
        return 0
    ids = [r["id"] for r in records]
    replaced = conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(ids))).scalars().all()
    touched: set[str] = set()
    if replaced:
        touched |= set(conn.execute(select(t.entities.c.actor_id).where(
            t.entities.c.document_id.in_(replaced))).scalars())
        touched |= set(conn.execute(select(t.event_actors.c.actor_id).join(
            t.events, t.events.c.id == t.event_actors.c.event_id).where(t.events.c.document_id.in_(replaced))).scalars())
        _delete_documents(conn, list(replaced))
    rows = _Rows()
    now = _now()
    for record, digest in zip(records, hashes):
        rows.add(record, digest, now)
    _upsert_actors(conn, rows.actors)
    if not is_postgres(conn):
        _number_full_text_rows(conn, rows)
    for table, values in ((t.documents, rows.documents), (t.entities, rows.entities), (t.mentions, rows.mentions),
                          (t.figures, rows.figures), (t.quotes, rows.quotes), (t.events, rows.events),
                          (t.event_sectors, rows.event_sectors), (t.event_countries, rows.event_countries),
                          (t.event_actors, rows.event_actors), (t.event_figures, rows.event_figures)):
        if values:
            conn.execute(table.insert(), values)
    changed = link_duplicates(conn, records, dup_threshold)
    if changed - set(ids):  # an article stored before became a copy (or an original): its actors count anew
        touched |= set(conn.execute(select(t.entities.c.actor_id).where(
            t.entities.c.document_id.in_(sorted(changed - set(ids))))).scalars())
    # actors whose stored articles changed are counted again; the others only gain the new articles' share, since
    # counting all of a busy actor's events for every batch made ingest slow down as the record grew
    _recount_actors(conn, touched)
    _add_actor_counts(conn, ids, skip=touched)
    mark_copies(conn, sorted(changed | set(ids)))
    if not is_postgres(conn):
        conn.execute(text("INSERT INTO documents_fts (rowid, document_id, title, text) "
                          "VALUES (:rowid, :id, :title, :text)"),
                     [{"rowid": d["fts_rowid"], "id": d["id"], "title": d["title"] or "", "text": d["text"]}
                      for d in rows.documents])
        if rows.events:
            conn.execute(text("INSERT INTO events_fts (rowid, event_id, sentence) VALUES (:rowid, :id, :sentence)"),
                         [{"rowid": e["fts_rowid"], "id": e["id"], "sentence": e["sentence"]} for e in rows.events])
    bump_generation(conn)  # cached counts and facets of the record before this batch no longer hold
    return len(replaced)


def _delete_documents(conn: Connection, ids: list[str]) -> None:
    event_ids = select(t.events.c.id).where(t.events.c.document_id.in_(ids))
    if not is_postgres(conn):
        # FTS5 tables know nothing of foreign keys; their rows are found by the fts_rowid noted on ours
        conn.execute(text("DELETE FROM events_fts WHERE rowid IN (SELECT fts_rowid FROM events WHERE document_id IN "
                          "(SELECT value FROM json_each(:ids)))"), {"ids": json.dumps(ids)})
        conn.execute(text("DELETE FROM documents_fts WHERE rowid IN (SELECT fts_rowid FROM documents WHERE id IN "
                          "(SELECT value FROM json_each(:ids)))"), {"ids": json.dumps(ids)})
    forget_duplicates(conn, ids)
    # children first, so it works without ON DELETE CASCADE support too
    entity_ids = select(t.entities.c.id).where(t.entities.c.document_id.in_(ids))
    for table in (t.event_sectors, t.event_countries, t.event_actors, t.event_figures):
        conn.execute(delete(table).where(table.c.event_id.in_(event_ids)))
    conn.execute(delete(t.mentions).where(t.mentions.c.entity_id.in_(entity_ids)))
    for table in (t.events, t.entities, t.figures, t.quotes):
        conn.execute(delete(table).where(table.c.document_id.in_(ids)))
    conn.execute(delete(t.documents).where(t.documents.c.id.in_(ids)))


def _upsert_actors(conn: Connection, actors: dict[str, dict]) -> None:
    """Insert actors not stored yet; the first description of an actor wins, later ones only fill gaps."""
    if not actors:
        return
    values = list(actors.values())
    dialect = postgresql if is_postgres(conn) else sqlite
    statement = dialect.insert(t.actors).on_conflict_do_nothing(index_elements=["id"])
    for chunk in _chunks(values, 500):
        conn.execute(statement, chunk)


def _recount_actors(conn: Connection, actor_ids: set[str]) -> None:
    """Refresh the event and article counts of the actors a batch touched (indexed counts, no table scan);
    copies of other articles count for nothing."""
    copies = select(t.document_duplicates.c.document_id)
    events = (select(func.count()).select_from(t.event_actors)
              .join(t.events, t.events.c.id == t.event_actors.c.event_id)
              .where(t.event_actors.c.actor_id == t.actors.c.id, t.events.c.document_id.not_in(copies))
              .scalar_subquery())
    documents = (select(func.count(func.distinct(t.entities.c.document_id)))
                 .where(t.entities.c.actor_id == t.actors.c.id, t.entities.c.document_id.not_in(copies))
                 .scalar_subquery())
    for chunk in _chunks(sorted(actor_ids), 500):
        conn.execute(update(t.actors).where(t.actors.c.id.in_(chunk)).values(
            event_count=events, document_count=documents))


def _add_actor_counts(conn: Connection, document_ids: list[str], skip: set[str]) -> None:
    """Add what these (new) articles, unless copies, bring to their actors' event and article counts."""
    copies = select(t.document_duplicates.c.document_id)
    gained: dict[str, list[int]] = {}
    for chunk in _chunks(document_ids, 500):
        events = (select(t.event_actors.c.actor_id, func.count())
                  .join(t.events, t.events.c.id == t.event_actors.c.event_id)
                  .where(t.events.c.document_id.in_(chunk), t.events.c.document_id.not_in(copies))
                  .group_by(t.event_actors.c.actor_id))
        for actor_id, n in conn.execute(events):
            gained.setdefault(actor_id, [0, 0])[0] += n
        documents = (select(t.entities.c.actor_id, func.count(func.distinct(t.entities.c.document_id)))
                     .where(t.entities.c.document_id.in_(chunk), t.entities.c.document_id.not_in(copies),
                            t.entities.c.actor_id.is_not(None))
                     .group_by(t.entities.c.actor_id))
        for actor_id, n in conn.execute(documents):
            gained.setdefault(actor_id, [0, 0])[1] += n
    rows = [{"key": actor_id, "events": e, "documents": d} for actor_id, (e, d) in gained.items() if actor_id not in skip]
    if rows:
        a = t.actors.c
        conn.execute(update(t.actors).where(a.id == bindparam("key")).values(
            event_count=a.event_count + bindparam("events"), document_count=a.document_count + bindparam("documents")),
            rows)


def _number_full_text_rows(conn: Connection, rows: "_Rows") -> None:
    """SQLite: give each document and event of the batch the rowid its FTS5 row will get (`fts_rowid`), so a
    search joins on that integer instead of reading each match's id out of the FTS table's stored text."""
    for fts, items in (("documents_fts", rows.documents), ("events_fts", rows.events)):
        last = conn.execute(text(f"SELECT rowid FROM {fts} ORDER BY rowid DESC LIMIT 1")).scalar() or 0
        for number, item in enumerate(items, start=last + 1):
            item["fts_rowid"] = number


def mark_copies(conn: Connection, document_ids: list[str] | None = None) -> None:
    """Set events.copied from document_duplicates for these articles' events (None: every event that is wrong)."""
    copies = select(t.document_duplicates.c.document_id)
    is_copy = t.events.c.document_id.in_(copies)
    if document_ids is None:
        conn.execute(update(t.events).where(t.events.c.copied != is_copy).values(copied=is_copy))
        return
    for chunk in _chunks(document_ids, 500):
        conn.execute(update(t.events).where(t.events.c.document_id.in_(chunk)).values(copied=is_copy))


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def first_day(value: str | None) -> str | None:
    """The first calendar day an ISO date, month, year or interval covers ('2022-09' -> '2022-09-01')."""
    if not value:
        return None
    start = value.split("/")[0]
    if re.fullmatch(r"\d{4}", start):
        return f"{start}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", start):
        return f"{start}-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
        return start
    return None


class _Rows:
    """The rows of a batch of records, table by table."""

    def __init__(self) -> None:
        self.documents: list[dict] = []
        self.actors: dict[str, dict] = {}
        self.entities: list[dict] = []
        self.mentions: list[dict] = []
        self.figures: list[dict] = []
        self.quotes: list[dict] = []
        self.events: list[dict] = []
        self.event_sectors: list[dict] = []
        self.event_countries: list[dict] = []
        self.event_actors: list[dict] = []
        self.event_figures: list[dict] = []

    def _actor(self, name: str, type_: str | None, country: str | None, canonical: str | None) -> str:
        key = actor_key(canonical or name)
        known = self.actors.get(key)
        if known is None:
            self.actors[key] = {"id": key, "name": canonical or name, "type": type_, "country": country}
        else:
            known["type"] = known["type"] or type_
            known["country"] = known["country"] or country
        return key

    def add(self, record: dict, digest: str, now: str) -> None:
        """A record's rows: each fact's columns as the record declares its fields (schema.to_columns), with its
        id (document.fact_id), its actors and the links of its events."""
        doc = record["id"]
        self.documents.append({**t.to_columns(document_fields(), record, lists="json"), "content_hash": digest,
                               "ingested_at": now})
        actor_of_name: dict[str, str] = {}
        for n, ent in enumerate(record.get("entities") or []):
            entity_id = fact_id(doc, "entities", n)
            actor_id = self._actor(ent["name"], ent["type"], ent.get("country"), ent.get("canonical"))
            actor_of_name.setdefault(ent["name"], actor_id)
            self.entities.append({"id": entity_id, "document_id": doc, "actor_id": actor_id,
                                  **t.to_columns(FIELDS["entity"], ent)})
            seen = set()
            for start, end in ent.get("mentions") or []:
                if start not in seen:
                    seen.add(start)
                    self.mentions.append({"entity_id": entity_id, "start": start, "end": end})
        figure_of_span: dict[tuple[int, int], str] = {}
        for n, q in enumerate(record.get("quantities") or []):
            figure_id = fact_id(doc, "quantities", n)
            figure_of_span.setdefault(tuple(q["span"]), figure_id)
            self.figures.append({"id": figure_id, "document_id": doc, **t.to_columns(FIELDS["quantity"], q)})
        for n, q in enumerate(record.get("quotes") or []):
            speaker = q.get("speaker")
            speaker_actor = None
            if speaker:
                speaker_actor = actor_of_name.get(speaker) or self._actor(speaker, "PERSON", None, None)
            self.quotes.append({"id": fact_id(doc, "quotes", n), "document_id": doc, "actor_id": speaker_actor,
                                **t.to_columns(FIELDS["quote"], q)})
        for n, ev in enumerate(record.get("events") or []):
            event_id = fact_id(doc, "events", n)
            day = first_day((ev.get("date") or {}).get("value")) or record.get("published")
            self.events.append({"id": event_id, "document_id": doc, **t.to_columns(FIELDS["event"], ev),
                                "day": day, "month": day[:7] if day else None})
            for position, sector in enumerate(dict.fromkeys(ev.get("sectors") or [])):
                self.event_sectors.append({"event_id": event_id, "sector": sector, "position": position})
            for position, country in enumerate(dict.fromkeys(ev.get("countries") or [])):
                self.event_countries.append({"event_id": event_id, "country": country, "position": position})
            linked = set()
            for name in ev.get("actors") or []:
                actor_id = actor_of_name.get(name) or self._actor(name, None, None, None)
                if actor_id not in linked:  # two names of one actor: the first one (the store counts actors)
                    self.event_actors.append({"event_id": event_id, "actor_id": actor_id, "name": name,
                                              "position": len(linked)})
                    linked.add(actor_id)
            figures = {figure_of_span.get(tuple(q.get("span") or ())) for q in ev.get("quantities") or []}
            for figure_id in sorted((f for f in figures if f), key=position_of):
                self.event_figures.append({"event_id": event_id, "figure_id": figure_id})
