"""The `coop_quotes` component: direct quotations and who said them.

The speaker is the subject of the reporting verb next to the quotation ("said Xiang", "he said",
"Egorov Georgy told the Global Times"); a pronoun is the person last named before the quote.
`doc._.quotes` lists `Quote` records.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..document import Entity, Quote
from .knowledge import knowledge
from .text import document_text

PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u201e", "\u201d"))
# single curly quotes, told apart from apostrophes ("don’t") by what stands around them
SINGLE = re.compile(r"(?:^|(?<=[\s(\[\u2014\u2013-]))\u2018([^\u2018]{10,1500}?)\u2019(?=[\s,.;:!?)\]]|$)")
MIN_WORDS = 4  # shorter quoted text is a name or a scare quote, not speech
PRONOUNS = {"he", "she", "they", "we", "i"}

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


@Language.factory("coop_quotes")
def make_quotes(nlp: Language, name: str) -> "Quotes":
    return Quotes()


class Quotes:
    def __init__(self):
        self.reporting = set(knowledge().words["reporting_verbs"])
        self.actors = knowledge().actors

    def __call__(self, doc: Doc) -> Doc:
        quotes = []
        previous: tuple[Entity, int] | None = None  # the last attributed quote: (speaker, its end)
        text = document_text(doc)  # read once per document
        spans = quotation_spans(text)
        self.person_mentions = None  # (start, entity) of every person mention, sorted, built when first needed
        for start, end in spans:
            inner = text[start:end]
            trimmed = inner.rstrip(" ,")
            lead = len(inner) - len(inner.lstrip())
            if len(trimmed.split()) < MIN_WORDS:
                continue
            speaker = self.speaker(doc, start - 1, end + 1, previous[0] if previous else None)
            if speaker is None and previous is not None and continues(text, previous[1], start - 1):
                speaker = previous[0]  # '"...," said Song. "More of the same speech."', also in the next paragraph
            if speaker is None and opens_paragraph(text, start - 1):
                speaker = self.announced(doc, start - 1)  # '..., X told TASS.\n\n"The memorandum is ..."'
            if speaker is None and not self.attributed(doc, start - 1, end + 1):
                # 'Li also noted that ... . "Bringing together ..."': the one who spoke last in the paragraph
                speaker = self.recent_speaker(doc, text, start - 1, people_only=True)
            if speaker is None:
                continue
            previous = (speaker, end + 1)
            organization = speaker.organization or (speaker.name if speaker.type == "ORG" else None)
            quotes.append(Quote(speaker=speaker.name, role=speaker.role, organization=organization,
                                direct=True, text=trimmed[lead:], span=(start + lead, start + len(trimmed))))
        quotes += self.indirect(doc, [q.span for q in quotes] + spans, text)
        doc._.quotes = quotes
        return doc

    def indirect(self, doc: Doc, quoted: list[tuple[int, int]], text: str) -> list[Quote]:
        """Reported speech: "Sun noted that ..." gives the clause after "that", marked `direct: false`."""
        found = []
        for verb in doc:
            if verb.lemma_ not in self.reporting or verb.pos_ != "VERB":
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            clause = next((c for c in verb.children if c.dep_ == "ccomp"
                           and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)), None)
            if subject is None or clause is None:
                continue
            speaker = self.entity_in(doc, subject)
            if speaker is None or speaker.type != "PERSON":
                continue
            tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause)]
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            if any(a < end and start < b for a, b in quoted) or len(tokens) < MIN_WORDS:
                continue
            found.append(Quote(speaker=speaker.name, role=speaker.role, organization=speaker.organization,
                               direct=False, text=text[start:end], span=(start, end)))
        return found

    def announced(self, doc: Doc, open_char: int) -> Entity | None:
        """The speaker a paragraph announces in its last sentence, with no quotation of its own ("..., Professor
        X, an Iranian political scientist, told TASS."), for the quotation opening the next paragraph."""
        before = doc.char_span(max(0, open_char - 3), open_char, alignment_mode="expand")
        if before is None or before.start == 0:
            return None
        sent = doc[before.start - 1].sent
        if any(t.text in OPENING_MARKS for t in sent):
            return None
        for verb in (t for t in sent if t.lemma_ in self.reporting and t.pos_ in ("VERB", "AUX")):
            subject = subject_of(verb)
            found = self.entity_in(doc, subject) if subject is not None else None
            if found is not None:
                return found
        return None

    def speaker(self, doc: Doc, open_char: int, close_char: int, before: Entity | None = None) -> Entity | None:
        """Who said the quotation: the subject of a reporting verb around it; "it" is the organisation quoted
        `before`; a pronoun the person last named."""
        first = doc.char_span(open_char, open_char + 1, alignment_mode="expand")
        last = doc.char_span(close_char - 1, close_char, alignment_mode="expand")
        if first is None or last is None:
            return None
        region = doc[first.sent.start:last.sent.end]
        outside = [t for t in region if t.idx < open_char or t.idx >= close_char]
        verbs = [t for t in outside if t.lemma_ in self.reporting and t.pos_ in ("VERB", "AUX")]
        verbs.sort(key=lambda t: 0 if t.idx >= close_char else 1)  # attribution usually follows the quote
        for verb in verbs:
            subject = subject_of(verb)  # "Putin referred to the deal, saying: ...": the subject of "referred"
            if subject is None:
                continue
            found = self.entity_in(doc, subject)
            if found is not None:
                return found
            if subject.lower_ == "it" and before is not None and before.type == "ORG":
                return before  # '"...," the press service said. It added that "..."'
            if subject.lower_ == "it" or subject.lemma_.lower() in DOCUMENTS:
                # '..., the press service said. It added that "..."', 'the statement specified that "..."': the
                # organisation that spoke last
                found = self.recent_speaker(doc, document_text(doc), open_char, people_only=False, orgs_only=True)
                if found is not None:
                    return found
            if subject.lower_ in PRONOUNS:
                if self.person_mentions is None:
                    self.person_mentions = sorted((start, i) for i, e in enumerate(doc._.entities) if e.type == "PERSON"
                                                  for start, _ in e.mentions)
                return last_person_before(doc, open_char, self.person_mentions)
        for tok in outside:  # '"...," according to Li Ming.', 'According to the PBOC, the deal is to "..."'
            source = according_to(tok)
            found = self.entity_in(doc, source, any_role=True) if source is not None else None
            if found is not None:
                return found
        return None

    def attributed(self, doc: Doc, open_char: int, close_char: int) -> bool:
        """Whether the quotation's own sentences have a reporting verb or an "according to" outside it."""
        first = doc.char_span(open_char, open_char + 1, alignment_mode="expand")
        last = doc.char_span(close_char - 1, close_char, alignment_mode="expand")
        if first is None or last is None:
            return True
        return any((t.lemma_ in self.reporting and t.pos_ in ("VERB", "AUX")) or according_to(t) is not None
                   for t in doc[first.sent.start:last.sent.end] if t.idx < open_char or t.idx >= close_char)

    def recent_speaker(self, doc: Doc, text: str, open_char: int, people_only: bool,
                       orgs_only: bool = False) -> Entity | None:
        """The subject of the last reporting verb before the quotation, or the last "according to X": within its
        paragraph for a person, anywhere before for an organisation whose statement is quoted."""
        paragraph_start = text.rfind("\n\n", 0, open_char) + 2 if "\n\n" in text[:open_char] else 0
        start = paragraph_start if people_only else 0
        here = doc.char_span(open_char, open_char + 1, alignment_mode="expand")
        if here is None:
            return None
        for tok in reversed(doc[:here.start]):
            if tok.idx < start:
                break
            if tok.idx >= open_char:
                continue
            subject = subject_of(tok) if tok.lemma_ in self.reporting and tok.pos_ in ("VERB", "AUX") else None
            found = self.entity_in(doc, subject) if subject is not None else None
            if found is None and according_to(tok) is not None:
                found = self.entity_in(doc, according_to(tok), any_role=True)
            if found is not None and (not people_only or found.type == "PERSON") \
                    and (not orgs_only or found.type == "ORG"):
                return found
        return None

    def entity_in(self, doc: Doc, subject: Token, any_role: bool = False) -> Entity | None:
        """The person named in the subject, else an organisation speaking as one ("the ministry said"; any
        organisation named after "according to")."""
        found = [doc._.entities[i] for i in (doc._.entity_at.get(t.i) for t in [subject, *subject.subtree])
                 if i is not None]
        people = [e for e in found if e.type == "PERSON"]
        orgs = [e for e in found if e.type == "ORG" and not (any_role and self.media(e))]
        return people[0] if people else (orgs[0] if orgs and (any_role or subject.dep_ == "nsubj") else None)

    def media(self, entity: Entity) -> bool:
        """A news outlet ("according to Interfax") passes on what others said; it is no speaker."""
        actor = self.actors.get(entity.canonical or entity.name)
        return actor is not None and actor.category == "media"


OPENING_MARKS = {'"', "\u201c", "\u00ab", "\u201e"}
# what an organisation speaks through: "the statement specified that ...", "the report says"
DOCUMENTS = {"statement", "report", "notice", "release", "communique", "communiqué", "announcement", "filing",
             "document", "readout"}


def according_to(tok: Token) -> Token | None:
    """The source named by "according to X" starting at `tok`: the object of "to"."""
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].lower_ != "to":
        return None
    to = tok.doc[tok.i + 1]
    return next((c for c in to.children if c.dep_ == "pobj"), tok.doc[tok.i + 2] if tok.i + 2 < len(tok.doc) else None)


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or for a participle or infinitive without one the subject of the verb it hangs from
    ("Putin referred to the deal, saying: ...")."""
    for tok in (verb, verb.head):
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or tok.dep_ not in ("advcl", "xcomp", "conj"):
            return subject
    return None


def opens_paragraph(text: str, mark: int) -> bool:
    return mark == 0 or text[max(0, mark - 2):mark] == "\n\n"


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of the text inside each pair of quotation marks, paragraph by paragraph."""
    spans = []
    offset = 0
    for paragraph in text.split("\n\n"):
        for left, right in PAIRS:
            for m in re.finditer(re.escape(left) + r"([^" + left + right + r"]{1,3000}?)" + re.escape(right), paragraph):
                spans.append((offset + m.start(1), offset + m.end(1)))
        for m in SINGLE.finditer(paragraph):
            spans.append((offset + m.start(1), offset + m.end(1)))
        positions = [m.start() for m in re.finditer('"', paragraph)]
        if len(positions) % 2 == 0:
            for a, b in zip(positions[::2], positions[1::2]):
                spans.append((offset + a + 1, offset + b))
        offset += len(paragraph) + 2
    spans = sorted(set(spans))
    # a span inside another is dropped: in order of start (longest first), one ending no earlier than the furthest
    # end so far lies inside an earlier span
    inner, furthest = set(), -1
    for s in sorted(spans, key=lambda s: (s[0], -s[1])):
        if s[1] <= furthest:
            inner.add(s)
        furthest = max(furthest, s[1])
    return [s for s in spans if s not in inner]


def continues(text: str, previous_end: int, start: int) -> bool:
    """Whether only the previous quote's attribution ("said X.") stands between it and this quote: in one
    paragraph, or ending that paragraph when this quote opens the next (a speech told over paragraphs)."""
    between = text[previous_end:start]
    if "\n\n" in between and not (between.count("\n\n") == 1 and between.endswith("\n\n")):
        return False
    return len(between) < 160 and between.count('"') + between.count("\u201c") == 0 \
        and bool(re.search(r"[.!?]\s*$", between))


def last_person_before(doc: Doc, char: int, mentions: list[tuple[int, int]] | None = None) -> Entity | None:
    """The person whose mention starts last before `char` (the first listed of two starting there).
    `mentions`: (start, entity index) of every person mention, sorted, when the caller has them."""
    if mentions is not None:
        k = bisect_left(mentions, (char, -1)) - 1
        if k < 0 or mentions[k][0] < 0:
            return None
        while k > 0 and mentions[k - 1][0] == mentions[k][0]:
            k -= 1
        return doc._.entities[mentions[k][1]]
    best, best_start = None, -1
    for ent in doc._.entities:
        if ent.type != "PERSON":
            continue
        for start, _ in ent.mentions:
            if best_start < start < char:
                best, best_start = ent, start
    return best
