"""What coopwatch knows before reading: actors, places, countries and name origins, from the data files.

Loaded once per process (`knowledge()`), shared by every component.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..data import load_toml, load_tsv, split_list


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
    country_names: dict[str, str] = field(default_factory=dict)  # "Russian Federation" -> "RU"
    adjectives: dict[str, str] = field(default_factory=dict)  # "Chinese" -> "CN"
    surnames: dict[str, str] = field(default_factory=dict)  # "Wang" -> "CN"
    given_names: dict[str, str] = field(default_factory=dict)  # "Sergey" -> "RU"
    surname_suffixes: dict[str, str] = field(default_factory=dict)  # "ov" -> "RU"
    not_surnames: set[str] = field(default_factory=set)
    words: dict = field(default_factory=dict)  # entities.toml

    def country_of(self, word: str) -> str | None:
        """The side a country name, nationality adjective or known place stands for."""
        word = word.strip()
        if word.lower().startswith("the "):
            word = word[4:]
        word = re.sub(r"['’]s$", "", word)
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
    for row in load_tsv("gazetteer.tsv"):
        aliases = tuple(split_list(row.get("aliases", "")))
        actor = Actor(row["name"], row.get("type") or "ORG", row.get("country") or None,
                      row.get("category", ""), row.get("role") or None, aliases)
        for surface in (actor.name, *aliases):
            k.actors.setdefault(surface, actor)
    for row in load_tsv("countries.tsv"):
        for name in split_list(row["names"]):
            k.country_names[name] = row["code"]
        for adjective in split_list(row.get("adjectives", "")):
            k.adjectives[adjective] = row["code"]
    for row in load_tsv("places.tsv"):
        for name in (row["name"], *split_list(row.get("aliases", ""))):
            k.places.setdefault(name, (row.get("country") or None, row.get("kind", "")))
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
    return k
