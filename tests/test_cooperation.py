"""The cooperation rules every language shares (`coopwatch.extract.cooperation`): between whom a sentence's event
is, its status, how far to trust it. English, Russian and Chinese read their sentences their own way and ask these
rules the same questions; the last tests check that each language gives the same answer to the same story.
The sentences are made up for the tests."""
from __future__ import annotations

import pytest

from coopwatch.data import load_toml
from coopwatch.document import Article, DateValue
from coopwatch.extract.cooperation import Aspect, Sides, confidence, focal_pair, parties, status
from coopwatch.pipeline import extract_article


# -- between whom ---------------------------------------------------------------------------------------------

def test_two_sides_named_in_the_sentence_are_the_parties():
    assert parties(Sides(named=["JP", "DE"], focal=["FR", "IT"])) == ["JP", "DE"]


def test_one_side_takes_its_partner_from_the_paragraph():
    assert parties(Sides(named=["IN"], paragraph=["IN", "FR"], focal=["IN", "FR"])) == ["IN", "FR"]


def test_one_side_alone_in_a_paragraph_of_its_own_is_no_cooperation():
    assert parties(Sides(named=["IN"], paragraph=["IN"], focal=["IN", "FR"])) is None


def test_a_flow_goes_from_the_one_side_named_to_the_articles_other():
    # "India's exports rose 8%": to the article's other side, when the paragraph names no one else
    flow = Sides(named=["IN"], paragraph=["IN"], focal=["IN", "FR"], cross_border=True)
    assert parties(flow) == ["IN", "FR"]


def test_words_for_both_sides_bring_in_the_articles_pair():
    assert parties(Sides(named=[], focal=["BR", "AR"], both=True)) == ["BR", "AR"]
    assert parties(Sides(named=["BR"], focal=["BR", "AR"], both=True)) == ["BR", "AR"]
    # "both sides" in a sentence naming a third country is not the article's pair
    assert parties(Sides(named=["CL"], focal=["BR", "AR"], both=True)) is None


def test_a_sentence_naming_no_side_in_an_article_about_two_is_theirs_unless_someone_is_quoted():
    story = dict(named=[], paragraph=[], focal=["KZ", "CN"], lead=["KZ", "CN"])
    assert parties(Sides(**story)) == ["KZ", "CN"]
    assert parties(Sides(**story, quoted=True)) is None  # "we signed ...": the speaker's side, not known


def test_an_international_organisation_is_a_party_without_a_side():
    assert parties(Sides(named=["PK"], paragraph=["PK"], focal=["PK"], international=True)) == ["PK"]


def test_the_focal_pair_is_the_two_most_mentioned_countries_first_mentioned_first_on_a_tie():
    assert focal_pair(["EG", "RU", "RU", "EG", "TR"]) == ["EG", "RU"]
    assert focal_pair(["EG"]) == ["EG"]


# -- status ---------------------------------------------------------------------------------------------------

def test_a_pledge_a_plan_and_what_is_dated_after_the_news_are_planned():
    assert status("pledge", Aspect(completed=True), None, "2024-05-01") == "planned"
    assert status("agreement", Aspect(planned=True, completed=True), None, "2024-05-01") == "planned"
    assert status("launch", Aspect(completed=True), DateValue("2030", "year", "by 2030"), "2024-05-01") == "planned"


def test_what_the_clause_says_of_time_decides_then_the_types_own_status():
    assert status("launch", Aspect(ongoing=True, completed=True), None, None) == "ongoing"
    assert status("launch", Aspect(completed=True), None, None) == "completed"
    vocabulary = load_toml("event_types.toml")["types"]
    assert status("agreement", Aspect(), None, None) == vocabulary["agreement"].get("status")
    assert status("agreement", Aspect(), None, None, default="ongoing") == "ongoing"  # a language's own default


# -- trust ----------------------------------------------------------------------------------------------------

def test_confidence_is_a_share_read_from_the_calibrated_table():
    table = load_toml("confidence.toml")["confidence"]
    assert set(table) == {"named_dated", "named_undated", "inferred_dated", "inferred_undated"}
    assert all(0 < v < 1 for v in table.values())  # smoothed: no bucket claims certainty
    assert confidence(2, True) == table["named_dated"]
    assert confidence(1, False) == table["inferred_undated"]


# -- one rule, every language ---------------------------------------------------------------------------------

STORIES = {  # an article about two countries whose second paragraph names neither
    "en": "Egypt and Russia signed an agreement on a nuclear power plant on Monday.\n\n"
          "The first unit will be launched in 2028.",
    "ru": "Египет и Россия подписали в понедельник соглашение об атомной электростанции.\n\n"
          "Первый энергоблок будет запущен в 2028 году.",
    "zh": "埃及和俄罗斯周一签署了核电站协议。\n\n第一台机组将于2028年投入运行。",
}


@pytest.mark.parametrize("language", sorted(STORIES))
def test_every_language_gives_a_step_told_without_sides_to_the_articles_pair(language):
    record = extract_article(Article(id=f"lead-{language}", language=language, published="2024-05-06",
                                     text=STORIES[language]))
    second = record["text"].index("\n\n")
    later = [e for e in record["events"] if e["span"][0] > second]
    assert later, record["events"]
    assert sorted(later[0]["countries"]) == ["EG", "RU"]
    assert later[0]["status"] == "planned" and later[0]["date"]["value"] == "2028"
    assert later[0]["confidence"] == confidence(0, True)
