"""Dates: a date expression and the publication date in, an ISO value at the text's precision out.

The common newswire forms ("Dec. 1, 2022", "late August", "on Tuesday", "at the end of 2022",
"in 2019-2020", "September 16-19", "next year") are resolved here directly because they are most of what
articles hold and dateparser is slow for them; anything else goes to dateparser. No spaCy here: cleaning, the
English component (extract/dates.py) and the Russian and Chinese pipelines all read dates through this module.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from .document import DateValue

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
LEAD = re.compile(r"^(?:(?:in|on|at|since|from|by|as of|as at|as|until|till|during|before|after|around|about|later|"
                  r"earlier|through|starting|beginning in|throughout|over|for|of|the)\s+)+")
PARTS = {"end": 12, "late": 12, "beginning": 1, "start": 1}
MONTH_WORD = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")

COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
RELATIVE_YEARS = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}
TO = r"\s*(?:-|–|—|to|through|until|till)\s*"  # joins the two ends of a range ("and" joins two dates)
MONTH2 = r"(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY2 = r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?"
PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx + r"$")) for name, rx in [
    ("iso", r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
    # ranges of days and months: "September 16-19", "Sept. 30 to Oct. 2, 2024", "16-19 September", "March-May 2023"
    ("month_day_range", MONTH + r" " + DAY + TO + r"(?:" + MONTH2 + r" )?" + DAY2 + r"(?:,? " + YEAR + r")?"),
    ("day_month_range", DAY + r"(?: (?:of )?" + MONTH2 + r")?" + TO + DAY2 + r" (?:of )?" + MONTH + r"(?:,? " + YEAR + r")?"),
    ("month_range", MONTH + TO + MONTH2 + r"(?:,? (?:of )?" + YEAR + r")?"),
    ("year_range", YEAR + r"\s*(?:-|–|—|/|to|and|through)\s*(?P<year2>(?:19|20)?\d\d)"),
    ("part_year", r"(?P<part>end|late|early|beginning|start|middle|mid|first half|second half|(?:first|second|third|fourth) quarter|q[1-4])"
                  r"[- ]?(?:of )?(?:the year )?" + YEAR),
    ("month_day_year", MONTH + r" " + DAY + r",? " + YEAR),
    ("day_month_year", DAY + r" (?:of )?" + MONTH + r",? " + YEAR),
    ("month_year", MONTH + r",? (?:of )?" + YEAR),
    ("month_day", MONTH + r" " + DAY),
    ("day_month", DAY + r" (?:of )?" + MONTH),
    ("part_month", r"(?:(?P<part>end|late|early|beginning|start|middle|mid)[- ]?(?:of )?)?" + MONTH),
    ("year", YEAR),
    ("weekday", r"(?P<rel>last |this |next |past )?(?P<weekday>" + "|".join(WEEKDAYS) + r")"),
    ("relative_day", r"(?P<word>today|yesterday|tomorrow)"),
    ("relative", r"(?P<rel>this|last|next|past|coming) (?P<unit>year|month)"),
    # a month or a part of a year named against this year: "in mid-May last year", "November this year", "early
    # next year"
    ("month_relative_year", r"(?:(?P<part>end|late|early|beginning|start|middle|mid)[- ]?(?:of )?)?" + MONTH
                            + r",? (?:of )?(?P<rel>this|last|next|past|coming) year"),
    ("part_relative_year", r"(?P<part>end|late|early|beginning|start|middle|mid)[- ]?(?:of )?"
                           r"(?P<rel>this|last|next|past|coming) year"),
    # "three years ago", "6 months ago"
    ("ago", r"(?P<count>\d{1,2}|" + "|".join(COUNTS) + r") (?P<unit>year|month|week|day)s? ago"),
]]


def resolve(text: str, published: date | None) -> DateValue | None:
    """The date `text` names, read against the publication date; None when it names no date."""
    value = _resolve(" ".join(text.lower().split()), published)
    return DateValue(value[0], value[1], text) if value else None


@lru_cache(maxsize=4096)
def _resolve(text: str, published: date | None) -> tuple[str, str] | None:
    text = LEAD.sub("", text.strip(" .,;:")).strip()
    for name, pattern in PATTERNS:
        m = pattern.match(text)
        if m:
            return _from_match(name, m, published)
    has_year = re.search(r"\b(?:19|20)\d\d\b", text)
    has_month = MONTH_WORD.search(text)
    if has_year or (has_month and published):  # "7 and 8" in "units 7 and 8" is no date
        return _dateparser(text, published)
    return None


def _from_match(name: str, m: re.Match, published: date | None) -> tuple[str, str] | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    month = MONTHS[g["month"]] if g.get("month") and g["month"] in MONTHS else None
    if name == "iso":
        return _day(year, int(g["month"]), int(g["day"]))
    if name in ("month_day_range", "day_month_range", "month_range"):
        return _range(name, g, year, month, published)
    if name == "year_range":
        end = g["year2"]
        end_year = int(end) if len(end) == 4 else year // 100 * 100 + int(end)
        return (f"{year}/{end_year}", "year") if end_year > year else None
    if name == "part_year":
        part_month = PARTS.get(g["part"]) if g["part"] in ("end", "beginning", "start") else None
        return (f"{year}-{part_month:02d}", "month") if part_month else (str(year), "year")
    if name in ("month_day_year", "day_month_year"):
        return _day(year, month, int(g["day"]))
    if name == "month_year":
        return f"{year}-{month:02d}", "month"
    if name == "year":
        return str(year), "year"
    if published is None:
        return None  # every form below needs the publication date
    if name in ("month_day", "day_month"):
        guess = _safe_date(published.year, month, int(g["day"]))
        if guess and guess > published + timedelta(days=7):  # "on August 26" read in January is last year's
            guess = _safe_date(published.year - 1, month, int(g["day"]))
        return (guess.isoformat(), "day") if guess else None
    if name == "part_month":
        year = published.year if month <= published.month else published.year - 1
        return f"{year}-{month:02d}", "month"
    if name == "weekday":
        rel = (g.get("rel") or "").strip()
        delta = (published.weekday() - WEEKDAYS[g["weekday"]]) % 7
        if rel == "next":
            return (published + timedelta(days=(7 - delta) % 7 or 7)).isoformat(), "day"
        if rel in ("last", "past") and delta == 0:
            delta = 7
        return (published - timedelta(days=delta)).isoformat(), "day"
    if name == "relative_day":
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[g["word"]]
        return (published + timedelta(days=shift)).isoformat(), "day"
    if name in ("month_relative_year", "part_relative_year"):
        year = published.year + RELATIVE_YEARS[g["rel"]]
        if name == "part_relative_year":
            part_month = PARTS.get(g["part"]) if g["part"] in ("end", "beginning", "start") else None
            return (f"{year}-{part_month:02d}", "month") if part_month else (str(year), "year")
        return f"{year}-{month:02d}", "month"
    if name == "ago":
        count = int(g["count"]) if g["count"].isdigit() else COUNTS[g["count"]]
        if g["unit"] == "year":
            return str(published.year - count), "year"
        if g["unit"] == "month":
            index = published.year * 12 + published.month - 1 - count
            return f"{index // 12}-{index % 12 + 1:02d}", "month"
        return (published - timedelta(days=count * (7 if g["unit"] == "week" else 1))).isoformat(), "day"
    if name == "relative":
        shift = RELATIVE_YEARS[g["rel"]]
        if g["unit"] == "year":
            return str(published.year + shift), "year"
        index = published.year * 12 + published.month - 1 + shift
        return f"{index // 12}-{index % 12 + 1:02d}", "month"
    return None


def _range(name: str, g: dict, year: int | None, month: int, published: date | None) -> tuple[str, str] | None:
    """A range of days or months as an interval (`2024-09-16/2024-09-19`, `2023-03/2023-05`); without a year, the
    year of its first day is found as for a single day or month, and it ends in that year or the next."""
    month2 = MONTHS[g["month2"]] if g.get("month2") else None
    if name == "month_range":
        first, last = month, month2
        if year is None:
            if published is None:
                return None
            year = published.year if first <= published.month else published.year - 1
        elif last < first:  # "November 2023 - January 2024" reads its year at the end
            year -= 1
        end_year = year + (1 if last < first else 0)
        return f"{year}-{first:02d}/{end_year}-{last:02d}", "month"
    if name == "month_day_range":
        first, last = (month, int(g["day"])), (month2 or month, int(g["day2"]))
    else:  # day_month_range: "16 September - 3 October", "16-19 September"
        first, last = (month2 or month, int(g["day"])), (month, int(g["day2"]))
    if last[0] == first[0] and last[1] <= first[1]:
        return None  # "September 19-16" is no range
    wraps = last < first  # "December 30 - January 2"
    if year is not None:
        start_year = year - 1 if wraps else year
    elif published is None:
        return None
    else:
        start_year = published.year
        guess = _safe_date(start_year, *first)
        if guess and guess > published + timedelta(days=7):  # as for one day: "on August 26" read in January
            start_year -= 1
    start, end = _safe_date(start_year, *first), _safe_date(start_year + (1 if wraps else 0), *last)
    if start is None or end is None or end <= start:
        return None
    return f"{start.isoformat()}/{end.isoformat()}", "day"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> tuple[str, str] | None:
    found = _safe_date(year, month, day)
    return (found.isoformat(), "day") if found else None


@lru_cache(maxsize=64)
def _parser(published: date | None):
    """One dateparser parser per publication date: building one costs more than parsing."""
    from datetime import datetime

    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": ["month"]}
    if published is None:
        settings["REQUIRE_PARTS"] = ["year"]  # without a publication date only absolute dates can be read
    else:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    return dateparser.date.DateDataParser(languages=["en"], settings=settings)


def _dateparser(text: str, published: date | None) -> tuple[str, str] | None:
    data = _parser(published).get_date_data(text)
    if not data or not data.date_obj:
        return None
    found = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return str(found.year), "year"
    if period == "month":
        return f"{found.year}-{found.month:02d}", "month"
    if period == "day":
        return found.isoformat(), "day"
    return None


def parse_absolute(text: str) -> DateValue | None:
    """A date that needs no publication date to be read ("Sept. 3, 2020")."""
    return resolve(text, None)


# "on the same day", "later that year", "the following year": dates read against the date before them
ANAPHORA = re.compile(r"^(?:(?:on|in|by|later|earlier|early|late|until)\s+)*(?P<ref>(?:the )?same|that|(?:the )?following|"
                      r"the next|a|one)\s+(?P<unit>day|month|year)(?:\s+later)?$", re.IGNORECASE)
UNIT_LENGTH = {"day": 10, "month": 7, "year": 4}


def resolve_anaphora(text: str, previous: DateValue | None) -> DateValue | None:
    """A date that points back ("the same day", "a year later") as a value, from the last date the text gave."""
    m = ANAPHORA.match(" ".join(text.split()))
    if m is None or previous is None or "/" in previous.value:
        return None
    unit, value = m.group("unit").lower(), previous.value
    if len(value) < UNIT_LENGTH[unit]:
        return None  # "that day" after "in 2019" names no day
    value = value[:UNIT_LENGTH[unit]]
    ref = m.group("ref").lower()
    later = ref in ("the following", "following", "the next") or text.lower().rstrip().endswith("later")
    if later and unit == "year":
        value = str(int(value) + 1)
    elif later and unit == "month":
        index = int(value[:4]) * 12 + int(value[5:7])  # the month after
        value = f"{index // 12}-{index % 12 + 1:02d}"
    elif later:
        value = (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    elif ref in ("a", "one"):
        return None  # "a day", "one year" is a length, not a date
    return DateValue(value, unit, text)
