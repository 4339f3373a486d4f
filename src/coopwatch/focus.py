"""The focus: whose cooperation a record follows, a setting (`--focus CN,RU` or `--focus any`), not the code.

An event is in focus when at least two of its country sides are focus countries (with one focus country: when it
is one of the sides). Out-of-focus events are not dropped: the extraction lists them under `out_of_focus`, apart
from `events`, so a wider focus later needs no new extraction.

The rule is `sides_needed` and `in_focus` here; `store/search.py` asks the same of the stored record in SQL (how
many of an event's sides are focus countries, against `sides_needed`), for `coopwatch serve --focus`.
"""
from __future__ import annotations

import re

ANY = "any"


class FocusError(ValueError):
    pass


def parse_focus(text: str | None) -> frozenset[str] | None:
    """"CN,RU" -> {"CN", "RU"}; "any", "" or None -> None (every pair)."""
    if text is None or text.strip().lower() in ("", ANY):
        return None
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", text) if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise FocusError(f"--focus takes two-letter country codes (ISO 3166, EU for the European Union) or 'any', "
                         f"not {', '.join(bad)}")
    return frozenset(codes)


EXTRACTING = ("country sides to follow, e.g. CN,RU (EU for the European Union): other events are set apart under "
              "out_of_focus and not stored (default: any pair)")
READING = ("country sides to list, e.g. CN,RU (EU for the European Union): only the events in focus are listed and "
           "counted (default: any pair)")
SERVING = ("country sides to show, e.g. CN,RU (EU for the European Union): every page, count, chart and export holds "
           "only the events in focus; the others stay in the record, unseen (default: any pair)")


def add_focus_argument(parser, help: str = EXTRACTING) -> None:
    """The `--focus` option, the same on every command that extracts (extract, ingest, spark) and on serve."""
    import argparse

    def codes(text: str) -> frozenset[str] | None:
        try:
            return parse_focus(text)
        except FocusError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    parser.add_argument("--focus", type=codes, default=None, metavar="CODES", help=help)


def sides_needed(focus: frozenset[str]) -> int:
    """How many of an event's sides must be focus countries: two (a pair among them), or one for a one-country
    focus."""
    return min(2, len(focus))


def in_focus(countries: list[str], focus: frozenset[str] | None) -> bool:
    if focus is None:
        return True
    return len(focus.intersection(countries)) >= sides_needed(focus)


def focus_text(focus: frozenset[str] | None) -> str:
    """The focus as the option takes it: 'CN,RU' or 'any'."""
    return ",".join(sorted(focus)) if focus else ANY


def refocus(record: dict, focus: frozenset[str] | None) -> dict:
    """A saved extraction record's events split again by `focus` (`ingest --focus` of `extract` output); with no
    focus (`any`, the default) every event is in it, those a narrower `extract --focus` set apart included."""
    if "events" not in record:
        return record
    events = record["events"] + record.get("out_of_focus", [])
    record["events"] = [e for e in events if in_focus(e.get("countries") or [], focus)]
    record["out_of_focus"] = [e for e in events if not in_focus(e.get("countries") or [], focus)]
    if not record["out_of_focus"]:
        del record["out_of_focus"]
    return record
