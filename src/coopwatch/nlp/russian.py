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
from ..dates import resolve
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
    # "в январе-июле", "за январь—сентябрь (2024 года)": those months
    ("month_span", re.compile(r"(?i:(?:в|за)\s+)?(" + MONTH_ALT + r")\s*[-–—]\s*(" + MONTH_ALT + r")(?:\s+((?:19|20)\d\d)"
                              + YEAR_WORD + r"?)?(?![\w])")),
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


SEASONS = {"весной": (3, 5), "летом": (6, 8), "осенью": (9, 11)}
SEASON = re.compile(r"(?i)(?<![\w])(?:(этой|этим|прошлой|прошлым|следующей|следующим|будущей|будущим)\s+)?"
                    r"(весной|летом|осенью)(?:\s+((?:19|20)\d\d)\s*(?:года|г\.))?(?![\w])")
MONTHS_GEN_ALT = "|".join(MONTHS_GEN)
GLUED_DATELINE = re.compile(r"(?<![А-ЯЁ])[А-ЯЁ]{3,}(?:[ -][А-ЯЁ]{2,})*,\s*\d{1,2}\s+(?:" + MONTHS_GEN_ALT +
                            r")\.(?:\s*/[^/\n]{2,30}/\.?)?\s*")
DATELINE = re.compile(r"(?:^|\n)[А-ЯЁ][А-ЯЁ .\-]{2,40},\s*$")
LEAD_DATELINE = re.compile(r"\s*[А-ЯЁ][А-ЯЁа-яё .\-]{2,40}[,.]\s*\d{1,2}\s+[а-яё]{3,8}\.?")


@lru_cache(maxsize=1)
def morph_analyzer():
    """pymorphy2's own analyser (natasha's `MorphVocab` answers in UD tags and cannot inflect)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import natasha  # noqa: F401 - natasha patches what pymorphy2 needs on Python 3.11
        import pymorphy2

        return pymorphy2.MorphAnalyzer()


def inflections(vocab, phrase: str) -> set[str]:
    """A name or an adjective in each case (and, for an adjective, each gender and number), by pymorphy2's
    dictionary, written with the capitals of `phrase`: "Саудовская Аравия" -> "Саудовской Аравии", ...;
    an abbreviation or a word the dictionary does not know stays as written."""
    words = phrase.split()
    parses = []
    for word in words:
        options = vocab.parse(word) if not word.isupper() else []
        parse = next((o for o in options if "Geox" in o.tag or o.tag.POS == "ADJF"), options[0] if options else None)
        parses.append(parse)

    def cased(form: str, like: str) -> str:
        return form.upper() if like.isupper() else form[0].upper() + form[1:] if like[0].isupper() else form

    out = {phrase}
    if len(words) == 1 and parses[0] is not None and parses[0].tag.POS == "ADJF":
        out |= {cased(f.word, phrase) for f in parses[0].lexeme if f.tag.POS == "ADJF"}
    else:
        for case in ("nomn", "gent", "datv", "accs", "ablt", "loct"):
            forms = []
            for word, parse in zip(words, parses):
                inflected = parse.inflect({case}) if parse is not None and "Fixd" not in parse.tag else None
                forms.append(cased(inflected.word, word) if inflected else word)
            out.add(" ".join(forms))
    return out | {f.replace("ё", "е").replace("Ё", "Е") for f in out}  # news mostly writes "е" for "ё"


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
            from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

        self.segmenter = Segmenter()
        embedding = NewsEmbedding()
        self.morph = NewsMorphTagger(embedding)
        self.ner = NewsNERTagger(embedding)
        self.syntax = NewsSyntaxParser(embedding)  # slovnet's dependency parser, its model inside the natasha package
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.vocab = MorphVocab()
        self.gazetteer = Gazetteer()
        w = load_toml("ru/words.toml")
        # every case of every country name and every form of its adjective, by pymorphy2's dictionary
        # ("Турция" -> "Турции", "Турцией"; "турецкий" -> "турецкой", "турецкими")
        self.country_names, names = {}, []
        for code, spellings in w["countries"].items():
            for name in spellings:
                for form in inflections(morph_analyzer(), name):
                    self.country_names.setdefault(form.lower(), code)
                    names.append(form)
        self.adjectives = {form.lower(): code for code, words in w["adjectives"].items() for a in words
                           for form in inflections(morph_analyzer(), a)}
        self.places = {name.lower(): code for code, names in w["places"].items() for name in names}
        self.role_rx = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(map(re.escape, w["role_words"])) + r")[\w-]*")
        self.chinese_surnames = set(w["chinese_surnames"])
        self.endings = sorted(w["russian_surname_endings"], key=len, reverse=True)
        self.place_patterns = [(re.compile(stem_pattern(name), re.IGNORECASE), code)
                               for code, names in w["places"].items() for name in names]
        self.place_rx = re.compile(r"(?i)(?<![\w])(?:" + "|".join(
            sorted((stem_pattern(n) for names in w["places"].values() for n in names), key=len, reverse=True)) + r")(?![\w])")
        # names as written (case matters: "Мали" the country, not a verb form), looked up word by word (a regex of
        # thousands of forms is slow); adjectives in any case
        self.name_forms = {tuple(form.split()): self.country_names[form.lower()] for form in names}
        self.name_length = max(len(k) for k in self.name_forms)
        self.inside_rx = re.compile("|".join(sorted((re.escape(n) for n in self.country_names
                                                     if len(n) >= 6 and " " not in n), key=len, reverse=True)))
        self.region_rx = words_pattern(w["region_words"], chinese=False)
        self._lemmas: dict[tuple, str] = {}
        self.refusals = frozenset(w["refusals"])
        self.not_names = frozenset(w.get("not_names", []))
        self.international = frozenset(w.get("international", []))
        from pathlib import Path

        import natasha  # natasha's own list of Russian first names: "директор Узатома Азим ...": Азим starts the name

        self.first_names = frozenset((Path(natasha.__file__).parent / "data" / "dict" / "first.txt").read_text().split())
        self.not_negations = words_pattern(w.get("not_negations", []), chinese=False)
        f = load_toml("ru/quantities.toml")
        self.quantities = QuantityReader(f)

    # -- the reader interface ------------------------------------------------------------------
    def read(self, text: str, published: date | None) -> Reading:
        from natasha import Doc as NDoc

        ndoc = NDoc(text)
        ndoc.segment(self.segmenter)
        ndoc.tag_morph(self.morph)  # the names' dictionary forms need it
        ndoc.tag_ner(self.ner)
        ndoc.parse_syntax(self.syntax)
        sentences = []
        for s in ndoc.sents:
            start = s.start
            # "Заголовок статьиКАИР, 19 мая. /ТАСС/. Текст": a heading glued to the dateline repeats what the report
            # says; the heading and the dateline are no sentence of the report
            glued = GLUED_DATELINE.search(text, s.start, s.stop)
            if glued:
                start = glued.end()
            stripped = text[start:s.stop].rstrip()
            if stripped.strip():
                sentences.append((start, start + len(stripped)))
        mentions = self.mentions(text, ndoc)
        dates = self.dates(text, published)
        dateline = LEAD_DATELINE.match(text)  # "ДЖАКАРТА, 3 мар — РИА Новости.": where and when it was filed
        blocked = ([(dateline.start(), dateline.end())] if dateline else []) + [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in mentions
                                                       if m.type in ("ORG", "PRODUCT", "EVENT", "FAC")]
        verbs, denied = self.clauses(text, ndoc)
        figures = self.quantities.find(text, blocked)
        figures += self.quantities.counts(text, ndoc, blocked + [q.span for q in figures])
        figures.sort(key=lambda q: q.span[0])
        self.measures(ndoc, figures)
        return Reading(sentences, mentions, figures, dates, verbs=verbs, denied=denied)

    def measures(self, ndoc, figures: list[Quantity]) -> None:
        """What a figure with no words of its own after it measures, from the parse: the subject of the verb it
        completes ("Инвестиции в проект составили 32 млрд рублей": "Инвестиции в проект")."""
        tokens = {t.id: t for t in ndoc.tokens}
        by_start = {t.start: t for t in ndoc.tokens}
        children: dict[str, list] = {}
        for t in ndoc.tokens:
            children.setdefault(t.head_id, []).append(t)
        for q in figures:
            if q.measure is not None:
                # the words after the figure measure it only when the parse hangs them on it ("38 млрд кубометров
                # газа"), not when they start the rest of the sentence ("162 км станет частью коридора")
                after = next((x for x in ndoc.tokens if x.start >= q.span[1]), None)
                if after is not None and ndoc.text[after.start:].startswith(q.measure.split()[0]) \
                        and not (q.span[0] <= getattr(tokens.get(after.head_id), "start", -1) < q.span[1]) \
                        and after.pos in ("VERB", "AUX"):
                    q.measure = None
            if q.measure is not None or q.unit in (None, "times", "percent"):
                continue
            t = by_start.get(q.span[0]) or next((x for x in ndoc.tokens if x.start <= q.span[0] < x.stop), None)
            for _ in range(4):
                if t is None or t.pos == "VERB":
                    break
                t = tokens.get(t.head_id)
            if t is None or t.pos != "VERB" or (t.lemma or "").lower() not in self.quantities.measure_verbs:
                continue  # "Стоимость составила X": the subject is measured; "Компания вложит X": it is the payer
            subject = None
            for verb in (t, tokens.get(t.head_id) if t.rel == "conj" else None):  # "вырос на 30% и достиг ..."
                subject = subject or next((c for c in children.get(verb.id, []) if c.rel in ("nsubj", "nsubj:pass")
                                           and c.pos == "NOUN"), None) if verb is not None else subject
            if subject is None:
                continue
            words = [subject] + [c for c in children.get(subject.id, []) if c.rel in ("nmod", "amod")]
            for c in list(words[1:]):
                words += [g for g in children.get(c.id, []) if g.rel in ("case", "amod")]
            words.sort(key=lambda x: x.start)
            q.measure = " ".join(x.text for x in words[:5])

    def lemma(self, word: str, pos: str, feats: tuple) -> str:
        key = (word, pos, feats)
        found = self._lemmas.get(key)
        if found is None:
            found = self._lemmas[key] = self.vocab.lemmatize(word, pos, dict(feats))
            if len(self._lemmas) > 200_000:
                self._lemmas.clear()
        return found

    # who did what to whom: slovnet's dependency parse
    ARGUMENTS = ("obj", "iobj", "nsubj", "nsubj:pass", "obl", "xcomp", "ccomp")
    NOT_DENIED = ("ccomp", "advcl", "parataxis", "conj", "acl:relcl", "punct", "cc")

    def clauses(self, text: str, ndoc) -> tuple[list[Word], list[tuple[int, int]]]:
        """Each verb (participles too) with its lemma, tense and arguments, for triggers in any form, "verb + object"
        read from the parse ("Россия и Турция подписали дорожную карту": карта is what was signed), and status
        ("подпишут": planned); and the ranges a negation or a refusal governs: the negated or refusing verb and
        its arguments ("так и не подписали соглашение", "отказались от строительства", "приостановили поставки")."""
        words: list[Word] = []
        denied: list[tuple[int, int]] = []
        for sent in ndoc.sents:
            tokens = sent.tokens
            by_id = {t.id: t for t in tokens}
            children: dict[str, list] = {}
            for t in tokens:
                children.setdefault(t.head_id, []).append(t)
            for t in tokens:  # the dictionary forms the rules read (verbs, their nouns, numerals), each word once
                if t.pos in ("VERB", "NOUN", "NUM", "AUX"):
                    t.lemma = self.lemma(t.text, t.pos, tuple(sorted(t.feats.items())))

            def subtree(t, skip=()):
                out, seen, stack = [], set(), [t]
                while stack:
                    x = stack.pop()
                    if x.id in seen:  # a parse is not always a tree
                        continue
                    seen.add(x.id)
                    out.append(x)
                    stack += [c for c in children.get(x.id, []) if c.rel not in skip]
                return out

            def phrase(t) -> str:  # the argument's words, up to four, in text order: "дорожную карту"
                near = sorted((x for x in subtree(t, self.NOT_DENIED) if abs(int(x.id.split("_")[1]) -
                                                                             int(t.id.split("_")[1])) <= 3),
                              key=lambda x: x.start)
                return " ".join(x.text for x in near)

            def arguments(t) -> tuple[str, ...]:
                args = []
                for c in children.get(t.id, []):
                    if c.rel in self.ARGUMENTS:
                        args += [(c.lemma or c.text).lower(), phrase(c)]
                        if c.rel == "xcomp":  # "начали сооружать блок": the complement's own object too
                            args += [(g.lemma or g.text).lower() for g in children.get(c.id, [])
                                     if g.rel in ("obj", "nsubj:pass", "obl")]
                head = by_id.get(t.head_id)
                if head is not None and t.rel in ("acl", "amod"):  # "по контракту, подписанному в мае"
                    args += [(head.lemma or head.text).lower(), phrase(head)]
                if head is not None and t.rel == "conj" and not args:  # "подписали и ратифицировали договор"
                    args += [(c.lemma or c.text).lower() for c in children.get(head.id, []) if c.rel in ("obj", "nsubj:pass")]
                return tuple(args)

            for t in tokens:
                if t.pos == "VERB":
                    objects = [x for c in children.get(t.id, []) if c.rel == "obj" for x in subtree(c, self.NOT_DENIED)]
                    content = (min(x.start for x in objects), max(x.stop for x in objects)) if objects else None
                    objected = any(c.rel in ("obj", "nsubj:pass", "xcomp") for c in children.get(t.id, [])) or t.rel in ("acl", "amod", "conj")
                    words.append(Word(t.start, t.stop, (t.lemma or t.text).lower(), t.feats.get("Tense"), arguments(t),
                                      content=content, objected=objected))
                refusing = (t.lemma or "").lower() in self.refusals
                negation = any(c.rel == "advmod" and c.text.lower() in ("не", "ни") and not self.not_negations.match(
                    text, c.start) for c in children.get(t.id, []))
                if (negation and t.pos in ("VERB", "AUX", "ADJ")) or refusing:
                    for x in subtree(t, self.NOT_DENIED):
                        denied.append((x.start, x.stop))
                if t.pos == "NOUN" and self.role_rx.fullmatch(t.text):  # "руководитель экспедиции": a person's post
                    for c in children.get(t.id, []):
                        if c.rel == "nmod":
                            denied += [(x.start, x.stop) for x in subtree(c, self.NOT_DENIED)]
        return words, denied

    def side_words(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        out = []
        words = [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)*", text[start:end])]
        i = 0
        while i < len(words):
            at, word = start + words[i][0], words[i][1]
            for n in range(min(self.name_length, len(words) - i) if word[:1].isupper() else 0, 0, -1):
                code = self.name_forms.get(tuple(w for _, w in words[i:i + n]))
                if code:
                    out.append((at, code))
                    i += n
                    break
            else:
                lower = word.lower()
                if re.fullmatch(r"[а-яё]+о-[а-яё]+", lower):  # "российско-вьетнамский": both sides, in their order
                    first, second = lower.split("-", 1)
                    codes = [self.adjectives.get(first[:-1] + "ий"), self.adjectives.get(second)]
                    out += [(at + k, c) for k, c in enumerate(codes) if c]
                elif lower in self.adjectives:
                    out.append((at, self.adjectives[lower]))
                i += 1
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
            # "Минэнерго Казахстана": a foreign country right after a ministry's name makes it that country's, not
            # the gazetteer's Russian one
            named = re.match(r"\s+([А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?)", text[end:end + 30])
            after = self.side_words(named.group(1), 0, len(named.group(1))) if named else []
            if after and actor.country and after[0][1] != actor.country and actor.type == "ORG":
                found.append(Mention(start, end, "ORG", surface, None, after[0][1]))
                continue
            found.append(Mention(start, end, actor.type, surface, actor, actor.country))
        taken = [(m.start, m.end) for m in found]
        spans, abbreviations = self.mend_spans(text, ndoc)
        for start, end in abbreviations:  # "«Трансмашхолдинг» (ТМХ)": the short name in brackets, a mention of its own
            if not any(a < end and start < b for a, b in taken):
                found.append(Mention(start, end, "ORG", text[start:end], None, None))
        found += self.latin_names(text, taken + [(m.start, m.end) for m in found] + [(x.start, x.stop) for x in spans])
        for span in spans:  # "комитет Министерства ... Казахстана": the ministry inside is part of the committee's name
            if getattr(span, "parts", None):
                found = [m for m in found if not (span.parts[0][1] <= m.start and m.end <= span.stop)]
        taken = [(m.start, m.end) for m in found]
        for span in spans:
            if any(a < span.stop and span.start < b for a, b in taken):
                continue
            if span.type == "ORG" and span.text.strip("«»\" ") in self.not_names:
                continue  # "СП", "Генконсульство": a kind of organisation, no name
            if span.type == "ORG" and any(rx.match(span.text) for _, rx in self.quantities.unit_rx):
                continue  # "15,3 млрд кВт·ч": a unit, not an organisation
            if span.type == "PER" and re.search(r"\d", span.text):
                continue  # "Су-35": a model, not a person
            if span.type == "PER" and len(span.tokens) > 1 and self.role_before(text, span.start) \
                    and span.tokens[1].text.lower() in self.first_names and span.tokens[0].text.lower() not in self.first_names:
                # "директор Узатома Азим Ахмедхаджаев": the organisation the role names, then the person
                head = span.tokens[0]
                found.append(Mention(head.start, head.stop, "ORG", head.text, None, None))
                span = _Span(span.tokens[1].start, span.stop, "PER", span.tokens[1:], text)
            elif span.type == "PER" and len(span.tokens) == 1 and re.search(r"[ая]$", span.text) \
                    and span.text.lower() not in self.first_names and self.role_before(text, span.start, heads=True):
                span = _Span(span.start, span.stop, "ORG", span.tokens, text)  # "глава Узатома": whose head
            if span.text.isupper() and re.match(r"\s*,\s*\d{1,2}\s+[а-яё]+", text[span.stop:span.stop + 20]):
                continue  # "ТАШКЕНТ, 25 сентября.": the dateline, where the report was filed
            whole = span
            if getattr(span, "parts", None):  # a mended name: its first part in the nominative, the rest as written
                span = _Span(span.start, span.parts[0][1], "ORG", [t for t in span.tokens if t.stop <= span.parts[0][1]], text)
            try:
                name = self.org_normal(text, span.tokens) if span.type == "ORG" else None
                if name is None:
                    span.normalize(self.vocab)
                    name = span.normal or span.text
            except Exception:  # noqa: BLE001 - a span natasha cannot normalise keeps its surface form
                name = span.text
            if whole is not span:
                name, span = name + text[span.stop:whole.stop], whole
            if span.type == "PER" and len(span.tokens) >= 2 and name.split():
                # "Карлоса Фавару": a surname ending in a vowel after a first name in another case than the dative
                # does not decline ("Фавару", not "Фавар")
                last, first = span.tokens[-1], span.tokens[0]
                normal = name.split()[-1]
                if len(last.text) > len(normal) and last.text.lower().startswith(normal.lower()) \
                        and last.text[-1].lower() in "уюоиеэ" and first.feats.get("Case") not in (None, "Dat", "Loc"):
                    name = name[:len(name) - len(normal)] + last.text
            name = re.sub(r"^(?:ИА|ИАА|РИА|МИА)\s+(?=«)", "", name.strip()).strip(" \"")  # "ИА «Х»": the agency is Х
            if name.count("«") > name.count("»") and text[span.stop - 1:span.stop] == "»":
                name += "»"  # the closing quote the normal form left out
            if name.startswith("«") and name.endswith("»") or "«" not in name:
                name = name.strip("«»")  # "«Росатом»" -> "Росатом"; "АЭС «Аккую»" keeps its quotes
            if span.type == "ORG" and name in self.not_names:
                continue  # "СП", "Генконсульство": a kind of organisation, no name
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
                    window = re.split(r"[.!?;\n]", text[max(0, span.start - 40):span.start])[-1]  # its own sentence
                    words = re.findall(r"[\w-]+", window)[-3:]
                    m.country = next((self.adjectives[w.lower()] for w in reversed(words) if w.lower() in self.adjectives), None)
                    if m.country is None and words and words[-1][:1].isupper() and re.search(r"[A-Za-z]", name) \
                            and re.match(r"\s+$", text[span.start - 1:span.start]):
                        # "суверенный фонд ОАЭ Mubadala": a Latin name right after a country's name in the genitive
                        m.country = next((c for _, c in self.side_words(words[-1], 0, len(words[-1]))), None)
                if kind == "FAC" and m.country is None and place:
                    m.country = place
            found.append(m)
        found.sort(key=lambda m: m.start)
        # "Резервный банк Индии": a country right after an organisation's name is its country
        for m in found:
            if m.type == "ORG" and m.country is None:
                named = re.match(r"\s+([А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?)", text[m.end:m.end + 30])
                after = self.side_words(named.group(1), 0, len(named.group(1))) if named else []
                m.country = after[0][1] if after else None
        # an organisation placed once is placed everywhere ("казахстанская компания «КазМунайГаз»" ... "«КазМунайГаза»")
        for m in found:
            if m.type == "ORG" and m.country is None:
                m.country = next((o.country for o in found if o.type == "ORG" and o.country
                                  and o.name.lower()[:6] == m.name.lower()[:6]), None)
        # "Атырауская область" in a story of Kazakhstan and China: a region is Russian only in a story about Russia
        counts: dict[str, int] = {}
        for _, code in self.side_words(text, 0, len(text)):
            counts[code] = counts.get(code, 0) + 1
        if "RU" not in sorted(counts, key=counts.get, reverse=True)[:2]:
            for m in found:
                if m.place_kind == "region" and m.country == "RU" and not self.place_of(m.name):
                    m.country = None
        people = [m for m in found if m.type == "PERSON"]
        for m in people:
            self.person(text, m, found)
        # the side a role gives one mention ("директор агентства Узбекистана X") is the person's everywhere; the
        # guess from how the name ends comes last ("-ев" is not only Russian)
        for m in people:
            if not m.country:
                last = m.name.split()[-1] if m.name.split() else ""
                m.country = next((o.country for o in people if o.country and o.name.split()
                                  and o.name.split()[-1][:5] == last[:5]), None) or self.name_origin(m.name)
        for m in found:  # organisations nothing placed: by their name, after the people have taken their sides
            if m.type == "ORG" and m.actor is None and m.country is None:
                m.country = self.org_side(m.name)
                m.guessed = m.country is not None and not self.country_in(m.name)
        return found

    def mend_spans(self, text: str, ndoc) -> tuple[list, list[tuple[int, int]]]:
        """natasha's names made whole: an organisation and the organisation or country after it in the genitive are
        one name ("ЦК" "Коммунистической партии" "Вьетнама", "Аэрокосмического комитета" "Министерства цифрового
        развития" "Казахстана"); a short name in brackets after a name is cut off as its own mention
        ("Трансмашхолдинг» (ТМХ)")."""
        spans: list = []
        abbreviations: list[tuple[int, int]] = []
        for span in ndoc.spans:
            tokens = list(span.tokens)
            bracket = next((i for i, t in enumerate(tokens) if t.text == "(" and i > 0), None)
            if span.type == "ORG" and bracket is not None:
                inner = [t for t in tokens[bracket + 1:] if t.text != ")"]
                if inner and len(inner) == 1 and re.fullmatch(r"[A-ZА-ЯЁ][A-ZА-ЯЁa-z0-9&-]{1,9}", inner[0].text):
                    abbreviations.append((inner[0].start, inner[0].stop))
                head = tokens[:bracket]
                while head and head[-1].text in ("»", "«", "\"", ","):
                    head = head[:-1]
                stop = head[-1].stop if head else span.stop
                if text[stop:stop + 1] == "»" and "«" in text[max(0, span.start - 1):stop]:
                    stop += 1
                span = _Span(span.start, stop, "ORG", head, text)
            tokens = list(span.tokens)
            if span.type == "ORG" and len(tokens) > 2 and tokens[0].text.lower() in self.adjectives and tokens[1].text == "«":
                # "Российский «Трансмашхолдинг»": the country's adjective says whose, the name is in the quotes
                span = _Span(tokens[1].start, span.stop, "ORG", tokens[1:], text)
            previous = spans[-1] if spans else None
            first = next((t for t in span.tokens if t.pos in ("NOUN", "PROPN")), None)
            if previous is not None and previous.type == "ORG" and span.type in ("ORG", "LOC") \
                    and not text[previous.stop:span.start].strip() and first is not None \
                    and first.feats.get("Case") == "Gen" and previous.text.strip("«»\" ") not in self.not_names \
                    and (span.type == "ORG" or span.text.lower() in self.country_names or self.side_words(span.text, 0, len(span.text))):
                merged = _Span(previous.start, span.stop, "ORG", list(previous.tokens) + list(span.tokens), text)
                merged.parts = (getattr(previous, "parts", None) or [(previous.start, previous.stop)]) + [(span.start, span.stop)]
                spans[-1] = merged
                continue
            spans.append(span)
        return spans, abbreviations

    LATIN_NAME = re.compile(r"(?<![\w.])[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|&|of|and|de))*")

    def latin_names(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """A company written in Latin letters that nothing else found, after a country's adjective or name ("с индийской
        Dr. Reddy's Laboratories", "фонд ОАЭ Mubadala"): an organisation of that country."""
        out = []
        for m in re.finditer(r"(?i)(?<![\w-])([а-яё]+)\s+(?=[A-Z])", text):
            code = self.adjectives.get(m.group(1).lower())
            if code is None and m.group(1)[:1].isupper():  # "фонд ОАЭ Mubadala": the country named before it
                code = next((c for _, c in self.side_words(m.group(1), 0, len(m.group(1)))), None)
            name = self.LATIN_NAME.match(text, m.end())
            if code is None or name is None or len(name.group()) < 3:
                continue
            start, end = name.start(), name.end()
            while end > start and text[end - 1] in ".,'’":
                end -= 1
            if not any(a < end and start < b for a, b in taken):
                out.append(Mention(start, end, "ORG", text[start:end], None, code))
        return out

    def country_in(self, name: str) -> str | None:
        """A country named inside a name: "Петровьетнам", "Россия-24"."""
        m = self.inside_rx.search(name.lower())
        return self.country_names[m.group()] if m else None

    CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}

    def org_normal(self, text: str, tokens) -> str | None:
        """An organisation's name in the nominative: its head noun and the adjectives before it, the rest as written
        ("Высшего госсовета Союзного государства" -> "Высший госсовет Союзного государства"; natasha's own
        normalisation inflects every word)."""
        head = next((i for i, t in enumerate(tokens) if t.pos in ("NOUN", "PROPN")), None)
        if head is None or tokens[head].feats.get("Case") in (None, "Nom"):
            return text[tokens[0].start:tokens[-1].stop] if head is not None else None
        if any(not re.fullmatch(r"[А-Яа-яЁё-]+", t.text) or t.text.isupper() for t in tokens[:head + 1]):
            return None  # "SDN-листе", "АЭС": natasha's own normalisation
        case = self.CASES.get(tokens[head].feats.get("Case"))
        noun = next((p for p in morph_analyzer().parse(tokens[head].text) if p.tag.case == case and p.tag.POS == "NOUN"),
                    None)
        if noun is None:
            return None
        gender = noun.tag.gender if noun.tag.number == "sing" else None
        words = []
        for t in tokens[:head + 1]:
            if t.pos not in ("ADJ", "NOUN", "PROPN"):
                words.append(t.text)
                continue
            options = [p for p in morph_analyzer().parse(t.text) if p.tag.case == case
                       and (p.tag.POS in ("ADJF", "PRTF") if t.pos == "ADJ" else p.tag.POS == "NOUN")]
            wanted = {"nomn"} | ({gender} if gender and t.pos == "ADJ" else set()) | \
                ({"plur"} if t.pos == "ADJ" and noun.tag.number == "plur" else set())
            # the form of the word itself, not of its lexeme's other stem ("высшего" -> "высший", not "высочайший")
            stem = t.text.lower()[:max(3, len(t.text) - 2)]
            form = next((f for f in (o.inflect(wanted) for o in options) if f and f.word.startswith(stem)), None)
            word = form.word if form else (adjective_nominative(t.text, gender) if t.pos == "ADJ" else t.text)
            if "-" in t.text and "-" not in word:
                word = t.text
            words.append(word[0].upper() + word[1:] if t.text[0].isupper() else word)
        rest = text[tokens[head].stop:tokens[-1].stop]
        out = ""
        for t, w in zip(tokens[:head + 1], words):
            out += (" " if out and text[t.start - 1:t.start].isspace() else "") + w
        return out + rest

    def org_side(self, name: str) -> str | None:
        """The side of an organisation nothing else places: a country inside its name ("Петровьетнам",
        "Россия-24"), else, for a name in Cyrillic, Russia: an organisation Russian news names in Russian letters and
        without a foreign attribute is most often Russian ("Зарубежнефть", "НКЦ")."""
        if name in self.international:
            return None  # "ЕАЭС", "ШОС": no one country's
        inside = self.country_in(name)
        if inside:
            return inside
        if CYRILLIC.search(name) and not re.search(r"[A-Za-z]", name):
            return "RU"
        return None

    def role_before(self, text: str, at: int, heads: bool = False) -> bool:
        """Whether a role word stands right before `at` ("директор Узатома"); with `heads`, a word for the head of
        an organisation, which the organisation follows in the genitive ("главу Узатома", "директора Росатома")."""
        words = re.findall(r"[\w-]+", text[max(0, at - 30):at])
        if not words:
            return False
        if heads:
            return bool(re.fullmatch(r"(?i)(?:глав|директор|гендиректор|руководител|председател|президент)[а-я]*", words[-1]))
        return bool(self.role_rx.fullmatch(words[-1]))

    def country_of(self, kind: str, name: str) -> tuple[str | None, str | None]:
        lower = name.lower()
        if kind in ("GPE", "LOC"):
            if lower in self.country_names:
                return self.country_names[lower], "country"
            place = self.place_of(name)
            if place:
                return place, "city"
            if self.region_rx.search(name):  # "Тульская область", "Приморский край": in Russian news, Russian regions
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
        before_start = max(text.rfind(c, 0, m.start) for c in ".!?\n,;:—")
        paren = text.rfind("(", 0, m.start)
        if paren > before_start and ")" not in text[paren:m.start]:  # "(директор X Y)"; not "агентства (X) Y"
            before_start = paren
        before_start += 1
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
                    # "глава Минэнерго Казахстана": the country after the organisation's name is its country
                    named = re.match(r"\s*([А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?)", text[org.end:org.end + 30])
                    country = self.side_words(named.group(1), 0, len(named.group(1))) if named else []
                    m.country = m.country or (country[0][1] if country else org.country)
                if not m.country:
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
        out: list[Found] = self.seasons(text, published)
        for kind, pattern in DATE_PATTERNS:
            for m in pattern.finditer(text):
                if any(f.start < m.end() and m.start() < f.end for f in out):
                    continue
                if DATELINE.search(text[max(0, m.start() - 45):m.start()]):
                    continue  # "МОСКВА, 5 февраля. /ТАСС/": when the report was filed, not when anything happened
                if kind == "month_span":
                    value = self.month_span(m, published)
                    if value is not None:
                        out.append(Found(m.start(), m.end(), value))
                    continue
                english = self.english(kind, m)
                value = resolve(english, published) if english else None
                if value is not None:
                    value = DateValue(value.value, value.precision, m.group())
                    out.append(Found(m.start(), m.end(), value))
        return sorted(out, key=lambda f: f.start)

    @staticmethod
    def month_span(m: re.Match, published: date | None) -> DateValue | None:
        """"в январе-июле": the months of the year named, else of the publication year (the year before when the
        last month is still to come)."""
        first = EN_MONTHS.index(MONTH_OF[m.group(1).lower()]) + 1
        last = EN_MONTHS.index(MONTH_OF[m.group(2).lower()]) + 1
        if first >= last or (m.group(3) is None and published is None):
            return None
        year = int(m.group(3)) if m.group(3) else published.year - (1 if last > published.month else 0)
        return DateValue(f"{year}-{first:02d}/{year}-{last:02d}", "month", m.group())

    @staticmethod
    def seasons(text: str, published: date | None) -> list[Found]:
        """"этой осенью", "весной 2025 года", "прошлым летом": the season's months (winter, across two years, is
        left out)."""
        out = []
        for m in SEASON.finditer(text):
            relative, season, year = m.group(1), m.group(2).lower(), m.group(3)
            if year:
                y = int(year)
            elif published is None:
                continue
            else:
                shift = -1 if (relative or "").lower().startswith("прошл") else \
                    1 if (relative or "").lower().startswith(("следующ", "будущ")) else 0
                y = published.year + shift
            first, last = SEASONS[season]
            out.append(Found(m.start(), m.end(), DateValue(f"{y}-{first:02d}/{y}-{last:02d}", "month", m.group())))
        return out

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


ADJECTIVE_ENDINGS = {  # an adjective's case ending -> its nominative, by gender, where the dictionary mixes lexemes
    None: [("ого", "ый"), ("его", "ий"), ("ому", "ый"), ("ему", "ий"), ("ым", "ый"), ("им", "ий"), ("ом", "ый"),
           ("ем", "ий")],
    "femn": [("ой", "ая"), ("ей", "яя"), ("ую", "ая"), ("юю", "яя")],
    "neut": [("ого", "ое"), ("его", "ее"), ("ому", "ое"), ("ему", "ее"), ("ым", "ое"), ("им", "ее"), ("ом", "ое")],
}


def adjective_nominative(word: str, gender: str | None) -> str:
    """ "Высшего" -> "Высший": an adjective put in the nominative by its ending."""
    for ending, nominative in ADJECTIVE_ENDINGS.get(gender, ADJECTIVE_ENDINGS[None]):
        if word.lower().endswith(ending):
            stem = word[:-len(ending)]
            if nominative == "ый" and stem[-1:].lower() in "шжчщкгх":
                nominative = "ий"
            return stem + nominative
    return word


class _Span:
    """A part of a natasha span (its tokens from the second on), normalised like one."""

    def __init__(self, start, stop, type_, tokens, text):
        self.start, self.stop, self.type, self.tokens = start, stop, type_, list(tokens)
        self.text = text[start:stop]
        self.normal = None

    def normalize(self, vocab):
        from natasha.norm import normalize

        self.normal = normalize(vocab, self.tokens)


class QuantityReader:
    """Russian figures: "более 290 проектов", "38 млрд кубометров газа", "1,2 тыс. МВт", "на 15%"."""

    NUMBER = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"

    def __init__(self, conf: dict):
        def alternation(words):
            parts = [re.escape(w[:-1]) + r"[а-яё]*" if w.endswith("*") else re.escape(w) for w in words]
            return "|".join(sorted(parts, key=len, reverse=True))

        self.scales = conf["scales"]
        self.number_words = conf.get("number_words", {})
        self.multiplier_words = conf.get("multiplier_words", {})
        self.not_counted = frozenset(conf.get("counts", {}).get("not_counted", []))
        self.times_nouns = frozenset(conf.get("counts", {}).get("times", []))
        self.measure_verbs = frozenset(conf.get("counts", {}).get("measure_verbs", []))
        self.qualifiers = {q: kind for kind, words in conf["qualifiers"].items() for q in words}
        self.units = conf["units"]
        self.symbols = conf.get("currency_symbols", {})
        qualifier = alternation(self.qualifiers)
        scale = alternation(self.scales)
        unit = alternation([s for spellings in self.units.values() for s in spellings])
        symbol = "|".join(map(re.escape, self.symbols))
        self.rx = re.compile(
            r"(?:(?P<qual>" + qualifier + r")\s+(?:чем\s+|на\s+|в\s+)?)?(?P<sym>" + symbol + r")?(?<![\w.,\-])(?P<num>" + self.NUMBER + r")"
            r"(?:(?:\s*[-–—]\s*|(?<=\d)\s+до\s+)(?P<num2>" + self.NUMBER + r"))?"
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
            if unit_name == "times" and not re.search(r"(?i)(?:^|\s)в\s+$", text[max(0, num_start - 3):num_start]):
                continue  # "в 2,5 раза" is a multiplier; "2 раза в год" a frequency
            start = m.start("qual") if m.group("qual") else (m.start("sym") if m.group("sym") else num_start)
            if m.group("num2") and re.search(r"(?i)(?:^|\s)от\s+$", text[max(0, start - 4):start]):
                start -= len(re.search(r"(?i)от\s+$", text[max(0, start - 4):start]).group())  # "от 5 до 7 млрд"
            end = m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            measure = self.measure(text, end)
            if measure is None and unit and unit_name in ("people", "vehicles", "companies", "projects", "units"):
                measure = unit  # "1,5 тыс. студентов": the counted noun is what the figure measures
            q = Quantity(value=value * factor, unit=unit_name, measure=measure, qualifier=qualifier,
                         text=text[start:end], span=(start, end))
            if m.group("num2"):
                upper = number(m.group("num2"))
                if upper is not None and upper > value:
                    q.value_max = upper * factor
            out.append(q)
        return out

    def counts(self, text: str, ndoc, blocked: list[tuple[int, int]]) -> list[Quantity]:
        """Counts the pattern above leaves: a number in digits or in words before the noun it counts, adjectives
        between ("24 многофункциональных истребителя", "три энергоблока", "двух заводов"), and multipliers in
        words ("в пять раз", "вдвое"). The noun is natasha's: a noun in the case a count takes."""
        out = []
        for m in re.finditer(r"(?i)(?<![\w])(" + "|".join(self.multiplier_words) + r")(?![\w])", text):
            if not any(a <= m.start() < b for a, b in blocked):
                out.append(Quantity(value=float(self.multiplier_words[m.group(1).lower()]), unit="times", measure=None,
                                    qualifier="exact", text=m.group(), span=(m.start(), m.end())))
        for sent in ndoc.sents:
            tokens = sent.tokens
            for i, t in enumerate(tokens):
                if any(a <= t.start < b for a, b in blocked):
                    continue
                if re.fullmatch(r"\d+", t.text):
                    if re.fullmatch(r"(?:19|20)\d\d", t.text) or re.match(r"[-–.,:/]\d", text[t.stop:t.stop + 2]) \
                            or re.search(r"(?i)(?:№|\bблок[а-я]*|\bномер[а-я]*)\s*$", text[max(0, t.start - 12):t.start]):
                        continue  # a year, a part of a longer number or a date, an identifier ("энергоблок №3")
                    value = float(t.text)
                else:
                    lemma = (t.lemma or t.text).lower()
                    if t.pos != "NUM" or lemma not in self.number_words:
                        continue
                    value = float(self.number_words[lemma])
                j = i + 1
                while j < len(tokens) and tokens[j].pos == "ADJ" and j - i <= 2 and not re.fullmatch(r"\d+", tokens[j].text):
                    j += 1
                if j >= len(tokens) or tokens[j].pos != "NOUN" or tokens[j].feats.get("Case") not in ("Gen", "Nom", "Acc"):
                    continue
                noun = tokens[j]
                lemma = (noun.lemma or noun.text).lower()
                before = text[max(0, t.start - 3):t.start]
                if lemma in self.times_nouns:
                    if not re.search(r"(?i)(?:^|\s)в\s+$", before):
                        continue  # "два раза в год": a frequency
                    unit, measure = "times", None
                else:
                    if lemma in self.not_counted or value < 2 or (noun.feats.get("Case") == "Nom" and value >= 5):
                        continue  # time, the sides; "one"; a noun the number does not count
                    unit = next((n for n, rx in self.unit_rx if rx.match(noun.text)), noun.text)
                    measure = " ".join(x.text for x in tokens[i + 1:j + 1])
                qualifier = "exact"
                for q, kind in self.qualifiers.items():
                    if re.search(r"(?i)(?<![\w])" + re.escape(q) + r"\s+(?:чем\s+|на\s+|в\s+)?$", text[max(0, t.start - 20):t.start]):
                        qualifier = kind
                        break
                end = noun.stop
                out.append(Quantity(value=value, unit=unit, measure=measure, qualifier=qualifier,
                                    text=text[t.start:end], span=(t.start, end)))
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
