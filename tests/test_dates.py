"""Date expressions resolved against the publication date, at the precision the text gives."""
from datetime import date

import pytest

from coopwatch.document import DateValue
from coopwatch.dates import resolve, resolve_anaphora

THURSDAY = date(2020, 9, 3)


@pytest.mark.parametrize("text, value, precision", [
    ("on Tuesday", "2020-09-01", "day"),
    ("Thursday", "2020-09-03", "day"),
    ("last Thursday", "2020-08-27", "day"),
    ("late August", "2020-08", "month"),
    ("November", "2019-11", "month"),
    ("at the end of 2022", "2022-12", "month"),
    ("in 2019-2020", "2019/2020", "year"),
    ("2019-20", "2019/2020", "year"),
    ("since 2014", "2014", "year"),
    ("next year", "2021", "year"),
    ("last month", "2020-08", "month"),
    ("yesterday", "2020-09-02", "day"),
    ("On Dec. 1, 2022", "2022-12-01", "day"),
    ("1 December 2022", "2022-12-01", "day"),
    ("August 26", "2020-08-26", "day"),
    ("In August 2020", "2020-08", "month"),
    ("mid-2021", "2021", "year"),
    ("the first quarter of 2021", "2021", "year"),
    ("in mid-May last year", "2019-05", "month"),
    ("November this year", "2020-11", "month"),
    ("early next year", "2021", "year"),
    ("at the end of last year", "2019-12", "month"),
    ("three years ago", "2017", "year"),
    ("6 months ago", "2020-03", "month"),
    ("two weeks ago", "2020-08-20", "day"),
    ("later this year", "2020", "year"),
    ("earlier this month", "2020-09", "month"),
])
def test_resolves(text, value, precision):
    found = resolve(text, THURSDAY)
    assert (found.value, found.precision) == (value, precision)
    assert found.text == text


def test_a_month_and_day_after_publication_belongs_to_the_year_before():
    assert resolve("December 20", date(2021, 1, 5)).value == "2020-12-20"


@pytest.mark.parametrize("text", ["the recent years", "the future", "Tuesday"])
def test_no_date_without_what_it_needs(text):
    published = None if text == "Tuesday" else THURSDAY
    assert resolve(text, published) is None


def test_dateparser_reads_what_the_fast_path_does_not():
    assert resolve("3rd of September, 2020", None).value == "2020-09-03"


@pytest.mark.parametrize("text, before, value", [
    ("the same day", "2022-06-10", "2022-06-10"),
    ("same day", "2022-06-10", "2022-06-10"),
    ("later that year", "2019-03", "2019"),
    ("that month", "2019-03-05", "2019-03"),
    ("the following year", "2019-03", "2020"),
    ("a year later", "2019", "2020"),
    ("the next day", "2022-12-31", "2023-01-01"),
    ("a month later", "2022-12", "2023-01"),
    ("that day", "2019", None),          # the date before names no day
    ("a day", "2022-06-10", None),       # a length, not a date
    ("the same day", "2019/2020", None),
])
def test_dates_that_point_back(text, before, value):
    found = resolve_anaphora(text, DateValue(before, "day", before))
    assert (found.value if found else None) == value


# -- ranges of days and months: an interval, not "September 16-19" read as 1919-09-16 --------------------------
@pytest.mark.parametrize("text, value, precision", [
    ("September 1-3", "2020-09-01/2020-09-03", "day"),
    ("September 16-19", "2019-09-16/2019-09-19", "day"),  # two weeks after publication: last year's, as one day
    ("from Sept. 1 to 3", "2020-09-01/2020-09-03", "day"),
    ("16–19 September 2018", "2018-09-16/2018-09-19", "day"),
    ("August 30 - September 2", "2020-08-30/2020-09-02", "day"),
    ("30 August to 2 September", "2020-08-30/2020-09-02", "day"),
    ("December 30 - January 2, 2021", "2020-12-30/2021-01-02", "day"),
    ("in January-June", "2020-01/2020-06", "month"),
    ("March-May 2019", "2019-03/2019-05", "month"),
])
def test_ranges_are_intervals(text, value, precision):
    found = resolve(text, THURSDAY)
    assert (found.value, found.precision) == (value, precision)


def test_a_range_without_a_year_takes_the_year_of_its_first_day_as_a_single_day_would():
    assert resolve("December 28-30", date(2021, 1, 5)).value == "2020-12-28/2020-12-30"


@pytest.mark.parametrize("text", ["September 19-16", "units 7-8", "September 16 - 31"])
def test_no_range_where_the_ends_do_not_make_one(text):
    found = resolve(text, THURSDAY)
    assert found is None or "/" not in found.value


def test_russian_and_chinese_day_ranges_go_through_the_same_resolver():
    from coopwatch.nlp.chinese import DATE_RULES
    from coopwatch.nlp.russian import RussianReader

    reader = RussianReader.__new__(RussianReader)  # dates() needs none of the models
    assert [f.value.value for f in reader.dates("Визит прошёл 1–3 сентября в Пекине.", THURSDAY)] == \
        ["2020-09-01/2020-09-03"]
    text = "访问于9月1日至3日进行，2019年9月30日至10月2日举行论坛。"
    found = []
    for pattern, handler in DATE_RULES[:1]:
        found += [handler(m, THURSDAY) for m in pattern.finditer(text)]
    assert found == [("2020-09-01/2020-09-03", "day"), ("2019-09-30/2019-10-02", "day")]


def test_the_tagger_s_date_is_read_with_what_it_left_outside():
    """spaCy's DATE entity stops at "mid-May" in "in mid-May last year", and makes two of "from 2005 through 2022"."""
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    record = extract_article(Article(id="widened", published="2021-02-10", text=(
        "Turkey and Azerbaijan signed a gas agreement in mid-May last year, officials said.\n\n"
        "Supplies from Azerbaijan to Turkey from 2012 through 2020 reached 60 billion cubic metres.")))
    dates = {e["type"]: e["date"]["value"] for e in record["events"] if e["date"]}
    assert dates["agreement"] == "2020-05"
    assert dates["supply"] == "2012/2020"
