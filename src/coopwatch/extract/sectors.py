"""Sectors: which parts of the sector taxonomy (`sectors.toml`) a stretch of text speaks of."""
from __future__ import annotations

import re

from spacy.tokens import Span

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
        self.patterns: list[tuple[str, re.Pattern, re.Pattern | None, bool]] = []
        weak = conf.get("weak", {})
        for sector, keywords in [*conf["sectors"].items(), *weak.items()]:
            lower = [k for k in keywords if k == k.lower()]
            cased = [k for k in keywords if k != k.lower()]  # "IT", "AI", "Amur": case matters
            insensitive = re.compile(keyword_pattern(lower), re.IGNORECASE) if lower else None
            sensitive = re.compile(keyword_pattern(cased)) if cased else None
            self.patterns.append((sector, insensitive, sensitive, keywords is weak.get(sector)))
        self.memo_doc, self.memo = None, {}  # the last document's sentence keywords, for its clauses

    def of_text(self, text: str, names: list[tuple[int, int]] = ()) -> list[str]:
        """Sectors the words outside names speak of; only when they name none, the names' words count
        ("Rosatom and LS Group signed a hydrogen deal" is not nuclear; "the Research Fund realized 290
        projects" is science)."""
        return self.chosen(self.hits(text, names))

    def hits(self, text: str, names: list[tuple[int, int]] = ()) -> list[tuple[str, int, int, bool, bool]]:
        """Every keyword found: (sector, start, end, inside a name, weak)."""
        return [(sector, m.start(), m.end(), any(a <= m.start() < b for a, b in names), weak)
                for sector, insensitive, sensitive, weak in self.patterns
                for pattern in (insensitive, sensitive) if pattern is not None for m in pattern.finditer(text)]

    def chosen(self, hits) -> list[str]:
        """The sectors of the keywords outside names, else of those inside; a weak keyword counts only where no
        other does ("universities" are education, unless the sentence speaks of research with them)."""
        strong = [h for h in hits if not h[4]]
        for found in (strong, hits):
            outside = [s for s in self.order if any(h[0] == s and not h[3] for h in found)]
            inside = [s for s in self.order if s not in self.not_in_names and any(h[0] == s and h[3] for h in found)]
            if outside or inside:
                return outside or inside
        return []

    def of_span(self, span: Span, ents=None, tokens: list | None = None) -> list[str]:
        """Sectors of a sentence, or of some of its tokens (a clause), leaving out circumstances ("despite the
        pandemic"): a keyword counts when no word of it lies outside `tokens` or in a circumstance. The sentence's
        keywords are found once and kept for its clauses. `ents`: the span's entities when the caller has them
        (`Span.ents` reads every entity of the document)."""
        key = (span.start, span.end)
        if self.memo_doc is not span.doc:
            self.memo_doc, self.memo = span.doc, {}
        if key not in self.memo:
            names = [(e.start_char - span.start_char, e.end_char - span.start_char)
                     for e in (span.ents if ents is None else ents) if e.label_ in ("ORG", "EVENT", "FAC", "PRODUCT")]
            self.memo[key] = self.hits(span.text, names)
        hits = self.memo[key]
        kept = {t.i for t in (tokens if tokens is not None else span)}
        for tok in span:
            if tok.dep_ in ("prep", "mark", "advmod") and tok.lower_ in self.circumstances:
                kept -= {t.i for t in tok.subtree}
        if len(kept) < len(span):
            dropped = [(t.idx - span.start_char, t.idx - span.start_char + len(t.text)) for t in span if t.i not in kept]
            hits = [h for h in hits if not any(a < h[2] and h[1] < b for a, b in dropped)]
        return self.chosen(hits)
