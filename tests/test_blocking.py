"""Blocking (issue 15): which earlier events a new event is compared with when the record is resolved.

An event is filed under keys of its type, date, object words and organisations, and meets the events it shares
enough keys with. Two promises are checked here on a record of real extractions retold on many days: blocking
never changes a result (every pair a merge rule joins meets), and a hot block — one actor's events of one type in
one year — is not compared pairwise.
"""
from __future__ import annotations

import pytest

from coopwatch.resolve import events as merging
from coopwatch.resolve.actors import resolve_actors
from coopwatch.resolve.common import date_compatible
from coopwatch.resolve.duplicates import find_duplicates
from coopwatch.resolve.events import compatible_dates


@pytest.fixture(scope="module")
def record(extracted) -> list[dict]:
    """The fixture articles retold 300 times within a year (bench's record: varied words, dates moved with the
    publication), so that many events share a type, an actor and a year, and some the same day."""
    from coopwatch.scale.bench import resolution_records

    base = [r for r in extracted.values() if "error" not in r and r.get("events")]
    return sorted(resolution_records(base, 300, years=(2024, 2024)), key=lambda r: r["id"])


@pytest.fixture(scope="module")
def resolved(record):
    return find_duplicates(record), resolve_actors(record)


def test_a_date_meets_its_year_its_month_and_the_days_within_it():
    assert {"2019", "2019-12", "2019-12-02"} <= set(compatible_dates("2019-12-02"))
    assert {"2019", "2019-12-02", "2019-12-31"} <= set(compatible_dates("2019-12"))
    assert {"2019-01", "2019-07-14", "2019-12"} <= set(compatible_dates("2019"))
    assert "2019-11-30" not in compatible_dates("2019-12") and "2020" not in compatible_dates("2019-12-02")
    assert compatible_dates("2019/2020") == ["2019/2020"]  # an interval meets only itself
    for date in ("2019", "2019-12", "2019-12-02"):
        assert all(date_compatible(date, other) for other in compatible_dates(date))


class _Everyone(merging.BlockIndex):
    """No blocking: every earlier event is a partner."""

    def partners(self, x):
        return list({y.key: y for ys in self.filed.values() for y in ys}.values())

    def file(self, x):
        self.filed.setdefault("all", []).append(x)


def test_blocking_never_changes_the_merged_events(record, resolved, monkeypatch):
    duplicates, actors = resolved
    blocked = [e.to_json() for e in merging.merge_events(record, actors, duplicates)]
    monkeypatch.setattr(merging, "BlockIndex", _Everyone)
    everyone = [e.to_json() for e in merging.merge_events(record, actors, duplicates)]
    assert blocked == everyone
    assert sum(len(e["sources"]) > 1 for e in blocked) >= 10  # the record does merge events


def test_a_hot_actor_type_and_year_is_not_compared_pairwise(record, resolved, monkeypatch):
    duplicates, actors = resolved
    compared = []
    compare = merging._compare
    monkeypatch.setattr(merging, "_compare", lambda a, b, conf: compared.append(1) or compare(a, b, conf))
    merging.merge_events(record, actors, duplicates, state=(state := {}))
    # what comparing every pair of a block (one type, one actor, one year) would cost
    blocks: dict[tuple, int] = {}
    for it in state["items"]:
        year = (merging._date_of(it) or "")[:4]
        for actor in it.actor_ids:
            blocks[(it.event["type"], actor, year)] = blocks.get((it.event["type"], actor, year), 0) + 1
    hottest = max(blocks.values())
    assert hottest >= 50  # a block worth splitting
    assert len(compared) < sum(n * (n - 1) // 2 for n in blocks.values()) / 10

