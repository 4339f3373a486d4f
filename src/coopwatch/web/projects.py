"""Projects and duplicate articles: the JSON API (/api/projects, /api/duplicates) and the pages (/projects).

The timeline chart is SVG drawn here on the server: one lane per stage, one dot per dated timeline entry.
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlalchemy import Connection

from ..data import project_stage_colours
from ..store import resolution_search
from ..store.resolution_search import STATUSES, ProjectFilters
from ..store.search import SECTORS, record_countries
from .api import Page, _json, connection, respond
from .pages import error_page, form_fields, link, page_number, render

api = APIRouter(prefix="/api", tags=["api"])
pages = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
STAGE_COLOURS = {**project_stage_colours(), None: "#d0d5dd"}  # data/project_stages.toml; None: no stage


def project_filters(
    q: str | None = Query(None, max_length=300, description="words in the project's name or names"),
    sector: str | None = Query(None, max_length=40, description="sector, e.g. nuclear"),
    country: str | None = Query(None, max_length=2, description="side of a participant, e.g. CN"),
    status: str | None = Query(None, max_length=30, description=f"one of {', '.join(STATUSES)}"),
    date_from: date | None = Query(None, description="timeline reaching this day or later (YYYY-MM-DD)"),
    date_to: date | None = Query(None, description="timeline starting on or before this day (YYYY-MM-DD)"),
) -> ProjectFilters:
    return ProjectFilters(q=q, sector=sector, country=country, status=status, date_from=date_from,
                          date_to=date_to).validated()


@api.get("/projects", summary="Projects built from events across articles: name, status, sectors, participants")
def projects(request: Request, f: ProjectFilters = Depends(project_filters), page: Page = Depends(),
             conn: Connection = Depends(connection)):
    return respond(request, conn, f, page, resolution_search.list_projects, resolution_search.count_projects, "projects")


@api.get("/projects/{project_id}", summary="One project with its timeline, figures, participants and sources")
def project(project_id: str, conn: Connection = Depends(connection)):
    found = resolution_search.get_project(conn, project_id)
    if found is None:
        raise HTTPException(404, f"no project {project_id!r}")
    return _json(found)


@api.get("/duplicates", summary="Articles that copy another (exact or near), each with its original")
def duplicates(request: Request, page: Page = Depends(), conn: Connection = Depends(connection)):
    return respond(request, conn, None, page, resolution_search.list_duplicates, resolution_search.count_duplicates, "duplicates")


# ---- pages

def page_project_filters(request: Request) -> ProjectFilters:
    fields = form_fields(request, ("q", "sector", "country", "status", "date_from", "date_to"))
    return ProjectFilters(**fields).validated()


@pages.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, f: ProjectFilters = Depends(page_project_filters),
                  page: int = Depends(page_number), conn: Connection = Depends(connection)):
    total = resolution_search.count_projects(conn, f)
    rows = resolution_search.list_projects(conn, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "projects.html", f=f, rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                  link=link, sectors=SECTORS, statuses=STATUSES, export=link("/api/projects", f),
                  countries=record_countries(conn))


@pages.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: str, conn: Connection = Depends(connection)):
    found = resolution_search.get_project(conn, project_id)
    if found is None:
        return error_page(request, 404, f"no project {project_id!r}")
    return render(request, "project.html", p=found, chart=timeline_svg(found["timeline"]), colours=STAGE_COLOURS)


def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def timeline_svg(timeline: list[dict], width: int = 720) -> Markup:
    """The project's dated timeline entries on a time axis, one lane per stage (escaped text only)."""
    dated = [e for e in timeline if e.get("day")]
    lanes = [s for s in STATUSES if any(e["stage"] == s for e in dated)]
    if any(e["stage"] not in STATUSES for e in dated):
        lanes.append("other")
    if not dated:
        return Markup('<p class="muted" id="timeline-chart">No dated events.</p>')
    left, right, top, lane_h = 130, 20, 10, 34
    height = top + lane_h * len(lanes) + 30
    first, last = min(_ordinal(e["day"]) for e in dated), max(_ordinal(e["day"]) for e in dated)
    span = max(last - first, 1)

    def x(day: str) -> float:
        return left + (width - left - right) * ((_ordinal(day) - first) / span if last > first else 0.5)

    parts = [f'<svg id="timeline-chart" class="chart-svg timeline" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="project timeline" preserveAspectRatio="xMinYMin meet">']
    for n, lane in enumerate(lanes):
        y = top + lane_h * n + lane_h / 2
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis lane" x="{left - 8}" y="{y + 4}" text-anchor="end">{escape(lane)}</text>')
    years = range(date.fromordinal(first).year, date.fromordinal(last).year + 1)
    step = max(1, len(years) // 8)
    for year in list(years)[::step]:
        day = f"{year}-01-01"
        if first <= _ordinal(day) <= last or len(years) == 1:
            gx = x(day) if first <= _ordinal(day) <= last else x(date.fromordinal(first).isoformat())
            parts.append(f'<text class="axis" x="{gx:.1f}" y="{height - 8}" text-anchor="middle">{year}</text>')
    for e in dated:
        lane = lanes.index(e["stage"] if e["stage"] in lanes else "other")
        y = top + lane_h * lane + lane_h / 2
        label = f"{e['date']} · {e['stage'] or e['type']}: {e['sentence'] or ''}"
        parts.append(f'<a href="{escape(e["url"])}"><circle class="point" data-stage="{escape(e["stage"] or "")}" '
                     f'cx="{x(e["day"]):.1f}" cy="{y}" r="7" fill="{STAGE_COLOURS.get(e["stage"], "#667085")}">'
                     f'<title>{escape(label[:300])}</title></circle></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
