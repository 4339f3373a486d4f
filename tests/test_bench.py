"""The benchmark measures the pipeline and the bare spaCy parse on the same articles (not a timed test)."""
import re

from coopwatch.bench import benchmark

from .conftest import FIXTURES


def test_bench_reports_both_modes_and_their_ratio():
    report = benchmark([str(FIXTURES / "power-of-siberia.txt")], min_docs=2)
    assert "articles: 2 (1 unique" in report
    rows = {line.split("  ")[0]: line for line in report.splitlines()}
    for mode in ("bare spaCy parse", "coopwatch pipeline"):
        numbers = re.findall(r"\d+(?:\.\d+)?", rows[mode])
        docs, seconds, per_second, ms, load, peak = map(float, numbers[-6:])
        assert docs == 2 and seconds > 0 and per_second > 0 and ms > 0 and peak > 50
    assert re.search(r"pipeline time / bare parse time: \d+\.\d\dx", report)
