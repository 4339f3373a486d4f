"""Reading the resolution: projects, duplicate links and merged events, for the API, the pages and the CLI.

The tables are written by store/duplicates.py (on ingest) and store/resolution.py (after it); store/search.py
reads the facts the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import quote  # ids hold '#': links quote them

from sqlalchemy import Connection, and_, func, or_, select

from ..data import project_statuses
from . import schema as t
from .search import SECTORS, BadQuery, capped_count, events_in_focus, like_pattern, projects_in_focus

STATUSES = project_statuses()  # data/project_stages.toml


@dataclass
class ProjectFilters:
    q: str | None = None
    sector: str | None = None
    country: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def validated(self) -> "ProjectFilters":
        if self.sector and self.sector not in SECTORS:
            raise BadQuery(f"unknown sector {self.sector!r}; one of {', '.join(SECTORS)}")
        if self.status:
            self.status = self.status.replace("_", " ").strip().lower()
            if self.status not in STATUSES:
                raise BadQuery(f"unknown status {self.status!r}; one of {', '.join(STATUSES)}")
        if self.country:
            self.country = self.country.upper()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadQuery("date_from is after date_to")
        self.q = (self.q or "").strip() or None
        return self

    def as_params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}


def _project_conditions(f: ProjectFilters) -> list:
    p = t.projects.c
    where = []
    if f.q:
        where.append(or_(p.name.ilike(like_pattern(f.q), escape="\\"), p.names.ilike(like_pattern(f.q), escape="\\")))
    if f.sector:
        where.append(p.id.in_(select(t.project_sectors.c.project_id).where(t.project_sectors.c.sector == f.sector)))
    if f.country:
        where.append(p.id.in_(select(t.project_participants.c.project_id)
                              .where(t.project_participants.c.side == f.country)))
    if f.status:
        where.append(p.status == f.status)
    # a project is in a date range when its timeline overlaps it
    if f.date_from:
        where.append(p.last_day >= f.date_from.isoformat())
    if f.date_to:
        where.append(p.first_day <= f.date_to.isoformat())
    return where


def count_projects(conn: Connection, f: ProjectFilters, cap: int | None = None) -> int:
    return capped_count(conn, t.projects, [*_project_conditions(f), *projects_in_focus(conn)], cap)


def list_projects(conn: Connection, f: ProjectFilters, limit: int = 50, offset: int = 0) -> list[dict]:
    p = t.projects.c
    rows = [dict(r._mapping) for r in conn.execute(
        select(p.id, p.name, p.status, p.first_day, p.last_day, p.events, p.documents)
        .where(and_(True, *_project_conditions(f), *projects_in_focus(conn)))
        .order_by(p.documents.desc(), p.events.desc(), p.name, p.id).limit(limit).offset(offset))]
    ids = [r["id"] for r in rows]
    sectors: dict[str, list] = {i: [] for i in ids}
    for project_id, sector in conn.execute(select(t.project_sectors).where(t.project_sectors.c.project_id.in_(ids))
                                           .order_by(t.project_sectors.c.project_id, t.project_sectors.c.sector)):
        sectors[project_id].append(sector)
    sides: dict[str, dict] = {i: {} for i in ids}
    pp = t.project_participants.c
    for project_id, side, name in conn.execute(select(pp.project_id, pp.side, pp.name).where(pp.project_id.in_(ids))
                                               .order_by(pp.project_id, pp.side, pp.name)):
        sides[project_id].setdefault(side, []).append(name)
    for r in rows:
        r["sectors"] = sectors[r["id"]]
        r["participants"] = [f"{name} ({side})" for side, names in sides[r["id"]].items() for name in names]
        r["url"] = f"/projects/{quote(r['id'])}"
    return rows


def get_project(conn: Connection, project_id: str) -> dict | None:
    row = conn.execute(select(t.projects).where(t.projects.c.id == project_id, *projects_in_focus(conn))).first()
    if row is None:
        return None
    project = dict(row._mapping)
    project["names"] = json.loads(project["names"])
    project["merges"] = json.loads(project["merges"])
    project["components"] = json.loads(project.get("components") or "[]")
    project["sectors"] = conn.execute(select(t.project_sectors.c.sector).where(
        t.project_sectors.c.project_id == project_id).order_by(t.project_sectors.c.sector)).scalars().all()
    participants: dict[str, list] = {}
    pp = t.project_participants.c
    for side, name, actor_id in conn.execute(select(pp.side, pp.name, pp.actor_id).where(pp.project_id == project_id)
                                             .order_by(pp.side, pp.name)):
        participants.setdefault(side, []).append({"name": name, "actor_id": actor_id})
    project["participants"] = participants
    tl = t.project_timeline.c
    project["timeline"] = [dict(r._mapping) | {"url": f"/events/{quote(r.event_id)}"} for r in conn.execute(
        select(tl.position, tl.date, tl.day, tl.stage, tl.why, tl.type, tl.event_id, tl.group_id, tl.document_id,
               tl.sentence, tl.sources).where(tl.project_id == project_id, *events_in_focus(conn, tl.event_id))
        .order_by(tl.position))]
    for e in project["timeline"]:  # which of a plant's units the entry is about
        e["components"] = [c["name"] for c in project["components"] if e["group_id"] in c["events"]]
    fg = t.project_figures.c
    project["figures"] = [dict(r._mapping) for r in conn.execute(
        select(fg.value, fg.unit, fg.measure, fg.text, fg.date, fg.document_id)
        .where(fg.project_id == project_id).order_by(fg.position))]
    ps, d = t.project_sources.c, t.documents.c
    project["sources"] = [dict(r._mapping) | {"url": f"/events/{quote(r.event_id)}", "document_url": f"/documents/{quote(r.document_id)}"}
                          for r in conn.execute(
        select(ps.event_id, ps.document_id, ps.group_id, d.title, d.outlet, d.published)
        .join(t.documents, d.id == ps.document_id).where(ps.project_id == project_id,
                                                         *events_in_focus(conn, ps.event_id))
        .order_by(d.published, ps.document_id, ps.event_id))]
    return project


def projects_of_event(conn: Connection, event_id: str) -> list[dict]:
    ps = t.project_sources.c
    return [dict(r._mapping) for r in conn.execute(
        select(t.projects.c.id, t.projects.c.name, t.projects.c.status)
        .join(t.project_sources, ps.project_id == t.projects.c.id).where(ps.event_id == event_id)
        .order_by(t.projects.c.name))]


# ---- duplicates and merged events

def _duplicate_select():
    dup, copy, original = t.document_duplicates, t.documents.alias("copy"), t.documents.alias("original")
    return (select(dup.c.document_id, copy.c.title.label("title"), copy.c.outlet.label("outlet"),
                   copy.c.published.label("published"), dup.c.original_id,
                   original.c.title.label("original_title"), original.c.outlet.label("original_outlet"),
                   original.c.published.label("original_published"), dup.c.kind, dup.c.rule, dup.c.jaccard,
                   dup.c.containment, dup.c.threshold)
            .join(copy, copy.c.id == dup.c.document_id).join(original, original.c.id == dup.c.original_id))


def list_duplicates(conn: Connection, f=None, limit: int = 50, offset: int = 0) -> list[dict]:
    rows = conn.execute(_duplicate_select().order_by(t.document_duplicates.c.original_id,
                                                     t.document_duplicates.c.document_id).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows]


def count_duplicates(conn: Connection, f=None, cap: int | None = None) -> int:
    return conn.execute(select(func.count()).select_from(t.document_duplicates)).scalar_one()


def duplicate_of(conn: Connection, document_id: str) -> dict | None:
    row = conn.execute(_duplicate_select().where(t.document_duplicates.c.document_id == document_id)).first()
    return dict(row._mapping) if row else None


def copies_of(conn: Connection, document_id: str) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        _duplicate_select().where(t.document_duplicates.c.original_id == document_id)
        .order_by(t.document_duplicates.c.document_id))]


def event_group(conn: Connection, event_id: str) -> dict | None:
    """The merged event an event belongs to, with every source (event, article, sentence) and the merge rules."""
    m = t.merged_event_members.c
    group_id = conn.execute(select(m.group_id).where(m.event_id == event_id)).scalar()
    if group_id is None:
        return None
    group = dict(conn.execute(select(t.merged_events).where(t.merged_events.c.id == group_id)).first()._mapping)
    group["merge"] = json.loads(group["merge"])
    e, d = t.events.c, t.documents.c
    group["sources"] = [dict(r._mapping) | {"url": f"/events/{quote(r.event_id)}", "document_url": f"/documents/{quote(r.document_id)}"}
                        for r in conn.execute(
        select(m.event_id, m.document_id, d.title, d.outlet, d.published, e.sentence, e.date_value, e.start, e.end)
        .join(t.events, e.id == m.event_id).join(t.documents, d.id == m.document_id)
        .where(m.group_id == group_id, *events_in_focus(conn, m.event_id)).order_by(m.position))]
    return group


def stored_projects(conn: Connection) -> list:
    """Every stored project as resolve's Project (what `coopwatch projects --db` lists), read from the project
    tables as the last resolution wrote them: nothing is recomputed."""
    from ..resolve.projects import Project

    p = t.projects.c
    rows = conn.execute(select(t.projects).order_by(p.name, p.id)).mappings().all()
    sectors: dict[str, list] = {}
    for project_id, sector in conn.execute(select(t.project_sectors.c.project_id, t.project_sectors.c.sector)
                                           .order_by(t.project_sectors.c.project_id, t.project_sectors.c.sector)):
        sectors.setdefault(project_id, []).append(sector)
    sides: dict[str, dict] = {}
    pp = t.project_participants.c
    for project_id, side, name in conn.execute(select(pp.project_id, pp.side, pp.name)
                                               .order_by(pp.project_id, pp.side, pp.name)):
        sides.setdefault(project_id, {}).setdefault(side, []).append(name)
    components = {r["id"]: json.loads(r["components"] or "[]") for r in rows}
    timeline: dict[str, list] = {}
    tl = t.project_timeline.c
    for r in conn.execute(select(t.project_timeline).order_by(tl.project_id, tl.position)).mappings():
        units = [c for c in components.get(r["project_id"], []) if r["group_id"] in c["events"]]
        timeline.setdefault(r["project_id"], []).append(
            {"date": r["date"], "stage": r["stage"], "why": r["why"], "type": r["type"], "event": r["group_id"],
             "sentence": r["sentence"], "doc": r["document_id"], "sources": r["sources"],
             "units": [c["number"] for c in units], "components": [c["name"] for c in units]})
    figures: dict[str, list] = {}
    fg = t.project_figures.c
    for r in conn.execute(select(t.project_figures).order_by(fg.project_id, fg.position)).mappings():
        figures.setdefault(r["project_id"], []).append(
            {"value": r["value"], "unit": r["unit"], "measure": r["measure"], "text": r["text"], "date": r["date"],
             "doc": r["document_id"]})
    sources: dict[str, list] = {}
    ps = t.project_sources.c
    for project_id, event_id, doc, group_id in conn.execute(
            select(ps.project_id, ps.event_id, ps.document_id, ps.group_id).order_by(ps.project_id, ps.event_id)):
        sources.setdefault(project_id, []).append({"doc": doc, "event": group_id, "event_id": event_id})
    return [Project(id=r["id"], name=r["name"], key=r["key"], names=json.loads(r["names"]),
                    sectors=sectors.get(r["id"], []), participants=sides.get(r["id"], {}), status=r["status"],
                    timeline=timeline.get(r["id"], []), figures=figures.get(r["id"], []),
                    sources=sources.get(r["id"], []),
                    events=sorted({s["event"] for s in sources.get(r["id"], []) if s["event"]}),
                    merges=json.loads(r["merges"]), components=components[r["id"]]) for r in rows]
