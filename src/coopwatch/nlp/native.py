"""What the Russian and Chinese pipelines share: one spaCy component per language that reads the text with that
language's tools and leaves the same Doc extensions as the English components (`doc._.entities`, `entity_at`,
`quantities`, `quotes`, `events`, `dates`), so `pipeline._fill` works unchanged.

Everything here works on character offsets into `doc.text`, so every span points into the original-language text.
A language supplies (see `Language` below): sentences, entity mentions, figures and dates; quotes, entity grouping,
events (types, sides, status, sectors) are done here from its data files (`data/ru/`, `data/zh/`) with the English
event-type and sector vocabulary.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc

from ..data import event_roles, event_type_priority, load_toml
from ..document import DateValue, Entity, Event, Quantity, Quote
# Importing the English components registers the Doc extensions the pipelines share.
from ..extract import dates as _dates, entities as _entities, events as _events, quantities as _quantities  # noqa: F401
from ..extract import quotes as _quotes  # noqa: F401
from ..extract.cooperation import Aspect, Sides, cooperation_event, focal_pair, parties
from ..extract.dates import published_date
from ..extract.knowledge import Actor, knowledge
from ..extract.quotes import quotation_spans

PLACE_KINDS = ("city", "region")
QUOTE_MARKS = re.compile(r"[«»“”„\"「」『』]")
MONEY = {"USD", "CNY", "RUB", "EUR"}


@dataclass
class Mention:
    """One mention of an entity in the text, before mentions are grouped."""

    start: int
    end: int
    type: str  # PERSON ORG GPE LOC FAC PRODUCT EVENT
    name: str  # the name in its dictionary form (nominative, as the gazetteer writes it)
    actor: Actor | None = None
    country: str | None = None
    role: str | None = None
    organization: str | None = None  # for people: the organisation their role names (its name)
    place_kind: str | None = None
    org_mention: "Mention | None" = None  # for people: the mention of that organisation
    guessed: bool = False  # the country is a default, not read from the text: it names no side of an event


@dataclass
class Found:
    """A date expression found in the text, resolved."""

    start: int
    end: int
    value: DateValue


@dataclass
class Word:
    """A verb as the language's morphology reads it (Russian: natasha's lemma and tense)."""

    start: int
    end: int
    lemma: str
    tense: str | None  # Past, Pres, Fut
    # from a dependency parse, when the language has one (None: no parse): the verb's subject, objects and
    # complements ("подписали дорожную карту": "дорожную карту", "карта"), what the object words must be among
    args: tuple[str, ...] | None = None
    # whether the parse gives the verb an object or a passive subject at all (False: the parse lost it, "бетон ...
    # залили" read as another verb's subject, and the verb's clause says what it took)
    objected: bool = True
    # where the verb's object runs ("утвердили план действий ... до 2026 года"): a date inside it is the content's
    content: tuple[int, int] | None = None


@dataclass
class Reading:
    """What a language's reader found in one text."""

    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[Found] = field(default_factory=list)
    published: date | None = None
    verbs: list[Word] = field(default_factory=list)
    # from a dependency parse: the character ranges a negation or a refusal governs ("не подписали соглашение",
    # "отказались от поставок", "приостановили строительство"); None when the language has no parse
    denied: list[tuple[int, int]] | None = None


def words_pattern(words: list[str], chinese: bool, compounds: bool = False) -> re.Pattern | None:
    """One regex for a word list: substrings for Chinese; for Russian the English convention
    (`word*` takes any ending, other words match whole), case-insensitive unless the word has capitals."""
    words = [w for w in words if w]
    if not words:
        return None
    if chinese:
        return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    lower = [w for w in words if w == w.lower()]
    cased = [w for w in words if w != w.lower()]
    parts = []
    if lower:
        parts.append("(?i:" + stem_words_pattern(lower, compounds) + ")")
    if cased:
        parts.append(stem_words_pattern(cased, compounds))
    return re.compile("|".join(parts))


def stem_words_pattern(words: list[str], compounds: bool = False) -> str:
    """Like `sectors.keyword_pattern`, with "*" allowed on every word of a phrase ("ввод* в эксплуатацию");
    with `compounds`, also as the head of a hyphenated compound ("онлайн-заседание", "видео-встреча")."""
    phrases = []
    for phrase in sorted(words, key=len, reverse=True):
        parts = [re.escape(w[:-1]) + r"[\w\-]*" if w.endswith("*") else re.escape(w) for w in phrase.split()]
        phrases.append(r"\s+".join(parts))
    prefix = r"(?:[^\W\d_]{3,}-)?" if compounds else ""
    return r"(?<![\w\-])" + prefix + "(?:" + "|".join(phrases) + r")(?![\w])"


class Sectors:
    """The contract's sectors from a language's keyword file (the English `sectors.toml` keys)."""

    def __init__(self, name: str, chinese: bool):
        conf = load_toml(name)
        self.patterns = [(sector, words_pattern(words, chinese)) for sector, words in conf["sectors"].items()]
        self.from_names = frozenset(conf.get("from_names", []))
        # the sector of trade, money and finance: a flow naming no other, or money words alone
        self.trade = load_toml("sectors.toml").get("trade_default")

    def of_text(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[str]:
        hits = [(sector, m.start(), m.end()) for sector, pattern in self.patterns if pattern is not None
                for m in pattern.finditer(text)]
        found = []
        for sector, start, end in hits:
            if sector in found or any(a <= start < b for a, b in blocked) and sector not in self.from_names:
                continue
            if any(s != sector and a <= start and end <= b and b - a > end - start for s, a, b in hits):
                continue  # "электростанции" inside "атомной электростанции": the longer keyword's sector
            found.append(sector)
        return [s for s, _ in self.patterns if s in found]


@dataclass(frozen=True)
class TypeTriggers:
    name: str
    status: str | None
    triggers: re.Pattern | None
    verbs: re.Pattern | None
    objects: re.Pattern | None
    lemmas: frozenset = frozenset()  # verb lemmas that fire alone, in any form ("подпишут" -> "подписать")
    verb_lemmas: frozenset = frozenset()  # verb lemmas that fire with one of `objects`


class Native:
    """The component shared by the Russian and Chinese pipelines; `reader` is the language's reader."""

    def __init__(self, reader, folder: str, chinese: bool):
        self.reader = reader
        self.chinese = chinese
        self.k = knowledge()
        words = load_toml(f"{folder}/words.toml")
        self.words = words
        self.reporting = words_pattern(words["reporting"], chinese)
        self.both_sides = words_pattern(words["both_sides"], chinese)
        self.planned = words_pattern(words["planned"], chinese)
        self.ongoing = words_pattern(words["ongoing"], chinese)
        self.completed = words_pattern(words.get("completed", []), chinese)
        self.negation = words_pattern(words.get("negations", []), chinese)
        self.negation_scope = words_pattern(words.get("negation_scope", []), chinese)
        self.not_negation = words_pattern(words.get("not_negations", []), chinese)
        self.not_triggers = words_pattern(words.get("not_triggers", []), chinese)
        self.discussion = words_pattern(words.get("discussion", []), chinese)
        # words that name a person by role ("вице-премьер", "глава"), as starts of words
        self.roles = None if chinese or not words.get("role_words") else \
            re.compile(r"(?i)(?<![\w-])(?:" + "|".join(map(re.escape, words["role_words"])) + r")")
        self.ceremonies = words_pattern(words.get("ceremonies", []), chinese)
        self.anonymous = words_pattern(words.get("anonymous_sources", []), chinese)
        nouns = words_pattern(words.get("agreement_nouns", []), chinese)
        prepositions = "|".join(map(re.escape, words.get("content_prepositions", [])))
        self.content_of = re.compile("(?:" + nouns.pattern + r")\s+(?:" + prepositions + r")\s+(?:[\w-]+\s+){0,2}$") \
            if nouns is not None and prepositions and not chinese else None
        # a clause about an anniversary recalls an old event ("исполняется 20 лет со дня подписания договора");
        # a change in one country's own figures is its statistics, not trade with a partner ("экспорт хлопка вырос")
        self.anniversary = words_pattern(words.get("anniversaries", []), chinese)
        self.statistics = words_pattern(words.get("statistics", []), chinese)
        # event types whose one named side in a two-country article has the other as its partner (a plant built,
        # a contract signed: "первый бетон залили в марте" in a Russian–Uzbek story); none unless the language says
        self.focal_partner_types = frozenset(words.get("focal_partner_types", []))
        # event types of which each clause may hold one more ("签署了声明，见证签署文件"); sectors then come from the
        # trigger's clause first
        self.per_clause = set(words.get("events_per_clause", []))
        # and types of which a clause holds one more when its word differs ("出口增长，进口创新高": two flows)
        self.per_clause_new_word = set(words.get("events_per_clause_new_word", []))
        self.same_flow = set(words.get("same_flow", []))
        self.restating = words_pattern(words.get("restating", []), chinese)
        self.re_mentions = tuple(words.get("re_mentions", []))  # "此次考察": an event named again
        self.abstract_objects = words_pattern(words.get("abstract_objects", []), chinese)
        self.topic_markers = words_pattern(words.get("topic_markers", []), chinese)
        self.elaborations = tuple(words.get("elaborations", []))  # "其中，...": parts of the sentence before
        self.settings = tuple(words.get("settings", []))  # "在开工仪式上": where, not what
        self.settings_before = words_pattern(words.get("settings_before", []), chinese)
        self.time_after = tuple(words.get("time_after", []))  # "会见后": after the event, a time
        self.time_after_not = tuple(words.get("time_after_not", [])) or ("\x00",)
        self.since = re.compile(words["since"]) if words.get("since") else None  # "开工两年多来"
        self.suspended = words_pattern(words.get("suspended", []), chinese)
        self.wishes = words_pattern(words.get("wishes", []), chinese)
        # a refusal before a trigger in its clause governs it ("巴方拒绝了美方提出的联合研制...的建议")
        self.refusal_scope = words_pattern(words.get("refusal_scope", []), chinese)
        # a later clause denying what the sentence reported ("有报道称双方将签署合同，但白方否认了这一消息")
        self.denial = re.compile(words["denial"]) if words.get("denial") else None
        # an agreement cited as the ground of what follows ("根据双方签署的议定书，中方将进口...") has no content there
        self.according_to = tuple(words.get("according_to", []))
        # the words that put a country as a partner before it ("对俄出口", "自俄罗斯进口"): a trade word with one country
        # named and never so is that country's own figure ("埃及去年药品出口额增长21%")
        self.partner_markers = tuple(words.get("partner_markers", []))
        # what someone says in a quotation is their words, the report's events are told outside it («Такие учения
        # укрепляют доверие», — заявил адмирал)
        self.speech_not_events = bool(words.get("speech_not_events"))
        # a figure set against the year before, in a sentence naming one country, is that country's own record
        self.comparisons = words_pattern(words.get("comparisons", []), chinese)
        self.sectors = Sectors(f"{folder}/sectors.toml", chinese)
        # the types each rule singles out (`[roles]` in event_types.toml): no type's name is written in the rules
        self.type_roles = defaultdict(tuple, event_roles())
        # the types and their priority from the one vocabulary; the language's file gives its words
        vocabulary = load_toml("event_types.toml")["types"]
        conf = load_toml(f"{folder}/event_types.toml")["types"]
        self.types = [TypeTriggers(n, conf[n].get("status", vocabulary[n].get("status")),
                                   words_pattern(conf[n].get("triggers", []), chinese, compounds=True),
                                   words_pattern(conf[n].get("verbs", []), chinese),
                                   words_pattern(conf[n].get("objects", []), chinese),
                                   frozenset(conf[n].get("lemmas", [])), frozenset(conf[n].get("verb_lemmas", [])))
                      for n in event_type_priority() if n in conf]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        published = published_date(doc)
        reading: Reading = self.reader.read(text, published)
        reading.published = published
        entities, owner = group_mentions(reading.mentions)
        entity_at: dict[int, int] = {}
        for mention, index in owner:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    entity_at.setdefault(i, index)
        doc._.entities = entities
        doc._.entity_at = entity_at
        doc._.quantities = reading.quantities
        doc._.quotes = self.quotes(text, reading, entities, owner)
        spans = []
        for found in reading.dates:
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is not None:
                span._.date = found.value
                spans.append(span)
        doc._.dates = spans
        doc._.events = self.events(doc, text, reading, entities, owner)
        return doc

    # -- quotes ------------------------------------------------------------------------------
    def quotes(self, text: str, reading: Reading, entities: list[Entity], owner) -> list[Quote]:
        people = sorted(((m, entities[i]) for m, i in owner if m.type == "PERSON"), key=lambda p: p[0].start)
        spans = quotation_spans(text)
        if self.chinese:
            spans += [(m.start(1), m.end(1)) for m in re.finditer(r"「([^「」]{1,3000}?)」", text)]
        out, previous = [], None
        parts = []
        for start, end in sorted(spans):
            parts += self.split_by_attribution(text, start, end, people)
        for start, end, said_by in parts:
            inner = text[start:end]
            trimmed = inner.rstrip(" ,，")
            lead = len(inner) - len(inner.lstrip())
            said = self.chinese and (re.search(r"[。！？!?…]$", trimmed) or re.search(r"[:：]\s*$", text[max(0, start - 3):start - 1]))
            if not said and said_by is None and (
                    (len(re.sub(r"\W", "", trimmed)) < 8) if self.chinese else (len(trimmed.split()) < 4)):
                continue  # a name or a scare quote, not speech; “动工！” and «Мы ценим, — сказал он, — ...» are speech
            if self.chinese and not said and not re.search(r"[，。！？；,!?]", trimmed) and len(trimmed) < 15:
                continue  # “西伯利亚力量2号”: a short name in quotes, not a sentence anyone said
            speaker = said_by or self.speaker(text, start - 1, end + 1, people)
            if speaker is None and previous is not None and start - previous[1] < 80 \
                    and not re.search(r"[«“„「]", text[previous[1]:start - 1]) and "\n\n" not in text[previous[1]:start]:
                speaker = previous[0]  # the same speaker's speech, continued
            if speaker is None and hasattr(self.reader, "speaker"):  # the language's own attributions
                speaker = self.reader.speaker(text, start, end, people)
            if speaker is None:
                continue
            previous = (speaker, end + 1)
            out.append(Quote(speaker=speaker.name, role=speaker.role, organization=speaker.organization, direct=True,
                             text=trimmed[lead:], span=(start + lead, start + len(trimmed))))
        return out

    def split_by_attribution(self, text: str, start: int, end: int, people) -> list[tuple[int, int, Entity | None]]:
        """A quotation with its attribution inside («Первая часть, — отметил он, — вторая часть»): the two parts,
        said by the person the attribution names (or the one named before, for "он"/"она" and a bare role)."""
        if self.chinese or self.reporting is None:
            return [(start, end, None)]
        inner = text[start:end]
        for dash in re.finditer(r"[,.!?…]?\s*(?:[—–]|(?<=\s)-)\s+", inner):  # "—", "–", or " - " as news types it
            cue = self.reporting.match(inner, dash.end())
            if not cue:
                continue
            close = re.search(r"[,.]?\s+(?:[—–]|-)\s+", inner[cue.end():cue.end() + 120])
            if not close or re.search(r"[«»]", inner[cue.end():cue.end() + close.start()]):
                continue
            a, b = start + dash.start(), start + cue.end() + close.end()
            who = inner[cue.end():cue.end() + close.start()]
            speaker = next((ent for mention, ent in people if a <= mention.start < b), None)
            if speaker is None and (re.match(r"\s*(?:он|она)\b", who, re.IGNORECASE)
                                    or (self.roles is not None and self.roles.search(who))):
                speaker = self.last_before(people, start)
            if speaker is None:
                return [(start, end, None)]
            return [(start, a, speaker)] + [(x, y, speaker if z is None else z)
                                                    for x, y, z in self.split_by_attribution(text, b, end, people)]
        return [(start, end, None)]

    def speaker(self, text: str, open_char: int, close_char: int, people) -> Entity | None:
        after = text[close_char:close_char + 160]
        # «...». Об этом заявил X: the wire's attribution in the next sentence
        about = None if self.chinese else re.match(r"\s*\.\s*Об этом\s+", after)
        if about and self.reporting and self.reporting.match(after, about.end()):
            end = re.search(r"[.!?](?:\s|$)|\n", after[about.end():])
            window = (close_char + about.end(), close_char + about.end() + (end.start() if end else len(after)))
            found = next((ent for mention, ent in people if window[0] <= mention.start < window[1]), None)
            if found is not None:
                return found
        # the attribution after a quote ends with its sentence; a speaker in the next one said something else
        lead = re.match(r"[ \u00a0,，:：—–-]*", after).end()
        stop = re.search(r"[.!?](?:\s|$)|[。！？\n]", after[lead:])
        if stop:
            after = after[:lead + stop.start()]
        cue = self.reporting.search(after) if self.reporting else None
        if cue and re.match(r"^[\s,，。.:：—–-]*$", after[:cue.start()].replace("\u00a0", " ")[:12] or " "):
            # "», — сказал Алексей Лихачев." / "”王伟说。"
            for mention, ent in people:
                if close_char + cue.start() - 40 <= mention.start <= close_char + cue.end() + 40:
                    return ent
            if not self.chinese and re.match(r"\s*(?:он|она)\b", after[cue.end():], re.IGNORECASE):
                return self.antecedent(text, people, open_char)
            # "», — заявил генеральный директор компании X Ли Чжэнь.": the first person after the verb, a long
            # role between them
            for mention, ent in people:
                if close_char + cue.end() <= mention.start < close_char + len(after):
                    return ent
            # "», — сказал вице-премьер." / "», — цитирует издание главу агентства": a role without a name is the
            # person named before
            if self.roles is not None and self.roles.search(after[cue.end():]):
                return self.last_before(people, open_char)
        if self.chinese and cue:
            for mention, ent in people:  # "”王伟表示。" with the name before the verb
                if close_char <= mention.start < close_char + cue.start() <= mention.end + 6:
                    return ent
            if re.search(r"(?:他|她)\s*$", after[:cue.start()]):  # "”他说。"
                return self.last_before(people, open_char)
        sentence_start = max(text.rfind(c, 0, open_char) for c in (".", "。", "\n", "!", "?", "！", "？")) + 1
        before = text[sentence_start:open_char]
        cue = None
        if self.reporting:
            cue = next(reversed(list(self.reporting.finditer(before))), None)
        by_words = re.search(r"(?i)по (?:(?:его|ее|её|их)\s+)?словам[\s,]+|по (?:(?:его|ее|её)\s+)?мнению[\s,]+|как (?:сказал|заявил|отметил)[аи]?\s+", before)
        if cue or by_words or re.search(r"[:：]\s*$", before):
            best = None
            for mention, ent in people:
                if sentence_start <= mention.start < open_char:
                    best = ent
            if best is not None:
                return best
            if cue and not self.chinese and (re.search(r"(?i)\b(?:он|она)\s+$", before[:cue.start()]) or (
                    self.roles is not None and re.fullmatch(r"(?i)\s*(?:\w+\s+){0,3}", before[:cue.start()])
                    and self.roles.search(before[:cue.start()]))):  # "Министр заявил: «...»": the minister named before
                return self.last_before(people, open_char)
            if by_words and re.search(r"(?i)по (?:его|ее|её) (?:словам|мнению)", before):  # "По его словам, «...»"
                return self.last_before(people, open_char)
        # a quotation that opens a sentence with no attribution of its own, after a sentence of the same paragraph
        # naming one person: "Глава компании X выступил на форуме. «...»"
        if not self.chinese and not before.strip() and re.search(r"[.!?:]\s*$", text[:open_char]) \
                and not re.search(r"\n\s*$", text[:open_char]):
            previous_start = max(text.rfind(c, 0, sentence_start - 1) for c in ".!?\n") + 1
            named = {ent.name: ent for mention, ent in people if previous_start <= mention.start < sentence_start}
            if len(named) == 1 and not re.search(r"[«»]", text[previous_start:sentence_start]):
                return next(iter(named.values()))
        return None

    def antecedent(self, text: str, people, char: int) -> Entity | None:
        """Who "он"/"она" is: the person named last before, unless the sentence before the quotation speaks of an
        unnamed source ("Один из собеседников издания назвал ...": an anonymous speaker, not the one named earlier)."""
        start = max(text.rfind(c, 0, max(0, char - 2)) for c in ".!?\n") + 1
        previous = text[start:char]
        if self.anonymous is not None and self.anonymous.search(previous) \
                and not any(start <= mention.start < char for mention, _ in people):
            return None
        return self.last_before(people, char)

    @staticmethod
    def last_before(people, char: int) -> Entity | None:
        best = None
        for mention, ent in people:
            if mention.start < char:
                best = ent
        return best

    # -- events ------------------------------------------------------------------------------
    def events(self, doc: Doc, text: str, reading: Reading, entities: list[Entity], owner) -> list[Event]:
        mentions = sorted(((m, entities[i]) for m, i in owner), key=lambda p: p[0].start)
        names = [(m.start, m.end) for m, _ in mentions if m.type in ("ORG", "FAC", "EVENT", "PRODUCT")]
        title = doc.user_data.get("title") or ""
        focal = self.focal(text, mentions, title)
        sents = reading.sentences
        sides_of = [self.sides(text, s, mentions) for s in sents]
        sectors_of = [self.sectors.of_text(text[s:e], [(a - s, b - s) for a, b in names if s <= a < e]) for s, e in sents]
        article_sectors = [s for s, _ in Counter(x for v in sectors_of for x in v).most_common()]
        # the sides a paragraph names anywhere, for a sentence that names one side or none
        paragraph_of, paragraph = [], 0
        last_end = 0
        for start, end in sents:
            if "\n\n" in text[last_end:start] or "\n" in text[last_end:start] and self.chinese:
                paragraph += 1
            paragraph_of.append(paragraph)
            last_end = end
        sides_in: dict[int, list[str]] = {}
        for p, sides in zip(paragraph_of, sides_of):
            sides_in.setdefault(p, []).extend(c for c in sides if c not in sides_in[p])
        lead = sides_in.get(0, [])  # what an article about both sides speaks of when a sentence names none
        events: list[Event] = []
        speech = [(a, b) for a, b in quotation_spans(text) if len(text[a:b].split()) >= 4] if self.speech_not_events else []
        if speech:  # a date inside someone's words dates what they said, not the report's events («... уже этим летом»)
            reading = replace(reading, dates=[d for d in reading.dates if not any(a <= d.start < b for a, b in speech)])
        previous_sectors: list[str] = []
        last_paragraph = -1
        parts_of: set[str] = set()  # the event types of a sentence whose parts are being told
        previous_span = (-1, -1)
        for (start, end), sides, sectors, p in zip(sents, sides_of, sectors_of, paragraph_of):
            if title and re.sub(r"\W+", " ", text[start:end]).strip().lower() == re.sub(r"\W+", " ", title).strip().lower():
                continue  # the headline repeated as the first paragraph: what the report says, not one more event
            paragraph_sides = sides_in[p]
            if self.per_clause and p != last_paragraph:  # a new paragraph: no sector carried over from the last one
                previous_sectors = []
            last_paragraph = p
            # money words alone ("инвестиции", "投资") say how, not in what: the sector stays the previous one's
            earlier = previous_sectors  # the sectors told before this sentence
            money_only = bool(sectors) and set(sectors) <= {self.sectors.trade}
            trade_only = money_only  # "Товарооборот ... вырос на 8%": trade in general, whatever came before
            if money_only and previous_sectors:
                sectors = previous_sectors + [s for s in sectors if s not in previous_sectors]
            elif sectors:
                previous_sectors = sectors
            found = self.triggers(text, start, end, names, reading.verbs, reading.denied)
            found = [(n, span) for n, span in found if not any(a <= span[0] < b for a, b in speech)]
            # "其中，出口增长8.2%；进口增长5.3%": the parts of what the sentence before told, no event of their own
            # (and its time: "今年一季度...。其中，中国品牌汽车在俄销量约为17万辆")
            told_before = next((d.value for d in reversed(reading.dates) if previous_span[0] <= d.start < previous_span[1]), None)
            elaborating = bool(self.elaborations and text.startswith(self.elaborations, start))
            if self.elaborations and text.startswith(self.elaborations, start):
                parts_of = {e.type for e in events if e.span == previous_span}
            elif parts_of and not text[previous_span[1] - 1:previous_span[1]] in ("；", ";"):
                parts_of = set()
            found = [(n, span) for n, span in found if n not in parts_of]
            previous_span = (start, end)
            if not found:
                continue
            sentence = text[start:end]
            if self.anniversary is not None:
                found = [(n, span) for n, span in found
                         if not self.anniversary.search(text, *self.clause(text, start, end, *span))]
            # one country's own figures: a change, or a volume with no partner named ("Китай в прошлом году
            # импортировал 76 млн тонн СПГ")
            if self.statistics is not None and len(sides) < 2 and not (self.both_sides and self.both_sides.search(sentence)) \
                    and (self.statistics.search(sentence) or any(start <= q.span[0] < end for q in reading.quantities)):
                found = [(n, span) for n, span in found if n not in self.type_roles["own_figures"]]
            if self.comparisons is not None and len(sides) == 1 and self.comparisons.search(sentence) \
                    and not (self.both_sides and self.both_sides.search(sentence)):
                continue  # "Индия запустила 7 спутников, втрое больше, чем годом ранее": one country's own record
            if self.partner_markers and len(sides) == 1 and not (self.both_sides and self.both_sides.search(sentence)):
                found = [(n, span) for n, span in found if n not in self.type_roles["own_figures"]
                         or not self.own_figure(text, start, end, span, sides[0], mentions)]
            if not found:
                continue
            cross_border = any(n in self.type_roles["flow"] for n, _ in found)
            if self.per_clause and any(n in self.type_roles["money"] for n, _ in found):  # "将投资1亿美元建设生产线": a sum given
                cross_border = cross_border or any(start <= q.span[0] < end and q.unit in MONEY for q in reading.quantities)
            project = any(n in self.focal_partner_types for n, _ in found)
            countries = parties(Sides(
                named=sides, paragraph=paragraph_sides, focal=focal, lead=lead,
                both=bool(self.both_sides and self.both_sides.search(sentence)), cross_border=cross_border,
                project=project, quoted=bool(QUOTE_MARKS.search(sentence)),
                international=any(start <= m.start < end and m.actor is not None and m.actor.category == "international"
                                  and m.actor.country is None for m, _ in mentions)))
            if countries is None:
                continue
            event_sectors = sectors or previous_sectors or article_sectors[:1]
            def clause_sectors(t_start: int, t_end: int) -> list[str]:
                left, right = self.clause(text, start, end, t_start, t_end)
                return self.sectors.of_text(text[left:right], [(a - left, b - left) for a, b in names if left <= a < right])

            for name, (t_start, t_end) in found:
                own = [self.sectors.trade] if name in self.type_roles["trade_sector"] and trade_only else event_sectors
                if self.per_clause:  # the sectors of the trigger's clause first, then the sentence's
                    clause = clause_sectors(t_start, t_end)
                    # the sectors other events' clauses name are theirs ("签署了声明，见证签署能源、航空等领域的文件")
                    theirs = {x for n, (a, b) in found if (a, b) != (t_start, t_end)
                              and self.clause(text, start, end, a, b) != self.clause(text, start, end, t_start, t_end)
                              and len(clause_sectors(a, b)) >= 2 for x in clause_sectors(a, b)}  # a list of fields
                    if clause and (not set(clause) <= {self.sectors.trade} or name in self.type_roles["clause_sector"]):
                        own = clause  # "博览会将在哈尔滨举办": trade's own sector
                    elif theirs and not clause:
                        own = [x for x in event_sectors if x not in theirs] or earlier or \
                            [x for x in article_sectors if x not in theirs][:1] or event_sectors
                    elif not sectors and name in self.type_roles["money_sector"]:
                        own = [self.sectors.trade]  # "中国对俄进出口持续回升": trade is its own sector
                    main = [x for x in article_sectors if x != self.sectors.trade][:1]
                    if name in self.type_roles["main_sector"] and set(own) <= {self.sectors.trade} and main:
                        own = main + own  # "工厂将投资1亿美元建设生产线": money put into the article's sector
                events.append(self.event(text, start, end, name, t_start, t_end, countries, own, sides,
                                         mentions, reading, [s for n, s in found if s != (t_start, t_end)],
                                         told_before if elaborating else None))
        return events

    def triggers(self, text: str, start: int, end: int, names, verbs=(), governed=None) -> list[tuple[str, tuple[int, int]]]:
        sentence = text[start:end]
        verbs = [v for v in verbs if start <= v.start < end]
        verb_at = {v.start: v for v in verbs}

        def has_object(t: TypeTriggers, at: int, scope: str) -> bool:
            """A verb's object: among its own arguments when the parse gives them, else anywhere in its scope (the
            sentence, or the trigger's clause)."""
            if t.objects is None:
                return False
            v = verb_at.get(at)
            if v is not None and v.args is not None:
                if any(t.objects.search(a) for a in v.args):
                    return True
                if v.objected:
                    return False
                left = max(text.rfind(c, start, at) for c in ",:;—") + 1 or start
                return bool(t.objects.search(text, max(left, start), at))  # "бетон в основание блока залили"
            return bool(t.objects.search(scope))

        def negated(at: int) -> bool:
            return self.negated(sentence, at - start) or (governed is not None and any(a <= at < b for a, b in governed))

        chosen: list[tuple[str, tuple[int, int]]] = []
        denied: list[tuple[str, int]] = []  # negated triggers: types and where they stand
        # words that hold a trigger but name a person or a thing ("研究员", "исследователь")
        used: list[tuple[int, int]] = [(start + m.start(), start + m.end())
                                       for m in self.not_triggers.finditer(sentence)] if self.not_triggers else []
        for t in self.types:
            hit = None
            hits: list[tuple[int, int]] = []  # with `events_per_clause`, one per clause ("签署了声明，见证签署文件")
            for pattern, needs_object in ((t.triggers, False), (t.verbs, True)):
                if pattern is None or hits:
                    continue
                for m in pattern.finditer(sentence):
                    a, b = start + m.start(), start + m.end()
                    if any(x <= a < y for x, y in names) or any(x < b and a < y for x, y in used + hits):
                        continue  # "研究所", "институт ядерных исследований": a name, not an action
                    scope = text[slice(*self.clause(text, start, end, a, b))] if self.per_clause else sentence
                    if needs_object and not has_object(t, a, scope):
                        continue
                    if needs_object and self.chinese and text[b:b + 1] == "的":
                        continue  # "中俄合建的大桥": the verb describes the bridge, the event is what follows
                    if negated(a):
                        denied.append((t.name, a))
                        continue  # "尚未签署", "так и не подписали": what did not happen is no event
                    if text[a - 1:a] and text[a - 1:a] in "“「«\"'" and re.match(r"[!！]|[?？。.…]*[”」»\"']", text[b:b + 3]):
                        continue  # “动工！”: a word called out, not an event told
                    if self.settings and text[b:end].startswith(self.settings) and self.settings_before \
                            and self.settings_before.search(text, self.clause(text, start, end, a, b)[0], a):
                        continue  # "在开工仪式上表示": where something was said, the event told before
                    if t.name in self.type_roles["opening"] and self.abstract_objects and self.abstract_objects.search(
                            text, b, self.clause(text, start, end, a, b)[1]):
                        continue  # "建立了良好的伙伴关系": a relation, nothing opened
                    if self.re_mentions and text[start:a].endswith(self.re_mentions):
                        continue  # "此次考察": the event told before, named again
                    if self.suspended and self.suspended.search(text, b, self.clause(text, start, end, a, b)[1]):
                        denied.append((t.name, a))
                        continue  # "联合研发项目因资金问题已被搁置": suspended after it was told
                    if self.time_after and text[b:end].startswith(self.time_after) \
                            and not text[b:end].startswith(self.time_after_not) \
                            or self.since is not None and self.since.match(text, b, end):
                        continue  # "会见后，...": a time, the event told before
                    if self.wishes and self.wishes.search(text, self.clause(text, start, end, a, b)[0], a):
                        continue  # "欢迎更多中国企业来投资", "希望斯方...": what someone wishes, not what happens
                    later = self.anniversary.search(text, b, min(end, b + 12)) if self.anniversary else None
                    if later and not re.search(r"[，,；;。.]", text[b:later.start()]):
                        continue  # "条约签署20周年": an anniversary remembered
                    new_word = t.name in self.per_clause_new_word and text[a:b] not in [text[x:y] for x, y in hits] \
                        and text[a:b] not in self.same_flow
                    if hits and (t.name not in self.per_clause and not new_word or self.clause(text, start, end, a, b)
                                 in [self.clause(text, start, end, *h) for h in hits] or self.restates(text, start, end, a, b)):
                        continue
                    hits.append((a, b))
                    if t.name not in self.per_clause and t.name not in self.per_clause_new_word:
                        break
            hit = hits[0] if hits else None
            if len(hits) > 1:
                chosen += [(t.name, h) for h in hits[1:]]
                used += hits[1:]
            for lemmas, needs_object in ((t.lemmas, False), (t.verb_lemmas, True)):
                if hit or not lemmas:
                    continue
                for v in verbs:  # a verb form the stems miss: "подпишут", "встретился", "договорятся"
                    if v.lemma not in lemmas or any(x < v.end and v.start < y for x, y in used):
                        continue
                    if needs_object and not has_object(t, v.start, sentence):
                        continue
                    if negated(v.start):
                        denied.append((t.name, v.start))
                        continue
                    hit = (v.start, v.end)
                    break
            if hit:
                chosen.append((t.name, hit))
                used.append(hit)
        # nor is the content of an agreement or a pledge that did not happen ("尚未签署新的供气合同")
        for name, at in denied:
            if name in self.type_roles["content"]:
                chosen = [(n, s) for n, s in chosen if s[0] < at]
            if self.per_clause:  # "原计划于去年签署的备忘录推迟签署": the same action, denied in its own clause
                where = self.clause(text, start, end, at, at + 1)
                chosen = [(n, s) for n, s in chosen if n != name or self.clause(text, start, end, *s) != where]
        if self.denial is not None:  # "...将签署合同，但白方否认了这一消息": the report denied
            denial = self.denial.search(sentence)
            if denial:
                chosen = [(n, s) for n, s in chosen if s[0] >= start + denial.start()]
        # what an agreement or a pledge is about is its content, not another event
        # ("подписали контракт на поставку", "договорились расширять совместные исследования")
        agreement = min((span for n, span in chosen if n in self.type_roles["documents"]), default=None)
        for kind in self.type_roles["topic_marked"] if self.topic_markers else ():
            # "就天然气供应价格达成一致", "就建设核电站进行谈判": the topic before the verb
            verb = min((span for n, span in chosen if n == kind), default=None)
            if verb is None:
                continue
            left = self.clause(text, start, end, *verb)[0]
            marker = self.topic_markers.search(text, left, verb[0])
            if marker:
                chosen = [(n, s) for n, s in chosen if n == kind or not marker.end() <= s[0] < verb[0]]
        if self.chinese:  # "研究开行国际列车": what is studied, no event of its own
            for n, (a, b) in list(chosen):
                if n in self.type_roles["studied"]:
                    chosen = [(m, s) for m, s in chosen if not (s[0] == b and m != n)]
        if agreement is not None and not (self.according_to and text.startswith(
                self.according_to, self.clause(text, start, end, *agreement)[0])):
            chosen = [(n, s) for n, s in chosen if n in self.type_roles["beside_content"] or s[0] < agreement[0]
                      or self.done_apart(text, start, end, agreement, s)]
        if agreement is not None and self.content_of is not None:
            chosen = [(n, s) for n, s in chosen if n in self.type_roles["documents"]
                      or not self.content_of.search(text, start, s[0])]
        pledge = min((span for n, span in chosen if n in self.type_roles["intention"]), default=None)
        if pledge is not None:
            chosen = [(n, s) for n, s in chosen if n in self.type_roles["intention"] or s[0] < pledge[0]
                      or self.done_apart(text, start, end, pledge, s)]
        # a ceremony of something is that something, one event ("церемония открытия моста", "церемония по случаю
        # доставки топлива"): the trigger in the words right after the ceremony's goes
        ceremony = next((span for n, span in chosen if n in self.type_roles["topic"] and self.ceremonies
                         and self.ceremonies.fullmatch(text, span[0], span[1])), None)
        if ceremony is not None:
            chosen = [(n, s) for n, s in chosen if not (ceremony[1] < s[0] and s[0] - ceremony[1] < 30
                                                        and re.fullmatch(r"[\w\s]*", text[ceremony[1]:s[0]]))]
        # what talks are about is their topic: "обсудили поставки угля", "讨论扩大贸易"
        talks = next((span for n, span in chosen if n in self.type_roles["topic"] and self.discussion
                      and self.discussion.search(text, span[0], span[1] + 1)), None)
        if talks is not None:
            chosen = [(n, s) for n, s in chosen if n in self.type_roles["beside_topic"] or s[0] < talks[0]]
        return sorted(chosen, key=lambda c: c[1][0])

    def own_figure(self, text: str, start: int, end: int, trigger: tuple[int, int], side: str, mentions) -> bool:
        """Whether the one country a trade sentence names is the owner of the flow, not its partner: every mention
        stands before the trigger and none after a partner's preposition ("埃及去年药品出口额增长21%")."""
        at = [m.start for m, ent in mentions if start <= m.start < end and ent.country == side]
        at += [p for p, c in self.reader.side_words(text, start, end) if c == side]
        return bool(at) and all(p < trigger[0] and not text[max(start, p - 2):p].endswith(self.partner_markers)
                                for p in at)

    def done_apart(self, text: str, start: int, end: int, first: tuple[int, int], then: tuple[int, int]) -> bool:
        """With `events_per_clause`: whether a trigger after an agreement or a pledge stands in a clause of its own that
        says it is done ("计划开展合作，双方已成立联合工作组"), so it is an event, not the content of the other."""
        if not self.per_clause or self.completed is None:
            return False
        left, right = self.clause(text, start, end, *then)
        if left <= first[0] < right:
            return False
        clause = text[left:right]
        return bool(self.completed.search(clause)) and not (self.planned and self.planned.search(clause))

    def restates(self, text: str, start: int, end: int, a: int, b: int) -> bool:
        """Whether the clause of the trigger at a..b only says what the one before means ("标志着...实现全线贯通")."""
        left, _ = self.clause(text, start, end, a, b)
        return bool(self.restating and self.restating.match(text, left))

    def negated(self, sentence: str, at: int) -> bool:
        """Whether a negation stands right before the trigger at `at` (Chinese: within four characters;
        Russian: the word before it, or the one before that: "не будут подписаны")."""
        if self.negation is None:
            return False
        window = sentence[max(0, at - 4):at] if self.chinese else \
            " ".join(re.findall(r"[\w-]+", sentence[max(0, at - 40):at])[-3:]) + " "
        if self.not_negation is not None:
            window = self.not_negation.sub(" ", window)
        if self.chinese:
            if self.negation.search(window):
                return True
            # "双方未就管道项目达成协议": a negation before a prepositional phrase reaches the trigger of its clause
            clause = re.split(r"[，,；;：:。]", sentence[:at])[-1]
            if self.refusal_scope is not None and self.refusal_scope.search(clause):
                return True  # "拒绝了美方提出的联合研制...": what is refused is no event
            if self.not_negation is not None:
                clause = self.not_negation.sub(" ", clause)
            return bool(self.negation_scope and any(self.negation_scope.match(clause, m.end())
                                                    for m in self.negation.finditer(clause)))
        words = window.split()
        return any(self.negation.fullmatch(w) for w in words[-2:])

    def sides(self, text: str, sent: tuple[int, int], mentions) -> list[str]:
        start, end = sent
        found: list[tuple[int, str]] = []
        places: list[tuple[int, str]] = []  # cities and regions: where it happens
        for m, ent in mentions:
            if start <= m.start < end and ent.country and not (m.actor and m.actor.category == "media") \
                    and not m.guessed:
                if m.type in ("GPE", "ORG", "PERSON", "FAC", "LOC"):
                    (places if m.type == "GPE" and m.place_kind in PLACE_KINDS else found).append((m.start, ent.country))
        found += self.reader.side_words(text, start, end)
        # a city's country is a side unless two others already are ("习近平在阿斯塔纳会见普京": China and Russia)
        if self.per_clause and len({c for _, c in found}) >= 2:
            places = [p for p in places if p[1] in {c for _, c in found}]
        out: list[str] = []
        for _, country in sorted(found + places):
            if country not in out:
                out.append(country)
        return out

    def focal(self, text: str, mentions, title: str) -> list[str]:
        named = [ent.country for m, ent in mentions if ent.country and m.type in ("GPE", "ORG")]
        named += [c for _, c in self.reader.side_words(text, 0, len(text)) + self.reader.side_words(title, 0, len(title))]
        return focal_pair(named)

    def event(self, text, start, end, name, t_start, t_end, countries, sectors, sides, mentions, reading,
              others=(), told_before: DateValue | None = None) -> Event:
        t = next(x for x in self.types if x.name == name)
        location = None
        candidates = []
        for m, ent in mentions:
            if not (start <= m.start < end):
                continue
            if m.type in ("ORG", "PERSON") and not (m.actor and m.actor.category == "media") \
                    and not self.attributed(text, start, m.start):
                candidates.append((m, ent))
            if location is None and m.type in ("GPE", "LOC", "FAC") and m.place_kind in PLACE_KINDS:
                location = ent.name
        # the actors of the trigger's clause when it names any ("X подписала контракт, а Y построит завод"),
        # else of the sentence ("双方同意...": the sides named before)
        left, right = self.clause(text, start, end, t_start, t_end)
        in_clause = [(m, ent) for m, ent in candidates if left <= m.start < right]
        actors: list[str] = list(dict.fromkeys(ent.name for _, ent in in_clause or candidates))
        dates = [d for d in reading.dates if start <= d.start < end]
        # the trigger's clause first; with `events_per_clause`, not a date in the clause of another event told after
        # it ("正在就...进行谈判，双方有望于今年上半年达成协议": the half-year is the agreement's), while a time told
        # before holds for the clauses after it ("11日举行会谈，双方签署了备忘录")
        others = [self.clause(text, start, end, *o) for o in others]
        dates = [d for d in dates if left <= d.start < right] or [
            d for d in dates if not (self.per_clause and d.start > t_start and any(a <= d.start < b for a, b in others))]
        if name in self.type_roles["documents"]:  # "утвердили план действий до 2026 года": the plan's horizon, not its day
            content = next((v.content for v in reading.verbs if v.start <= t_start < v.end and v.content), None)
            if content is not None:
                dates = [d for d in dates if not content[0] <= d.start < content[1]]
        date_value = min(dates, key=lambda d: min(abs(d.start - t_start), abs(d.end - t_start))).value if dates else told_before
        quantities = [q for q in reading.quantities if start <= q.span[0] < end]
        sentence = text[start:end]
        tense = next((v.tense for v in reading.verbs if v.start <= t_start < v.end), None)
        if tense is None:  # a noun trigger ("обеспечит поставки"): the tense of the nearest verb of its clause
            near = [v for v in reading.verbs if left <= v.start < right and v.tense]
            # the verb the parse gives the trigger to ("Экспедиция ... проведет замеры": проведет), else the nearest
            stem = text[t_start:t_end].split()[0].lower()[:5] if text[t_start:t_end].split() else ""
            governing = [v for v in near if v.args and stem and any(a.lower().startswith(stem) for a in v.args)]
            tense = min(governing or near, key=lambda v: abs(v.start - t_start)).tense if near else None
        scope = text[left:right]
        if self.per_clause and not any(p and p.search(scope) for p in (self.planned, self.ongoing, self.completed)):
            scope = text[start:right]  # "双方将建设一座工厂，总投资约2亿美元": the clauses before say when
        return cooperation_event(
            name, countries=countries, named_sides=len(sides), sectors=sectors, date=date_value,
            aspect=self.aspect(scope, text[t_start:t_end], tense),
            published=reading.published.isoformat() if reading.published else None, default_status=t.status,
            actors=actors, location=location, quantities=quantities, sentence=sentence, span=(start, end),
            trigger=text[t_start:t_end])

    def attributed(self, text: str, sentence_start: int, at: int) -> bool:
        """Whether the name at `at` is the source of the sentence, not a doer in it: "..., — сказал глава
        компании X", "..., сообщил пресс-секретарь Кремля X", "Как сообщила пресс-служба X, ...", "по словам X"."""
        if self.chinese or self.reporting is None:
            return False
        before = text[sentence_start:at]
        source = re.search(r"(?i)(?:по словам|по данным|со ссылкой на)\s+[^,;]*$", before)
        cue = next(reversed(list(self.reporting.finditer(before))), None)
        if cue is None or re.search(r"[,;]", before[cue.end():]):
            return bool(source)
        return bool(re.search(r"[,»—–]\s*$", before[:cue.start()]) or re.search(r"(?i)(?:^|\s)как\s+$", before[:cue.start()]))

    def clause(self, text: str, start: int, end: int, t_start: int, t_end: int) -> tuple[int, int]:
        """Where the clause of the sentence that holds the trigger starts and ends: what says when it happens is near it
        ("实验室今年正式揭牌，双方将共同开展研究": the opening is done, the research still to come)."""
        separators = r"[，,；;：:]" if self.chinese else \
            r"[;:]|,\s+(?:а|но|однако|тогда как|в то время как|при этом|причем|причём)\s"
        left, right = start, end
        for m in re.finditer(separators, text[start:end]):
            if start + m.end() <= t_start:
                left = start + m.end()
            elif start + m.start() >= t_end:
                right = start + m.start()
                break
        return left, right

    def aspect(self, scope: str, trigger: str, tense: str | None) -> Aspect:
        """What the trigger's clause says of its time: the verb's tense and the language's words for plans, work in
        progress and what is done (`words.toml`)."""
        past = None if tense == "Past" or (self.completed and self.completed.search(scope)) \
            else self.reader.past(scope, trigger)
        return Aspect(planned=tense == "Fut" or bool(self.planned and self.planned.search(scope)),
                      ongoing=bool(self.ongoing and self.ongoing.search(scope)),
                      completed=tense == "Past" or bool(self.completed and self.completed.search(scope)) or bool(past))


def group_mentions(mentions: list[Mention]) -> tuple[list[Entity], list[tuple[Mention, int]]]:
    """Mentions grouped into entities: one per gazetteer actor, otherwise one per type and name."""
    groups: dict[str, list[Mention]] = {}
    order: list[str] = []
    for m in sorted(mentions, key=lambda m: m.start):
        key = "actor:" + m.actor.name if m.actor else f"{m.type}:{m.name.lower()}"
        if m.type == "PERSON" and not m.actor:  # "Лихачев" after "Алексей Лихачев"
            # "Чжан" after "Чжан Вэй": one word alone is the surname, first in Chinese names, last in Russian ones;
            # "米赫耶夫" after "亚历山大·米赫耶夫" too
            last = re.split(r"[ ·•・]", m.name.lower())[-1]
            key = next((k for k in order if k.startswith("PERSON:") and
                        (k[7:].endswith(" " + m.name.lower()) or re.split(r"[ ·•・]", k[7:])[-1] == last
                         or (" " not in m.name and k[7:].startswith(m.name.lower() + " ")))), key)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(m)
    entities, owner = [], []
    for key in order:
        group = groups[key]
        first = group[0]
        name = max((m.name for m in group), key=len)  # as the article names it; `canonical` is the gazetteer's
        ent = Entity(name=name, type=first.type, mentions=[(m.start, m.end) for m in group],
                     canonical=first.actor.name if first.actor else None)
        ent.country = next((m.country for m in group if m.country), None) or (first.actor.country if first.actor else None)
        ent.role = next((m.role for m in group if m.role), None) or (first.actor.role if first.actor else None)
        ent.organization = next((m.organization for m in group if m.organization), None)
        for m in group:
            owner.append((m, len(entities)))
        entities.append(ent)
    index_of = {id(m): i for m, i in owner}
    for m, i in owner:  # the organisation a role names, by its entity's name
        if m.org_mention is not None and id(m.org_mention) in index_of and entities[i].organization in (None, m.organization):
            entities[i].organization = entities[index_of[id(m.org_mention)]].name
    for ent in entities:  # people take their side from the organisation their role names
        if ent.type == "PERSON" and ent.country is None and ent.organization:
            ent.country = next((o.country for o in entities if o.name == ent.organization), None)
    return entities, owner
