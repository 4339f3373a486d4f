"""The `coop_entities` component: mentions grouped into entities, each with its country side and role.

`doc._.entities` lists `Entity` records; `doc._.entity_at` maps a token index to its entity's index.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..document import Entity
from .actors import ACRONYM, dateline
from .knowledge import Knowledge, knowledge, normal
from .text import document_text

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT")
CONNECTOR_WORDS = {"of", "the", "for", "and", "on", "in", "de", "&"}
# "X, who chairs Y": the verb of a relative clause that gives a role, and the role it gives
ROLE_VERBS = {"chairs": "chair", "heads": "head", "leads": "head", "directs": "director", "runs": "head",
              "manages": "manager", "chaired": "chair", "headed": "head", "led": "head"}
# titles of people who act for a state: without a country word they are taken to be of the dateline's country
STATE_TITLES = re.compile(r"\b(?:president|prime minister|premier|minister|secretary|senator|governor|chancellor|"
                          r"ambassador|spokes(?:man|woman|person)|mayor|king|queen|emir|sultan|lawmaker|"
                          r"parliament|congress|deputy|official|envoy|general|admiral|police)\b", re.IGNORECASE)
GOVERNMENT_BODY = re.compile(r"^(?:(?:Foreign|Finance|Defen[cs]e|Energy|Economy|Trade|Interior|Justice|Health|"
                             r"Transport|Agriculture|Environment)\s+Ministry|Ministry\s+of\b.*|Government|"
                             r"Cabinet|Parliament|Senate|Presidency|Central Bank|National Assembly)$")
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
        self.courtesy = set(self.k.words.get("courtesy_titles", []))
        self.title_of_rx = re.compile(r"(\b(?:%s)\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})$"
                                      % "|".join(map(re.escape, self.titles)))
        self.back_org = set(self.k.words.get("refer_back_org", []))
        self.back_named = set(self.k.words.get("refer_back_named", []))
        self.back_person = set(self.k.words.get("refer_back_person", []))
        self.back_rx = re.compile(r"\b[Tt]he\s+(?:[A-Z][\w-]*\s+)?(%s)\b" % "|".join(
            map(re.escape, sorted(self.back_org | self.back_named | self.back_person, key=len, reverse=True))),
            re.IGNORECASE)
        self.facility_heads = {w.lower() for w in self.k.words["facility_heads"]}
        self.fields = {w.lower() for w in self.k.words.get("title_fields", [])}
        # a role word in lower case right before a name: "spokesman X", "CAEA head X"
        self.bare_role_rx = re.compile(r"(?<![\w,'’])((?:[a-z][\w-]*\s+){0,2}?(?:%s))\s+$"
                                       % "|".join(re.escape(w) for w in self.role_words if w.islower()))
        self.reporting = set(self.k.words["reporting_verbs"])
        parts = "|".join(map(re.escape, self.k.words["part_of_nouns"]))
        self.part_of_rx = re.compile(rf"(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,2}}(?:{parts})\s+of\s", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        self.text = document_text(doc)  # Doc.text and Doc.ents are rebuilt on every access: read once per document
        self.ents = doc.ents
        self.orgs = [e for e in self.ents if e.label_ == "ORG"]  # in text order: looked up by bisection
        self.org_chars = [e.start_char for e in self.orgs]
        self.org_tokens = [e.start for e in self.orgs]
        line = dateline(self.text)
        self.home = line[2] if line else None  # the dateline's country
        self.possessors: dict[int, int] = {}  # entity index -> token of its possessor ("Duterte's spokesman X")
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
        entities, entity_at, fallback = [], {}, {}
        for mentions in clusters:
            mentions.sort(key=lambda m: m.start)
            self.last_possessor = None
            ent = self.entity(doc, mentions)
            if self.doubtful_person(ent, mentions):
                continue
            for m in mentions:
                for i in range(m.start, m.end):
                    entity_at[i] = len(entities)
            if self.last_possessor is not None:
                self.possessors[len(entities)] = self.last_possessor
            fallback[len(entities)] = self.fallback
            entities.append(ent)
        doc._.entities = entities
        doc._.entity_at = entity_at
        self.refer_back(doc, entities, entity_at)
        self.choose_places(entities)
        for index, ent in enumerate(entities):  # sides from other entities, then the weak guesses
            if ent.country is not None:
                continue
            if ent.type == "PERSON" and ent.organization:  # the organisation their role names
                ent.country = next((o.country for o in entities if o.name == ent.organization), None)
            if ent.country is None and index in self.possessors:  # "Duterte's spokesman X", "Equinor's X"
                owner = entity_at.get(self.possessors[index])
                if owner is not None and owner != index:
                    ent.country = entities[owner].country
            if ent.country is None:
                ent.country = fallback.get(index)
        return doc

    def choose_places(self, entities: list[Entity]) -> None:
        """A place name several countries hold ("Punjab", "Hyderabad", "London"): when the side the tables give
        is absent from the article and exactly one other holder is present, it is that one."""
        options = self.k.place_options
        if not options:
            return
        ambiguous = {i: options[normal(e.name)] for i, e in enumerate(entities)
                     if e.type in ("GPE", "LOC") and normal(e.name) in options}
        sides: dict[str, int] = {}
        for i, e in enumerate(entities):
            if e.country and i not in ambiguous:
                sides[e.country] = sides.get(e.country, 0) + len(e.mentions)
        if not sides:
            return

        def choose(held: tuple[str, ...], current: str | None) -> str | None:
            if current and sides.get(current):
                return current
            present = [c for c in held if c != current and sides.get(c)]
            return present[0] if len(present) == 1 else current

        for i, held in ambiguous.items():
            entities[i].country = choose(held, entities[i].country)
        for e in entities:  # "Asad Gillani, Punjab Provincial Energy Secretary"
            if e.country is None and e.type in ("PERSON", "ORG"):
                words = re.findall(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?", f"{e.name} {e.role or ''}")
                for word in words:
                    for part in (word, word.split()[0]):
                        if normal(part) in options:
                            e.country = choose(options[normal(part)], self.k.country_of(part))
                            break
                    if e.country:
                        break

    def refer_back(self, doc: Doc, entities: list[Entity], entity_at: dict[int, int]) -> None:
        """"the company", "the Russian carmaker", "the minister": the last one named of that kind in the three
        sentences before becomes the entity this mention stands for (its head word joins the entity's mentions)."""
        named = None
        sent_starts = None
        for m in self.back_rx.finditer(self.text):  # "the (Russian) company": few places to look
            found = doc.char_span(m.start(1), m.end(1))
            if found is None or len(found) != 1:
                continue
            tok = found[0]
            kind = tok.lower_
            if tok.i in entity_at or tok.tag_ in ("NNS", "NNPS"):
                continue
            if named is None:
                named = [i for i in sorted(entity_at) if i == 0 or entity_at.get(i - 1) != entity_at[i]]
            i, side = tok.i - 1, None
            if i >= 0 and doc[i].text[:1].isupper() and doc[i].i not in entity_at:
                side = self.k.adjectives.get(normal(doc[i].text))  # "the Russian carmaker"
                i -= 1 if side else 0
            if i < 0 or doc[i].lower_ != "the" or (tok.i + 1 < len(doc) and (
                    doc[tok.i + 1].lower_ == "of" or doc[tok.i + 1].pos_ == "PROPN")):
                continue  # "a company", "the Ministry of ...", "the company Zijin"
            if sent_starts is None:
                sent_starts = [s.start for s in doc.sents]
            here = bisect_right(sent_starts, tok.i) - 1
            limit = sent_starts[max(0, here - 3)]
            k = bisect_left(named, tok.i) - 1
            sent_start = doc[sent_starts[here]].idx
            verb = clause_verb(tok).i
            fits = []  # (token, entity) of the kind, nearest first
            while k >= 0 and named[k] >= limit:
                index = entity_at[named[k]]
                ent = entities[index]
                if any(sent_start <= a < tok.idx and clause_verb(doc.char_span(a, b, alignment_mode="expand").root).i
                       == verb for a, b in ent.mentions):
                    pass  # "the carmaker will supply engines to the company": not the carmaker itself
                elif ent.type == "ORG" and ent.name.split()[-1].lower() in self.facility_heads:
                    pass  # "the International Lunar Research Station": a place, not who "the corporation" is
                elif (side is None or ent.country == side) and (
                        (ent.type == "ORG" and (kind in self.back_org or kind in ent.name.lower())
                         and not GOVERNMENT_BODY.match(ent.name) if kind in self.back_org else
                         ent.type == "ORG" and kind in self.back_named and kind in ent.name.lower())
                        or (ent.type == "PERSON" and kind in self.back_person and kind in (ent.role or "").lower())):
                    fits.append((named[k], index))
                k -= 1
            if not fits:
                continue
            # one named as a subject in the same sentence, else the nearest ("Avtotor 'is cooperating with JMC',
            # the company said": Avtotor)
            index = next((x for i, x in fits if i >= sent_starts[here] and (
                doc[i].dep_ in ("nsubj", "nsubjpass") or doc[i].head.dep_ in ("nsubj", "nsubjpass")
                and doc[i].head.ent_iob_ != "O")), fits[0][1])
            entity_at[tok.i] = index
            entities[index].mentions = sorted(entities[index].mentions + [(tok.idx, tok.idx + len(tok.text))])

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
            country = self.k.country_names.get(normal(name))
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
                or self.role_country(ent.role if actor is None or ent.role != actor.role else None)
            self.fallback = None
            if ent.country is None and self.last_possessor is None:
                self.possessor(doc, mentions, 0)  # "Equinor's Anders Opedal"
            if ent.country is None and actor is None:
                strong = any(t in self.k.surnames for t in re.split(r"[\s-]+", name))
                origin = self.k.name_origin(name)
                official = self.home if ent.role and STATE_TITLES.search(ent.role) else None
                # a known surname beats the dateline; the dateline beats a surname ending
                self.fallback = (origin if strong else None) or official or origin
        elif label in ("GPE", "LOC"):
            self.fallback = None
            ent.country = self.k.country_of(name) or next(
                (c for c in (self.k.country_of(m.text) for m in mentions) if c), None)  # "U.S." kept its dot
            seat = self.k.words.get("acting_seats", {}).get(normal(name))
            if seat and any(m.root.dep_ in ("nsubj", "nsubjpass", "poss") for m in mentions):
                ent.country = seat  # "Brussels wants ...": the EU, not Belgium
        else:
            self.fallback = self.home if label == "ORG" and GOVERNMENT_BODY.match(name) else None
            if actor is not None and actor.category in ("international",):
                ent.country = None
                return ent
            ent.country = (actor.country if actor else None) or self.parent_country(doc, mentions) \
                or self.name_country(name) or self.adjective_before(doc, mentions) \
                or self.described_after(doc, mentions)
            if ent.country is None:
                self.possessor(doc, mentions, 0)
        return ent

    def role_country(self, role: str | None) -> str | None:
        """The side a role names: "Vietnam's Deputy Minister of ...", "an Iranian political scientist", "head of
        Roscosmos", "the Ministry of Economy of Japan"."""
        if not role:
            return None
        # only the role's own words: not "ambassador to China", "expert on Iranian-Russian relations", "a team
        # working with Chinese universities"
        head = re.split(r"\b(?:to|with|working|who|which|that|on|about|for|from|at|in|between|toward|towards)\b",
                        role, maxsplit=1)[0]
        return self.name_country(head)

    def possessor(self, doc: Doc, mentions: list[Span], skip: int) -> None:
        """Note the token of a possessor right before a mention (over `skip` role words): "Duterte's spokesman X",
        "Equinor's Anders Opedal"; its entity's side is taken once every entity is known."""
        for m in mentions:
            i = m.start - 1 - skip
            if i >= 1 and doc[i].text in ("'s", "\u2019s", "'", "\u2019") and doc[i - 1].text[:1].isupper():
                self.last_possessor = i - 1
                return
            if skip and i >= 0 and doc[i].ent_type_ in ("ORG", "GPE"):  # "RWE CEO Markus Krebber"
                self.last_possessor = i
                return

    def role(self, doc: Doc, m: Span) -> tuple[str, int, int] | None:
        """The role the text gives a person, with its character span: after the name
        (", deputy chairman of ..."), or before it ("Vice Premier", "the press officer of ...")."""
        text = self.text
        after = text[m.end_char:m.end_char + 200]
        who = re.match(r",\s*who\s+(?:is|was|also\s+is|serves\s+as|served\s+as)\s+(?:also\s+)?(.+)", after) \
            or re.match(r",\s*who\s+(%s)\s+(.+)" % "|".join(ROLE_VERBS), after)
        if who:
            if who.re.pattern.find("serves") >= 0:
                phrase = ROLE_STOP.split(who.group(1).strip(), maxsplit=1)[0].strip()
                phrase = re.sub(r"\s+and\s+(?:heads|chairs|leads)\b.*$", "", phrase)
                phrase = re.sub(r"^(?:a|an|the)\s+", "", phrase, flags=re.IGNORECASE)
                if phrase and self.role_rx.search(phrase) and len(phrase.split()) <= 18:
                    start = text.index(phrase, m.end_char)
                    return phrase, start, start + len(phrase)
            else:
                body = ROLE_STOP.split(who.group(2).strip(), maxsplit=1)[0].strip()
                body = re.sub(r"^the\s+", "", body)
                if body:
                    start = text.index(body, m.end_char)
                    return f"{ROLE_VERBS[who.group(1)]} of {body}", start, start + len(body)
        if after.startswith(","):
            body = after[1:]
            phrase = ROLE_STOP.split(body.strip(), maxsplit=1)[0].strip()
            phrase = re.sub(r"^(?:a|an|the)\s+", "", phrase, flags=re.IGNORECASE)
            if phrase and self.role_rx.search(phrase) and len(phrase.split()) <= 18:
                start = text.index(phrase, m.end_char)
                title = self.title_run(text[m.sent.start_char:m.start_char].rstrip())
                if title and title.lower() not in phrase.lower() and title not in self.courtesy:
                    phrase = f"{title}, {phrase}"  # "Senator X, a former police chief"
                return phrase, start, start + len(phrase)
        sent_start = m.sent.start_char
        before = text[sent_start:m.start_char]
        patterns = (
            r"\b(?:a|an|the)\s+([^,;.\"“”]{2,120}?)\s+(?:surnamed|named|called)\s+$",  # "a sales manager surnamed X"
            r"\b(?:the|a|an)\s+([^,;\"“”]{2,120})\s+$",  # "the press officer of the Russian Embassy in China X"
            r"(?:^|[.;:]\s+|\b(?:the|a|an)\s+)([^,;\"“”]{2,80}),\s+$",  # "The head of Roscosmos, Yuri Borisov, said"
        )
        for pattern in patterns:
            if pattern.endswith(r",\s+$") and not after.startswith(","):
                continue
            found = re.search(pattern, before)
            if not found:
                continue
            phrase = re.sub(r"^(?:the|a|an)\s+", "", found.group(1).strip(), flags=re.IGNORECASE)
            lead = self.role_lead_rx.match(phrase)
            if lead and not re.search(r"\b(?:is|are|was|were|has|have|said|told|says)\b", phrase):
                start = sent_start + found.end(1) - len(phrase)
                return phrase, start, start + len(phrase)
        title = self.title_run(before.rstrip())
        if title and title not in self.courtesy:
            end = sent_start + len(before.rstrip())
            self.possessor(doc, [m], len(title.split()))
            return title, end - len(title), end
        bare = self.bare_role_rx.search(before)  # "Duterte's spokesman X", "CAEA head X"
        if bare:
            self.possessor(doc, [m], len(bare.group(1).split()))
            start = sent_start + bare.start(1)
            return bare.group(1), start, start + len(bare.group(1))
        return None

    def title_run(self, before: str) -> str | None:
        """The titles right before a name, as many as stand there: "Director General", "Vice Premier", with the
        words that say of what ("Finance Minister", "Chief Minister of Punjab")."""
        found, rest = "", before
        of_place = self.title_of_rx.search(rest, max(0, len(rest) - 160))
        if of_place:  # "Chief Minister of Punjab X"
            found = of_place.group(1)
            rest = rest[:of_place.start(1)].rstrip()
        modifiers = 0
        while True:
            title = next((t for t in self.titles if rest.endswith(t) and (len(rest) == len(t) or not rest[-len(t) - 1].isalnum())), None)
            if title is None:
                word = re.search(r"(?:^|\s)([A-Z][a-z]+)$", rest)
                # a field before a title: "Finance Minister", "Defense Secretary", not a country's adjective
                if found and word and modifiers < 1 and word.group(1) not in self.titles \
                        and self.k.country_of(word.group(1)) is None and word.group(1).lower() in self.fields:
                    found = word.group(1) + " " + found
                    rest = rest[:word.start(1)].rstrip()
                    modifiers += 1
                    continue
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
        words = [re.sub(r"['’]s?$", "", w) for w in re.split(r"[\s\-–/,]+", name) if w]
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                country = self.k.country_of(" ".join(words[i:i + size]))
                if country:
                    return country
        for size in (3, 2, 1):  # "Roscosmos' Central Research Institute", "head of Rosatom"
            for i in range(len(words) - size + 1):
                actor = self.k.actors.get(" ".join(words[i:i + size]))
                if actor is not None and actor.country and words[i][:1].isupper():
                    return actor.country
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
            based = re.search(r"\b(?:based|headquartered|registered|located)\s+in\s+((?:the\s+)?[A-Z][\w'’-]*"
                              r"(?:\s+[A-Z][\w'’-]*){0,3})", doc[m.end + 1:min(m.end + 14, m.sent.end)].text)
            if based:  # "X, a company based in Heilongjiang Province"
                country = self.name_country(based.group(1))
                if country:
                    return country
            for i, tok in enumerate(window):
                if tok.is_punct:
                    break
                country = self.k.adjectives.get(normal(tok.text)) or self.k.country_names.get(normal(tok.text))
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
        """"Russian news agency Sputnik", "Norwegian energy company X", "Chinese companies such as X", "China's
        Avicopter": a nationality before the kind of thing the name is."""
        kinds = {w.lower() for w in self.k.words["org_type_nouns"]}
        for m in mentions:
            i, kind_seen = m.start - 1, False
            if i > m.sent.start and doc[i].lower_ == "as" and doc[i - 1].lower_ == "such":
                i -= 2  # "Chinese companies such as X"
            elif i >= m.sent.start and doc[i].lower_ in ("including", "like"):
                i -= 1
            while i >= m.sent.start and m.start - i <= 6 and (doc[i].lower_ in kinds or doc[i].lemma_ in kinds
                                                               or (doc[i].is_lower and (doc[i].pos_ in ("NOUN", "ADJ")
                                                                                        or doc[i].tag_ in ("VBN", "VBG")
                                                                                        or doc[i - 1].text == "-"))
                                                               or doc[i].text == "-"):  # "state-run firm"
                kind_seen = kind_seen or doc[i].lower_ in kinds or doc[i].lemma_ in kinds
                i -= 1
            if i > m.sent.start and doc[i].text in ("'s", "\u2019s") and i == m.start - 1:
                i -= 1  # "China's LS Group"
                kind_seen = True
            if kind_seen and m.sent.start <= i < m.start - 1:
                word = re.sub(r"['’]s$", "", doc[i].text)
                country = self.k.country_of(word)  # "Indian", "China's", "Moscow-based"
                if country:
                    return country
        return None


def clause_verb(tok):
    """The verb whose clause a token stands in."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    return tok


COMPANY_ENDING = re.compile(r"\b(?:Co|Ltd|Inc|Corp|Plc|Bhd|Pte|Pty|Ltda|Cia)\.$")


def clean_name(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    text = re.sub(r"['’]s$", "", text)
    if COMPANY_ENDING.search(text):
        return text.strip(" ,;:\"“”/")  # "Co. Ltd.": the full stop is the abbreviation's
    return text.strip(" ,.;:\"“”/")


def initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", clean_name(name)) if w and w.lower() not in CONNECTOR_WORDS
                   and w[0].isupper())
