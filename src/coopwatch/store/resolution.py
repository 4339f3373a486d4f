"""The cross-article resolution in the record: actor merges, merged events and projects.

`rebuild` (`coopwatch resolve --db`) reads every stored article back as an extraction record, takes the duplicate
links ingest made (store/duplicates.py), runs the pure functions of coopwatch.resolve and replaces the resolution
tables and the resolution's index in one transaction. Their ids come from content (resolve's stable ids), so
rebuilding an unchanged record writes the same rows.

`update` (every `coopwatch ingest`) resolves only the articles stored since, through that index: their events
settle against the events sharing blocking keys with them, the merged events and projects they touch are rebuilt
from what the index keeps. The tables come out as a rebuild of the same articles would write them, whatever the
order and batches the articles came in (tests/test_resolution_store.py).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Connection, Engine, delete, func, select

from ..document import FACTS, FIELDS, Extraction, document_fields, fact_id, position_of
from ..resolve.actors import actor_input, resolve_actors
from ..resolve.common import settings, stable_id
from ..resolve.core import Resolution
from ..resolve.duplicates import DuplicateLink, DuplicateResult
from ..resolve.events import (HIT_SLOT, build_group, choose, copies_by_original, country_word, event_item,
                              filing_keys, item_data, item_source, meets, merge_events, mergeable, probe_keys,
                              stored_item, told_once)
from ..resolve.projects import (assemble, assign, build_projects, doc_mentions, entry, figure_refs, mention_json,
                                mention_keys, mentions_from_json)
from . import schema as t
from .cache import bump_generation
from .db import is_postgres
from .duplicates import backfill
from .ingest import first_day, mark_copies


def load_records(conn: Connection, ids: list[str] | None = None, text: bool = True) -> list[dict]:
    """Every stored article (or those of `ids`), in the order of their ids, as the extraction record it was
    stored from (`coopwatch extract`'s JSON, read back through `Extraction.from_json`); without its text when
    `text` is false. Each fact's id is `document.fact_id` of its article and place."""
    if ids is not None:
        out = []
        for i in range(0, len(ids), 500):
            out += _load_records(conn, sorted(ids)[i:i + 500], text)
        return out
    return _load_records(conn, None, text)


def _load_records(conn: Connection, ids: list[str] | None, text: bool) -> list[dict]:
    d = t.documents.c
    fields = document_fields()
    columns = [d[f.name] for f in fields if text or f.name != "text"]
    query = select(*columns).order_by(d.id)
    docs = {}
    for row in conn.execute(query if ids is None else query.where(d.id.in_(ids))).mappings():
        docs[row["id"]] = t.from_columns(fields, {**row, "text": row["text"] if text else ""}, lists="json")
        docs[row["id"]].update({name: [] for name in FACTS})

    def only(query, table):
        """The query, for the articles asked for (facts of other tables joined to their article's fact)."""
        if ids is None:
            return query
        if "document_id" in table.c:
            return query.where(table.c.document_id.in_(ids))
        parent = t.entities if table is t.mentions else t.events
        link = table.c.entity_id if table is t.mentions else table.c.event_id
        return query.join(parent, parent.c.id == link).where(parent.c.document_id.in_(ids))

    spans: dict[str, list] = {}
    for entity_id, start, end in conn.execute(only(select(t.mentions.c.entity_id, t.mentions.c.start, t.mentions.c.end)
                                                   .order_by(t.mentions.c.entity_id, t.mentions.c.start), t.mentions)):
        spans.setdefault(entity_id, []).append([start, end])
    facts: dict[str, dict[str, dict]] = {}  # fact id -> the fact's fields, by list
    for field in FIELDS["extraction"]:
        if field.name not in FACTS:
            continue
        table = t.metadata.tables[FACTS[field.name][0]]
        found = facts[field.name] = {}
        for row in conn.execute(only(select(table), table)).mappings():
            found[row["id"]] = dict(t.from_columns(field.fields(), row), _document=row["document_id"])
    for entity_id, entity in facts["entities"].items():
        entity["mentions"] = spans.get(entity_id, [])
    for event in facts["events"].values():
        event.update(sectors=[], countries=[], actors=[], quantities=[])
    for table, column, key in ((t.event_sectors, t.event_sectors.c.sector, "sectors"),
                               (t.event_countries, t.event_countries.c.country, "countries"),
                               (t.event_actors, t.event_actors.c.name, "actors")):
        query = select(table.c.event_id, column).order_by(table.c.event_id, table.c.position, column)
        for event_id, value in conn.execute(only(query, table)):
            facts["events"][event_id][key].append(value)
    for event_id, figure_id in conn.execute(only(select(t.event_figures.c.event_id, t.event_figures.c.figure_id),
                                                 t.event_figures)):
        facts["events"][event_id]["quantities"].append(figure_id)
    for event in facts["events"].values():  # an event's figures are the article's, in the article's order
        event["quantities"] = [facts["quantities"][f] for f in sorted(event["quantities"], key=position_of)]
    for name, found in facts.items():
        for fact in sorted(found, key=lambda f: (found[f]["_document"], position_of(f))):
            docs[found[fact].pop("_document")][name].append(found[fact])
    return [Extraction.from_json(record).to_json() for record in docs.values()]


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


def resolve_stored(conn: Connection, state: dict | None = None) -> Resolution:
    """resolve's four steps over the stored articles, with ingest's duplicate links. `state`, when given, receives
    what the resolution's index keeps (settled events, mentions, project entries)."""
    records = [r for r in load_records(conn) if r["text"]]
    duplicates = load_duplicates(conn, records)
    actors = resolve_actors(records)
    events_state: dict = {}
    events = merge_events(records, actors, duplicates, state=events_state)
    projects_state: dict = {}
    projects = build_projects(events, records, actors, state=projects_state)
    if state is not None:
        state.update(events_state, **projects_state)
    return Resolution(records, duplicates, actors, events, projects)


def rebuild(engine: Engine, threshold: float | None = None) -> Resolution:
    """Sign any article stored before duplicates were tracked, resolve, and replace the resolution tables and
    the resolution's index."""
    with engine.begin() as conn:
        if is_postgres(conn):  # two ingests finishing at once rebuild one after the other
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(734513)")
        if backfill(conn, threshold):
            mark_copies(conn)  # the backfill's links, folded into events.copied
        state: dict = {}
        res = resolve_stored(conn, state)
        write(conn, res)
        write_index(conn, res, state)
        bump_generation(conn)  # totals and actor lists depend on the merges
    return res


def write(conn: Connection, res: Resolution) -> None:
    for table in reversed(t.RESOLUTION_TABLES):
        conn.execute(delete(table))
    canonical_of_name = _write_actor_merges(conn, res.actors)
    group_events = _write_groups(conn, res.events)
    _write_projects(conn, res.projects, canonical_of_name, group_events)


def _write_actor_merges(conn: Connection, actors) -> dict[str, str]:
    """Every stored actor of a resolved actor points at the one named like it (else the most active); returns
    the stored actor of each name."""
    conn.execute(delete(t.actor_merges))
    entity_actor = {(d, n): a for d, n, a in conn.execute(
        select(t.entities.c.document_id, t.entities.c.name, t.entities.c.actor_id))}
    stored_actors = {r.id: dict(r._mapping) for r in conn.execute(
        select(t.actors.c.id, t.actors.c.name, t.actors.c.event_count, t.actors.c.document_count))}
    names_of: dict[str, set] = {}
    for (d, n), a in entity_actor.items():
        names_of.setdefault(a, set()).add(n)
    canonical_of_name: dict[str, str] = {}
    merges = []
    for actor in actors.actors.values():
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
            names = {stored_actors[alias]["name"], *names_of.get(alias, ())}
            rule = next((m["rule"] for m in actor.merges if set(m["names"]) & names),
                        actor.merges[0]["rule"] if actor.merges else "gazetteer")
            merges.append({"actor_id": alias, "canonical_id": canonical, "rule": rule,
                           "evidence": json.dumps(actor.merges, ensure_ascii=False)})
    _insert(conn, t.actor_merges, merges)
    return canonical_of_name


def _write_groups(conn: Connection, events) -> dict[str, list[str]]:
    """Merged events and their members: every event of an original article is in exactly one group. Returns each
    group's event ids, its sources' order (each source names its stored event: `event_id`)."""
    groups, members = [], []
    group_events: dict[str, list[str]] = {}
    for e in events:
        ids = group_events[e.id] = [s["event_id"] for s in e.sources]
        groups.append({"id": e.id, "type": e.type, "date_value": e.date.get("value"),
                       "date_precision": e.date.get("precision"),
                       "day": first_day(e.date.get("value")) or e.sources[0].get("published"), "status": e.status,
                       "sources": len(e.sources), "merge": json.dumps(e.merge, ensure_ascii=False)})
        members += [{"event_id": i, "group_id": e.id, "document_id": s["doc"], "position": n}
                    for n, (i, s) in enumerate(zip(ids, e.sources))]
    _insert(conn, t.merged_events, groups)
    _insert(conn, t.merged_event_members, members)
    return group_events


def _write_projects(conn: Connection, projects, canonical_of_name: dict, group_events: dict) -> None:
    rows = {name: [] for name in ("projects", "sectors", "participants", "timeline", "figures", "sources")}
    for p in projects:
        days = sorted(d for d in (first_day(x["date"]) for x in p.timeline) if d)
        rows["projects"].append({
            "id": p.id, "name": p.name, "key": p.key, "names": json.dumps(p.names, ensure_ascii=False),
            "status": p.status, "first_day": days[0] if days else None, "last_day": days[-1] if days else None,
            "events": len(p.events), "documents": len({s["doc"] for s in p.sources}),
            "merges": json.dumps(p.merges, ensure_ascii=False),
            "components": json.dumps(p.components, ensure_ascii=False)})
        rows["sectors"] += [{"project_id": p.id, "sector": s} for s in dict.fromkeys(p.sectors)]
        rows["participants"] += [{"project_id": p.id, "side": side, "name": name,
                                  "actor_id": canonical_of_name.get(name)}
                                 for side, names in p.participants.items() for name in dict.fromkeys(names)]
        rows["timeline"] += [{"project_id": p.id, "position": n, "date": x["date"], "day": first_day(x["date"]),
                              "stage": x["stage"], "why": x["why"], "type": x["type"],
                              "event_id": group_events[x["event"]][0], "group_id": x["event"], "document_id": x["doc"],
                              "sentence": x["sentence"], "sources": x["sources"]} for n, x in enumerate(p.timeline)]
        rows["figures"] += [{"project_id": p.id, "position": n, "value": f["value"], "unit": f["unit"],
                             "measure": f["measure"], "text": f["text"], "date": f["date"], "document_id": f["doc"]}
                            for n, f in enumerate(p.figures)]
        seen = set()
        for s in p.sources:
            event_id = s["event_id"]
            if event_id not in seen:
                seen.add(event_id)
                rows["sources"].append({"project_id": p.id, "event_id": event_id, "document_id": s["doc"],
                                        "group_id": s["event"]})
    for table, key in ((t.projects, "projects"), (t.project_sectors, "sectors"),
                       (t.project_participants, "participants"), (t.project_timeline, "timeline"),
                       (t.project_figures, "figures"), (t.project_sources, "sources")):
        _insert(conn, table, rows[key])


def _insert(conn: Connection, table, rows: Iterable[dict]) -> None:
    """Insert `rows` 500 at a time (a generator is never held whole: the index of a large record is big)."""
    rows = iter(rows)
    while chunk := list(islice(rows, 500)):
        conn.execute(table.insert(), chunk)


# ---- the resolution's index, and ingest's incremental resolution


def _actor_fingerprint(actor) -> str:
    return json.dumps([actor.name, actor.names, actor.country, actor.type], ensure_ascii=False)


def _actor_names(actors) -> list[dict]:
    return [{"class": cls, "name": name, "actor_id": actor_id, "actor": _actor_fingerprint(actors.actors[actor_id])}
            for (cls, name), actor_id in actors.by_name.items()]


def write_index(conn: Connection, res: Resolution, state: dict) -> None:
    """Replace the resolution's index with what a full resolution found."""
    for table in t.INDEX_TABLES:
        conn.execute(delete(table))
    hashes = dict(conn.execute(select(t.documents.c.id, t.documents.c.content_hash)).all())
    inputs = {r["id"]: actor_input(r) for r in res.records}
    _insert(conn, t.resolution_documents, (
        {"document_id": doc, "content_hash": hashes[doc], "mentions": json.dumps(found, ensure_ascii=False),
         "figures": json.dumps(state["figures"].get(doc, []), ensure_ascii=False),
         "actors": json.dumps(inputs[doc], ensure_ascii=False)}
        for doc, found in state["mentions"].items()))
    _insert(conn, t.project_keys, ({"key": key, "document_id": doc} for doc, found in state["mentions"].items()
                                   for key in sorted(mention_keys(mentions_from_json(found)))))
    _insert(conn, t.event_items, (
        {"event_id": it.key, "document_id": it.doc["id"], "rank": rank_key(it.rank),
         "date_value": (it.event.get("date") or {}).get("value"), "leader": state["group_of"][it.key],
         "data": json.dumps(item_data(it), ensure_ascii=False),
         "source": json.dumps(item_source(it), ensure_ascii=False)} for it in state["items"]))
    _insert(conn, t.event_keys, ({"key": key, "event_id": it.key}
                                 for it in state["items"] for key in dict.fromkeys(filing_keys(it))))
    rows = []
    for leader, group in state["groups"].items():
        ev = group["event"]
        key, got = state["entries"].get(ev.id, (None, None))
        rows.append({"leader": leader, "group_id": ev.id, "key": key,
                     "entry": json.dumps(got, ensure_ascii=False) if got else None})
    _insert(conn, t.group_entries, rows)
    _insert(conn, t.actor_names, _actor_names(res.actors))


class Incremental:
    """What an incremental resolution did (printed by `coopwatch ingest`)."""

    def __init__(self, conn: Connection, articles: int, groups: int, projects: int):
        self.articles, self.groups, self.projects = articles, groups, projects
        self.totals = {
            "duplicate_links": conn.execute(select(func.count()).select_from(t.document_duplicates)).scalar_one(),
            "exact_duplicates": conn.execute(select(func.count()).select_from(t.document_duplicates).where(
                t.document_duplicates.c.kind == "exact")).scalar_one(),
            "near_duplicates": conn.execute(select(func.count()).select_from(t.document_duplicates).where(
                t.document_duplicates.c.kind == "near")).scalar_one(),
            "actor_merges": conn.execute(select(func.count()).select_from(t.actor_merges)).scalar_one(),
            "merged_events": conn.execute(select(func.count()).select_from(t.merged_events).where(
                t.merged_events.c.sources > 1)).scalar_one(),
            "projects": conn.execute(select(func.count()).select_from(t.projects)).scalar_one()}

    def counts(self) -> dict:
        return dict(self.totals)


class _Rebuild(Exception):
    """The new articles change what the record settled before them: a full rebuild is the exact answer."""


def update(engine: Engine, threshold: float | None = None):
    """Resolve the articles stored since the last resolution against the record, through its index: their events
    settle against the events sharing a blocking key, the merged events they join and the projects those belong to
    are rebuilt, nothing else (an article older than settled events it can merge with settles them again after it,
    see _settle; so do the events of stored articles that become or stop being copies, and those whose actors now
    resolve otherwise). Falls back to a full rebuild (returning its Resolution) when the index is missing or a
    stored article was replaced."""
    try:
        with engine.begin() as conn:
            if is_postgres(conn):
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(734513)")
            return _update(conn, threshold)
    except _Rebuild as why:
        res = rebuild(engine, threshold)
        res.rebuilt_because = str(why)
        return res


def _update(conn: Connection, threshold: float | None):
    if backfill(conn, threshold):
        raise _Rebuild("articles stored before duplicates were tracked")
    d, rd = t.documents.c, t.resolution_documents.c
    resolved = dict(conn.execute(select(rd.document_id, rd.content_hash)).all())
    hashes = dict(conn.execute(select(d.id, d.content_hash)).all())
    if not resolved and hashes:
        raise _Rebuild("no index yet")
    if any(hashes.get(doc) != h for doc, h in resolved.items()):
        raise _Rebuild("a resolved article was replaced or removed")
    new = sorted(doc for doc in hashes if doc not in resolved)
    if not new:
        return Incremental(conn, 0, 0, 0)
    copies = set(conn.execute(select(t.document_duplicates.c.document_id)).scalars())
    ei = t.event_items.c
    # resolved articles that became copies (their events leave the merge) or stopped being copies (theirs join it)
    became_copies = sorted(set(conn.execute(select(ei.document_id).where(
        ei.document_id.in_(select(t.document_duplicates.c.document_id)))).scalars()))
    # (an original has its events settled, a copy none: an event an article lists twice is settled once)
    copies_no_more = sorted(set(conn.execute(select(t.events.c.document_id).where(
        t.events.c.document_id.in_(select(rd.document_id)), t.events.c.document_id.not_in(copies),
        t.events.c.document_id.not_in(select(ei.document_id)))).scalars()))

    # actors: resolved again over what the index keeps of every article (no text read back; the one step whose
    # cost grows with the record, a small one) and the new articles; a change for stored names rebuilds
    records = [r for r in load_records(conn, new) if r["text"]]
    inputs = {r["id"]: actor_input(r) for r in records}
    for doc, kept in conn.execute(select(rd.document_id, rd.actors)).all():
        inputs[doc] = json.loads(kept)
    actors = resolve_actors([inputs[doc] for doc in sorted(inputs)])
    # stored names now resolved to another actor: their events settle again with their new actors; actors whose
    # name, spellings or side changed: the projects listing them are assembled again
    an = t.actor_names.c
    stored = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(select(an["class"], an.name, an.actor_id, an.actor))}
    moved = {actor_id for key, (actor_id, _) in stored.items() if actors.by_name.get(key) != actor_id}
    renamed = {actor_id for key, (actor_id, kept) in stored.items()
               if actors.by_name.get(key) == actor_id and _actor_fingerprint(actors.actors[actor_id]) != kept}
    resettle: set[str] = set()
    for actor_id in sorted(moved):
        resettle |= set(conn.execute(select(ei.event_id).where(ei.data.like(f'%"{actor_id}"%'))).scalars())

    # events: each new one, in order of seniority, against the events sharing a key with it; an event older than
    # settled ones they could merge with settles them again after it, in order (see _settle)
    conf = settings()["events"]
    is_country = country_word()
    resettle_docs = sorted(set(conn.execute(select(ei.document_id).where(ei.event_id.in_(sorted(resettle))))
                               .scalars())) if resettle else []
    settling = records + [r for r in load_records(conn, sorted(set(copies_no_more) | set(resettle_docs)))
                          if r["text"]]
    items = [event_item(fact_id(r["id"], "events", n), r, n, e, actors, is_country)
             for r in settling if r["id"] not in copies for n, e in told_once(r)
             if r["id"] in new or r["id"] in copies_no_more or fact_id(r["id"], "events", n) in resettle]
    removed = _stored_items(conn, sorted(set(conn.execute(select(ei.event_id).where(
        ei.document_id.in_(became_copies))).scalars()) | resettle)) if became_copies or resettle else {}
    changed = _settle(conn, items, conf, list(removed.values()))

    # the merged events that changed, rebuilt from their members
    copies_of = copies_by_original(_stored_duplicates(conn))
    ge = t.group_entries.c
    rebuilt = {}
    keys: set[str] = set()
    for leader in sorted(changed):
        old = conn.execute(select(ge.group_id, ge.key).where(ge.leader == leader)).first()
        if old:
            conn.execute(delete(t.merged_event_members).where(t.merged_event_members.c.group_id == old[0]))
            conn.execute(delete(t.merged_events).where(t.merged_events.c.id == old[0]))
            if old[1]:
                keys.add(old[1])
        if conn.execute(select(ei.event_id).where(ei.leader == leader).limit(1)).first() is None:
            conn.execute(delete(t.group_entries).where(ge.leader == leader))  # it leads no group any more
            continue
        rebuilt[leader] = _group_event(conn, leader, actors, copies_of)
    _write_groups(conn, list(rebuilt.values()))

    # projects: the new articles' mentions kept; the changed merged events assigned again; the projects they
    # leave or join, and those the new articles name, assembled again from the entries kept
    by_doc = {r["id"]: r for r in records}
    for doc in new:
        r = by_doc.get(doc)
        found = doc_mentions(r, actors) if r else []
        figures = figure_refs(r, found) if r else []
        conn.execute(t.resolution_documents.insert().values(
            document_id=doc, content_hash=hashes[doc], mentions=json.dumps(mention_json(found), ensure_ascii=False),
            figures=json.dumps(figures, ensure_ascii=False),
            actors=json.dumps(inputs[doc] if doc in inputs else {"id": doc, "entities": [], "datelines": [],
                                                                  "definitions": []}, ensure_ascii=False)))
        mk = mention_keys(found)
        _insert(conn, t.project_keys, [{"key": k, "document_id": doc} for k in sorted(mk)])
        keys |= mk  # a plant's units are under the plant's key: no other article's events need assigning again
    events_of = dict(rebuilt)
    for actor_id in sorted(renamed | moved):
        keys |= set(conn.execute(select(ge.key).where(ge.key.is_not(None), ge.entry.like(f'%"{actor_id}"%')))
                    .scalars())
    docs = {src["doc"] for ev in events_of.values() for src in ev.sources}
    mentions, figures = _mentions(conn, docs)
    published = dict(conn.execute(select(d.id, d.published).where(d.id.in_(sorted(docs)))).all())
    for leader, ev in events_of.items():
        old_key = conn.execute(select(ge.key).where(ge.leader == leader)).scalar()
        if old_key:
            keys.add(old_key)
        found = assign(ev, mentions)
        got = entry(ev, found[1], published, actors) if found else None
        conn.execute(delete(t.group_entries).where(ge.leader == leader))
        conn.execute(t.group_entries.insert().values(leader=leader, group_id=ev.id, key=found[0] if found else None,
                                                     entry=json.dumps(got, ensure_ascii=False) if got else None))
        if found:
            keys.add(found[0])
    projects = []
    for key in sorted(keys):
        entries = [json.loads(e) for e in conn.execute(select(ge.entry).where(ge.key == key)).scalars()]
        if not entries:
            continue
        named = set(conn.execute(select(t.project_keys.c.document_id).where(t.project_keys.c.key == key)).scalars())
        m, f = _mentions(conn, named | {src["doc"] for e in entries for src in e["sources"]})
        projects.append(assemble(key, entries, m, f, actors))
    canonical_of_name = _write_actor_merges(conn, actors)
    _replace_projects(conn, sorted(keys), projects, canonical_of_name)
    conn.execute(delete(t.actor_names))
    _insert(conn, t.actor_names, _actor_names(actors))
    bump_generation(conn)
    return Incremental(conn, len(new), len(rebuilt), len(projects))


def _stored_duplicates(conn: Connection) -> DuplicateResult:
    dup = t.document_duplicates.c
    return DuplicateResult(links=[
        DuplicateLink(id=stable_id("dup", r[0], r[1]), doc=r[0], original=r[1], kind=r[2], jaccard=r[3],
                      containment=r[4], threshold=r[5])
        for r in conn.execute(select(dup.document_id, dup.original_id, dup.kind, dup.jaccard, dup.containment,
                                     dup.threshold).order_by(dup.document_id))])


def _neighbours(conn: Connection, x, conf: dict) -> list:
    """The stored events that share blocking keys enough to merge with `x` (resolve.events.meets): an indexed
    look-up per key, not a comparison per event."""
    ek, ei = t.event_keys.c, t.event_items.c
    hits: dict[str, list[int]] = {}
    keys = list(dict.fromkeys(probe_keys(x)))
    for i in range(0, len(keys), 400):
        for key, event_id in conn.execute(select(ek.key, ek.event_id).where(ek.key.in_(keys[i:i + 400]))):
            hits.setdefault(event_id, [0, 0, 0])[HIT_SLOT[key[0]]] += 1
    ids = sorted(event_id for event_id, counted in hits.items() if meets(counted, conf))
    out = []
    for i in range(0, len(ids), 500):
        for event_id, doc, rank, leader, data in conn.execute(
                select(ei.event_id, ei.document_id, ei.rank, ei.leader, ei.data)
                .where(ei.event_id.in_(ids[i:i + 500]))):
            y = stored_item(event_id, doc, rank_of(rank), json.loads(data))
            y.leader = leader
            out.append(y)
    return out


def _group_event(conn: Connection, leader: str, actors, copies_of: dict):
    """A merged event rebuilt from its members as kept in the index."""
    ei = t.event_items.c
    members = conn.execute(select(ei.event_id, ei.document_id, ei.rank, ei.data, ei.source)
                           .where(ei.leader == leader)).all()
    group = []
    for event_id, doc, rank, data, source in members:
        it = stored_item(event_id, doc, rank_of(rank), json.loads(data))
        source = json.loads(source)
        it.doc, it.event = dict(source["doc"], id=doc), source["event"]
        it.merge = source.get("merge")
        group.append(it)
    group.sort(key=lambda it: it.rank)
    # the group's merges in the order its members joined it: in order of seniority
    merges = [it.merge for it in group if it.merge]
    return build_group(group, merges, actors, copies_of)


def _stored_items(conn: Connection, ids: list[str]) -> dict:
    """Settled events as merging reads them, with their group's leader and kept source."""
    ei = t.event_items.c
    out = {}
    for i in range(0, len(ids), 500):
        for event_id, doc, rank, leader, data, source in conn.execute(
                select(ei.event_id, ei.document_id, ei.rank, ei.leader, ei.data, ei.source)
                .where(ei.event_id.in_(ids[i:i + 500]))):
            it = stored_item(event_id, doc, rank_of(rank), json.loads(data))
            it.leader, it.source = leader, json.loads(source)
            out[event_id] = it
    return out


def rank_key(rank: tuple) -> str:
    """An event's seniority as text that sorts as the tuple does (the index compares it in SQL)."""
    undated, published, doc, position = rank
    return f"{int(undated)}\x01{published}\x01{doc}\x01{position:08d}"


def rank_of(key: str) -> tuple:
    undated, published, doc, position = key.split("\x01")
    return (undated == "1", published, doc, int(position))


def _settle(conn: Connection, items: list, conf: dict, removed: list = ()) -> set[str]:
    """Settle new events in order of seniority, as merge_events would have among all of them; returns the leaders
    of every group that changed. A settled event is settled again, after the new ones senior to it, when it could
    merge with one (its choice may change), when a senior member of its group changed, or when a group it could
    have joined lost a member (that group may take it now): exactly the events whose choice can differ. `removed`
    events (of articles that became copies) leave their groups first."""
    import heapq

    ei = t.event_items.c
    # ranks compare byte by byte (PostgreSQL's default collation would skip the separators)
    by_rank = ei.rank.collate("C") if is_postgres(conn) else ei.rank
    pending = {it.key: it for it in items}
    for it in items:
        it.leader = None
    heap = [(it.rank, it.key) for it in items]
    heapq.heapify(heap)
    done: set[str] = set()
    changed: set[str] = set()

    def push(found: list) -> None:
        fresh = sorted({y.key for y in found if y.key not in done and y.key not in pending})
        for y in _stored_items(conn, fresh).values():  # as kept now, with the source to compare against
            pending[y.key] = y
            heapq.heappush(heap, (y.rank, y.key))

    def members(leader: str, after: tuple | None = None) -> list:
        query = select(ei.event_id).where(ei.leader == leader)
        if after is not None:  # only those junior to `after`
            query = query.where(by_rank > rank_key(after))
        return list(_stored_items(conn, sorted(conn.execute(query).scalars().all())).values())

    def junior_partners(x) -> list:
        return [y for _, _, y in mergeable(x, _neighbours(conn, x, conf), conf) if y.rank > x.rank]

    removed_keys = {r.key for r in removed}
    for r in sorted(removed, key=lambda r: r.rank):
        changed.add(r.leader)
        group = members(r.leader)
        for m in group:  # juniors that this group refused with r in it may join it now, and its juniors move
            push(junior_partners(m))
        push([m for m in group if m.rank > r.rank])
        conn.execute(delete(t.event_keys).where(t.event_keys.c.event_id == r.key))
        conn.execute(delete(t.event_items).where(ei.event_id == r.key))
    again = {it.key for it in items}  # removed to settle again with new actors
    done |= {r.key for r in removed if r.key not in again}
    for key in [k for k in pending if k in done]:
        del pending[key]
    for it in items:
        if it.key in removed_keys:
            pending[it.key] = it

    while heap:
        _, key = heapq.heappop(heap)
        if key in done:
            continue
        done.add(key)
        x = pending.pop(key)
        old = x.leader
        neighbours = _neighbours(conn, x, conf)
        partners = [p for p in mergeable(x, neighbours, conf) if p[2].rank < x.rank]
        group_of = {y.key: y.leader for _, _, y in partners}
        groups = {}
        for leader in set(group_of.values()):  # each group as it stood for x: its members senior to x
            senior = conn.execute(select(ei.document_id, ei.date_value).where(
                ei.leader == leader, by_rank < rank_key(x.rank))).all()
            groups[leader] = {"docs": {r[0] for r in senior}, "dates": {r[1] for r in senior if r[1]}}
        leader, merge = choose(x, partners, group_of, groups)
        leader = leader or x.key
        x.merge = merge
        if old is None:
            conn.execute(t.event_items.insert().values(
                event_id=x.key, document_id=x.doc["id"], rank=rank_key(x.rank),
                date_value=(x.event.get("date") or {}).get("value"), leader=leader,
                data=json.dumps(item_data(x), ensure_ascii=False),
                source=json.dumps(item_source(x), ensure_ascii=False)))
            _insert(conn, t.event_keys, [{"key": k, "event_id": x.key} for k in dict.fromkeys(filing_keys(x))])
        else:
            source = dict(x.source, merge=merge)
            if leader == old and source == x.source:
                continue
            conn.execute(t.event_items.update().where(ei.event_id == x.key).values(
                leader=leader, source=json.dumps(source, ensure_ascii=False)))
        changed.add(leader)
        if leader == old:
            continue  # the same group, another merge record: nobody else's choice depends on it
        if old is not None:
            changed.add(old)
            left = members(old)
            push([m for m in left if m.rank > x.rank])  # its group's juniors joined it with x in it
            for m in left:  # juniors that this group refused with x in it may join it now
                push(junior_partners(m))
        push(members(leader, x.rank))  # its new group's juniors met it without x
        push([y for _, _, y in mergeable(x, neighbours, conf) if y.rank > x.rank])  # they may choose x's group
    return changed


def _mentions(conn: Connection, docs: set[str]) -> tuple[dict, dict]:
    """The kept mentions and figures of these articles."""
    rd = t.resolution_documents.c
    mentions, figures = {}, {}

    def load(ids):
        ids = sorted(set(ids) - set(mentions))
        for i in range(0, len(ids), 500):
            for doc, found, figs in conn.execute(select(rd.document_id, rd.mentions, rd.figures)
                                                 .where(rd.document_id.in_(ids[i:i + 500]))):
                mentions[doc], figures[doc] = mentions_from_json(json.loads(found)), json.loads(figs)
    load(docs)
    return mentions, figures


def _replace_projects(conn: Connection, keys: list[str], projects: list, canonical_of_name: dict) -> None:
    ids = [stable_id("prj", key) for key in keys]
    for table in (t.project_sources, t.project_figures, t.project_timeline, t.project_participants,
                  t.project_sectors):
        for i in range(0, len(ids), 500):
            conn.execute(delete(table).where(table.c.project_id.in_(ids[i:i + 500])))
    for i in range(0, len(ids), 500):
        conn.execute(delete(t.projects).where(t.projects.c.id.in_(ids[i:i + 500])))
    # a timeline entry names its merged event; the store links the entry to the event of its first source
    group_ids = sorted({x["event"] for p in projects for x in p.timeline})
    group_events: dict[str, list[str]] = {}
    m = t.merged_event_members.c
    for i in range(0, len(group_ids), 500):
        for group_id, event_id in conn.execute(select(m.group_id, m.event_id)
                                               .where(m.group_id.in_(group_ids[i:i + 500]))
                                               .order_by(m.group_id, m.position)):
            group_events.setdefault(group_id, []).append(event_id)
    _write_projects(conn, projects, canonical_of_name, group_events)
