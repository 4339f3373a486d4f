"""The probe of wire-news sentences (tests/fixtures/probe/, written for this project, see scripts/probe.py): single
sentences about many country pairs and international organisations, each read alone as an article.

Cooperation told as news tells it (pledges, loans, visits, trade figures, named agreements, joint drills ...) must
mostly yield an event; conflict, demands, refusals and negated actions must almost never; a hypothetical yields
nothing or a planned event. The bars sit just under what the rules reach, so a rule that loses a kind of sentence
fails here. `heldout.jsonl` was written after the rules were tuned on `sentences.jsonl`, `heldout2.jsonl` after
those tuned on both, `heldout3.jsonl` (longer wire sentences) last; each was measured before any rule was changed
for it (0.80, 0.80 and 0.95 of their cooperation sentences then; none of their conflict sentences but one had an
event).
"""
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "probe.py"
spec = importlib.util.spec_from_file_location("probe", SCRIPT)
probe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(probe)


# the share of cooperation sentences each file reaches today, less a little
COOPERATION_BARS = {"sentences": 0.96, "heldout": 0.96, "heldout2": 0.92, "heldout3": 0.90}


@pytest.fixture(scope="module", params=sorted(COOPERATION_BARS))
def shares(request) -> dict[str, float]:
    return {"name": request.param,
            **probe.shares(probe.run(probe.load(probe.PROBE.parent / f"{request.param}.jsonl")))}


def test_most_cooperation_sentences_yield_an_event(shares):
    assert shares["cooperation"] >= COOPERATION_BARS[shares["name"]]


def test_conflict_demand_refusal_and_negation_almost_never_do(shares):
    assert shares["not_cooperation"] <= 0.02


def test_hypotheticals_are_planned_or_nothing(shares):
    assert shares["hypothetical_unplanned"] == 0


def test_events_found_have_the_expected_type_and_sides(shares):
    assert shares["type_of_found"] >= 0.95 and shares["sides_of_found"] >= 0.95


def test_the_probe_is_large_enough_to_mean_something():
    rows = probe.load()
    assert sum(r["coop"] is True for r in rows) >= 120 and sum(r["coop"] is False for r in rows) >= 80
