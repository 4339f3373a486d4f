"""The document model: an article as read, and the facts extracted from it.

`Extraction.to_json()` is the one place that produces the extraction contract
(`shared/spec/extraction-contract.md`); every other module works with these classes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Article:
    """One input article before cleaning, with whatever metadata its source gave."""

    id: str
    text: str
    source: str = ""
    format: str = "txt"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None


@dataclass
class ReadError:
    """An input that could not become an article; it becomes an `error` record, never an exception."""

    id: str
    source: str
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "error": self.error}


@dataclass
class Entity:
    name: str
    type: str
    country: str | None = None
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)
    canonical: str | None = None  # the gazetteer's name, when the actor is known to it
    organization: str | None = None  # for people: the organisation their role names


@dataclass
class Quantity:
    value: float
    unit: str | None
    measure: str | None
    qualifier: str
    text: str
    span: Span
    value_max: float | None = None


@dataclass
class Quote:
    speaker: str | None
    role: str | None
    organization: str | None
    direct: bool
    text: str
    span: Span


@dataclass
class DateValue:
    value: str | None
    precision: str | None
    text: str | None


@dataclass
class Event:
    type: str
    plover: str
    sectors: list[str]
    date: DateValue | None
    status: str | None
    actors: list[str]
    countries: list[str]
    location: str | None
    quantities: list[dict[str, Any]]
    sentence: str
    span: Span
    trigger: str
    confidence: float


@dataclass
class Extraction:
    """Everything coopwatch says about one article: the contract's JSON object."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    language: str | None
    text: str
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)  # boilerplate cut from the text, kept for audit
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    out_of_focus: list[Event] = field(default_factory=list)  # events outside the run's --focus (focus.py)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        if not out["out_of_focus"]:
            del out["out_of_focus"]  # present only where a focus set some events apart
        for key in ("quantities", "quotes", "events", "out_of_focus"):
            if key not in out:
                continue
            for item in out[key]:
                item["span"] = list(item["span"])
        for ent in out["entities"]:
            ent["mentions"] = [list(m) for m in ent["mentions"]]
        for q in out["quantities"]:
            if q["value_max"] is None:
                del q["value_max"]
            q["value"] = _plain_number(q["value"])
        return out


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
