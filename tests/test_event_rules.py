"""Event rule families on sentences of our own: what news reports as cooperation, and what it does not.

Each test reads one short article through the whole pipeline and looks at the events it yields.
"""
import pytest

from coopwatch.document import Article
from coopwatch.pipeline import extract_article


def events(text: str, published: str = "2024-03-14") -> list[dict]:
    record = extract_article(Article(id="t", text=text, published=published, source="test"))
    return record["events"]


def types(text: str, published: str = "2024-03-14") -> list[str]:
    return [e["type"] for e in events(text, published)]


# -- refusals, conflicts and negations are no cooperation -------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Japan's prime minister refused to meet the visiting Chinese foreign minister in Tokyo on Monday.",
    "India rejected a proposal from China to sign a free trade agreement.",
    "Germany declined to commit to any new assistance for Ukraine's grid.",
    "Beijing demanded that Washington cancel the sale of fighter jets to Taiwan.",
    "Russia threatened to halt gas supplies to Moldova over the debt.",
    "A French engineer was arrested for collaborating with Iranian intelligence.",
    "Brazil and Argentina did not sign the trade agreement at the summit.",
    "No agreement was reached between Serbia and Kosovo at the talks in Brussels.",
    "Poland suspended the joint research programme with Belarus.",
    "The United States imposed sanctions on Chinese companies that supplied drones to Russia.",
])
def test_refusal_conflict_and_negation_give_no_event(sentence):
    assert events(sentence) == []


def test_a_coordinated_action_is_not_governed_by_the_refusal_beside_it():
    """"condemned X and signed Y": the signing happened."""
    found = types("China condemned the new tariffs and signed a gas supply contract with Russia on Tuesday.")
    assert "agreement" in found


# -- pledges, offers, readiness -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "India stands ready to deepen cooperation with France in civil nuclear energy.",
    "Japan is willing to provide emergency aid to the Philippines after the typhoon.",
    "Egypt is looking forward to closer cooperation with Italy in offshore gas.",
    "South Korea will work with Vietnam on smart city projects, the minister said.",
    "Turkey offered to build a second nuclear plant in Hungary.",
])
def test_readiness_and_offers_are_pledges(sentence):
    found = events(sentence)
    assert [e["type"] for e in found] == ["pledge"] and found[0]["status"] == "planned"
    assert len(found[0]["countries"]) == 2


def test_what_a_thing_is_for_is_no_pledge():
    assert "pledge" not in types("Japan agreed on Tuesday to a loan worth $100 million for Kenya, "
                                 "intended to boost the country's power grid.")


def test_a_pledge_to_renew_an_agreement_is_one_pledge():
    assert types("Norway's Equinor intends to renew its partnership agreement with Germany's RWE.") == ["pledge"]


# -- agreements, meetings, research and launches named as things ----------------------------------------------

def test_an_agreement_adopted_is_an_agreement():
    found = events("New agreements between Kazakhstan and Uzbekistan were adopted at the summit on Monday.")
    assert [e["type"] for e in found if e["type"] == "agreement"] == ["agreement"]
    assert found[0]["date"]["value"] == "2024-03-11"


def test_under_an_agreement_names_it_as_an_event():
    assert "agreement" in types("Under the new intergovernmental agreement, Kazakhstan will export grain to Iran.")


def test_phone_talks_between_leaders_are_a_meeting():
    found = events("Climate policy was the focus of phone talks on Monday between the Indian prime minister "
                   "and the Australian prime minister.")
    assert [e["type"] for e in found] == ["meeting"]


def test_talks_under_way_are_an_ongoing_meeting_and_their_topic_no_event():
    found = events("Talks between Chile and Korea are under way on lithium supplies.")
    assert [(e["type"], e["status"]) for e in found] == [("meeting", "ongoing")]


def test_a_press_conference_is_no_meeting():
    assert "meeting" not in types("The Kenyan minister told a press conference held in Nairobi that Kenya and "
                                  "China would open a railway.")


def test_research_done_jointly_without_a_research_object():
    assert types("Norway would study the Arctic jointly with Germany, the ministry said.") == ["research"]


def test_a_verb_and_the_noun_it_acts_on_are_one_event():
    found = events("The university founded by Kazakhstan and Turkey held its official inauguration on Friday.")
    assert [e["type"] for e in found] == ["launch"]


def test_money_put_into_a_plant_is_funding():
    found = types("South Korea's LG is putting 2 billion dollars into a battery plant in Poland.")
    assert found == ["funding"]


# -- status and date --------------------------------------------------------------------------------------------

def test_a_hypothetical_is_planned():
    found = events("Indonesia and Japan could sign a fisheries agreement next month.")
    assert [(e["type"], e["status"]) for e in found] == [("agreement", "planned")]


def test_a_target_year_is_a_planned_year_not_a_day():
    found = events("Exports of Kazakh wheat to China could reach 2 million tons by 2030.")
    assert found and all(e["date"]["value"] == "2030" and e["date"]["precision"] == "year" for e in found)
    assert all(e["status"] == "planned" for e in found)


def test_each_event_takes_the_sector_of_its_own_clause_not_its_circumstances():
    found = events("Despite the pandemic, Vietnam and Japan signed a deal on a coal power plant on Monday, "
                   "and their navies held joint drills.")
    agreement = next(e for e in found if e["type"] == "agreement")
    assert "health" not in agreement["sectors"] and "defense" not in agreement["sectors"]


def test_a_trade_flow_naming_no_sector_is_trade():
    found = events("Electric cars lead the market in Norway. Bilateral trade between Norway and Germany "
                   "grew by a fifth last year.")
    assert [(e["type"], e["sectors"]) for e in found] == [("trade", ["trade_finance"])]


def test_an_undated_signing_takes_the_day_of_the_lead_but_not_an_earlier_one():
    found = events("Kenya and China signed a railway deal on Monday in Nairobi.\n\n"
                   "The two sides also signed a memorandum on ports. Kenya had earlier signed a loan agreement "
                   "with China.", published="2024-03-14")
    dates = [(e["sentence"][:12], (e["date"] or {}).get("value")) for e in found]
    assert dates == [("Kenya and Ch", "2024-03-11"), ("The two side", "2024-03-11"), ("Kenya had ea", None)]


# -- the focus is a setting ------------------------------------------------------------------------------------

def test_focus_sets_other_pairs_apart_without_losing_them():
    from coopwatch.focus import parse_focus
    from coopwatch.pipeline import extract_articles

    text = "Kenya and China signed a railway deal on Monday. Japan and India held talks on Friday."
    [record] = extract_articles([Article(id="f", text=text, published="2024-03-14", source="t")],
                                focus=parse_focus("CN,KE"))
    assert [e["countries"] for e in record["events"]] == [["KE", "CN"]]
    assert [e["countries"] for e in record["out_of_focus"]] == [["JP", "IN"]]
    assert "out_of_focus" not in extract_article(Article(id="f", text=text, published="2024-03-14", source="t"))


def test_focus_is_country_codes_or_any():
    from coopwatch.focus import FocusError, parse_focus

    assert parse_focus("any") is None and parse_focus("cn, ru") == {"CN", "RU"}
    with pytest.raises(FocusError):
        parse_focus("China")


# -- more ways news tells of cooperation ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Indian Prime Minister Narendra Modi reached Tokyo on Sunday for a two-day summit.", "meeting"),
    ("Putin hosted Indian Prime Minister Narendra Modi at his residence near Moscow.", "meeting"),
    ("Turkey and Azerbaijan held joint military exercises near the border.", "research"),
    ("Norway and Britain opened a new subsea power cable linking the two countries.", "launch"),
    ("Egypt and Greece put their signatures to contracts for a power link on Monday.", "agreement"),
    ("A joint statement released by France and India set out plans for small reactors.", "agreement"),
    ("Serbia and Hungary presented a roadmap for the oil pipeline at the forum.", "pledge"),
    ("Israel and Cyprus agreed to exchange data on gas reservoirs.", "agreement"),
])
def test_ways_news_tells_of_cooperation(text, expected):
    assert expected in types(text)


def test_talks_with_one_side_are_with_the_other_side_of_the_article():
    found = events("Japan and Vietnam are drafting a port deal. Talks with Vietnam on the project have been "
                   "under way since 2019, a Japanese official said.")
    talks = next(e for e in found if e["sentence"].startswith("Talks"))
    assert talks["type"] == "meeting" and set(talks["countries"]) == {"JP", "VN"}


def test_leaders_announcing_their_own_pact_are_its_sides():
    found = events("A new hydrogen pact will get a supply chain off the ground, the leaders of Germany and "
                   "Canada said on Tuesday.")
    assert [(e["type"], set(e["countries"])) for e in found] == [("agreement", {"DE", "CA"})]


def test_a_noun_naming_an_earlier_event_again_is_that_event():
    found = events("Kazakhstan began deliveries of uranium to India on Monday.\n\n"
                   "\"The start of deliveries opens a new chapter between our countries,\" an analyst said.")
    assert [e["type"] for e in found] == ["supply"]


def test_the_sides_of_a_pair_not_of_the_tour_around_it():
    found = events("Chinese Premier Li Qiang reached Moscow on Sunday, the third leg of a tour that has also "
                   "included Kyrgyzstan and Latvia.")
    assert [set(e["countries"]) for e in found] == [{"CN", "RU"}]


@pytest.mark.parametrize("sentence, expected", [
    ("Japan expressed its readiness to help Indonesia build a high-speed railway.", "pledge"),
    ("French President Emmanuel Macron spoke by phone with Indian Prime Minister Narendra Modi on Tuesday.",
     "meeting"),
    ("Saudi Arabia donated 50 ambulances to Yemen.", "funding"),
])
def test_readiness_nouns_phone_calls_and_donations(sentence, expected):
    assert types(sentence) == [expected]


@pytest.mark.parametrize("sentence", [
    "Iran and Israel traded accusations at the United Nations.",
    "Russia delivered a massive strike on Ukrainian power plants.",
    "India and Pakistan exchanged fire along the Line of Control.",
])
def test_conflict_done_with_cooperation_verbs_is_no_event(sentence):
    assert events(sentence) == []


def test_an_international_organisation_is_a_party_without_a_side():
    found = events("The World Bank approved a $300 million loan to Armenia for road building.")
    assert [(e["type"], e["countries"]) for e in found] == [("funding", ["AM"])]
    assert "World Bank" in found[0]["actors"]


def test_each_document_listed_with_its_own_title_is_an_agreement():
    found = events("Mali signed the Memorandum of Understanding between Serbia and the Chinese firm Shandong "
                   "Hi-Speed, as well as the Protocol on implementing the Memorandum between Serbia and China.")
    assert [(e["type"], e["status"]) for e in found] == [("agreement", "completed")] * 2


def test_a_signing_retold_stays_an_event_but_takes_no_second_date():
    found = events("Kenya and China signed a railway deal on Monday.\n\n"
                   "The deal was signed by the two transport ministers in Nairobi.")
    assert [(e["type"], (e["date"] or {}).get("value")) for e in found] == [("agreement", "2024-03-11"),
                                                                          ("agreement", None)]


def test_a_saved_record_is_split_again_by_the_focus_it_is_ingested_with():
    from coopwatch.focus import parse_focus, refocus

    record = {"events": [{"countries": ["KE", "CN"]}], "out_of_focus": [{"countries": ["JP", "IN"]}]}
    again = refocus(record, parse_focus("JP,IN"))
    assert again["events"] == [{"countries": ["JP", "IN"]}] and again["out_of_focus"] == [{"countries": ["KE", "CN"]}]


# -- news of every pair: refusals by phrase, hostility, vows; agreements in force; guests by title -------------

@pytest.mark.parametrize("sentence", [
    "Zambia turned down a Chinese offer to build a new airport in Lusaka.",
    "Turkey called on Sweden to crack down on militants before it ratifies the agreement.",
    "Nigeria and Ghana have yet to sign the gas pipeline agreement.",
    "Iran vowed to retaliate against Israel.",
    "Turkey vowed to continue its operations against Kurdish militants in Syria.",
    "The Netherlands restricted exports of chip-making equipment to China.",
    "The U.S. warned Chinese banks that they could face sanctions for helping Russia.",
])
def test_refused_demanded_or_hostile_actions_give_no_event(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize("text, expected", [
    ("The free trade agreement between Ecuador and China took effect on May 1.", "agreement"),
    ("Morocco's King Mohammed VI received the French foreign minister in Rabat.", "meeting"),
    ("Russian and Belarusian troops started joint military drills near the border.", "research"),
    ("The IAEA will send a team of experts to Japan to review the plant.", "supply"),
    ("Chinese companies have built more than 30 solar plants in Uzbekistan.", "launch"),
    ("Saudi Arabia deposited $3 billion with Pakistan's central bank.", "funding"),
    ("Greek and Turkish leaders pledged to improve relations between Greece and Turkey.", "pledge"),
])
def test_more_ways_news_tells_of_cooperation(text, expected):
    assert expected in types(text)


def test_a_plant_built_with_money_is_no_launch_of_its_own():
    assert "launch" not in types("The plant in Hungary, built with an investment of 500 million dollars by "
                                 "a Chinese firm, employs 2,000 people.")


def test_a_weekday_in_the_sentence_beats_the_datelines_day():
    found = events("MOSCOW, March 13 (Reuters) - Russia and India signed a fuel supply agreement on Monday.")
    assert [e["date"]["value"] for e in found] == ["2024-03-11"]


def test_an_action_told_as_announced_that_day_is_an_action_of_its_own():
    """"In April it announced it had launched X": the announcement's month parts it from January's launch."""
    found = events("In January, Kazakhstan's Saryarka started making cars of the Chinese brand Chery, and in April "
                   "it announced it had launched assembly of Geely vehicles, another Chinese marque.",
                   published="2024-06-14")
    assert [e["type"] for e in found] == ["launch", "launch"]


def test_a_call_to_act_together_is_planned_cooperation_a_call_to_do_otherwise_none():
    found = events("Modi called on Japan to invest more in Indian railways.")
    assert [(e["type"], e["status"]) for e in found] == [("funding", "planned")]
    assert events("Turkey called on Sweden to crack down on militants before it ratifies the agreement.") == []


def test_what_someone_recalls_was_signed_is_an_agreement():
    """"recall" reports speech: it neither refuses nor cancels what it tells."""
    assert types("Wang recalled that Kenya and China signed a railway agreement in 2014.") == ["agreement"]


def test_a_flow_over_another_period_is_a_flow_of_its_own():
    found = events("Trade between Chile and Korea rose 9% to $24 billion in 2022 and grew by a further 4% in "
                   "January-March, to $6.5 billion.")
    assert [(e["type"], e["date"]["value"]) for e in found] == [("trade", "2022"), ("trade", "2024-01/2024-03")]
    said = events("Exports from Kazakhstan to China rose 12% last year, the minister said, adding that growth "
                  "stood at 5 percent in the first quarter of 2024.")
    assert [e["date"]["value"] for e in said if e["type"] == "trade"] == ["2023", "2024"]
    one = events("Exports of Turkish cars to Egypt rose 40% in 2023 and reached 90,000 units.")
    assert len(one) == 1  # one period, one flow


def test_a_forecast_of_an_action_is_that_action_planned_not_a_pledge():
    found = events("The agreement between Peru and Korea is expected to be signed next month.")
    assert [(e["type"], e["status"]) for e in found] == [("agreement", "planned")]
    found = events("The trade programmes between Chile and Japan are to be approved on Friday.")
    assert [(e["type"], e["status"]) for e in found] == [("agreement", "planned")]
    # an actor's own expectation stays a pledge
    assert types("Brazil expects to sign a satellite deal with China next month.") == ["pledge"]


def test_a_name_of_two_sides_names_both():
    found = events("China buys more Russian grain every year, and Russian exporters ship more to Chinese ports.\n\n"
                   "Moscow expects the signing of an agreement on the Russia-China Grain Corridor later this year.")
    signing = [e for e in found if e["type"] == "agreement"]
    assert [sorted(e["countries"]) for e in signing] == [["CN", "RU"]]
    assert signing[0]["date"]["value"] == "2024" and signing[0]["status"] == "planned"


def test_a_noun_names_an_earlier_event_again_only_when_made_definite():
    found = events("Trade between Peru and China grew 8% last year.\n\n"
                   "China ranks as Peru's biggest trade partner and its first source of foreign investment.")
    assert [e["type"] for e in found].count("trade") == 2
    again = events("Gazprom began deliveries of gas to Uzbekistan on Monday.\n\n"
                   "The start of deliveries opens a new chapter, the minister said.")
    assert [e["type"] for e in again] == ["supply"]


def test_a_visit_named_as_the_occasion_of_a_meeting_is_a_meeting_of_its_own():
    found = events("Petrobras chief Jean Prates met a delegation from Sinopec during Chinese President Xi Jinping's "
                   "state visit to Brazil.")
    assert [e["type"] for e in found] == ["meeting", "meeting"]
    own = events("Brazil's trade minister held talks with Chinese firms during his visit to Shanghai on Monday.")
    assert [e["type"] for e in own] == ["meeting"]  # his own visit: the talks are part of it


def test_a_meeting_named_as_where_an_action_happens_takes_the_actions_time():
    found = events("The leaders of Kenya and Ethiopia will sign the pact at a ceremony in Nairobi.")
    assert [(e["type"], e["status"]) for e in found] == [("agreement", "planned"), ("meeting", "planned")]
    said = events("Speaking at the opening ceremony of the Egypt-China forum, the minister said trade would grow.")
    assert all(e["status"] != "planned" for e in said if e["type"] == "meeting")  # what was said there
