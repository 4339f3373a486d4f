"""Quotes: direct quotations attributed to the named person, through "said X" and pronouns."""
from .conftest import one


def quotes(extracted, doc_id):
    return extracted[doc_id]["quotes"]


def test_said_after_the_quote_names_the_speaker_with_role_and_organisation(extracted):
    q = one(quotes(extracted, "power-of-siberia"), text="The start of deliveries opens a new chapter")
    assert q["speaker"] == "Ivan Petrov" and q["direct"] is True
    assert q["organization"] == "Moscow Energy Research Center"


def test_told_reporters_and_a_pronoun_both_resolve_to_the_person(extracted):
    first = one(quotes(extracted, "power-of-siberia"), text="Demand for gas in northern China")
    second = one(quotes(extracted, "power-of-siberia"), text="Pipeline supplies are cheaper than LNG")
    assert first["speaker"] == second["speaker"] == "Zhang Wei"


def test_straight_quotes_in_html(extracted):
    q = one(quotes(extracted, "tianwan"), text="These units will supply clean power")
    assert q["speaker"] == "Li Ming" and "engineer" in q["role"]


def test_quote_text_is_inside_the_marks_and_the_span_is_exact(extracted):
    for record in extracted.values():
        for q in record.get("quotes", []):
            assert record["text"][q["span"][0]:q["span"][1]] == q["text"]
            assert not q["text"].endswith((",", '"', "\u201d"))


def test_single_curly_quotes_according_to_and_an_organisation_speaking():
    from coopwatch.nlp.english import english

    doc = english()("\u2018We will build the station together with Russia,\u2019 Zhang Kejian said. "
                    '"The station will be open to all interested countries," Roscosmos said in a statement. '
                    '"Trade will double by 2030," according to Li Ming, an analyst. It\u2019s Russia\u2019s turn, he said.')
    by_speaker = {q.speaker: q for q in doc._.quotes}
    assert by_speaker["Zhang Kejian"].text == "We will build the station together with Russia"
    assert by_speaker["Roscosmos"].organization == "Roscosmos"
    assert by_speaker["Li Ming"].role == "analyst"
    assert len(doc._.quotes) == 3  # the apostrophes in "It’s Russia’s" quote nothing


def test_reported_speech_is_kept_as_indirect():
    from coopwatch.nlp.english import english

    doc = english()("Song Kui, president of the institute, noted that more technology industrial zones would be "
                    'expected. "We are ready," Song said.')
    indirect = [q for q in doc._.quotes if not q.direct]
    assert [(q.speaker, q.text) for q in indirect] == [
        ("Song Kui", "more technology industrial zones would be expected")]
    assert doc.text[indirect[0].span[0]:indirect[0].span[1]] == indirect[0].text


def test_a_speech_told_over_paragraphs_keeps_its_speaker():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    text = ('"We have reached several agreements on grid safety," Norwegian minister Terje Aasland said on Monday.\n\n'
            '"Cooperation is also taking shape in other fields of common interest," he added later.\n\n'
            '"The next step is a joint cable survey in the North Sea next spring."')
    record = extract_article(Article(id="q", text=text, published="2024-03-14", source="t"))
    assert [q["speaker"] for q in record["quotes"] if q["direct"]] == ["Terje Aasland"] * 3


def test_a_speaker_introduced_by_a_participle_is_the_subject_of_its_verb():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    text = ('Kenyan President William Ruto welcomed the deal on Monday, saying: "This railway will carry our '
            'goods to the sea within a day."')
    record = extract_article(Article(id="q", text=text, published="2024-03-14", source="t"))
    assert [q["speaker"] for q in record["quotes"]] == ["William Ruto"]


def test_speakers_named_before_the_quotation_or_through_a_statement():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    record = extract_article(Article(id="quote-sources", published="2024-04-02", text=(
        "Vietnam and South Korea agreed to expand trade, the ministry said.\n\n"
        "Samsung Electronics said in a statement on Monday that it would add a second plant near Hanoi. "
        "The statement specified that \"the new plant will employ about 5,000 people from 2026\".\n\n"
        "According to the Bank of Korea, the loans are meant to \"help small suppliers follow Samsung abroad.\"\n\n"
        "Nguyen Van Thanh, a Vietnamese economist at a Hanoi university, said the deal could lift exports. "
        "He added that wages were rising. \"Korean firms now train more local engineers than ever before,\" "
        "the economist said.\n\n"
        "Park Ji-hoon, the Korean trade minister, noted that the talks had taken two years. Officials met in Seoul "
        "twice this spring. \"This is a partnership for the next decade, not a single contract,\" he stressed."
    )))
    def speaker(opening: str) -> str:
        return one([q for q in record["quotes"] if q["direct"] and q["text"].startswith(opening)])["speaker"]

    assert speaker("the new plant") == "Samsung Electronics"  # the statement of the one who spoke last
    assert speaker("help small suppliers") == "Bank of Korea"  # according to ...
    assert speaker("Korean firms") == "Nguyen Van Thanh"  # "the economist": the economist named before
    assert speaker("This is a partnership") == "Park Ji-hoon"  # "he" after two sentences with no one named


def test_a_news_agency_passing_words_on_is_not_their_speaker():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    record = extract_article(Article(id="agency", published="2024-04-02", text=(
        "Egypt and Russia held talks on grain.\n\n"
        "According to Interfax, a joint statement says the sides will \"keep expanding wheat deliveries next year.\"")))
    assert not any(q["speaker"] == "Interfax" for q in record["quotes"])
