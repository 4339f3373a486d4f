"""Date expressions resolved against the publication date, at the precision the text gives."""
from datetime import date

import pytest

from coopwatch.document import DateValue
from coopwatch.extract.dates import resolve, resolve_anaphora

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
