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
