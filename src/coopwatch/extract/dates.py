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


RELATIVE_YEAR = ("this", "last", "next", "past", "coming")
RANGE_WORDS = ("through", "to", "until", "till", "-", "–", "—")


def widened(doc: Doc, ents: list[Span], k: int) -> tuple[Span, int]:
    """The k-th DATE entity with what the tagger left outside it: "mid-May" + "last year", "from 2005" + "through
    2022" (a range of two entities); and how many entities it took."""
    ent = ents[k]
    end = ent.end
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        end += 1
    if end + 1 < len(doc) and doc[end].lower_ in RELATIVE_YEAR and doc[end + 1].lower_ == "year" \
            and not ent.text.lower().endswith("year"):
        return Span(doc, ent.start, end + 2, label="DATE"), 1
    after = ents[k + 1] if k + 1 < len(ents) else None
    if after is not None and after.label_ == "DATE" and after.start == ent.end + 1 \
            and doc[ent.end].lower_ in RANGE_WORDS and ent.start > 0 and doc[ent.start - 1].lower_ in ("from", "between"):
        return Span(doc, ent.start, after.end, label="DATE"), 2
    return ent, 1


@Language.component("coop_dates")
def find_dates(doc: Doc) -> Doc:
    """Resolve every DATE entity against the publication date; `doc._.dates` lists the spans that resolved."""
    published = published_date(doc)
    text = document_text(doc)
    found = []
    ents = [e for e in doc.ents if e.label_ == "DATE"]
    k = 0
    while k < len(ents):
        ent, taken = widened(doc, ents, k)
        k += taken
        if NO_DATE.match(ent.text) or in_dateline(text, ent.start_char, ent.end_char):
            continue
        value = resolve(ent.text, published) or resolve_anaphora(ent.text, found[-1]._.date if found else None)
        if value is None:
            continue
        ent._.date = value
        found.append(ent)
    doc._.dates = found
    return doc
