"""Projects: merged events about the same undertaking (a plant, reactor units, a pipeline, an aircraft or research
programme, a fund, a committee) grouped into one record with its status, timeline, figures and sources.

An event belongs to a project when its sentence names it:
- named        an entity whose name ends in an undertaking noun ("Yamal LNG", "Haval plant"), a gazetteer
               project ("ILRS"), a model code (CR929), or a name followed by such a noun ("Power of Siberia pipeline")
- units        reactor or power units with their numbers ("Tianwan units 7 and 8"); a mention of some of the
               numbers ("Tianwan unit 8") joins the only project holding them all
- anaphor      "the plant"/"the pipeline" in an article that names exactly one project with that noun
Names are compared after actor resolution (an acronym and its full name are one project). When a sentence names
several projects, the one nearest the event's date or trigger wins. Different names are different projects.

Status comes from the events (data/resolve.toml [projects.stage]): agreement -> agreed, launch with construction
words -> under construction, launch with operation or production words -> operating, and so on; planned or future
events only announce. The status is the furthest stage reached, unless a later event suspends the project.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .actors import ActorIndex
from .common import STOPWORDS, date_compatible, fold, name_variants, settings, stable_id
from .events import MergedEvent

UNITS = re.compile(r"\b([A-Z][a-z]+)(?:\s+(?:NPP|nuclear power plant|power plant|plant|station))?\s+units?\s+"
                   r"(\d+)((?:\s*(?:,|and|&|to|-)\s*\d+)*)")
# the same told the other way round: "units 7 and 8 at the Tianwan NPP", "unit 3 of the Xudabao plant"
UNITS_AT = re.compile(r"\bunits?\s+(\d+)((?:\s*(?:,|and|&|to|-)\s*\d+)*)\s+(?:at|of)\s+(?:the\s+)?([A-Z][a-z]+)\s+"
                      r"(?:NPP|nuclear power plant|nuclear power station|power plant|plant|station)\b")
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

    def to_json(self) -> dict:
        return asdict(self)

    def csv_row(self) -> dict:
        dates = [t["date"] for t in self.timeline if t.get("date")]
        return {"id": self.id, "name": self.name, "status": self.status, "sectors": "|".join(self.sectors),
                # every side present, in one column: "CN: CNNC|Rosatom ...; RU: Rosatom"
                "participants": "; ".join(f"{side}: {'|'.join(names)}"
                                          for side, names in sorted(self.participants.items()) if names),
                "first_date": min(dates) if dates else "", "last_date": max(dates) if dates else "",
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
    heads = _heads()
    if len(tokens) > 1 and tokens[-1] in heads and tokens[-1] not in ("lng",):
        tokens = tokens[:-1]
    return " ".join(tokens)


def _not_undertaking(name: str) -> bool:
    """Bodies of a state or party ("Standing Committee of the Political Bureau") are no undertaking, whatever
    their head noun ([projects] not_undertakings)."""
    low = f" {fold(name)} "
    return any(f" {fold(w)} " in low for w in settings()["projects"].get("not_undertakings", []))


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
    found: list[_Mention] = []
    told = [(m, m.group(1), m.group(2), m.group(3)) for m in UNITS.finditer(text)]
    told += [(m, m.group(3), m.group(1), m.group(2)) for m in UNITS_AT.finditer(text)]
    for m, site, first, more in sorted(told, key=lambda x: x[0].start()):
        numbers = {int(n) for n in re.findall(r"\d+", first + (more or ""))}
        if re.search(r"\bto\b|-", more or "") and len(numbers) == 2:
            lo, hi = min(numbers), max(numbers)
            numbers = set(range(lo, hi + 1))
        if site in conf["not_start"] or k.country_of(site) and site in k.adjectives:
            continue
        nums = sorted(numbers)
        label = f"{site} unit{'s' if len(nums) > 1 else ''} " + (
            " and ".join(str(n) for n in nums) if len(nums) <= 2 else ", ".join(str(n) for n in nums[:-1])
            + f" and {nums[-1]}")
        folded = name_variants().get(fold(site), fold(site))
        found.append(_Mention(label, f"{folded} units {'+'.join(map(str, nums))}", m.start(), m.end(), "units",
                              "units", folded, frozenset(numbers)))
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
            if any(f.start <= start < f.end for f in found if f.rule == "units"):
                continue
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
    for m in re.finditer(r"\b(?:the|this|its)\s+(?:[a-z-]+\s+)?([a-z]+)\b", sentence):
        head = m.group(1)
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
    for rule in conf["stage"]:
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
    if planned and stage not in ("announced", "suspended"):
        return "announced", f"planned: {best[2]}"
    return stage, best[2]


def settle_units(mentions: dict[str, list[_Mention]]) -> None:
    """A mention of some units ("Tianwan unit 8") joins the only larger set at its site holding its numbers."""
    unit_sets: dict[str, list[frozenset]] = {}
    for found in mentions.values():
        for f in found:
            if f.rule == "units":
                unit_sets.setdefault(f.site, []).append(f.numbers)
    settled: dict[tuple, str] = {}
    for found in mentions.values():
        for f in found:
            if f.rule != "units":
                continue
            if (f.site, f.numbers) not in settled:
                key = f"{f.site} units {'+'.join(map(str, sorted(f.numbers)))}"
                bigger = {s for s in unit_sets[f.site] if f.numbers < s}
                maximal = {s for s in bigger if not any(s < t for t in bigger)}
                if len(maximal) == 1:
                    (s,) = maximal
                    key = f"{f.site} units {'+'.join(map(str, sorted(s)))}"
                settled[(f.site, f.numbers)] = key
            f.key = settled[(f.site, f.numbers)]


def assign(ev: MergedEvent, mentions: dict[str, list[_Mention]]) -> tuple[str, dict] | None:
    """The project an event's sentences name: (key, how), or None (no name, or its sources disagree)."""
    votes: Counter = Counter()
    how: dict[str, dict] = {}
    for src in ev.sources:
        doc = src["doc"]
        start, end = src["span"]
        inside = [f for f in mentions.get(doc, []) if start <= f.start and f.end <= end and f.rule != "blocked"]
        choice = None
        if inside:
            sentence = src["sentence"] or ""
            anchor_text = src.get("date_text")
            anchor = sentence.find(anchor_text) if anchor_text else -1
            if anchor < 0 and src.get("trigger"):
                anchor = sentence.find(src["trigger"])
            anchor = start + max(anchor, 0)
            before = [f for f in inside if f.start < anchor]
            after = [f for f in inside if f.start >= anchor and f.start - anchor <= 100]
            # the nearest name before the event's date or trigger, else one right after it
            choice = max(before, key=lambda f: f.start) if before else min(
                after, key=lambda f: f.start) if after else None
            if choice is None:
                continue
            how[choice.key] = {"event": ev.id, "rule": "named" if choice.rule != "units" else "units",
                               "mention": choice.name, "doc": doc}
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
    order = settings()["projects"]["order"]
    first = ev.sources[0]
    # every source tells the stage in its own words: the furthest one counts
    stage, word = None, None
    for src in ev.sources:
        st, w = _stage({"type": ev.type, "status": ev.status, "date": ev.date, "sentence": src["sentence"],
                        "trigger": src["trigger"]}, published.get(src["doc"]))
        if st and (stage is None or st == "suspended" or order.get(st, 0) > order.get(stage, 0)):
            stage, word = st, w
    return {
        "timeline": {"date": ev.date.get("value"), "stage": stage, "why": word, "type": ev.type,
                     "status": ev.status, "event": ev.id, "sentence": first["sentence"], "doc": first["doc"],
                     "sources": len(ev.sources), "published": published.get(first["doc"]), "events": [ev.id],
                     "docs": sorted({s["doc"] for s in ev.sources})},
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
    """What the store indexes an article's mentions under: their keys, and site|NAME for reactor units."""
    return {f"site|{f.site}" if f.rule == "units" else f.key for f in found if f.rule != "blocked" and f.key}


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
    settle_units(mentions)
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
    order = settings()["projects"]["order"]
    entries = sorted(entries, key=lambda e: (e["timeline"]["event"]))
    names: Counter = Counter()
    for e in entries:
        if e["assigned"]["rule"] != "anaphor":
            names[e["assigned"]["mention"]] += 1
    for found in mentions.values():
        for f in found:
            if f.key == key:
                names[f.name] += 1
    name = max(names, key=lambda n: (names[n], n[:1].isupper(), len(n), n)) if names else key
    units = re.fullmatch(r"(.+) units ([\d+]+)", key)
    if units:  # reactor units are named by their whole set: "Tianwan units 7 and 8"
        site = next((n.split()[0] for n in names), units.group(1).title())
        nums = units.group(2).split("+")
        name = f"{site} unit {nums[0]}" if len(nums) == 1 else f"{site} units {', '.join(nums[:-1])} and {nums[-1]}"
    timeline = [dict(e["timeline"], events=list(e["timeline"]["events"]), docs=list(e["timeline"]["docs"]))
                for e in entries]
    sectors: Counter = Counter()
    participants: dict[str, list[str]] = {}
    found_figures, sources = [], []
    for e in entries:
        sectors.update(e["sectors"])
        for actor_id in e["actors"]:
            actor = actors.actors.get(actor_id)
            if actor is None or any(_key(n) == key or n in names for n in actor.names + [actor.name]):
                continue  # the undertaking itself ("Yamal LNG") is no participant in it
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
    reached = [t for t in timeline if t["stage"] in order]
    status = max(reached, key=lambda t: order[t["stage"]])["stage"] if reached else "announced"
    suspended = [t for t in timeline if t["stage"] == "suspended"]
    if suspended and (not reached or (suspended[-1]["date"] or "") >= (reached[-1]["date"] or "")):
        status = "suspended"
    return Project(
        id=stable_id("prj", key), name=name, key=key, names=sorted(names), sectors=[s for s, _ in sectors.most_common()],
        participants=participants, status=status, timeline=timeline, figures=found_figures, sources=sources,
        events=[e["timeline"]["event"] for e in entries], assigned=[e["assigned"] for e in entries], merges=merges)


def _combine(timeline: list[dict], order: dict) -> tuple[list[dict], list[dict]]:
    """Rule "project+date": two events of one project, of the same type, with compatible dates and from different
    articles are one event told twice (the contract for Tianwan units 7 and 8 signed in March 2019)."""
    out: list[dict] = []
    merges: list[dict] = []
    for t in sorted(timeline, key=lambda t: -len(t["date"] or "")):
        into = next((c for c in out if c["type"] == t["type"] and c["date"] and t["date"]
                     and date_compatible(c["date"], t["date"]) and not set(c["docs"]) & set(t["docs"])), None)
        if into is None:
            out.append(t)
            continue
        merges.append({"rule": "project+date", "events": [into["event"], t["event"]], "dates": [into["date"], t["date"]],
                       "docs": [into["docs"], t["docs"]], "sentences": [into["sentence"], t["sentence"]]})
        into["events"] += t["events"]
        into["docs"] = sorted(set(into["docs"]) | set(t["docs"]))
        into["sources"] += t["sources"]
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
