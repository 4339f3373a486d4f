"""The benchmark measures the pipeline and the bare spaCy parse on the same articles (not a timed test), where the
time goes, how it grows with the article's length, and what two processes give."""
import re

from coopwatch.bench import benchmark

from .conftest import FIXTURES


def test_bench_reports_both_modes_their_ratio_the_components_growth_and_processes():
    report = benchmark([str(FIXTURES / "power-of-siberia.txt")], min_docs=2, processes=2, sizes=(200, 1_000))
    assert "articles: 2 (1 unique" in report and "load average" in report
    rows = {line.split("  ")[0]: line for line in report.splitlines()}
    for mode in ("bare spaCy parse", "coopwatch pipeline", "extract, 1 process", "extract, 2 processes"):
        numbers = re.findall(r"\d+(?:\.\d+)?", rows[mode].split("(")[0])
        docs, seconds, per_second, ms, load, peak = map(float, numbers[-6:])
        assert docs == 2 and seconds > 0 and per_second > 0 and ms > 0 and peak > 50
    assert re.search(r"pipeline time / bare parse time: \d+\.\d\dx", report)
    # every component with its ms/doc and share; the shares add up to the whole
    shares = {name: float(share) for name, share in re.findall(r"^(\w+)\s+\d+\.\d\d\s+(\d+\.\d)$", report, re.M)}
    assert {"tok2vec", "parser", "ner", "coop_lemmas", "coop_events"} <= set(shares)
    assert "attribute_ruler" not in shares and 99 <= sum(v for k, v in shares.items() if k != "coopwatch") <= 101
    assert re.search(r"interleaved \(four articles each in turn.*: \d+\.\d\dx", report)
    assert re.search(r"long / short, per word: pipeline \d+\.\d\dx, bare parse \d+\.\d\dx", report)
    assert re.search(r"speed-up with 2 processes: \d+\.\d\dx", report)
