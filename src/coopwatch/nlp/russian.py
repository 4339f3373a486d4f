"""The Russian pipeline: natasha (slovnet NER and morphology, navec embeddings, razdel sentences; the models ship
inside the PyPI packages) plus the gazetteer's Russian aliases, Russian figures, quotes and dates, and the shared
event logic in `native.py` with the trigger and keyword lists in `data/ru/`."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language

from ..data import load_toml
from ..document import DateValue, Quantity
from ..extract.dates import resolve
from ..extract.knowledge import Actor, knowledge
from .native import Found, Mention, Native, Reading, Word, words_pattern

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
VOWELS = "аеёиоуыэюяйь"
MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]
MONTHS_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре",
               "ноябре", "декабре"]
MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
              "ноябрь", "декабрь"]
EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
MONTH_OF = {m: EN_MONTHS[i] for table in (MONTHS_GEN, MONTHS_PREP, MONTHS_NOM) for i, m in enumerate(table)}
WEEKDAYS = {"понедельник": "monday", "вторник": "tuesday", "среду": "wednesday", "среда": "wednesday",
            "четверг": "thursday", "пятницу": "friday", "пятница": "friday", "субботу": "saturday",
            "суббота": "saturday", "воскресенье": "sunday"}
PARTS = {"конце": "end of", "конца": "end of", "начале": "beginning of", "начала": "beginning of",
         "середине": "middle of", "первой половине": "first half of", "второй половине": "second half of",
         "первом квартале": "first quarter of", "втором квартале": "second quarter of",
         "третьем квартале": "third quarter of", "четвертом квартале": "fourth quarter of"}
RELATIVE = {"прошлом": "last", "прошлого": "last", "этом": "this", "текущем": "this", "текущего": "this",
            "следующем": "next", "будущем": "next", "следующего": "next", "позапрошлом": None}
YEAR_WORD = r"(?:\s*(?:году|года|годом|год|г\.))"
MONTH_ALT = "|".join(sorted(MONTH_OF, key=len, reverse=True))
DATE_PATTERNS = [
    ("day_range", re.compile(r"(?<!\d)(\d{1,2})\s*[-–—]\s*(\d{1,2})\s+(" + MONTH_ALT + r")(?:\s+((?:19|20)\d\d)" + YEAR_WORD
                             + r"?)?(?![\w])")),  # "16–19 сентября (2024 года)": a range of days
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?!\d)")),
    ("day_month_year", re.compile(r"(?<!\d)(\d{1,2})(?:\s*[-–]\s*\d{1,2})?\s+(" + MONTH_ALT + r")\s+((?:19|20)\d\d)" + YEAR_WORD + "?")),
    ("range", re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)?\d\d)(?:\s*(?:годах|годы|годов|гг\.?|году|годам))")),
    ("part_year", re.compile(r"(?i:в\s+|к\s+|до\s+|с\s+)?(" + "|".join(PARTS) + r")\s+((?:19|20)\d\d)" + YEAR_WORD)),
    ("month_year", re.compile(r"(?i:в\s+)?(" + MONTH_ALT + r")\s+((?:19|20)\d\d)" + YEAR_WORD + "?")),
    ("day_month", re.compile(r"(?<!\d)(\d{1,2})\s+(" + MONTH_ALT + r")(?![\w])")),
    ("year", re.compile(r"(?i:(?:в|с|к|до|по|на|от)\s+)?(?<!\d)((?:19|20)\d\d)" + YEAR_WORD)),
    ("weekday", re.compile(r"(?i:(?:в|во)\s+(?:(прошл\w*|эт\w*|следующ\w*)\s+)?)(" + "|".join(WEEKDAYS) + r")(?![\w])")),
    ("relative", re.compile(r"(?i:в\s+)?(прошлом|этом|текущем|следующем|будущем)\s+(году|месяце)")),
    ("relative_day", re.compile(r"(?i)(?<![\w])(вчера|сегодня|завтра)(?![\w])")),
    ("month", re.compile(r"(?i:в\s+)(" + "|".join(MONTHS_PREP) + r")(?![\w])")),
]


DATELINE = re.compile(r"(?:^|\n)[А-ЯЁ][А-ЯЁ .\-]{2,40},\s*$")


def stem_pattern(alias: str) -> str:
    """A regex for an alias that lets each Russian word take its case ending: "Росатом" finds "Росатома"."""
    parts = []
    for word in re.split(r"(\s+)", alias):
        if not word or word.isspace():
            parts.append(r"\s+" if word else "")
            continue
        if CYRILLIC.search(word) and len(word) > 4 and not word.isupper() and word[-1].isalpha():
            stem = word
            for _ in range(2):
                if len(stem) > 4 and stem[-1].lower() in VOWELS:
                    stem = stem[:-1]
            parts.append(re.escape(stem) + r"[а-яё]{0,3}")
        else:
            parts.append(re.escape(word))
    return "".join(parts)


class Gazetteer:
    """The gazetteer's Cyrillic aliases, found in any case form."""

    def __init__(self):
        self.candidates: dict[str, list[tuple[re.Pattern, Actor, str]]] = {}
        self.acronyms = {s: a for s, a in knowledge().actors.items() if re.fullmatch(r"[A-Z][A-Z0-9&]{2,7}", s)}
        patterns = []
        for surface, actor in knowledge().actors.items():
            if not CYRILLIC.search(surface):
                continue
            pattern = stem_pattern(surface)
            patterns.append(pattern)
            self.candidates.setdefault(surface[:3].lower(), []).append((re.compile(pattern), actor, surface))
        patterns.sort(key=len, reverse=True)
        self.rx = re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])") if patterns else None
        # Russian news writes foreign companies and brands in Latin letters ("Great Wall Motor", "Haval", "Huawei"):
        # the gazetteer's Latin names of organisations, as written
        self.latin = {s: a for s, a in knowledge().actors.items() if a.type == "ORG" and len(s) >= 4
                      and re.fullmatch(r"[A-Z][A-Za-z0-9&.\- ]+", s) and re.search(r"[a-z]", s)}
        self.latin_rx = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(self.latin, key=len, reverse=True)))
                                   + r")(?![\w])") if self.latin else None

    def find(self, text: str) -> list[tuple[int, int, Actor, str]]:
        out = []
        for m in re.finditer(r"(?<![\w])[A-Z][A-Z0-9&]{2,7}(?![\w])", text):  # "CNPC", "CATL" as the gazetteer has them
            actor = self.acronyms.get(m.group())
            if actor is not None:
                out.append((m.start(), m.end(), actor, m.group()))
        if self.latin_rx is not None:
            for m in self.latin_rx.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b, _, _ in out):
                    out.append((m.start(), m.end(), self.latin[m.group()], m.group()))
        if self.rx is None:
            return out
        for m in self.rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b, _, _ in out):
                continue
            for pattern, actor, surface in self.candidates.get(m.group()[:3].lower(), []):
                if pattern.fullmatch(m.group()):
                    out.append((m.start(), m.end(), actor, surface))
                    break
        return out

    def by_name(self, name: str) -> Actor | None:
        for pattern, actor, _ in self.candidates.get(name[:3].lower(), []):
            if pattern.fullmatch(name):
                return actor
        return None


class RussianReader:
    def __init__(self):
        import warnings

        with warnings.catch_warnings():  # pymorphy2 (under natasha) imports the deprecated pkg_resources
            warnings.simplefilter("ignore")
            from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        self.segmenter = Segmenter()
        embedding = NewsEmbedding()
        self.morph = NewsMorphTagger(embedding)
        self.ner = NewsNERTagger(embedding)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.vocab = MorphVocab()
        self.gazetteer = Gazetteer()
        w = load_toml("ru/words.toml")
        self.country_names = {name.lower(): code for code, names in w["countries"].items() for name in names}
        self.adjectives = {a: code for code, words in w["adjectives"].items() for a in words}
        self.places = {name.lower(): code for code, names in w["places"].items() for name in names}
        self.role_rx = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(map(re.escape, w["role_words"])) + r")[\w-]*")
        self.chinese_surnames = set(w["chinese_surnames"])
        self.endings = sorted(w["russian_surname_endings"], key=len, reverse=True)
        self.place_patterns = [(re.compile(stem_pattern(name), re.IGNORECASE), code)
                               for code, names in w["places"].items() for name in names]
        self.place_rx = re.compile(r"(?i)(?<![\w])(?:" + "|".join(
            sorted((stem_pattern(n) for names in w["places"].values() for n in names), key=len, reverse=True)) + r")(?![\w])")
        side_words = sorted(list(self.adjectives) + [n for n in self.country_names], key=len, reverse=True)
        self.side_rx = re.compile(r"(?i)(?<![\w])(" + "|".join(map(re.escape, side_words)) +
                                  r"|росси[а-я]*|кита[а-я]*|рф|кнр|российско-китайск[а-я]*|китайско-российск[а-я]*)(?![\w])")
        self.region_rx = words_pattern(w["region_words"], chinese=False)
        f = load_toml("ru/figures.toml")
        self.figures = FigureReader(f)

    # -- the reader interface ------------------------------------------------------------------
    def read(self, text: str, published: date | None) -> Reading:
        from natasha import Doc as NDoc

        ndoc = NDoc(text)
        ndoc.segment(self.segmenter)
        ndoc.tag_morph(self.morph)  # the names' dictionary forms need it
        ndoc.tag_ner(self.ner)
        sentences = []
        for s in ndoc.sents:
            stripped = text[s.start:s.stop].rstrip()
            if stripped.strip():
                sentences.append((s.start, s.start + len(stripped)))
        mentions = self.mentions(text, ndoc)
        dates = self.dates(text, published)
        blocked = [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in mentions
                                                       if m.type in ("ORG", "PRODUCT", "EVENT", "FAC")]
        return Reading(sentences, mentions, self.figures.find(text, blocked), dates, verbs=self.verbs(ndoc))

    def verbs(self, ndoc) -> list[Word]:
        """Each verb with its lemma and tense, for triggers in any form and for status ("подпишут": planned)."""
        out = []
        for token in ndoc.tokens:
            if token.pos == "VERB":
                token.lemmatize(self.vocab)
                out.append(Word(token.start, token.stop, (token.lemma or token.text).lower(), token.feats.get("Tense")))
        return out

    def side_words(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        out = []
        for m in self.side_rx.finditer(text, start, end):
            word = m.group(1).lower()
            if word.startswith(("российско-китайск", "китайско-российск")):
                out += [(m.start(), "RU"), (m.start() + 1, "CN")] if word.startswith("росс") else \
                    [(m.start(), "CN"), (m.start() + 1, "RU")]
            elif word in self.adjectives or word in self.country_names:
                out.append((m.start(), self.adjectives.get(word) or self.country_names[word]))
            elif word.startswith("росси") or word == "рф":
                out.append((m.start(), "RU"))
            elif word.startswith("кита") or word == "кнр":
                out.append((m.start(), "CN"))
        return out

    def past(self, sentence: str, trigger: str) -> bool | None:
        word = trigger.split()[0].lower()
        if re.search(r"(?:ли|ла|ло|лся|лась|лись|лось|ан|ана|аны|ен|ена|ены|ено|ан|ят|ят)$", word) and len(word) > 5:
            return True
        return None

    # -- entities -------------------------------------------------------------------------------
    def mentions(self, text: str, ndoc) -> list[Mention]:
        found: list[Mention] = []
        for start, end, actor, surface in self.gazetteer.find(text):
            found.append(Mention(start, end, actor.type, surface, actor, actor.country))
        taken = [(m.start, m.end) for m in found]
        for span in ndoc.spans:
            if any(a < span.stop and span.start < b for a, b in taken):
                continue
            try:
                span.normalize(self.vocab)
                name = span.normal or span.text
            except Exception:  # noqa: BLE001 - a span natasha cannot normalise keeps its surface form
                name = span.text
            name = name.strip(" «»\"")
            actor = self.gazetteer.by_name(name) or self.gazetteer.by_name(span.text)
            place = self.place_of(name) or self.place_of(span.text)
            if span.type == "PER" and not (place and " " not in name):  # "для Сюйдапу" is a place, not a person
                kind = "PERSON"
            elif re.search(r"(?<![\w])(?:АЭС|ГЭС|ТЭС|ТЭЦ)(?![\w])", name):
                kind = "FAC"
            elif place or name.lower() in self.country_names:
                kind = "GPE"  # "Сюйдапу" read as an organisation
            elif span.type == "ORG":
                kind = "ORG"
            else:
                kind = "LOC"
            if actor:
                kind = actor.type
            m = Mention(span.start, span.stop, kind, name, actor, actor.country if actor else None)
            if not actor:
                m.country, m.place_kind = self.country_of(kind, name)
                if m.country is None and kind in ("ORG", "FAC"):  # "китайская компания X", "российского холдинга X"
                    words = re.findall(r"[\w-]+", text[max(0, span.start - 40):span.start])[-3:]
                    m.country = next((self.adjectives[w.lower()] for w in reversed(words) if w.lower() in self.adjectives), None)
                if kind == "FAC" and m.country is None and place:
                    m.country = place
            found.append(m)
        found.sort(key=lambda m: m.start)
        for m in found:
            if m.type == "PERSON":
                self.person(text, m, found)
        return found

    def country_of(self, kind: str, name: str) -> tuple[str | None, str | None]:
        lower = name.lower()
        if kind in ("GPE", "LOC"):
            if lower in self.country_names:
                return self.country_names[lower], "country"
            place = self.place_of(name)
            if place:
                return place, "city"
            if self.region_rx.search(name):  # "Тульская область", "Приморский край": Russian regions
                return "RU", "region"
            return None, None
        if kind in ("ORG", "FAC"):
            sides = self.side_words(name, 0, len(name))
            if sides:
                return sides[0][1], None
            place = self.place_rx.search(name)
            return (self.place_of(place.group()) if place else None), None
        return None, None

    def place_of(self, word: str) -> str | None:
        for pattern, code in self.place_patterns:
            if pattern.fullmatch(word):
                return code
        return None

    def person(self, text: str, m: Mention, found: list[Mention]) -> None:
        """Role (the words before or after the name that say what the person is), organisation and side."""
        before_start = max(text.rfind(c, 0, m.start) for c in ".!?\n,;:(—") + 1
        before = text[before_start:m.start]
        people_before = [p.end - before_start for p in found if p.type == "PERSON" and before_start <= p.end <= m.start
                         and p is not m]
        floor = max(people_before, default=0)  # "президент России Путин и председатель КНР Си Цзиньпин"
        role_hit = next((h for h in self.role_rx.finditer(before) if h.start() >= floor), None)
        if role_hit and not m.role:
            phrase = before[role_hit.start():].rstrip()
            if phrase.count("«") > phrase.count("»"):
                phrase += "»"
            phrase = re.sub(r"\s+", " ", phrase)
            if 0 < len(phrase.split()) <= 10:
                m.role = phrase
                org = next((o for o in found if o.type == "ORG" and before_start + role_hit.start() <= o.start < m.start), None)
                if org is not None:
                    m.organization = org.name
                    m.org_mention = org
                    m.country = m.country or org.country
                elif not m.country:
                    sides = self.side_words(phrase, 0, len(phrase))
                    m.country = sides[0][1] if sides else None
        after = text[m.end:m.end + 160]
        if not m.role and re.match(r"\s*,\s*", after):
            phrase = re.split(r"[,;.(]|\s[—–]\s", after.lstrip(" ,"), maxsplit=1)[0].strip()
            if phrase and self.role_rx.match(phrase) and len(phrase.split()) <= 10:
                m.role = phrase
                start = m.end + after.index(phrase)
                org = next((o for o in found if o.type == "ORG" and start <= o.start < start + len(phrase)), None)
                if org is not None:
                    m.organization = org.name
                    m.org_mention = org
                    m.country = m.country or org.country
        if not m.country:
            m.country = self.name_origin(m.name)

    def name_origin(self, name: str) -> str | None:
        words = name.split()
        if not words:
            return None
        if words[0] in self.chinese_surnames and len(words) <= 3:
            return "CN"
        last = words[-1].lower()
        if len(last) > 4 and any(last.endswith(e) for e in self.endings):
            return "RU"
        return None

    # -- dates ----------------------------------------------------------------------------------
    def dates(self, text: str, published: date | None) -> list[Found]:
        out: list[Found] = []
        for kind, pattern in DATE_PATTERNS:
            for m in pattern.finditer(text):
                if any(f.start < m.end() and m.start() < f.end for f in out):
                    continue
                if DATELINE.search(text[max(0, m.start() - 45):m.start()]):
                    continue  # "МОСКВА, 5 февраля. /ТАСС/": when the report was filed, not when anything happened
                english = self.english(kind, m)
                value = resolve(english, published) if english else None
                if value is not None:
                    value = DateValue(value.value, value.precision, m.group())
                    out.append(Found(m.start(), m.end(), value))
        return sorted(out, key=lambda f: f.start)

    @staticmethod
    def english(kind: str, m: re.Match) -> str | None:
        """The Russian date expression in the English form `dates.resolve` reads."""
        g = m.groups()
        if kind == "day_range":
            return f"{g[0]}-{g[1]} {MONTH_OF[g[2].lower()]}" + (f" {g[3]}" if g[3] else "")
        if kind == "dmy":
            return f"{g[2]}-{int(g[1]):02d}-{int(g[0]):02d}"
        if kind == "day_month_year":
            return f"{g[0]} {MONTH_OF[g[1].lower()]} {g[2]}"
        if kind == "range":
            return f"{g[0]}-{g[1]}"
        if kind == "part_year":
            return f"{PARTS[g[0].lower()]} {g[1]}"
        if kind == "month_year":
            return f"{MONTH_OF[g[0].lower()]} {g[1]}"
        if kind == "day_month":
            return f"{g[0]} {MONTH_OF[g[1].lower()]}"
        if kind == "year":
            return g[0]
        if kind == "weekday":
            rel = (g[0] or "").lower()
            prefix = "last " if rel.startswith("прошл") else "next " if rel.startswith("следующ") else ""
            return prefix + WEEKDAYS[g[1].lower()]
        if kind == "relative":
            rel = RELATIVE.get(g[0].lower())
            return f"{rel} {'year' if g[1].lower().startswith('год') else 'month'}" if rel else None
        if kind == "relative_day":
            return {"вчера": "yesterday", "сегодня": "today", "завтра": "tomorrow"}[g[0].lower()]
        if kind == "month":
            return MONTH_OF[g[0].lower()]
        return None


class FigureReader:
    """Russian figures: "более 290 проектов", "38 млрд кубометров газа", "1,2 тыс. МВт", "на 15%"."""

    NUMBER = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"

    def __init__(self, conf: dict):
        def alternation(words):
            parts = [re.escape(w[:-1]) + r"[а-яё]*" if w.endswith("*") else re.escape(w) for w in words]
            return "|".join(sorted(parts, key=len, reverse=True))

        self.scales = conf["scales"]
        self.qualifiers = {q: kind for kind, words in conf["qualifiers"].items() for q in words}
        self.units = conf["units"]
        self.symbols = conf.get("currency_symbols", {})
        qualifier = alternation(self.qualifiers)
        scale = alternation(self.scales)
        unit = alternation([s for spellings in self.units.values() for s in spellings])
        symbol = "|".join(map(re.escape, self.symbols))
        self.rx = re.compile(
            r"(?:(?P<qual>" + qualifier + r")\s+(?:чем\s+|на\s+|в\s+)?)?(?P<sym>" + symbol + r")?(?<![\w.,\-])(?P<num>" + self.NUMBER + r")"
            r"(?:\s*[-–—]\s*(?P<num2>" + self.NUMBER + r"))?"
            r"(?:\s*(?P<scale>" + scale + r")(?:\.|(?![\w])))?"
            r"(?:\s+(?P<adj>(?:[а-яё-]+(?:ых|их|ой|ей|ого|его|ые|ие|ым|им)\s+){1,2}(?=(?:" + unit + r")(?![\w]))))?"
            r"(?:\s*(?P<unit>" + unit + r")(?![\w]))?"
            r"(?:(?<=\d)\s+(?P<noun>[а-яё]{3,})(?![\w]))?", re.IGNORECASE)
        self.unit_rx = [(name, re.compile(r"^(?:" + alternation(spellings) + r")$", re.IGNORECASE))
                        for name, spellings in self.units.items()]
        self.scale_rx = [(value, re.compile(r"^(?:" + alternation([w]) + r")$", re.IGNORECASE))
                         for w, value in self.scales.items()]

    def find(self, text: str, blocked: list[tuple[int, int]]) -> list[Quantity]:
        out = []
        for m in self.rx.finditer(text):
            num_start = m.start("num")
            if any(a <= num_start < b for a, b in blocked):
                continue  # a date or a name ("Арктик СПГ 2")
            if re.match(r"[-–]?(?:й|я|е|го|м|х|ой)\b", text[m.end("num"):m.end("num") + 4]) and not m.group("scale"):
                continue  # "18-й", ordinals
            value = number(m.group("num"))
            scale, unit = m.group("scale"), m.group("unit")
            if value is None:
                continue
            if not scale and not unit and not m.group("sym"):
                if not (m.group("qual") and m.group("noun") and m.group("noun").lower() not in STOP_WORDS
                        and not re.fullmatch(r"(?:19|20)\d\d", m.group("num"))):
                    continue  # a bare number: a year, an ordinal, or a count that says too little
                unit = m.group("noun")  # "более 290 проектов" with a unit the data files do not know
            if unit and unit.lower() in ("год", "года", "лет") and not scale:
                if not m.group("qual"):
                    continue  # "20 лет" as a duration is kept only with a qualifier
            factor = next((v for v, rx in self.scale_rx if scale and rx.match(scale.rstrip("."))), 1.0)
            unit_name = next((n for n, rx in self.unit_rx if unit and rx.match(unit)), unit)
            if unit_name is None and m.group("sym"):
                unit_name = self.symbols[m.group("sym")]
            qualifier = self.qualifiers.get((m.group("qual") or "").lower(), "exact")
            if qualifier == "up_to" and CHANGE_TO.search(text[max(0, m.start() - 60):m.start()]):
                qualifier = "exact"  # "вырос на 26%, до $240 млрд": the figure it reached, not a ceiling
            start = m.start("qual") if m.group("qual") else (m.start("sym") if m.group("sym") else num_start)
            end = m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            q = Quantity(value=value * factor, unit=unit_name, measure=self.measure(text, end), qualifier=qualifier,
                         text=text[start:end], span=(start, end))
            if m.group("num2"):
                upper = number(m.group("num2"))
                if upper is not None and upper > value:
                    q.value_max = upper * factor
            out.append(q)
        return out

    @staticmethod
    def measure(text: str, end: int) -> str | None:
        """The words after the figure that say what it counts ("газа", "природного газа")."""
        words = []
        for word in re.findall(r"[^\s,.;:!?()«»\"]+|[,.;:!?()«»\"]", text[end:end + 80])[:4]:
            if not re.match(r"^[а-яёa-z-]+$", word, re.IGNORECASE) or word.lower() in STOP_WORDS:
                break
            words.append(word)
        return " ".join(words) or None


# a change and then "до": the figure after it is what was reached ("увеличили товарооборот на 26%, до ...")
CHANGE_TO = re.compile(r"(?i)(?:,\s*|(?:увелич|вырос|выраст|возрос|сократ|сниз|снизил|упал|довед|довест)[а-яё]*"
                       r"(?:\s+[а-яё\d,%.$]+){0,4}\s+)$")


STOP_WORDS = {"в", "во", "на", "с", "со", "по", "и", "за", "к", "от", "до", "из", "что", "который", "которые", "а",
              "но", "же", "бы", "для", "при", "об", "о", "у", "будет", "было", "были", "был", "была", "это", "как",
              "году", "года", "или", "ежегодно", "год"}


def number(text: str) -> float | None:
    cleaned = re.sub(r"[\u00a0\u202f ]", "", text).replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


@Language.factory("coop_russian")
def make_russian(nlp: Language, name: str) -> Native:
    return Native(RussianReader(), "ru", chinese=False)


@lru_cache(maxsize=1)
def russian() -> Language:
    """spaCy's blank Russian tokenizer, and one component that reads the text with natasha and the data files."""
    nlp = spacy.blank("ru")
    nlp.add_pipe("coop_russian")
    return nlp
