"""The `coop_dates` component: every DATE entity resolved against the publication date (`coopwatch.dates`),
datelines left out; `doc._.dates` lists the spans that resolved."""
from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..dates import resolve, resolve_anaphora
from .text import document_text


def published_date(doc: Doc) -> date | None:
    value = doc.user_data.get("published")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


NO_DATE = re.compile(r"^(?:the )?(?:recent|past|last|coming|next|previous|following) (?:few )?(?:years|decades|months)$|"
                     r"^(?:the )?future$|^(?!(?:this|last|next|coming) )(?:\w+ )?years?$|^annual|^daily$|^decades?$", re.IGNORECASE)


DATELINE_HEAD = re.compile(r"(?:^|\n)[A-Z][A-Z .'\-]{2,40},\s*$")
DATELINE_TAIL = re.compile(r"^(?:,\s*\d{4})?\s*(?:\([A-Za-z .]{2,30}\)\s*)?(?:--|—|–|-|\.\s*/[A-Za-z-]{2,20}/\.)\s")


def in_dateline(text: str, start: int, end: int) -> bool:
    """"MOSCOW, Feb. 5 -- ...": the date the report was filed, not when anything happened."""
    return bool(DATELINE_HEAD.search(text[max(0, start - 45):start])) and bool(DATELINE_TAIL.match(text[end:end + 8]))


if not Doc.has_extension("dates"):
    Doc.set_extension("dates", default=None)
    Span.set_extension("date", default=None)


@Language.component("coop_dates")
def find_dates(doc: Doc) -> Doc:
    """Resolve every DATE entity against the publication date; `doc._.dates` lists the spans that resolved."""
    published = published_date(doc)
    text = document_text(doc)
    found = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or NO_DATE.match(ent.text) or in_dateline(text, ent.start_char, ent.end_char):
            continue
        value = resolve(ent.text, published) or resolve_anaphora(ent.text, found[-1]._.date if found else None)
        if value is None:
            continue
        ent._.date = value
        found.append(ent)
    doc._.dates = found
    return doc
