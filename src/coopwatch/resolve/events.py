"""Event merging: the same real event told by several articles becomes one event with all its sources.

Two events merge only when they are of the same type, come from different articles that are not copies of each
other, and one of these rules holds (settings in data/resolve.toml, [events]):

- actors+date      compatible dates (equal, or one a more precise form of the other: 2019-12 and 2019-12-02),
                   at least one shared resolved organisation (or two shared people), and shared object words
- countries+date   compatible dates, the same country sides, and a strong overlap of object words
- actors+undated   one side undated: two shared resolved organisations and a strong overlap of object words

Events of an article that copies another (see duplicates.py) are not counted again: the merged event lists the
copy under `republished_in`. A merged group never holds two events of one article, and all its dates must be
pairwise compatible; its date is the most precise one. When unsure, events stay apart.

Events are settled one at a time in order of seniority (earliest published article first, then article id, then
place in the article): an event joins the group of the best-scoring earlier event it merges with, if that group
takes it (no event of its article yet, compatible dates), else it starts a group. So the groups do not depend on
the order articles arrive in, and an article newer than the record settles against it without revisiting it
(store/resolution.py does that on ingest, through blocking keys kept in the database).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from ..document import fact_id
from .actors import ActorIndex
from .common import content_words, date_compatible, most_precise, precision_of, settings, stable_id, words
from .duplicates import DuplicateResult


@dataclass
class MergedEvent:
    id: str
    type: str
    plover: str | None
    sectors: list[str]
    date: dict
    status: str | None
    actors: list[str]                 # canonical actor names
    actor_ids: list[str]
    countries: list[str]
    location: str | None
    quantities: list[dict]            # each with the doc it comes from
    sources: list[dict]               # {doc, event_id, span, sentence, trigger, date, published, outlet, title}
    republished_in: list[str] = field(default_factory=list)
    merge: list[dict] = field(default_factory=list)   # {rule, sources: [a, b], evidence}

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class _Item:
    key: str                          # the event's id (document.fact_id)
    doc: dict
    event: dict
    actor_ids: set
    orgs: set
    people: set
    objects: set
    rank: tuple = ()


def seniority(doc: dict, position: int) -> tuple:
    """Which of two events is settled first: earliest published article (undated last), then id, then place."""
    published = doc.get("published")
    return (published is None, published or "", doc["id"], position)


def event_item(key: str, doc: dict, position: int, event: dict, actors: ActorIndex, is_country) -> _Item:
    """An event with what merging compares: resolved actors, and its object words — the sentence's content words
    without the names the event gives (and their gazetteer names), country words, its date and trigger. Only the
    event's own article decides them, so they stay valid however the record grows. `key` is the event's id
    (document.fact_id), the same in a resolution of JSON files and of the store. The event's figures are the
    article's own (found by span), with the measure its JSON leaves out."""
    figures = {tuple(q["span"]): q for q in doc.get("quantities") or []}
    if event.get("quantities"):
        event = dict(event, quantities=[figures.get(tuple(q["span"]), q) for q in event["quantities"]])
    ids, orgs, people, drop = set(), set(), set(), set()
    canonical = {e["name"]: e.get("canonical") for e in doc.get("entities", []) if e.get("canonical")}
    for name in event.get("actors", []):
        drop.update(words(name))
        drop.update(words(canonical.get(name) or ""))
        actor_id = actors.of(doc["id"], name)
        if not actor_id:
            continue
        ids.add(actor_id)
        (people if actors.actors[actor_id].type == "PERSON" else orgs).add(actor_id)
    for w in words(event.get("sentence", "")):
        if is_country(w):
            drop.add(w)
    if event.get("date") and event["date"].get("text"):
        drop.update(words(event["date"]["text"]))
    drop.update(words(event.get("trigger") or ""))
    return _Item(key, doc, event, ids, orgs, people, content_words(event.get("sentence", ""), drop),
                 seniority(doc, position))


def country_word():
    """A memoised test: is this (lower-case) word a country name or adjective?"""
    from ..extract.knowledge import knowledge

    k = knowledge()
    cache: dict[str, bool] = {}

    def test(w: str) -> bool:
        if w not in cache:
            cache[w] = bool(k.country_of(w.capitalize()))
        return cache[w]
    return test


def told_once(record: dict) -> list[tuple[int, dict]]:
    """The article's events with their places, an event the article lists twice (the same span, type, trigger and
    date: what a merged event's id is made of) counted once: one sentence telling one thing is one source."""
    seen, out = set(), []
    for n, e in enumerate(record.get("events", [])):
        key = (tuple(e["span"]), e["type"], e.get("trigger"), (e.get("date") or {}).get("value"))
        if key not in seen:
            seen.add(key)
            out.append((n, e))
    return out


def _items(records: list[dict], actors: ActorIndex, duplicates: DuplicateResult | None) -> list[_Item]:
    copies = duplicates.original_of if duplicates else {}
    is_country = country_word()
    items = []
    for r in records:
        if "error" in r or r["id"] in copies:
            continue
        for n, e in told_once(r):
            items.append(event_item(fact_id(r["id"], "events", n), r, n, e, actors, is_country))
    return items


def _compare(a: _Item, b: _Item, conf: dict) -> tuple[str, float] | None:
    """The rule that merges two events and its score; None when they stay apart."""
    ea, eb = a.event, b.event
    if ea["type"] != eb["type"] or a.doc["id"] == b.doc["id"]:
        return None
    da, db = (ea.get("date") or {}).get("value"), (eb.get("date") or {}).get("value")
    if da and db and not date_compatible(da, db):
        return None
    shared_words = a.objects & b.objects
    if len(shared_words) < conf["min_shared_words"]:
        # reports in two languages share no words: the same day and the same organisations on both sides
        if da and db and da == db and len(da) == 10 and a.doc.get("language") != b.doc.get("language") \
                and len(a.orgs & b.orgs) >= conf["cross_language_min_orgs"]:
            return "actors+day across languages", 2 + len(a.orgs & b.orgs)
        return None
    shared_orgs, shared_people = a.orgs & b.orgs, a.people & b.people
    jaccard = _jaccard(a, b, shared_words)
    found = None
    if da and db:
        if (shared_orgs or len(shared_people) >= conf["min_shared_people"]) and \
                jaccard >= conf["object_jaccard_with_actors"]:
            found = "actors+date", 2 + jaccard + len(shared_orgs)
        elif set(ea.get("countries", [])) == set(eb.get("countries", [])) and ea.get("countries") and \
                jaccard >= conf["object_jaccard_countries_only"] and \
                len(shared_words) >= conf["min_shared_words_countries_only"]:
            found = "countries+date", 1 + jaccard
    elif (da or db) and len(shared_orgs) >= 2 and jaccard >= conf["object_jaccard_undated"]:
        found = "actors+undated", 0.5 + jaccard
    return found


def comparable(it: _Item) -> _Item:
    """The event as `_compare` reads it, nothing more (its sentence, figures and article left out): what a
    distributed resolution ships with each pair it compares."""
    e = it.event
    return _Item(it.key, {"id": it.doc["id"], "language": it.doc.get("language")},
                 {"type": e["type"], "date": e.get("date"), "countries": e.get("countries", [])},
                 it.actor_ids, it.orgs, it.people, it.objects, it.rank)


def _jaccard(a: _Item, b: _Item, shared_words: set[str]) -> float:
    """Overlap of the two events' object words, from the shared words alone (no union set built)."""
    return len(shared_words) / (len(a.objects) + len(b.objects) - len(shared_words))


def _evidence(a: _Item, b: _Item) -> dict:
    """What two merged events share, for the record (built for the merges made, not every candidate)."""
    ea, eb = a.event, b.event
    shared_words = a.objects & b.objects
    return {"dates": [(ea.get("date") or {}).get("value"), (eb.get("date") or {}).get("value")],
            "shared_actors": sorted((a.orgs & b.orgs) | (a.people & b.people)), "shared_words": sorted(shared_words),
            "object_jaccard": round(_jaccard(a, b, shared_words), 3),
            "countries": [sorted(ea.get("countries", [])), sorted(eb.get("countries", []))]}


# --- blocking: the earlier events an event is compared with ------------------------------------------------
# An event is filed under keys and looks its partners up under keys; two events meet when they share enough of
# them (`meets`). Every pair a rule can merge meets, so blocking never changes a result (tests/test_blocking.py),
# and the keys are fine enough that a block holds one type's events of one date sharing a word: a hot actor, type
# and year (every Rosatom agreement of 2023) is never compared pairwise. The full rebuild, the store's index and
# Spark all block by these keys.
#
#   w|type|date|word    a dated event, under its date and each object word: two dated events merge only with
#                       compatible dates and two shared object words
#   v|type|coarse|word  the same under each coarser date the event lies within (2023-05 and 2023 for 2023-05-12),
#                       where an event of that coarser date looks for the more precise ones
#   p|type|a|b|word     a dated event naming organisations a and b, under the pair and each object word; u|... the
#                       same for an undated one: the undated rule joins one of each, sharing two organisations and
#                       two words
#   d|type|day|a|b      a day-dated event under its day and each pair of its organisations: reports in two
#                       languages share no words, only the day and the organisations

def _org_pairs(it: _Item) -> list[tuple[str, str]]:
    orgs = sorted(it.orgs)
    return [(a, b) for i, a in enumerate(orgs) for b in orgs[i + 1:]]


def _date_of(it: _Item) -> str | None:
    return (it.event.get("date") or {}).get("value")


def coarser_dates(date: str) -> list[str]:
    """The less precise dates `date` lies within (2019-12-02: 2019 and 2019-12); an interval lies within none.
    Two dates are compatible (`date_compatible`) when they are equal or one lies within the other."""
    if "/" in date:
        return []
    return [date[:n] for n in (4, 7) if len(date) > n]


def _organisation_keys(it: _Item, kind: str, date: str | None, words: list[str], pair_kind: str) -> list[str]:
    """Each organisation pair's words under `pair_kind` (p: dated events, u: undated), and a day's pairs: filed
    under the event's own kind, looked up under the other."""
    pairs = _org_pairs(it)
    keys = [f"{pair_kind}|{kind}|{a}|{b}|{w}" for a, b in pairs for w in words]
    if date and len(date) == 10:
        keys += [f"d|{kind}|{date}|{a}|{b}" for a, b in pairs]
    return keys


def filing_keys(it: _Item) -> list[str]:
    """The keys an event is filed under (the store keeps them: event_keys): its words under its date, and under
    each coarser date it lies within (where a less precise event looks), its organisation pairs' words, its day's
    organisation pairs."""
    kind, date = it.event["type"], _date_of(it)
    words = sorted(it.objects)
    keys = []
    if date:
        keys += [f"w|{kind}|{date}|{w}" for w in words]
        keys += [f"v|{kind}|{coarse}|{w}" for coarse in coarser_dates(date) for w in words]
    return keys + _organisation_keys(it, kind, date, words, "p" if date else "u")


def probe_keys(it: _Item) -> list[str]:
    """The keys an event looks its partners up under: its words under its own date and each coarser one (the
    events as precise or less), and among the events lying within its date (the more precise ones: a year's event
    finds its days' events without looking up every day); its organisation pairs' words among the events of the
    other kind (dated / undated); its day's organisation pairs. Each compatible event is found once per shared
    word."""
    kind, date = it.event["type"], _date_of(it)
    words = sorted(it.objects)
    keys = []
    if date:
        keys += [f"w|{kind}|{d}|{w}" for d in (date, *coarser_dates(date)) for w in words]
        if "/" not in date and len(date) < 10:
            keys += [f"v|{kind}|{date}|{w}" for w in words]
    return keys + _organisation_keys(it, kind, date, words, "u" if date else "p")


# a hit on a key counts toward: [0] shared words under a compatible date, [1] shared words under an organisation
# pair, [2] a shared day and organisation pair
HIT_SLOT = {"w": 0, "v": 0, "p": 1, "u": 1, "d": 2}


def meets(hits: list[int], conf: dict) -> bool:
    """Whether an event sharing keys with another (counted by HIT_SLOT) can merge with it: two shared words under a
    compatible date or under a shared organisation pair, or a shared day and organisation pair."""
    return hits[0] >= conf["min_shared_words"] or hits[1] >= conf["min_shared_words"] or hits[2] > 0


def block_of(key: str) -> str:
    """The share of the blocking a key falls in: a type and date's keys (w, v, d) or a type and organisation pair's
    (p, u). Two events' hits on slots 0 and 2 all fall in one date's share (that of the less precise date: they
    share no other), and a pair the undated rule can merge meets within each organisation pair it shares (two
    organisations and two words), so each share can be searched on its own: spark-resolve spreads them."""
    parts = key.split("|", 4)
    return "|".join(("t", *parts[1:3])) if parts[0] in ("w", "v", "d") else "|".join(("o", *parts[1:4]))


class BlockIndex:
    """Events filed by their keys, in memory: `partners` gives the filed events a new one meets. With `block`, only
    the keys of that share of the blocking (`block_of`) are filed and looked up."""

    def __init__(self, conf: dict, block: str | None = None):
        self.conf = conf
        self.block = block
        self.filed: dict[str, list[_Item]] = {}

    def _keys(self, keys: list[str]) -> list[str]:
        return keys if self.block is None else [k for k in keys if block_of(k) == self.block]

    def partners(self, x: _Item) -> list[_Item]:
        hits: dict[str, list] = {}
        for key in self._keys(probe_keys(x)):
            slot = HIT_SLOT[key[0]]
            for y in self.filed.get(key, ()):
                counted = hits.get(y.key)
                if counted is None:
                    counted = hits[y.key] = [0, 0, 0, y]
                counted[slot] += 1
        return [h[3] for h in hits.values() if meets(h, self.conf)]

    def file(self, x: _Item) -> None:
        for key in self._keys(filing_keys(x)):
            self.filed.setdefault(key, []).append(x)


def mergeable(x: _Item, others: Iterable[_Item], conf: dict) -> list[tuple[float, str, _Item]]:
    """The events among `others` that a rule merges with `x`: (score, rule, event)."""
    out = []
    for y in others:
        found = _compare(y, x, conf)
        if found:
            out.append((found[1], found[0], y))
    return out


def choose(x: _Item, partners: list[tuple[float, str, _Item]], group_of: dict, groups: dict) -> tuple:
    """The group `x` joins: that of its best-scoring partner (ties: the more senior one) among the groups that
    take it — no event of its article yet, every date compatible with its own. (group id, merge record) or
    (None, None) when it starts a group of its own."""
    date = (x.event.get("date") or {}).get("value")
    for score, rule, y in sorted(partners, key=lambda p: (-p[0], p[2].rank)):
        group = groups[group_of[y.key]]
        if x.doc["id"] in group["docs"]:
            continue
        if date and any(not date_compatible(date, other) for other in group["dates"]):
            continue
        return group_of[y.key], {"rule": rule, "sources": [_ref(y), _ref(x)], "evidence": _evidence(y, x)}
    return None, None


def join(x: _Item, group_id, merge: dict | None, group_of: dict, groups: dict) -> None:
    if group_id is None:
        group_id = x.key
        groups[group_id] = {"members": [], "docs": set(), "dates": set(), "merge": []}
    group = groups[group_id]
    group["members"].append(x)
    group["docs"].add(x.doc["id"])
    date = (x.event.get("date") or {}).get("value")
    if date:
        group["dates"].add(date)
    if merge:
        group["merge"].append(merge)
    group_of[x.key] = group_id
    x.merge = merge


def item_data(it: _Item) -> dict:
    """What merging reads of an event, as the store keeps it (event_items.data)."""
    e = it.event
    return {"type": e["type"], "date": (e.get("date") or {}).get("value"), "countries": sorted(e.get("countries") or []),
            "span": list(e["span"]), "actor_ids": sorted(it.actor_ids), "orgs": sorted(it.orgs),
            "people": sorted(it.people), "objects": sorted(it.objects), "language": it.doc.get("language")}


def item_source(it: _Item) -> dict:
    """What a merged event is built from, so that rebuilding one needs no article read back (event_items.source)."""
    return {"event": dict(it.event),
            "doc": {k: it.doc.get(k) for k in ("published", "outlet", "title")},
            "merge": getattr(it, "merge", None)}


def stored_item(key, doc: str, rank, data: dict) -> _Item:
    """An event as merging reads it, from what the store keeps."""
    event = {"type": data["type"], "date": {"value": data["date"]} if data["date"] else None,
             "countries": data["countries"], "span": data["span"]}
    return _Item(key, {"id": doc, "language": data.get("language")}, event, set(data["actor_ids"]), set(data["orgs"]),
                 set(data["people"]),
                 set(data["objects"]), tuple(rank))


def merge_events(records: Iterable[dict], actors: ActorIndex,
                 duplicates: DuplicateResult | None = None, state: dict | None = None) -> list[MergedEvent]:
    """Every event of the original articles, the same real event told twice merged into one. `state`, when given,
    receives the settled items and their groups (for the store's index)."""
    conf = settings()["events"]
    records = list(records)
    items = sorted(_items(records, actors, duplicates), key=lambda it: it.rank)
    index = BlockIndex(conf)
    group_of: dict = {}
    groups: dict = {}
    for x in items:
        group_id, merge = choose(x, mergeable(x, index.partners(x), conf), group_of, groups)
        join(x, group_id, merge, group_of, groups)
        index.file(x)
    out = build_all(groups, actors, duplicates)
    if state is not None:
        state.update(items=items, group_of=group_of, groups=groups)
    return out


def copies_by_original(duplicates: DuplicateResult | None) -> dict[str, list[str]]:
    copies: dict[str, list[str]] = {}
    for link in (duplicates.links if duplicates else []):
        copies.setdefault(duplicates.root_of(link.doc), []).append(link.doc)
    return copies


def build_all(groups: dict, actors: ActorIndex, duplicates: DuplicateResult | None) -> list[MergedEvent]:
    copies = copies_by_original(duplicates)
    out = []
    for g in groups.values():
        g["event"] = build_group(g["members"], g["merge"], actors, copies)
        out.append(g["event"])
    out.sort(key=lambda e: (e.date.get("value") or "9999", e.id))
    return out


def _ref(it: _Item) -> str:
    return f"{it.doc['id']}[{it.event['span'][0]}:{it.event['span'][1]}]"


def build_group(group: list[_Item], merges: list[dict], actors: ActorIndex, copies: dict) -> MergedEvent:
    group = sorted(group, key=lambda it: (it.doc.get("published") or "9999", it.doc["id"], it.event["span"][0]))
    events = [it.event for it in group]
    dated = [e["date"] for e in events if e.get("date") and e["date"].get("value")]
    value = most_precise([d["value"] for d in dated])
    date = next((dict(d) for d in dated if d["value"] == value), {"value": None, "precision": None, "text": None})
    date["precision"] = date.get("precision") or precision_of(value)
    sectors = Counter(s for e in events for s in e.get("sectors", []))
    actor_ids = []
    for it in group:
        for name in it.event.get("actors", []):
            actor_id = actors.of(it.doc["id"], name)
            if actor_id and actor_id not in actor_ids:
                actor_ids.append(actor_id)
    countries = []
    for e in events:
        countries += [c for c in e.get("countries", []) if c not in countries]
    quantities, seen = [], set()
    for it in group:
        for q in it.event.get("quantities", []):
            key = (q.get("value"), q.get("unit"))
            if key not in seen:
                seen.add(key)
                quantities.append(dict(q, doc=it.doc["id"]))
    statuses = Counter(e.get("status") for e in events if e.get("status"))
    sources = [{"doc": it.doc["id"], "event_id": it.key, "span": it.event["span"], "sentence": it.event.get("sentence"),
                "trigger": it.event.get("trigger"), "date": (it.event.get("date") or {}).get("value"),
                "date_text": (it.event.get("date") or {}).get("text"),
                "published": it.doc.get("published"), "outlet": it.doc.get("outlet"), "title": it.doc.get("title")}
               for it in group]
    return MergedEvent(
        id=stable_id("evt", sorted((s["doc"], s["span"], events[0]["type"], s["trigger"] or "", s["date"] or "")
                                   for s in sources)),
        type=events[0]["type"], plover=events[0].get("plover"), sectors=[s for s, _ in sectors.most_common()],
        date=date, status=statuses.most_common(1)[0][0] if statuses else None,
        actors=[actors.actors[a].name for a in actor_ids], actor_ids=actor_ids, countries=countries,
        location=next((e.get("location") for e in events if e.get("location")), None), quantities=quantities,
        sources=sources, republished_in=sorted({c for it in group for c in copies.get(it.doc["id"], [])}),
        merge=merges)
