"""The `coop_events` component: cooperation events, one per action type in a sentence.

A sentence holds an event when (1) a trigger from `event_types.toml` fires: a verb with a fitting
object or subject, or a noun with a fitting modifier; and (2) it is cooperation: two sides take part
(sources of reported speech and news outlets do not count), or the sentence speaks of both sides
("jointly", "the two countries"), or one side acts in a paragraph that names the other.
`doc._.events` lists `Event` records.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..data import load_toml
from ..document import DateValue, Entity, Event
from .knowledge import knowledge
from .sectors import SectorMatcher
from .text import document_text

ARG_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "pobj", "obj", "dative", "xcomp", "ccomp", "npadvmod", "acomp"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "going"}
INTENTION = {"expect", "hope", "want", "plan", "intend", "aim", "seek", "prepare", "propose", "consider", "negotiate"}
PRIORITY = ["agreement", "funding", "research", "launch", "meeting", "supply", "trade", "pledge"]
BOTH_SIDES = re.compile(r"\b(?:(?:both|the two)\s+(?:\w+\s+)?(?:countries|sides|side|nations|governments|agencies|"
                        r"foundations|funds|companies|firms|corporations|leaders|presidents|heads of state|ministries|"
                        r"universities|academies|institutes|parties|states|partners|neighbors|neighbours)|"
                        r"bilateral|jointly|joint|mutual|each other)\b", re.IGNORECASE)
STARTING = {"begin", "start", "commence", "open", "resume", "restart", "launch", "kick"}
SOURCE_CUES = re.compile(r"\b(?:according to|citing|cited by|quoted by|told|reported by)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class EventType:
    name: str
    plover: str
    verbs: frozenset
    verbs_alone: frozenset
    verb_objects: frozenset
    subjects: frozenset
    subject_verbs: frozenset
    noun_phrases: frozenset  # (noun, head-of-phrase) lemma pairs, from "modifier noun" entries
    nouns: frozenset
    noun_modifiers: frozenset
    future_only: frozenset
    first_verbs: frozenset
    status: str | None


if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)


@Language.factory("coop_events")
def make_events(nlp: Language, name: str) -> "Events":
    return Events()


class Events:
    def __init__(self):
        config = load_toml("event_types.toml")
        conf = config["types"]
        self.continuations = frozenset(config.get("continuation", {}).get("verbs", []))
        self.types = {}
        for name in PRIORITY:
            c = conf[name]
            self.types[name] = EventType(
                name, c["plover"], frozenset(c.get("verbs", [])), frozenset(c.get("verbs_alone", [])),
                frozenset(c.get("verb_objects", [])), frozenset(c.get("subjects", [])),
                frozenset(c.get("subject_verbs", [])),
                frozenset(tuple(p.split()[-2:]) for p in c.get("noun_phrases", [])), frozenset(c.get("nouns", [])),
                frozenset(c.get("noun_modifiers", [])), frozenset(c.get("future_only", [])),
                frozenset(c.get("first_verbs", [])), c.get("status"))
        self.k = knowledge()
        self.reporting = set(self.k.words["reporting_verbs"])
        self.sectors = SectorMatcher()
        # every word that can start a trigger, so that most tokens are passed over at once
        self.trigger_words = set().union(*(t.verbs | t.nouns | t.first_verbs | {p[0] for p in t.noun_phrases}
                                           for t in self.types.values()))

    def __call__(self, doc: Doc) -> Doc:
        focal = focal_sides(doc, doc._.entities, self.k)
        sources = self.source_tokens(doc)
        sents = list(doc.sents)
        sides_of = {sent.start: self.sides(doc, sent, sources, focal) for sent in sents}
        ents_of = entities_by_sentence(doc.ents, sents)  # Span.ents would read every entity of the document
        sectors_of = {sent.start: self.sectors.of_span(sent, ents_of[sent.start]) for sent in sents}
        article_sectors = [s for s, _ in Counter(x for v in sectors_of.values() for x in v).most_common()]
        events = []
        paragraphs = paragraph_groups(doc, sents)
        # the sides the lead names: what an article about both sides speaks of when a sentence names none
        lead_sides = list(dict.fromkeys(c for sent in paragraphs[0] for c in sides_of[sent.start])) if paragraphs else []
        for paragraph in paragraphs:
            para_sides: list[str] = []
            for sent in paragraph:
                para_sides += [c for c in sides_of[sent.start] if c not in para_sides]
            previous_sectors: list[str] = []
            for sent in paragraph:
                sectors = sectors_of[sent.start]
                found = self.triggers(sent)
                sides = sides_of[sent.start]
                cross_border = any(name in ("supply", "trade") for name, _ in found)
                countries = self.cooperation(sent, sides, para_sides, focal, cross_border, lead_sides) if found else None
                if countries is not None:
                    # a sentence naming no sector continues the paragraph's topic, if that is one of the article's
                    topical = [s for s in previous_sectors if s in article_sectors[:3]]
                    event_sectors = sectors or topical or article_sectors[:1]
                    for type_name, trigger in found:
                        if type_name == "meeting" and self.mentioned_again(trigger, events):
                            continue
                        events.append(self.event(doc, sent, type_name, trigger, countries, event_sectors, sides,
                                                 sources))
                previous_sectors = sectors or previous_sectors  # a sentence naming no sector continues the last
        doc._.events = events
        return doc

    def mentioned_again(self, trigger: Token, events: list[Event]) -> bool:
        """"At Friday's closing ceremony, ..." after "... concluded on Friday with a closing ceremony": a meeting
        noun dated to the day of an earlier meeting with the same noun is that meeting again."""
        if trigger.pos_ != "NOUN":
            return False
        date = self.date_of(trigger.doc, trigger.sent, trigger)
        if date is None or date.precision != "day":
            return False
        return any(e.type == "meeting" and e.date is not None and e.date.value == date.value
                   and e.trigger.lower() == trigger.lower_ for e in events)

    # -- triggers ----------------------------------------------------------------------------
    def triggers(self, sent: Span) -> list[tuple[str, Token]]:
        """(type, trigger token) pairs, a token serving one type only. A type fires once per sentence, unless
        another clause reports another action of that type with a date of its own ("X was signed in March
        2019, and Y in June 2019")."""
        chosen: list[tuple[str, Token]] = []
        for tok in sent:
            if tok.lemma_.lower() not in self.trigger_words and tok.lower_ not in self.trigger_words:
                continue
            name = next((n for n in PRIORITY if self.fires(self.types[n], tok)), None)
            if name is None:
                continue
            same = [t for n, t in chosen if n == name]
            if not same or all(self.separate_action(t, tok) for t in same):
                chosen.append((name, tok))
        chosen = sorted(chosen + self.continued(sent, chosen), key=lambda pair: pair[1].i)  # in reading order
        # what an agreement or pledge is about is its content, not another event:
        # "signed a contract for gas supplies", "pledged to buy 3 million tonnes"
        content = {c.i for n, t in chosen if n in ("agreement", "pledge") for c in frame_content(t)}
        return [(n, t) for n, t in chosen if n in ("agreement", "pledge") or t.i not in content]

    def continued(self, sent: Span, chosen: list[tuple[str, Token]]) -> list[tuple[str, Token]]:
        """"X began in July 2021, Y followed in February 2022": a continuation verb with a subject of its own
        next to a trigger (head, child or sibling clause) repeats that trigger's type, when its date differs."""
        out = []
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.continuations \
                    or not any(c.dep_ == "nsubj" for c in tok.children):
                continue
            linked = [(n, t) for n, t in chosen if t.i < tok.i and self._clause_of(t) is not None
                      and (self._clause_of(t).head == tok or tok.head == self._clause_of(t)
                           or (tok.head == self._clause_of(t).head and tok.dep_ == "conj"))]
            if linked and self.separate_action(linked[-1][1], tok):
                out.append((linked[-1][0], tok))
        return out

    @staticmethod
    def _clause_of(trigger: Token) -> Token | None:
        return trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)

    def separate_action(self, first: Token, second: Token) -> bool:
        """Two triggers of one type report two actions when each clause has a date of its own."""
        def own_dates(trigger: Token) -> set[str]:
            verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
            if verb is None:
                return set()
            return {d._.date.value for d in trigger.doc._.dates if getattr(governing_verb(d.root), "i", None) == verb.i}

        mine, theirs = own_dates(second), own_dates(first)
        return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)

    def fires(self, t: EventType, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in t.first_verbs:  # "shipped its first cargo"
            if any(c.dep_ == "dobj" and any(m.lower_ == "first" for m in c.children) for c in tok.children):
                return True
        if tok.pos_ in ("VERB", "AUX") and lemma in t.verbs:
            if lemma in t.future_only and not self.intended(tok):
                return False
            if lemma in t.subject_verbs:
                return bool(self.arguments(tok) & t.verb_objects) and self.subject_has(tok, t.subjects)
            if lemma in t.verbs_alone or not t.verb_objects:
                return True
            if self.arguments(tok) & t.verb_objects:
                return True
            return bool(t.subjects) and self.subject_has(tok, t.subjects)
        if tok.pos_ == "NOUN" and (lemma in t.nouns or tok.lower_ in t.nouns):  # not "the Eastern Economic Forum"
            if not t.noun_modifiers or self.context_words(tok) & t.noun_modifiers:
                return True
        if tok.pos_ in ("NOUN", "ADJ") and (lemma, tok.head.lemma_) in t.noun_phrases:
            return True  # "final investment decision", "in commercial operation since 2007"
        if tok.pos_ == "NOUN" and lemma in t.verbs and t.verb_objects and tok.dep_ != "compound":
            # a nominalised action: "the start of construction", "the signing of an agreement"
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            objects = {c.lemma_.lower() for c in of.children if c.dep_ == "pobj"} if of is not None else set()
            return bool(objects & t.verb_objects)
        return False

    def arguments(self, verb: Token) -> set[str]:
        """Lemmas of what the verb acts on, through particles, prepositions, xcomps and conjunctions."""
        out: set[str] = set()
        heads = [verb] + [c for c in verb.children if c.dep_ == "xcomp"]
        args = [c for h in heads for c in h.children if c.dep_ in ARG_DEPS]
        for prep in (c for h in heads for c in h.children
                     if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in ("into", "in", "to", "on", "for", "out"))):
            args += [c for c in prep.children if c.dep_ in ("pobj", "dobj")]
        if verb.lemma_ in STARTING and not any(c.dep_ == "dobj" for c in verb.children):
            args += [c for c in verb.children if c.dep_ == "nsubj"]  # "work began", "construction started"
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            args.append(verb.head)  # "the Center, launched on June 29 by ..."
        if verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in verb.children):
            args += [c for c in verb.head.children if c.dep_ in ("attr", "nsubj", "dobj")]  # "was X, launched in ..."
        # "X and Y", "gas field", "CRAIC, a joint venture of ..."
        args += [c for a in args for c in a.children if c.dep_ in ("conj", "compound", "appos")]
        for tok in args:
            if tok.pos_ in ("NOUN", "PROPN", "VERB"):
                out.update((tok.lemma_.lower(), tok.lower_))
        return out

    def subject_has(self, verb: Token, words: frozenset) -> bool:
        heads = [verb] + [a for a in verb.ancestors if a.dep_ in ("xcomp", "conj", "ccomp")][:2]
        for head in heads:
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass", "agent"):
                    if any(t.lemma_.lower() in words or t.lower_ in words for t in child.subtree):
                        return True
        return False

    def intended(self, verb: Token) -> bool:
        """Whether the verb states an intention: "will deepen", "vowed to make", "plan to build"."""
        for tok in [verb, *list(verb.ancestors)[:3]]:
            if any(c.lower_ in FUTURE_AUX and c.dep_ in ("aux", "auxpass") for c in tok.children):
                return True
            if tok.i != verb.i and (tok.lemma_ in self.types["pledge"].verbs_alone or tok.lemma_ in INTENTION):
                return True
            if tok.dep_ not in ("xcomp", "conj", "ccomp", "advcl"):
                break
        return False

    def context_words(self, noun: Token) -> set[str]:
        """Words bound to a trigger noun: its modifiers and what governs it ("main provider", "at a ceremony")."""
        if noun.dep_ == "compound":  # "sales manager" is a manager, not sales
            return set()
        words = {c.lower_ for c in noun.children} | {c.lemma_.lower() for c in noun.children}
        return words | {noun.head.lower_, noun.head.lemma_.lower()}

    # -- who takes part ----------------------------------------------------------------------
    def source_tokens(self, doc: Doc) -> set[int]:
        """Tokens naming who reports or says something, and outlets: sources, not participants."""
        out: set[int] = set()
        for tok in doc:
            if tok.lemma_ in self.reporting and tok.pos_ in ("VERB", "AUX") and reports_speech(tok):
                for child in tok.children:
                    if child.dep_ in ("nsubj", "dobj", "dative", "agent") or (child.dep_ == "prep" and child.lower_ in ("to", "at")):
                        out.update(t.i for t in child.subtree if not (t.idx > child.idx and t.dep_ == "relcl"))
        text = document_text(doc)  # Doc.text is rebuilt on every access
        for ent in doc.ents:
            before = text[max(0, ent.start_char - 20):ent.start_char]
            actor = ent._.actor
            if SOURCE_CUES.search(before) or (actor is not None and actor.category == "media"):
                out.update(range(ent.start, ent.end))
        return out

    def sides(self, doc: Doc, sent: Span, sources: set[int], focal: list[str] = ()) -> list[str]:
        """Country sides taking part in the sentence, in order of appearance."""
        found: list[str] = []
        entity_at, entities = doc._.entity_at, doc._.entities  # `doc._` builds an object on every access
        for tok in sent:
            if tok.i in sources or tok.ent_type_ in ("MONEY", "QUANTITY", "PERCENT", "CARDINAL"):
                continue  # "500 million U.S. dollars" names a currency, not a side
            country = None
            index = entity_at.get(tok.i)
            if index is not None:
                ent = entities[index]
                first = tok.i == 0 or entity_at.get(tok.i - 1) != index
                if ent.type in ("GPE", "ORG", "PERSON", "FAC", "LOC") and first and ent.country:
                    country = ent.country
                elif tok.text[:1].isupper() and hyphen_paired(tok):  # "China-Russia Years of ...": both sides
                    country = self.k.country_names.get(tok.text) or self.k.adjectives.get(tok.text)
            elif tok.ent_type_ == "NORP" or (tok.pos_ in ("ADJ", "PROPN") and tok.text[:1].isupper()):
                country = self.k.adjectives.get(tok.text) or self.k.adjectives.get(tok.text.split("-")[0])
                if country is None and hyphen_paired(tok):  # "The China-Russia Years of ..." as no entity of ours
                    country = self.k.country_names.get(tok.text)
                if country and "-" in tok.text:  # "Russian-Chinese", "China-Russia"
                    second = self.k.country_of(tok.text.split("-")[-1])
                    if second and second not in found:
                        found.append(country) if country not in found else None
                        country = second
            if country and country not in found and (country in focal or participant(tok)):
                found.append(country)
        return found

    def cooperation(self, sent: Span, sides: list[str], para_sides: list[str], focal: list[str],
                    cross_border: bool = False, lead_sides: list[str] = ()) -> list[str] | None:
        """The sides of a cooperation event in this sentence, or None if it is not one."""
        if len(sides) >= 2:
            return sides
        if BOTH_SIDES.search(sent.text) and len(focal) == 2 and (not sides or sides[0] in focal):
            return sides + [c for c in focal if c not in sides]
        if not sides and len(focal) == 2 and set(focal) <= set(para_sides):
            return list(focal)  # "agreements had been signed ..." in a paragraph about both sides
        if not sides and len(focal) == 2 and set(focal) <= set(lead_sides) \
                and not any(t.text in QUOTE_MARKS for t in sent):
            return list(focal)  # ... or in an article about both sides, unless someone's words say it
        if len(sides) == 1:
            others = [c for c in para_sides if c != sides[0]]
            partner = next((c for c in focal if c in others), None) or (others[0] if others else None)
            if partner is None and cross_border and sides[0] in focal and len(focal) == 2:
                partner = next(c for c in focal if c != sides[0])  # supplies and trade go from one side to the other
            if partner:
                return sides + [partner]
        return None

    # -- one event ---------------------------------------------------------------------------
    def event(self, doc: Doc, sent: Span, type_name: str, trigger: Token, countries: list[str],
              sectors: list[str], sides: list[str], sources: set[int]) -> Event:
        t = self.types[type_name]
        actors = []
        entity_at, entities = doc._.entity_at, doc._.entities
        for tok in sent:
            index = entity_at.get(tok.i)
            if index is None or tok.i in sources:
                continue
            ent = entities[index]
            if ent.type in ("ORG", "PERSON") and ent.name not in actors:
                actors.append(ent.name)
        date = self.date_of(doc, sent, trigger)
        quantities = [{"value": q.value, "unit": q.unit, "text": q.text, "span": list(q.span)}
                      for q in doc._.figures if sent.start_char <= q.span[0] < sent.end_char]
        location = next((ent.name for ent in doc._.entities if ent.type in ("GPE", "LOC", "FAC")
                         and ent.country and self.k.places.get(ent.name, (None, ""))[1] in ("city", "province", "region")
                         and any(sent.start_char <= s < sent.end_char for s, _ in ent.mentions)), None)
        confidence = 0.5 + (0.2 if len(sides) >= 2 else 0.0) + (0.15 if trigger.pos_ == "VERB" else 0.0) \
            + (0.1 if date else 0.0)
        return Event(type=type_name, plover=t.plover, sectors=sectors, date=date,
                     status=self.status(trigger, t), actors=actors, countries=countries, location=location,
                     quantities=quantities, sentence=sent.text.rstrip(), span=(sent.start_char, sent.start_char + len(sent.text.rstrip())),
                     trigger=trigger.text, confidence=round(min(confidence, 0.95), 2))

    def date_of(self, doc: Doc, sent: Span, trigger: Token) -> DateValue | None:
        dates = [d for d in doc._.dates if sent.start <= d.start < sent.end]
        if not dates:
            return None
        attached = [(list(d.root.ancestors)[:3].index(trigger), d) for d in dates
                    if trigger in list(d.root.ancestors)[:3]]
        if attached:  # a date attached to the trigger itself, the closest in the tree
            return min(attached, key=lambda pair: pair[0])[1]._.date
        told = [d for d in dates if d.root.head.lemma_ in self.reporting
                or any(a.lemma_ in ("report", "tell") for a in list(d.root.ancestors)[:2])]
        candidates = [d for d in dates if d not in told] or dates
        best = min(candidates, key=lambda d: min(abs(d.start - trigger.i), abs(d.end - trigger.i)))
        return best._.date

    def status(self, trigger: Token, t: EventType) -> str | None:
        verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
        if verb.pos_ not in ("VERB", "AUX"):
            return t.status
        if t.name == "pledge" or self.intended(verb):
            return "planned"
        aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if verb.tag_ == "VBG" and aux & {"is", "are", "am", "be", "been"}:
            return "ongoing"
        if verb.lemma_ in ("continue", "keep"):
            return "ongoing"
        if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and aux & {"has", "have", "had", "was", "were"}):
            return "completed"
        return t.status


CONTENT_DEPS = {"dobj", "nsubjpass", "xcomp", "ccomp", "acl", "attr", "oprd"}
CONTENT_PREPS = {"for", "on", "about", "to", "of", "concerning", "regarding"}


def frame_content(trigger: Token) -> list[Token]:
    """The tokens saying what an agreement or pledge is about: its object, complements, "on ..."/"to ..." phrases
    and "pledging ..." clauses, not the circumstances ("during a visit where ...")."""
    parts: list[Token] = []
    stack = [c for c in trigger.children if c.dep_ in CONTENT_DEPS or (c.dep_ == "prep" and c.lower_ in CONTENT_PREPS)
             or (c.dep_ == "advcl" and c.tag_ in ("VBG", "VB"))]
    while stack:
        tok = stack.pop()
        parts.append(tok)
        # "..., which has supported ..." is a fact apart; "an agreement to supply" (often parsed relcl) is not
        stack.extend(c for c in tok.children if c.dep_ != "relcl" or infinitive(c))
    return parts


def infinitive(verb: Token) -> bool:
    return any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def reports_speech(verb: Token) -> bool:
    """"said", "told", or another reporting verb with what was said: "concluded that ...", not "the Years
    concluded on Friday"."""
    if verb.lemma_ in ("say", "tell"):
        return True
    return any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) or any(
        t.text in QUOTE_MARKS for t in verb.sent)


QUOTE_MARKS = {'"', "“", "”", "«", "»"}


def hyphen_paired(tok: Token) -> bool:
    doc = tok.doc
    before = tok.i > 1 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].whitespace_ == ""
    after = tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and tok.whitespace_ == ""
    return before or after


def participant(tok: Token) -> bool:
    """A third country takes part as a subject, object or in a list with others ("China, Mongolia and
    Russia signed"), not as a place ("the conflict in Ukraine", "via Kazakhstan")."""
    head = tok
    while head.dep_ in ("compound", "amod", "poss") and head.head.i != head.i:
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "dative", "appos")


def governing_verb(tok: Token) -> Token | None:
    return next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)


def focal_sides(doc: Doc, entities: list[Entity], k) -> list[str]:
    """The two sides the article is about: the most mentioned countries."""
    counts: Counter = Counter()
    for ent in entities:
        if ent.country and ent.type in ("GPE", "ORG"):
            counts[ent.country] += len(ent.mentions)
    for tok in doc:
        if tok.text in k.adjectives:
            counts[k.adjectives[tok.text]] += 1
    for word in re.findall(r"[\w']+", doc.user_data.get("title") or ""):  # the headline names the sides too
        country = k.adjectives.get(word) or k.country_names.get(word)
        if country:
            counts[country] += 1
    return [c for c, _ in counts.most_common(2)]


def entities_by_sentence(ents, sents: list[Span]) -> dict[int, list[Span]]:
    """Each sentence's entities, as `Span.ents` gives them (those wholly inside), in one pass."""
    out: dict[int, list[Span]] = {}
    k = 0
    for sent in sents:
        while k < len(ents) and ents[k].start < sent.start:
            k += 1
        inside, j = [], k
        while j < len(ents) and ents[j].end <= sent.end:
            inside.append(ents[j])
            j += 1
        out[sent.start] = inside
    return out


def paragraph_groups(doc: Doc, sents: list[Span]) -> list[list[Span]]:
    """Sentences grouped by paragraph; a blank line separates paragraphs."""
    groups: list[list[Span]] = []
    text = document_text(doc)
    for sent in sents:
        if not groups or "\n\n" in text[groups[-1][-1].start_char:sent.start_char]:
            groups.append([sent])
        else:
            groups[-1].append(sent)
    return groups
