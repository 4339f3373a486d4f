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


def _event(date: str | None, words=("grid",)):
    from types import SimpleNamespace

    return SimpleNamespace(event={"type": "agreement", "date": {"value": date} if date else None},
                           objects=set(words), orgs=set())


def test_an_event_finds_each_event_of_a_compatible_date_once_per_shared_word():
    """A day's event finds its month's and year's, a year's finds its months' and days' — each once for each word
    they share, so that two shared words are two hits however precise the dates — and none of another month."""
    dates = ["2019", "2019-12", "2019-12-02", "2019-12-31", "2019-11", "2019-11-30", "2020", "2019/2020",
             "2019-12/2020"]
    for probe in dates:
        for filed in dates:
            hits = set(merging.probe_keys(_event(probe, ("grid", "loan")))) & set(
                merging.filing_keys(_event(filed, ("grid", "loan"))))
            assert len(hits) == (2 if date_compatible(probe, filed) else 0), (probe, filed)
    # an event of a year looks up a handful of keys per word, not one per day of the year
    assert len(merging.probe_keys(_event("2019"))) <= 2
    assert merging.coarser_dates("2019-12-02") == ["2019", "2019-12"] and merging.coarser_dates("2019/2020") == []


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



def test_comparing_two_events_reads_only_what_comparable_keeps(record, resolved):
    """spark-resolve ships `comparable(event)` with each pair it compares: the rules must decide the same on it."""
    from coopwatch.resolve.common import settings

    duplicates, actors = resolved
    merging.merge_events(record, actors, duplicates, state=(state := {}))
    items, conf = state["items"][:400], settings()["events"]
    merged = 0
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            found = merging._compare(a, b, conf)
            assert merging._compare(merging.comparable(a), merging.comparable(b), conf) == found
            merged += found is not None
    assert merged >= 10


def test_each_share_of_the_blocking_searched_alone_finds_every_mergeable_pair(record, resolved):
    """spark-resolve spreads the blocking by `block_of` (a type and date, or a type and organisation pair) and
    searches each share on its own: together they find exactly the mergeable pairs the whole index finds."""
    from coopwatch.resolve.common import settings
    from coopwatch.spark_resolve import _block_edges

    duplicates, actors = resolved
    merging.merge_events(record, actors, duplicates, state=(state := {}))
    items, conf = state["items"], settings()["events"]
    whole, index = set(), merging.BlockIndex(conf)
    for x in items:
        whole |= {(x.key, y.key) for y in index.partners(x) if merging._compare(y, x, conf)}
        index.file(x)
    shares: dict[str, list] = {}
    for it in items:
        for block in {merging.block_of(k) for k in (*merging.filing_keys(it), *merging.probe_keys(it))}:
            shares.setdefault(block, []).append(merging.comparable(it))
    found = {(junior, senior) for block in shares.items() for junior, senior, *_ in _block_edges(block, conf)}
    assert found == whole and len(whole) >= 50
    assert {b[0] for b in shares} == {"t", "o"} and max(map(len, shares.values())) < len(items) / 5
