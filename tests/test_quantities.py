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


def _figures_of(text: str) -> list[dict]:
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_articles

    return list(extract_articles([Article(id="figures-test", text=text)]))[0]["quantities"]


def test_scaled_values_are_exact():
    found = _figures_of("Rosatom and CNNC agreed to invest 4.1 billion dollars in the plant, and the bank lent "
                        "$0.35 million more. Trade reached 2.3 trillion roubles.")
    values = {q["text"]: q["value"] for q in found}
    assert values["4.1 billion dollars"] == 4_100_000_000 and isinstance(values["4.1 billion dollars"], int)
    assert values["$0.35 million"] == 350_000
    assert values["2.3 trillion roubles"] == 2_300_000_000_000


def test_the_yen_sign_is_read_by_its_context():
    found = _figures_of("The Japanese trading house Mitsui will put ¥12 billion into the Arctic LNG 2 project, "
                        "Tokyo said.\n\nChina Development Bank will lend ¥30 billion to the Chinese partner.")
    units = {q["text"]: q["unit"] for q in found}
    assert units == {"¥12 billion": "JPY", "¥30 billion": "CNY"}
    alone = _figures_of("The Silk Road Fund said it would invest ¥5 billion in the new port.")
    assert [q["unit"] for q in alone] == ["CNY"]  # no hint: the yuan, as in most of this record


def test_numbers_written_the_ways_wires_write_them():
    found = _figures_of("Kenya and Japan agreed on Monday to a 45-billion-yen loan. Tokyo also pledged EUR 2.5bn "
                        "and half a billion dollars in grants, while Indian firms will invest Rs 3,000 crore.\n\n"
                        "The two governments signed thirty-two agreements.")
    values = {q["text"]: (q["value"], q["unit"]) for q in found}
    assert values["45-billion-yen"] == (45_000_000_000, "JPY")
    assert values["EUR 2.5bn"] == (2_500_000_000, "EUR")
    assert values["half a billion dollars"] == (500_000_000, "USD")
    assert values["Rs 3,000 crore"] == (30_000_000_000, "INR")
    assert values["thirty-two agreements"] == (32, "agreements")
    assert "a billion dollars" not in values  # no second figure inside "half a billion dollars"


def test_a_count_of_two_counts_unless_it_names_a_pair_already_known():
    found = _figures_of("Vietnam will buy two Russian reactors and two more turbines from Siemens.\n\n"
                        "The two countries have agreed to talk again, and their two ministries will meet.")
    texts = [q["text"] for q in found]
    assert "two Russian reactors" in texts and "two more turbines" in texts
    assert not any(t.startswith(("two countries", "two ministries")) for t in texts)


def test_a_duration_is_a_figure_a_point_in_time_is_not():
    found = _figures_of("Building the bridge took 30 months, and the concession runs for about 25 years.\n\n"
                        "Two years ago the sides met; the plant will open in 3 years.")
    values = {q["text"]: (q["value"], q["unit"], q["qualifier"]) for q in found}
    assert values["30 months"] == (30, "months", "exact")
    assert values["about 25 years"] == (25, "years", "about")
    assert not any("3 years" in t or "Two years" in t for t in values)


def test_a_figure_in_brackets_is_its_own():
    found = _figures_of("The bank is financing the $4 billion (3.6 billion euro) railway, officials said.")
    assert {q["text"]: q["unit"] for q in found} == {"$4 billion": "USD", "3.6 billion euro": "EUR"}
