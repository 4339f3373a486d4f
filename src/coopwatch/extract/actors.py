"""The `coop_actors` component: puts right what spaCy's small NER model gets wrong about actors.

It runs after `ner` and rewrites `doc.ents`:
- gazetteer names and aliases become entities of the gazetteer's type (`span._.actor` holds the entry);
- organisation names are completed to the whole capitalised name ("the Ministry of Science and Higher
  Education" + "of the Russian Federation"), and found where the model missed them, by their head words;
- labels are repaired from context: "carmaker Moskvich" is an organisation, "Kranina, a senior
  researcher" and "Vice Premier Sun Chunlan" are people, a later "Xiang" is the person named before;
- abbreviations that are not organisations ("NEV") are dropped.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .knowledge import Knowledge, knowledge, normal
from .text import document_text

CONNECTORS = {"of", "the", "for", "and", "on", "de", "&", "-", "in"}
ON_HEADS = {"commission", "committee", "council", "conference", "forum", "agreement", "treaty", "group"}
PLACE_IN_NAME = {"embassy", "consulate", "office", "mission", "representation", "representative", "branch"}
EVENT_HEADS = {"year", "years", "week", "forum", "expo", "exhibition", "summit", "conference", "games", "festival",
               "salon", "show", "olympics", "fair", "congress", "dialogue", "initiative"}
# what a name ending in these words is: a document or agreement ("St Petersburg Declaration", "Paris Agreement") is no
# actor and no person; a drill or an exercise ("Joint Sea-2021 exercise") is an event
LAW_HEADS = {"declaration", "treaty", "agreement", "accord", "accords", "convention", "protocol", "charter",
             "memorandum", "communique", "communiqué", "pact", "act", "law", "roadmap", "doctrine", "resolution"}
DRILL_HEADS = {"exercise", "exercises", "drill", "drills", "manoeuvres", "maneuvers", "wargames"}
# "BRASILIA, May 3 (Reuters) -", "OSLO (dpa-AFX) -", "MOSCOW, March 22. /TASS/.", "MANILA –": a place in capitals
# opening a paragraph, then a date, an agency credit or a dash
DATELINE = re.compile(r"(?m)^(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,2})"
                      r"(?P<rest>(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2}?)?\s*"
                      r"(?:[.,]?\s*(?:\([^()\n]{2,40}\)|/[^/\n]{2,20}/)\s*[.,]?\s*(?:-{1,2}|–|—)?|\s*(?:-{1,2}|–|—)))\s")


def dateline(text: str) -> tuple[int, int, str | None] | None:
    """The dateline's place in the first paragraphs: (start, end, its country). A place in capitals with only a
    dash after it ("MANILA –") must be a known place; with a date or an agency credit it need not be."""
    m = DATELINE.search(text, 0, 600)
    if m is None:
        return None
    k = knowledge()
    place, rest = m.group("place"), m.group("rest")
    country = k.country_of(place.title()) or k.country_of(place)
    region = re.match(r",\s*([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)", rest)
    if country is None and region:
        country = k.country_of(region.group(1))  # "STEPHENVILLE, Newfoundland --"
    if country is None and not re.search(r"[(/]|,\s*[A-Z][a-z]+\.?\s+\d", rest):
        return None
    return m.start("place"), m.end("place"), country


def dateline_credit(text: str) -> tuple[int, int] | None:
    """The agency a dateline credits: "(Reuters)", "(dpa-AFX)", "/TASS/"."""
    m = DATELINE.search(text, 0, 600)
    credit = re.search(r"\(([^()\n]{2,40})\)|/([^/\n]{2,20})/", m.group("rest")) if m else None
    if credit is None:
        return None
    group = 1 if credit.group(1) else 2
    return m.start("rest") + credit.start(group), m.start("rest") + credit.end(group)


KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "NORP", "DATE", "TIME", "PERCENT",
               "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW", "WORK_OF_ART", "LANGUAGE"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "NORP"}
# words that name a part of a place ("Eastern and Western Siberia")
DIRECTIONS = {"eastern", "western", "northern", "southern", "central", "north", "south", "east", "west", "upper",
              "lower", "inner", "outer", "greater", "northeastern", "northwestern", "southeastern", "southwestern"}
# a name ending in one of these is a region ("Kurgan Regions")
REGION_HEADS = {"region", "regions", "province", "provinces", "oblast", "oblasts", "krai", "prefecture", "county",
                "territory", "territories"}
# titles that stand between an organisation and a person's name ("Kanemori CEO Hideo Tanabe")
PERSON_TITLES = {"CEO", "Chairman", "Chairwoman", "President", "Minister", "Director", "Governor", "Secretary",
                 "Ambassador", "Spokesman", "Spokeswoman", "Spokesperson", "Chancellor", "Premier", "CFO", "CTO"}
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")

if not Span.has_extension("actor"):
    Span.set_extension("actor", default=None)


@Language.factory("coop_actors")
def make_actors(nlp: Language, name: str) -> "Actors":
    return Actors(nlp)


class Actors:
    def __init__(self, nlp: Language):
        self.k: Knowledge = knowledge()
        words = self.k.words
        self.org_heads = {w.lower() for w in words["org_heads"]}
        self.not_org = set(words["not_org_names"])
        self.org_type_nouns = {w.lower() for w in words["org_type_nouns"]}
        self.facility_heads = {w.lower() for w in words["facility_heads"]}
        self.title_words = {w for t in words["titles"] for w in t.split()} - {"General", "Head", "Chief"}
        self.role_words = {w.lower() for w in words["role_words"]}
        self.titles = sorted(words["titles"], key=len, reverse=True)
        self.not_entities = set(words["not_entities"])
        self.title_fields = {w.lower() for w in words.get("title_fields", [])}
        self.kind_then_name = re.compile(r"(?<![\w-])(%s)\s+(?=[A-Z0-9])" % "|".join(
            re.escape(n) for n in sorted(self.org_type_nouns, key=len, reverse=True) if " " not in n))
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        surfaces = set()
        for surface in self.k.actors:  # each name also as typeset: "People’s", "MSU–BIT"
            surfaces.add(surface)
            surfaces.update(typeset_variants(surface))
        self.matcher.add("ACTOR", [nlp.make_doc(s) for s in sorted(surfaces)])

    def __call__(self, doc: Doc) -> Doc:
        line = dateline(doc.text)
        self.dateline_span = doc.char_span(line[0], line[1], alignment_mode="expand") if line else None
        ents = [self.trim(e) for e in doc.ents if e.label_ in KEEP_LABELS]
        ents = [e for e in ents if e is not None]
        ents = self.split_possessives(doc, ents)
        ents = self.add_gazetteer(doc, ents)
        ents = [self.relabel(doc, e) for e in ents]
        ents = self.complete_orgs(doc, ents)
        ents = self.named_after_kind(doc, ents)
        ents += self.abbreviations(doc, ents)
        ents += self.persons_from_context(doc, ents)
        ents = self.link_short_person_mentions(doc, ents)
        ents = self.whole_names(doc, ents)
        self.text, self.named_inside, self.parens = document_text(doc), None, None  # per document, built when first needed
        ents = [e for e in ents if not self.is_junk(doc, e)]
        if self.dateline_span is not None:  # the dateline is a place, never an actor
            d = self.dateline_span
            ents = [e for e in ents if e.end <= d.start or e.start >= d.end] + [Span(doc, d.start, d.end, label="GPE")]
            credit = dateline_credit(doc.text)
            span = doc.char_span(*credit, alignment_mode="expand") if credit else None
            if span is not None and not any(e.start < span.end and span.start < e.end for e in ents):
                agency = Span(doc, span.start, span.end, label="ORG")  # "/TASS/.", "(dpa-AFX)": the agency
                name = doc.text[credit[0]:credit[1]]
                agency._.actor = self.k.actors.get(name) or self.k.actors.get(normal(name))
                ents.append(agency)
        doc.ents = filter_spans(ents)
        return doc

    # -- building blocks ---------------------------------------------------------------------
    def trim(self, span: Span) -> Span | None:
        """Drop a leading article and, on names, leading words that are not part of the name ("Citing")."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct
                               or (span.label_ in NAME_LABELS and not doc[start].text[:1].isupper()
                                   and not doc[start].text[:1].isdigit())):
            start += 1
        if span.label_ == "PERSON" and end - start >= 3 and doc[start].is_sent_start \
                and (doc[start].lower_.endswith("ing") or doc[start].tag_ in ("VBG", "VBD", "VBZ", "IN", "RB")):
            start += 1  # "Citing Sergey Sanakoev": a sentence-opening verb is not part of the name
        while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s")):
            end -= 1
        if start >= end:
            return None
        new = Span(doc, start, end, label=span.label_)
        new._.actor = span._.actor
        return new

    def split_possessives(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """"Equinor’s Anders" + "Opedal": the owner and the person are two names, whatever the model joined."""
        starts = {e.start: e for e in ents}
        out, dropped = [], set()
        for e in ents:
            if id(e) in dropped:
                continue
            cut = next((i for i in range(e.start + 1, e.end - 1) if doc[i].text in ("'s", "\u2019s")), None)
            following = starts.get(e.end)
            person_after = following is not None and following.label_ == "PERSON"
            if cut is None or not (person_after or e.label_ == "PERSON") \
                    or not all(t.text[:1].isupper() for t in doc[cut + 1:e.end]):
                out.append(e)
                continue
            owner = doc[e.start:cut].text
            out.append(Span(doc, e.start, cut, label="GPE" if self.k.country_of(owner) else "ORG"))
            end = following.end if person_after else e.end
            if person_after:
                dropped.add(id(following))
            out.append(Span(doc, cut + 1, end, label="PERSON"))
        return [e for e in out if id(e) not in dropped]

    def add_gazetteer(self, doc: Doc, ents: list[Span]) -> list[Span]:
        found = []
        for _, start, end in self.matcher(doc):
            surface = doc[start:end].text
            actor = self.k.actors.get(surface) or self.k.actors.get(normal(surface))
            if actor is None:
                continue
            span = Span(doc, start, end, label=actor.type)
            span._.actor = actor
            found.append(span)
        found = filter_spans(found)  # sorted, not overlapping: the names inside or across an entity by bisection
        starts = [g.start for g in found]
        removed: set[int] = set()
        kept = []
        for e in ents:
            first, last = bisect_left(starts, e.start), bisect_left(starts, e.end)
            inside = [found[k] for k in range(first, last) if k not in removed and found[k].end <= e.end]
            listed = [g for g in inside if g.start > e.start and doc[g.start - 1].lower_ in ("and", ",", "&")]
            if listed:  # "China National Space Administration and Roscosmos": two names, not one
                cut = min(g.start for g in listed) - 1
                if cut > e.start and not any(g.start < cut for g in inside):
                    kept.append(Span(doc, e.start, cut, label=e.label_))
            elif inside and any(g.end - g.start < e.end - e.start for g in inside) and (
                    e.label_ == "ORG" or (e.label_ == "PERSON" and all(g.start > e.start and g.end == e.end
                                                                         and g.label_ != "PERSON" for g in inside))):
                for k in range(first, last):  # a longer name holding a known one stays whole: an institute of an
                    if k not in removed and found[k].end <= e.end:  # academy, or "Michael Bloomberg" (not the outlet)
                        removed.add(k)
                kept.append(e)
            else:
                k = last - 1  # the last name starting before the entity ends has the furthest end
                while k in removed:
                    k -= 1
                if k < 0 or found[k].end <= e.start:
                    kept.append(e)
        found = [g for k, g in enumerate(found) if k not in removed]
        return kept + found

    def chunk(self, doc: Doc, i: int) -> tuple[int, int]:
        """The capitalised name that token i starts: capitalised words joined by connectors."""
        sent_end = doc[i].sent.end
        end = i + 1
        j = i + 1
        while j < sent_end:
            tok = doc[j]
            if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B":
                break
            if is_capitalised(tok):
                end = j + 1
                j += 1
                continue
            if tok.lower_ in CONNECTORS:
                if tok.lower_ == "in" and not any(doc[x].lower_ in PLACE_IN_NAME for x in range(i, j)):
                    break
                if tok.lower_ == "on" and not any(doc[x].lower_ in ON_HEADS for x in range(i, j)):
                    break  # "Sabetta on the Yamal Peninsula" is two names
                if tok.lower_ == "and" and j + 1 < sent_end and self.starts_new_name(doc, j + 1):
                    break
                j += 1
                continue
            break
        return i, end

    def starts_new_name(self, doc: Doc, i: int) -> bool:
        if doc[i].lower_ == "the" and i + 1 < len(doc):
            i += 1
        tok = doc[i]
        word = tok.text.split("-")[0]
        return (tok.ent_iob_ == "B" and tok.ent_type_ in ("ORG", "PERSON")) or self.k.country_of(word) is not None

    def complete_orgs(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Widen organisation names to the whole capitalised name; add the ones the model missed."""
        out = []
        covered = set()
        for e in ents:
            if e.label_ in ("ORG", "EVENT", "FAC") and e._.actor is None:
                start, whole = self.widen(doc, e.start, e.end)
                end = self.without_title(doc, start, whole)  # "CNPC Chairman Zhou Jiping": the title is the person's
                title = next((i for i in range(start + 1, end - 1) if doc[i].text in PERSON_TITLES
                              and all(is_capitalised(t) and t.lower_ not in self.org_heads for t in doc[i + 1:end])), None)
                if title is not None:  # "Kanemori CEO Hideo Tanabe": the organisation, its title, a person
                    out.append(Span(doc, title + 1, end, label="PERSON"))
                    covered.update(range(title + 1, end))
                    end = title
                label = self.org_or_event(doc[start:end])
                if label is None and e.label_ == "ORG" and self.products(doc[start:end]):
                    label = "PRODUCT"
                if label is None and end < whole and doc[whole - 1].text in self.title_words:
                    # "Punjab Provincial Energy Secretary": a person's title, no organisation's name before it
                    label = "GPE" if self.k.country_of(doc[start:end].text) else None
                    if label is None:
                        continue
                span = Span(doc, start, end, label=label or e.label_)
                out.append(span)
                covered.update(range(start, end))
            else:
                out.append(e)
                if e._.actor is not None or e.label_ == "PERSON":
                    covered.update(range(e.start, e.end))
        i = 0
        while i < len(doc):
            tok = doc[i]
            if i in covered or not is_capitalised(tok) or tok.is_stop:
                i += 1
                continue
            start, end = self.chunk(doc, i)
            end = self.without_title(doc, start, end)
            label = self.org_or_event(doc[start:end])
            if label and not any(x in covered for x in range(start, end)):
                out = [e for e in out if not (e.start >= start and e.end <= end)]
                out.append(Span(doc, start, end, label=label))
                covered.update(range(start, end))
            i = max(end, i + 1)
        return out

    def widen(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """Extend a name to the right over "of the Russian Federation" / "in China" and the like."""
        left = start
        while left > 0:
            prev = doc[left - 1]
            if prev.text == "-" and prev.whitespace_ == "" and left > 1 and is_capitalised(doc[left - 2]):
                left -= 2  # "China-Russia Commercial Aircraft ..."
            elif is_capitalised(prev) and prev.sent == doc[start].sent and not doc[left].is_sent_start \
                    and prev.ent_type_ not in ("PERSON", "DATE", "CARDINAL") and not prev.is_stop \
                    and not self.title_before(doc, left):
                left -= 1
            else:
                break
        _, chunk_end = self.chunk(doc, start)
        return left, max(end, chunk_end)

    def org_or_event(self, span: Span) -> str | None:
        text = span.text
        if text in self.not_org or self.k.country_of(text):
            return None
        words = [t.lower_ for t in span if is_capitalised(t) or t.lower_ in self.org_heads]
        names = [t for t in span if is_capitalised(t) and t.lower_ not in self.org_heads and not t.is_stop]
        if not names:
            return None  # "News reports", "Group": a capitalised common word alone names nothing
        if span[-1].lower_ in LAW_HEADS:
            return "LAW"  # "Strategic Partnership Agreement": a document, not an organisation
        if span[-1].lower_ in DRILL_HEADS:
            return "EVENT"
        if span[-1].lower_ in self.facility_heads:
            return "FAC"
        if any(w in EVENT_HEADS for w in words):
            return "EVENT"
        if any(w in self.org_heads for w in words) and any(is_capitalised(t) for t in span):
            return "ORG"
        return None

    def relabel(self, doc: Doc, e: Span) -> Span:
        if e._.actor is not None:
            return e
        label = e.label_
        kind_before = False  # the words around are read only for the labels they can change (not dates, numbers)
        if label in ("PERSON", "GPE", "NORP", "PRODUCT"):
            before = doc[max(e.sent.start, e.start - 2):e.start].text.lower()
            kind_before = (any(before.endswith(n) for n in self.org_type_nouns) or self.kind_after(doc, e.end)) \
                and not self.k.country_of(e.text)
        if kind_before or (label in ("PERSON", "GPE", "NORP", "PRODUCT") and self.kind_next(doc, e)):
            label = "ORG"  # "carmaker Moskvich", "news agency Sputnik", "Nordvik Kraft, the Norwegian energy firm",
            # "Mongolia's Udriin Sonin newspaper"
        elif label == "PERSON" and len(e) > 1 and len(e[0].text) > 1 and e[0].text.isalpha() and e[0].text.isupper():
            label = "ORG"  # "RTB Bor", "PT Antam": a name opening with an acronym is a firm's
        elif label in ("ORG", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT") and self.looks_like_person(doc, e):
            label = "PERSON"
        elif label == "PERSON" and (e[-1].lower_ in self.facility_heads or e[-1].lower_ in self.org_heads):
            label = "FAC" if e[-1].lower_ in self.facility_heads else "ORG"  # "Leopard National Park"
        elif label in ("ORG", "PERSON", "NORP", "PRODUCT") and (e.text in self.k.places
                                                               or normal(e.text) in self.k.country_names):
            label = "GPE"  # "the EU", "US": a side, not an organisation
        if label == "ORG" and self.products(e):
            label = "PRODUCT"
        if label in ("ORG", "PERSON") and not any(t.lower_ in self.org_heads for t in e):
            if e[-1].lower_ in REGION_HEADS or (len(e) > 1 and (e[-1].text in self.k.places
                                                                or e[-1].text in self.k.country_names)
                                                and all(t.lower_ in ("and", "&", ",") or t.pos_ == "ADJ"
                                                        for t in e[:-1])) \
                    or (len(e) > 1 and any(t.lower_ in DIRECTIONS for t in e[:-1])
                        and all(t.lower_ in DIRECTIONS or t.lower_ in ("and", "&", ",") for t in e[:-1])):
                label = "GPE"  # "Omsk and Kurgan Regions", "Eastern and Western Siberia"
            elif label == "ORG" and len(e) > 1 and e[-1].like_num and e[-1].text.isdigit():
                label = "FAC"  # "Tianwan 1": a unit, not an organisation
        if label in ("PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT") and e[-1].lower_ in LAW_HEADS:
            label = "LAW"  # "St Petersburg Declaration", "Strategic Partnership Agreement"
        elif label in ("PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT") and e[-1].lower_ in DRILL_HEADS:
            label = "EVENT"
        if label == e.label_:
            return e
        new = Span(doc, e.start, e.end, label=label)
        return new

    def without_title(self, doc: Doc, start: int, end: int) -> int:
        """The end of a name without the person's title after it, and the title's field ("EU Energy Commissioner")."""
        cut = end
        while cut - start > 1 and doc[cut - 1].text in self.title_words:
            cut -= 1
        while cut < end and cut - start > 1 and doc[cut - 1].lower_ in self.title_fields:
            cut -= 1
        return cut

    def named_after_kind(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """"Indian aircraft firm Bharat Aero", "the company Zijin": the capitalised name right after the kind of
        organisation is that organisation, whatever the model made of its words."""
        taken = None
        out = ents
        for m in self.kind_then_name.finditer(doc.text):  # a lower-case kind, then a capital: few places to look
            kind = doc.char_span(m.start(1), m.end(1))
            if kind is None or kind.end >= len(doc):
                continue
            tok, j = kind[-1], kind.end
            if taken is None:
                taken = {i for e in ents if e.label_ in ("PERSON", "ORG") or e._.actor is not None
                         for i in range(e.start, e.end)}
            if j in taken or not is_capitalised(doc[j]) or doc[j].text in self.title_words or doc[j].is_sent_start \
                    or doc[j].ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
                continue
            start, end = self.chunk(doc, j)
            end = self.without_title(doc, start, end)
            name = doc[start:end]
            if any(i in taken for i in range(start, end)) or self.k.country_of(name.text) \
                    or not any(c.isalpha() for c in name.text) or name.text in self.not_entities:
                continue
            out = [e for e in out if e.end <= start or e.start >= end] + [Span(doc, start, end, label="ORG")]
            taken.update(range(start, end))
        return out

    def products(self, e: Span) -> bool:
        """"Chang'e-7 and Luna-26": two missions or models joined, no organisation's head word in them."""
        return any(t.lower_ == "and" for t in e) and not any(t.lower_ in self.org_heads for t in e) \
            and re.search(r"[A-Za-z'’]-?\d", e.text) is not None

    def kind_next(self, doc: Doc, e: Span) -> bool:
        """"the Udriin Sonin newspaper", "the Kestrel group": a name right before a noun of organisations."""
        after = doc[e.end] if e.end < len(doc) else None
        return after is not None and after.pos_ == "NOUN" and after.lower_ in self.org_type_nouns \
            and after.dep_ != "conj" and not self.k.country_of(e.text) and e.text not in self.k.places

    def kind_after(self, doc: Doc, end: int) -> bool:
        """", the Norwegian state energy firm" / ", a Japanese trading house" right after a name: an organisation."""
        if end + 1 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in ("a", "an", "the"):
            return False
        kind = False
        for tok in doc[end + 2:min(len(doc), end + 8)]:
            if tok.is_punct or tok.lower_ in ("who", "which", "that"):
                break
            if tok.lower_ in self.role_words or tok.text in ("'s", "\u2019s"):
                return False  # ", the company's chief executive": a person's role
            kind = kind or tok.lower_ in self.org_type_nouns or tok.lemma_ in self.org_type_nouns
        return kind

    def looks_like_person(self, doc: Doc, e: Span) -> bool:
        if any(t.lower_ in self.org_heads for t in e) or self.k.country_of(e.text) or len(e) > 4:
            return False
        if not all(t.text[:1].isupper() for t in e):
            return False
        if self.title_before(doc, e.start):
            return True
        if self.role_after(doc, e.end):
            return True
        if len(e) in (2, 3) and e[0].text in self.k.given_names and e[-1].text not in self.k.given_names \
                and e.label_ != "GPE":
            return True  # "Konstantin Chuychenko" taken for a title: a known given name and a surname
        return len(e) >= 2 and self.k.surnames.get(e[0].text) == "CN" and len(e[-1].text) > 1 and e.label_ == "ORG"

    def title_before(self, doc: Doc, start: int) -> str | None:
        text = doc[max(0, start - 6):start].text.rstrip()
        for title in self.titles:
            if text.endswith(title) and (len(text) == len(title) or not text[-len(title) - 1].isalnum()):
                return title
        return None

    def role_after(self, doc: Doc, end: int) -> bool:
        """", a senior researcher with ..." / ", deputy chairman of ..." right after a name."""
        if end >= len(doc) or doc[end].text != ",":
            return False
        words = []
        for tok in doc[end + 1:min(len(doc), end + 8)]:
            if tok.is_punct:
                break
            words.append(tok.lower_)
        phrase = " ".join(words)
        return any(re.search(rf"\b{re.escape(r)}\b", phrase) for r in self.role_words) and \
            (not words or words[0] in ("a", "an", "the") or words[0] not in self.org_heads)

    def persons_from_context(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """People the model missed: "surnamed Anashkin", or a capitalised word followed by a role."""
        taken = {i for e in ents for i in range(e.start, e.end)}
        found = []
        for tok in doc:
            if tok.i in taken or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN",):
                continue
            prev = doc[tok.i - 1].lower_ if tok.i else ""
            if prev in ("surnamed", "named", "called"):
                found.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
            elif tok.i >= 1 and doc[tok.i - 1].text in PERSON_TITLES and tok.i + 1 < len(doc) \
                    and doc[tok.i + 1].pos_ == "PROPN" and is_capitalised(doc[tok.i + 1]) and tok.i + 1 not in taken:
                end = tok.i + 2  # "Minister Phosy Kaysy": a title, then a name of two or three words
                if end < len(doc) and doc[end].pos_ == "PROPN" and is_capitalised(doc[end]) and end not in taken:
                    end += 1
                name = doc[tok.i:end]
                if not self.k.country_of(name.text) and not any(t.lower_ in self.org_heads for t in name):
                    found.append(Span(doc, tok.i, end, label="PERSON"))
            elif tok.is_sent_start:  # "Kranina, a senior researcher ..." / "Zhao Yuming, a wetland ecologist ..."
                end = tok.i + 1
                while end < min(len(doc), tok.i + 3) and doc[end].pos_ == "PROPN" and end not in taken:
                    end += 1
                if self.role_after(doc, end) and not self.k.country_of(doc[tok.i:end].text):
                    found.append(Span(doc, tok.i, end, label="PERSON"))
        return found

    def whole_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """"TVEL President Natalia" + "Nikipelova": a person's name goes on over the capitalised name words after
        it that no other entity holds."""
        taken = {i for e in ents for i in range(e.start, e.end)}
        out = []
        for e in ents:
            end = e.end
            while e.label_ == "PERSON" and e._.actor is None and end < len(doc) and end - e.end < 2 \
                    and end not in taken and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                    and doc[end].text.isalpha() and not doc[end].is_sent_start \
                    and doc[end].lower_ not in self.org_heads and doc[end].text not in self.title_words \
                    and self.k.country_of(doc[end].text) is None:
                end += 1
            if end > e.end:
                e = Span(doc, e.start, end, label="PERSON")
                taken.update(range(e.start, end))
            out.append(e)
        return out

    def abbreviations(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """"China National Petroleum Corporation (CNPC)": the abbreviation, there and later, names the same."""
        taken = {i for e in ents for i in range(e.start, e.end)}
        short = {}
        for e in ents:
            if e.label_ == "ORG" and e.end + 2 < len(doc) and doc[e.end].text == "(" and doc[e.end + 2].text == ")":
                acronym = doc[e.end + 1].text
                if ACRONYM.match(acronym) and acronym not in self.not_entities:
                    short[acronym] = e
        found = []
        for tok in doc:
            if tok.text in short and tok.i not in taken:
                found.append(Span(doc, tok.i, tok.i + 1, label="ORG"))
        return found

    def link_short_person_mentions(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A lone "Xiang" after "Xiang Ligang" is that person, whatever label the model gave it."""
        parts = {t.text for e in ents if e.label_ == "PERSON" and len(e) >= 2 for t in e if t.text[:1].isupper()}
        out = []
        taken = {i for e in ents for i in range(e.start, e.end)}
        for e in ents:
            if len(e) == 1 and e.text in parts and e.label_ != "PERSON" and e._.actor is None:
                e = Span(doc, e.start, e.end, label="PERSON")
            out.append(e)
        for tok in doc:
            if tok.i not in taken and tok.text in parts and tok.pos_ == "PROPN":
                out.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
        return out

    def is_junk(self, doc: Doc, e: Span) -> bool:
        if e._.actor is not None:
            return False
        text = e.text
        if text in self.not_entities:
            return True
        if e.label_ == "ORG" and all(t.text in self.not_entities or t.text in self.k.adjectives for t in e):
            return True  # "Russian LNG" is a commodity, not an organisation
        if e.label_ == "ORG" and all(t.pos_ == "ADJ" or t.lower_ in ("the", "-") for t in e):
            return True  # "the Far Eastern route": an adjective, not a name
        if e.label_ == "ORG" and len(e) == 1 and not text.isupper() and opens_sentence(e[0]):
            if self.named_inside is None:  # every word standing elsewhere than first in a sentence, once per document
                self.named_inside = {t.text for t in doc if not opens_sentence(t)}
            if text not in self.named_inside:
                return True  # '"Engines, avionics and ..."': a capitalised first word, named nowhere else
        if e.label_ == "ORG" and ACRONYM.match(text):
            if self.parens is None:
                self.parens = parenthesised(self.text)
            if defined_as_common_noun(doc, text, self.text, self.parens):
                return True
        if e.label_ in ("ORG", "PERSON") and e.end < len(doc) and doc[e.end].text in self.title_words \
                and all(t.lower_ in self.title_fields or t.lower_ == "and" for t in e):
            return True  # "Finance" of "Deputy Finance Minister": a title's field
        if e.label_ == "ORG" and e.start >= 2 and doc[e.start - 1].lower_ == "of" \
                and doc[e.start - 2].text in ("Minister", "Secretary", "Commissioner") \
                and not any(t.lower_ in self.org_heads for t in e):
            return True  # "Deputy Minister of Planning and Investment": a portfolio, not an organisation
        return e.label_ in NAME_LABELS and not any(ch.isalpha() for ch in text)


def typeset_variants(surface: str) -> list[str]:
    """The forms a name takes in typeset text: curly apostrophes, en dashes."""
    out = []
    if "'" in surface:
        out.append(surface.replace("'", "\u2019"))
    if "-" in surface:
        out += [v.replace("-", "\u2013") for v in [surface, *out]]
    return out


def opens_sentence(tok: Token) -> bool:
    """First word of a sentence, also inside a quotation (where no sentence is split)."""
    i = tok.i - 1
    while i >= 0 and (tok.doc[i].text in QUOTE_MARKS or tok.doc[i].is_space):
        i -= 1
    return tok.is_sent_start or i < 0 or tok.doc[i].text in (".", "!", "?")


QUOTE_MARKS = {'"', "\u201c", "\u00ab", "\u201e"}


def is_capitalised(tok: Token) -> bool:
    text = tok.text
    return bool(text) and (text[0].isupper() or (text[0].isdigit() and any(c.isalpha() for c in text))) \
        and tok.lower_ not in ("i",)


def parenthesised(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where each word stands alone in brackets ("(CNPC)"): word -> (start, end) of the brackets."""
    found: dict[str, list[tuple[int, int]]] = {}
    for m in PARENTHESISED.finditer(text):
        found.setdefault(m.group(1), []).append(m.span())
    return found


PARENTHESISED = re.compile(r"\(\s*([A-Za-z0-9&]+)\s*\)")


def defined_as_common_noun(doc: Doc, acronym: str, text: str | None = None,
                           parens: dict[str, list[tuple[int, int]]] | None = None) -> bool:
    """"new energy vehicle (NEV)": an abbreviation spelled out in lower case names a thing, not an actor.
    With the document's text and `parenthesised(text)`, only the text before each bracket holding the
    abbreviation is searched (the first that matches is the whole-text search's first match)."""
    text = doc.text if text is None else text
    pattern = re.compile(rf"([a-z][\w\- ]{{3,60}})\s*\(\s*{re.escape(acronym)}s?\s*\)")
    if parens is None:
        m = pattern.search(text)
    else:
        m = None
        for p, end in sorted(parens.get(acronym, []) + parens.get(acronym + "s", [])):
            ws = p
            while ws > 0 and text[ws - 1].isspace():
                ws -= 1
            m = pattern.search(text, max(0, ws - 61), end)
            if m:
                break
    if not m:
        return False
    words = re.split(r"[\s\-]+", m.group(1).strip())[-len(acronym.rstrip("s")):]
    return "".join(w[0] for w in words if w).upper() == acronym.rstrip("s").upper()
