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

from ..data import event_roles, event_type_priority, load_toml
from ..document import DateValue, Entity, Event
from .actors import DATELINE
from .cooperation import Aspect, Sides, cooperation_event, focal_pair, parties
from .knowledge import knowledge
from .sectors import SectorMatcher
from .text import document_text

ARG_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "pobj", "obj", "dative", "xcomp", "ccomp", "npadvmod", "acomp"}
EARLIER = {"earlier", "previously", "before", "ago", "already", "once", "formerly"}
NOMINAL_ARGS = {"dobj", "nsubjpass", "nsubj", "attr"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "going"}
INTENTION = {"expect", "hope", "want", "plan", "intend", "aim", "seek", "prepare", "propose", "consider", "negotiate",
             "call"}  # ... and "called on X to invest": what is called for has not happened
BOTH_SIDES = re.compile(r"\b(?:(?:both|the two)\s+(?:\w+\s+)?(?:countries|sides|side|nations|governments|agencies|"
                        r"foundations|funds|companies|firms|corporations|leaders|presidents|heads of state|ministries|"
                        r"universities|academies|institutes|parties|states|partners|neighbors|neighbours)|"
                        r"bilateral|jointly|joint|mutual|each other|the partners|"
                        r"(?:between|of) our (?:two )?(?:countries|nations|states|sides))\b", re.IGNORECASE)
STARTING = {"begin", "start", "commence", "open", "resume", "restart", "launch", "kick"}
SOURCE_CUES = re.compile(r"\b(?:according to|citing|cited by|quoted by|told|reported by)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class EventType:
    name: str
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
    readiness: frozenset = frozenset()  # "ready", "willing": a pledge when it is to act with the other side
    readiness_verbs: frozenset = frozenset()  # "offer", "look (forward to)", "plan": the same for verbs
    readiness_nouns: frozenset = frozenset()  # "readiness", "commitment": the same for nouns
    actions: frozenset = frozenset()  # what a readiness or intention must be to: "work", "provide", "deepen"
    partner_verbs: frozenset = frozenset()  # "work", "cooperate": with someone, as an intention
    together: frozenset = frozenset()  # "jointly", "together": a verb of the type done with someone
    joint_verbs: frozenset = frozenset()  # "held joint exercises": verbs of this type only with a joint object
    named_nouns: frozenset = frozenset()  # "agreement", "pact": an agreement named as a thing ...
    named_governors: frozenset = frozenset()  # ... under it ("under the agreement"), or doing something
    named_modifiers: frozenset = frozenset()  # ... or new ("a new pact")
    noun_exclusions: frozenset = frozenset()  # "press conference": not this type
    topic_preps: frozenset = frozenset()  # "talks on ...": what follows is the topic, no event of its own
    money_verbs: frozenset = frozenset()  # "putting 3 billion forints into": this type with money as object
    guest_verbs: frozenset = frozenset()  # "hosted Modi": this type with a person, country or body as object
    arrival_verbs: frozenset = frozenset()  # "Li reached St. Petersburg": a person arriving at a place
    phone_verbs: frozenset = frozenset()  # "spoke by phone with": this type over a phone or video line
    phone_words: frozenset = frozenset()
    guests: frozenset = frozenset()  # "received the French foreign minister": a guest named by a title
    named_in_force: frozenset = frozenset()  # ("enter", "force"): an agreement that "entered into force"
    subject_only: frozenset = frozenset()  # "build": only with a subject of its own, not "a plant built with ..."
    together_verbs: frozenset = frozenset()  # "jointly building": verbs of this type only when done together


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
        self.change_nouns = frozenset(config.get("continuation", {}).get("change_nouns", []))
        self.types = {}
        self.priority = event_type_priority()  # a word that could report several types reports the first
        for name in self.priority:
            c = conf[name]
            self.types[name] = EventType(
                name, frozenset(c.get("verbs", [])), frozenset(c.get("verbs_alone", [])),
                frozenset(c.get("verb_objects", [])), frozenset(c.get("subjects", [])),
                frozenset(c.get("subject_verbs", [])),
                frozenset(tuple(p.split()[-2:]) for p in c.get("noun_phrases", [])), frozenset(c.get("nouns", [])),
                frozenset(c.get("noun_modifiers", [])), frozenset(c.get("future_only", [])),
                frozenset(c.get("first_verbs", [])), c.get("status"),
                *(frozenset(c.get(key, [])) for key in ("readiness", "readiness_verbs", "readiness_nouns", "actions",
                                                         "partner_verbs",
                                                         "together", "joint_verbs", "named_nouns", "named_governors",
                                                         "named_modifiers", "noun_exclusions", "topic_preps",
                                                         "money_verbs", "guest_verbs", "arrival_verbs",
                                                         "phone_verbs", "phone_words", "guests")),
                frozenset(tuple(p.split()) for p in c.get("named_in_force", [])),
                frozenset(c.get("subject_only", [])), frozenset(c.get("together_verbs", [])))
        # the types each rule singles out (`[roles]`): no type's name is written in the rules
        roles = event_roles()
        self.flows = frozenset(roles.get("flow", ()))
        self.one_day = frozenset(roles.get("one_day", ()))  # may take the day of the news they are told with
        self.with_content = frozenset(roles.get("content", ()))
        self.with_topic = frozenset(roles.get("topic", ()))
        self.trade_sector = frozenset(roles.get("trade_sector", ()))
        self.intention = next(iter(roles.get("intention", ())), None)
        self.documents = next(iter(roles.get("documents", ())), None)
        self.intention_verbs = self.types[self.intention].verbs_alone if self.intention else frozenset()
        self.intention_actions = self.types[self.intention].actions if self.intention else frozenset()
        self.together = frozenset().union(*(self.types[n].together for n in roles.get("together", ())))
        self.arrival_verbs = frozenset().union(*(self.types[n].arrival_verbs for n in roles.get("arrival", ())))
        refusals = config.get("not_cooperation", {})
        self.refusal_verbs = frozenset(refusals.get("verbs", []))
        self.refusal_phrases = frozenset(tuple(p.split()) for p in refusals.get("phrases", []))
        self.appeals = frozenset(tuple(p.split()) for p in refusals.get("appeals", []))
        self.containers = frozenset(config.get("arguments", {}).get("containers", []))
        self.refusal_nouns = frozenset(refusals.get("nouns", []))
        self.conflict_objects = frozenset(refusals.get("objects", []))
        self.negations = frozenset(refusals.get("negations", []))
        self.hostile_preps = frozenset(refusals.get("hostile_preps", []))
        self.modals = frozenset(refusals.get("modals", []))
        self.conditions = frozenset(refusals.get("conditions", []))
        self.k = knowledge()
        self.reporting = set(self.k.words["reporting_verbs"])
        self.sectors = SectorMatcher()
        # every word that can start a trigger, so that most tokens are passed over at once
        self.trigger_words = set().union(*(t.verbs | t.nouns | t.first_verbs | {p[0] for p in t.noun_phrases}
                                           | t.readiness | t.readiness_verbs | t.readiness_nouns | t.partner_verbs
                                           | t.named_nouns | t.phone_verbs
                                           | t.money_verbs | t.guest_verbs | t.joint_verbs | t.arrival_verbs
                                           for t in self.types.values()))

    def __call__(self, doc: Doc) -> Doc:
        focal = focal_sides(doc, doc._.entities, self.k)
        line = DATELINE.search(document_text(doc), 0, 600)
        self.dateline_end = line.end() if line else 0  # "MOSCOW, March 13 (Reuters) -": the day of the report
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
        # the day the lead reports: when the article's undated news happened ("the two also signed ...")
        news_day = last_date(doc, 0, paragraphs[0][-1].end) if paragraphs else None
        for paragraph in paragraphs:
            para_sides: list[str] = []
            for sent in paragraph:
                para_sides += [c for c in sides_of[sent.start] if c not in para_sides]
            previous_sectors: list[str] = []
            for sent in paragraph:
                sectors = sectors_of[sent.start]
                found = self.triggers(sent)
                sides = sides_of[sent.start]
                if found and not sides:  # "a new pact will ..., the leaders of Germany and Canada said"
                    speakers = self.sides(doc, sent, set(), focal)
                    sides = speakers if len(speakers) >= 2 else sides
                cross_border = any(name in self.flows for name, _ in found)
                countries = self.cooperation(sent, sides, para_sides, focal, cross_border, lead_sides,
                                             sources) if found else None
                if countries is not None:
                    # a sentence naming no sector continues the paragraph's topic, if that is one of the article's
                    topical = [s for s in previous_sectors if s in article_sectors[:3]]
                    event_sectors = sectors or topical or article_sectors[:1]
                    for type_name, trigger in found:
                        if self.mentioned_again(type_name, trigger, events):
                            continue
                        # several events in one sentence: each takes the sectors of its own clause, if it names any
                        own = self.sectors.of_span(sent, ents_of[sent.start], clause_tokens(trigger))
                        if not sectors and type_name in self.trade_sector and self.sectors.trade_default:
                            own = [self.sectors.trade_default]  # "bilateral trade grew by a fifth"
                        parties = countries
                        if len(countries) > 2:  # more sides than a pair: those of the event's own clause, if two
                            own_sides = self.sides(doc, sorted(clause_tokens(trigger), key=lambda t: t.i), sources,
                                                   focal)
                            parties = own_sides if len(own_sides) >= 2 else countries
                        event = self.event(doc, sent, type_name, trigger, parties,
                                           [s for s in own if s in sectors] or own or event_sectors, sides, sources)
                        if event.date is None and event.status == "completed" and type_name in self.one_day \
                                and not told_as_earlier(trigger) and not self.told_again(type_name, trigger, events):
                            event.date = last_date(doc, paragraph[0].start, sent.start) or news_day
                        events.append(event)
                previous_sectors = sectors or previous_sectors  # a sentence naming no sector continues the last
        doc._.events = events
        return doc

    @staticmethod
    def told_again(type_name: str, trigger: Token, events: list[Event]) -> bool:
        """"The contract was signed by ..." after the signing: the same event retold (its own event, left undated
        so that it does not look like a second signing that day)."""
        definite = any(c.dep_ in ("dobj", "nsubjpass") and any(
            d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in c.children) for c in trigger.children)
        return definite and any(e.type == type_name for e in events)

    def mentioned_again(self, type_name: str, trigger: Token, events: list[Event]) -> bool:
        """A noun naming an earlier event of the article again is that event, not another: "The start of deliveries
        opens a new chapter" after "Gazprom began deliveries on Monday" (no date of its own); "At Friday's closing
        ceremony, ..." after "... concluded on Friday with a closing ceremony" (the same day). Only a noun made
        definite names it again: "Argentina's second-biggest trade partner" is no trade told before."""
        of_what = trigger.head.head if trigger.dep_ == "pobj" and trigger.head.lower_ == "of" else None
        if trigger.pos_ != "NOUN" or not any(  # the noun, or the one it completes ("the start of deliveries")
                c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
                for noun in (trigger, of_what) if noun is not None for c in noun.children):
            return False
        date = self.date_of(trigger.doc, trigger.sent, trigger)
        if date is not None and date.precision != "day":
            return False
        # "the start of deliveries" names the deliveries again, whatever type "start" has
        named = {g.lower_ for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"}
        return any((e.type == type_name and e.trigger.lower() == trigger.lower_ or e.trigger.lower() in named)
                   and (date is None or (e.date is not None and e.date.value == date.value)) for e in events)

    # -- triggers ----------------------------------------------------------------------------
    def triggers(self, sent: Span) -> list[tuple[str, Token]]:
        """(type, trigger token) pairs, a token serving one type only. A type fires once per sentence, unless
        another clause reports another action of that type with a date of its own ("X was signed in March
        2019, and Y in June 2019")."""
        chosen: list[tuple[str, Token]] = []
        for tok in sent:
            if tok.lemma_.lower() not in self.trigger_words and tok.lower_ not in self.trigger_words:
                continue
            # "will work with Vietnam on projects": an intention to act together is a pledge before all
            name = self.intention if self.partnering(tok) else next(
                (n for n in self.priority if self.fires(self.types[n], tok)), None)
            if name is None or self.not_happening(tok):
                continue
            same = [t for n, t in chosen if n == name]
            if not same or all(self.separate_action(t, tok) for t in same):
                chosen.append((name, tok))
            elif tok.pos_ == "VERB" and len(same) == 1 and same[0].pos_ != "VERB":
                # the action rather than a noun naming it: "At the meeting, the two sides had an exchange of views"
                chosen[chosen.index((name, same[0]))] = (name, tok)
        chosen = sorted(chosen + self.continued(sent, chosen) + self.listed_documents(chosen)
                        + self.further_periods(sent, chosen),
                        key=lambda pair: pair[1].i)  # in reading order
        # what an agreement or pledge is about is its content, not another event: "signed a contract for gas
        # supplies", "pledged to buy 3 million tonnes", "intends to renew its partnership programme", "agreed to
        # consider an offer to provide ..."; what talks are about is their topic ("held talks on gas supplies")
        covered = {c.i: n for n, t in chosen if n in self.with_content for c in frame_content(t)}
        covered.update({c.i: n for n, t in chosen if n in self.with_topic for c in self.topic(self.types[n], t)})
        kept = [(n, t) for n, t in chosen if covered.get(t.i, n) == n]
        # one action, one event: a verb and the noun it acts on are one event: of the noun's type under a verb of
        # starting ("began deliveries": supply), else of the higher type, the verb's when equal ("held its
        # official inauguration": launch)
        rank = {n: i for i, n in enumerate(self.priority)}

        def outranked(n: str, t: Token) -> bool:
            for m, o in kept:
                if t.head == o and t.dep_ in NOMINAL_ARGS:  # the noun t under the verb o
                    if o.lemma_.lower() not in STARTING and rank[m] <= rank[n]:
                        return True
                if o.head == t and o.dep_ in NOMINAL_ARGS:  # the verb t over the noun o
                    if t.lemma_.lower() in STARTING or rank[m] < rank[n]:
                        return True
            return False
        return [(n, t) for n, t in kept if not outranked(n, t)]

    def topic(self, t: EventType, trigger: Token) -> list[Token]:
        """What talks are about: "talks on gas supplies", "discussed supplies" (a type with a `topic`)."""
        stack = [trigger] + ([trigger.head] if trigger.dep_ in ("dobj", "nsubj", "nsubjpass") else [])
        out = []
        while stack:  # within the clause of the talks: "held discussions, with Qatar taking part, on supplies"
            head = stack.pop()
            for c in head.children:
                if (c.dep_ == "prep" and c.lower_ in t.topic_preps) or (
                        c.dep_ == "dobj" and head.lemma_.lower() in t.verbs_alone):
                    out += list(c.subtree)
                elif c.dep_ not in ("ccomp", "advcl", "relcl", "conj", "parataxis"):
                    stack.append(c)
        return out

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

    def further_periods(self, sent: Span, chosen: list[tuple[str, Token]]) -> list[tuple[str, Token]]:
        """"Trade rose by 21% last year and grew by a further 11.8% in January-June", "..., adding that growth stood
        at 7 percent in the first half": a flow's figure for another period (a verb joined to the flow's, or with a
        change for its subject, with a figure and a date of its own) is a flow of its own."""
        flows = [(n, t) for n, t in chosen if n in self.flows]
        taken = {t.i for _, t in chosen}
        out: list[tuple[str, Token]] = []
        for tok in sent if flows else ():
            if tok.pos_ != "VERB" or tok.i in taken or not any(
                    c.ent_type_ in ("PERCENT", "MONEY", "QUANTITY") for c in tok.subtree if c.i != tok.i):
                continue
            change = any(c.dep_ == "nsubj" and c.lemma_.lower() in self.change_nouns for c in tok.children)
            for name, trigger in flows:
                verb = self._clause_of(trigger)
                joined = verb is not None and tok.dep_ == "conj" and tok.head == verb
                if (joined or change) and self.separate_action(trigger, tok):
                    out.append((name, tok))
                    break
        return out

    def listed_documents(self, chosen: list[tuple[str, Token]]) -> list[tuple[str, Token]]:
        """"signed the Memorandum between Serbia and X, as well as the Protocol on Y": each document named in a
        list of what was signed, by its title or with parties or a subject of its own, is an agreement of its
        own (a type of `documents`)."""
        if self.documents is None:
            return []
        t = self.types[self.documents]
        out = []
        for name, trigger in chosen:
            if name != self.documents or trigger.pos_ != "VERB":
                continue
            first = next((c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")), None)
            listed = [c for c in first.conjuncts if c.i > first.i] if first is not None else []
            for doc_noun in listed:
                if doc_noun.lemma_.lower() in t.verb_objects and (doc_noun.pos_ == "PROPN" or any(
                        c.dep_ == "prep" and c.lower_ in ("between", "on", "with") for c in doc_noun.children)):
                    out.append((name, doc_noun))
        return out

    @staticmethod
    def _clause_of(trigger: Token) -> Token | None:
        return trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)

    def separate_action(self, first: Token, second: Token) -> bool:
        """Two triggers of one type report two actions when each clause has a date of its own, or when the second
        is the occasion of the first: "X met Y during Xi Jinping's state visit to Russia"."""
        if second.dep_ == "pobj" and second.head.lower_ in ("during", "amid") and any(
                (c.dep_ == "poss" and c.pos_ != "PRON") or (c.dep_ == "prep" and c.lower_ == "by")
                for c in second.children):
            return True  # (not "during his visit": the talks' own subject visiting, one event)
        def own_dates(trigger: Token) -> set[str]:
            verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
            if verb is None:
                return set()
            found = {d._.date.value for d in trigger.doc._.dates if getattr(governing_verb(d.root), "i", None) == verb.i}
            if not found and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in self.reporting:
                return own_dates(verb.head)  # "in April it announced it had launched ...": told that day
            return found

        mine, theirs = own_dates(second), own_dates(first)
        return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)

    def fires(self, t: EventType, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if t.readiness and self.ready_to_act(t, tok):
            return True
        if t.together and tok.pos_ == "VERB" and lemma in t.verbs | t.joint_verbs | t.together_verbs and (
                (lemma in t.verbs | t.together_verbs
                 and any(c.lower_ in t.together for c in tok.children if c.dep_ == "advmod"))
                or any(c.lower_ == "joint" and a.lemma_.lower() in t.verb_objects
                       for a in tok.children if a.dep_ in ARG_DEPS for c in a.children if c.dep_ == "amod")):
            return True  # "would study the Moon jointly with China", "carried out joint patrols"
        if tok.pos_ == "VERB" and lemma in t.guest_verbs and any(
                c.dep_ == "dobj" and (c.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or c.lemma_.lower() in t.guests
                                      or c.lower_ in t.guests) for c in tok.children):
            return True  # "Putin hosted Indian Prime Minister Modi", "received the French foreign minister"
        if tok.pos_ == "VERB" and lemma in t.phone_verbs and any(
                g.lemma_.lower() in t.phone_words for c in tok.children if c.dep_ == "prep" and c.lower_ in
                ("by", "over", "via", "on") for g in c.subtree if g.dep_ in ("pobj", "compound")):
            return True  # "spoke by phone with", "held talks via video link"
        if tok.pos_ == "VERB" and lemma in t.arrival_verbs and arrives_at_place(tok):
            return True  # "Li reached St. Petersburg on Sunday"
        if t.named_nouns and is_noun(tok) and lemma in t.named_nouns and self.named_as_new(t, tok):
            return True
        if tok.pos_ == "VERB" and lemma in t.first_verbs:  # "shipped its first cargo", "the first bank to offer"
            if any(c.dep_ == "dobj" and any(m.lower_ == "first" for m in c.children) for c in tok.children):
                return True
            if tok.dep_ in ("acl", "relcl") and any(m.lower_ == "first" for m in tok.head.children):
                return True
        if tok.pos_ in ("VERB", "AUX") and lemma in t.verbs:
            if lemma in t.future_only and not self.intended(tok):
                return False
            if lemma in t.subject_only and (not has_subject(tok) or self.intended(tok)):
                return False  # "the plant, built with ..."; "will build the plants" (a plan: a pledge's words)
            if t.readiness and participle(tok):
                return False  # an intention is someone's: not "a deal intended to boost ..."
            if t.noun_exclusions and any(g.lower_ in t.noun_exclusions for a in acted_on(tok) for g in a.children):
                return False  # "told a press conference held in ..."
            if lemma in t.subject_verbs:
                return bool(self.arguments(tok) & t.verb_objects) and self.subject_has(tok, t.subjects)
            if lemma in t.verbs_alone and t.actions and any(
                    c.dep_ == "xcomp" and c.lemma_.lower() not in t.actions for c in tok.children):
                return False  # "vowed to retaliate", "pledged to take back": a vow, but not to act with someone
            if lemma in t.verbs_alone or not t.verb_objects:
                return True
            if self.arguments(tok) & t.verb_objects:
                return True
            return bool(t.subjects) and self.subject_has(tok, t.subjects)
        if tok.pos_ == "VERB" and lemma in t.money_verbs and any(
                c.dep_ == "dobj" and any(g.ent_type_ == "MONEY" for g in c.subtree) for c in tok.children):
            return True  # "is putting 3,000 billion forints into ..."
        if is_noun(tok) and (lemma in t.nouns or tok.lower_ in t.nouns):  # not "the Eastern Economic Forum"
            named = {c.lower_ for c in tok.children} & t.named_modifiers  # "an opening ceremony", "a joint session"
            if any(c.lower_ in t.noun_exclusions for c in tok.children) or (self.where_said(tok) and not named):
                return False  # "a press conference"; "told Putin at a meeting"
            if t.noun_exclusions and tok.dep_ == "attr" and tok.head.lemma_ == "be":
                return False  # "this is the first meeting of ...": what something is, not what happened
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

    def partnering(self, tok: Token) -> bool:
        """"China will work with Russia on ...": acting with someone, stated as an intention."""
        if self.intention is None:
            return False
        t = self.types[self.intention]
        return tok.pos_ == "VERB" and tok.lemma_.lower() in t.partner_verbs and self.intended(tok) \
            and (acts_with(tok, self.together) or together_subject(tok))

    def ready_to_act(self, t: EventType, tok: Token) -> bool:
        """"is ready to deepen cooperation", "stands ready to send", "is willing to provide", "offered to build",
        "plans to set up", "looks forward to deeper cooperation": readiness or intention to do one of `actions`."""
        lemma = tok.lemma_.lower()
        if not ((tok.pos_ == "ADJ" and lemma in t.readiness) or (tok.pos_ == "VERB" and lemma in t.readiness_verbs)
                or (tok.pos_ == "NOUN" and lemma in t.readiness_nouns)):
            return False
        if participle(tok) or any(c.dep_ == "auxpass" for c in tok.children):
            # "a deal intended to boost ...": what a thing is for; "the agreement is expected to be signed": a
            # forecast of the action (the event, planned), no one's intention
            return False
        acts = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "acl") and c.pos_ in ("VERB", "AUX")]
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "for")):
            acts += [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if lemma == "look" and not any(c.lower_ == "forward" for c in tok.children):
            return False
        return any(a.lemma_.lower() in t.actions or a.lower_ in t.actions for a in acts)

    def named_as_new(self, t: EventType, noun: Token) -> bool:
        """An agreement named as a thing is an event where it is new or acts: "under the agreement on ...", "the
        memorandum envisages ...", "a new pact will ..."; not "the agreement" merely mentioned."""
        if noun.dep_ == "compound":
            return False
        if noun.dep_ == "pobj" and noun.head.lower_ == "under":
            return True
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_.lower() in t.named_governors:
            return True
        if noun.dep_ in ("nsubj", "nsubjpass") and any(
                (noun.head.lemma_.lower(), g.lemma_.lower()) in t.named_in_force for g in noun.head.subtree
                if g.dep_ in ("pobj", "dobj")):
            return True  # "the agreement entered into force", "the deal took effect on May 1"
        if any(c.dep_ in ("compound", "nmod", "amod", "nummod") and c.ent_type_ == "MONEY" for c in noun.children):
            return True  # "a $6 billion arms deal": a deal of a given worth is one made
        return any(c.dep_ == "amod" and c.lower_ in t.named_modifiers for c in noun.children)

    def where_said(self, noun: Token) -> bool:
        """"told reporters at a meeting", "said during the talks": the occasion of someone's words."""
        head = noun.head.head if noun.dep_ == "pobj" else noun.head
        return head.lemma_.lower() in self.reporting and head.pos_ in ("VERB", "AUX") and noun.dep_ in ("pobj", "dobj") \
            and reports_speech(head)

    def not_happening(self, trigger: Token) -> bool:
        """A negated, refused, rejected, suspended, demanded or threatened action, or one reported as a conflict,
        did not happen as cooperation: "refused to meet", "rejected a proposal to sign", "demanded that X cancel
        the sale", "was arrested for collaborating with", "did not sign", "no agreement was reached"."""
        actions = [trigger] + [c for c in trigger.children if c.dep_ == "xcomp"]  # "plans to launch an offensive"
        if self.negated(trigger) or any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in self.conflict_objects
                                        and not any(m.lower_ == "joint" for m in c.children)  # "a joint operation"
                                        for a in actions for c in a.children):
            return True  # "traded accusations", "delivered a strike"
        if self.against_someone(trigger):
            return True
        for tok in [trigger, *list(trigger.ancestors)[:8]]:
            if tok.dep_ == "conj" or tok.head.i == tok.i:
                if tok.dep_ == "conj" and self.negated(tok):
                    return True
                continue  # "condemned X and signed Y": two actions side by side, the second not governed
            head = tok.head
            if head.lemma_.lower() in self.reporting and reports_speech(head):
                # what someone says happened: only their denial cancels it, or a warning or accusation
                return self.negated(head) or (head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in self.refusal_verbs)  # what someone says happened: only their denial cancels it
            if (head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in self.refusal_verbs) \
                    or (head.pos_ == "NOUN" and head.lemma_.lower() in self.refusal_nouns) \
                    or head.lower_ == "without" or self.negated(head) or self.refusing_phrase(head, tok) \
                    or (tok.dep_ == "xcomp" and any(c.lower_ == "yet" for c in head.children)):
                return True  # ... "turned down an offer to build", "called on X to sign", "have yet to sign"
        return False

    def against_someone(self, trigger: Token) -> bool:
        """An action against a country or a people in the trigger's clause: "vowed to continue operations against
        Kurdish militants", "pledged to retaliate against Israel"."""
        if trigger.pos_ not in ("VERB", "AUX"):
            return False
        for tok in clause_tokens(trigger):
            if tok.dep_ == "prep" and tok.lower_ in self.hostile_preps and any(
                    g.ent_type_ in ("GPE", "NORP") or g.text in self.k.adjectives
                    for c in tok.children if c.dep_ == "pobj" for g in c.subtree):
                return True
        return False

    def refusing_phrase(self, verb: Token, below: Token) -> bool:
        """A verb refusing or demanding with its particle: "turned down", "called on", "broke off"; a call to act
        together ("called on both sides to deepen cooperation": `below` is what is called for) is no demand."""
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        lemma = verb.lemma_.lower()
        phrases = {(lemma, c.lower_) for c in verb.children if c.dep_ in ("prt", "prep")} & self.refusal_phrases
        if phrases and phrases <= self.appeals and below.lemma_.lower() in self.intention_actions:
            return False
        return bool(phrases)

    def negated(self, tok: Token) -> bool:
        for c in tok.children:
            if c.dep_ == "neg" and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "only"):
                return True  # "did not sign", not "not only signed but ..."
            if c.dep_ == "det" and c.lower_ in self.negations:
                return True  # "no agreement"
            if c.dep_ == "advmod" and c.lower_ in ("longer", "more") and any(g.lower_ == "no" for g in c.children):
                return True  # "will no longer buy"
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
                    d.dep_ == "det" and d.lower_ in ("no", "neither") for d in c.children):
                return True  # "no deal was signed", "signed no agreement"
        return False

    def arguments(self, verb: Token) -> set[str]:
        """Lemmas of what the verb acts on, through particles, prepositions, xcomps and conjunctions."""
        out: set[str] = set()
        heads = [verb] + [c for c in verb.children if c.dep_ == "xcomp"]
        args = [c for h in heads for c in h.children if c.dep_ in ARG_DEPS]
        for prep in (c for h in heads for c in h.children
                     if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in ("into", "in", "to", "on", "for", "out"))
                     or (c.dep_ == "prep" and c.lower_ == "with" and any(d.dep_ in ("dobj", "dative") for d in h.children))):
            # ... "provided Nepal with grant assistance"
            args += [c for c in prep.children if c.dep_ in ("pobj", "dobj")]
        if verb.lemma_ in STARTING and not any(c.dep_ == "dobj" for c in verb.children):
            args += [c for c in verb.children if c.dep_ == "nsubj"]  # "work began", "construction started"
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            args.append(verb.head)  # "the Center, launched on June 29 by ..."
        if verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in verb.children):
            args += [c for c in verb.head.children if c.dep_ in ("attr", "nsubj", "dobj")]  # "was X, launched in ..."
        if verb.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in verb.children):
            args += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]  # "X are to be approved"
        # "a team of experts", "the first batch of trains", "1,000 tonnes of water": what the container holds
        args += [g for a in args if a.lemma_.lower() in self.containers or a.lower_ in self.containers
                 or a.ent_type_ in ("QUANTITY", "CARDINAL", "MONEY")
                 for c in a.children if c.dep_ == "prep" and (c.lower_ == "of" or (c.lower_ == "in" and a.ent_type_ == "MONEY"))
                 for g in c.children if g.dep_ == "pobj"]  # ... "$500 million in military aid"
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
        """Whether the verb states an intention: "will deepen", "vowed to make", "plan to build", "are to be
        approved"."""
        for tok in [verb, *list(verb.ancestors)[:3]]:
            if any(c.lower_ in FUTURE_AUX and c.dep_ in ("aux", "auxpass") for c in tok.children):
                return True
            if tok.dep_ == "xcomp" and tok.head.lemma_ == "be" and infinitive(tok):
                return True  # "the leaders are to sign", "the programmes are to be approved"
            if tok.i != verb.i and (tok.lemma_ in self.intention_verbs or tok.lemma_ in INTENTION) \
                    and not participle(tok):
                return True
            if tok.dep_ not in ("xcomp", "conj", "ccomp", "advcl"):
                break
        return False

    def context_words(self, noun: Token) -> set[str]:
        """Words bound to a trigger noun: its modifiers and what governs it ("main provider", "at a ceremony"),
        "first" for an ordinal ("the 21st meeting") and "under_way" when it is under way."""
        if noun.dep_ == "compound":  # "sales manager" is a manager, not sales
            return set()
        words = {c.lower_ for c in noun.children} | {c.lemma_.lower() for c in noun.children}
        if any(c.ent_type_ == "ORDINAL" for c in noun.children):
            words.add("first")
        if noun.dep_ in ("nsubj", "nsubjpass") and under_way(noun.head):
            words.add("under_way")
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB" and together_subject(noun.head):
            words.add("joint")  # "the Indian and U.S. navies wrapped up the Malabar exercise": done together
        if noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":  # "take part in", "participate in" the noun
            verb = noun.head.head
            words.update([verb.lemma_.lower()] + [c.lower_ for c in verb.children if c.dep_ == "dobj"])
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

    def sides(self, doc: Doc, sent: Span | list[Token], sources: set[int], focal: list[str] = ()) -> list[str]:
        """Country sides taking part in the sentence (or a clause's tokens), in order of appearance."""
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
                if ent.type in ("GPE", "ORG", "PERSON", "FAC", "LOC") and first and ent.country \
                        and not (not found and self.only_where(tok, ent)):
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

    def only_where(self, tok: Token, ent: Entity) -> bool:
        """A city or place named as where something happened ("signed by the ministers in Nairobi") is no party
        of its own (the sentence's others or the article's sides decide); a country named so may still be one,
        and so may a place acting ("Beijing has signed") or where a party arrives ("Li arrived in Hanoi")."""
        if ent.type not in ("GPE", "LOC", "FAC") or ent.name in self.k.country_names:
            return False
        index = tok.doc._.entity_at.get(tok.i)
        while tok.head.i != tok.i and tok.doc._.entity_at.get(tok.head.i) == index:
            tok = tok.head  # the place name's last word, which hangs from the sentence
        verb = governing_verb(tok)
        return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "near") \
            and not (verb is not None and verb.lemma_.lower() in self.arrival_verbs)  # "arrived in"

    def cooperation(self, sent: Span, sides: list[str], para_sides: list[str], focal: list[str],
                    cross_border: bool = False, lead_sides: list[str] = (),
                    sources: set[int] = frozenset()) -> list[str] | None:
        """The sides of a cooperation event in this sentence, or None if it is not one (`cooperation.parties`)."""
        one = len(sides) == 1
        return parties(Sides(
            named=sides, paragraph=para_sides, focal=focal, lead=list(lead_sides),
            both=len(sides) < 2 and bool(BOTH_SIDES.search(sent.text)),
            cross_border=cross_border, quoted=any(t.text in QUOTE_MARKS for t in sent),
            partner_named=one and self.named_as_partner(sent, sides[0]),
            international=one and self.international_party(sent, sources)))

    def international_party(self, sent: Span, sources: set[int]) -> bool:
        """An international organisation (gazetteer category "international") taking part in the sentence."""
        doc = sent.doc
        for tok in sent:
            index = doc._.entity_at.get(tok.i)
            if index is None or tok.i in sources:
                continue
            actor = self.k.actors.get(doc._.entities[index].name)
            if actor is not None and actor.category == "international" and actor.country is None \
                    and (participant(tok) or tok.dep_ == "pobj"):
                return True
        return False

    def named_as_partner(self, sent: Span, side: str) -> bool:
        """"Talks with China ...", "an agreement with India": the side is the partner of someone unnamed."""
        doc = sent.doc
        for tok in sent:
            index = doc._.entity_at.get(tok.i)
            country = doc._.entities[index].country if index is not None else self.k.adjectives.get(tok.text)
            if country == side and tok.dep_ == "pobj" and tok.head.lower_ in ("with", "between"):
                return True
        return False

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
        quantities = [q for q in doc._.quantities if sent.start_char <= q.span[0] < sent.end_char]
        location = next((ent.name for ent in doc._.entities if ent.type in ("GPE", "LOC", "FAC")
                         and ent.country and self.k.places.get(ent.name, (None, ""))[1] in ("city", "province", "region")
                         and any(sent.start_char <= s < sent.end_char for s, _ in ent.mentions)), None)
        return cooperation_event(
            type_name, countries=countries, named_sides=len(sides), sectors=sectors, date=date,
            aspect=self.aspect(trigger), published=doc.user_data.get("published"), default_status=t.status,
            actors=actors, location=location, quantities=quantities, sentence=sent.text.rstrip(),
            span=(sent.start_char, sent.start_char + len(sent.text.rstrip())), trigger=trigger.text)

    def hypothetical(self, trigger: Token) -> bool:
        """"could sign", "may build", "if they agree": an action that has not happened."""
        verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
        for tok in [verb, *list(verb.ancestors)[:2]] if verb is not None else []:
            if any((c.dep_ == "aux" and c.lower_ in self.modals) or (c.dep_ == "mark" and c.lower_ in self.conditions)
                   for c in tok.children):
                return True
            if tok.dep_ not in ("xcomp", "conj"):
                break
        return False

    def date_of(self, doc: Doc, sent: Span, trigger: Token) -> DateValue | None:
        dates = [d for d in doc._.dates if sent.start <= d.start < sent.end]
        if not dates:
            return None
        # a date of the sentence's own beats the dateline's ("MOSCOW, March 13 (Reuters) - ... signed on Monday")
        dates = [d for d in dates if d.start_char >= getattr(self, "dateline_end", 0)] or dates
        attached = [(list(d.root.ancestors)[:3].index(trigger), d) for d in dates
                    if trigger in list(d.root.ancestors)[:3]]
        if attached:  # a date attached to the trigger itself, the closest in the tree
            return min(attached, key=lambda pair: pair[0])[1]._.date
        told = [d for d in dates if d.root.head.lemma_ in self.reporting
                or any(a.lemma_ in ("report", "tell") for a in list(d.root.ancestors)[:2])]
        candidates = [d for d in dates if d not in told] or dates
        best = min(candidates, key=lambda d: min(abs(d.start - trigger.i), abs(d.end - trigger.i)))
        return best._.date

    def aspect(self, trigger: Token) -> Aspect:
        """What the trigger's clause says of its time: a modal, a condition or an intention; "is building", "talks
        are under way", "continue to"; "signed", "has opened"."""
        aspect = Aspect(planned=self.hypothetical(trigger))
        if trigger.pos_ != "VERB" and trigger.dep_ in ("nsubj", "nsubjpass") and under_way(trigger.head):
            aspect.ongoing = True  # "talks are under way"
            return aspect
        # a noun's verb; for the second of listed things ("signed X, as well as Y") the list's verb
        verb = trigger if trigger.pos_ in ("VERB", "AUX") else (
            trigger.conjuncts[0] if trigger.dep_ == "conj" else trigger).head
        if verb.pos_ == "ADP" and verb.lower_ in ("at", "during", "on", "in") and verb.head.pos_ in ("VERB", "AUX") \
                and verb.head.lemma_ not in self.reporting and verb.head.dep_ not in ("advcl", "acl"):
            verb = verb.head  # "are to be approved at the summit": the summit's time is the approval's (not
            # "Speaking at the ceremony, X said ...": what was said there)
        if verb.pos_ not in ("VERB", "AUX"):
            return aspect
        aspect.planned = aspect.planned or self.intended(verb) or (
            verb is not trigger and verb.lemma_.lower() in INTENTION)  # "expects the signing of ...", "plans talks"
        aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        aspect.ongoing = (verb.tag_ == "VBG" and bool(aux & {"is", "are", "am", "be", "been", "was", "were"})) \
            or verb.lemma_ in ("continue", "keep")
        aspect.completed = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and bool(aux & {"has", "have", "had", "was", "were"}))
        return aspect


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
        # "..., which has supported ..." is a fact apart; "an agreement to supply" (often parsed relcl) and
        # "agreements that expand ..." are not
        stack.extend(c for c in tok.children if c.dep_ != "relcl" or infinitive(c) or restrictive(c))
    return parts


def is_noun(tok: Token) -> bool:
    """A common noun, or one the tagger took for a proper noun at the start of a sentence ("Trade between ...")."""
    return tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.is_sent_start)


def acted_on(verb: Token) -> list[Token]:
    """The verb's object or passive subject, or the noun a participle describes ("a conference held in ..."), or
    for a passive infinitive the subject of the verb it completes ("the programmes are to be approved")."""
    passive_complement = verb.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in verb.children)
    return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr")] + (
        [verb.head] if verb.dep_ in ("acl", "relcl") else []) + (
        [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")] if passive_complement else [])


def arrives_at_place(verb: Token) -> bool:
    """A person arriving at a place: "Li reached St. Petersburg", "the minister arrived in Hanoi"."""
    if not any(c.dep_ == "nsubj" and c.ent_type_ == "PERSON" for c in verb.children):
        return False
    places = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "to") for g in c.children]
    return any(p.ent_type_ in ("GPE", "LOC", "FAC") for p in places)


def under_way(verb: Token) -> bool:
    """"is under way", "got underway"."""
    return any(c.lower_ == "underway" or (c.lower_ == "under" and any(g.lower_ == "way" for g in c.children))
               for c in verb.children)


def acts_with(verb: Token, together: frozenset) -> bool:
    """"work with Russia", "cooperate together": acting with someone."""
    return any((c.dep_ == "prep" and c.lower_ == "with") or c.lower_ in together for c in verb.children)


def has_subject(verb: Token) -> bool:
    """The verb is someone's action: it has a subject, or is the infinitive of a verb that has one ("Russia
    pushes to build"), not a participle or gerund describing a thing ("the plant, built with", "for building")."""
    subject = lambda v: any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children)
    return subject(verb) or (verb.dep_ in ("xcomp", "conj") and subject(verb.head))


def together_subject(verb: Token) -> bool:
    """"Norway and Britain will cooperate", "the Indian and U.S. navies wrapped up": a subject of two or more acting
    together."""
    def parties(tok: Token) -> bool:  # both named: a country, a people, an organisation or a person
        return tok.ent_type_ in PARTY_LABELS and any(g.dep_ == "conj" and g.ent_type_ in PARTY_LABELS
                                                     for g in tok.children)
    return any(c.dep_ == "nsubj" and (parties(c) or any(m.dep_ in ("amod", "compound", "nmod") and parties(m)
                                                         for m in c.children)) for c in verb.children)


PARTY_LABELS = {"GPE", "NORP", "ORG", "PERSON"}


def participle(tok: Token) -> bool:
    """"a deal intended to boost ...": a participle describing a thing, no one's action."""
    return tok.dep_ in ("acl", "amod") or (tok.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in tok.children))


def restrictive(clause: Token) -> bool:
    """A relative clause without a comma before it: "agreements that expand the list"."""
    first = clause.left_edge
    return first.i > 0 and first.doc[first.i - 1].text != "," and first.lower_ in ("that", "which", "under")


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


def clause_tokens(trigger: Token) -> list[Token]:
    """The trigger's clause: its verb's subtree without the other clauses hanging from it."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger) or trigger
    out, stack = [], [verb]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if trigger in c.subtree or not other_clause(c))
    return out


def other_clause(tok: Token) -> bool:
    """A clause of its own hanging from another: relative, reported, coordinated, or adverbial with a subject or
    a conjunction ("while ...", "as the company said ..."), not "to cooperate on ..." (what the action is for)."""
    if tok.dep_ in ("relcl", "ccomp", "parataxis") or (tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX")):
        return True
    return tok.dep_ == "advcl" and any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in tok.children)


def governing_verb(tok: Token) -> Token | None:
    return next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)


def focal_sides(doc: Doc, entities: list[Entity], k) -> list[str]:
    """The two sides the article is about (`cooperation.focal_pair`): its countries, places and organisations by
    their mentions, its country adjectives, and the headline's countries."""
    named = [ent.country for ent in entities if ent.country and ent.type in ("GPE", "ORG") for _ in ent.mentions]
    named += [k.adjectives[tok.text] for tok in doc if tok.text in k.adjectives]
    for word in re.findall(r"[\w']+", doc.user_data.get("title") or ""):  # the headline names the sides too
        country = k.adjectives.get(word) or k.country_names.get(word)
        if country:
            named.append(country)
    return focal_pair(named)


def told_as_earlier(trigger: Token) -> bool:
    """"had earlier visited", "signed three years ago": an event before the news, not on its day."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
    return verb is not None and (verb.tag_ == "VBN" and any(c.lower_ == "had" for c in verb.children)
                                 or any(c.lower_ in EARLIER for c in verb.subtree if c.dep_ in ("advmod", "npadvmod")))


def last_date(doc: Doc, start: int, end: int) -> DateValue | None:
    """The last date the paragraph gave before this sentence (from the article's start: the last day): what
    happened, undated, in "the two sides also signed ..." happened then."""
    dates = [d._.date for d in doc._.dates if start <= d.start < end and (d._.date.precision == "day" or start > 0)]
    return dates[-1] if dates else None


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
