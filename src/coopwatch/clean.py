"""Cleaning: a raw scrape in, the article text every span points into out.

Removes site chrome, photo credits and date lines (kept in `removed` for audit), takes a
headline line as the title, and puts back the space missing between glued sentences
("Innovation.Experts"). Everything later works on the text this returns, so no span
ever needs mapping back.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .data import load_toml
from .document import Article


@dataclass
class Cleaned:
    text: str
    title: str | None
    published: str | None
    removed: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    date_prefixes: tuple[re.Pattern, ...]
    date_lines: tuple[re.Pattern, ...]
    photo_credits: tuple[re.Pattern, ...]
    junk_lines: tuple[re.Pattern, ...]
    tail_markers: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    conf = load_toml("boilerplate.toml")

    def compile_all(key: str) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in conf.get(key, []))

    keys = ("date_prefixes", "date_lines", "photo_credits", "junk_lines", "tail_markers")
    return Rules(*(compile_all(k) for k in keys))


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
GLUED = re.compile(r"(?<=[a-z0-9%)\]])([.!?])(?=[A-Z][a-z])")  # "Innovation.Experts" -> "Innovation. Experts"
HEADLINE_END = re.compile(r"[.,;:]$")


def clean(article: Article) -> Cleaned:
    removed: list[dict[str, str]] = []
    text = unicodedata.normalize("NFC", article.text).translate(INVISIBLE)
    text = CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]

    published = normalize_date(article.published)
    published = take_date_line(lines, published, removed)
    credited = len(removed)
    captions = set()
    for i, line in enumerate(lines):
        lines[i] = cut_caption(line, removed)
        if len(removed) > credited:  # a caption stays in the text, but it is no headline
            captions.add(i)
            credited = len(removed)
    title = article.title.strip() if article.title else None
    title = take_title(lines, title, removed, captions)

    paragraphs: list[str] = []
    for line in lines:
        if not line:
            continue
        if any(p.search(line) for p in rules().tail_markers):
            removed.append({"kind": "page_tail", "text": line})
            break
        if any(p.search(line) for p in rules().junk_lines):
            removed.append({"kind": "site_chrome", "text": line})
            continue
        paragraphs.append(unglue(line))
    return Cleaned(text="\n\n".join(paragraphs), title=title, published=published, removed=removed)


def take_date_line(lines: list[str], published: str | None, removed: list[dict[str, str]]) -> str | None:
    """A date prefix or a metadata line at the top gives the publication date and leaves the text."""
    for i, line in enumerate(lines[:6]):
        for pattern in rules().date_prefixes:
            m = pattern.search(line)
            if m:
                removed.append({"kind": "date_line", "text": m.group(0).strip()})
                lines[i] = line[m.end():].strip()
                return published or normalize_date(m.group("date"))
        if len(line) > 200:
            continue  # a paragraph of the article, not a metadata line
        for pattern in rules().date_lines:
            m = pattern.search(line)
            if m:
                removed.append({"kind": "date_line", "text": line})
                lines[i] = ""
                return published or normalize_date(m.group("date"))
    return published


def take_title(lines: list[str], title: str | None, removed: list[dict[str, str]],
               captions: set[int] = frozenset()) -> str | None:
    """A first line that reads as a headline (short, unpunctuated, followed by a blank line) is the title; photo
    captions before it are passed over."""
    first = next((i for i, line in enumerate(lines) if line and i not in captions), None)
    if first is None:
        return title
    line = lines[first]
    if title is not None:
        if line.casefold() == title.casefold():  # the body repeats the title the metadata gave
            removed.append({"kind": "title", "text": line})
            lines[first] = ""
        return title
    rest = lines[first + 1:]
    followed_by_blank = bool(rest) and rest[0] == "" and any(rest)
    words = line.split()
    # Chinese puts no spaces between words: a headline of six or more characters is long enough
    long_enough = len(words) >= 3 or len(re.findall(r"[\u4e00-\u9fff]", line)) >= 6
    if followed_by_blank and long_enough and len(words) <= 30 and len(line) <= 200 \
            and not HEADLINE_END.search(line) and not line.endswith(("。", "，", "；", "：")):
        removed.append({"kind": "title", "text": line})
        lines[first] = ""
        return line
    return None


def cut_caption(line: str, removed: list[dict[str, str]]) -> str:
    """A photo credit ("(Photo: Xinhua)", "[Photo / TASS]") is cut; the caption it closes stays, for it says who
    was where ("Vice-Premier X (2nd R) and Minister Y at the opening of ...")."""
    if not line:
        return line
    for pattern in rules().photo_credits:
        for m in reversed(list(pattern.finditer(line))):
            removed.append({"kind": "photo_credit", "text": m.group(0).strip()})
            line = line[:m.start()].rstrip() + (" " + line[m.end():].lstrip() if line[m.end():].strip() else "")
    return line.strip()


def unglue(paragraph: str) -> str:
    """Put back the space a scrape lost between sentences, also around quotation marks."""
    paragraph = GLUED.sub(r"\1 ", paragraph)
    straight = paragraph.count('"')
    out: list[str] = []
    inside = False
    for i, ch in enumerate(paragraph):
        opening = ch == "\u201c" or (ch == '"' and not inside and straight % 2 == 0)
        closing = ch == "\u201d" or (ch == '"' and inside and straight % 2 == 0)
        if opening and out and out[-1] in ".!?,;:":
            out.append(" ")
        out.append(ch)
        if closing and i + 1 < len(paragraph) and paragraph[i + 1].isalpha():
            out.append(" ")
        if ch == '"' and straight % 2 == 0:
            inside = not inside
    return "".join(out)


def normalize_date(value: str | None) -> str | None:
    """Metadata dates come as ISO timestamps, `2020/9/3` and the like: keep the calendar day."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value)
    if m:
        try:
            return date(*map(int, m.groups())).isoformat()
        except ValueError:
            return None
    from .dates import parse_absolute

    resolved = parse_absolute(value)
    return resolved.value if resolved and resolved.precision == "day" else None
