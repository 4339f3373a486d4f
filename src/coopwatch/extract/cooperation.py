"""The cooperation rules every language shares.

Each language's pipeline reads a sentence in its own way (English from spaCy's parse, Russian and Chinese from their
readers) and hands this module the same facts: the countries the sentence names as taking part, those of its
paragraph and of the article, what the trigger's clause says of time (future, modal, in progress, done), its date.
Here, once for all languages, is decided whether the sentence is cooperation and between whom, what the event's
status is and how far to trust it. (A denied action, "refused to sign", "не подписали", "未签署", is read by each
language from its own grammar and the refusal words of its data files, and never reaches this module.)
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..data import event_roles, event_types, load_toml
from ..document import DateValue, Event


@dataclass
class Sides:
    """What a sentence tells about the countries taking part in it."""
    named: list[str]                                 # sides the sentence names as taking part, in reading order
    paragraph: list[str] = field(default_factory=list)  # sides its paragraph names
    focal: list[str] = field(default_factory=list)      # the article's two main sides (`focal_pair`)
    lead: list[str] = field(default_factory=list)       # sides the article's first paragraph names
    both: bool = False            # "both sides", "jointly", "the two countries", "双方", "стороны"
    cross_border: bool = False    # a flow (supply, trade, money given) goes from one side to the other
    partner_named: bool = False   # "talks with China": the one side named is someone's partner
    project: bool = False         # a step of a project of the two ("первый бетон залили"), by the language's types
    quoted: bool = False          # someone's own words: what they say of "us" is not the article's sides
    international: bool = False   # an international organisation takes part ("the IMF approved a loan to Pakistan")


def parties(s: Sides) -> list[str] | None:
    """The sides of a cooperation event told in the sentence, or None if it is not cooperation: two sides named,
    or one side named with its partner given by the paragraph or the article, or none named in a paragraph or an
    article about both. An international organisation acting with one side makes a party without a side."""
    if len(s.named) >= 2:
        return list(s.named)
    pair = len(s.focal) == 2
    if s.both and pair and (not s.named or s.named[0] in s.focal):
        return s.named + [c for c in s.focal if c not in s.named]
    if not s.named and pair and (s.project or set(s.focal) <= set(s.paragraph)):
        return list(s.focal)  # "agreements had been signed ..." in a paragraph about both sides
    if not s.named and pair and set(s.focal) <= set(s.lead) and not s.quoted:
        return list(s.focal)  # ... or in an article about both sides, unless someone's words say it
    if len(s.named) == 1:
        side = s.named[0]
        others = [c for c in s.paragraph if c != side]
        partner = next((c for c in s.focal if c in others), None) or (others[0] if others else None)
        if partner is None and pair and side in s.focal and (s.cross_border or s.partner_named or s.project):
            partner = next(c for c in s.focal if c != side)  # supplies go from one side to the other
        if partner:
            return [side, partner]
        if s.international:
            return [side]
    return None


def focal_pair(countries: Iterable[str]) -> list[str]:
    """The two sides an article is about: the countries it mentions most (each mention counted once)."""
    return [c for c, _ in Counter(countries).most_common(2)]


@dataclass
class Aspect:
    """What the trigger's clause says of its time, as the language reads it."""
    planned: bool = False    # future, modal, conditional, intended ("will sign", "could build", "plans to open")
    ongoing: bool = False    # in progress ("is building", "talks are under way", "continue to")
    completed: bool = False  # done ("signed", "has opened")


def after_publication(date: DateValue | None, published: str | None) -> bool:
    """An event dated after the article was published has not happened yet ("by 2030", "next year")."""
    if not date or not date.value or not published:
        return False
    start = date.value.split("/")[0]
    return start > published[:len(start)]


def status(type_name: str, aspect: Aspect, date: DateValue | None, published: str | None,
           default: str | None = None) -> str | None:
    """A pledge (a type `always_planned`), a plan or what is dated after the news is planned; then what the clause says; else the status a
    type has when nothing says more (the language's `event_types.toml`, else the vocabulary's)."""
    if type_name in event_roles().get("always_planned", ()) or aspect.planned or after_publication(date, published):
        return "planned"
    if aspect.ongoing:
        return "ongoing"
    if aspect.completed:
        return "completed"
    return default or event_types()[type_name].get("status")


def confidence(named_sides: int, dated: bool) -> float:
    """The share of events with this evidence that are right, measured on the dev gold of every language
    (`scripts/calibrate_confidence.py` writes `confidence.toml`): sides named in the sentence itself or inferred
    from the paragraph or the article; a date in the sentence or none."""
    table = load_toml("confidence.toml")["confidence"]
    return float(table[("named" if named_sides >= 2 else "inferred") + ("_dated" if dated else "_undated")])


def cooperation_event(type_name: str, *, countries: list[str], named_sides: int, sectors: list[str],
                      date: DateValue | None, aspect: Aspect, published: str | None, actors: list[str],
                      location: str | None, quantities: list, sentence: str, span: tuple[int, int],
                      trigger: str, default_status: str | None = None) -> Event:
    """One event, its PLOVER code, status and confidence decided here for every language."""
    return Event(type=type_name, plover=event_types()[type_name]["plover"], sectors=list(sectors), date=date,
                 status=status(type_name, aspect, date, published, default_status), actors=actors, countries=list(countries),
                 location=location, quantities=quantities, sentence=sentence, span=span, trigger=trigger,
                 confidence=confidence(named_sides, date is not None))
