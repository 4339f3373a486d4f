"""Sectors: which parts of the sector taxonomy (`sectors.toml`) a stretch of text speaks of."""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from ..data import load_toml


def keyword_pattern(keywords: list[str]) -> str:
    parts = []
    for kw in keywords:
        body = re.escape(kw.rstrip("*")).replace(r"\ ", r"[\s\-]+")
        parts.append(body + (r"\w*" if kw.endswith("*") else "s?" if kw[-1:].isalpha() else ""))
    return r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w])"


class SectorMatcher:
    def __init__(self):
        conf = load_toml("sectors.toml")
        self.order = list(conf["sectors"])
        self.not_in_names = set(conf.get("not_in_names", []))
        self.circumstances = frozenset(conf.get("circumstances", []))
        self.trade_default = conf.get("trade_default")
        self.patterns: list[tuple[str, re.Pattern, re.Pattern | None]] = []
        for sector, keywords in conf["sectors"].items():
            lower = [k for k in keywords if k == k.lower()]
            cased = [k for k in keywords if k != k.lower()]  # "IT", "AI", "Amur": case matters
            insensitive = re.compile(keyword_pattern(lower), re.IGNORECASE) if lower else None
            sensitive = re.compile(keyword_pattern(cased)) if cased else None
            self.patterns.append((sector, insensitive, sensitive))

    def of_text(self, text: str, names: list[tuple[int, int]] = ()) -> list[str]:
        """Sectors the words outside names speak of; only when they name none, the names' words count
        ("Rosatom and LS Group signed a hydrogen deal" is not nuclear; "the Research Fund realized 290
        projects" is science)."""
        outside, inside = [], []
        for sector, insensitive, sensitive in self.patterns:
            where = set()
            for pattern in (insensitive, sensitive):
                if pattern is not None:
                    where |= {any(a <= m.start() < b for a, b in names) for m in pattern.finditer(text)}
            if False in where:
                outside.append(sector)
            elif True in where and sector not in self.not_in_names:
                inside.append(sector)
        return outside or inside

    def of_span(self, span: Span, ents=None, tokens: list | None = None) -> list[str]:
        """Sectors of a sentence, or of some of its tokens (a clause), leaving out circumstances ("despite the
        pandemic"): words outside `tokens` and circumstance phrases are blanked, so offsets stay. `ents`: the span's
        entities when the caller has them (`Span.ents` reads every entity of the document)."""
        names = [(e.start_char - span.start_char, e.end_char - span.start_char) for e in (span.ents if ents is None else ents)
                 if e.label_ in ("ORG", "EVENT", "FAC", "PRODUCT")]
        text = span.text
        kept = {t.i for t in (tokens if tokens is not None else span)}
        for tok in span:
            if tok.dep_ in ("prep", "mark", "advmod") and tok.lower_ in self.circumstances:
                kept -= {t.i for t in tok.subtree}
        if len(kept) < len(span):
            chars = list(text)
            for tok in span:
                if tok.i not in kept:
                    start = tok.idx - span.start_char
                    chars[start:start + len(tok.text)] = " " * len(tok.text)
            text = "".join(chars)
        return self.of_text(text, names)

    def dominant(self, doc: Doc) -> list[str]:
        counts = Counter(s for sent in doc.sents for s in self.of_span(sent))
        return [s for s, _ in counts.most_common()]
