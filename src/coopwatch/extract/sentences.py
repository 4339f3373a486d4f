"""The `coop_sentences` component, run before the parser: sentence starts that the text itself gives.

A paragraph break always starts a sentence; inside a quotation that closes in the same paragraph no
sentence starts, so a quote stays in one piece with its "he said".
"""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .quotes import quotation_spans
from .text import document_text


@Language.component("coop_sentences")
def mark_sentences(doc: Doc) -> Doc:
    """All starts decided in one list and set in one `from_array` (each `is_sent_start` assignment would
    check the whole document for a parse first: quadratic in the article's length)."""
    n = len(doc)
    if n < 2:
        return doc
    starts = doc.to_array([SENT_START]).astype("int64").tolist()  # 1 starts, -1 does not, 0 unknown
    spaces = [t.is_space for t in doc]
    newline = [sp and "\n" in t.text for sp, t in zip(spaces, doc)]
    for i in range(1, n):
        if newline[i - 1] and not spaces[i]:
            starts[i] = 1
    for start, end in quotation_spans(document_text(doc)):
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            continue
        for i in range(span.start + 1, span.end):
            if starts[i] != 1:
                starts[i] = -1
        closing = span.end  # the closing mark and the attribution after it stay in the quote's sentence
        if closing < n and not spaces[closing]:
            starts[closing] = -1
            if closing + 1 < n and (doc[closing + 1].text in (",", "said", "says") or doc[closing + 1].is_lower):
                starts[closing + 1] = -1
    doc.from_array([SENT_START], numpy.array(starts, dtype="int32").astype("uint64"))
    return doc
