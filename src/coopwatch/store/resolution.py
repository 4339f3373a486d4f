"""The cross-article resolution in the record: actor merges, merged events and projects, rebuilt from the stored
articles by the pure functions of coopwatch.resolve after every ingest (and by `coopwatch resolve --db`).

The rebuild reads every stored article back as an extraction record, takes the duplicate links ingest made
(store/duplicates.py), and replaces the resolution tables in one transaction. Their ids come from content
(resolve's stable ids), so rebuilding an unchanged record writes the same rows.
"""
from __future__ import annotations

import json
from sqlalchemy import Connection, Engine, delete, select

from ..resolve.actors import resolve_actors
from ..resolve.common import stable_id
from ..resolve.core import Resolution
from ..resolve.duplicates import DuplicateLink, DuplicateResult
from ..resolve.events import merge_events
from ..resolve.projects import build_projects
from . import schema as t
from .cache import bump_generation
from .duplicates import backfill
from .ingest import first_day, mark_copies


def _position(row_id: str) -> int:
    """`doc#ev12` -> 12: the fact's place in its extraction."""
    return int(row_id.rsplit("#", 1)[1][2:])


def load_records(conn: Connection) -> list[dict]:
    """Every stored article as the extraction record it was stored from (the fields resolve reads)."""
    docs = {r.id: {"id": r.id, "title": r.title, "url": r.url, "outlet": r.outlet, "published": r.published,
                   "language": r.language, "text": r.text, "entities": [], "quantities": [], "events": []}
            for r in conn.execute(select(t.documents).order_by(t.documents.c.id))}
    spans: dict[str, list] = {}
    for entity_id, start, end in conn.execute(select(t.mentions).order_by(t.mentions.c.entity_id, t.mentions.c.start)):
        spans.setdefault(entity_id, []).append([start, end])
    entities = conn.execute(select(t.entities)).mappings().all()
    for e in sorted(entities, key=lambda e: (e["document_id"], _position(e["id"]))):
        docs[e["document_id"]]["entities"].append({
            "name": e["name"], "type": e["type"], "country": e["country"], "role": e["role"],
            "canonical": e["canonical"], "organization": e["organization"], "mentions": spans.get(e["id"], [])})
    quantities = {}
    for f in sorted(conn.execute(select(t.figures)).mappings().all(), key=lambda f: (f["document_id"], _position(f["id"]))):
        quantities[f["id"]] = q = {"value": f["value"], "value_max": f["value_max"], "unit": f["unit"],
                                   "measure": f["measure"], "qualifier": f["qualifier"], "text": f["text"],
                                   "span": [f["start"], f["end"]]}
        docs[f["document_id"]]["quantities"].append(q)
    links: dict[str, dict[str, list]] = {}
    for table, column, key in ((t.event_sectors, t.event_sectors.c.sector, "sectors"),
                               (t.event_countries, t.event_countries.c.country, "countries"),
                               (t.event_actors, t.event_actors.c.name, "actors"),
                               (t.event_figures, t.event_figures.c.figure_id, "quantities")):
        for event_id, value in conn.execute(select(table.c.event_id, column).order_by(table.c.event_id, column)):
            links.setdefault(event_id, {}).setdefault(key, []).append(
                quantities[value] if key == "quantities" else value)
    events = conn.execute(select(t.events)).mappings().all()
    for e in sorted(events, key=lambda e: (e["document_id"], _position(e["id"]))):
        more = links.get(e["id"], {})
        docs[e["document_id"]]["events"].append({
            "_id": e["id"], "type": e["type"], "plover": e["plover"], "sectors": more.get("sectors", []),
            "date": {"value": e["date_value"], "precision": e["date_precision"], "text": e["date_text"]}
            if e["date_value"] else None,
            "status": e["status"], "location": e["location"], "actors": more.get("actors", []),
            "countries": more.get("countries", []), "sentence": e["sentence"], "span": [e["start"], e["end"]],
            "trigger": e["trigger"], "confidence": e["confidence"], "quantities": more.get("quantities", [])})
    return list(docs.values())


def load_duplicates(conn: Connection, records: list[dict]) -> DuplicateResult:
    """The links ingest made, as resolve's DuplicateResult."""
    by_id = {r["id"]: r for r in records}
    links = []
    for row in conn.execute(select(t.document_duplicates).order_by(t.document_duplicates.c.document_id)).mappings():
        c, o = by_id[row["document_id"]], by_id[row["original_id"]]
        links.append(DuplicateLink(
            id=stable_id("dup", row["document_id"], row["original_id"]), doc=row["document_id"], original=row["original_id"], kind=row["kind"],
            jaccard=row["jaccard"], containment=row["containment"], threshold=row["threshold"],
            doc_title=c.get("title"), original_title=o.get("title"), doc_outlet=c.get("outlet"),
            original_outlet=o.get("outlet"), doc_published=c.get("published"), original_published=o.get("published")))
    return DuplicateResult(links=links, pairs=[])


def resolve_stored(conn: Connection) -> Resolution:
    """resolve's four steps over the stored articles, with ingest's duplicate links."""
    records = [r for r in load_records(conn) if r["text"]]
    duplicates = load_duplicates(conn, records)
    actors = resolve_actors(records)
    events = merge_events(records, actors, duplicates)
    projects = build_projects(events, records, actors)
    return Resolution(records, duplicates, actors, events, projects)


def rebuild(engine: Engine, threshold: float | None = None) -> Resolution:
    """Sign any article stored before duplicates were tracked, resolve, and replace the resolution tables."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two ingests finishing at once rebuild one after the other
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(734513)")
        if backfill(conn, threshold):
            mark_copies(conn)  # the backfill's links, folded into events.copied
        res = resolve_stored(conn)
        write(conn, res)
        bump_generation(conn)  # totals and actor lists depend on the merges
    return res


def write(conn: Connection, res: Resolution) -> None:
    for table in reversed(t.RESOLUTION_TABLES):
        conn.execute(delete(table))
    # a source is known by its article, span, type, trigger and date (one sentence can hold two events)
    event_of = {(r["id"], tuple(e["span"]), e["type"], e["trigger"], (e["date"] or {}).get("value")): e["_id"]
                for r in res.records for e in r["events"]}
    entity_actor = {(d, n): a for d, n, a in conn.execute(
        select(t.entities.c.document_id, t.entities.c.name, t.entities.c.actor_id))}
    stored_actors = {r.id: dict(r._mapping) for r in conn.execute(
        select(t.actors.c.id, t.actors.c.name, t.actors.c.event_count, t.actors.c.document_count))}

    # actors: every stored actor of a resolved actor points at the one named like it (else the most active)
    canonical_of_name: dict[str, str] = {}
    merges = []
    for actor in res.actors.actors.values():
        ids = sorted({entity_actor[(m["doc"], m["name"])] for m in actor.mentions
                      if (m["doc"], m["name"]) in entity_actor})
        if not ids:
            continue
        named = [i for i in ids if stored_actors[i]["name"] == actor.name]
        canonical = named[0] if named else max(ids, key=lambda i: (stored_actors[i]["event_count"],
                                                                  stored_actors[i]["document_count"], i))
        for name in actor.names + [actor.name]:
            canonical_of_name.setdefault(name, canonical)
        for alias in ids:
            if alias == canonical:
                continue
            names = {stored_actors[alias]["name"], *(n for (d, n), a in entity_actor.items() if a == alias)}
            rule = next((m["rule"] for m in actor.merges if set(m["names"]) & names),
                        actor.merges[0]["rule"] if actor.merges else "gazetteer")
            merges.append({"actor_id": alias, "canonical_id": canonical, "rule": rule,
                           "evidence": json.dumps(actor.merges, ensure_ascii=False)})
    _insert(conn, t.actor_merges, merges)

    # merged events: every event of an original article is in exactly one group
    groups, members = [], []
    first_event: dict[str, str] = {}
    group_events: dict[str, list[str]] = {}
    group_sources: dict[str, list[dict]] = {}
    for e in res.events:
        ids = [event_of[(s["doc"], tuple(s["span"]), e.type, s["trigger"], s["date"])] for s in e.sources]
        first_event[e.id] = ids[0]
        group_events[e.id], group_sources[e.id] = ids, e.sources
        groups.append({"id": e.id, "type": e.type, "date_value": e.date.get("value"),
                       "date_precision": e.date.get("precision"),
                       "day": first_day(e.date.get("value")) or e.sources[0].get("published"), "status": e.status,
                       "sources": len(e.sources), "merge": json.dumps(e.merge, ensure_ascii=False)})
        members += [{"event_id": i, "group_id": e.id, "document_id": s["doc"], "position": n}
                    for n, (i, s) in enumerate(zip(ids, e.sources))]
    _insert(conn, t.merged_events, groups)
    _insert(conn, t.merged_event_members, members)

    # projects
    rows = {name: [] for name in ("projects", "sectors", "participants", "timeline", "figures", "sources")}
    for p in res.projects:
        days = sorted(d for d in (first_day(x["date"]) for x in p.timeline) if d)
        rows["projects"].append({
            "id": p.id, "name": p.name, "key": p.key, "names": json.dumps(p.names, ensure_ascii=False),
            "status": p.status, "first_day": days[0] if days else None, "last_day": days[-1] if days else None,
            "events": len(p.events), "documents": len({s["doc"] for s in p.sources}),
            "merges": json.dumps(p.merges, ensure_ascii=False)})
        rows["sectors"] += [{"project_id": p.id, "sector": s} for s in dict.fromkeys(p.sectors)]
        rows["participants"] += [{"project_id": p.id, "side": side, "name": name,
                                  "actor_id": canonical_of_name.get(name)}
                                 for side, names in p.participants.items() for name in dict.fromkeys(names)]
        rows["timeline"] += [{"project_id": p.id, "position": n, "date": x["date"], "day": first_day(x["date"]),
                              "stage": x["stage"], "why": x["why"], "type": x["type"],
                              "event_id": first_event[x["event"]], "group_id": x["event"], "document_id": x["doc"],
                              "sentence": x["sentence"], "sources": x["sources"]} for n, x in enumerate(p.timeline)]
        rows["figures"] += [{"project_id": p.id, "position": n, "value": f["value"], "unit": f["unit"],
                             "measure": f["measure"], "text": f["text"], "date": f["date"], "document_id": f["doc"]}
                            for n, f in enumerate(p.figures)]
        seen = set()
        for s in p.sources:
            event_id = next(i for i, g in zip(group_events[s["event"]], group_sources[s["event"]])
                            if g["doc"] == s["doc"] and g["span"] == s["span"])
            if event_id not in seen:
                seen.add(event_id)
                rows["sources"].append({"project_id": p.id, "event_id": event_id, "document_id": s["doc"],
                                        "group_id": s["event"]})
    for table, key in ((t.projects, "projects"), (t.project_sectors, "sectors"),
                       (t.project_participants, "participants"), (t.project_timeline, "timeline"),
                       (t.project_figures, "figures"), (t.project_sources, "sources")):
        _insert(conn, table, rows[key])


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), 500):
        conn.execute(table.insert(), rows[i:i + 500])
