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
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .actors import ActorIndex
from .common import STOPWORDS, date_compatible, fold, settings, stable_id
from .events import MergedEvent

UNITS = re.compile(r"\b([A-Z][a-z]+)(?:\s+(?:NPP|nuclear power plant|power plant|plant|station))?\s+units?\s+"
                   r"(\d+)((?:\s*(?:,|and|&|to|-)\s*\d+)*)")
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
    sources: list[dict]                      # {doc, span, event}
    events: list[str]
    assigned: list[dict] = field(default_factory=list)   # {event, rule, mention, doc}
    merges: list[dict] = field(default_factory=list)     # events of this project found to be one event

    def to_json(self) -> dict:
        return asdict(self)

    def csv_row(self) -> dict:
        dates = [t["date"] for t in self.timeline if t.get("date")]
        return {"id": self.id, "name": self.name, "status": self.status, "sectors": "|".join(self.sectors),
                "participants_cn": "|".join(self.participants.get("CN", [])),
                "participants_ru": "|".join(self.participants.get("RU", [])),
                "participants_other": "|".join(a for side, names in self.participants.items()
                                               if side not in ("CN", "RU") for a in names),
                "first_date": min(dates) if dates else "", "last_date": max(dates) if dates else "",
                "events": len(self.events), "sources": len({s["doc"] for s in self.sources}),
                "figures": "; ".join(f"{f['text']} ({f['date'] or 'undated'})" for f in self.figures)}


def _heads() -> set[str]:
    return {h.lower() for h in settings()["projects"]["heads"]}


def _key(name: str) -> str:
    """A project name compared: folded, no leading article, no trailing undertaking noun."""
    tokens = fold(name).replace("-", " ").split()
    while tokens and tokens[0] in ("the", "a", "an"):
        tokens = tokens[1:]
    heads = _heads()
    if len(tokens) > 1 and tokens[-1] in heads and tokens[-1] not in ("lng",):
        tokens = tokens[:-1]
    return " ".join(tokens)


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


def _doc_mentions(record: dict, actors: ActorIndex) -> list[_Mention]:
    """Every project name in an article, with its position."""
    from ..extract.knowledge import knowledge

    k = knowledge()
    conf = settings()["projects"]
    heads, types = _heads(), set(conf["types"])
    text = record.get("text") or ""
    found: list[_Mention] = []
    for m in UNITS.finditer(text):
        numbers = {int(n) for n in re.findall(r"\d+", m.group(2) + (m.group(3) or ""))}
        if re.search(r"\bto\b|-", m.group(3) or "") and len(numbers) == 2:
            lo, hi = min(numbers), max(numbers)
            numbers = set(range(lo, hi + 1))
        site = m.group(1)
        if site in conf["not_start"] or k.country_of(site) and site in k.adjectives:
            continue
        nums = sorted(numbers)
        label = f"{site} unit{'s' if len(nums) > 1 else ''} " + (
            " and ".join(str(n) for n in nums) if len(nums) <= 2 else ", ".join(str(n) for n in nums[:-1])
            + f" and {nums[-1]}")
        found.append(_Mention(label, f"{fold(site)} units {'+'.join(map(str, nums))}", m.start(), m.end(), "units",
                              "units", fold(site), frozenset(numbers)))
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
        found.append(_Mention(name, _key(name), m.start(1) + m.group(1).find(words[0]), m.end(), "named",
                              m.group(3)))
    return sorted(found, key=lambda f: f.start)


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    end = min([i for i in (text.find(". ", at), text.find("\n", at)) if i >= 0] or [len(text)])
    return start + 1, end + 1


def _sentence_figures(key: str, events: list[MergedEvent], by_doc: dict, mentions: dict) -> list[dict]:
    """Figures of the project's articles told in a sentence that names the project (or says "the plant" after it)."""
    out = []
    docs = {s["doc"]: s for ev in events for s in ev.sources}
    for doc in docs:
        record = by_doc[doc]
        text = record.get("text") or ""
        for q in record.get("quantities", []):
            start, end = _sentence_bounds(text, q["span"][0])
            named = any(f.key == key and start <= f.start < end for f in mentions.get(doc, []))
            if not named:
                found = _antecedent(text, start, end, mentions.get(doc, []))
                named = bool(found and found.key == key)
            if not named:
                continue
            date = next((ev.date.get("value") for ev in events for s in ev.sources
                         if s["doc"] == doc and s["span"][0] <= q["span"][0] < s["span"][1] and ev.date.get("value")),
                        None)
            out.append({"value": q.get("value"), "unit": q.get("unit"), "measure": q.get("measure"),
                        "text": q.get("text"), "date": date or record.get("published"), "doc": doc, "event": None})
    return out


def _antecedent(text: str, start: int, end: int, found: list[_Mention]) -> _Mention | None:
    """"the plant" in a sentence: the nearest project name with that noun before it, within a few sentences."""
    sentence = fold(text[start:end])
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
                for m in re.finditer(r"\b" + re.escape(w.lower()) + r"\b", low):
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


def build_projects(events: Iterable[MergedEvent], records: Iterable[dict], actors: ActorIndex) -> list[Project]:
    """Group merged events into projects (see the module text for the rules)."""
    by_doc = {r["id"]: r for r in records if "error" not in r}
    mentions = {doc: _doc_mentions(r, actors) for doc, r in by_doc.items()}
    # unit mentions join the only larger set at the same site holding their numbers
    unit_sets: dict[str, list[frozenset]] = {}
    for found in mentions.values():
        for f in found:
            if f.rule == "units":
                unit_sets.setdefault(f.site, []).append(f.numbers)
    for found in mentions.values():
        for f in found:
            if f.rule != "units":
                continue
            bigger = {s for s in unit_sets[f.site] if f.numbers < s}
            maximal = {s for s in bigger if not any(s < t for t in bigger)}
            if len(maximal) == 1:
                (s,) = maximal
                f.key = f"{f.site} units {'+'.join(map(str, sorted(s)))}"

    groups: dict[str, dict] = {}
    for ev in events:
        votes: Counter = Counter()
        how: dict[str, tuple] = {}
        for src in ev.sources:
            doc = src["doc"]
            start, end = src["span"]
            inside = [f for f in mentions.get(doc, []) if start <= f.start and f.end <= end and f.rule != "blocked"]
            choice = None
            if inside:
                sentence = by_doc[doc]["text"][start:end]
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
                how[choice.key] = ("named" if choice.rule != "units" else "units", choice.name, doc)
            else:
                choice = _antecedent(by_doc[doc]["text"], start, end, mentions.get(doc, []))
                if choice:
                    how[choice.key] = ("anaphor", f"the {choice.head} → {choice.name}", doc)
            if choice:
                votes[choice.key] += 1
        if not votes:
            continue
        ranked = votes.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue  # its sources disagree: leave it out
        key = ranked[0][0]
        g = groups.setdefault(key, {"events": [], "assigned": [], "names": Counter()})
        g["events"].append(ev)
        rule, mention, doc = how[key]
        g["assigned"].append({"event": ev.id, "rule": rule, "mention": mention, "doc": doc})
        g["names"][mention if rule != "anaphor" else None] += 1
    for key, g in groups.items():
        for doc, found in mentions.items():
            for f in found:
                if f.key == key:
                    g["names"][f.name] += 1
        g["figures"] = _sentence_figures(key, g["events"], by_doc, mentions)
    return sorted((_project(key, g, by_doc, actors) for key, g in groups.items()), key=lambda p: p.name.lower())


def _project(key: str, g: dict, by_doc: dict, actors: ActorIndex) -> Project:
    order = settings()["projects"]["order"]
    names = Counter({n: c for n, c in g["names"].items() if n})
    name = max(names, key=lambda n: (names[n], n[:1].isupper(), len(n), n)) if names else key
    units = re.fullmatch(r"(.+) units ([\d+]+)", key)
    if units:  # reactor units are named by their whole set: "Tianwan units 7 and 8"
        site = next((n.split()[0] for n in names), units.group(1).title())
        nums = units.group(2).split("+")
        name = f"{site} unit {nums[0]}" if len(nums) == 1 else f"{site} units {', '.join(nums[:-1])} and {nums[-1]}"
    events: list[MergedEvent] = g["events"]
    timeline, figures, sources = [], [], []
    sectors: Counter = Counter()
    participants: dict[str, list[str]] = {}
    for ev in events:
        first = ev.sources[0]
        published = by_doc[first["doc"]].get("published")
        # every source tells the stage in its own words: the furthest one counts
        stage, word = None, None
        for src in ev.sources:
            st, w = _stage({"type": ev.type, "status": ev.status, "date": ev.date, "sentence": src["sentence"],
                            "trigger": src["trigger"]}, by_doc[src["doc"]].get("published"))
            if st and (stage is None or st == "suspended" or order.get(st, 0) > order.get(stage, 0)):
                stage, word = st, w
        timeline.append({"date": ev.date.get("value"), "stage": stage, "why": word, "type": ev.type,
                         "status": ev.status, "event": ev.id, "sentence": first["sentence"], "doc": first["doc"],
                         "sources": len(ev.sources), "published": published, "events": [ev.id],
                         "docs": sorted({s["doc"] for s in ev.sources})})
        sectors.update(ev.sectors)
        for actor_id in ev.actor_ids:
            actor = actors.actors[actor_id]
            if any(_key(n) == key or n in names for n in actor.names + [actor.name]):
                continue  # the undertaking itself ("Yamal LNG") is no participant in it
            side = actor.country or "other"
            participants.setdefault(side, [])
            if actor.name not in participants[side]:
                participants[side].append(actor.name)
        for q in ev.quantities:
            figures.append({"value": q.get("value"), "unit": q.get("unit"), "measure": q.get("measure"),
                            "text": q.get("text"), "date": ev.date.get("value") or published, "doc": q.get("doc"),
                            "event": ev.id})
        sources += [{"doc": s["doc"], "span": s["span"], "event": ev.id} for s in ev.sources]
    timeline, merges = _combine(timeline, order)
    figures = _dedupe_figures(figures + g.get("figures", []))
    timeline.sort(key=lambda t: (t["date"] or t["published"] or "9999", order.get(t["stage"] or "", 0)))
    reached = [t for t in timeline if t["stage"] in order]
    status = max(reached, key=lambda t: order[t["stage"]])["stage"] if reached else "announced"
    suspended = [t for t in timeline if t["stage"] == "suspended"]
    if suspended and (not reached or (suspended[-1]["date"] or "") >= (reached[-1]["date"] or "")):
        status = "suspended"
    return Project(
        id=stable_id("prj", key), name=name, key=key, names=sorted(names), sectors=[s for s, _ in sectors.most_common()],
        participants=participants, status=status, timeline=timeline, figures=figures, sources=sources,
        events=[ev.id for ev in events], assigned=g["assigned"], merges=merges)


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
