"""The `coop_quantities` component: counted and measured figures with value, unit, what they measure and
how exact they are. Years, dates, ordinals, identifiers ("unit 7") and numbers inside names are not figures.

`doc._.quantities` lists `Quantity` records (the contract's `quantities`).
"""
from __future__ import annotations

import re
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..data import load_toml
from ..document import Quantity

NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
# a number with its scale glued on: "7.5bn", "300mn" (the scale words themselves are data: [scales])
SCALED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$", re.IGNORECASE)
UNITS_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
               "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90}
WORD_NUMBERS = {**{w: n for n, w in enumerate(UNITS_WORDS)}, **TENS_WORDS, "a": 1, "half": 0.5}
# Spelled-out counts count things ("four nuclear power units", "two more reactors"), but "one" mostly does not
# ("one of"), nor "zero", nor a definite "the two" (a pair already named: "the two companies", "their two sons").
COUNTED_WORDS = set(UNITS_WORDS[2:]) | set(TENS_WORDS)
DEFINITE = {"the", "these", "those", "both", "its", "their", "our", "his", "her", "all"}
# A duration counts too ("it took 22 months"), unless it places the event in time ("two years ago", "in 2 years")
DURATION_UNITS = {"years", "months", "weeks", "days"}
TIME_POINT_AFTER = {"ago", "later", "earlier", "old", "before", "after", "from"}
TIME_POINT_BEFORE = {"in", "within", "after", "past", "last", "next", "coming", "first", "recent"}
NOT_COUNTED = {"country", "countries", "side", "sides", "nation", "nations", "leader", "leaders", "party",
               "parties", "time", "times", "year", "years", "month", "months", "week", "weeks", "day", "days",
               "decade", "decades", "hour", "hours", "minute", "minutes", "president", "presidents", "head", "heads"}
YEAR = re.compile(r"^(?:19|20)\d\d$")
NOT_FIGURE_ENTS = {"DATE", "TIME", "ORDINAL", "ORG", "PRODUCT", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PERSON",
                   "GPE", "LOC", "NORP"}
RANGE_JOIN = {"-", "–", "—", "to"}
COUNT_VERBS = {"exceed", "reach", "total", "hit", "surpass", "top", "amount", "stand", "rise", "grow", "increase",
               "climb", "jump", "fall", "drop", "decline", "pass"}

if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=None)


@Language.factory("coop_quantities")
def make_quantities(nlp: Language, name: str) -> "Quantities":
    return Quantities()


class Quantities:
    def __init__(self):
        conf = load_toml("quantities.toml")
        # Decimal arithmetic, so "4.1 billion" is 4100000000 and not 4099999999.9999995
        self.scales = {k.lower(): Decimal(str(v)) for k, v in conf["scales"].items()}
        self.qualifiers = sorted(((p.lower().split(), q) for q, ps in conf["qualifiers"].items() for p in ps),
                                 key=lambda pq: -len(pq[0]))
        self.units = sorted(((s.split(), unit) for unit, spellings in conf["units"].items() for s in spellings),
                            key=lambda su: -len(su[0]))
        self.units_by_first: dict[str, list[tuple[list[str], str]]] = {}  # the same order, by lower-case first word
        for words, unit in self.units:
            self.units_by_first.setdefault(words[0].lower(), []).append(([w.lower() for w in words], unit))
        self.currency = conf["currency_symbols"]
        # a symbol shared by currencies ("¥": yuan or yen) read by the words around it
        self.currency_context = {symbol: [(code, {w.lower() for w in words}) for code, words in by_code.items()]
                                 for symbol, by_code in conf.get("currency_context", {}).items()}
        self.identifiers = set(conf["identifiers"]["before"])
        self.generic = set(conf["generic_units"])

    def __call__(self, doc: Doc) -> Doc:
        figures = []
        used: set[int] = set()
        for tok in doc:
            if tok.i in used or not self.is_number(tok):
                continue
            figure = self.read(doc, tok, used)
            if figure is not None:
                figures.append(figure)
        doc._.quantities = figures
        return doc

    def is_number(self, tok: Token) -> bool:
        if NUMBER.match(tok.text) or self.scaled(tok.text) is not None:
            return True
        doc = tok.doc
        if tok.lower_ in COUNTED_WORDS and tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" \
                and tok.head.lower_ not in NOT_COUNTED \
                and not (tok.lower_ == "two" and tok.i > 0 and doc[tok.i - 1].lower_ in DEFINITE) \
                and not self.compound_tail(tok) \
                and not any(NUMBER.match(t.text) for t in doc[tok.i + 1:tok.head.i]):
            return True  # but in "two 660-megawatt units" the figure is the 660
        if tok.lower_ in TENS_WORDS and self.compound_tail(doc[tok.i + 2] if tok.i + 2 < len(doc) else tok):
            return True  # "twenty-one agreements"
        if tok.lower_ == "half" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "a" \
                and doc[tok.i + 2].lower_ in self.scales:
            return True  # "half a billion dollars"
        return tok.lower_ in WORD_NUMBERS and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in self.scales \
            and not (tok.lower_ == "a" and tok.i > 0 and doc[tok.i - 1].lower_ == "half")

    def scaled(self, text: str) -> Decimal | None:
        """"7.5bn" as 7500000000, when its ending is a scale word."""
        m = SCALED.match(text)
        if m is None or m.group(2).lower() not in self.scales:
            return None
        return Decimal(m.group(1)) * self.scales[m.group(2).lower()]

    @staticmethod
    def compound_tail(tok: Token) -> bool:
        """The "one" of "twenty-one": a units word hyphenated to a tens word before it."""
        doc = tok.doc
        return tok.i > 1 and tok.lower_ in UNITS_WORDS[1:10] and doc[tok.i - 1].text == "-" \
            and doc[tok.i - 2].lower_ in TENS_WORDS and doc[tok.i - 2].whitespace_ == "" \
            and doc[tok.i - 1].whitespace_ == ""

    def read(self, doc: Doc, tok: Token, used: set[int]) -> Quantity | None:
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if tok.ent_type_ in NOT_FIGURE_ENTS and not (prev is not None and prev.text in self.currency) \
                and not self.duration(doc, tok):
            return None  # a name, a date, an ordinal; but "USD 128.5" (tagged a product) is money
        start = tok.i
        end = tok.i + 1
        if NUMBER.match(tok.text):
            value = Decimal(tok.text.replace(",", ""))
        elif self.scaled(tok.text) is not None:
            value = self.scaled(tok.text)
        elif tok.lower_ == "half" and doc[tok.i + 1].lower_ == "a":
            value, end = Decimal("0.5"), end + 1  # "half a billion"
        else:
            value = Decimal(str(WORD_NUMBERS[tok.lower_]))
            if tok.lower_ in TENS_WORDS and end + 1 < len(doc) and self.compound_tail(doc[end + 1]):
                value, end = value + WORD_NUMBERS[doc[end + 1].lower_], end + 2  # "twenty-one"
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in self.scales \
                and doc[end - 1].whitespace_ == "" and doc[end].whitespace_ == "":
            end += 1  # "a 70-billion-yuan swap"
        if end < len(doc) and doc[end].lower_ in self.scales:
            value *= self.scales[doc[end].lower_]
            end += 1
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end - 1].whitespace_ == "" \
                and doc[end].whitespace_ == "" and self.unit_after(doc, end + 1)[0] is not None \
                and not NUMBER.match(doc[end + 1].text):
            end += 1  # "-yuan": the unit glued by a hyphen
        unit = None
        if prev is not None and prev.text in self.currency:
            unit = self.currency_in_context(doc, prev)
            start -= 1
        elif prev is not None and prev.i > 0 and prev.text == "$" and doc[prev.i - 1].text in ("US", "U.S."):
            unit, start = "USD", start - 2
        if prev is not None and unit is None and (prev.lower_ in self.identifiers or (
                prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.whitespace_ == "" and prev.i + 1 == tok.i
                and prev.ent_type_ in ("ORG", "PRODUCT", "FAC", "EVENT", "GPE", ""))):
            return None  # "unit 7", "Moskvich 3", "Power of Siberia 2": identifiers, not amounts
        value_max = None
        if end + 1 < len(doc) and doc[end].text in RANGE_JOIN and NUMBER.match(doc[end + 1].text):
            value_max = Decimal(doc[end + 1].text.replace(",", ""))
            if end + 2 < len(doc) and doc[end + 2].lower_ in self.scales:
                value_max *= self.scales[doc[end + 2].lower_]
                end += 1
            end += 2
        matched_unit, unit_end = self.unit_after(doc, end)
        measured = unit is not None or matched_unit is not None  # money or a unit of measure, not a count
        if matched_unit:
            unit = unit or matched_unit
            if matched_unit in ("billion cubic metres",):
                value *= Decimal(10) ** 9
                unit = "cubic metres"
        if YEAR.match(tok.text) and unit is None and tok.i + 1 == end and not self.counts_something(tok):
            return None
        last = doc[end - 1] if value_max is None else tok  # "3.8 million people": "million" carries the parse
        head_noun = self.head_noun(doc, last, unit_end)
        if unit is None and head_noun is not None:
            unit = " ".join(t.text for t in head_noun.lefts if t.dep_ == "compound" and t.i > tok.i) + \
                (" " if any(t.dep_ == "compound" and t.i > tok.i for t in head_noun.lefts) else "") + head_noun.text
        if unit is None and last.head.lemma_ in COUNT_VERBS:
            unit = counted_noun(last.head)  # "the number of activities ... has exceeded 1,000"
        if unit is None and last.head.lemma_ not in COUNT_VERBS and last.dep_ not in ("dobj", "pobj", "attr", "nsubj"):
            return None  # a bare number that counts nothing we can name
        qualifier, q_start = self.qualifier(doc, start, last)
        if head_noun is not None and any(t.text in "()[]" for t in doc[end:head_noun.i]):
            head_noun = None  # "$3.2 billion (2.8 billion euro) railway project": the aside is a figure of its own
        stop = max(unit_end, head_noun.i + 1 if head_noun is not None and head_noun.i >= end else end)
        span_start = doc[q_start].idx
        span_end = doc[stop - 1].idx + len(doc[stop - 1].text)
        used.update(range(start, stop))
        measure = self.measure(doc, last, None if measured else head_noun, unit, start, unit_end)
        return Quantity(value=exact(value), unit=unit, measure=measure, qualifier=qualifier,
                        text=doc[q_start:stop].text, span=(span_start, span_end),
                        value_max=exact(value_max) if value_max is not None else None)

    def currency_in_context(self, doc: Doc, symbol: Token) -> str:
        """The currency a symbol stands for: for one several currencies share ("¥"), the one whose words
        (data/quantities.toml [currency_context]) its sentence uses, else the one its article alone points to;
        else the symbol's usual currency."""
        choices = self.currency_context.get(symbol.text)
        if choices:
            sentence = {t.lower_ for t in symbol.sent} if doc.has_annotation("SENT_START") else set()
            said = [code for code, hints in choices if sentence & hints]
            if not said:  # the article decides only when it points one way
                article = {t.lower_ for t in doc}
                said = [code for code, hints in choices if article & hints]
                said = said if len(said) == 1 else []
            if said:
                return said[0]
        return self.currency[symbol.text]

    def unit_after(self, doc: Doc, i: int) -> tuple[str | None, int]:
        if i >= len(doc):
            return None, i
        for words, unit in self.units_by_first.get(doc[i].lower_, ()):  # only units starting with this word
            n = len(words)
            if i + n <= len(doc) and [t.lower_ for t in doc[i:i + n]] == words:
                return unit, i + n
        return None, i

    @staticmethod
    def duration(doc: Doc, tok: Token) -> bool:
        """"It took 22 months", "a contract for about 13 years": how long, not when."""
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if after is None or after.lower_ not in DURATION_UNITS or not NUMBER.match(tok.text):
            return False
        following = doc[tok.i + 2].lower_ if tok.i + 2 < len(doc) else ""
        before = [t.lower_ for t in doc[max(0, tok.i - 3):tok.i]]
        return following not in TIME_POINT_AFTER and not TIME_POINT_BEFORE & set(before) \
            and not (before and before[-1] in ("the", "these", "those"))

    def counts_something(self, tok: Token) -> bool:
        """A four-digit number that is a count ("2020 vehicles"), not a year."""
        return tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" and tok.head.i > tok.i and tok.ent_type_ != "DATE"

    def head_noun(self, doc: Doc, tok: Token, after: int) -> Token | None:
        head = tok.head
        if tok.dep_ in ("nummod", "quantmod", "compound") and head.pos_ in ("NOUN", "PROPN") and head.i > tok.i:
            while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ == "NOUN":
                head = head.head
            return head if head.i >= after or head.i > tok.i else None
        return None

    def qualifier(self, doc: Doc, start: int, tok: Token) -> tuple[str, int]:
        for words, qualifier in self.qualifiers:
            n = len(words)
            if start - n >= 0 and [t.lower_ for t in doc[start - n:start]] == words:
                return qualifier, start - n
        for ancestor in (tok.head,):
            if ancestor.lemma_ in ("exceed", "surpass", "top") and ancestor.i < tok.i and tok.i - ancestor.i <= 2:
                return "more_than", ancestor.i
        return "exact", start

    def measure(self, doc: Doc, tok: Token, head_noun: Token | None, unit: str | None, start: int,
                unit_end: int) -> str | None:
        """What the figure counts: its noun phrase ("57 common projects"), or for a measure or money the noun
        it belongs to ("capacity of 1,200 megawatts"), what it is of ("38 billion cubic metres of gas"), or
        the subject of its verb ("the contract was worth $400 billion")."""
        noun = head_noun
        bare = noun is not None and noun.text in self.generic and \
            not any(c.dep_ in ("compound", "amod") for c in noun.children)  # "units", not "power units"
        if noun is None or bare or unit in self.generic:
            anchor = doc[unit_end - 1] if unit_end > tok.i + 1 else (noun or tok)
            phrase_tokens = range(start, unit_end)
            while anchor.head.i in phrase_tokens and anchor.head is not anchor:
                anchor = anchor.head  # up to the head of "$ 400 billion"
            owner = anchor.head
            if owner.dep_ == "prep" and owner.lower_ == "of" and owner.head.pos_ == "NOUN":
                return phrase(doc, owner.head, skip=tok, complement=False)
            of = next((c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if of is not None:
                return " ".join(t.text for t in of.subtree if t.dep_ != "det" and t.i != of.i)
            verb = anchor.head
            while verb.pos_ == "ADP" and verb.head.i != verb.i:  # "grow by 10 billion", "put at 2.2 million"
                verb = verb.head
            if verb.pos_ not in ("VERB", "AUX", "ADJ"):
                verb = tok.head
            for holder in (verb, verb.head):  # "the contract was worth $400 billion": worth -> was -> contract
                subject = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
                    return f"{phrase(doc, subject)} {verb.text}"
        if noun is None:
            return None
        text = phrase(doc, noun, skip=tok)
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass", "pobj") and noun.head.pos_ == "VERB" else None
        return f"{text} {verb.text}" if verb is not None and verb.i < noun.i else text


def exact(value: Decimal) -> float | int:
    """A figure's value as JSON will hold it: an int when whole (4100000000), else the nearest float to the
    decimal value (0.35), never the noise of binary arithmetic."""
    return int(value) if value == value.to_integral_value() else float(value)


def counted_noun(verb: Token) -> str | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lemma_ not in ("number", "amount", "total", "count", "volume"):
        return None
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return counted.text if counted is not None else None


def phrase(doc: Doc, noun: Token, skip: Token | None = None, complement: bool = True) -> str:
    """A noun with its modifiers and "of" complements, without determiners, asides in brackets and the
    figure itself, as the text reads."""
    left = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod", "poss")
            and (skip is None or t.i > skip.i or noun.i < skip.i)]
    start = min([t.left_edge.i for t in left] + [noun.i])
    if skip is not None and start <= skip.i < noun.i:
        start = skip.i + 1
    end = noun.i + 1
    for child in (noun.rights if complement else ()):
        if child.dep_ == "prep" and child.lower_ == "of":
            end = child.right_edge.i + 1
            break
    words = [t for t in doc[start:end] if not (t.dep_ == "det" or (t.is_punct and t.text not in "-/&")
                                                or t.dep_ == "appos" or t.tag_ == "PRP$"
                                                or any(a.dep_ == "appos" and a.i > noun.i for a in t.ancestors))
             and (skip is None or t.i != skip.i)]
    return "".join(t.text_with_ws for t in words).strip().lstrip("-/& ")
