"""The output carries every field of the extraction contract (shared/spec/extraction-contract.md)."""
ENTITY_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"}
EVENT_TYPES = {"agreement": "AGREE", "launch": "COOPERATE", "meeting": "CONSULT", "research": "COOPERATE",
               "funding": "AID", "trade": "COOPERATE", "supply": "COOPERATE", "pledge": "AGREE"}
QUALIFIERS = {"exact", "more_than", "at_least", "about", "less_than", "up_to"}


def test_document_fields(extracted):
    for record in extracted.values():
        for key in ("id", "title", "url", "outlet", "published", "language", "text", "entities", "quantities",
                    "quotes", "events"):
            assert key in record, (record["id"], key)


def test_fact_fields_and_vocabularies(extracted):
    for record in extracted.values():
        for ent in record["entities"]:
            assert ent["type"] in ENTITY_TYPES
            assert ent["country"] is None or (len(ent["country"]) == 2 and ent["country"].isupper())
        for q in record["quantities"]:
            assert isinstance(q["value"], (int, float)) and q["qualifier"] in QUALIFIERS
        for e in record["events"]:
            assert EVENT_TYPES[e["type"]] == e["plover"]
            assert e["status"] in (None, "planned", "ongoing", "completed")
            assert e["date"] is None or e["date"]["precision"] in ("day", "month", "year")
            names = {ent["name"] for ent in record["entities"]}
            assert set(e["actors"]) <= names
