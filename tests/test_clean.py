"""Cleaning a raw scrape: what leaves the text, what becomes metadata, and glued sentences split."""
from coopwatch.clean import clean
from coopwatch.document import Article

from .conftest import FIXTURES


def cleaned_fixture():
    raw = (FIXTURES / "power-of-siberia.txt").read_text(encoding="utf-8")
    return clean(Article(id="power-of-siberia", text=raw))


def test_leading_date_line_becomes_the_publication_date():
    result = cleaned_fixture()
    assert result.published == "2019-12-04"
    assert "date 2019-12-04" not in result.text


def test_headline_line_becomes_the_title_and_leaves_the_body():
    result = cleaned_fixture()
    assert result.title == "Russian gas starts flowing to China through Power of Siberia"
    assert not result.text.startswith("Russian gas starts flowing")


def test_photo_credit_and_comment_form_are_removed_but_kept_for_audit_and_the_caption_stays():
    result = cleaned_fixture()
    assert "(Photo: Xinhua)" not in result.text and "compressor station" in result.text  # who and what it shows
    assert "Please enter your" not in result.text
    kinds = {r["kind"] for r in result.removed}
    assert {"date_line", "photo_credit", "title", "page_tail"} <= kinds


def test_glued_sentences_get_their_space_back():
    result = cleaned_fixture()
    assert "on Monday. The pipeline was built" in result.text


def test_glued_quotes_are_split_on_the_right_side_of_the_quotation_mark():
    raw = 'Talks went well.Experts agreed."The deal is done," he said.It was signed on Friday."'
    text = clean(Article(id="q", text=raw + ' More to come," she said.')).text
    assert 'Talks went well. Experts agreed. "The deal is done," he said. It was signed on Friday. "' in text


def test_metadata_title_repeated_at_the_top_of_the_body_is_dropped():
    result = clean(Article(id="t", text="Big deal signed\n\nRosatom signed it.", title="Big deal signed"))
    assert result.title == "Big deal signed" and result.text == "Rosatom signed it."


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    result = clean(Article(id="t", text="Rosatom and CNNC signed a deal on Monday.\n\nIt covers four units."))
    assert result.title is None and result.text.startswith("Rosatom and CNNC")


def test_site_metadata_lines_give_the_date_and_leave():
    raw = ("China, Russia sign grid deal\n\nSource: Xinhua| 2021-06-04 10:12:35|Editor: huaxia\n\n"
           "By Wang Xiaoyu | chinadaily.com.cn\n\nState Grid and Rosseti signed a deal on Friday.\n\n"
           "(Web editor: Wu Chengliang, Bianji)")
    result = clean(Article(id="m", text=raw))
    assert result.published == "2021-06-04" and result.title == "China, Russia sign grid deal"
    assert result.text == "State Grid and Rosseti signed a deal on Friday."


def test_published_line_with_month_name():
    raw = "Published: Sep 03, 2020 10:08 PM\n\nChina and Russia are accelerating joint research."
    result = clean(Article(id="p", text=raw))
    assert result.published == "2020-09-03" and result.text == "China and Russia are accelerating joint research."


def test_a_sentence_starting_with_by_is_not_a_byline():
    raw = "By the end of 2022, Rosatom had delivered the reactor vessel.\n\nBy 2030 trade may double."
    assert clean(Article(id="b", text=raw)).text == raw
