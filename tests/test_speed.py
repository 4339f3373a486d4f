"""Extraction at the speed of the parse: the lean English pipeline gives what the full model gives, its cost grows
with the article's length and no faster, and several processes write what one writes.

Times are compared within one test run (ratios), never against seconds: the machine may be busy.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from coopwatch.document import Article
from coopwatch.pipeline import _fill, _prepare
from coopwatch.read import read_paths

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# Sentences written to reach every kind of rule the model's attribute_ruler has: two-token rules ("gon na",
# "got ta", "let 's", "c'm on", "y' all", "there is"), labels ("but" as an adverb, "I"/"it" as subject and
# object, "have" as a main verb, "that" as a pronoun), whitespace tokens, and plain newswire.
TRICKY = """Y'all are gonna see it. We gotta go, let's move. C'mon, there is more and there were others.
I gave it to him, but it gave me nothing.  He had a car; she has had enough.   That is what they did, and what did they do?

Rosatom's  chief, Alexei Likhachev, said the two sides had signed 3 agreements on Sept. 16-19, 2018.
"We ain't done," he said. Doin' it, somethin' ol' 'em 'nuff.
"""


def english_articles() -> list[Article]:
    from coopwatch.clean import clean
    from coopwatch.language import detect_language

    found = []
    for a in read_paths([ROOT / "examples", FIXTURES]):
        if isinstance(a, Article) and (a.language or detect_language(clean(a).text)) == "en":
            found.append(a)
    return found


@pytest.fixture(scope="module")
def pipelines():
    from coopwatch.nlp.english import english

    return english(), english(table_lemmas=False)


def test_the_lean_pipeline_loads_only_what_coopwatch_reads(pipelines):
    lean, full = pipelines
    assert "attribute_ruler" not in lean.pipe_names and "lemmatizer" not in lean.pipe_names
    assert "senter" not in lean.component_names and "coop_lemmas" in lean.pipe_names
    assert "attribute_ruler" in full.pipe_names and "lemmatizer" in full.pipe_names


def test_table_lemmas_give_every_token_what_the_real_components_give(pipelines):
    lean, full = pipelines
    texts = [TRICKY] + [a.text for a in english_articles()[:6]]
    for _ in range(2):  # the second time every key comes from the table
        for text in texts:
            a, b = lean(text), full(text)
            assert [(t.text, t.tag_, t.pos_, t.dep_, t.lemma_) for t in a] == \
                [(t.text, t.tag_, t.pos_, t.dep_, t.lemma_) for t in b]


def test_extraction_is_the_same_with_the_real_components(pipelines):
    lean, full = pipelines
    for article in english_articles():
        extraction, doc = _prepare(article)
        other, _ = _prepare(article)
        doc2 = full.make_doc(doc.text)  # each pipeline reads documents made with its own vocabulary
        doc2.user_data.update(doc.user_data)
        assert json.dumps(_fill(extraction, lean(doc)).to_json()) == json.dumps(_fill(other, full(doc2)).to_json())


def test_cost_grows_with_the_article_and_no_faster(pipelines):
    """A 12,000-word article costs per word at most 1.25x what 800-word articles cost, and the whole pipeline
    stays within 1.25x the bare parse of the same text (both measured here, in this run)."""
    from coopwatch.nlp.english import bare_parse

    lean, _ = pipelines
    bare = bare_parse()
    texts = [_prepare(a)[1].text for a in english_articles()]
    pieces, long_parts, words = [], [], 0
    while words < 12_000:
        for text in texts:
            long_parts.append(text)
            words += len(text.split())
    long_text = "\n\n".join(long_parts)
    current: list[str] = []
    for text in texts:  # articles of about 800 words
        current.append(text)
        if sum(len(t.split()) for t in current) >= 700:
            pieces.append("\n\n".join(current))
            current = []
    short_words = sum(len(p.split()) for p in pieces)
    long_words = len(long_text.split())
    assert long_words >= 12_000 and 700 <= short_words / len(pieces) <= 1_100

    def run(nlp, text) -> float:
        started = time.perf_counter()
        doc = nlp.make_doc(text)
        doc.user_data["published"] = "2020-09-03"
        nlp(doc)
        return time.perf_counter() - started

    run(lean, long_text)  # every token's key in the table, dateparser's parsers built
    items = [("long", long_text)] + [("short", p) for p in pieces]
    best = {(k, mode): float("inf") for k in range(len(items)) for mode in ("lean", "bare")}
    for _ in range(3):  # each text through both in turn, its best of three: a busy second hits both alike
        for k, (_, text) in enumerate(items):
            best[k, "lean"] = min(best[k, "lean"], run(lean, text))
            best[k, "bare"] = min(best[k, "bare"], run(bare, text))
    long_ms = 1000 * best[0, "lean"] / long_words
    short_ms = 1000 * sum(best[k, "lean"] for k in range(1, len(items))) / short_words
    bare_long_ms = 1000 * best[0, "bare"] / long_words
    assert long_ms <= 1.25 * short_ms, f"{long_ms:.0f} ms per 1,000 words at 12,000 words, {short_ms:.0f} at 800"
    assert long_ms <= 1.25 * bare_long_ms, f"{long_ms:.0f} ms per 1,000 words, the bare parse {bare_long_ms:.0f}"


def test_two_processes_write_what_one_writes(tmp_path):
    from coopwatch.cli import main

    paths = [str(ROOT / "examples"), str(FIXTURES)]
    assert main(["extract", *paths, "-o", str(tmp_path / "one.jsonl"), "--quiet", "--processes", "1"]) in (0, 1)
    assert main(["extract", *paths, "-o", str(tmp_path / "two.jsonl"), "--quiet", "--processes", "2"]) in (0, 1)
    one = (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()
    two = (tmp_path / "two.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(one) > 32 and one == two  # more than the in-process threshold, in more chunks than workers


def test_processes_below_one_is_a_one_line_error(tmp_path, capsys):
    from coopwatch.cli import main

    assert main(["extract", str(ROOT / "examples"), "--processes", "0"]) == 2
    assert "--processes must be at least 1" in capsys.readouterr().err


def test_ingest_with_two_processes_stores_what_one_process_stores(tmp_path):
    import sqlite3

    from coopwatch.cli import main

    paths = [str(ROOT / "examples"), str(FIXTURES)]
    tables = {}
    for n in (1, 2):
        db = tmp_path / f"p{n}.db"
        assert main(["ingest", *paths, "--db", str(db), "--quiet", "--no-resolve", "--processes", str(n)]) in (0, 1)
        with sqlite3.connect(db) as conn:
            tables[n] = [conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
                         for table, columns in (("documents", "id, content_hash"),
                                                ("events", "id, sentence"), ("entities", "id, name"))]
    assert tables[1][0] and len(tables[1][0]) > 32 and tables[1] == tables[2]
