"""`coop_lemmas`: what spaCy's `attribute_ruler` and `lemmatizer` set, at the cost of a table lookup.

coopwatch reads `pos_`, `lemma_`, `tag_` and `dep_`, never `morph`. The two components cost about a fifth of the
parse; what they set for a token is a function of a few things only: its form, tag and dependency label (every
single-token rule of the ruler reads these), and, for the ruler's two-token rules ("gon na", "there is"), the
attributes those rules read of the neighbour. So each token gets a key of exactly those, and the key maps to
the (tag, pos, dep, lemma) the real components gave it. A key not yet in the table is computed by running the
real components on a small document holding the token between its neighbours, so the table is always the
components' own output, never a re-implementation of their rules.

The ruler's patterns are checked when the table is built: a rule of a shape this reasoning does not cover
(three tokens, another attribute) raises `Unsupported`, and `english()` keeps the real components then.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, LEMMA, ORTH, POS, TAG
from spacy.tokens import Doc

# Token attributes a rule may read: of the form (all lexical, so the orth id stands for them), tag, label.
LEXICAL = {"ORTH", "TEXT", "LOWER", "IS_SPACE"}
READS = LEXICAL | {"TAG", "DEP"}
SEPARATOR = ("\n", "_SP", "dep")  # between windows: matches no two-token rule (checked)
MAX_KEYS = 300_000  # the table is cleared past this many keys, so a long run's memory stays flat


class Unsupported(ValueError):
    pass


def _test(constraint, value) -> bool:
    if isinstance(constraint, dict):
        ok = True
        for op, arg in constraint.items():
            if op == "IN":
                ok &= value in arg
            elif op == "NOT_IN":
                ok &= value not in arg
            elif op == "REGEX":
                ok &= re.search(arg, value) is not None
            else:
                raise Unsupported(f"operator {op}")
        return ok
    return value == constraint


def _lexical(attr: str, text: str):
    if attr in ("ORTH", "TEXT"):
        return text
    if attr == "LOWER":
        return text.lower()
    if attr == "IS_SPACE":
        return text.isspace()
    raise Unsupported(attr)  # not read by the model's rules: refuse rather than guess


def spec_matches(spec: dict, text: str, tag: str, dep: str, lexical_only: bool = False) -> bool:
    for attr, constraint in spec.items():
        if attr == "TAG":
            if not lexical_only and not _test(constraint, tag):
                return False
        elif attr == "DEP":
            if not lexical_only and not _test(constraint, dep):
                return False
        elif not _test(constraint, _lexical(attr, text)):
            return False
    return True


class TableLemmas:
    def __init__(self, nlp, ruler, lemmatizer):
        self.vocab = nlp.vocab
        self.ruler, self.lemmatizer = ruler, lemmatizer
        self.pairs: list[tuple[dict, dict]] = []
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                if any(attr.upper() not in READS for spec in pattern for attr in spec):
                    raise Unsupported(f"a rule reads {pattern}")
                if len(pattern) == 2:
                    self.pairs.append(({k.upper(): v for k, v in pattern[0].items()},
                                       {k.upper(): v for k, v in pattern[1].items()}))
                elif len(pattern) != 1:
                    raise Unsupported(f"a rule of {len(pattern)} tokens")
        for first, second in self.pairs:
            if spec_matches(first, *SEPARATOR) or spec_matches(second, *SEPARATOR):
                raise Unsupported("the window separator matches a rule")
        self.table: dict[tuple, tuple[int, int, int, int]] = {}
        self.masks: dict[int, tuple[int, int]] = {}  # orth -> rules it may open / close, by its form alone
        self.sep = tuple(self.vocab.strings.add(s) for s in SEPARATOR)

    def mask(self, orth: int) -> tuple[int, int]:
        found = self.masks.get(orth)
        if found is None:
            text = self.vocab.strings[orth]
            first = second = 0
            for k, (a, b) in enumerate(self.pairs):
                if spec_matches(a, text, "", "", lexical_only=True):
                    first |= 1 << k
                if spec_matches(b, text, "", "", lexical_only=True):
                    second |= 1 << k
            found = self.masks[orth] = (first, second)
        return found

    def keys(self, orths: list[int], tags: list[int], deps: list[int]) -> list[tuple]:
        keys = list(zip(orths, tags, deps))
        if not self.pairs:
            return keys
        masks = [self.mask(o) for o in orths]
        for j in range(1, len(orths)):
            if not masks[j][1]:
                continue
            i = j - 1
            both = masks[i][0] & masks[j][1]
            k = 0
            while both:
                if both & 1:
                    first, second = self.pairs[k]
                    keys[i] += ("R", k, *self._reads(second, orths[j], tags[j], deps[j]))
                    keys[j] += ("L", k, *self._reads(first, orths[i], tags[i], deps[i]))
                both >>= 1
                k += 1
        return keys

    @staticmethod
    def _reads(spec: dict, orth: int, tag: int, dep: int) -> tuple:
        return tuple(tag if a == "TAG" else dep if a == "DEP" else orth for a in sorted(spec))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        array = doc.to_array([ORTH, TAG, DEP])
        orths, tags, deps = (array[:, c].tolist() for c in range(3))
        keys = self.keys(orths, tags, deps)
        table = self.table
        values = [table.get(k) for k in keys]
        missing = [i for i, v in enumerate(values) if v is None]
        if missing:
            if len(table) > MAX_KEYS:
                table.clear()
                self.masks.clear()
            self.compute(doc, missing, keys, values)
        doc.from_array([POS, LEMMA], numpy.array([(v[1], v[3]) for v in values], dtype="uint64"))
        for i, v in enumerate(values):  # the ruler also relabels whitespace: tag _SP, label "dep"
            if v[0] != tags[i]:
                doc[i].tag = v[0]
            if v[2] != deps[i]:
                doc[i].dep = v[2]
        return doc

    def compute(self, doc: Doc, missing: list[int], keys: list[tuple], values: list) -> None:
        """The real components on a document of windows (neighbour, token, neighbour), separated by a token
        no rule matches."""
        words, tags, deps, middle = [], [], [], []
        sep_text, sep_tag, sep_dep = SEPARATOR
        n = len(doc)
        for i in missing:
            for j in range(max(0, i - 1), min(n, i + 2)):
                if j == i:
                    middle.append(len(words))
                tok = doc[j]
                words.append(tok.text)
                tags.append(tok.tag)
                deps.append(tok.dep)
            words.append(sep_text)
            tags.append(self.sep[1])
            deps.append(self.sep[2])
        mini = Doc(self.vocab, words=words, spaces=[False] * len(words))
        for tok, tag, dep in zip(mini, tags, deps):
            tok.tag = tag
            tok.dep = dep
        mini = self.ruler(mini)
        lemmatizer = self.lemmatizer
        for i, m in zip(missing, middle):
            tok = mini[m]
            if lemmatizer.overwrite or tok.lemma == 0:  # what Lemmatizer.__call__ does, for the middle tokens only
                tok.lemma_ = lemmatizer.lemmatize(tok)[0]
            values[i] = self.table[keys[i]] = (tok.tag, tok.pos, tok.dep, tok.lemma)
