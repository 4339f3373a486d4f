"""The scale benchmark's synthetic articles and its report, on a small real run."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from coopwatch.document import Article
from coopwatch.pipeline import extract_articles
from coopwatch.read import read_paths
from coopwatch.scale.bench import commands, measure, parse_size, synthetic_articles, write_articles, write_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def sources() -> list[Article]:
    return [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]


def test_synthetic_articles_are_varied_and_still_news():
    bases = sources()
    records = synthetic_articles(bases, 24, seed=1)
    assert len({r["id"] for r in records}) == 24
    assert len({r["text"] for r in records}) == 24
    assert len({r["published"] for r in records}) > 12
    assert synthetic_articles(sources(), 24, seed=1) == records  # reproducible
    # figures are swapped: the same base article recombined twice does not keep all its numbers
    first, again = records[0], records[len(bases)]
    assert first["id"].split("-", 1)[1] == again["id"].split("-", 1)[1] and first["text"] != again["text"]
    extracted = list(extract_articles(Article(source="synthetic", format="jsonl", **r) for r in records[:8]))
    assert all("error" not in r for r in extracted)
    assert sum(len(r["events"]) for r in extracted) >= 8
    for record in extracted:
        for q in record["quantities"]:
            start, end = q["span"]
            assert record["text"][start:end] == q["text"]


def test_shorter_articles_keep_their_lead_and_language():
    full = synthetic_articles(sources(), 12, seed=2)
    short = synthetic_articles(sources(), 12, seed=2, keep=2)
    for whole, cut in zip(full, short):
        lead = re.sub(r"[\d.,]+", "#", cut["text"].split("\n\n")[0])  # figures are swapped at random
        assert cut["text"].count("\n\n") <= 1 and re.sub(r"[\d.,]+", "#", whole["text"]).startswith(lead)
        assert cut["language"] == whole["language"]
    assert sum(len(r["text"]) for r in short) < sum(len(r["text"]) for r in full) / 2
    languages = {a.id: a.language for a in sources()}
    assert all(r["language"] == languages[r["id"].split("-", 1)[1]] for r in full)
    # a borrowed paragraph comes from an article in the same language
    english = [r["text"] for r in synthetic_articles(sources(), 60, seed=3) if r["language"] == "en"]
    assert english and not [t for t in english if re.search(r"[\u0400-\u04ff\u4e00-\u9fff]{4}", t)]


def test_sizes():
    assert [parse_size(s) for s in "1k,10k,100000,2.5k".split(",")] == [1000, 10000, 100000, 2500]


def test_a_measured_run_writes_table_and_plot(tmp_path):
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, synthetic_articles(sources(), 6))
    result = measure(commands("extract-1", articles, tmp_path))
    out = [json.loads(line) for line in (tmp_path / "extract1.jsonl").read_text().splitlines()]
    assert len(out) == 6 and result["seconds"] > 0 and 50 < result["worker_mb"] < 2000
    rows = [{"mode": "extract-1", "articles": 6, **result, "docs_per_s": 6 / result["seconds"]}]
    table = write_report(rows, tmp_path)
    assert "| extract-1 | 6 |" in table and "1.00x" in table
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "scale.csv").read_text().startswith("mode,articles,seconds")


def test_the_report_says_where_time_does_not_grow_linearly(tmp_path):
    def row(n, seconds):
        return {"mode": "extract-1", "articles": n, "words_per_doc": 150, "seconds": seconds, "worker_mb": 500.0,
                "jvm_mb": 0.0, "total_mb": 500.0, "load": 1.0, "docs_per_s": n / seconds}

    table = write_report([row(1_000, 60.0), row(10_000, 300.0), row(100_000, 3_100.0), row(1_000_000, 40_000.0)],
                         tmp_path)
    growth = [line for line in table.splitlines() if line.startswith("- extract-1")]
    assert growth[0].startswith("- extract-1: 10x the articles took 5.00x the time (sub-linear")
    assert "took 10.33x the time (linear: 30.0 -> 31.0 ms/doc)" in growth[1]
    assert "(SUPER-LINEAR" in growth[2]


def test_bench_scale_command_writes_its_report(tmp_path):
    from coopwatch.cli import main

    assert main(["bench", "--scale", "--sizes", "4", "--modes", "extract-1", "--paragraphs", "2",
                 "--out", str(tmp_path)]) == 0
    table = (tmp_path / "scale.md").read_text()
    assert "| extract-1 | 4 |" in table and "words/doc" in table
    assert len((tmp_path / "run-4" / "extract1.jsonl").read_text().splitlines()) == 4
    # a size measured in a run of its own joins the table of the earlier run; the earlier rows stay
    assert main(["bench", "--scale", "--sizes", "3", "--modes", "extract-1", "--paragraphs", "2",
                 "--out", str(tmp_path / "later"), "--table", str(tmp_path)]) == 0
    rows = (tmp_path / "scale.csv").read_text().splitlines()
    assert [r.split(",")[:2] for r in rows[1:]] == [["extract-1", "3"], ["extract-1", "4"]]
    assert "| extract-1 | 3 |" in (tmp_path / "scale.md").read_text()


def test_two_processes_write_what_one_writes(tmp_path):
    from coopwatch.scale.bench import extract_parallel

    articles = tmp_path / "articles.jsonl"
    write_articles(articles, synthetic_articles(sources(), 20, seed=4, keep=2))
    assert extract_parallel(str(articles), str(tmp_path / "two.jsonl"), workers=2, chunk=3) == 20
    one = [json.loads(line) for line in (tmp_path / "two.jsonl").read_text().splitlines()]
    assert one == list(extract_articles(read_paths([articles])))  # same records, same order


def test_the_resolution_record_tells_stories_each_by_a_few_articles(extracted):
    """bench --scale's resolution record grows in stories, not in retellings: the articles telling one story are
    published within days and their events merge; stories drawn from one source article are told on other days
    in other words, so they stay apart."""
    from coopwatch.resolve import resolve
    from coopwatch.scale.bench import TOLD_BY, resolution_records

    base = [r for r in extracted.values() if "error" not in r and r.get("events") and r["language"] == "en"]
    records = list(resolution_records(base, 120, years=(2024, 2024)))
    story = {r["id"]: int(r["id"][3:9]) // TOLD_BY for r in records}
    for k in range(0, 120, TOLD_BY):
        days = sorted(date.fromisoformat(r["published"]) for r in records[k:k + TOLD_BY])
        assert (days[-1] - days[0]).days < TOLD_BY
    source_dates = {(e.get("date") or {}).get("value") for r in base for e in r["events"]} - {None}
    moved = {(e.get("date") or {}).get("value") for r in records for e in r["events"]} - {None}
    assert len(moved - source_dates) > len(moved) / 2  # events happen when their story does
    merged = [e for e in resolve(records).events if len(e.sources) > 1]
    assert len(merged) >= 20
    across = [e for e in merged if len({story[s["doc"]] for s in e.sources}) > 1]
    assert len(across) <= len(merged) / 5  # year-dated and undated events of one source's stories may meet
