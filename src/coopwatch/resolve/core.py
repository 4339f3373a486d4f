"""All four steps in order."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .actors import ActorIndex, resolve_actors
from .duplicates import DuplicateResult, find_duplicates
from .events import MergedEvent, merge_events
from .projects import Project, build_projects


@dataclass
class Resolution:
    records: list[dict]
    duplicates: DuplicateResult
    actors: ActorIndex
    events: list[MergedEvent]
    projects: list[Project]

    def counts(self) -> dict:
        return {"articles": len(self.records),
                "duplicate_links": len(self.duplicates.links),
                "exact_duplicates": sum(1 for d in self.duplicates.links if d.kind == "exact"),
                "near_duplicates": sum(1 for d in self.duplicates.links if d.kind == "near"),
                "actors": len(self.actors.actors),
                "actor_merges": len(self.actors.merges),
                "actor_merges_refused": len(self.actors.refused),
                "events": len(self.events),
                "merged_events": sum(1 for e in self.events if len(e.sources) > 1),
                "event_merges": sum(len(e.merge) for e in self.events),
                "projects": len(self.projects),
                "project_event_merges": sum(len(p.merges) for p in self.projects)}


def resolve(records: Iterable[dict], threshold: float | None = None) -> Resolution:
    # in the order of their ids, as the store reads them: the result does not depend on the input's order
    records = sorted((r for r in records if "error" not in r and r.get("text")), key=lambda r: r["id"])
    duplicates = find_duplicates(records, threshold=threshold)
    actors = resolve_actors(records)
    events = merge_events(records, actors, duplicates)
    projects = build_projects(events, records, actors)
    return Resolution(records, duplicates, actors, events, projects)
