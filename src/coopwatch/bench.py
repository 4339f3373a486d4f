"""`coopwatch bench`: throughput and memory of the whole pipeline, with a bare spaCy parse of the same
articles measured in the same run as the yardstick.

Each mode runs in a fresh child process, so its peak memory is its own; model loading is timed apart
from the documents.
"""
from __future__ import annotations

import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .document import Article


def load_articles(paths: list[str], min_docs: int, repeat: int | None) -> tuple[list[Article], int]:
    from .read import read_paths

    unique = [a for a in read_paths(paths) if isinstance(a, Article)]
    if not unique:
        raise SystemExit(f"coopwatch bench: no readable articles in {', '.join(paths)}")
    times = repeat or max(1, -(-min_docs // len(unique)))
    articles = [Article(**{**a.__dict__, "id": f"{a.id}#{n}"}) for n in range(times) for a in unique]
    return articles, len(unique)


def run_mode(mode: str, articles: list[Article]) -> dict:
    """One measurement, in the child process: seconds for the documents, load time, peak RSS."""
    started = time.perf_counter()
    if mode == "bare":
        from .clean import clean
        from .nlp.english import bare_parse

        nlp = bare_parse()
        texts = [clean(a).text for a in articles]  # the same text the pipeline parses
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    elif mode.startswith("language:"):  # one language's articles through its own pipeline (see per_language)
        import json

        from .pipeline import extract_articles, pipeline_for

        pipeline_for(mode.split(":", 1)[1])
        loaded = time.perf_counter()
        for record in extract_articles(articles):
            json.dumps(record, ensure_ascii=False)
    else:
        import json

        from .nlp.english import english
        from .pipeline import extract_articles

        english()
        loaded = time.perf_counter()
        for record in extract_articles(articles):
            json.dumps(record, ensure_ascii=False)
    done = time.perf_counter()
    return {"load_s": loaded - started, "seconds": done - loaded,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(mode: str, articles: list[Article]) -> dict:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_mode, mode, articles).result()


def benchmark(paths: list[str], min_docs: int = 200, repeat: int | None = None) -> str:
    articles, unique = load_articles(paths, min_docs, repeat)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    results = {mode: measure(mode, articles) for mode in ("bare", "pipeline")}
    n = len(articles)
    lines = [
        f"articles: {n} ({unique} unique from {', '.join(str(Path(p)) for p in paths)}), "
        f"{words:.0f} words each on average; one process, one core",
        f"{'mode':<22}{'docs':>6}{'seconds':>10}{'docs/s':>9}{'ms/doc':>9}{'load s':>8}{'peak MB':>9}",
    ]
    for mode, label in (("bare", "bare spaCy parse"), ("pipeline", "coopwatch pipeline")):
        r = results[mode]
        lines.append(f"{label:<22}{n:>6}{r['seconds']:>10.2f}{n / r['seconds']:>9.1f}"
                     f"{1000 * r['seconds'] / n:>9.1f}{r['load_s']:>8.2f}{r['peak_mb']:>9.0f}")
    ratio = results["pipeline"]["seconds"] / results["bare"]["seconds"]
    lines.append(f"pipeline time / bare parse time: {ratio:.2f}x")
    lines += per_language(articles)
    return "\n".join(lines)


# -- docs/s per language (issue #5): only printed when the articles are not all English -------------
def per_language(articles: list[Article]) -> list[str]:
    """Articles grouped by their language (given, or detected on the cleaned text) and each group timed through
    its own pipeline in its own process."""
    from .clean import clean
    from .language import detect_language
    from .pipeline import PIPELINES

    groups: dict[str, list[Article]] = {}
    for a in articles:
        language = (a.language or "").split("-")[0].lower() or detect_language(clean(a).text)
        groups.setdefault(language, []).append(Article(**{**a.__dict__, "language": language}))
    if set(groups) <= {"en"}:
        return []
    lines = ["per language (each its own pipeline, in its own process):",
             f"{'language':<22}{'docs':>6}{'seconds':>10}{'docs/s':>9}{'ms/doc':>9}{'load s':>8}{'peak MB':>9}"]
    for language, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if language not in PIPELINES:
            lines.append(f"{language or '?':<22}{len(group):>6}  (no pipeline: output with a warning, no facts)")
            continue
        r = measure("language:" + language, group)
        n = len(group)
        lines.append(f"{language:<22}{n:>6}{r['seconds']:>10.2f}{n / r['seconds']:>9.1f}"
                     f"{1000 * r['seconds'] / n:>9.1f}{r['load_s']:>8.2f}{r['peak_mb']:>9.0f}")
    return lines
