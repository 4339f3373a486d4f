"""Sides: every country from the packages' tables, the EU and international organisations, and the sides of
people and organisations the gazetteer does not know (titles, appositions, possessives, "of" phrases, datelines).
The sentences are made up; the names in them are not in the gazetteer unless a test says so."""
import pytest

from coopwatch.extract.knowledge import knowledge, normal


@pytest.fixture(scope="module")
def nlp():
    from coopwatch.nlp.english import english
    return english()


def entity(nlp, text: str, name: str):
    doc = nlp(text)
    found = [e for e in doc._.entities if e.name == name]
    assert found, f"no entity {name!r} in {[(e.name, e.type) for e in doc._.entities]}"
    return found[0]


# -- the tables --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word, code", [
    ("Norway", "NO"), ("Norwegian", "NO"), ("Republic of Korea", "KR"), ("ROK", "KR"), ("DPRK", "KP"),
    ("U.S.", "US"), ("US", "US"), ("UAE", "AE"), ("UK", "GB"), ("Kingdom of the Netherlands", "NL"),
    ("Brazilian", "BR"), ("the Philippines", "PH"), ("Sino", "CN"), ("Soviet", "RU"), ("European Union", "EU"),
    ("Curitiba", "BR"), ("Brasilia", "BR"), ("Brasília", "BR"), ("Ontario", "CA"), ("Hebei", "CN"),
])
def test_every_country_its_names_adjectives_and_cities(word, code):
    assert knowledge().country_of(word) == code


@pytest.mark.parametrize("word", ["Reading", "Nice", "Mobile", "Victoria", "Of"])
def test_city_names_that_are_common_words_or_names_give_no_side(word):
    assert knowledge().country_of(word) is None


def test_indian_is_india_not_a_territory_that_shares_the_word():
    assert knowledge().country_of("Indian") == "IN"


def test_typographic_variants_never_change_a_match():
    k = knowledge()
    assert k.country_of("People\u2019s Republic of China") == "CN"
    assert normal("People\u2019s\u00a0Republic \u2013 \u201cChina\u201d") == "People's Republic - \"China\""
    assert len(normal("a\u2019b\u2014c")) == len("a\u2019b\u2014c")  # one character for one: spans stay valid


def test_curly_apostrophe_keeps_the_side_and_the_span(nlp):
    text = "The People\u2019s Republic of China signed the accord."
    doc = nlp(text)
    china = next(e for e in doc._.entities if e.country == "CN")
    start, end = china.mentions[0]
    assert text[start:end].startswith("People\u2019s Republic")


# -- the EU and international organisations ----------------------------------------------------------------
def test_the_european_commission_is_the_eu_side(nlp):
    assert entity(nlp, "The European Commission approved the plan on Monday.", "European Commission").country == "EU"


def test_international_organisations_are_actors_without_a_country(nlp):
    iaea = entity(nlp, "The International Atomic Energy Agency sent inspectors to the plant.",
                  "International Atomic Energy Agency")
    assert iaea.type == "ORG" and iaea.country is None


# -- people and organisations the gazetteer does not know ----------------------------------------------------
def test_nationality_and_title_before_a_name(nlp):
    person = entity(nlp, "Brazilian President Tomas Varela opened the plant.", "Tomas Varela")
    assert (person.country, person.role) == ("BR", "President")


def test_a_field_before_a_title_belongs_to_the_role(nlp):
    person = entity(nlp, "The deal was signed by Chilean Mining Minister Rosa Alvear.", "Rosa Alvear")
    assert person.role == "Mining Minister" and person.country == "CL"


def test_apposition_with_a_country_possessive(nlp):
    person = entity(nlp, "Tran Van Hoa, Vietnam\u2019s Deputy Minister of Industry, signed the loan.", "Tran Van Hoa")
    assert person.country == "VN" and "Deputy Minister of Industry" in person.role


def test_apposition_with_a_nationality_adjective(nlp):
    person = entity(nlp, "Karim Naderi, an Iranian economist and expert on energy markets, told reporters.",
                    "Karim Naderi")
    assert person.country == "IR" and "economist" in person.role


def test_a_role_abroad_is_not_the_side(nlp):
    person = entity(nlp, "Olga Petrenko, a researcher working with Chinese universities, joined the team.",
                    "Olga Petrenko")
    assert person.country != "CN"


def test_organisation_described_by_an_apposition(nlp):
    org = entity(nlp, "Nordvik Kraft, the Norwegian state energy firm, will build the line.", "Nordvik Kraft")
    assert org.country == "NO"


def test_organisation_after_its_nationality_and_kind(nlp):
    org = entity(nlp, "Japanese trading house Kanemori will ship the turbines.", "Kanemori")
    assert org.country == "JP"


def test_organisation_after_a_country_possessive(nlp):
    org = entity(nlp, "India\u2019s biggest steelmaker Varanasi Steel Works signed the contract.",
                 "Varanasi Steel Works")
    assert org.country == "IN"


def test_organisation_named_after_a_group_of_its_kind(nlp):
    org = entity(nlp, "Chinese companies such as Hengli Nickel Group play a major role.", "Hengli Nickel Group")
    assert org.country == "CN"


def test_organisation_based_in_a_place(nlp):
    org = entity(nlp, "Orlov Grain Co, a company based in Novosibirsk, will export the wheat.", "Orlov Grain Co")
    assert org.country == "RU"


def test_of_phrase_in_an_organisation_name(nlp):
    doc = nlp("Officials of the Ministry of Economy of Japan met the delegation.")
    ministry = next(e for e in doc._.entities if e.name.startswith("Ministry of Economy"))
    assert ministry.country == "JP"


def test_person_takes_the_side_of_their_possessor(nlp):
    doc = nlp("Nordvik Kraft, the Norwegian state energy firm, said so. Nordvik Kraft\u2019s Eirik Lunde signed it.")
    person = next(e for e in doc._.entities if e.type == "PERSON")
    assert person.name == "Eirik Lunde" and person.country == "NO"


def test_person_after_an_organisation_and_a_title_takes_its_side(nlp):
    doc = nlp("Japanese trading house Kanemori said so. Kanemori CEO Hideo Tanabe signed the deal.")
    person = entity(nlp, doc.text, "Hideo Tanabe")
    assert person.country == "JP" and person.role == "CEO"


def test_role_from_a_relative_clause(nlp):
    person = entity(nlp, "The letter went to Anton Belov, who chairs the Committee on Energy of the State Duma.",
                    "Anton Belov")
    assert person.role == "chair of Committee on Energy of the State Duma"


# -- datelines, declarations and exercises ------------------------------------------------------------------
def test_a_dateline_is_a_place_never_an_actor(nlp):
    doc = nlp("BRASILIA, May 3 (Reuters) - Brazil and Angola signed a fuel supply deal on Tuesday.")
    brasilia = next(e for e in doc._.entities if e.name == "BRASILIA")
    assert brasilia.type == "GPE" and brasilia.country == "BR"


def test_a_state_official_without_a_country_word_is_of_the_dateline_country(nlp):
    doc = nlp("LUANDA, May 3 (Reuters) - Finance Minister Vera Daves de Sousa said the loan was agreed.")
    person = next(e for e in doc._.entities if e.type == "PERSON")
    assert person.country == "AO"


def test_declarations_and_exercises_are_not_people_or_organisations(nlp):
    doc = nlp("Leaders adopted the Astana Declaration, and the navies held the Pacific Shield exercise.")
    assert not [e for e in doc._.entities if e.type in ("PERSON", "ORG")]


# -- earlier mentions ----------------------------------------------------------------------------------------
def test_the_company_is_the_last_company_named(nlp):
    doc = nlp("Japanese trading house Kanemori posted record profits. The company will build a plant in Hungary.")
    kanemori = next(e for e in doc._.entities if e.name == "Kanemori")
    company = doc.text.index("company")
    assert (company, company + len("company")) in kanemori.mentions


def test_the_minister_is_the_last_minister_named(nlp):
    doc = nlp("Chilean Mining Minister Rosa Alvear visited Beijing. The minister signed a lithium deal with China.")
    person = next(e for e in doc._.entities if e.name == "Rosa Alvear")
    assert len(person.mentions) == 2


def test_the_company_is_not_the_subject_of_its_own_clause(nlp):
    doc = nlp("Indian steelmaker Varanasi Steel Works and the Russian carmaker Avtovaz signed a deal. "
              "The Russian carmaker will supply engines to the company.")
    steel = next(e for e in doc._.entities if e.name == "Varanasi Steel Works")
    assert len(steel.mentions) == 2


def test_missions_joined_by_and_are_not_an_organisation(nlp):
    doc = nlp("Scientists planned cooperation between Chang'e-9 and Luna-29 for years.")
    assert not [e for e in doc._.entities if e.type == "ORG"]


def test_brussels_acting_is_the_eu_and_a_place_is_belgium(nlp):
    acting = entity(nlp, "Brussels wants Japan to open its market to European cars.", "Brussels")
    place = entity(nlp, "The two ministers met in Brussels on Monday.", "Brussels")
    assert (acting.country, place.country) == ("EU", "BE")


@pytest.mark.parametrize("text, name, code", [
    ("The EU and Japan signed a hydrogen agreement.", "EU", "EU"),
    ("The US and India agreed to build engines.", "US", "US"),
    ("The U.S. and the UK signed a deal.", "UK", "GB"),
])
def test_abbreviated_countries_are_sides_not_dropped(nlp, text, name, code):
    side = entity(nlp, text, name)
    assert (side.type, side.country) == ("GPE", code)


def test_us_with_its_dot_keeps_its_side(nlp):
    doc = nlp("The U.S. and Peru signed a deal.")
    assert "US" in {e.country for e in doc._.entities}


def test_the_name_after_a_kind_of_organisation_is_that_organisation(nlp):
    doc = nlp("American engine maker Halvorsen Motors and Indian aircraft firm Bharat Aero signed a contract.")
    sides = {e.name: e.country for e in doc._.entities if e.type == "ORG"}
    assert sides == {"Halvorsen Motors": "US", "Bharat Aero": "IN"}


def test_the_company_said_after_a_quote_is_the_subject_before_it(nlp):
    doc = nlp('Avtovaz said it had a plan. Avtovaz "is cooperating with the Chinese company Hengli in this," the company '
              'said.')
    avtovaz = next(e for e in doc._.entities if e.name == "Avtovaz")
    company = doc.text.rindex("company")
    assert (company, company + len("company")) in avtovaz.mentions


@pytest.mark.parametrize("text", [
    "EU Energy Commissioner Kadri Simson signed the plan.",
    "Transport Minister Ana Lobo signed the plan.",
    "Asad Gillani, Punjab Provincial Energy Secretary, signed the plan.",
])
def test_a_title_and_its_field_are_no_organisation(nlp, text):
    doc = nlp(text)
    assert not [e.name for e in doc._.entities if e.type == "ORG"]


def test_a_place_name_several_countries_hold_takes_the_articles_side(nlp):
    doc = nlp("Pakistan opened a coal plant. Salman Haidar, Punjab Provincial Energy Secretary, said the Punjab grid "
              "needed it.")
    assert {e.name: e.country for e in doc._.entities}.get("Salman Haidar") == "PK"
    doc = nlp("Pakistan and China opened a road near Hyderabad on Monday.")
    assert next(e for e in doc._.entities if e.name == "Hyderabad").country == "PK"
    doc = nlp("India and China opened a road near Hyderabad on Monday.")
    assert next(e for e in doc._.entities if e.name == "Hyderabad").country == "IN"


@pytest.mark.parametrize("text, agency, code", [
    ("MOSCOW, March 22. /TASS/. Russia and Mongolia signed a rail deal.", "TASS", "RU"),
    ("OSLO (dpa-AFX) - Norway and Germany signed a hydrogen deal.", "dpa-AFX", "DE"),
])
def test_the_agency_a_dateline_credits_is_an_organisation(nlp, text, agency, code):
    found = entity(nlp, text, agency)
    assert (found.type, found.country) == ("ORG", code)


@pytest.mark.parametrize("text, name", [
    ("Farmers in the Omsk and Kurgan Regions may now sell wheat to China.", "Kurgan Regions"),
    ("Fuel for Kudankulam 3 was delivered in May.", "Kudankulam 3"),
    ("Le Van Minh, Deputy Minister of Planning and Investment, signed the loan.", "Planning and Investment"),
    ("The letter came from Deputy Finance Minister Pavel Orlov.", "Finance"),
    ("The lake is a UNESCO World Heritage Site and a tourist draw.", "UNESCO World Heritage Site"),
])
def test_regions_units_portfolios_and_sites_are_no_people_or_organisations(nlp, text, name):
    doc = nlp(text)
    assert not [e for e in doc._.entities if e.name == name and e.type in ("PERSON", "ORG")]


def test_a_person_whose_surname_is_a_country_stays_a_person(nlp):
    person = entity(nlp, "Serbian Finance Minister Sinisa Mali signed the loan.", "Sinisa Mali")
    assert (person.type, person.country) == ("PERSON", "RS")


@pytest.mark.parametrize("text, name, code", [
    ("Indian state-run firm Nuclear Fuel Works agreed to extend supplies.", "Nuclear Fuel Works", "IN"),
    ("The Moscow-based company Orlov Tech signed the deal.", "Orlov Tech", "RU"),
])
def test_organisation_after_a_compound_description(nlp, text, name, code):
    assert entity(nlp, text, name).country == code


def test_a_name_the_model_cut_short_is_made_whole(nlp):
    person = entity(nlp, '"It will last," said TVEL President Natalia Nikipelova.', "Natalia Nikipelova")
    assert (person.role, person.country) == ("President", "RU")


def test_a_name_after_a_title_is_a_person_even_when_the_model_misses_it(nlp):
    person = entity(nlp, "Laos' Minister Phosy Kaysy chaired the meeting.", "Phosy Kaysy")
    assert person.country == "LA"


def test_the_head_of_an_international_organisation_acts_for_it_not_for_a_country():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    record = extract_article(Article(id="un", published="2025-03-12", text=(
        "UN chief in Jakarta.\n\nUN Secretary-General Antonio Guterres signed an agreement on climate finance with "
        "Indonesia's foreign minister in Jakarta on Monday.")))
    guterres = next(e for e in record["entities"] if e["name"].endswith("Guterres"))
    assert guterres["country"] is None
    assert [e["countries"] for e in record["events"]] == [["ID"]]  # Indonesia and the UN, no Portugal
