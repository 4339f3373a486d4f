"""The Chinese pipeline: jieba segmentation and part-of-speech tags (its dictionary ships in the PyPI package), the
gazetteer's Chinese aliases, organisation-suffix and title patterns, Chinese figures, quotes and dates, and the shared
event logic in `native.py` with the trigger and keyword lists in `data/zh/`."""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from functools import lru_cache

import spacy
from spacy.language import Language

from ..data import load_toml
from ..document import DateValue, Quantity
from ..extract.dates import resolve
from ..extract.knowledge import knowledge
from .native import Found, Mention, Native, Reading

HAN = re.compile(r"[\u4e00-\u9fff]")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# a transliterated foreign name: Han-character parts joined by a middle dot ("阿列克谢·利哈乔夫")
FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8})+")
SENTENCE = re.compile(r"[^。！？!?；\n]*(?:[。！？!?；]+[”」’』]?|$)")
# words ending in an organisation suffix that are no organisations
NOT_ORGS = {"全部", "内部", "外部", "部分", "局部", "东部", "西部", "南部", "北部", "中部", "总部", "干部", "格局", "布局",
            "结局", "当局", "大局", "公司", "集团", "大学", "中心", "银行", "基金", "委员会", "报", "社", "台", "部", "局",
            "署", "该公司", "本公司", "子公司", "分公司", "上述公司", "两家公司", "电台", "平台", "舞台", "后台", "前台",
            "阳台", "出台", "一台", "两台", "社会", "报告", "报道", "日报", "汇报", "情报", "预报", "中央"}
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
               "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")


class ChineseReader:
    def __init__(self):
        import warnings

        with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
            warnings.simplefilter("ignore")
            import jieba
            import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        # jieba's default tokenizer, shared with spaCy's jieba segmenter: one dictionary in memory
        self.tokenizer = jieba.dt
        self.posseg = jieba.posseg.dt
        self.actors = {s: a for s, a in knowledge().actors.items() if HAN.search(s)}
        self.acronyms = {s: a for s, a in knowledge().actors.items() if re.fullmatch(r"[A-Z][A-Z0-9&]{2,7}", s)}
        for surface in self.actors:
            if len(surface) > 3:  # short ones ("国航") would cut words apart ("两国航天")
                self.tokenizer.add_word(surface, freq=2000, tag="nt")
        w = load_toml("zh/words.toml")
        self.words = w
        self.countries = {n: code for code, names in w["countries"].items() for n in names}
        self.places = {n: code for code, names in w["places"].items() for n in names}
        for name in list(self.countries) + list(self.places):
            self.tokenizer.add_word(name, freq=2000, tag="ns")
        self.gazetteer_rx = alternation(self.actors)
        self.place_rx = alternation(list(self.countries) + list(self.places) + ["中俄", "俄中"])
        self.suffixes = sorted(w["org_suffixes"], key=len, reverse=True)
        self.name_flags = set(w["name_flags"])
        self.not_in_names = set(w["not_in_names"])
        self.titles_rx = alternation(w["titles"])
        self.reporting_rx = alternation(w["reporting"])
        self.foreign_chars = set(w["foreign_name_chars"])
        self.russian_endings = w["russian_name_endings"]
        self.figures = FigureReader(load_toml("zh/figures.toml"))

    # -- the reader interface ------------------------------------------------------------------
    def read(self, text: str, published: date | None) -> Reading:
        sentences = []
        for m in SENTENCE.finditer(text):
            start, end = m.start(), m.end()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                sentences.append((start, end))
        tokens = []
        offset = 0
        for pair in self.posseg.cut(text):
            tokens.append((offset, offset + len(pair.word), pair.word, pair.flag))
            offset += len(pair.word)
        self.boundaries = {t[0] for t in tokens} | {len(text)}
        mentions = self.mentions(text, tokens)
        dates = self.dates(text, published)
        blocked = [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in mentions if m.type != "GPE"]
        return Reading(sentences, mentions, self.figures.find(text, blocked), dates)

    def side_words(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        out = []
        for m in self.place_rx.finditer(text, start, end):
            word = m.group()
            if word in ("中俄", "俄中"):
                first, second = ("CN", "RU") if word == "中俄" else ("RU", "CN")
                out += [(m.start(), first), (m.start() + 1, second)]
            elif word in self.countries:
                out.append((m.start(), self.countries[word]))
        return out

    def past(self, sentence: str, trigger: str) -> bool | None:
        at = sentence.find(trigger)
        if at >= 0 and sentence[at + len(trigger):at + len(trigger) + 1] == "了":
            return True
        return None

    # -- entities -------------------------------------------------------------------------------
    def mentions(self, text: str, tokens) -> list[Mention]:
        found: list[Mention] = []
        for m in self.gazetteer_rx.finditer(text):
            if len(m.group()) <= 3 and not (m.start() in self.boundaries and m.end() in self.boundaries):
                continue  # "国航" inside "两国航天" is no airline
            actor = self.actors[m.group()]
            found.append(Mention(m.start(), m.end(), actor.type, m.group(), actor, actor.country))
        for m in re.finditer(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9&]{2,7}(?![A-Za-z0-9])", text):
            actor = self.acronyms.get(m.group())
            if actor is not None:
                found.append(Mention(m.start(), m.end(), actor.type, m.group(), actor, actor.country))
        for m in self.place_rx.finditer(text):
            if m.group() in ("中俄", "俄中") or overlaps(found, m.start(), m.end()):
                continue
            word = m.group()
            country = self.countries.get(word) or self.places.get(word)
            found.append(Mention(m.start(), m.end(), "GPE", word, None, country,
                                 place_kind="country" if word in self.countries else "city"))
        found += self.organisations(text, tokens, found)
        found.sort(key=lambda m: m.start)
        found += self.people(text, tokens, found)
        found.sort(key=lambda m: m.start)
        return found

    def organisations(self, text: str, tokens, taken: list[Mention]) -> list[Mention]:
        """Names ending in an organisation suffix ("江苏核电有限公司", "黑龙江大学"), run back over the name words."""
        out: list[Mention] = []
        for i, (start, end, word, flag) in enumerate(tokens):
            suffix = next((s for s in self.suffixes if word.endswith(s)), None)
            if suffix is None or word in NOT_ORGS and i == 0 or overlaps(taken + out, start, end):
                continue
            if (word != suffix and flag[:1] in ("v", "m", "q", "d", "p", "c")) or \
                    re.fullmatch(r"[\d零〇一二两三四五六七八九十百千万几多每各该本此这那]+" + re.escape(suffix), word):
                continue  # "签署", "部署", "四台": words, not names
            first = i
            while first > 0 and i - first < 6:
                s, e, w, f = tokens[first - 1]
                if w in self.not_in_names or not HAN.search(w) or (f not in self.name_flags and f[:1] not in ("n",)):
                    break
                if any(x.start < e and s < x.end and x.type not in ("GPE",) for x in taken):
                    break
                first -= 1
            name_start = tokens[first][0]
            name = text[name_start:end]
            if name in NOT_ORGS or len(name) <= len(suffix) or (first == i and word in NOT_ORGS):
                continue
            if word in NOT_ORGS and first == i:
                continue
            if re.search(r"(?:一家|一个|某家|某|这家|该|多家|几家|两家|各家|一些)$", text[max(0, name_start - 2):name_start]):
                continue  # "一家能源咨询公司": a description, not a name
            country = None
            for x in taken:  # "俄罗斯" inside "俄罗斯远东联邦大学" gives the side; the place is then part of the name
                if name_start <= x.start and x.end <= end and x.type == "GPE":
                    country = country or x.country
            if country is None and not self.transliterated(name):
                country = "CN"  # a Chinese name with no foreign place in it: Chinese papers name foreign bodies by country
            taken[:] = [x for x in taken if not (name_start <= x.start and x.end <= end and x.type == "GPE")]
            out.append(Mention(name_start, end, "ORG", name, None, country))
        return out

    def transliterated(self, name: str) -> bool:
        """A name written in characters that spell foreign sounds ("库尔恰托夫", "伊万·索科洛夫")."""
        return bool(re.search(r"[·•・]", name)) or any(ch in self.foreign_chars for ch in name)

    def russian_name(self, name: str) -> bool:
        """A transliterated name with a Russian surname ending ("索科洛夫", "库兹涅佐娃")."""
        last = re.split(r"[·•・]", name)[-1]
        return (re.search(r"[·•・]", name) is not None or len(name) >= 4) and \
            any(last.endswith(e) for e in self.russian_endings)

    def people(self, text: str, tokens, found: list[Mention]) -> list[Mention]:
        """People named after a title ("国家主席习近平", "总经理王伟") or before a reporting verb ("王伟表示")."""
        out: list[Mention] = []
        starts = {t[0]: t for t in tokens}
        for m in self.titles_rx.finditer(text):
            if overlaps(found, m.start(), m.end()):
                continue
            after = m.end()
            known = next((x for x in found if x.start == after and x.type == "PERSON"), None)
            if known is None:
                foreign = FOREIGN_NAME.match(text, after)
                token = starts.get(after)
                if foreign:
                    name = self.trim_name(foreign.group())
                elif token and token[3].startswith("nr") and 2 <= len(token[2]) <= 4:
                    name = token[2]
                else:
                    continue
                known = Mention(after, after + len(name), "PERSON", name)
                out.append(known)
            known.role = known.role or m.group()
            org = next((x for x in found if x.end == m.start() and x.type in ("ORG", "GPE")), None)
            if org is not None:
                if org.type == "ORG":
                    known.organization, known.org_mention = org.name, org
                known.country = known.country or org.country
        for m in FOREIGN_NAME.finditer(text):  # "伊万·索科洛夫认为" with no title before the name
            name = self.trim_name(m.group())
            if not overlaps(found + out, m.start(), m.start() + len(name)):
                out.append(Mention(m.start(), m.start() + len(name), "PERSON", name))
        for start, end, word, flag in tokens:
            if flag.startswith("nr") and 2 <= len(word) <= 4 and not overlaps(found + out, start, end) \
                    and self.reporting_rx.match(text, end):
                out.append(Mention(start, end, "PERSON", word))
        for p in out:
            if p.country is None and self.russian_name(p.name):
                p.country = "RU"
            if p.country is None and not re.search(r"[·•・]", p.name) and p.name[0] in SURNAMES and len(p.name) <= 3:
                p.country = "CN"
        return out

    def trim_name(self, name: str) -> str:
        """A transliterated name without the words run on after it ("叶莲娜·库兹涅佐娃表示" -> "叶莲娜·库兹涅佐娃")."""
        cut = len(name)
        last = max(name.rfind(c) for c in "·•・") + 1
        for m in self.reporting_rx.finditer(name, last):
            cut = min(cut, m.start())
        stop = re.search(r"[的在和与将曾也还对向于是等说]", name[last:])
        if stop:
            cut = min(cut, last + stop.start())
        return name[:cut] if cut > last else name

    # -- dates ----------------------------------------------------------------------------------
    def dates(self, text: str, published: date | None) -> list[Found]:
        out: list[Found] = []
        for pattern, handler in DATE_RULES:
            for m in pattern.finditer(text):
                if any(f.start < m.end() and m.start() < f.end for f in out):
                    continue
                if text[m.end():m.end() + 1] == "电" or text[m.end():m.end() + 2] == "消息":
                    continue  # "新华社北京3月9日电": when the report was filed, not when anything happened
                value = handler(m, published)
                if value is not None:
                    out.append(Found(m.start(), m.end(), DateValue(value[0], value[1], m.group())))
        return sorted(out, key=lambda f: f.start)


def overlaps(mentions: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def alternation(words) -> re.Pattern:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) or r"(?!)")


def _english(text: str, published: date | None) -> tuple[str, str] | None:
    value = resolve(text, published)
    return (value.value, value.precision) if value else None


def _year_part(m: re.Match, published: date | None):
    year = int(m.group(1)) if m.group(1).isdigit() else None
    if year is None:
        if published is None:
            return None
        year = published.year + {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "本年": 0}[m.group(1)]
    part = m.group(2) or ""
    if part in ("底", "末", "年底", "年末", "年终"):
        return f"{year}-12", "month"
    if part in ("初", "年初"):
        return f"{year}-01", "month"
    return str(year), "year"


def _relative_year_month(m: re.Match, published: date | None):
    if published is None or not 1 <= int(m.group(2)) <= 12:
        return None
    year = published.year + {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "本年": 0}[m.group(1)]
    return f"{year}-{int(m.group(2)):02d}", "month"


def _weekday(m: re.Match, published: date | None):
    if published is None:
        return None
    week, day = m.group(1) or "", WEEKDAY[m.group(3)]
    monday = published - timedelta(days=published.weekday())
    if week == "上":
        return (monday - timedelta(days=7) + timedelta(days=day)).isoformat(), "day"
    if week == "下":
        return (monday + timedelta(days=7 + day)).isoformat(), "day"
    if week in ("本", "这"):
        return (monday + timedelta(days=day)).isoformat(), "day"
    return _english(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day], published)


def _day_of_month(m: re.Match, published: date | None):
    """"15日": that day of the publication month, or of the month before when it is still to come."""
    if published is None:
        return None
    day = int(m.group(1))
    year, month = published.year, published.month
    if day > published.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        return date(year, month, day).isoformat(), "day"
    except ValueError:
        return None


def _relative_month(m: re.Match, published: date | None):
    if published is None:
        return None
    index = published.year * 12 + published.month - 1 + {"上": -1, "本": 0, "这": 0, "下": 1}[m.group(1)]
    return f"{index // 12}-{index % 12 + 1:02d}", "month"


DATE_RULES = [
    # "9月16日至19日", "2024年9月30日至10月2日": a range of days, read by the shared resolver
    (re.compile(r"(?:((?:19|20)\d\d)年)?(?<!\d)(\d{1,2})月(\d{1,2})[日号]?\s*(?:至|到|[-－—–~])\s*(?:(\d{1,2})月)?(\d{1,2})[日号]"),
     lambda m, p: _english(f"{EN_MONTHS[int(m.group(2)) - 1]} {int(m.group(3))} - "
                           f"{EN_MONTHS[int(m.group(4) or m.group(2)) - 1]} {int(m.group(5))}"
                           + (f", {m.group(1)}" if m.group(1) else ""), p)
     if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(4) or m.group(2)) <= 12 else None),
    (re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})[日号]"),
     lambda m, p: _english(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", p)),
    (re.compile(r"((?:19|20)\d\d)年?\s*(?:[-－—–~至到])\s*((?:19|20)\d\d)年"),
     lambda m, p: (f"{m.group(1)}/{m.group(2)}", "year") if int(m.group(2)) > int(m.group(1)) else None),
    (re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(?:(底|末)|上旬|中旬|下旬|初)?"),
     lambda m, p: _english(f"{EN_MONTHS[int(m.group(2)) - 1]} {m.group(1)}", p) if 1 <= int(m.group(2)) <= 12 else None),
    (re.compile(r"(今年|去年|明年|前年|本年)(\d{1,2})月"), _relative_year_month),  # "今年12月"
    (re.compile(r"((?:19|20)\d\d(?=年)|今年|去年|明年|前年|本年)年?(年底|年末|年初|年终|底|末|初)?"), _year_part),
    (re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})[日号]"),
     lambda m, p: _english(f"{int(m.group(2))} {EN_MONTHS[int(m.group(1)) - 1]}", p) if 1 <= int(m.group(1)) <= 12 else None),
    (re.compile(r"(上|下|本|这)?(周|星期|礼拜)([一二三四五六日天])"), _weekday),
    (re.compile(r"(?<![\d月.、])(\d{1,2})日(?!电)"), _day_of_month),  # "15日"; "4号机组" is a unit's number
    (re.compile(r"(上|本|这|下)个?月"), _relative_month),
    (re.compile(r"(昨天|今天|明天|昨日|今日|明日)"),
     lambda m, p: _english({"昨": "yesterday", "今": "today", "明": "tomorrow"}[m.group(1)[0]], p)),
]


def chinese_number(text: str) -> float | None:
    """"1,200", "3.5", "两", "二十", "三百五十"."""
    if re.fullmatch(NUM, text):
        return float(text.replace(",", ""))
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            total += (current or 1) * UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


class FigureReader:
    """Chinese figures: "超过290个项目", "380亿立方米", "300多亿美元", "约20%", "百分之十五"."""

    def __init__(self, conf: dict):
        self.scales = conf["scales"]
        self.qualifiers = {q: kind for kind, words in conf["qualifiers"].items() for q in words}
        self.unit_of = {s: name for name, spellings in conf["units"].items() for s in spellings}
        qual = "|".join(map(re.escape, sorted((q for q in self.qualifiers if q not in ("以上", "左右", "上下", "以下")),
                                              key=len, reverse=True)))
        units = "|".join(map(re.escape, sorted(self.unit_of, key=len, reverse=True)))
        self.rx = re.compile(
            r"(?:(?P<qual>" + qual + r"))?(?P<pct>百分之)?(?P<num>" + NUM + r"|[零〇一二两三四五六七八九十百千]+)"
            r"(?:\s*[-－~至到]\s*(?P<num2>" + NUM + r"))?"
            r"(?P<more>多|余)?(?P<scale>万亿|亿|万)?(?P<more2>多|余)?(?P<unit>" + units + r")?"
            r"(?P<after>以上|左右|上下|以下)?")

    def find(self, text: str, blocked: list[tuple[int, int]]) -> list[Quantity]:
        out = []
        for m in self.rx.finditer(text):
            num_start = m.start("num")
            if any(a <= num_start < b for a, b in blocked) or text[max(0, num_start - 1):num_start] == "第":
                continue
            scale, unit = m.group("scale"), m.group("unit")
            if m.group("pct"):
                unit = "%"
            if not scale and not unit:
                continue  # bare numbers: years, counts without a unit, numbers inside names
            if not re.match(r"\d", m.group("num")) and not unit:
                continue
            if m.group("num") == "一" and not scale and not m.group("qual"):
                continue  # "一家咨询机构", "一个项目": "a", not a count
            if not scale and re.match(r"[年月日号时点周岁]", text[m.end("num"):m.end("num") + 1]):
                continue
            if not scale and unit and re.fullmatch(r"(?:19|20)\d\d", m.group("num")) and not m.group("qual"):
                continue
            value = chinese_number(m.group("num"))
            if value is None:
                continue
            factor = self.scales.get(scale, 1.0) if scale else 1.0
            if unit == "万千瓦":
                factor *= 1e4
            qualifier = self.qualifiers.get(m.group("qual") or "", "exact")
            if m.group("more") or m.group("more2"):
                qualifier = "more_than"
            if m.group("after"):
                qualifier = self.qualifiers.get(m.group("after"), qualifier)
            start = m.start("qual") if m.group("qual") else (m.start("pct") if m.group("pct") else num_start)
            end = m.end()
            q = Quantity(value=value * factor, unit=self.unit_of.get(unit, unit), measure=self.measure(text, start, end if unit not in ('%', '％') else None),
                         qualifier=qualifier, text=text[start:end], span=(start, end))
            if m.group("num2"):
                upper = chinese_number(m.group("num2"))
                if upper and upper > value:
                    q.value_max = upper * factor
            out.append(q)
        return out

    @staticmethod
    def measure(text: str, start: int, end: int | None = None) -> str | None:
        """What the figure counts: the noun right after it ("300万吨液化天然气"), else the words before it
        ("贸易额达到1902.7亿美元" -> "贸易额")."""
        if end is not None:
            after = re.split(r"[，,。；;：:、\s“”「」（）()的]", text[end:end + 12])[0]
            if 2 <= len(after) <= 10 and not re.match(r"[将已在是为和与及等到至]", after):
                return after
        before = re.split(r"[，,。；;：:、\s“”「」（）()]", text[max(0, start - 16):start])[-1]
        before = re.sub(r"(?:同比增长|增长了?|达到了?|高达|达|为|是|共|总计|累计|合计|约|超过|将|已|了)+$", "", before)
        return before[-8:] or None


@Language.factory("coop_chinese")
def make_chinese(nlp: Language, name: str) -> Native:
    return Native(ChineseReader(), "zh", chinese=True)


@lru_cache(maxsize=1)
def chinese() -> Language:
    """spaCy's blank Chinese with the jieba segmenter, and one component that reads the text with jieba and the
    data files."""
    import warnings

    with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("coop_chinese")
    return nlp
