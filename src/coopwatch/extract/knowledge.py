"""What coopwatch knows before reading: actors, places, countries and name origins, from the data files.

Loaded once per process (`knowledge()`), shared by every component. Countries and places come from the tables
generated from maintained packages (`world_countries.tsv`, `world_places.tsv`, see scripts/build_world.py) under the
hand-kept `countries.tsv` and `places.tsv`, which win; actors from `gazetteer.tsv` and `organisations.tsv`.
Names are looked up in a normal form (`normal`): curly apostrophes and quotes, dashes and odd spaces never change a
match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..data import load_toml, load_tsv, split_list


# typographic variants -> the plain character: ’ ‘ ′ -> ', “ ” „ -> ", – — ‒ ‐ ‑ -> -, odd spaces -> space
NORMAL = str.maketrans({**dict.fromkeys("\u2019\u2018\u02bc\u2032\u00b4`", "'"),
                        **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb", '"'),
                        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
                        **dict.fromkeys("\u00a0\u2009\u202f\u2007", " ")})


def normal(text: str) -> str:
    """The text with typographic variants made plain, same length (one character for one)."""
    return text.translate(NORMAL)


@dataclass(frozen=True)
class Actor:
    name: str
    type: str
    country: str | None
    category: str
    role: str | None
    aliases: tuple[str, ...] = ()


@dataclass
class Knowledge:
    actors: dict[str, Actor] = field(default_factory=dict)  # every surface form (name or alias) -> actor
    places: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # place name -> (country, kind)
    place_options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "Punjab" -> ("IN", "PK")
    labels: dict[str, str] = field(default_factory=dict)  # "RU" -> "Russia": a side's name to show
    country_names: dict[str, str] = field(default_factory=dict)  # "Russian Federation" -> "RU"
    adjectives: dict[str, str] = field(default_factory=dict)  # "Chinese" -> "CN"
    surnames: dict[str, str] = field(default_factory=dict)  # "Wang" -> "CN"
    given_names: dict[str, str] = field(default_factory=dict)  # "Sergey" -> "RU"
    surname_suffixes: dict[str, str] = field(default_factory=dict)  # "ov" -> "RU"
    not_surnames: set[str] = field(default_factory=set)
    words: dict = field(default_factory=dict)  # entities.toml
    seen: dict[str, str | None] = field(default_factory=dict, repr=False)  # country_of's answers, per process

    def country_of(self, word: str) -> str | None:
        """The side a country name, nationality adjective or known place stands for."""
        try:
            return self.seen[word]
        except KeyError:
            pass
        if len(self.seen) > 50_000:
            self.seen.clear()
        self.seen[word] = found = self.look_up(word)
        return found

    def look_up(self, word: str) -> str | None:
        word = normal(word).strip()
        if word.lower().startswith("the "):
            word = word[4:]
        word = re.sub(r"'s$", "", word)
        if word.isupper() and len(word) > 3 and word.title() in self.places:  # "BEIJING, March 10 --"
            word = word.title()
        if word in self.country_names:
            return self.country_names[word]
        if word in self.adjectives:
            return self.adjectives[word]
        place = self.places.get(word)
        return place[0] if place else None

    def name_origin(self, name: str) -> str | None:
        """The side a person's name points to, from surname lists and Russian surname endings."""
        tokens = [t for t in re.split(r"[\s-]+", name) if t]
        votes: dict[str, int] = {}
        for token in tokens:
            for table in (self.surnames, self.given_names):
                if token in table:
                    votes[table[token]] = votes.get(table[token], 0) + 2
            lower = token.lower()
            if token not in self.not_surnames and len(token) > 4:
                for suffix, country in self.surname_suffixes.items():
                    if lower.endswith(suffix):
                        votes[country] = votes.get(country, 0) + 1
                        break
        return max(votes, key=votes.get) if votes else None


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    k = Knowledge(words=load_toml("entities.toml"))
    for name in ("gazetteer.tsv", "organisations.tsv"):
        for row in load_tsv(name):
            aliases = tuple(split_list(row.get("aliases", "")))
            actor = Actor(row["name"], row.get("type") or "ORG", row.get("country") or None,
                          row.get("category", ""), row.get("role") or None, aliases)
            for surface in (actor.name, *aliases):
                k.actors.setdefault(surface, actor)
                k.actors.setdefault(normal(surface), actor)
    for row in load_tsv("person_names.tsv"):
        kind, value, origin = row["kind"], row["value"], row["origin"]
        if kind == "surname":
            k.surnames[value] = origin
        elif kind == "given":
            k.given_names[value] = origin
        elif kind == "surname_suffix":
            k.surname_suffixes[value.lower()] = origin
        elif kind == "not_surname":
            k.not_surnames.add(value)
    # longest endings first, so "ova" wins over "a"
    k.surname_suffixes = dict(sorted(k.surname_suffixes.items(), key=lambda kv: -len(kv[0])))
    capitals = []
    for table in ("countries.tsv", "world_countries.tsv"):  # the hand-kept table first: its names win
        for row in load_tsv(table):
            names = split_list(row["names"])
            if names and (table == "world_countries.tsv" or row["code"] not in k.labels):
                # the short name to show: "Russia" of "Russian Federation|Russia", "Vietnam" of "Vietnam|Viet Nam"
                k.labels[row["code"]] = min(names[:2], key=len) if table == "world_countries.tsv" else names[0]
            for name in split_list(row["names"]):
                k.country_names.setdefault(normal(name), row["code"])
            for adjective in split_list(row.get("adjectives", "")):
                k.adjectives.setdefault(normal(adjective), row["code"])
            if row.get("capital"):
                capitals.append((row["capital"], row["code"]))
    for row in load_tsv("places.tsv"):
        for name in (row["name"], *split_list(row.get("aliases", ""))):
            k.places.setdefault(normal(name), (row.get("country") or None, row.get("kind", "")))
    # generated places give way to common words and people's names that are also place names ("Reading", "Gao")
    not_places = set(k.words.get("not_places", [])) | set(k.surnames) | set(k.given_names)
    for capital, code in capitals:
        if capital not in not_places:
            k.places.setdefault(normal(capital), (code, "city"))
    for row in load_tsv("world_places.tsv"):
        if row["name"] not in not_places:
            name = normal(row["name"])
            k.places.setdefault(name, (row["country"] or None, row["kind"]))
            if row.get("options") and k.places[name][0] == (row["country"] or None):
                k.place_options[name] = tuple(split_list(row["options"]))
    return k
