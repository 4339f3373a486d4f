"""Figures: value, unit, what they measure, how exact; years, dates and identifiers are not figures."""
from .conftest import one


def figures(extracted, doc_id):
    return extracted[doc_id]["quantities"]


def test_scaled_measure_with_qualifier(extracted):
    gas = one(figures(extracted, "power-of-siberia"), text="38 billion cubic metres")
    assert gas["value"] == 38_000_000_000 and gas["unit"] == "cubic metres"
    assert gas["qualifier"] == "up_to" and gas["measure"] == "gas"


def test_money_with_currency_symbol(extracted):
    money = one(figures(extracted, "power-of-siberia"), text="$400 billion")
    assert money["value"] == 400_000_000_000 and money["unit"] == "USD"
    assert money["qualifier"] == "about" and "contract" in money["measure"]


def test_more_than_and_a_unit_of_length(extracted):
    length = one(figures(extracted, "power-of-siberia"), text="3,000 kilometres")
    assert (length["value"], length["unit"], length["qualifier"]) == (3000, "kilometres", "more_than")
    assert "pipeline" in length["measure"]


def test_measure_is_the_noun_the_figure_belongs_to(extracted):
    capacity = one(figures(extracted, "tianwan"), text="1,200 megawatts")
    assert capacity["unit"] == "MW" and capacity["measure"] == "capacity"


def test_spelled_out_count(extracted):
    units = one(figures(extracted, "tianwan"), text="four nuclear power units")
    assert units["value"] == 4 and units["measure"] == "nuclear power units"


def test_years_dates_identifiers_and_durations_in_names_are_not_figures(extracted):
    texts = [q["text"] for q in figures(extracted, "power-of-siberia") + figures(extracted, "tianwan")]
    for not_a_figure in ("2014", "2021", "Unit 2", "units 7", "units 3", "VVER-1200"):
        assert not any(not_a_figure in t for t in texts), (not_a_figure, texts)


def test_spans_point_at_the_figure_text(extracted):
    for record in extracted.values():
        for q in record.get("quantities", []):
            assert record["text"][q["span"][0]:q["span"][1]] == q["text"]
