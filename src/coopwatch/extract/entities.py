"""The `coop_entities` component: mentions grouped into entities, each with its country side and role.

`doc._.entities` lists `Entity` records; `doc._.entity_at` maps a token index to its entity's index.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..document import Entity
from .actors import ACRONYM
from .knowledge import Knowledge, knowledge
from .text import document_text

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT")
CONNECTOR_WORDS = {"of", "the", "for", "and", "on", "in", "de", "&"}
ROLE_STOP = re.compile(r"\s*(?:[,;:(\"“”]|\.\s|\.$|\btold\b|\bsaid\b|\bsays\b|\bnoted\b|\badded\b|\bwho\b|\bwhich\b)")

if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=None)
    Doc.set_extension("entity_at", default=None)


@Language.factory("coop_entities")
def make_entities(nlp: Language, name: str) -> "Entities":
    return Entities()


class Entities:
    def __init__(self):
        self.k: Knowledge = knowledge()
        self.role_words = sorted({w.lower() for w in self.k.words["role_words"]}, key=len, reverse=True)
        self.role_rx = re.compile(r"\b(?:" + "|".join(map(re.escape, self.role_words)) + r")\b", re.IGNORECASE)
        # a role word within the first few words of a phrase ("senior researcher with ...")
        self.role_lead_rx = re.compile(r"^(?:[\w\-]+\s+){0,3}?(?:" + self.role_rx.pattern + ")", re.IGNORECASE)
        self.titles = sorted(self.k.words["titles"], key=len, reverse=True)
        self.reporting = set(self.k.words["reporting_verbs"])
        parts = "|".join(map(re.escape, self.k.words["part_of_nouns"]))
        self.part_of_rx = re.compile(rf"(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,2}}(?:{parts})\s+of\s", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        self.text = document_text(doc)  # Doc.text and Doc.ents are rebuilt on every access: read once per document
        self.ents = doc.ents
        self.orgs = [e for e in self.ents if e.label_ == "ORG"]  # in text order: looked up by bisection
        self.org_chars = [e.start_char for e in self.orgs]
        self.org_tokens = [e.start for e in self.orgs]
        clusters: list[list[Span]] = []
        key_of: dict[str, int] = {}
        spans = [e for e in self.ents if e.label_ in ENTITY_TYPES]
        people = sorted((e for e in spans if e.label_ == "PERSON"), key=lambda e: (-len(e), e.start))
        for e in people:
            index = self.person_cluster(e, clusters)
            if index is None:
                clusters.append([e])
            else:
                clusters[index].append(e)
        for e in spans:
            if e.label_ == "PERSON":
                continue
            key = self.key(e, clusters, key_of)
            if key in key_of:
                clusters[key_of[key]].append(e)
            else:
                key_of[key] = len(clusters)
                clusters.append([e])
        clusters.sort(key=lambda c: min(m.start for m in c))
        entities, entity_at = [], {}
        for mentions in clusters:
            mentions.sort(key=lambda m: m.start)
            ent = self.entity(doc, mentions)
            if self.doubtful_person(ent, mentions):
                continue
            for m in mentions:
                for i in range(m.start, m.end):
                    entity_at[i] = len(entities)
            entities.append(ent)
        doc._.entities = entities
        doc._.entity_at = entity_at
        for ent in entities:  # people take their side from the organisation their role names
            if ent.type == "PERSON" and ent.country is None and ent.organization:
                ent.country = next((o.country for o in entities if o.name == ent.organization), None)
        return doc

    def doubtful_person(self, ent: Entity, mentions: list[Span]) -> bool:
        """A lone capitalised word the model called a person ("Gydan", "Amur"), with nothing else saying so:
        no role, no known name, never the one who speaks."""
        if ent.type != "PERSON" or " " in ent.name or ent.role or ent.canonical:
            return False
        if ent.name in self.k.surnames or ent.name in self.k.given_names:
            return False
        speaks = any(t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in self.reporting for m in mentions for t in m)
        return not speaks

    # -- grouping ----------------------------------------------------------------------------
    def person_cluster(self, e: Span, clusters: list[list[Span]]) -> int | None:
        tokens = {t.text for t in e}
        best, best_distance = None, None
        for i, cluster in enumerate(clusters):
            if cluster[0].label_ != "PERSON":
                continue
            if e._.actor is not None and cluster[0]._.actor is e._.actor:
                return i
            full = {t.text for t in cluster[0]}
            if tokens <= full or full <= tokens:
                distance = min(abs(e.start - m.start) + (0 if m.start < e.start else 10_000) for m in cluster)
                if best_distance is None or distance < best_distance:
                    best, best_distance = i, distance
        return best

    def key(self, e: Span, clusters: list[list[Span]], key_of: dict[str, int]) -> str:
        if e._.actor is not None:
            return "actor:" + e._.actor.name
        name = clean_name(e.text)
        if e.label_ in ("GPE", "LOC"):
            country = self.k.country_names.get(name)
            return f"country:{country}" if country else "place:" + name.lower()
        if e.label_ == "ORG" and ACRONYM.match(name):
            for key, index in key_of.items():
                full = clusters[index][0]
                if full.label_ == "ORG" and initials(full.text) == name.rstrip("s"):
                    return key
        return f"{e.label_}:{name.lower()}"

    # -- one entity --------------------------------------------------------------------------
    def entity(self, doc: Doc, mentions: list[Span]) -> Entity:
        label = mentions[0].label_
        actor = next((m._.actor for m in mentions if m._.actor is not None), None)
        name = max((clean_name(m.text) for m in mentions), key=len)
        ent = Entity(name=name, type=label, mentions=[(m.start_char, m.end_char) for m in mentions],
                     canonical=actor.name if actor else None)
        if label == "PERSON":
            for m in mentions:
                role = self.role(doc, m)
                if role:
                    ent.role, start, end = role
                    k = bisect_left(self.org_chars, start)  # the first organisation inside the role
                    org = self.orgs[k] if k < len(self.orgs) and self.org_chars[k] < end else None
                    ent.organization = clean_name(org.text) if org is not None else None
                    break
            if ent.role is None and actor is not None:
                ent.role = actor.role
            ent.country = (actor.country if actor else None) or self.nationality_before(doc, mentions) \
                or self.k.name_origin(name)
        elif label in ("GPE", "LOC"):
            ent.country = self.k.country_of(name)
        else:
            ent.country = (actor.country if actor else None) or self.parent_country(doc, mentions) \
                or self.name_country(name) or self.adjective_before(doc, mentions) \
                or self.described_after(doc, mentions)
        return ent

    def role(self, doc: Doc, m: Span) -> tuple[str, int, int] | None:
        """The role the text gives a person, with its character span: after the name
        (", deputy chairman of ..."), or before it ("Vice Premier", "the press officer of ...")."""
        text = self.text
        after = text[m.end_char:m.end_char + 200]
        if after.startswith(","):
            body = after[1:]
            phrase = ROLE_STOP.split(body.strip(), maxsplit=1)[0].strip()
            phrase = re.sub(r"^(?:a|an|the)\s+", "", phrase, flags=re.IGNORECASE)
            if phrase and self.role_rx.search(phrase) and len(phrase.split()) <= 18:
                start = text.index(phrase, m.end_char)
                return phrase, start, start + len(phrase)
        sent_start = m.sent.start_char
        before = text[sent_start:m.start_char]
        patterns = (
            r"\b(?:a|an|the)\s+([^,;.\"“”]{2,120}?)\s+(?:surnamed|named|called)\s+$",  # "a sales manager surnamed X"
            r"\b(?:the|a|an)\s+([^,;\"“”]{2,120})\s+$",  # "the press officer of the Russian Embassy in China X"
        )
        for pattern in patterns:
            found = re.search(pattern, before)
            if not found:
                continue
            phrase = found.group(1).strip()
            lead = self.role_lead_rx.match(phrase)
            if lead and not re.search(r"\b(?:is|are|was|were|has|have|said|told|says)\b", phrase):
                start = sent_start + found.start(1)
                return phrase, start, start + len(phrase)
        title = self.title_run(before.rstrip())
        if title:
            end = sent_start + len(before.rstrip())
            return title, end - len(title), end
        return None

    def title_run(self, before: str) -> str | None:
        """The titles right before a name, as many as stand there: "Director General", "Vice Premier"."""
        found, rest = "", before
        while True:
            title = next((t for t in self.titles if rest.endswith(t) and (len(rest) == len(t) or not rest[-len(t) - 1].isalnum())), None)
            if title is None:
                return found or None
            found = title + (" " + found if found else "")
            rest = rest[:-len(title)].rstrip()

    def nationality_before(self, doc: Doc, mentions: list[Span]) -> str | None:
        for m in mentions:
            words = doc[max(m.sent.start, m.start - 6):m.start].text.split()
            for word in reversed(words[-4:]):
                country = self.k.adjectives.get(word.strip(",")) if word[:1].isupper() else None
                if country:
                    return country
                if not word[:1].isupper():
                    break
        return None

    def parent_country(self, doc: Doc, mentions: list[Span]) -> str | None:
        """"China Economic and Social Research Center, the Institute of ... of the Russian Academy": the part
        belongs to the whole named after it."""
        for m in mentions:
            if not (m.end + 1 < len(doc) and doc[m.end].text == "," and doc[m.end + 1].lower_ == "the"):
                continue
            k = bisect_right(self.org_chars, m.end_char)  # the first organisation after the mention
            parent = self.orgs[k] if k < len(self.orgs) else None
            if parent is not None and parent.start_char - m.end_char <= 7:
                return self.name_country(clean_name(parent.text))
        return None

    def name_country(self, name: str) -> str | None:
        words = [w for w in re.split(r"[\s\-–/]+", name) if w]
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                country = self.k.country_of(" ".join(words[i:i + size]))
                if country:
                    return country
        return None

    def described_after(self, doc: Doc, mentions: list[Span]) -> str | None:
        """"LS Group, one of China's largest manufacturers", "Sollers, a Russian carmaker", "CNODC, a
        subsidiary of CNPC"."""
        kinds = {w.lower() for w in self.k.words["org_type_nouns"]}
        for m in mentions:
            if m.end >= len(doc) or doc[m.end].text != ",":
                continue
            window = doc[m.end + 1:min(m.end + 8, m.sent.end)]
            parent = self.parent_named(window)
            if parent:
                return parent
            for i, tok in enumerate(window):
                if tok.is_punct:
                    break
                country = self.k.adjectives.get(tok.text) or self.k.country_names.get(tok.text)
                if country and any(t.lower_ in kinds or t.lemma_ in kinds for t in window[i + 1:i + 4]):
                    return country
        return None

    def parent_named(self, window: Span) -> str | None:
        """The side of the organisation a description names as the whole: "a (wholly owned) subsidiary of X"."""
        if not self.part_of_rx.match(window.text):
            return None
        k = bisect_right(self.org_tokens, window.start)
        parent = self.orgs[k] if k < len(self.orgs) else None
        if parent is None or parent.start > window.end + 2:
            return None
        actor = parent._.actor
        return (actor.country if actor is not None else None) or self.name_country(clean_name(parent.text))

    def adjective_before(self, doc: Doc, mentions: list[Span]) -> str | None:
        """"Russian news agency Sputnik", "Chinese automaker X": a nationality right before the kind of thing."""
        kinds = {w.lower() for w in self.k.words["org_type_nouns"]}
        for m in mentions:
            i = m.start - 1
            while i >= m.sent.start and doc[i].lower_ in kinds:
                i -= 1
            if i > m.sent.start and doc[i].text in ("'s", "\u2019s") and i == m.start - 1:
                i -= 1  # "China's LS Group"
            if m.sent.start <= i < m.start - 1:
                word = re.sub(r"['’]s$", "", doc[i].text)
                country = self.k.adjectives.get(word) or self.k.country_names.get(word)
                if country:
                    return country
        return None


def clean_name(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"['’]s$", "", text).strip(" ,.;:\"“”")


def initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", clean_name(name)) if w and w.lower() not in CONNECTOR_WORDS
                   and w[0].isupper())
