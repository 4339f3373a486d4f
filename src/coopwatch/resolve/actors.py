"""Actor resolution: one canonical actor per real organisation or person, across articles and spellings.

Seeded from the gazetteer (an entity's `canonical`), then extended by rules, each merge recorded with the rule
and the names that justified it:

- gazetteer         two names the gazetteer gives for the same actor
- country_prefix    a name is another with a leading "the", country adjective or possessive ("Russian Joint
                    Institute for Nuclear Research" = "Joint Institute for Nuclear Research")
- acronym_defined   "Full Name (ABBR)" written in an article
- acronym_initials  an acronym that is the initials of exactly one full name seen
- word_order        a person's name with its words swapped ("Egorov Georgy" = "Georgy Egorov")
- transliteration   a person's name spelled with another transliteration (Sergei/Sergey: data/name_variants.tsv)

Two different gazetteer actors are never merged, nor two names given different country sides, nor a person
with an organisation.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .common import fold, name_variants, settings, stable_id

DEFINITION = re.compile(r"((?:[A-Z][\w'’.&-]*|of|for|and|the|on|in|de|at)(?:[ ](?:[A-Z][\w'’.&-]*,?|of|for|and|the|on"
                        r"|in|de|at|&))*)\s+\(([A-Z][A-Za-z0-9&-]{1,11})\)")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,11}$")


def actor_class(entity_type: str) -> str:
    return "PERSON" if entity_type == "PERSON" else "ORG"


@dataclass
class ActorRecord:
    id: str
    name: str                                   # the gazetteer name, else the most mentioned spelling
    type: str                                   # PERSON or ORG (organisations, facilities, products)
    country: str | None
    gazetteer: bool
    names: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)   # {doc, name, spans}
    merges: list[dict] = field(default_factory=list)     # {rule, names: [a, b], evidence}

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ActorIndex:
    actors: dict[str, ActorRecord]
    by_doc_name: dict[tuple[str, str], str]      # (doc id, entity name) -> actor id
    by_name: dict[tuple[str, str], str]          # (class, name) -> actor id
    refused: list[dict] = field(default_factory=list)  # merges a rule proposed and a guard refused

    def of(self, doc: str, name: str) -> str | None:
        found = self.by_doc_name.get((doc, name))
        if found:
            return found
        for cls in ("ORG", "PERSON"):
            if (cls, name) in self.by_name:
                return self.by_name[(cls, name)]
        return None

    @property
    def merges(self) -> list[dict]:
        return [dict(m, actor=a.id, actor_name=a.name) for a in self.actors.values() for m in a.merges]


class _Clusters:
    def __init__(self):
        self.parent: dict = {}
        self.canonical: dict = {}      # root -> gazetteer name or None
        self.countries: dict = {}      # root -> set of sides
        self.merges: dict = {}         # root -> list of merge records
        self.refused: list[dict] = []

    def add(self, node, canonical, country):
        if node not in self.parent:
            self.parent[node] = node
            self.canonical[node] = canonical
            self.countries[node] = set()
            self.merges[node] = []
        root = self.find(node)
        if canonical and not self.canonical[root]:
            self.canonical[root] = canonical
        if country:
            self.countries[root].add(country)

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b, rule: str, evidence: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        why = None
        if a[0] != b[0]:
            why = "a person and an organisation"
        elif self.canonical[ra] and self.canonical[rb] and self.canonical[ra] != self.canonical[rb]:
            why = f"two gazetteer actors ({self.canonical[ra]} / {self.canonical[rb]})"
        elif self.countries[ra] and self.countries[rb] and not (self.countries[ra] & self.countries[rb]):
            why = f"different sides ({'/'.join(sorted(self.countries[ra]))} vs {'/'.join(sorted(self.countries[rb]))})"
        if why:
            self.refused.append({"rule": rule, "names": [a[1], b[1]], "evidence": evidence, "refused": why})
            return False
        self.parent[rb] = ra
        self.canonical[ra] = self.canonical[ra] or self.canonical[rb]
        self.countries[ra] |= self.countries[rb]
        self.merges[ra] += self.merges[rb] + [{"rule": rule, "names": [a[1], b[1]], "evidence": evidence}]
        return True


def _dateline(entity: dict, text: str, knowledge) -> bool:
    """A place in capitals at the head of a dispatch ("TULA, June 5 --") taken for an actor."""
    name = entity["name"]
    if not name.isupper() or len(name) < 3:
        return False
    if name.title() in knowledge.places:
        return True
    return all(re.match(r"^[A-Z .]*$", text[:start]) and re.match(r"^[ ,]", text[end:end + 1] or " ")
               for start, end in entity.get("mentions") or [[0, 0]])


def _strip_prefix(name: str, knowledge) -> str | None:
    """The name without a leading "the", country adjective or possessive, if it had one."""
    words = name.split()
    leading = {w.lower() for w in settings()["actors"]["leading"]}
    cut = 0
    while cut < len(words) - 1:
        w = words[cut]
        if w.lower() in leading or knowledge.country_of(w) and (w in knowledge.adjectives or re.search(r"['’]s$", w)):
            cut += 1
            continue
        break
    if not cut:
        return None
    rest = " ".join(words[cut:])
    return rest if rest[:1].isupper() else None


def _initials(name: str) -> str:
    skip = set(settings()["actors"]["initials_skip"])
    parts = [p for p in re.split(r"[\s-]+", name) if p and p.lower() not in skip]
    return "".join(p[0] for p in parts if p[0].isalpha()).upper()


def _person_key(name: str, variants: dict[str, str] | None) -> tuple[str, ...]:
    tokens = [t for t in re.split(r"[\s.]+", fold(name)) if t]
    if variants is not None:
        tokens = [variants.get(t, t) for t in tokens]
    return tuple(sorted(tokens))


def actor_input(record: dict) -> dict:
    """What actor resolution reads of an article, without its text: its actor-like entities (mentions as a count),
    which of them are datelines, and its "Full Name (ABBR)" definitions. resolve_actors gives the same result on
    these as on the article (the store keeps them, so resolving again needs no text read back)."""
    from ..extract.knowledge import knowledge

    k = knowledge()
    types = set(settings()["actors"]["types"])
    text = record.get("text") or ""
    entities = [e for e in record.get("entities", []) if e.get("type") in types and e.get("name")]
    return {"id": record["id"],
            "entities": [{"name": e["name"], "type": e["type"], "country": e.get("country"),
                          "canonical": e.get("canonical"), "mentions": len(e.get("mentions") or [])} for e in entities],
            "datelines": sorted({e["name"] for e in entities if _dateline(e, text, k)}),
            "definitions": [[m.group(1), m.group(2), m.start(), m.end(), m.group(0)] for m in DEFINITION.finditer(text)]}


def resolve_actors(records: Iterable[dict]) -> ActorIndex:
    """Group every actor-like entity of `records` (extraction records, or actor_input() of them) into canonical
    actors."""
    from ..extract.knowledge import knowledge

    k = knowledge()
    conf = settings()["actors"]
    types = set(conf["types"])
    records = [r if "datelines" in r else actor_input(r) for r in records if "error" not in r]
    clusters = _Clusters()
    mentions: dict = {}          # node -> list of {doc, name, spans}
    node_type: dict = {}         # node -> Counter of entity types
    doc_name_node: dict = {}

    def gazetteer_name(surface, cls):
        actor = k.actors.get(surface)
        if actor and actor_class(actor.type) == cls:
            return actor.name
        return None

    for r in records:
        datelines = set(r["datelines"])
        for e in r.get("entities", []):
            if e.get("type") not in types or not e.get("name") or e["name"] in datelines:
                continue
            cls = actor_class(e["type"])
            node = (cls, e["name"])
            canonical = e.get("canonical") or gazetteer_name(e["name"], cls)
            clusters.add(node, canonical, e.get("country"))
            mentions.setdefault(node, []).append({"doc": r["id"], "name": e["name"], "spans": e["mentions"]})
            node_type.setdefault(node, Counter())[e["type"]] += 1
            doc_name_node[(r["id"], e["name"])] = node

    nodes = list(clusters.parent)
    # gazetteer: names the gazetteer gives for the same actor
    by_canonical: dict[str, list] = {}
    for node in nodes:
        c = clusters.canonical[node]
        if c:
            by_canonical.setdefault(c, []).append(node)
    for canonical, group in by_canonical.items():
        for other in group[1:]:
            clusters.union(group[0], other, "gazetteer", f"both are names of gazetteer actor “{canonical}”")

    observed = {node[1]: node for node in nodes if node[0] == "ORG"}
    # country_prefix; a bare name that several different actors shorten to ("Academy of Sciences" from the
    # Russian and the Chinese one) is ambiguous and joins none of them
    prefixed: dict = {}
    for node in nodes:
        stripped = _strip_prefix(node[1], k)
        if stripped and (node[0], stripped) in clusters.parent:
            prefixed.setdefault((node[0], stripped), []).append(node)
    ambiguous = set()
    for target, sources in prefixed.items():
        identities = {clusters.canonical[clusters.find(n)] or n for n in sources}
        sides = {c for n in sources for c in clusters.countries[clusters.find(n)]}
        if len(identities) > 1 and (len({i for i in identities if isinstance(i, str)}) > 1 or len(sides) > 1):
            ambiguous.add(target)
            clusters.refused.append({"rule": "country_prefix", "names": [target[1], " / ".join(n[1] for n in sources)],
                                     "evidence": f"“{target[1]}” shortens several different actors",
                                     "refused": "ambiguous"})
    for node in nodes:
        stripped = _strip_prefix(node[1], k)
        if not stripped:
            continue
        target = (node[0], stripped)
        if target in ambiguous:
            continue
        if target in clusters.parent:
            clusters.union(target, node, "country_prefix",
                           f"“{node[1]}” is “{stripped}” with a leading country word or article")
        else:
            canonical = gazetteer_name(stripped, node[0])
            if canonical and not clusters.canonical[clusters.find(node)]:
                group = by_canonical.get(canonical)
                if group:
                    clusters.union(group[0], node, "country_prefix",
                                   f"“{node[1]}” is gazetteer name “{stripped}” with a leading country word")

    # acronym_defined: "Full Name (ABBR)" in any article
    for r in records:
        for full, short, start, end, written in r["definitions"]:
            if (n := len(short)) < conf["acronym_min"] or n > conf["acronym_max"] + 2:
                continue
            words = full.split()
            target = None
            for i in range(len(words)):  # longest tail of the capture that names an entity seen
                tail = " ".join(words[i:])
                # "Co., Ltd." keeps its full stop in a name; a sentence's comma or full stop is no part of one
                found = next((t for t in (tail.rstrip(","), tail.rstrip(",.")) if t in observed), None)
                if found is not None:
                    target = observed[found]
                    break
            short_node = observed.get(short)
            if target and short_node and target != short_node:
                clusters.union(target, short_node, "acronym_defined",
                               f"{r['id']} [{start}:{end}]: “{written}”")

    # acronym_initials: an acronym that is the initials of exactly one full name seen
    fulls = [node for node in nodes if node[0] == "ORG" and len(node[1].split()) >= 2]
    for node in nodes:
        short = node[1]
        if node[0] != "ORG" or not ACRONYM.match(short) or not conf["acronym_min"] <= len(short) <= conf["acronym_max"]:
            continue
        matches = {clusters.find(f): f for f in fulls
                   if _initials(f[1]) == short or (_strip_prefix(f[1], k) and _initials(_strip_prefix(f[1], k)) == short)}
        matches.pop(clusters.find(node), None) if len(matches) > 1 else None
        if len(matches) == 1:
            (full,) = matches.values()
            if clusters.find(full) != clusters.find(node):
                clusters.union(full, node, "acronym_initials", f"“{short}” is the initials of “{full[1]}”, the only "
                                                                "full name seen with them")

    # word_order and transliteration, for people
    variants = name_variants()
    people = [node for node in nodes if node[0] == "PERSON" and len(node[1].split()) >= 2]
    for rule, table in (("word_order", None), ("transliteration", variants)):
        groups: dict = {}
        for node in people:
            groups.setdefault(_person_key(node[1], table), []).append(node)
        for group in groups.values():
            for other in group[1:]:
                if clusters.find(other) == clusters.find(group[0]):
                    continue
                if rule == "word_order":
                    evidence = f"“{group[0][1]}” and “{other[1]}” have the same words in another order"
                else:
                    diff = sorted(set(fold(group[0][1]).split()) ^ set(fold(other[1]).split()))
                    evidence = f"“{group[0][1]}” and “{other[1]}” differ by spelling variants {', '.join(diff)}"
                clusters.union(group[0], other, rule, evidence)

    # records
    members: dict = {}
    for node in nodes:
        members.setdefault(clusters.find(node), []).append(node)
    actors: dict[str, ActorRecord] = {}
    by_name: dict = {}
    node_actor: dict = {}
    for root, group in members.items():
        canonical = clusters.canonical[root]
        counts = Counter({node[1]: sum(m["spans"] or 1 for m in mentions[node]) for node in group})
        name = canonical or max(counts, key=lambda n: (counts[n], len(n), n))
        countries = sorted(clusters.countries[root])
        types_seen = Counter()
        for node in group:
            types_seen.update(node_type[node])
        actor = ActorRecord(
            id=stable_id("act", root[0], name), name=name,
            type="PERSON" if root[0] == "PERSON" else types_seen.most_common(1)[0][0],
            country=countries[0] if len(countries) == 1 else None, gazetteer=bool(canonical),
            names=sorted({node[1] for node in group}),
            docs=sorted({m["doc"] for node in group for m in mentions[node]}),
            mentions=[m for node in group for m in mentions[node]], merges=clusters.merges[root])
        actors[actor.id] = actor
        for node in group:
            node_actor[node] = actor.id
            by_name[node] = actor.id
    by_doc_name = {key: node_actor[node] for key, node in doc_name_node.items()}
    return ActorIndex(actors=actors, by_doc_name=by_doc_name, by_name=by_name, refused=clusters.refused)
