"""The document's text, built once: `Doc.text` joins every token anew on each access, and every component
needs it."""
from __future__ import annotations

from spacy.tokens import Doc

KEY = "coopwatch:text"


def document_text(doc: Doc) -> str:
    text = doc.user_data.get(KEY)
    if text is None or len(text) != _length(doc):  # a document retokenized since keeps no stale text
        text = doc.user_data[KEY] = doc.text
    return text


def _length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
