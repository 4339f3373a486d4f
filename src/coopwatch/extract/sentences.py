"""The `coop_sentences` component, run before the parser: sentence starts that the text itself gives.

A paragraph break always starts a sentence; inside a quotation that closes in the same paragraph no
sentence starts, so a quote stays in one piece with its "he said".
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .quotes import quotation_spans


@Language.component("coop_sentences")
def mark_sentences(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text and not tok.is_space:
            tok.is_sent_start = True
    for start, end in quotation_spans(doc.text):
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            continue
        for tok in span[1:]:
            if not tok.is_sent_start:
                tok.is_sent_start = False
        closing = span.end  # the closing mark and the attribution after it stay in the quote's sentence
        if closing < len(doc) and not doc[closing].is_space:
            doc[closing].is_sent_start = False
            if closing + 1 < len(doc) and doc[closing + 1].text in (",", "said", "says") or \
                    (closing + 1 < len(doc) and doc[closing + 1].is_lower):
                doc[closing + 1].is_sent_start = False
    return doc
