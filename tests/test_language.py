"""Language: non-English articles are labelled and warned about, never run through English rules."""


def test_article_in_a_language_without_a_pipeline_is_labelled_and_not_extracted(extracted):
    record = extracted["crawl-fr-1"]
    assert record["language"] == "fr"
    assert record["events"] == [] and record["entities"] == []
    assert any("not extracted" in w for w in record["warnings"])


def test_russian_article_is_labelled_russian(extracted):
    assert extracted["crawl-ru-1"]["language"] == "ru"


def test_english_article_is_labelled_english(extracted):
    assert extracted["crawl-en-1"]["language"] == "en" and extracted["crawl-en-1"]["warnings"] == []


def test_english_heavy_with_names_is_english():
    from coopwatch.language import detect_language

    # in lower case alone the model reads this as Dutch
    assert detect_language("UN Secretary-General Antonio Guterres met Indonesian President Prabowo Subianto in "
                           "Jakarta on Monday to discuss climate finance.") == "en"
