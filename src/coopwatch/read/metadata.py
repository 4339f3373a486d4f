"""An article's metadata checked and bounded the same way on every path in (JSON Lines, HTML, Parquet,
extraction records) and for both databases: one function, `metadata_problem`, whose answer becomes that
article's error record, never the batch's. And `http_url`, the one test of whether a stored URL may be a link.
"""
from __future__ import annotations

import re
import unicodedata

# the widest value each field may hold; the store's columns are at least this wide (store/schema.py)
LIMITS = {"id": 255, "title": 1000, "url": 2048, "outlet": 300, "published": 10, "language": 16}
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
PUBLISHED = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
FIELDS = ("title", "url", "outlet", "published", "language")


RAW_PUBLISHED = 100  # an input's date as its source wrote it ("6 May 2024, 10:15 MSK"); cleaning reads it


def metadata_problem(meta: dict, raw: bool = False) -> str | None:
    """Why this article's id or metadata cannot be stored (a sentence), or None when they can.

    `raw`: metadata as an input gave it, before cleaning normalises the publication date to ISO."""
    doc_id = meta.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        return "the 'id' is missing or not a string"
    if len(doc_id) > LIMITS["id"]:
        return f"the 'id' is {len(doc_id):,} characters long, over the limit of {LIMITS['id']}"
    for key in FIELDS:
        value = meta.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"'{key}' is a {type(value).__name__}, not a string"
        limit = RAW_PUBLISHED if raw and key == "published" else LIMITS[key]
        if len(value) > limit:
            return f"'{key}' is {len(value):,} characters long, over the limit of {limit}"
        if "\x00" in value:
            return f"'{key}' holds a NUL character"
    language = meta.get("language")
    if language and not LANGUAGE.fullmatch(language):
        return f"'language' {language!r} is not a language code (e.g. en, ru, zh-Hans)"
    published = meta.get("published")
    if published and not raw and not PUBLISHED.fullmatch(published):
        return f"'published' {published!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"
    return None


def http_url(url: object) -> str | None:
    """`url` when it may be a link (http or https), else None. The scheme is read as a browser reads it: with
    leading spaces and control characters stripped, tabs and newlines inside removed, in any case, so
    ' JaVaScRiPt:', 'java\\tscript:', data: and vbscript: are all refused."""
    if not isinstance(url, str):
        return None
    squeezed = "".join(ch for ch in url if ch not in "\t\n\r")
    squeezed = squeezed.lstrip("".join(chr(c) for c in range(0x21)))  # C0 controls and space, as URL parsers do
    squeezed = "".join(ch for ch in squeezed if unicodedata.category(ch) != "Cc")
    scheme = squeezed.split(":", 1)[0].lower() if ":" in squeezed else ""
    if scheme not in ("http", "https") or not squeezed[len(scheme) + 1:].startswith("//"):
        return None
    return squeezed


# the widest value of each fact field the store keeps in a bounded column (store/schema.py)
FACT_LIMITS = {"entity type": 16, "country": 2, "event type": 16, "plover": 16, "sector": 32, "status": 16,
               "qualifier": 16, "date precision": 8, "date value": 32}


def facts_problem(record: dict, event_types=None, sectors=None) -> str | None:
    """Why an extraction record made elsewhere (Parquet, a saved `extract` output) cannot be stored: a fact
    whose kind is outside the vocabularies or too wide for its column. None when every fact fits."""
    def bad(kind: str, value) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > FACT_LIMITS[kind]:
            return f"{kind} {str(value)[:40]!r} is not a short string (at most {FACT_LIMITS[kind]} characters)"
        return None

    try:
        for ent in record.get("entities") or []:
            problem = bad("entity type", ent["type"]) or bad("country", ent.get("country"))
            if problem or not isinstance(ent["name"], str):
                return problem or "an entity has no name"
        for q in record.get("quantities") or []:
            if bad("qualifier", q.get("qualifier")) or not isinstance(q["value"], (int, float)):
                return f"figure {str(q.get('text'))[:40]!r} has no numeric value or a bad qualifier"
        for ev in record.get("events") or []:
            date = ev.get("date") or {}
            problem = (bad("event type", ev["type"]) or bad("plover", ev["plover"]) or bad("status", ev.get("status"))
                       or bad("date precision", date.get("precision")) or bad("date value", date.get("value")))
            problem = problem or next(filter(None, (bad("sector", s) for s in ev.get("sectors") or [])), None)
            problem = problem or next(filter(None, (bad("country", c) for c in ev.get("countries") or [])), None)
            if problem:
                return problem
            if event_types is not None and ev["type"] not in event_types:
                return f"event type {ev['type']!r} is not one of {', '.join(event_types)}"
            if sectors is not None and set(ev.get("sectors") or []) - set(sectors):
                return f"sector {sorted(set(ev['sectors']) - set(sectors))[0]!r} is not one of the known sectors"
    except (KeyError, TypeError, AttributeError) as e:
        return f"a fact is malformed ({type(e).__name__}: {e})"
    return None
