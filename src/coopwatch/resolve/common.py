"""Shared helpers: settings, content-derived ids, words, dates."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache

from ..data import load_toml, load_tsv

COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over own
same she should so some such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your said says say year years two one
three four five six seven eight nine ten first second new also since last week month day today yesterday monday
tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december jan feb mar apr jun jul aug sep sept oct nov dec russia china russian chinese sides
side countries country two-way bilateral both per cent percent billion million thousand according
""".split())


@lru_cache(maxsize=1)
def settings() -> dict:
    return load_toml("resolve.toml")


@lru_cache(maxsize=1)
def name_variants() -> dict[str, str]:
    """Every spelling -> the group's first spelling (lower case)."""
    table: dict[str, str] = {}
    for row in load_tsv("name_variants.tsv"):
        spellings = [s.strip() for s in row["group"].split("|") if s.strip()]
        for s in spellings:
            table.setdefault(s.lower(), spellings[0].lower())
    return table


def stable_id(prefix: str, *parts) -> str:
    """A short id from content: the same inputs always give the same id."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return f"{prefix}_{hashlib.sha1(blob.encode('utf-8')).hexdigest()[:16]}"


def fold(text: str) -> str:
    """Lower case, accents off, curly quotes straight."""
    text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.replace("’", "'").replace("‘", "'").lower()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def content_words(text: str, drop: set[str] | frozenset = frozenset()) -> set[str]:
    """Object words of a sentence: no stop words, numbers, or the given words (actor and country names)."""
    out = set()
    for w in words(text):
        w = re.sub(r"'s$", "", w)
        if len(w) < 3 or w in STOPWORDS or w in drop or any(c.isdigit() for c in w):
            continue
        out.add(_stem(w))
    return out


def _stem(w: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


# ---- dates: "2019", "2019-12", "2019-12-02", "2019/2020"

def date_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one is a more precise form of the other (2019-12 and 2019-12-02)."""
    if not a or not b:
        return False
    if "/" in a or "/" in b:
        return a == b
    return a.startswith(b) or b.startswith(a)


def most_precise(values: list[str]) -> str | None:
    values = [v for v in values if v]
    if not values:
        return None
    return max(values, key=lambda v: (0 if "/" in v else len(v)))


def precision_of(value: str | None) -> str | None:
    if not value:
        return None
    if "/" in value:
        return "interval"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "day")
