"""The document model: an article as read, and the facts extracted from it.

The dataclasses below are the record's shape, declared once: `Extraction.to_json()` writes the extraction
contract (`shared/spec/extraction-contract.md`) from them and `Extraction.from_json()` reads it back, and
`FIELDS` (one table of fields per fact kind, derived from the same classes) is what the Spark schema and its
row builders and readers (spark.py) and the store's rows (store/ingest.py, store/resolution.py) are built from.
A field added here reaches all of them; the store also needs a column and a migration (store/schema.py).
"""
from __future__ import annotations

import types
import typing
from dataclasses import MISSING, dataclass, field, fields as dataclass_fields
from functools import cache
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

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "ReadError":
        return cls(record["id"], record.get("source", ""), record["error"])


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
    value: float = field(metadata={"json": "plain"})  # written as an integer when it is one
    unit: str | None
    measure: str | None
    qualifier: str
    text: str
    span: Span
    value_max: float | None = field(default=None, metadata={"json": "plain omit_none"})


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


# what an event says of each figure it names: the figure itself is in the extraction's `quantities`
EVENT_QUANTITY = ("value", "unit", "text", "span")


@dataclass
class Event:
    type: str
    plover: str
    sectors: list[str]  # most telling first
    date: DateValue | None
    status: str | None
    actors: list[str]
    countries: list[str]
    location: str | None
    quantities: list[Quantity] = field(metadata={"view": EVENT_QUANTITY})
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
    # boilerplate cut from the text, kept for audit
    removed: list[dict[str, str]] = field(default_factory=list, metadata={"keys": ("kind", "text")})
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    # events outside the run's --focus (focus.py): present only where a focus set some apart, and never stored
    out_of_focus: list[Event] = field(default_factory=list, metadata={"json": "omit_empty", "stored": False})

    def to_json(self) -> dict[str, Any]:
        return to_json(self)

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "Extraction":
        """The extraction a contract record describes: `Extraction.from_json(r).to_json() == r`. An event's
        figures are the extraction's own (found by span), so they keep the measure and qualifier the event's
        JSON leaves out."""
        extraction = from_json(cls, record)
        figures = {tuple(q.span): q for q in extraction.quantities}
        for event in extraction.events + extraction.out_of_focus:
            for q in event.quantities:
                figure = figures.get(tuple(q.span))
                if figure is not None:
                    q.measure, q.qualifier, q.value_max = figure.measure, figure.qualifier, figure.value_max
        return extraction


def record_from_json(record: dict[str, Any]) -> Extraction | ReadError:
    """A line of `coopwatch extract` output as what it describes: an extraction, or an article that failed."""
    return ReadError.from_json(record) if "error" in record else Extraction.from_json(record)


# ---- the record's shape as a table -------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One field of a fact kind, as every form of the record (JSON, Parquet, the store's rows) writes it.

    `kind` is "text", "number", "flag", "span", "record" (a small dict of the text `keys`: what `removed`
    lists) or a nested kind (the dataclass `shape`); `many` makes it a list of those. `json` says how JSON writes it:
    "plain" (a number as an integer when it is one), "omit_none", "omit_empty", or several of them. `view`: a nested kind written
    with these of its fields only (an event's figures). `stored`: false for what the store and Spark leave out.
    """

    name: str
    kind: str
    many: bool = False
    nullable: bool = True
    shape: type | None = None
    keys: tuple[str, ...] = ()
    json: str = ""
    view: tuple[str, ...] = ()
    stored: bool = True
    required: bool = True  # the dataclass has no default for it

    def fields(self) -> tuple["Field", ...]:
        """A nested kind's fields, as this field writes them: its view (an event's figures: value, unit, text,
        span), each written as the kind writes it (a whole number as an integer)."""
        nested = fields_of(self.shape)
        return tuple(f for f in nested if f.name in self.view) if self.view else nested


_SCALARS = {str: "text", float: "number", int: "number", bool: "flag"}


@cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The table of a dataclass's fields, in the order JSON writes them (the declaration's order)."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclass_fields(cls):
        kind_of, many, nullable = hints[f.name], False, False
        if isinstance(kind_of, types.UnionType) or typing.get_origin(kind_of) is typing.Union:
            args = [a for a in typing.get_args(kind_of) if a is not type(None)]
            kind_of, nullable = args[0], True
        if typing.get_origin(kind_of) is list:
            kind_of, many = typing.get_args(kind_of)[0], True
        meta = f.metadata
        if kind_of == Span:
            kind, shape = "span", None
        elif typing.get_origin(kind_of) is dict:
            kind, shape = "record", None
        elif kind_of in _SCALARS:
            kind, shape = _SCALARS[kind_of], None
        else:
            kind, shape = kind_of.__name__.lower(), kind_of
        out.append(Field(f.name, kind, many, nullable, shape, tuple(meta.get("keys", ())), meta.get("json", ""),
                         tuple(meta.get("view", ())), meta.get("stored", True),
                         f.default is MISSING and f.default_factory is MISSING))
    return tuple(out)


# the kinds of fact an extraction lists: the Extraction field, the Parquet table and store table, and the
# letters of the fact's id
FACTS = {"entities": ("entities", "en"), "quantities": ("figures", "fi"), "quotes": ("quotes", "qu"),
         "events": ("events", "ev")}
FIELDS: dict[str, tuple[Field, ...]] = {
    "extraction": fields_of(Extraction), "entity": fields_of(Entity), "quantity": fields_of(Quantity),
    "quote": fields_of(Quote), "event": fields_of(Event), "date": fields_of(DateValue),
}


def fact_id(document_id: str, facts: str, position: int) -> str:
    """The stable id of a fact: its article's id and its place in the article's list (`doc#ev3`), the same in
    the store, in Parquet and in a resolution of JSON files."""
    return f"{document_id}#{FACTS[facts][1]}{position}"


def position_of(fact: str) -> int:
    """`doc#ev12` -> 12: a fact's place in its extraction."""
    return int(fact.rsplit("#", 1)[1][2:])


def document_fields() -> tuple[Field, ...]:
    """The extraction's own fields (not its fact lists), as a documents row holds them."""
    return tuple(f for f in FIELDS["extraction"] if f.name not in FACTS and f.stored)


# ---- JSON -------------------------------------------------------------------------------------------------

def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


def to_json(item: Any, only: tuple[Field, ...] | None = None) -> dict[str, Any]:
    """The contract's JSON of a dataclass of this module (or of a dict with its fields: a Parquet row)."""
    out: dict[str, Any] = {}
    for f in only if only is not None else fields_of(type(item)):
        value = _get(item, f.name)
        flags = f.json.split()
        if ("omit_none" in flags and value is None) or ("omit_empty" in flags and not value):
            continue
        out[f.name] = [_json_value(f, v) for v in value or ()] if f.many else _json_value(f, value)
    return out


def _json_value(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.kind == "span":
        return [value[0], value[1]]
    if f.shape is not None:
        return to_json(value, f.fields())
    if f.kind == "record":
        return dict(value)
    if "plain" in f.json.split():
        return _plain_number(value)
    return value


def from_json(cls: type, data: dict[str, Any]) -> Any:
    """A dataclass of this module from its JSON (or from a Parquet row or store row with the same field names);
    keys that are no field are ignored, fields JSON leaves out take their defaults (None where there is none)."""
    values = {}
    for f in fields_of(cls):
        if f.name not in data:
            if f.required:
                values[f.name] = [] if f.many else None
            continue
        value = data[f.name]
        values[f.name] = [_from_value(f, v) for v in value or ()] if f.many else _from_value(f, value)
    return cls(**values)


def _from_value(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.kind == "span":
        return (value[0], value[1])
    if f.shape is not None:
        return from_json(f.shape, value if isinstance(value, dict) else dict(zip((x.name for x in f.fields()), value)))
    if f.kind == "record":
        return dict(value)
    return value


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
