"""Reading the record: filtered, paginated queries shared by `coopwatch search`, the JSON API and the pages.

Every query is built with SQLAlchemy Core, so values are always bound parameters; only the full-text
predicate differs between SQLite (FTS5) and PostgreSQL (tsvector).

A connection may carry a focus (db.with_focus, `coopwatch serve --focus CN,RU`): then every event condition here
holds only the events in focus (`focus_condition`, focus.py's rule), so lists, counts, facets, charts, actors'
event counts, the network, projects and exports all see the same events, and store/cache.py keys every
remembered answer by the focus. Documents, figures and quotes stay whole, as `ingest --focus` would store them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Connection, Select, and_, exists, false, func, literal_column, or_, select, text

from . import schema as t
from ..data import event_type_names, plover_codes, sector_names
from ..focus import sides_needed
from .cache import cached
from .db import focus_of, is_postgres
from .ingest import actor_key

# the vocabularies, from their data files (a sector or type added there is filterable here)
SECTORS = sector_names()
EVENT_TYPES = event_type_names()
PLOVER = plover_codes()
# a filtered list's total is counted exactly up to here, then given as "at least" (API: total_exact false);
# counting every match of a broad filter over a large record costs more than the page itself
COUNT_CAP = 10_000
# a link-table value (sector, country, actor) held by at least this share of events is "broad": pages walk
# the date index and probe each event, since matches come soon; a rarer value's few ids are read from its
# index and sorted instead, which beats walking most of the record to find them
BROAD_SHARE = 0.05


class BadQuery(ValueError):
    """A filter value the record cannot answer; the API turns it into a 400 with this message."""


@dataclass
class Filters:
    q: str | None = None
    sector: str | None = None
    type: str | None = None
    plover: str | None = None
    country: str | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    document: str | None = None
    # facts of articles that copy another are left out unless asked for (None, not False: no URL parameter)
    include_duplicates: bool | None = None

    def validated(self) -> "Filters":
        if self.sector and self.sector not in SECTORS:
            raise BadQuery(f"unknown sector {self.sector!r}; one of {', '.join(SECTORS)}")
        if self.type and self.type not in EVENT_TYPES:
            raise BadQuery(f"unknown event type {self.type!r}; one of {', '.join(EVENT_TYPES)}")
        if self.plover:
            self.plover = self.plover.upper()
            if self.plover not in PLOVER:
                raise BadQuery(f"unknown PLOVER code {self.plover!r}; one of {', '.join(PLOVER)}")
        if self.country:
            if not re.fullmatch(r"[A-Za-z]{2}", self.country):
                raise BadQuery(f"country {self.country!r} is not an ISO 3166-1 alpha-2 code such as CN or RU")
            self.country = self.country.upper()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadQuery("date_from is after date_to")
        if self.q is not None:
            self.q = self.q.strip() or None
        for name in ("q", "actor", "document"):  # free text: any character but NUL, which no database stores
            if "\x00" in (getattr(self, name) or ""):
                raise BadQuery(f"{name} holds a NUL character")
        return self

    def as_params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}


def words(query: str) -> list[str]:
    found = re.findall(r"\w+", query)
    if not found:
        raise BadQuery(f"search {query!r} has no words to look for")
    return found[:32]


def _fts_sqlite(query: str) -> str:
    # every word quoted: user input is never FTS5 syntax, so `"` or `AND(` cannot make a query fail
    return " ".join(f'"{w}"' for w in words(query))


def event_text_match(conn: Connection, query: str, walk: bool | None = None):
    """Events whose sentence has every word of `query`; `walk` as in `_fts_rows`."""
    if not is_postgres(conn):
        return _fts_rows(conn, t.events.c.fts_rowid, "events_fts", query, walk)
    return text("to_tsvector('english', events.sentence) @@ plainto_tsquery('english', :events_q)").bindparams(
        events_q=" ".join(words(query)))


def document_text_match(conn: Connection, query: str, walk: bool | None = None):
    if not is_postgres(conn):
        return _fts_rows(conn, t.documents.c.fts_rowid, "documents_fts", query, walk)
    return text("to_tsvector('english', coalesce(documents.title, '') || ' ' || documents.text) "
                "@@ plainto_tsquery('english', :documents_q)").bindparams(documents_q=" ".join(words(query)))


def _fts_rows(conn: Connection, fts_rowid, fts_table: str, query: str, walk: bool | None):
    """`fts_rowid` among the rowids of an FTS5 table that match `query`.

    A common word (walk True, or None and matching at least BROAD_SHARE of the rows) leaves the fts_rowid
    index unused (`+ 0`), so a list walks its date index and checks each row against the matches, and stops
    after a page; a rarer word reads its few matches through that index and sorts them, which beats walking
    most of the record to find them. Counting the matches takes the FTS index alone (under a millisecond).
    """
    match = _fts_sqlite(query)
    if walk is None:
        matches = cached(conn, ("fts_matches", fts_table, match), lambda: conn.execute(
            text(f"SELECT count(*) FROM {fts_table} WHERE {fts_table} MATCH :q").bindparams(q=match)).scalar_one())
        rows = cached(conn, ("rows", fts_rowid.table.name), lambda: conn.execute(
            select(func.count()).select_from(fts_rowid.table)).scalar_one())
        walk = matches >= BROAD_SHARE * rows
    column = fts_rowid + 0 if walk else fts_rowid
    return column.in_(select(literal_column("rowid")).select_from(text(fts_table)).where(
        text(f"{fts_table} MATCH :{fts_table}_q").bindparams(**{f"{fts_table}_q": match})))


def newest_first(conn: Connection, column, id_column) -> list:
    """Latest first, undated last, ties by id: in SQLite plain DESC already puts NULLs last and can walk the
    (column, id) index backwards; PostgreSQL needs NULLS LAST said."""
    if is_postgres(conn):
        return [column.desc().nulls_last(), id_column.desc()]
    return [column.desc(), id_column.desc()]


def _event_has(table, column, value, probe: bool):
    """Events linked to `value` in a link table.

    Probe (broad values): EXISTS probes the link table's (event_id, ...) primary key per event, so a walk
    down the date index stops after one page, and a capped count after `cap` matches. Otherwise IN reads
    just the linked ids from the value's index.
    """
    if probe:
        return exists(select(literal_column("1")).select_from(table).where(
            table.c.event_id == t.events.c.id, column == value).correlate(t.events))
    # correlate(None): the ids stand alone even where the outer query joins the same link table
    return t.events.c.id.in_(select(table.c.event_id).where(column == value).correlate(None))


def link_counts(conn: Connection) -> dict:
    """Events in all, and per sector and per country (cached per record generation)."""
    def compute() -> dict:
        out = {"events": conn.execute(select(func.count()).select_from(t.events)).scalar_one()}
        for name, column in (("sector", t.event_sectors.c.sector), ("country", t.event_countries.c.country)):
            out[name] = dict(conn.execute(select(column, func.count()).group_by(column)).all())
        return out
    return cached(conn, ("link_counts",), compute)


def _broad(conn: Connection, kind: str, value: str) -> bool:
    counts = link_counts(conn)
    if kind == "actor":
        held = conn.execute(select(t.actors.c.event_count).where(t.actors.c.id == value)).scalar() or 0
    else:
        held = counts[kind].get(value, 0)
    return held >= BROAD_SHARE * counts["events"]


def broad_filter(conn: Connection, f: Filters) -> bool:
    """Whether the event filters of `f` match a good share of the record (no rare value, no text search)."""
    return not f.q and all(_broad(conn, kind, value) for kind, value in
                           (("sector", f.sector), ("country", f.country), ("actor", f.actor and actor_key(f.actor)))
                           if value)


def _filter_key(f: Filters) -> tuple:
    """A filter as a cache key (store/cache.py adds the connection's focus to every key)."""
    return tuple(sorted(f.as_params().items()))


# ---- the focus

def focus_condition(conn: Connection, probe: bool | None = None):
    """The events in the connection's focus, as a WHERE term on events (None without a focus): at least
    `sides_needed(focus)` of an event's sides among the focus countries, focus.py's rule asked of event_countries.

    Probe: per event, a count over its few event_countries rows (primary key), so a page walking the date index
    stops after one page. Otherwise IN the ids of every event in focus, read once from the country index (what
    counts and charts read anyway). None chooses by how much of the record is in focus, as for link values."""
    focus = focus_of(conn)
    if focus is None:
        return None
    ec = t.event_countries.c
    codes, need = sorted(focus), sides_needed(focus)
    if probe is None:
        probe = focused_share(conn) >= BROAD_SHARE
    if probe:
        return select(func.count()).where(ec.event_id == t.events.c.id, ec.country.in_(codes)) \
            .correlate(t.events).scalar_subquery() >= need
    return t.events.c.id.in_(_ids_in_focus(codes, need))


def _ids_in_focus(codes: list[str], need: int) -> Select:
    ec = t.event_countries.c
    return (select(ec.event_id).where(ec.country.in_(codes)).group_by(ec.event_id)
            .having(func.count() >= need).correlate(None))


def events_in_focus(conn: Connection, event_id) -> list:
    """WHERE terms keeping rows whose `event_id` column names an event in focus ([] without a focus), for tables
    that point at events (projects' timelines and sources, merged events' members)."""
    focus = focus_of(conn)
    return [] if focus is None else [event_id.in_(_ids_in_focus(sorted(focus), sides_needed(focus)))]


def focused_share(conn: Connection) -> float:
    """The share of the record's events in focus (1.0 without one; cached per generation and focus)."""
    term = focus_condition(conn, probe=False)
    if term is None:
        return 1.0

    def compute() -> float:
        total = link_counts(conn)["events"]
        inside = conn.execute(select(func.count()).select_from(t.events).where(term)).scalar_one()
        return inside / total if total else 1.0
    return cached(conn, ("focused_share",), compute)


def out_of_focus_count(conn: Connection) -> int:
    """Events of original articles that the focus leaves out (0 without a focus): in the record, never shown."""
    term = focus_condition(conn, probe=False)
    if term is None:
        return 0
    return cached(conn, ("out_of_focus",), lambda: conn.execute(select(func.count()).select_from(t.events).where(
        t.events.c.copied == false(), ~term)).scalar_one())


# ---- events

def _event_conditions(conn: Connection, f: Filters, probe: bool | None = None) -> list:
    """The WHERE terms of `f` on events; `probe` None chooses probing or IN per value by how broad it is."""
    e = t.events.c
    where = []
    if f.q:
        where.append(event_text_match(conn, f.q, probe))
    if f.sector:
        where.append(_event_has(t.event_sectors, t.event_sectors.c.sector, f.sector,
                                _broad(conn, "sector", f.sector) if probe is None else probe))
    if f.type:
        where.append(e.type == f.type)
    if f.plover:
        where.append(e.plover == f.plover)
    if f.country:
        where.append(_event_has(t.event_countries, t.event_countries.c.country, f.country,
                                _broad(conn, "country", f.country) if probe is None else probe))
    if f.actor:
        actor = actor_key(f.actor)
        merged = actor_and_aliases(conn, actor)
        if len(merged) > 1:  # an actor merged across spellings: the events of every spelling
            where.append(e.id.in_(select(t.event_actors.c.event_id).where(t.event_actors.c.actor_id.in_(merged))))
        else:
            where.append(_event_has(t.event_actors, t.event_actors.c.actor_id, actor,
                                    _broad(conn, "actor", actor) if probe is None else probe))
    if f.date_from:
        where.append(e.day >= f.date_from.isoformat())
    if f.date_to:
        where.append(e.day <= f.date_to.isoformat())
    if f.document:
        where.append(e.document_id == f.document)
    elif not f.include_duplicates:
        where.append(e.copied == false())  # events.copied mirrors document_duplicates (ix_events_listed)
    focused = focus_condition(conn, probe)
    if focused is not None:  # always last: every event answer holds only events in focus
        where.append(focused)
    return where


def actor_and_aliases(conn: Connection, actor_id: str) -> list[str]:
    """The canonical actor of `actor_id` (itself unless resolution merged it) and every alias merged into it."""
    merges = t.actor_merges.c
    canonical = conn.execute(select(merges.canonical_id).where(merges.actor_id == actor_id)).scalar() or actor_id
    aliases = conn.execute(select(merges.actor_id).where(merges.canonical_id == canonical)
                           .order_by(merges.actor_id)).scalars().all()
    return [canonical, *aliases]


# what an event or article is, without where its full-text row sits
EVENT_COLUMNS = [c for c in t.events.c if c.name != "fts_rowid"]


def _events_select(conn: Connection, f: Filters) -> Select:
    return select(*EVENT_COLUMNS, t.documents.c.title.label("document_title"),
                  t.documents.c.published.label("document_published")).join(
        t.documents, t.documents.c.id == t.events.c.document_id).where(and_(True, *_event_conditions(conn, f)))


def capped_count(conn: Connection, table, conditions: list, cap: int | None = COUNT_CAP) -> int:
    """How many rows match, counting no further than `cap` (None: exact); unfiltered counts are always exact."""
    if not conditions or cap is None:
        return conn.execute(select(func.count()).select_from(table).where(and_(True, *conditions))).scalar_one()
    matching = select(literal_column("1")).select_from(table).where(and_(True, *conditions)).limit(cap).subquery()
    return conn.execute(select(func.count()).select_from(matching)).scalar_one()


def count_events(conn: Connection, f: Filters, cap: int | None = COUNT_CAP) -> int:
    # broad values are probed here too: IN builds the whole id list of a common value (RU: nearly every event)
    # before the cap can stop it, while a capped probe walk stops after `cap` matches
    return cached(conn, ("count_events", _filter_key(f), cap),
                  lambda: capped_count(conn, t.events, _event_conditions(conn, f), cap))


def list_events(conn: Connection, f: Filters, limit: int = 50, offset: int = 0) -> list[dict]:
    # the page's ids first (narrow rows, index order), then the wide rows of just those
    ids = conn.execute(select(t.events.c.id).where(and_(True, *_event_conditions(conn, f)))
                       .order_by(*newest_first(conn, t.events.c.day, t.events.c.id))
                       .limit(limit).offset(offset)).scalars().all()
    if not ids:
        return []
    found = {r.id: dict(r._mapping) for r in conn.execute(_events_select(conn, Filters(include_duplicates=True)).where(t.events.c.id.in_(ids)))}
    return _with_event_links(conn, [found[i] for i in ids])


def _with_event_links(conn: Connection, rows: list[dict]) -> list[dict]:
    """Sectors, countries, actors and figure ids of each event, in three queries for the whole page."""
    ids = [r["id"] for r in rows]
    for r in rows:
        r.update(sectors=[], countries=[], actors=[], figures=[])
    if not ids:
        return rows
    by_id = {r["id"]: r for r in rows}
    for event_id, sector in conn.execute(select(t.event_sectors.c.event_id, t.event_sectors.c.sector).where(
            t.event_sectors.c.event_id.in_(ids))):
        by_id[event_id]["sectors"].append(sector)
    for event_id, country in conn.execute(select(t.event_countries.c.event_id, t.event_countries.c.country).where(
            t.event_countries.c.event_id.in_(ids))):
        by_id[event_id]["countries"].append(country)
    for event_id, actor_id, name in conn.execute(select(t.event_actors.c.event_id, t.event_actors.c.actor_id, t.event_actors.c.name).where(
            t.event_actors.c.event_id.in_(ids))):
        by_id[event_id]["actors"].append({"id": actor_id, "name": name})
    for event_id, figure_id in conn.execute(select(t.event_figures).where(t.event_figures.c.event_id.in_(ids))):
        by_id[event_id]["figures"].append(figure_id)
    for r in rows:
        r["sectors"].sort()
        r["countries"].sort()
        # the date as the text gave it: a month stays a month, and an undated event says so (its `day`, used to
        # sort and filter, falls back on the publication date, which is not a date the text gave)
        r["when"] = shown_date(r.get("date_value"), r.get("date_precision"))
    return rows


PRECISION_WIDTH = {"day": 10, "month": 7, "year": 4}


def shown_date(value: str | None, precision: str | None) -> str | None:
    """An event's date at its precision: '2022-09-03', '2022-09', '2022', an interval '2019/2020', or None."""
    if not value:
        return None
    if "/" in value:
        return value
    width = PRECISION_WIDTH.get(precision or "")
    return value[:width] if width else value


def record_countries(conn: Connection) -> list[dict]:
    """The sides the record's events name, most events first, each with its code, name and event count
    (cached per generation of the record): the web app is about these, whichever they are."""
    def compute() -> list[dict]:
        focused = focus_condition(conn, probe=False)
        rows = conn.execute(select(t.event_countries.c.country, func.count()).join(
            t.events, t.events.c.id == t.event_countries.c.event_id).where(
            t.events.c.copied == false(), *([] if focused is None else [focused]))
            .group_by(t.event_countries.c.country)).all()
        ranked = sorted(rows, key=lambda r: (-r[1], r[0]))
        return [{"code": code, "name": country_name(code), "events": n} for code, n in ranked]
    return cached(conn, ("record_countries",), compute)


def record_sides(conn: Connection) -> list[dict]:
    """The sides the served record is about, for its title and export names: the focus countries when the
    connection has a focus (most events first), else the record's main sides."""
    focus = focus_of(conn)
    countries = record_countries(conn)
    if focus is None:
        return main_sides(countries)
    present = [c for c in countries if c["code"] in focus]
    missing = [{"code": code, "name": country_name(code), "events": 0}
               for code in sorted(focus - {c["code"] for c in present})]
    return present + missing


def main_sides(countries: list[dict]) -> list[dict]:
    """Of `record_countries`, the sides the record is mostly about: the two most frequent, and a third with at
    least a third of the first one's events."""
    if not countries:
        return []
    top = countries[0]["events"]
    return [c for n, c in enumerate(countries[:3]) if n < 2 or c["events"] * 3 >= top]


def country_name(code: str) -> str:
    from ..extract.knowledge import knowledge

    return knowledge().labels.get(code, code)


def get_event(conn: Connection, event_id: str) -> dict | None:
    row = conn.execute(_events_select(conn, Filters(include_duplicates=True)).where(t.events.c.id == event_id)).first()
    return _with_event_links(conn, [dict(row._mapping)])[0] if row else None


def event_facets(conn: Connection, f: Filters) -> dict[str, list[tuple[str, int]]]:
    """How many events of the filtered list fall in each sector, type, PLOVER code and country (cached)."""
    return cached(conn, ("event_facets", _filter_key(f)), lambda: _count_facets(conn, f))


def _count_facets(conn: Connection, f: Filters) -> dict[str, list[tuple[str, int]]]:
    # IN, never probes: every match is counted, so read the filters' ids from their indexes once
    conditions = _event_conditions(conn, f, probe=False)
    matching = select(t.events.c.id).where(and_(True, *conditions))

    def ranked(counts: dict) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    out = {}
    for name, table, column in (("sector", t.event_sectors, t.event_sectors.c.sector),
                                ("country", t.event_countries, t.event_countries.c.country)):
        statement = select(column, func.count()).group_by(column)
        if conditions:
            statement = statement.where(table.c.event_id.in_(matching))
        out[name] = ranked(dict(conn.execute(statement).all()))
    # type and PLOVER in one pass over the matching events
    types: dict[str, int] = {}
    plovers: dict[str, int] = {}
    for type_, plover, n in conn.execute(select(t.events.c.type, t.events.c.plover, func.count())
                                         .where(and_(True, *conditions)).group_by(t.events.c.type, t.events.c.plover)):
        types[type_] = types.get(type_, 0) + n
        plovers[plover] = plovers.get(plover, 0) + n
    out["type"], out["plover"] = ranked(types), ranked(plovers)
    return out


# ---- documents

def _document_conditions(conn: Connection, f: Filters) -> list:
    d = t.documents.c
    where = []
    if f.q:
        where.append(document_text_match(conn, f.q))
    if f.date_from:
        where.append(d.published >= f.date_from.isoformat())
    if f.date_to:
        where.append(d.published <= f.date_to.isoformat())
    if f.actor:
        actor = actor_key(f.actor)
        if _broad(conn, "actor", actor):  # probe each article on the way down the date index
            where.append(exists(select(literal_column("1")).select_from(t.entities).where(
                t.entities.c.document_id == d.id, t.entities.c.actor_id == actor).correlate(t.documents)))
        else:
            where.append(d.id.in_(select(t.entities.c.document_id).where(t.entities.c.actor_id == actor)))
    if f.sector or f.type or f.plover or f.country:
        event_filter = Filters(sector=f.sector, type=f.type, plover=f.plover, country=f.country)
        if broad_filter(conn, event_filter):  # as above: an article with a matching event comes soon
            where.append(exists(select(literal_column("1")).select_from(t.events).where(
                t.events.c.document_id == d.id, *_event_conditions(conn, event_filter)).correlate(t.documents)))
        else:
            where.append(d.id.in_(select(t.events.c.document_id).where(
                and_(True, *_event_conditions(conn, event_filter)))))
    return where


DOCUMENT_COLUMNS = [c for c in t.documents.c if c.name not in ("text", "removed", "fts_rowid")]


def count_documents(conn: Connection, f: Filters, cap: int | None = COUNT_CAP) -> int:
    return cached(conn, ("count_documents", _filter_key(f), cap),
                  lambda: capped_count(conn, t.documents, _document_conditions(conn, f), cap))


def list_documents(conn: Connection, f: Filters, limit: int = 50, offset: int = 0) -> list[dict]:
    statement = (select(*DOCUMENT_COLUMNS, func.length(t.documents.c.text).label("length"))
                 .where(and_(True, *_document_conditions(conn, f)))
                 .order_by(*newest_first(conn, t.documents.c.published, t.documents.c.id)).limit(limit).offset(offset))
    rows = [dict(r._mapping) for r in conn.execute(statement)]
    if f.q:
        texts = dict(conn.execute(select(t.documents.c.id, t.documents.c.text).where(
            t.documents.c.id.in_([r["id"] for r in rows]))).all())
        for r in rows:
            r["snippet"] = snippet(texts[r["id"]], words(f.q))
    return rows


def snippet(body: str, terms: list[str], width: int = 220) -> str:
    """The stretch of `body` around the first search term, for result lists."""
    lowered = body.casefold()
    hits = [i for i in (lowered.find(w.casefold()) for w in terms) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = body[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def get_document(conn: Connection, document_id: str) -> dict | None:
    row = conn.execute(select(*[c for c in t.documents.c if c.name != "fts_rowid"])
                       .where(t.documents.c.id == document_id)).first()
    return dict(row._mapping) if row else None


def document_spans(conn: Connection, document_id: str) -> dict[str, list[dict]]:
    """Every extracted span of a document, by kind, for highlighting."""
    mentions = conn.execute(select(t.mentions.c.start, t.mentions.c.end, t.entities.c.name, t.entities.c.type,
                                   t.entities.c.actor_id)
                            .join(t.entities, t.entities.c.id == t.mentions.c.entity_id)
                            .where(t.entities.c.document_id == document_id)).mappings().all()
    figures = conn.execute(select(t.figures).where(t.figures.c.document_id == document_id)).mappings().all()
    quotes = conn.execute(select(t.quotes).where(t.quotes.c.document_id == document_id)).mappings().all()
    events = conn.execute(select(t.events.c.id, t.events.c.type, t.events.c.start, t.events.c.end)
                          .where(t.events.c.document_id == document_id,
                                 *events_in_focus(conn, t.events.c.id))).mappings().all()
    return {"mentions": [dict(m) for m in mentions], "figures": [dict(x) for x in figures],
            "quotes": [dict(x) for x in quotes], "events": [dict(x) for x in events]}


# ---- actors, figures, quotes

def _actor_conditions(f: Filters) -> list:
    a = t.actors.c
    where = []
    if f.q:
        pattern = like_pattern(f.q)
        where.append(or_(a.name.ilike(pattern, escape="\\"), a.id.in_(
            select(t.entities.c.actor_id).where(t.entities.c.name.ilike(pattern, escape="\\")))))
    if f.country:
        where.append(a.country == f.country)
    if f.type:
        where.append(a.type == f.type)
    # an actor merged into another is listed under that one (its page lists it as an alias)
    where.append(a.id.not_in(select(t.actor_merges.c.actor_id)))
    return where


def list_actors(conn: Connection, f: Filters, limit: int = 50, offset: int = 0) -> list[dict]:
    """Actors, most active first: by their stored event counts, or with a focus, by their events in focus."""
    a = t.actors.c
    event_count = a.event_count
    statement = select(a.id, a.name, a.type, a.country).where(and_(True, *_actor_conditions(f)))
    focused = focus_condition(conn, probe=False)
    if focused is not None:
        ea = t.event_actors.c
        counts = (select(ea.actor_id, func.count().label("events")).join(t.events, t.events.c.id == ea.event_id)
                  .where(t.events.c.copied == false(), focused).group_by(ea.actor_id).subquery())
        event_count = func.coalesce(counts.c.events, 0)
        statement = statement.outerjoin(counts, counts.c.actor_id == a.id)
    statement = (statement.add_columns(event_count.label("events"), a.document_count.label("documents"))
                 .order_by(event_count.desc(), a.document_count.desc(), a.id).limit(limit).offset(offset))
    if focused is None:  # the stored counts' index gives a page at once
        return [dict(r._mapping) for r in conn.execute(statement)]
    # counting every actor's events in focus takes a pass over them (~40 ms on 12,000 events): once per generation
    return cached(conn, ("list_actors", _filter_key(f), limit, offset),
                  lambda: [dict(r._mapping) for r in conn.execute(statement)])


def count_actors(conn: Connection, f: Filters, cap: int | None = COUNT_CAP) -> int:
    return cached(conn, ("count_actors", _filter_key(f), cap),
                  lambda: capped_count(conn, t.actors, _actor_conditions(f), cap))


def get_actor(conn: Connection, actor_id: str) -> dict | None:
    """One actor; an alias that resolution merged into another actor gives that canonical actor."""
    ids = actor_and_aliases(conn, actor_id)
    actor_id = ids[0]
    row = conn.execute(select(t.actors).where(t.actors.c.id == actor_id)).first()
    if row is None:
        return None
    actor = dict(row._mapping)
    focused = focus_condition(conn, probe=False)
    if focused is not None:  # its events in focus, counted as ingest counts them (copies count for nothing)
        actor["event_count"] = conn.execute(select(func.count()).select_from(t.event_actors).join(
            t.events, t.events.c.id == t.event_actors.c.event_id).where(
            t.event_actors.c.actor_id == actor_id, t.events.c.copied == false(), focused)).scalar_one()
    names = conn.execute(select(t.entities.c.name, func.count()).where(t.entities.c.actor_id.in_(ids))
                         .group_by(t.entities.c.name).order_by(func.count().desc(), t.entities.c.name)).all()
    event_names = conn.execute(select(t.event_actors.c.name).where(t.event_actors.c.actor_id.in_(ids))
                               .distinct()).scalars().all()
    actor["aliases"] = [n for n in dict.fromkeys([n for n, _ in names] + sorted(event_names)) if n != actor["name"]]
    actor["merged"] = [dict(r._mapping) for r in conn.execute(
        select(t.actor_merges.c.actor_id.label("id"), t.actors.c.name, t.actor_merges.c.rule, t.actor_merges.c.evidence)
        .join(t.actors, t.actors.c.id == t.actor_merges.c.actor_id)
        .where(t.actor_merges.c.canonical_id == actor_id).order_by(t.actor_merges.c.actor_id))]
    actor["roles"] = sorted(set(conn.execute(select(t.entities.c.role).where(
        t.entities.c.actor_id.in_(ids), t.entities.c.role.is_not(None))).scalars()))
    actor["documents"] = conn.execute(select(func.count(func.distinct(t.entities.c.document_id)))
                                      .where(t.entities.c.actor_id.in_(ids))).scalar_one()
    return actor


def like_pattern(text: str) -> str:
    """`text` anywhere, for LIKE ... ESCAPE '\\': its own %, _ and \\ match themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_figures(conn: Connection, f: Filters, limit: int = 50, offset: int = 0) -> list[dict]:
    statement = select(t.figures).where(and_(True, *_figure_conditions(conn, f, probe=None))).order_by(
        t.figures.c.document_id, t.figures.c.start).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(statement)]


def _figure_conditions(conn: Connection, f: Filters, probe: bool | None = False) -> list:
    """The WHERE terms of `f` on figures; event filters as IN over the matching events' figure ids, or with
    `probe` None and broad filters, as a probe per figure on the way down the (document, start) index."""
    where = []
    if f.document:
        where.append(t.figures.c.document_id == f.document)
    elif not f.include_duplicates:  # a copy's figures are its original's
        where.append(t.figures.c.document_id.not_in(select(t.document_duplicates.c.document_id)))
    if f.q:
        pattern = like_pattern(f.q)
        where.append(or_(t.figures.c.measure.ilike(pattern, escape="\\"), t.figures.c.unit.ilike(pattern, escape="\\")))
    if any((f.sector, f.type, f.plover, f.country, f.actor, f.date_from, f.date_to)):
        event_filter = Filters(sector=f.sector, type=f.type, plover=f.plover, country=f.country, actor=f.actor,
                               date_from=f.date_from, date_to=f.date_to)
        # a filter on the link tables alone whose values are all broad: a page fills after a few hundred figures
        # (type, PLOVER and dates have no share measured, so they read ids)
        if probe is None and not any((f.type, f.plover, f.date_from, f.date_to)) and broad_filter(conn, event_filter):
            where.append(exists(select(literal_column("1")).select_from(t.event_figures).join(
                t.events, t.events.c.id == t.event_figures.c.event_id).where(
                t.event_figures.c.figure_id == t.figures.c.id,
                *_event_conditions(conn, event_filter, probe=True)).correlate(t.figures)))
        else:  # the matching events' figure ids, read once (a count reads them all anyway)
            where.append(t.figures.c.id.in_(select(t.event_figures.c.figure_id).join(
                t.events, t.events.c.id == t.event_figures.c.event_id).where(
                *_event_conditions(conn, event_filter, probe=False))))
    return where


def count_figures(conn: Connection, f: Filters, cap: int | None = COUNT_CAP) -> int:
    return cached(conn, ("count_figures", _filter_key(f), cap),
                  lambda: capped_count(conn, t.figures, _figure_conditions(conn, f), cap))


def _quote_conditions(f: Filters) -> list:
    where = []
    if f.document:
        where.append(t.quotes.c.document_id == f.document)
    elif not f.include_duplicates:  # a copy's quotes are its original's
        where.append(t.quotes.c.document_id.not_in(select(t.document_duplicates.c.document_id)))
    if f.actor:
        where.append(t.quotes.c.actor_id == actor_key(f.actor))
    if f.q:
        pattern = like_pattern(f.q)
        where.append(t.quotes.c.text.ilike(pattern, escape="\\"))
    return where


def list_quotes(conn: Connection, f: Filters, limit: int = 50, offset: int = 0) -> list[dict]:
    statement = (select(t.quotes, t.documents.c.published.label("document_published"),
                        t.documents.c.title.label("document_title"))
                 .join(t.documents, t.documents.c.id == t.quotes.c.document_id)
                 .where(and_(True, *_quote_conditions(f)))
                 .order_by(t.quotes.c.document_id, t.quotes.c.start).limit(limit).offset(offset))
    return [dict(r._mapping) for r in conn.execute(statement)]


def count_quotes(conn: Connection, f: Filters, cap: int | None = COUNT_CAP) -> int:
    return cached(conn, ("count_quotes", _filter_key(f), cap),
                  lambda: capped_count(conn, t.quotes, _quote_conditions(f), cap))


# ---- overview and network

def totals(conn: Connection) -> dict[str, int]:
    return cached(conn, ("totals",), lambda: _totals(conn))


def _totals(conn: Connection) -> dict[str, int]:
    """Counts of the record; facts of copies of other articles are not counted again."""
    copies = select(t.document_duplicates.c.document_id)
    out = {"documents": conn.execute(select(func.count()).select_from(t.documents)).scalar_one()}
    for name, table in (("events", t.events), ("figures", t.figures), ("quotes", t.quotes)):
        out[name] = conn.execute(select(func.count()).select_from(table)
                                 .where(table.c.document_id.not_in(copies),
                                        *(events_in_focus(conn, table.c.id) if table is t.events else []))
                                 ).scalar_one()
    out["actors"] = conn.execute(select(func.count()).select_from(t.actors).where(
        t.actors.c.id.not_in(select(t.actor_merges.c.actor_id)))).scalar_one()
    out["duplicates"] = conn.execute(select(func.count()).select_from(t.document_duplicates)).scalar_one()
    out["projects"] = conn.execute(select(func.count()).select_from(t.projects)
                                   .where(*projects_in_focus(conn))).scalar_one()
    return out


def projects_in_focus(conn: Connection) -> list:
    """WHERE terms on projects: those with a source event in focus ([] without a focus)."""
    ps = t.project_sources.c
    focused = events_in_focus(conn, ps.event_id)
    return [t.projects.c.id.in_(select(ps.project_id).where(*focused).correlate(None))] if focused else []


def events_per_month(conn: Connection, f: Filters | None = None) -> list[dict]:
    """[{month, sector, events}] for the stacked chart; an event in two sectors counts in both."""
    f = f or Filters()
    # IN, never probes: every matching event counts (and a probe of event_sectors would be ambiguous here)
    statement = (select(t.events.c.month, t.event_sectors.c.sector, func.count().label("events"))
                 .join(t.event_sectors, t.event_sectors.c.event_id == t.events.c.id)
                 .where(t.events.c.month.is_not(None), *_event_conditions(conn, f, probe=False))
                 .group_by(t.events.c.month, t.event_sectors.c.sector)
                 .order_by(t.events.c.month, t.event_sectors.c.sector))
    return cached(conn, ("events_per_month", _filter_key(f)),
                  lambda: [dict(r._mapping) for r in conn.execute(statement)])


def co_occurrence(conn: Connection, f: Filters, min_weight: int = 1) -> dict:
    """Actors taking part in the same events: nodes with event counts, edges weighted by shared events (cached)."""
    return cached(conn, ("co_occurrence", _filter_key(f), min_weight), lambda: _co_occurrence(conn, f, min_weight))


def _co_occurrence(conn: Connection, f: Filters, min_weight: int) -> dict:
    # IN, never probes: every matching event is read
    matching = select(t.events.c.id).where(and_(True, *_event_conditions(conn, f, probe=False)))
    a, b = t.event_actors.alias("a"), t.event_actors.alias("b")
    edges = conn.execute(select(a.c.actor_id, b.c.actor_id, func.count().label("weight"))
                         .join(b, and_(a.c.event_id == b.c.event_id, a.c.actor_id < b.c.actor_id))
                         .where(a.c.event_id.in_(matching))
                         .group_by(a.c.actor_id, b.c.actor_id)
                         .having(func.count() >= min_weight)
                         .order_by(func.count().desc(), a.c.actor_id, b.c.actor_id)).all()
    counts = dict(conn.execute(select(t.event_actors.c.actor_id, func.count()).where(
        t.event_actors.c.event_id.in_(matching)).group_by(t.event_actors.c.actor_id)).all())
    nodes = conn.execute(select(t.actors).where(t.actors.c.id.in_(list(counts)))).mappings().all()
    return {"nodes": [dict(n) | {"events": counts[n["id"]]} for n in sorted(nodes, key=lambda n: n["id"])],
            "edges": [{"source": s, "target": d, "weight": w} for s, d, w in edges]}


def graphml(network: dict) -> str:
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '<key id="name" for="node" attr.name="name" attr.type="string"/>',
             '<key id="type" for="node" attr.name="type" attr.type="string"/>',
             '<key id="country" for="node" attr.name="country" attr.type="string"/>',
             '<key id="events" for="node" attr.name="events" attr.type="int"/>',
             '<key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
             '<graph id="cooccurrence" edgedefault="undirected">']
    esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    for node in network["nodes"]:
        lines.append(f'<node id={quoteattr(node["id"])}>')
        for key in ("name", "type", "country", "events"):
            if node.get(key) is not None:
                value = "".join(esc.get(c, c) for c in str(node[key]))
                lines.append(f'<data key="{key}">{value}</data>')
        lines.append("</node>")
    for n, edge in enumerate(network["edges"]):
        lines.append(f'<edge id="e{n}" source={quoteattr(edge["source"])} target={quoteattr(edge["target"])}>'
                     f'<data key="weight">{edge["weight"]}</data></edge>')
    lines += ["</graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
