"""Events: type, PLOVER code, sectors, date resolved against publication, sides, status."""
from .conftest import one


def events(extracted, doc_id):
    return extracted[doc_id]["events"]


def test_agreement_with_month_date_and_both_sides(extracted):
    e = one(events(extracted, "tianwan"), type="agreement")
    assert e["plover"] == "AGREE" and "nuclear" in e["sectors"]
    assert e["date"]["value"] == "2018-06" and e["date"]["precision"] == "month"
    assert set(e["countries"]) == {"CN", "RU"} and e["status"] == "completed"
    assert "Rosatom" in e["actors"]


def test_weekday_resolves_against_publication_date(extracted):
    e = one(events(extracted, "tianwan"), type="launch")
    assert e["date"]["value"] == "2021-05-19"  # "on Wednesday", published Thursday 2021-05-20


def test_future_supply_is_planned(extracted):
    e = one(events(extracted, "tianwan"), type="supply")
    assert e["status"] == "planned" and e["countries"][0] == "RU"


def test_deliveries_to_china_are_a_supply_event(extracted):
    e = one(events(extracted, "power-of-siberia"), type="supply")
    assert e["sectors"] == ["oil_gas"] and set(e["countries"]) == {"CN", "RU"}
    assert e["date"]["value"] == "2019-12-02"


def test_memorandum_signed_jointly(extracted):
    e = one(events(extracted, "crawl-en-1"), type="agreement")
    assert "aerospace" in e["sectors"] and set(e["countries"]) == {"CN", "RU"}
    assert e["date"]["value"] == "2021-03-09"


def test_sentence_span_is_exact(extracted):
    for record in extracted.values():
        for e in record.get("events", []):
            assert record["text"][e["span"][0]:e["span"][1]] == e["sentence"]


def test_opinion_without_action_is_no_event(extracted):
    sentences = [e["sentence"] for e in events(extracted, "tianwan")]
    assert not any(s.startswith('"Nuclear energy is one of the key areas') for s in sentences)


def test_a_following_clause_repeats_the_action_with_its_own_date(extracted):
    """"Construction of the Chinese section began in 2014, and the Russian section followed in 2016." """
    found = [e for e in events(extracted, "amur-bridges") if "Russian section followed" in e["sentence"]]
    assert [(e["type"], e["date"]["value"]) for e in found] == [("launch", "2014"), ("launch", "2016")]


def test_dates_that_point_back_take_the_date_before_them(extracted):
    assert one(events(extracted, "amur-bridges"), trigger="signed", sentence="Later that year")["date"]["value"] == "2019"
    memo = one(events(extracted, "amur-bridges"), sentence="On the same day")
    assert memo["type"] == "agreement" and memo["date"] == {"value": "2022-06-10", "precision": "day",
                                                            "text": "same day"}
    trade = one(events(extracted, "amur-bridges"), type="trade")
    assert trade["date"]["value"] == "2022"  # "this year", published 2022-11-17


def test_a_sentence_naming_no_side_in_an_article_about_both_is_their_cooperation(extracted):
    cable_car = one(events(extracted, "amur-bridges"), sentence="cable car")
    assert cable_car["type"] == "agreement" and set(cable_car["countries"]) == {"CN", "RU"}
    # ... unless it is someone's words
    assert not [e for e in events(extracted, "amur-bridges") if "Deliveries will only grow" in e["sentence"]]


def test_what_was_established_is_named_by_its_apposition(extracted):
    """"AmurTrans, a joint venture of ..., was established": the venture is what was launched."""
    venture = one(events(extracted, "amur-bridges"), sentence="AmurTrans")
    assert venture["type"] == "launch" and venture["date"]["value"] == "2020-04"
