"""`coopwatch bench`: throughput and memory of the whole pipeline, with a bare spaCy parse of the same
articles measured in the same run as the yardstick; where the time goes (each component of the English pipeline,
ms/doc and %), how the cost grows with the article's length (ms per 1,000 words at about 800 and 12,000 words, both
against the bare parse), and the speed-up of several processes.

Each mode runs in a fresh child process, so its peak memory is its own; model loading is timed apart from the
documents, and one untimed pass over the unique articles comes first (the bare parse's vocabulary, the pipeline's
part-of-speech table, dateparser's parsers), so that every mode is timed warm.
"""
from __future__ import annotations

import multiprocessing
import os
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


def run_mode(mode: str, articles: list[Article], *args) -> dict:
    """One measurement, in the child process: seconds for the documents, load time, peak RSS."""
    started = time.perf_counter()
    unique = list({a.id.rsplit("#", 1)[0]: a for a in articles}.values())
    if mode == "bare":
        from .clean import clean
        from .nlp.english import bare_parse

        nlp = bare_parse()
        texts = [clean(a).text for a in articles]  # the same text the pipeline parses
        for _ in nlp.pipe([clean(a).text for a in unique], batch_size=16):
            pass
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    elif mode == "components":
        return component_times(articles, unique)
    elif mode == "growth":
        return growth(articles, *args)
    elif mode.startswith("processes:"):
        import json

        from .parallel import Extractor

        with Extractor(int(mode.split(":", 1)[1])) as extractor:
            for record in extractor.extract(unique * 2):  # start the workers, warm each one
                json.dumps(record, ensure_ascii=False)
            loaded = time.perf_counter()
            for record in extractor.extract(articles):
                json.dumps(record, ensure_ascii=False)
            done = time.perf_counter()
        return {"load_s": loaded - started, "seconds": done - loaded,
                "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    elif mode.startswith("language:"):  # one language's articles through its own pipeline (see per_language)
        import json

        from .pipeline import extract_articles, pipeline_for

        pipeline_for(mode.split(":", 1)[1])
        for record in extract_articles(unique):
            json.dumps(record, ensure_ascii=False)
        loaded = time.perf_counter()
        for record in extract_articles(articles):
            json.dumps(record, ensure_ascii=False)
    else:
        import json

        from .nlp.english import english
        from .pipeline import extract_articles

        english()
        for record in extract_articles(unique):
            json.dumps(record, ensure_ascii=False)
        loaded = time.perf_counter()
        for record in extract_articles(articles):
            json.dumps(record, ensure_ascii=False)
    done = time.perf_counter()
    return {"load_s": loaded - started, "seconds": done - loaded,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(mode: str, articles: list[Article], *args) -> dict:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_mode, mode, articles, *args).result()


def benchmark(paths: list[str], min_docs: int = 200, repeat: int | None = None, processes: int | None = None,
              sizes: tuple[int, int] = (800, 12_000)) -> str:
    """The report; `sizes`: the short and long article lengths of the growth figures, in words."""
    articles, unique = load_articles(paths, min_docs, repeat)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    processes = processes or max(2, _cores())
    load = os.getloadavg()
    results = {mode: measure(mode, articles) for mode in ("bare", "pipeline")}
    n = len(articles)
    lines = [
        f"articles: {n} ({unique} unique from {', '.join(str(Path(p)) for p in paths)}), "
        f"{words:.0f} words each on average; one process, one core; load average {load[0]:.1f} at the start",
        f"{'mode':<22}{'docs':>6}{'seconds':>10}{'docs/s':>9}{'ms/doc':>9}{'load s':>8}{'peak MB':>9}",
    ]
    for mode, label in (("bare", "bare spaCy parse"), ("pipeline", "coopwatch pipeline")):
        r = results[mode]
        lines.append(f"{label:<22}{n:>6}{r['seconds']:>10.2f}{n / r['seconds']:>9.1f}"
                     f"{1000 * r['seconds'] / n:>9.1f}{r['load_s']:>8.2f}{r['peak_mb']:>9.0f}")
    ratio = results["pipeline"]["seconds"] / results["bare"]["seconds"]
    lines.append(f"pipeline time / bare parse time: {ratio:.2f}x")
    lines += component_lines(measure("components", articles), 1000 * results["bare"]["seconds"] / n)
    lines += growth_lines(measure("growth", articles, sizes))
    lines += processes_lines(articles, processes, results["pipeline"])
    lines.append(f"load average at the end: {os.getloadavg()[0]:.1f} ({_cores()} cores)")
    lines += per_language(articles)
    return "\n".join(lines)


def _cores() -> int:
    from .parallel import default_processes

    return default_processes()


# -- where the time goes -----------------------------------------------------------------------------
def component_times(articles: list[Article], unique: list[Article]) -> dict:
    """In the child: each English component's seconds over the articles, one document at a time (after an
    untimed pass over the unique articles)."""
    from .nlp.english import english
    from .pipeline import _prepare

    nlp = english()
    english_docs = [doc for doc in (_prepare(a)[1] for a in articles) if doc is not None and doc.vocab is nlp.vocab]
    warm = {d.text: d for d in english_docs}
    totals: dict[str, float] = {}
    for timed, docs in ((False, list(warm.values())), (True, english_docs)):
        for source in docs:
            doc = nlp.make_doc(source.text)
            doc.user_data.update(source.user_data)
            for name, component in nlp.pipeline:
                started = time.perf_counter()
                doc = component(doc)
                if timed:
                    totals[name] = totals.get(name, 0.0) + time.perf_counter() - started
    return {"docs": len(english_docs), "seconds": totals}


def component_lines(result: dict, bare_ms: float) -> list[str]:
    n, seconds = result["docs"], result["seconds"]
    if not n:
        return []
    total = sum(seconds.values())
    ours = sum(v for k, v in seconds.items() if k.startswith("coop_") and k != "coop_lemmas")
    lines = [f"where the time goes (English, {n} docs, one document at a time, so spaCy's batching is lost: "
             f"{1000 * total / n:.1f} ms/doc against {bare_ms:.1f} for the batched bare parse):",
             f"{'component':<22}{'ms/doc':>9}{'%':>7}"]
    for name, value in seconds.items():
        lines.append(f"{name:<22}{1000 * value / n:>9.2f}{100 * value / total:>7.1f}")
    lines.append(f"{'coopwatch components':<22}{1000 * ours / n:>9.2f}{100 * ours / total:>7.1f}")
    return lines


# -- growth with the article's length ----------------------------------------------------------------
def growth(articles: list[Article], sizes: tuple[int, int] = (800, 12_000)) -> dict:
    """In the child: articles of about 800 and 12,000 words glued from the English articles, timed through the
    pipeline and the bare parse (warm: the long one once first)."""
    from .nlp.english import bare_parse, english
    from .pipeline import _prepare

    nlp, bare = english(), bare_parse()
    texts = list(dict.fromkeys(doc.text for doc in (_prepare(a)[1] for a in articles)
                               if doc is not None and doc.vocab is nlp.vocab))
    if not texts:
        return {}

    def glued(size: int) -> list[str]:
        out, current = [], []
        for k in range(10_000):
            current.append(texts[k % len(texts)])
            if sum(len(t.split()) for t in current) >= size:
                out.append("\n\n".join(current))
                current = []
                if k >= len(texts) - 1:
                    return out
        return out

    def run(text: str, parse) -> float:
        started = time.perf_counter()
        doc = parse.make_doc(text)
        doc.user_data["published"] = "2020-01-01"
        parse(doc)
        return time.perf_counter() - started

    sets = {size: glued(size)[:max(1, 6_000 // size)] for size in sizes}  # ~6,000 words, or one article
    run(sets[sizes[-1]][0], nlp)
    run(sets[sizes[-1]][0], bare)
    out: dict = {"interleaved": interleaved(articles, bare)}
    best = {(size, k, mode): float("inf") for size, items in sets.items() for k in range(len(items))
            for mode in ("pipeline", "bare")}
    for _ in range(3):  # each article through the pipeline and the bare parse in turn, its best of three each
        for size, items in sets.items():
            for k, text in enumerate(items):
                for mode, parse in (("pipeline", nlp), ("bare", bare)):
                    best[size, k, mode] = min(best[size, k, mode], run(text, parse))
    for size, items in sets.items():
        words = sum(len(t.split()) for t in items) / 1000
        out[size] = {"words": words * 1000 / len(items),
                     **{mode: sum(best[size, k, mode] for k in range(len(items))) / words for mode in ("pipeline", "bare")}}
    return out


def interleaved(articles: list[Article], bare, rounds: int = 3) -> dict:
    """The unique articles through the whole pipeline (`extract_articles`: cleaning, language, extraction, JSON)
    and through the bare parse (on the cleaned texts), four at a time through each in turn, in one process; the
    best time of each group over `rounds` rounds: on a busy machine a slower second then hits both."""
    import json

    from .clean import clean
    from .pipeline import extract_articles

    unique = list({a.id.rsplit("#", 1)[0]: a for a in articles}.values())
    texts = [clean(a).text for a in unique]
    starts = range(0, len(unique), 4)
    best = {mode: [float("inf")] * len(starts) for mode in ("pipeline", "bare")}
    for _ in range(rounds):
        for n, k in enumerate(starts):  # four articles through each, in turn; each group's best time
            started = time.perf_counter()
            for record in extract_articles(unique[k:k + 4]):
                json.dumps(record, ensure_ascii=False)
            middle = time.perf_counter()
            for _ in bare.pipe(texts[k:k + 4], batch_size=16):
                pass
            best["pipeline"][n] = min(best["pipeline"][n], middle - started)
            best["bare"][n] = min(best["bare"][n], time.perf_counter() - middle)
    return {"docs": len(unique), **{mode: sum(times) for mode, times in best.items()}}


def growth_lines(result: dict) -> list[str]:
    if not result:
        return []
    lines = []
    r = result.pop("interleaved", None)
    if r:
        lines.append(f"interleaved (four articles each in turn, one process), best of 3 rounds per group, {r['docs']} "
                     f"unique articles: pipeline "
                     f"{1000 * r['pipeline'] / r['docs']:.1f} ms/doc, bare parse {1000 * r['bare'] / r['docs']:.1f}: "
                     f"{r['pipeline'] / r['bare']:.2f}x")
    lines += ["growth with the article's length (ms per 1,000 words; each article through both in turn, best of three):",
             f"{'article':<22}{'pipeline':>10}{'bare':>8}{'ratio':>8}"]
    for size, r in result.items():
        lines.append(f"{'~%d words' % round(r['words'], -2):<22}{1000 * r['pipeline']:>10.0f}{1000 * r['bare']:>8.0f}"
                     f"{r['pipeline'] / r['bare']:>7.2f}x")
    small, large = result[min(result)], result[max(result)]
    lines.append(f"long / short, per word: pipeline {large['pipeline'] / small['pipeline']:.2f}x, "
                 f"bare parse {large['bare'] / small['bare']:.2f}x")
    return lines


# -- several processes ---------------------------------------------------------------------------------
def processes_lines(articles: list[Article], processes: int, one: dict) -> list[str]:
    r = measure(f"processes:{processes}", articles)
    n = len(articles)
    return [f"{processes} processes (coopwatch.parallel, workers warm):",
            f"{'mode':<22}{'docs':>6}{'seconds':>10}{'docs/s':>9}{'ms/doc':>9}{'load s':>8}{'peak MB':>9}",
            f"{'extract, 1 process':<22}{n:>6}{one['seconds']:>10.2f}{n / one['seconds']:>9.1f}"
            f"{1000 * one['seconds'] / n:>9.1f}{one['load_s']:>8.2f}{one['peak_mb']:>9.0f}",
            f"{f'extract, {processes} processes':<22}{n:>6}{r['seconds']:>10.2f}{n / r['seconds']:>9.1f}"
            f"{1000 * r['seconds'] / n:>9.1f}{r['load_s']:>8.2f}{r['peak_mb']:>9.0f}  (peak: the largest worker)",
            f"speed-up with {processes} processes: {one['seconds'] / r['seconds']:.2f}x"]


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
