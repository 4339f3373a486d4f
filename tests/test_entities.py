"""Entities: gazetteer actors, completed organisation names, people with roles, and country sides."""
from .conftest import one


def entities(extracted, doc_id):
    return extracted[doc_id]["entities"]


def test_gazetteer_actors_get_their_type_and_country(extracted):
    ents = entities(extracted, "power-of-siberia")
    gazprom = one(ents, name="Gazprom")
    assert (gazprom["type"], gazprom["country"]) == ("ORG", "RU")
    cnpc = one(ents, name="China National Petroleum Corporation")
    assert cnpc["country"] == "CN"


def test_an_abbreviation_after_a_name_is_the_same_organisation(extracted):
    ents = entities(extracted, "power-of-siberia")
    cnpc = one(ents, name="China National Petroleum Corporation")
    text = extracted["power-of-siberia"]["text"]
    assert "CNPC" in [text[s:e] for s, e in cnpc["mentions"]]


def test_two_organisations_joined_by_and_stay_two(extracted):
    ents = entities(extracted, "crawl-en-1")
    names = {e["name"] for e in ents if e["type"] == "ORG"}
    assert "China National Space Administration" in names and "Roscosmos" in names


def test_person_role_from_apposition_and_organisation_from_the_role(extracted):
    petrov = one(entities(extracted, "power-of-siberia"), name="Ivan Petrov")
    assert petrov["type"] == "PERSON" and petrov["role"].startswith("senior analyst")
    assert petrov["organization"] == "Moscow Energy Research Center"
    assert petrov["country"] == "RU"


def test_person_role_from_title_before_the_name(extracted):
    xi = one(entities(extracted, "tianwan"), name="Xi Jinping")
    assert xi["role"] == "President" and xi["country"] == "CN"


def test_later_surname_mention_joins_the_full_name(extracted):
    petrov = one(entities(extracted, "power-of-siberia"), name="Ivan Petrov")
    text = extracted["power-of-siberia"]["text"]
    assert "Petrov" in [text[s:e] for s, e in petrov["mentions"]]
    assert not [e for e in entities(extracted, "power-of-siberia") if e["name"] == "Petrov"]


def test_chinese_name_gives_a_side_when_the_role_does_not(extracted):
    zhang = one(entities(extracted, "power-of-siberia"), name="Zhang Wei")
    assert zhang["country"] == "CN"


def test_organisation_side_from_a_place_in_its_name(extracted):
    hit = one(entities(extracted, "power-of-siberia"), name="Harbin Institute of Technology")
    assert hit["country"] == "CN"


def test_every_mention_points_at_the_name_or_part_of_it(extracted):
    for record in (r for r in extracted.values() if r.get("language") == "en"):
        for ent in record.get("entities", []):
            for start, end in ent["mentions"]:
                mention = record["text"][start:end]
                assert mention and (mention in ent["name"] or ent["name"] in mention
                                    or (ent["canonical"] and mention in ent["canonical"])
                                    or mention.isupper()), (ent["name"], mention)


def test_a_subsidiary_takes_its_parents_side_and_foreign_firms_theirs(extracted):
    entities = {e["name"]: e for e in extracted["amur-bridges"]["entities"]}
    assert entities["TransContainer"]["country"] == "RU"  # "TransContainer, a subsidiary of Russian Railways"
    assert entities["Renault"]["country"] == "FR" and entities["Toyota"]["country"] == "JP"  # from the gazetteer


def test_names_that_say_they_are_firms_or_places():
    from coopwatch.pipeline import pipeline_for

    doc = pipeline_for("en")("Brazil's Vale and Sojitz Corp. signed a deal with MMK Metalurji, the minister told "
                             "Peru's El Comercio newspaper. The ore comes from Northern and Central Chile.")
    kinds = {e.name: e.type for e in doc._.entities}
    assert "Sojitz Corp." in kinds  # the full stop of "Corp." is part of the name
    assert kinds.get("El Comercio") == "ORG"  # a name right before "newspaper"


def test_a_name_opening_with_an_acronym_is_a_firm_even_if_the_model_says_person():
    from spacy.tokens import Span

    from coopwatch.pipeline import pipeline_for

    nlp = pipeline_for("en")
    doc = nlp("The deal between the government, RTB Bor and Zijin was signed.")
    taken_for_a_person = Span(doc, 6, 8, label="PERSON")  # "RTB Bor", as the model sometimes labels it
    assert nlp.get_pipe("coop_actors").relabel(doc, taken_for_a_person).label_ == "ORG"
