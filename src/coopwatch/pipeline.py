"""Article in, extraction out: the per-article function that `extract`, `ingest` and Spark share.

`extract_articles` keeps input order, batches the spaCy work, and turns every failure into an
`error` record so that one bad article never stops the rest.
"""
from __future__ import annotations

import importlib
import traceback
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.tokens import Doc

from .clean import Cleaned, clean
from .document import Article, Extraction, ReadError
from .extract.text import KEY as TEXT_KEY
from .focus import in_focus
from .language import detect_language

BATCH_SIZE = 16
# language code -> "module:function" returning that language's spaCy pipeline (built once per process)
PIPELINES = {
    "en": "coopwatch.nlp.english:english",
    "ru": "coopwatch.nlp.russian:russian",
    "zh": "coopwatch.nlp.chinese:chinese",
}


def pipeline_for(language: str):
    module, function = PIPELINES[language].split(":")
    return getattr(importlib.import_module(module), function)()


def extract_article(article: Article) -> dict:
    """One article's extraction as a contract JSON object (or an error record)."""
    return next(extract_articles([article]))


def extract_articles(items: Iterable[Article | ReadError], batch_size: int = BATCH_SIZE,
                     focus: frozenset[str] | None = None) -> Iterator[dict]:
    """Extraction records in input order; events outside `focus` (see focus.py) go to `out_of_focus`."""
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        yield from _extract_batch(batch, focus)


def _extract_batch(batch: list[Article | ReadError], focus: frozenset[str] | None = None) -> list[dict]:
    results: list[dict | None] = [None] * len(batch)
    by_language: dict[str, list[tuple[int, Extraction, Doc]]] = {}
    for i, item in enumerate(batch):
        if isinstance(item, ReadError):
            results[i] = item.to_json()
            continue
        try:
            extraction, doc = _prepare(item)
        except Exception as e:  # a bug on one article is that article's error, not the batch's
            results[i] = _failure(item, "cleaning", e)
            continue
        if doc is None:
            results[i] = extraction.to_json()
        else:
            by_language.setdefault(extraction.language, []).append((i, extraction, doc))
    for language, queued in by_language.items():
        nlp = pipeline_for(language)
        try:
            docs = list(nlp.pipe([doc for _, _, doc in queued]))
        except Exception:
            docs = [None] * len(queued)  # find the one that fails by running them one by one
        for (i, extraction, doc), done in zip(queued, docs):
            try:
                done = done if done is not None else nlp(doc)
                results[i] = _fill(extraction, done, focus).to_json()
            except Exception as e:
                results[i] = _failure(batch[i], "extraction", e)
    return results  # type: ignore[return-value]


def _prepare(article: Article) -> tuple[Extraction, Doc | None]:
    cleaned: Cleaned = clean(article)
    language = (article.language or "").split("-")[0].lower() or detect_language(cleaned.text)
    extraction = Extraction(
        id=article.id, title=cleaned.title, url=article.url, outlet=article.outlet, published=cleaned.published,
        language=language, text=cleaned.text, removed=cleaned.removed, source=article.source,
    )
    if not cleaned.text.strip():
        extraction.warnings.append("no article text left after cleaning")
        return extraction, None
    if language not in PIPELINES:
        extraction.warnings.append(
            f"language {language or 'unknown'!r}: facts are not extracted for this language yet")
        return extraction, None
    doc = pipeline_for(language).make_doc(cleaned.text)
    doc.user_data[TEXT_KEY] = cleaned.text  # what Doc.text would join again from the tokens (extract/text.py)
    doc.user_data["published"] = cleaned.published
    doc.user_data["title"] = cleaned.title
    return extraction, doc


def _fill(extraction: Extraction, doc: Doc, focus: frozenset[str] | None = None) -> Extraction:
    extraction.entities = doc._.entities
    extraction.quantities = doc._.quantities
    extraction.quotes = doc._.quotes
    extraction.events = [e for e in doc._.events if in_focus(e.countries, focus)]
    extraction.out_of_focus = [e for e in doc._.events if not in_focus(e.countries, focus)]
    return extraction


def _failure(article: Article, stage: str, error: Exception) -> dict:
    where = traceback.extract_tb(error.__traceback__)[-1]
    return ReadError(article.id, article.source,
                     f"{stage} failed: {type(error).__name__}: {error} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
                     ).to_json()
