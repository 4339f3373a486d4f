"""Loaders for the editable data files in this folder (TOML settings, TSV tables).

Users change what coopwatch knows by editing these files, or by pointing the
COOPWATCH_DATA environment variable at a folder holding their own copies.
"""
from __future__ import annotations

import csv
import os
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


def data_path(name: str) -> Path:
    override = os.environ.get("COOPWATCH_DATA")
    if override and (Path(override) / name).exists():
        return Path(override) / name
    return HERE / name


@lru_cache(maxsize=None)
def load_toml(name: str) -> dict:
    with open(data_path(name), "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file with a header line; `#` lines are comments."""
    with open(data_path(name), encoding="utf-8", newline="") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


def split_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


# ---- the vocabularies, each in one file: every component, the store, the API, the pages and the chart read them here

def sector_names() -> tuple[str, ...]:
    """The sector taxonomy, in the order `sectors.toml` lists it."""
    return tuple(load_toml("sectors.toml")["sectors"])


def sector_colours() -> dict[str, str]:
    """Each sector's colour on the chart (`[colours]` in `sectors.toml`)."""
    return dict(load_toml("sectors.toml").get("colours", {}))


def event_types() -> dict[str, dict]:
    """Each event type's settings in `event_types.toml` (its PLOVER code, its status when nothing says more ...)."""
    return load_toml("event_types.toml")["types"]


@lru_cache(maxsize=None)
def event_roles() -> dict[str, tuple[str, ...]]:
    """The types each rule that singles out types applies to (`[roles]` in `event_types.toml`); read once, as the
    shared status rule asks it for every event."""
    types = load_toml("event_types.toml")["types"]
    return {role: tuple(t for t in listed if t in types)
            for role, listed in load_toml("event_types.toml").get("roles", {}).items()}


def event_type_names() -> tuple[str, ...]:
    """The event types, in the order `event_types.toml` lists them."""
    return tuple(load_toml("event_types.toml")["types"])


def event_type_priority() -> tuple[str, ...]:
    """The event types in the order that decides a word that could report several (`priority`), then any type
    the list leaves out."""
    conf = load_toml("event_types.toml")
    listed = [t for t in conf.get("priority", []) if t in conf["types"]]
    return tuple(listed + [t for t in conf["types"] if t not in listed])


def plover_codes() -> tuple[str, ...]:
    """The PLOVER codes the event types map to."""
    return tuple(dict.fromkeys(t["plover"] for t in load_toml("event_types.toml")["types"].values()))


def project_stages() -> tuple[str, ...]:
    """A project's stages in the order they are reached (`stages` in `project_stages.toml`)."""
    return tuple(load_toml("project_stages.toml")["stages"])


def project_halts() -> tuple[str, ...]:
    """Statuses outside that order that stop a project when they come last ("suspended")."""
    return tuple(load_toml("project_stages.toml").get("halted", []))


def project_statuses() -> tuple[str, ...]:
    """Every status a project can have: its stages in order, then the halting ones."""
    return project_stages() + tuple(h for h in project_halts() if h not in project_stages())


def project_stage_order() -> dict[str, int]:
    """Each stage's place in the order (1 for the first); halting statuses have none."""
    return {stage: n for n, stage in enumerate(project_stages(), start=1)}


def project_stage_colours() -> dict[str, str]:
    """Each status's colour on the timeline chart (`[colours]` in `project_stages.toml`)."""
    return dict(load_toml("project_stages.toml").get("colours", {}))


def project_stage_rules() -> tuple[dict, ...]:
    """The rules that read the stage an event moves its project to, in the order they are checked."""
    return tuple(load_toml("project_stages.toml").get("rules", []))
