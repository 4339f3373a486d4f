"""Projects: merged events about the same undertaking (a plant, reactor units, a pipeline, an aircraft or research
programme, a fund, a committee) grouped into one record with its status, timeline, figures and sources.

An event belongs to a project when its sentence names it:
- named        an entity whose name ends in an undertaking noun ("Yamal LNG", "Haval plant"), a gazetteer
               project ("ILRS"), a model code (CR929), or a name followed by such a noun ("Power of Siberia pipeline")
- plants       a power plant at a site ("Tianwan NPP", "the Tianwan nuclear power plant", "Tianwan power station"):
               one project per site and kind of plant (data/resolve.toml [projects.plant_kinds])
- units        a plant's units with their numbers ("Tianwan units 7 and 8", "unit 3 of the Xudabao NPP", "the third
               and fourth units of X", "Tianwan-7" where the article names the plant): the plant's project, with
               the units as its components
- bodies of a state or party, people, and capitals that only start a sentence name no project
- anaphor      "the plant"/"the pipeline" in an article that names exactly one project with that noun
Names are compared after actor resolution (an acronym and its full name are one project). When a sentence names
several projects, the one nearest the event's date or trigger wins. Different names are different projects.

Status comes from the events (the rules of data/project_stages.toml, where the stages and statuses are listed):
an agreement agrees, a launch told with construction words starts construction, one told with operation or
production words starts operation, and so on; planned or future events only announce. The status is the furthest
stage reached, unless a later event halts (suspends) the project; each of a plant's units has its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

from ..data import project_halts, project_stage_order, project_stage_rules, project_stages
from .actors import ActorIndex
from .common import STOPWORDS, date_compatible, fold, name_variants, settings, stable_id
from .events import MergedEvent

MODEL = re.compile(r"^[A-Z]{1,5}-?\d{2,4}[A-Z]?$")
NOT_PROJECT_CATEGORIES = {"fund", "bank", "ministry", "agency", "government", "official", "leader", "university",
                          "institute", "academy", "media", "association", "international", "state_company"}


@dataclass
class Project:
    id: str
    name: str
    key: str
    names: list[str]
    sectors: list[str]
    participants: dict[str, list[str]]       # side -> canonical actor names ("other" without a side)
    status: str
    timeline: list[dict]                     # {date, stage, type, event, sentence, doc}
    figures: list[dict]                      # {value, unit, measure, text, date, doc, event}
    sources: list[dict]                      # {doc, event_id, span, event}
    events: list[str]
    assigned: list[dict] = field(default_factory=list)   # {event, rule, mention, doc}
    merges: list[dict] = field(default_factory=list)     # events of this project found to be one event
    components: list[dict] = field(default_factory=list)  # a plant's units: {name, number, status, events, dates}

    def to_json(self) -> dict:
        return asdict(self)

    def csv_row(self) -> dict:
        dates = [t["date"] for t in self.timeline if t.get("date")]
        return {"id": self.id, "name": self.name, "status": self.status, "sectors": "|".join(self.sectors),
                # every side present, in one column: "CN: CNNC|Rosatom ...; RU: Rosatom"
                "participants": "; ".join(f"{side}: {'|'.join(names)}"
                                          for side, names in sorted(self.participants.items()) if names),
                "first_date": min(dates) if dates else "", "last_date": max(dates) if dates else "",
                "components": "; ".join(f"{c['name']}: {c['status']}" for c in self.components),
                "events": len(self.events), "sources": len({s["doc"] for s in self.sources}),
                "figures": "; ".join(f"{f['text']} ({f['date'] or 'undated'})" for f in self.figures)}


def _heads() -> set[str]:
    return {h.lower() for h in settings()["projects"]["heads"]}


def _key(name: str) -> str:
    """A project name compared: folded, no leading article, no trailing undertaking noun, each word under its
    first transliteration (data/name_variants.tsv: Xudapu is Xudabao); a name holding a model code is that code
    ("CFR-600 fast reactor" and "CFR-600 reactor" are one)."""
    raw = [w.strip(",.;:()") for w in name.split()]
    code = next((w for w in raw if MODEL.match(w)), None)
    if code and not any(w[:1].isupper() and w != code and w.lower() not in _heads() for w in raw):
        return fold(code.strip(",.;:()")).replace("-", " ")
    variants = name_variants()
    tokens = [variants.get(w, w) for w in fold(name).replace("-", " ").split()]
    while tokens and tokens[0] in ("the", "a", "an"):
        tokens = tokens[1:]
    kinds = _plant_kinds()
    for n in range(min(4, len(tokens) - 1), 0, -1):  # "Tianwan Nuclear Power Plant" is the Tianwan power plant
        if " ".join(tokens[-n:]) in kinds:
            return f"{' '.join(tokens[:-n])} {kinds[' '.join(tokens[-n:])]}"
    heads = _heads()
    if len(tokens) > 1 and tokens[-1] in heads and tokens[-1] not in ("lng",):
        tokens = tokens[:-1]
    return " ".join(tokens)


def _not_undertaking(name: str) -> bool:
    """Bodies of a state or party ("Standing Committee of the Political Bureau") are no undertaking, whatever
    their head noun ([projects] not_undertakings); nor is a name of generic words only ("Cooperation Programme",
    [projects] generic), which any two countries may give to theirs."""
    low = f" {fold(name)} "
    if any(f" {fold(w)} " in low for w in settings()["projects"].get("not_undertakings", [])):
        return True
    words = [w for w in fold(name).replace("-", " ").split() if w not in ("the", "a", "an", "of", "and", "for", "on")]
    heads, generic = _heads(), _generic_words()
    return bool(words) and all(w in generic or w in heads for w in words)


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    return frozenset(p for w in settings()["projects"]["generic"] for p in fold(w).replace("-", " ").split())


@lru_cache(maxsize=1)
def _plant_kinds() -> dict[str, str]:
    """A power plant's phrase, folded -> the kind of plant it names ([projects.plant_kinds])."""
    return {fold(phrase): kind for phrase, kind in settings()["projects"].get("plant_kinds", {}).items()}


def _site_key(site: str) -> str:
    """A plant's site compared: folded, each word under its first transliteration (Xudapu is Xudabao)."""
    variants = name_variants()
    return " ".join(variants.get(w, w) for w in fold(site).replace("-", " ").split())


def plant_key(site: str, kind: str | None = None) -> str:
    """The key of the power plant at a site: its units and every name of the plant share it."""
    return f"{_site_key(site)} {kind or next(iter(_plant_kinds().values()), 'power plant')}"


@lru_cache(maxsize=1)
def _unit_patterns() -> dict[str, re.Pattern]:
    conf = settings()["projects"]
    kind = "(?i:" + "|".join(re.escape(k) for k in sorted(conf.get("plant_kinds", {}), key=len, reverse=True)) + ")"
    site = r"([A-Z][\w'’]*[a-z][\w'’]*)"                    # one capitalised word: Tianwan, Xudapu, Kursk
    sites = r"([A-Z][\w'’]*[a-z][\w'’]*(?:\s+[A-Z][\w'’]*[a-z][\w'’]*)?)"   # or two, before a plant's kind
    more = r"((?:\s*(?:,|and|&|to|-|–)\s*\d{1,2}\b)*)"   # "7 and 8", "1-4", "1, 2 and 3"
    ordinal = "(?i:" + "|".join(conf["units"]["ordinals"]) + ")"
    nouns = "|".join(sorted((re.escape(n) for n in conf["units"]["nouns"]), key=len, reverse=True))
    return {
        # "Tianwan units 7 and 8", "Tianwan NPP units 7 and 8", "the Xudapu plant's unit 3"
        "units": re.compile(rf"\b{site}(?:\s+(?:{kind}|plant|station))?(?:['’]s)?\s+(?:[Pp]ower\s+)?[Uu]nits?\s+"
                            rf"(\d{{1,2}})\b{more}"),
        # "units 7 and 8 at the Tianwan NPP", "Unit 3 of the Xudabao nuclear power plant"
        "units_at": re.compile(rf"\b[Uu]nits?\s+(\d{{1,2}})\b{more}\s+(?:at|of)\s+(?:the\s+)?{sites}\s+({kind})\b"),
        # "the third and fourth units of the Tianwan NPP"
        "ordinal_at": re.compile(rf"\b({ordinal})((?:\s*(?:,|and|&)\s*{ordinal})*)\s+(?:power\s+|reactor\s+)?"
                                 rf"units?\s+(?:at|of)\s+(?:the\s+)?{sites}\s+({kind})\b"),
        # "Tianwan-7", "Xudapu-3 and -4": a unit where the article names a plant at that site, or before a noun
        "hyphen": re.compile(r"\b([A-Z][a-z]+)-(\d{1,2})\b(?![-\d])((?:\s*(?:,|and|&)\s*-?\d{1,2}\b(?![-\d]))*)"),
        "unit_noun": re.compile(rf"\s+(?:{nouns})\b", re.IGNORECASE),
        # "the Tianwan NPP", "Kursk II nuclear power station", "Tianwan Nuclear Power Plant"
        # ("Leningrad NPP-2" is another plant than the Leningrad NPP: a number after the kind is left alone)
        "plant": re.compile(rf"\b((?:[A-Z][\w'’]*)(?:\s+[A-Z][\w'’]*)?)\s+({kind})\b"
                            r"(?!\s?[-–]\s?\d|\s+(?:II|III|IV)\b)"),
    }


def _numbers(first: str, more: str | None) -> set[int]:
    numbers = {int(n) for n in re.findall(r"\d+", first + (more or ""))}
    if re.search(r"\bto\b|[-–]", more or "") and len(numbers) == 2:
        numbers = set(range(min(numbers), max(numbers) + 1))
    return numbers


def _unit_label(site: str, numbers: set[int]) -> str:
    nums = sorted(numbers)
    return f"{site} unit{'s' if len(nums) > 1 else ''} " + (
        " and ".join(map(str, nums)) if len(nums) <= 2 else ", ".join(map(str, nums[:-1])) + f" and {nums[-1]}")


def _plant_site(words: list[str], k) -> list[str]:
    """The site's words of a plant name, without leading articles, countries and possessors ("Rosatom's")."""
    conf = settings()["projects"]
    owner = max((i for i, w in enumerate(words) if re.search(r"['’]s$", w)), default=-1)
    words = words[owner + 1:]
    while words and (words[0] in conf["not_start"] or fold(words[0]) in STOPWORDS
                     or re.sub(r"['’]s$", "", words[0]) in k.country_names or words[0] in k.adjectives):
        words = words[1:]
    return words


def plant_mentions(text: str, k, record: dict | None = None) -> list["_Mention"]:
    """The power plants an article names, and their units, each under its plant's key (the module text)."""
    conf = settings()["projects"]
    kinds = _plant_kinds()
    pats = _unit_patterns()
    # no site: words that start names of no place, and the words of a plant's kind ("Power units 1 and 2 of ...")
    not_site = {fold(w) for w in conf["not_start"]} | {w for phrase in kinds for w in phrase.split()}

    def usable(site: str, at: int) -> bool:
        actor = k.actors.get(site)
        if fold(site.split()[0]) in not_site or fold(site) in STOPWORDS or site in k.country_names \
                or site in k.adjectives:
            return False
        if actor is not None and actor.category not in conf["categories"]:
            return False  # an organisation's plant ("Rosatom units") is named by its site, not by its owner
        return not _sentence_initial(text, at) or _a_name(site.split()[0], text, at, record or {}, k)

    found: list[_Mention] = []
    for m in pats["plant"].finditer(text):
        words, phrase = m.group(1).split(), m.group(2)
        # "Tianwan Nuclear Power Plant": capitalised words of the phrase belong to it, not to the site
        while len(words) > 1 and fold(f"{words[-1]} {phrase}") in kinds:
            phrase = f"{words[-1]} {phrase}"
            words = words[:-1]
        words = _plant_site(words, k)
        start = m.start(1) + m.group(1).find(words[0]) if words else m.start(1)
        if not words or not usable(" ".join(words), start):
            continue
        site = " ".join(words)
        found.append(_Mention(f"{site} {phrase}", plant_key(site, kinds[fold(phrase)]), start, m.end(), "named",
                              # "the plant" after "the Tianwan NPP" points at it
                              "plant" if phrase.split()[-1].isupper() else fold(phrase.split()[-1]), _site_key(site)))
    told: list[tuple[re.Match, str, str | None, set[int]]] = []
    for m in pats["units"].finditer(text):
        told.append((m, m.group(1), None, _numbers(m.group(2), m.group(3))))
    for m in pats["units_at"].finditer(text):
        told.append((m, m.group(3), m.group(4), _numbers(m.group(1), m.group(2))))
    ordinals = [fold(o) for o in conf["units"]["ordinals"]]
    for m in pats["ordinal_at"].finditer(text):
        said = [m.group(1)] + re.findall("|".join(ordinals), fold(m.group(2) or ""))
        told.append((m, m.group(3), m.group(4), {ordinals.index(fold(o)) + 1 for o in said}))
    sites = {f.site for f in found} | {_site_key(site) for _, site, _, _ in told}
    for m in pats["hyphen"].finditer(text):
        site = m.group(1)
        if _site_key(site) in sites or pats["unit_noun"].match(text, m.end()):
            told.append((m, site, None, _numbers(m.group(2), m.group(3))))
    for m, site, phrase, numbers in sorted(told, key=lambda x: x[0].start()):
        if not usable(site, m.start() if m.re is pats["units"] or m.re is pats["hyphen"] else m.start(3)) \
                or not numbers or any(f.start <= m.start() < f.end for f in found if f.rule == "units"):
            continue
        kind = kinds.get(fold(phrase)) if phrase else None
        if kind is None:  # "Tianwan units 7 and 8": the kind of the plant the article names there, if one
            kind = next((f.key[len(f.site) + 1:] for f in found if f.site == _site_key(site) and f.rule == "named"),
                        None)
        found.append(_Mention(_unit_label(site, numbers), plant_key(site, kind), m.start(), m.end(), "units", "units",
                              _site_key(site), frozenset(numbers)))
    # a plant's name inside a units mention ("units 7 and 8 at the Tianwan NPP") names the plant (and is what "the
    # plant" later points at), but an event there is about the units: "inner" mentions are never assigned
    units = [f for f in found if f.rule == "units"]
    return sorted((f if f.rule == "units" or not any(u.start <= f.start < u.end for u in units)
                   else replace(f, rule="inner") for f in found), key=lambda f: f.start)


@dataclass
class _Mention:
    name: str
    key: str
    start: int
    end: int
    rule: str
    head: str | None
    site: str | None = None
    numbers: frozenset = frozenset()


def doc_mentions(record: dict, actors: ActorIndex) -> list[_Mention]:
    """Every project name in an article, with its position."""
    from ..extract.knowledge import knowledge

    k = knowledge()
    conf = settings()["projects"]
    heads, types = _heads(), set(conf["types"])
    text = record.get("text") or ""
    found: list[_Mention] = plant_mentions(text, k, record)
    for e in record.get("entities", []):
        if e.get("type") not in types:
            continue
        name = e["name"]
        actor = k.actors.get(e.get("canonical") or name)
        category = actor.category if actor else ""
        tokens = [t for t in name.split() if not t.isdigit()]
        last = tokens[-1].lower() if tokens else ""
        actor_id = actors.of(record["id"], name)
        canonical = actors.actors[actor_id].name if actor_id else name
        for start, end in e.get("mentions", []):
            after = re.match(r"\s+([A-Za-z]+)", text[end:end + 30])
            follower = after.group(1).lower() if after else ""
            if category in conf["categories"]:
                rule, head = "named", last if last in heads else None
            elif category in NOT_PROJECT_CATEGORIES:
                continue
            elif last in heads and len(tokens) > 1:
                rule, head = "named", last
            elif follower in heads and follower not in ("units", "unit") and e["type"] != "PERSON":
                rule, head = "named", follower
            elif e["type"] == "PRODUCT" and MODEL.match(name):
                rule, head = "named", None
            else:
                continue
            if any(f.start <= start < f.end or start <= f.start < end for f in found if f.site):
                continue  # a power plant or its units, found above under the plant's key
            display = canonical if category in conf["categories"] else name
            if head and not fold(display).endswith(head) and follower == head:
                display = f"{display} {text[end:end + 30].split()[0].strip(',.;:')}"
            if _not_undertaking(display):
                continue
            found.append(_Mention(display, _key(canonical if category in conf["categories"] else name), start,
                                  end, rule, head))
    # capitalised names right before an undertaking noun: "the Haval plant", "Sakhalin hydrogen plant"
    for m in re.finditer(r"\b((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)\s+((?:[a-z]+\s+)?)(" +
                         "|".join(sorted((re.escape(h) for h in heads if h.islower()), key=len, reverse=True)) +
                         r")\b", text):
        words = m.group(1).split()
        while words and (words[0] in conf["not_start"] or fold(words[0]) in STOPWORDS
                         or words[0].split("-")[0] in k.adjectives or words[0].split("-")[0] in k.country_names
                         or re.sub(r"['’]s$", "", words[0]) in k.country_names):
            words = words[1:]
        if words and re.search(r"['’]s$", words[-1]):
            # "Great Wall Motor's plant": no project name, but "the plant" after it points at it, not elsewhere
            found.append(_Mention(m.group(0), "", m.start(1), m.end(), "blocked", m.group(3)))
            continue
        if not words or all(w in conf["generic"] for w in words):
            continue
        if m.group(3).endswith("s") and m.group(3) not in ("LNG",) and m.group(3) + "" != m.group(3).rstrip("s"):
            continue  # plural nouns name a kind (VVER-1000 reactors), not one undertaking
        if any(f.start <= m.start(1) < f.end or m.start(1) <= f.start < m.end() for f in found):
            continue
        begin = m.start(1) + m.group(1).find(words[0])
        if len(words) == 1 and _sentence_initial(text, begin) and not _a_name(words[0], text, begin, record, k):
            continue  # "Stable pipeline supplies help ...": a capital that only starts a sentence names nothing
        if len(words) == 1 and (words[0] in k.places or words[0] in k.country_names):
            # a place and a noun is a project only with a modifier between ("Sakhalin hydrogen plant")
            if not m.group(2).strip():
                continue
        if m.group(3) in ("units", "unit", "line", "route", "zone", "field", "grid", "park", "centre", "center"):
            continue
        name = " ".join(words) + (" " + m.group(2).strip() if m.group(2).strip() else "") + " " + m.group(3)
        if k.actors.get(" ".join(words)) and k.actors[" ".join(words)].category in NOT_PROJECT_CATEGORIES:
            continue
        if _not_undertaking(name):
            continue
        found.append(_Mention(name, _key(name), m.start(1) + m.group(1).find(words[0]), m.end(), "named",
                              m.group(3)))
    return sorted(found, key=lambda f: f.start)


def _sentence_initial(text: str, at: int) -> bool:
    """Whether a word at `at` starts a sentence, a paragraph or a quotation."""
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in ".!?\n\"“”'‘«:;—-("


def _a_name(word: str, text: str, at: int, record: dict, k) -> bool:
    """Whether a capitalised word is a name: known (a place, an actor, a country, an entity of the article) or
    written with its capital somewhere it does not start a sentence."""
    if word in k.places or k.actors.get(word) or word in k.country_names or word in k.adjectives:
        return True
    if any(word in e.get("name", "").split() for e in record.get("entities", [])):
        return True
    return any(m.start() != at and not _sentence_initial(text, m.start())
               for m in re.finditer(rf"\b{re.escape(word)}\b", text))


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    end = min([i for i in (text.find(". ", at), text.find("\n", at)) if i >= 0] or [len(text)])
    return start + 1, end + 1


def figure_refs(record: dict, found: list[_Mention]) -> list[dict]:
    """The article's figures told in a sentence that names a project (or says "the plant" after one): each with
    the place of that mention in `found`, so the figure follows the mention's project however its key is settled."""
    text = record.get("text") or ""
    out = []
    for q in record.get("quantities", []):
        start, end = _sentence_bounds(text, q["span"][0])
        named = [i for i, f in enumerate(found) if f.rule != "blocked" and start <= f.start < end]
        if not named:
            nearest = _antecedent(text, start, end, found)
            named = [found.index(nearest)] if nearest else []
        if named:
            out.append({"value": q.get("value"), "unit": q.get("unit"), "measure": q.get("measure"),
                        "text": q.get("text"), "span": q["span"], "mentions": named,
                        "published": record.get("published")})
    return out


def _antecedent(text: str, start: int, end: int, found: list[_Mention]) -> _Mention | None:
    """"the plant" in a sentence: the nearest project name with that noun before it, within a few sentences."""
    return _antecedent_in(text[start:end], start, found)


def _antecedent_in(sentence: str, start: int, found: list[_Mention]) -> _Mention | None:
    """The same for a sentence that starts at `start` in its article."""
    sentence = fold(sentence)
    for m in re.finditer(r"\b(?:the|this|its)\s+([a-z-]+)\b(?:\s+([a-z]+)\b)?", sentence):
        # "the plant", or "the new plant": the word after the article, else the one after that
        head = m.group(1) if m.group(1) in _heads() else m.group(2)
        if head not in _heads() or head in ("units", "unit"):
            continue
        before = [f for f in found if f.head and f.head.rstrip("s") == head.rstrip("s") and f.end <= start + m.start()
                  and start + m.start() - f.end <= 600]
        if before:
            nearest = max(before, key=lambda f: f.end)
            return nearest if nearest.rule != "blocked" else None
    return None


def _role_of(actor) -> str:
    """"participant" for an organisation doing the work; "sponsor" for heads of state and government bodies
    (gazetteer categories in [projects] sponsor_categories); "person" for people, who are no participants;
    "undertaking" for a name of no side that ends in an undertaking noun."""
    from ..extract.knowledge import knowledge

    if actor.type == "PERSON":
        return "person"
    words = actor.name.split()
    if not actor.gazetteer and not actor.country and words and words[-1].lower() in _heads():
        return "undertaking"  # "Cooperation Programme": another undertaking named as an actor, no organisation
    known = knowledge().actors.get(actor.name)
    if known and known.category in settings()["projects"].get("sponsor_categories", []):
        return "sponsor"
    return "participant"


@lru_cache(maxsize=None)
def _word_pattern(word: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(word.lower()) + r"\b")


def _stage(event: dict, published: str | None) -> tuple[str | None, str | None]:
    """The stage an event moves its project to, and the word that says so."""
    conf = settings()["projects"]
    date = (event.get("date") or {}).get("value")
    if not date and not event.get("status"):
        return None, None  # a background fact ("the plant, built with an investment of ...") marks no stage
    planned = event.get("status") == "planned" or (date and published and date[:len(published)] > published)
    sentence = event.get("sentence") or ""
    low = fold(sentence)
    trigger = fold(event.get("trigger") or "")
    at = low.find(trigger) if trigger else -1
    if at >= 0 and re.search(r"\b(?:expects?|expected|will|would|plans?|planned|scheduled|due|aims?|intends?|to be"
                             r"|to be)\b[^,;.]{0,40}$", low[max(0, at - 50):at]):
        planned = True
    best: tuple[int, str, str] | None = None
    for rule in project_stage_rules():
        if rule.get("types") and event["type"] not in rule["types"]:
            continue
        if "statuses" in rule and (event.get("status") or "") not in rule["statuses"]:
            continue
        if rule.get("words"):
            for w in rule["words"]:
                for m in _word_pattern(w).finditer(low):
                    distance = abs(m.start() - at) if at >= 0 else 0
                    if distance <= 60 and (best is None or distance < best[0]):
                        best = (distance, rule["stage"], w)
            continue
        if best is None:
            best = (10**6, rule["stage"], f"{event['type']}/{event.get('status')}")
    if best is None:
        return None, None
    stage = best[1]
    first = project_stages()[0]
    if planned and stage != first and stage not in project_halts():
        return first, f"planned: {best[2]}"
    return stage, best[2]


def settle_units(mentions: dict[str, list[_Mention]]) -> None:
    """Nothing to settle any more: a unit mention's key is its plant's, whatever other articles say (kept for
    callers of the earlier interface)."""


def _same_sentence(text: str, a: int, b: int) -> bool:
    """Whether two places of a span lie in one of its sentences."""
    lo, hi = sorted((a, b))
    return not re.search(r"[.!?][\"”’']?\s", text[lo:hi])


def assign(ev: MergedEvent, mentions: dict[str, list[_Mention]]) -> tuple[str, dict] | None:
    """The project an event's sentences name: (key, how), or None (no name, or its sources disagree)."""
    votes: Counter = Counter()
    how: dict[str, dict] = {}
    for src in ev.sources:
        doc = src["doc"]
        start, end = src["span"]
        inside = [f for f in mentions.get(doc, []) if start <= f.start and f.end <= end
                  and f.rule not in ("blocked", "inner")]
        choice = None
        if inside:
            sentence = src["sentence"] or ""
            anchor_text = src.get("date_text")
            anchor = sentence.find(anchor_text) if anchor_text else -1
            if anchor < 0 and src.get("trigger"):
                anchor = sentence.find(src["trigger"])
            anchor = start + max(anchor, 0)
            # a span of several sentences (a quotation): only the names of the anchor's own sentence count
            inside = [f for f in inside if _same_sentence(sentence, f.start - start, anchor - start)]
            before = [f for f in inside if f.start < anchor]
            after = [f for f in inside if f.start >= anchor and f.start - anchor <= 100]
            # the nearest name before the event's date or trigger, else one right after it
            choice = max(before, key=lambda f: f.start) if before else min(
                after, key=lambda f: f.start) if after else None
            if choice is None:
                continue
            how[choice.key] = {"event": ev.id, "rule": "named" if choice.rule != "units" else "units",
                               "mention": choice.name, "doc": doc, "units": sorted(choice.numbers)}
        else:
            choice = _antecedent_in(src["sentence"] or "", start, mentions.get(doc, []))
            if choice:
                how[choice.key] = {"event": ev.id, "rule": "anaphor", "mention": f"the {choice.head} → {choice.name}",
                                   "doc": doc}
        if choice:
            votes[choice.key] += 1
    if not votes:
        return None
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # its sources disagree: leave it out
    return ranked[0][0], how[ranked[0][0]]


def entry(ev: MergedEvent, how: dict, published: dict[str, str | None], actors: ActorIndex) -> dict:
    """What one merged event brings to its project: a timeline entry with its stage, sectors, actors, figures and
    sources. Only the event decides it, so the store keeps it and assembles projects from kept entries."""
    order = project_stage_order()
    first = ev.sources[0]
    # every source tells the stage in its own words: the furthest one counts
    stage, word = None, None
    for src in ev.sources:
        st, w = _stage({"type": ev.type, "status": ev.status, "date": ev.date, "sentence": src["sentence"],
                        "trigger": src["trigger"]}, published.get(src["doc"]))
        if st and (stage is None or st in project_halts() or order.get(st, 0) > order.get(stage, 0)):
            stage, word = st, w
    return {
        "timeline": {"date": ev.date.get("value"), "stage": stage, "why": word, "type": ev.type,
                     "status": ev.status, "event": ev.id, "sentence": first["sentence"], "doc": first["doc"],
                     "sources": len(ev.sources), "published": published.get(first["doc"]), "events": [ev.id],
                     "docs": sorted({s["doc"] for s in ev.sources}), "units": list(how.get("units") or [])},
        "sectors": list(ev.sectors),
        "actors": list(ev.actor_ids),
        "figures": [{"value": q.get("value"), "unit": q.get("unit"), "measure": q.get("measure"), "text": q.get("text"),
                     "date": ev.date.get("value") or published.get(first["doc"]), "doc": q.get("doc"),
                     "event": ev.id} for q in ev.quantities],
        "sources": [{"doc": s["doc"], "event_id": s["event_id"], "span": s["span"], "event": ev.id,
                     "date": ev.date.get("value")}
                    for s in ev.sources],
        "assigned": how,
    }


def mention_json(found: list[_Mention]) -> list[dict]:
    return [dict(asdict(f), numbers=sorted(f.numbers)) for f in found]


def mentions_from_json(rows: list[dict]) -> list[_Mention]:
    return [_Mention(**dict(r, numbers=frozenset(r["numbers"]))) for r in rows]


def mention_keys(found: list[_Mention]) -> set[str]:
    """What the store indexes an article's mentions under: their keys (a plant's units under the plant's)."""
    return {f.key for f in found if f.rule != "blocked" and f.key}


def build_projects(events: Iterable[MergedEvent], records: Iterable[dict], actors: ActorIndex,
                   state: dict | None = None) -> list[Project]:
    """Group merged events into projects (see the module text for the rules). `state`, when given, receives each
    article's mentions and figures and each merged event's project and entry (for the store's index)."""
    by_doc = {r["id"]: r for r in records if "error" not in r}
    mentions = {doc: doc_mentions(r, actors) for doc, r in by_doc.items()}
    figures = {doc: figure_refs(r, mentions[doc]) for doc, r in by_doc.items()}
    if state is not None:
        state["mentions"] = {doc: mention_json(found) for doc, found in mentions.items()}
        state["figures"] = figures
        state["entries"] = {}
    published = {doc: r.get("published") for doc, r in by_doc.items()}
    entries: dict[str, list[dict]] = {}
    for ev in events:
        found = assign(ev, mentions)
        if found:
            entries.setdefault(found[0], []).append(entry(ev, found[1], published, actors))
        if state is not None:
            state["entries"][ev.id] = (found[0], entries[found[0]][-1]) if found else (None, None)
    return sorted((assemble(key, got, mentions, figures, actors) for key, got in entries.items()),
                  key=lambda p: p.name.lower())


def assemble(key: str, entries: list[dict], mentions: dict[str, list[_Mention]], figures: dict[str, list[dict]],
             actors: ActorIndex) -> Project:
    """A project from its events' entries, the articles' mentions of it and the figures told next to them.
    `mentions` and `figures` need only hold the articles that mention the project."""
    order = project_stage_order()
    entries = sorted(entries, key=lambda e: (e["timeline"]["event"]))
    names: Counter = Counter()
    unit_names: Counter = Counter()   # "Tianwan units 7 and 8": how articles name the plant's components
    for e in entries:
        if e["assigned"]["rule"] == "units":
            unit_names[e["assigned"]["mention"]] += 1
        elif e["assigned"]["rule"] != "anaphor":
            names[e["assigned"]["mention"]] += 1
    for found in mentions.values():
        for f in found:
            if f.key == key:
                (unit_names if f.rule == "units" else names)[f.name] += 1
    if names:
        name = max(names, key=lambda n: (names[n], n[:1].isupper(), len(n), n))
    elif unit_names:  # a plant told only by its units is named by its site: "Tianwan power plant"
        sites = Counter(re.sub(r"\s+units?\s.*$", "", n) for n in unit_names.elements())
        site = max(sites, key=lambda n: (sites[n], n))
        name = f"{site} {key[len(_site_key(site)) + 1:] if key.startswith(_site_key(site) + ' ') else 'plant'}"
    else:
        name = key
    names.update(unit_names)
    timeline = [dict(e["timeline"], events=list(e["timeline"]["events"]), docs=list(e["timeline"]["docs"]),
                     units=list(e["timeline"].get("units") or [])) for e in entries]
    sectors: Counter = Counter()
    participants: dict[str, list[str]] = {}
    found_figures, sources = [], []
    for e in entries:
        sectors.update(e["sectors"])
        for actor_id in e["actors"]:
            actor = actors.actors.get(actor_id)
            if actor is None or any(_key(n) == key or n in names or key.startswith(_site_key(n) + " ")
                                    for n in actor.names + [actor.name]):
                continue  # the undertaking itself ("Yamal LNG"), or its site ("Kestrel"), is no participant in it
            if _role_of(actor) != "participant":
                continue  # heads of state, governments and people attend; the organisations do the work
            side = actor.country or "other"
            participants.setdefault(side, [])
            if actor.name not in participants[side]:
                participants[side].append(actor.name)
        found_figures += e["figures"]
        sources += [{k: v for k, v in s.items() if k != "date"} for s in e["sources"]]
    # figures told next to a mention of the project, in its events' articles
    spans: dict[str, list[dict]] = {}
    for e in entries:
        for s in e["sources"]:
            spans.setdefault(s["doc"], []).append(s)
    for doc in sorted(spans):
        for q in figures.get(doc, []):
            if not any(mentions[doc][i].key == key for i in q["mentions"]):
                continue
            date = next((s["date"] for s in spans[doc] if s["span"][0] <= q["span"][0] < s["span"][1] and s["date"]),
                        None)
            found_figures.append({"value": q["value"], "unit": q["unit"], "measure": q["measure"], "text": q["text"],
                                  "date": date or q["published"], "doc": doc, "event": None})
    timeline, merges = _combine(timeline, order)
    found_figures = _dedupe_figures(found_figures)
    timeline.sort(key=lambda t: (t["date"] or t["published"] or "9999", order.get(t["stage"] or "", 0), t["event"]))
    for t in timeline:
        t["components"] = [f"unit {n}" for n in t["units"]]
    return Project(
        id=stable_id("prj", key), name=name, key=key, names=sorted(names), sectors=[s for s, _ in sectors.most_common()],
        participants=participants, status=project_status(timeline), timeline=timeline, figures=found_figures,
        sources=sources, components=components(timeline),
        events=[e["timeline"]["event"] for e in entries], assigned=[e["assigned"] for e in entries], merges=merges)


def project_status(timeline: list[dict]) -> str:
    """The furthest stage the timeline reached, unless a later (or undated) event halts it (a suspension); with no
    stage, the first one (data/project_stages.toml)."""
    order = project_stage_order()
    reached = [t for t in timeline if t["stage"] in order]
    status = max(reached, key=lambda t: order[t["stage"]])["stage"] if reached else project_stages()[0]
    halted = [t for t in timeline if t["stage"] in project_halts()]
    if halted and (not reached or (halted[-1]["date"] or "") >= (reached[-1]["date"] or "")):
        status = halted[-1]["stage"]
    return status


def components(timeline: list[dict]) -> list[dict]:
    """A plant's units, each with the events that name it, its own status and its first and last dates."""
    numbers = sorted({n for t in timeline for n in t.get("units") or []})
    out = []
    for n in numbers:
        told = [t for t in timeline if n in (t.get("units") or [])]
        dates = sorted(t["date"] for t in told if t["date"])
        out.append({"name": f"unit {n}", "number": n, "status": project_status(told),
                    "events": [t["event"] for t in told], "first_date": dates[0] if dates else None,
                    "last_date": dates[-1] if dates else None})
    return out


def _combine(timeline: list[dict], order: dict) -> tuple[list[dict], list[dict]]:
    """Rule "project+date": two events of one project, of the same type, with compatible dates and from different
    articles are one event told twice (the contract for Tianwan units 7 and 8 signed in March 2019)."""
    out: list[dict] = []
    merges: list[dict] = []
    for t in sorted(timeline, key=lambda t: -len(t["date"] or "")):
        into = next((c for c in out if c["type"] == t["type"] and c["date"] and t["date"]
                     and date_compatible(c["date"], t["date"]) and not set(c["docs"]) & set(t["docs"])
                     # two units' events at one plant are two events ("units 1 and 2" / "units 7 and 8")
                     and not (c.get("units") and t.get("units") and not set(c["units"]) & set(t["units"]))), None)
        if into is None:
            out.append(t)
            continue
        merges.append({"rule": "project+date", "events": [into["event"], t["event"]], "dates": [into["date"], t["date"]],
                       "docs": [into["docs"], t["docs"]], "sentences": [into["sentence"], t["sentence"]]})
        into["events"] += t["events"]
        into["docs"] = sorted(set(into["docs"]) | set(t["docs"]))
        into["sources"] += t["sources"]
        into["units"] = sorted(set(into.get("units") or []) | set(t.get("units") or []))
        if order.get(t["stage"] or "", 0) > order.get(into["stage"] or "", 0):
            into["stage"], into["why"] = t["stage"], t["why"]
    return out, merges


def _dedupe_figures(figures: list[dict]) -> list[dict]:
    """One figure per value and unit: the same 38 billion cubic meters told by three articles counts once."""
    out: dict = {}
    for f in sorted(figures, key=lambda f: f["date"] or "9999"):  # each figure dated when first reported
        key = (f["value"], f["unit"])
        if key in out:
            if f["doc"] not in out[key]["docs"]:
                out[key]["docs"].append(f["doc"])
            continue
        out[key] = dict(f, docs=[f["doc"]])
    return list(out.values())
