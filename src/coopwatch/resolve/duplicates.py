"""Near-duplicate articles: exact copies by normalized-text hash, near copies by MinHash/LSH over word shingles.

A republication or a lightly edited copy (another outlet, a new headline, a cut ending) is linked to its
original: the earliest published article of its group, else the first one seen. Facts are then counted from
originals only (see `events.merge_events`).
"""
from __future__ import annotations

import hashlib
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

    def copies_of(self, doc: str) -> list[str]:
        return [link.doc for link in self.links if link.original == doc]


def text_hash(text: str, tokens: list[str] | None = None) -> str:
    return hashlib.sha1(" ".join(words(text) if tokens is None else tokens).encode("utf-8")).hexdigest()


def shingles(text: str, k: int, tokens: list[str] | None = None) -> set[str]:
    tokens = words(text) if tokens is None else tokens
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)}


def find_duplicates(records: Iterable[dict], threshold: float | None = None, shingle: int | None = None,
                    num_perm: int | None = None, containment: float | None = None) -> DuplicateResult:
    """Link every exact or near copy among `records` to its original."""
    from datasketch import MinHash, MinHashLSH

    conf = settings()["duplicates"]
    threshold = conf["threshold"] if threshold is None else threshold
    k = shingle or conf["shingle"]
    num_perm = num_perm or conf["num_perm"]
    docs = [r for r in records if r.get("text") and "error" not in r]
    order = {r["id"]: i for i, r in enumerate(docs)}
    by_id = {r["id"]: r for r in docs}

    def seniority(doc_id: str):  # earliest published first, then first seen
        published = by_id[doc_id].get("published")
        return (published is None, published or "", order[doc_id])

    parent = {d: d for d in by_id}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs: list[dict] = []
    exact: dict[str, str] = {}
    hashes: dict[str, list[str]] = {}
    tokens = {r["id"]: words(r["text"]) for r in docs}
    digest = {r["id"]: text_hash(r["text"], tokens[r["id"]]) for r in docs}
    for r in docs:
        hashes.setdefault(digest[r["id"]], []).append(r["id"])
    for group in hashes.values():
        for other in group[1:]:
            parent[find(other)] = find(group[0])
            exact[other] = group[0]
            pairs.append({"a": group[0], "b": other, "kind": "exact", "jaccard": 1.0})

    # candidates come from a lower LSH band, so that a copy cut to a third of its original is still found;
    # a pair is a near copy when its Jaccard estimate reaches the threshold, or when nearly all of the shorter
    # text's shingles are in the longer one (containment: a cut ending)
    containment = conf["containment"] if containment is None else containment
    lsh = MinHashLSH(threshold=min(threshold, conf["candidate_threshold"]), num_perm=num_perm)
    hashes_by_doc: dict[str, MinHash] = {}
    shingle_sets: dict[str, set[str]] = {}
    for r in docs:
        shingle_sets[r["id"]] = shingles(r["text"], k, tokens[r["id"]])
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingle_sets[r["id"]]])
        if r["id"] in exact or len(tokens[r["id"]]) < conf["min_words"]:
            hashes_by_doc[r["id"]] = m  # for the estimates only: an exact copy is already linked
            continue
        for other in sorted(lsh.query(m), key=order.get):
            estimate = round(m.jaccard(hashes_by_doc[other]), 3)
            a, b = shingle_sets[r["id"]], shingle_sets[other]
            contained = round(len(a & b) / min(len(a), len(b)), 3) if a and b else 0.0
            if estimate >= threshold or contained >= containment:
                pairs.append({"a": other, "b": r["id"], "kind": "near", "jaccard": estimate,
                              "containment": contained})
                parent[find(r["id"])] = find(other)
        lsh.insert(r["id"], m)
        hashes_by_doc[r["id"]] = m

    groups: dict[str, list[str]] = {}
    for d in by_id:
        groups.setdefault(find(d), []).append(d)
    result = DuplicateResult(pairs=pairs)
    for members in groups.values():
        if len(members) < 2:
            continue
        original = min(members, key=seniority)
        for d in sorted(members, key=seniority):
            if d == original:
                continue
            if digest[d] == digest[original]:
                kind, estimate = "exact", 1.0
            else:
                kind = "near"
                estimate = round(hashes_by_doc[d].jaccard(hashes_by_doc[original]), 3)
            a, b = shingle_sets[d], shingle_sets[original]
            contained = round(len(a & b) / min(len(a), len(b)), 3) if a and b else 0.0
            o, c = by_id[original], by_id[d]
            result.links.append(DuplicateLink(
                id=stable_id("dup", d, original), doc=d, original=original, kind=kind, jaccard=estimate,
                containment=contained, threshold=threshold, doc_title=c.get("title"), original_title=o.get("title"),
                doc_outlet=c.get("outlet"), original_outlet=o.get("outlet"), doc_published=c.get("published"),
                original_published=o.get("published")))
    return result
