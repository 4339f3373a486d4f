"""Near-duplicate articles: exact copies by normalized-text hash, near copies by MinHash/LSH over word shingles.

A republication or a lightly edited copy (another outlet, a new headline, a cut ending) is linked to its
original: the most senior article it copies (earliest published, then smallest id), whatever the input order. Facts are then counted from
originals only (see `events.merge_events`).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .common import settings, stable_id, words


@dataclass
class DuplicateLink:
    id: str
    doc: str              # the copy
    original: str         # the article it copies
    kind: str             # "exact" (same normalized text) or "near" (MinHash Jaccard at or over the threshold)
    jaccard: float        # MinHash estimate of the word-shingle Jaccard similarity (1.0 for exact copies)
    containment: float    # share of the shorter text's shingles found in the other (a cut copy is near 1.0)
    threshold: float
    doc_title: str | None = None
    original_title: str | None = None
    doc_outlet: str | None = None
    original_outlet: str | None = None
    doc_published: str | None = None
    original_published: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class DuplicateResult:
    links: list[DuplicateLink] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)  # every candidate pair over the threshold, with its estimate

    @property
    def original_of(self) -> dict[str, str]:
        return {link.doc: link.original for link in self.links}

    def root_of(self, doc: str) -> str:
        """The first article of a chain of copies (a copy of a copy points at a copy)."""
        parents, seen = self.original_of, {doc}
        while doc in parents and parents[doc] not in seen:
            doc = parents[doc]
            seen.add(doc)
        return doc

    def copies_of(self, doc: str) -> list[str]:
        return [link.doc for link in self.links if link.original == doc]


def text_hash(text: str, tokens: list[str] | None = None) -> str:
    return hashlib.sha1(" ".join(words(text) if tokens is None else tokens).encode("utf-8")).hexdigest()


def shingles(text: str, k: int, tokens: list[str] | None = None) -> set[str]:
    tokens = words(text) if tokens is None else tokens
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)}


def seniority(record: dict) -> tuple:
    """Earliest published first (undated last), then the smallest id: which of two copies is the original."""
    published = record.get("published")
    return (published is None, published or "", record["id"])


def find_duplicates(records: Iterable[dict], threshold: float | None = None, shingle: int | None = None,
                    num_perm: int | None = None, containment: float | None = None) -> DuplicateResult:
    """Link every exact or near copy among `records` to the most senior article it copies.

    Two articles are a pair when they have the same normalized words (exact), or, both long enough, a Jaccard
    estimate at or over the threshold or most of the shorter text's shingles in the other (near). Each article
    points at the most senior article it pairs with, if that one is more senior than itself: the links do not
    depend on the order of `records`, and each is a pair over a threshold (the store does the same on ingest).
    """
    from datasketch import MinHashLSH

    conf = settings()["duplicates"]
    threshold = conf["threshold"] if threshold is None else threshold
    k = shingle or conf["shingle"]
    num_perm = num_perm or conf["num_perm"]
    docs = sorted((r for r in records if r.get("text") and "error" not in r), key=lambda r: r["id"])

    pairs: list[dict] = []
    pair_of: dict[frozenset, dict] = {}
    tokens = {r["id"]: words(r["text"]) for r in docs}
    digest = {r["id"]: text_hash(r["text"], tokens[r["id"]]) for r in docs}
    hashes: dict[str, list[str]] = {}
    for r in docs:
        hashes.setdefault(digest[r["id"]], []).append(r["id"])
    for group in hashes.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pair = {"a": a, "b": b, "kind": "exact", "jaccard": 1.0, "containment": 1.0}
                pairs.append(pair)
                pair_of[frozenset((a, b))] = pair

    # candidates come from a lower LSH band, so that a copy cut to a third of its original is still found
    containment = conf["containment"] if containment is None else containment
    lsh = MinHashLSH(threshold=min(threshold, conf["candidate_threshold"]), num_perm=num_perm)
    minhash: dict[str, MinHash] = {}
    shingle_sets: dict[str, set[str]] = {}
    for r in docs:
        doc = r["id"]
        shingle_sets[doc] = shingles(r["text"], k, tokens[doc])
        minhash[doc] = m = signature(shingle_sets[doc], num_perm)
        if len(tokens[doc]) < conf["min_words"]:
            continue  # short texts are only ever exact copies
        for other in sorted(lsh.query(m)):
            if frozenset((doc, other)) in pair_of:
                continue
            pair = near_pair(other, doc, minhash[other], m, shingle_sets[other], shingle_sets[doc], threshold,
                             containment)
            if pair:
                pairs.append(pair)
                pair_of[frozenset((doc, other))] = pair
        lsh.insert(doc, m)
    return link_pairs(docs, pairs, threshold)


def signature(shingle_set: set[str], num_perm: int | None = None):
    """The MinHash signature of a shingle set (seed 1: the store's signatures agree with it)."""
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm or settings()["duplicates"]["num_perm"], seed=1)
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m


def lsh_bands(threshold: float | None = None) -> tuple[int, int]:
    """The LSH bands (how many, and the rows of each) that find candidate pairs: datasketch's choice for the
    candidate threshold, lower than the near-copy threshold so that a copy cut to a third of its original is found.
    `find_duplicates` (datasketch's MinHashLSH), the store's index and spark-resolve band alike, so the three find
    the same candidates."""
    from datasketch.lsh import _optimal_param

    conf = settings()["duplicates"]
    threshold = conf["threshold"] if threshold is None else threshold
    return _optimal_param(min(threshold, conf["candidate_threshold"]), conf["num_perm"], 0.5, 0.5)


def band_keys(values: list[int], bands: int, rows: int) -> list[tuple[int, str]]:
    """A signature's (band, key) pairs: two articles are candidates when they share one."""
    return [(b, hashlib.sha1(json.dumps(values[b * rows:(b + 1) * rows]).encode()).hexdigest()) for b in range(bands)]


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    """The MinHash estimate of two signatures' Jaccard (what datasketch's `MinHash.jaccard` gives)."""
    return sum(1 for x, y in zip(a, b) if x == y) / len(a) if a else 0.0


def may_be_contained(jaccard: float, shingles_a: int, shingles_b: int, containment: float) -> bool:
    """Whether a pair's containment (the shorter text's shingles in the other) could reach `containment`, from its
    Jaccard estimate and the two shingle counts (a wide margin below): only then is the exact containment, which
    needs both texts' shingles, worth computing."""
    shorter = min(shingles_a, shingles_b)
    return bool(shorter) and jaccard * (shingles_a + shingles_b) / (1 + jaccard) / shorter >= containment - 0.2


def near_pair(a: str, b: str, sig_a, sig_b, shingles_a: set[str], shingles_b: set[str], threshold: float,
              containment: float) -> dict | None:
    """The near-copy test of one candidate pair: the MinHash Jaccard estimate at or over the threshold, or the
    shorter text's shingles mostly in the other. The pair record, or None."""
    estimate = round(sig_a.jaccard(sig_b), 3)
    contained = round(len(shingles_a & shingles_b) / min(len(shingles_a), len(shingles_b)), 3) \
        if shingles_a and shingles_b else 0.0
    if estimate >= threshold or contained >= containment:
        return {"a": a, "b": b, "kind": "near", "jaccard": estimate, "containment": contained}
    return None


def link_pairs(docs: Iterable[dict], pairs: list[dict], threshold: float) -> DuplicateResult:
    """Every article of a pair points at the most senior article it pairs with, if that one is more senior than
    itself (`docs`: at least the paired articles' records; an exact pair wins over a near one)."""
    by_id = {r["id"]: r for r in docs}
    rank = {d: seniority(by_id[d]) for p in pairs for d in (p["a"], p["b"])}
    pair_of: dict[frozenset, dict] = {}
    for pair in pairs:
        pair_of.setdefault(frozenset((pair["a"], pair["b"])), pair)
    partners: dict[str, list[str]] = {}
    for pair in pairs:
        partners.setdefault(pair["a"], []).append(pair["b"])
        partners.setdefault(pair["b"], []).append(pair["a"])
    result = DuplicateResult(pairs=pairs)
    for d in sorted(partners, key=rank.get):
        senior = [o for o in partners[d] if rank[o] < rank[d]]
        if not senior:
            continue
        original = min(senior, key=rank.get)
        pair = pair_of[frozenset((d, original))]
        o, c = by_id[original], by_id[d]
        result.links.append(DuplicateLink(
            id=stable_id("dup", d, original), doc=d, original=original, kind=pair["kind"], jaccard=pair["jaccard"],
            containment=pair["containment"], threshold=threshold, doc_title=c.get("title"),
            original_title=o.get("title"), doc_outlet=c.get("outlet"), original_outlet=o.get("outlet"),
            doc_published=c.get("published"), original_published=o.get("published")))
    return result
