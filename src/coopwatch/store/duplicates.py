"""Near-duplicate articles on ingest: each stored article's MinHash signature and LSH band keys live in the
database, so a new article meets only the stored articles that share a band with it (an indexed lookup, not a
comparison with every article), whichever run stored them.

The rules are those of `resolve.duplicates` (data/resolve.toml, [duplicates]): the same normalized words are an
exact copy; a near copy has a Jaccard estimate at or over the threshold, or most of the shorter text's shingles in
the other (a cut ending). Every copy points at its group's original, the earliest published article (ties: the
smallest id), and a group's links are re-pointed when an earlier original arrives later.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, text

from ..resolve.common import settings, words
from ..resolve.duplicates import shingles, text_hash
from . import schema as t

SEED = 1  # the MinHash seed resolve.duplicates uses, so signatures agree with `coopwatch resolve`


@dataclass
class Settings:
    threshold: float
    containment: float
    shingle: int
    num_perm: int
    bands: int
    rows: int
    min_words: int


def duplicate_settings(threshold: float | None = None) -> Settings:
    from datasketch.lsh import _optimal_param

    conf = settings()["duplicates"]
    threshold = conf["threshold"] if threshold is None else threshold
    # the candidate band is lower than the threshold, so that a copy cut to a third of its original is found
    bands, rows = _optimal_param(min(threshold, conf["candidate_threshold"]), conf["num_perm"], 0.5, 0.5)
    return Settings(threshold, conf["containment"], conf["shingle"], conf["num_perm"], bands, rows, conf["min_words"])


def _minhash(shingle_set: set[str], num_perm: int):
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m


def _band_keys(values: list[int], s: Settings) -> list[tuple[int, str]]:
    return [(b, hashlib.sha1(json.dumps(values[b * s.rows:(b + 1) * s.rows]).encode()).hexdigest())
            for b in range(s.bands)]


def _jaccard(a: list[int], b: list[int]) -> float:
    return sum(1 for x, y in zip(a, b) if x == y) / len(a) if a else 0.0


def _seniority(doc: dict) -> tuple:
    return (doc["published"] is None, doc["published"] or "", doc["id"])


def link_duplicates(conn: Connection, records: list[dict], threshold: float | None = None) -> set[str]:
    """Sign the just stored `records` and link those that copy an article stored before (this batch included).

    Returns the ids of every document whose duplicate status changed, so their actors can be recounted.
    """
    s = duplicate_settings(threshold)
    changed: set[str] = set()
    for record in records:
        changed |= _link_one(conn, record, s)
    return changed


def sign(conn: Connection, record: dict, s: Settings) -> tuple[list[int], set[str], str, list[str]]:
    """Store the signature and band keys of one stored document; returns them for matching."""
    tokens = words(record["text"])
    shingle_set = shingles(record["text"], s.shingle, tokens)
    values = [int(v) for v in _minhash(shingle_set, s.num_perm).hashvalues]
    digest = text_hash(record["text"], tokens)
    conn.execute(t.document_signatures.insert().values(
        document_id=record["id"], text_hash=digest, shingles=len(shingle_set), signature=json.dumps(values)))
    if len(tokens) >= s.min_words:  # short texts are only ever exact copies
        conn.execute(t.document_bands.insert(), [{"band": b, "key": k, "document_id": record["id"]}
                                                 for b, k in _band_keys(values, s)])
    return values, shingle_set, digest, tokens


def _link_one(conn: Connection, record: dict, s: Settings) -> set[str]:
    doc = record["id"]
    values, shingle_set, digest, tokens = sign(conn, record, s)
    match: tuple[str, str, str, float, float] | None = None  # (candidate, kind, rule, jaccard, containment)
    exact = conn.execute(select(t.document_signatures.c.document_id).where(
        t.document_signatures.c.text_hash == digest, t.document_signatures.c.document_id != doc)
        .order_by(t.document_signatures.c.document_id).limit(1)).scalar()
    if exact is not None:
        match = (exact, "exact", "text_hash", 1.0, 1.0)
    elif len(tokens) >= s.min_words:
        candidates = _sharing_a_band(conn, doc, _band_keys(values, s))
        best = None
        for other, other_sig, other_count, other_text in _candidates(conn, candidates):
            jaccard = round(_jaccard(values, other_sig), 3)
            contained = 0.0
            # the exact containment needs the other text's shingles: only for plausible pairs
            estimated = jaccard * (len(shingle_set) + other_count) / (1 + jaccard)
            if min(len(shingle_set), other_count) and estimated / min(len(shingle_set), other_count) >= s.containment - 0.2:
                theirs = shingles(other_text, s.shingle)
                if shingle_set and theirs:
                    contained = round(len(shingle_set & theirs) / min(len(shingle_set), len(theirs)), 3)
            if jaccard >= s.threshold or contained >= s.containment:
                rule = "jaccard" if jaccard >= s.threshold else "containment"
                if best is None or (jaccard, contained) > best[3:]:
                    best = (other, "near", rule, jaccard, contained)
        match = best
    if match is None:
        return set()
    return _join_group(conn, doc, match, s)


def _sharing_a_band(conn: Connection, doc: str, keys: list[tuple[int, str]]) -> list[str]:
    """Stored documents other than `doc` with one of these band keys. One `band = ? AND key = ?` term per band,
    each a primary-key lookup, written as text: built as expressions the clause cost more than the lookups,
    and a row-value IN makes SQLite scan the table."""
    if not keys:
        return []
    terms = " OR ".join(f"(band = :b{i} AND key = :k{i})" for i in range(len(keys)))
    params = {"doc": doc, **{f"b{i}": b for i, (b, _) in enumerate(keys)}, **{f"k{i}": k for i, (_, k) in enumerate(keys)}}
    return sorted(set(conn.execute(text(f"SELECT document_id FROM document_bands WHERE document_id != :doc AND "
                                        f"({terms})"), params).scalars()))


def _candidates(conn: Connection, ids: list[str]):
    if not ids:
        return
    rows = conn.execute(select(t.document_signatures.c.document_id, t.document_signatures.c.signature,
                               t.document_signatures.c.shingles, t.documents.c.text)
                        .join(t.documents, t.documents.c.id == t.document_signatures.c.document_id)
                        .where(t.document_signatures.c.document_id.in_(ids))
                        .order_by(t.document_signatures.c.document_id))
    for doc_id, signature, count, text in rows:
        yield doc_id, json.loads(signature), count, text


def _join_group(conn: Connection, doc: str, match: tuple, s: Settings) -> set[str]:
    """Put `doc` in its match's group and point every member at the group's most senior article."""
    other, kind, rule, jaccard, contained = match
    dup = t.document_duplicates.c
    root = conn.execute(select(dup.original_id).where(dup.document_id == other)).scalar() or other
    members = {root, doc, *conn.execute(select(dup.document_id).where(dup.original_id == root)).scalars()}
    docs = [dict(r._mapping) for r in conn.execute(select(t.documents.c.id, t.documents.c.published)
                                                   .where(t.documents.c.id.in_(sorted(members))))]
    original = min(docs, key=_seniority)["id"]
    if original == root == other:  # the usual case: a copy of an original, measured already
        conn.execute(t.document_duplicates.insert().values(
            document_id=doc, original_id=root, kind=kind, rule=rule, jaccard=jaccard, containment=contained,
            threshold=s.threshold))
        return {doc}
    # matched through another copy, or an earlier article of the group arrived (it becomes the original):
    # every copy that changed is measured against the group's original
    relink = {doc} if original == root else members - {original}
    conn.execute(delete(t.document_duplicates).where(dup.document_id.in_(sorted(relink | {original}))))
    for member in sorted(relink):
        conn.execute(t.document_duplicates.insert().values(
            document_id=member, original_id=original, threshold=s.threshold, **_measure(conn, member, original, s)))
    return relink | {original}


def _measure(conn: Connection, copy: str, original: str, s: Settings) -> dict:
    sig = t.document_signatures.c
    found = {d: (h, json.loads(v), text) for d, h, v, text in conn.execute(
        select(sig.document_id, sig.text_hash, sig.signature, t.documents.c.text)
        .join(t.documents, t.documents.c.id == sig.document_id).where(sig.document_id.in_([copy, original])))}
    (hash_c, values_c, text_c), (hash_o, values_o, text_o) = found[copy], found[original]
    same = hash_c == hash_o
    estimate = 1.0 if same else round(_jaccard(values_c, values_o), 3)
    mine, theirs = shingles(text_c, s.shingle), shingles(text_o, s.shingle)
    contained = round(len(mine & theirs) / min(len(mine), len(theirs)), 3) if mine and theirs else 0.0
    # "group": linked through another copy of the group, not over a threshold against the original itself
    rule = ("text_hash" if same else "jaccard" if estimate >= s.threshold
            else "containment" if contained >= s.containment else "group")
    return {"kind": "exact" if same else "near", "rule": rule, "jaccard": estimate, "containment": contained}


def forget(conn: Connection, ids: list[str]) -> None:
    """Drop the signatures and links of documents about to be replaced or deleted; their copies stand alone
    until they are matched again."""
    dup = t.document_duplicates.c
    conn.execute(delete(t.document_duplicates).where(dup.document_id.in_(ids) | dup.original_id.in_(ids)))
    conn.execute(delete(t.document_bands).where(t.document_bands.c.document_id.in_(ids)))
    conn.execute(delete(t.document_signatures).where(t.document_signatures.c.document_id.in_(ids)))


def backfill(conn: Connection, threshold: float | None = None) -> int:
    """Sign and link the documents stored before this schema existed (a migrated database); returns how many."""
    signed = select(t.document_signatures.c.document_id)
    missing = conn.execute(select(t.documents.c.id, t.documents.c.text).where(t.documents.c.id.not_in(signed))
                           .order_by(t.documents.c.published, t.documents.c.id)).all()
    link_duplicates(conn, [{"id": d, "text": text} for d, text in missing], threshold)
    return len(missing)
