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
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations

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
    sources: list[dict]               # {doc, span, sentence, trigger, date, published, outlet, title}
    republished_in: list[str] = field(default_factory=list)
    merge: list[dict] = field(default_factory=list)   # {rule, sources: [a, b], evidence}

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class _Item:
    key: int
    doc: dict
    event: dict
    actor_ids: set
    orgs: set
    people: set
    objects: set


def _items(records: list[dict], actors: ActorIndex, duplicates: DuplicateResult | None) -> list[_Item]:
    from ..extract.knowledge import knowledge

    k = knowledge()
    copies = duplicates.original_of if duplicates else {}
    is_country: dict[str, bool] = {}  # per word: a record repeats the same few hundred words many times
    items = []
    for r in records:
        if "error" in r or r["id"] in copies:
            continue
        for e in r.get("events", []):
            ids, orgs, people, drop = set(), set(), set(), set()
            for name in e.get("actors", []):
                drop.update(words(name))
                actor_id = actors.of(r["id"], name)
                if not actor_id:
                    continue
                ids.add(actor_id)
                actor = actors.actors[actor_id]
                (people if actor.type == "PERSON" else orgs).add(actor_id)
                for alias in actor.names:
                    drop.update(words(alias))
            for w in words(e.get("sentence", "")):
                if w not in is_country:
                    is_country[w] = bool(k.country_of(w.capitalize()))
                if is_country[w]:
                    drop.add(w)
            if e.get("date") and e["date"].get("text"):
                drop.update(words(e["date"]["text"]))
            drop.update(words(e.get("trigger") or ""))
            items.append(_Item(len(items), r, e, ids, orgs, people, content_words(e.get("sentence", ""), drop)))
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


def merge_events(records: Iterable[dict], actors: ActorIndex,
                 duplicates: DuplicateResult | None = None) -> list[MergedEvent]:
    """Every event of the original articles, the same real event told twice merged into one."""
    conf = settings()["events"]
    records = list(records)
    items = _items(records, actors, duplicates)
    candidates = []
    # events told in the same words (type, date, actors, sides, object words) are compared with the first of
    # them only: one big story retold by hundreds of articles costs hundreds of comparisons, not their square
    alike: dict[tuple, list[int]] = {}
    for it in items:
        alike.setdefault(_signature(it), []).append(it.key)
    compared: list[int] = []
    for keys in alike.values():
        compared.append(keys[0])
        for key in keys[1:]:
            found = _compare(items[keys[0]], items[key], conf)
            if found:
                candidates.append((found[1], keys[0], key, found[0]))
            else:
                compared.append(key)  # the same article, or kept apart: compared like any other
    # blocking: dated events meet when they share a type, a year and an actor or the sides (compatible dates
    # share their year); an undated one meets events sharing its type and two organisations
    blocks: dict[tuple, list[int]] = {}
    for key in compared:
        it = items[key]
        kind = it.event["type"]
        date = (it.event.get("date") or {}).get("value")
        if date:
            for actor_id in it.actor_ids:
                blocks.setdefault((kind, actor_id, date[:4]), []).append(key)
            if it.event.get("countries"):
                blocks.setdefault((kind, tuple(sorted(it.event["countries"])), date[:4]), []).append(key)
        orgs = sorted(it.orgs)
        for i, a in enumerate(orgs):
            for b in orgs[i + 1:]:
                blocks.setdefault((kind, "orgs", a, b), []).append(key)
    pairs: set[tuple[int, int]] = set()
    for block, keys in blocks.items():
        if block[1] == "orgs":  # for the undated rule only: one of the two has no date
            undated = [k for k in keys if not _dated(items[k])]
            pairs.update((min(a, b), max(a, b)) for a in undated for b in keys if a != b)
            continue
        # within a year, only compatible dates can merge: 2019-06 meets 2019-06-05 and 2019, not 2019-07
        by_date: dict[str, list[int]] = {}
        for k in keys:
            by_date.setdefault(items[k].event["date"]["value"], []).append(k)
        for x, xs in by_date.items():
            pairs.update(combinations(sorted(xs), 2))  # keys ascend within a bucket: each pair once, in order
            for y, ys in by_date.items():
                if x < y and date_compatible(x, y):
                    pairs.update((min(a, b), max(a, b)) for a in xs for b in ys)
    # candidates are ordered by score below, so the order in which pairs are compared does not matter
    for ka, kb in pairs:
        found = _compare(items[ka], items[kb], conf)
        if found:
            candidates.append((found[1], ka, kb, found[0]))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))

    parent = list(range(len(items)))
    members = {i: [i] for i in range(len(items))}
    merges: dict[int, list[dict]] = {i: [] for i in range(len(items))}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, ka, kb, rule in candidates:
        ra, rb = find(ka), find(kb)
        if ra == rb:
            continue
        group = members[ra] + members[rb]
        docs = [items[i].doc["id"] for i in group]
        if len(docs) != len(set(docs)):
            continue  # one article never tells the same event twice here
        dates = {(items[i].event.get("date") or {}).get("value") for i in group} - {None, ""}
        if any(not date_compatible(x, y) for x in dates for y in dates):
            continue
        parent[rb] = ra
        members[ra] = group
        merges[ra] += merges[rb] + [{"rule": rule, "sources": [_ref(items[ka]), _ref(items[kb])],
                                     "evidence": _evidence(items[ka], items[kb])}]
        del members[rb]

    copies: dict[str, list[str]] = {}
    for link in (duplicates.links if duplicates else []):
        copies.setdefault(duplicates.root_of(link.doc), []).append(link.doc)
    out = [_build([items[i] for i in group], merges[root], actors, copies) for root, group in members.items()]
    out.sort(key=lambda e: (e.date.get("value") or "9999", e.id))
    return out


def _dated(it: _Item) -> bool:
    return bool((it.event.get("date") or {}).get("value"))


def _signature(it: _Item) -> tuple:
    e = it.event
    return (e["type"], (e.get("date") or {}).get("value"), frozenset(it.orgs), frozenset(it.people),
            frozenset(e.get("countries") or ()), frozenset(it.objects))


def _ref(it: _Item) -> str:
    return f"{it.doc['id']}[{it.event['span'][0]}:{it.event['span'][1]}]"


def _build(group: list[_Item], merges: list[dict], actors: ActorIndex, copies: dict) -> MergedEvent:
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
    sources = [{"doc": it.doc["id"], "span": it.event["span"], "sentence": it.event.get("sentence"),
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
