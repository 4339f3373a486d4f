"""Near-duplicate articles on ingest: each stored article's MinHash signature and LSH band keys live in the
database, so a new article meets only the stored articles that share a band with it (an indexed lookup, not a
comparison with every article), whichever run stored them.

The rules are those of `resolve.duplicates` (data/resolve.toml, [duplicates]): the same normalized words are an
exact copy; a near copy has a Jaccard estimate at or over the threshold, or most of the shorter text's shingles in
the other (a cut ending). A copy points at the most senior article it copies (earliest published, ties: the
smallest id), and is re-pointed when a more senior one arrives later: every link is a pair over a threshold, and
the links are the same whatever order the articles were ingested in.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, text, update

from ..resolve.common import settings, words
from ..resolve.duplicates import (band_keys, estimated_jaccard, lsh_bands, may_be_contained, shingles, signature,
                                  text_hash)
from . import schema as t


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
    conf = settings()["duplicates"]
    bands, rows = lsh_bands(threshold)
    return Settings(conf["threshold"] if threshold is None else threshold, conf["containment"], conf["shingle"],
                    conf["num_perm"], bands, rows, conf["min_words"])


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
    values = [int(v) for v in signature(shingle_set, s.num_perm).hashvalues]
    digest = text_hash(record["text"], tokens)
    conn.execute(t.document_signatures.insert().values(
        document_id=record["id"], text_hash=digest, shingles=len(shingle_set), signature=json.dumps(values)))
    if len(tokens) >= s.min_words:  # short texts are only ever exact copies
        conn.execute(t.document_bands.insert(), [{"band": b, "key": k, "document_id": record["id"]}
                                                 for b, k in band_keys(values, s.bands, s.rows)])
    return values, shingle_set, digest, tokens


def _link_one(conn: Connection, record: dict, s: Settings) -> set[str]:
    doc = record["id"]
    values, shingle_set, digest, tokens = sign(conn, record, s)
    return _settle(conn, doc, _qualifying(conn, doc, values, shingle_set, digest, len(tokens), s), s)


def _qualifying(conn: Connection, doc: str, values: list[int], shingle_set: set[str], digest: str, n_words: int,
                s: Settings, exclude: set[str] = frozenset()) -> dict[str, dict]:
    """Every stored article that `doc` is a copy of or copied by: the same text hash, or (texts long enough) a
    shared LSH band and a Jaccard estimate or containment at or over its threshold. Symmetric: what it finds
    does not depend on which of two articles was stored first."""
    found: dict[str, dict] = {}
    for other in conn.execute(select(t.document_signatures.c.document_id).where(
            t.document_signatures.c.text_hash == digest, t.document_signatures.c.document_id != doc)).scalars():
        if other not in exclude:
            found[other] = {"kind": "exact", "rule": "text_hash", "jaccard": 1.0, "containment": 1.0}
    if n_words < s.min_words:
        return found
    candidates = [c for c in _sharing_a_band(conn, doc, band_keys(values, s.bands, s.rows))
                  if c not in found and c not in exclude]
    for other, other_sig, other_count, other_text in _candidates(conn, candidates):
        jaccard = round(estimated_jaccard(values, other_sig), 3)
        contained = 0.0
        # the exact containment needs the other text's shingles: only for plausible pairs
        if may_be_contained(jaccard, len(shingle_set), other_count, s.containment):
            theirs = shingles(other_text, s.shingle)
            if shingle_set and theirs:
                contained = round(len(shingle_set & theirs) / min(len(shingle_set), len(theirs)), 3)
        if jaccard >= s.threshold or contained >= s.containment:
            found[other] = {"kind": "near", "rule": "jaccard" if jaccard >= s.threshold else "containment",
                            "jaccard": jaccard, "containment": contained}
    return found


def _settle(conn: Connection, doc: str, found: dict[str, dict], s: Settings) -> set[str]:
    """A copy points at the most senior article it copies (earliest published, then smallest id), if that one is
    more senior than itself; so the links are the same whatever order the articles arrived in, and every link is
    a pair over a threshold. A newcomer more senior than an article's current original takes its place."""
    if not found:
        return set()
    dup = t.document_duplicates.c
    seniority = {r.id: _seniority(dict(r._mapping)) for r in conn.execute(
        select(t.documents.c.id, t.documents.c.published).where(t.documents.c.id.in_(sorted({doc, *found}))))}
    current = dict(conn.execute(select(dup.document_id, dup.original_id).where(
        dup.document_id.in_(sorted(found)))).all())
    current_seniority = {r.id: _seniority(dict(r._mapping)) for r in conn.execute(
        select(t.documents.c.id, t.documents.c.published).where(t.documents.c.id.in_(sorted(set(current.values())))))}
    changed: set[str] = set()
    senior = [o for o in found if seniority[o] < seniority[doc]]
    if senior:
        original = min(senior, key=seniority.get)
        conn.execute(t.document_duplicates.insert().values(document_id=doc, original_id=original,
                                                           threshold=s.threshold, **found[original]))
        changed.add(doc)
    for other in sorted(o for o in found if seniority[o] > seniority[doc]):
        if other in current and current_seniority[current[other]] < seniority[doc]:
            continue  # it already copies an article more senior than this one
        conn.execute(delete(t.document_duplicates).where(dup.document_id == other))
        conn.execute(t.document_duplicates.insert().values(document_id=other, original_id=doc,
                                                           threshold=s.threshold, **found[other]))
        changed.add(other)
    return changed


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
    for doc_id, values, count, text_ in rows:
        yield doc_id, json.loads(values), count, text_


def forget(conn: Connection, ids: list[str], threshold: float | None = None) -> None:
    """Drop the signatures and links of documents about to be replaced or deleted; their copies are matched again
    against the articles that stay (so the links are those the record would have without them)."""
    dup = t.document_duplicates.c
    orphans = sorted(set(conn.execute(select(dup.document_id).where(dup.original_id.in_(ids))).scalars()) - set(ids))
    conn.execute(delete(t.document_duplicates).where(dup.document_id.in_(ids) | dup.original_id.in_(ids)))
    conn.execute(delete(t.document_bands).where(t.document_bands.c.document_id.in_(ids)))
    conn.execute(delete(t.document_signatures).where(t.document_signatures.c.document_id.in_(ids)))
    if not orphans:
        return
    s = duplicate_settings(threshold)
    sig = t.document_signatures.c
    for doc, digest, values, text_ in conn.execute(
            select(sig.document_id, sig.text_hash, sig.signature, t.documents.c.text)
            .join(t.documents, t.documents.c.id == sig.document_id).where(sig.document_id.in_(orphans))).all():
        tokens = words(text_)
        found = _qualifying(conn, doc, json.loads(values), shingles(text_, s.shingle, tokens), digest,
                            len(tokens), s, exclude=set(ids))
        _settle(conn, doc, found, s)
    is_copy = t.events.c.document_id.in_(select(dup.document_id))
    conn.execute(update(t.events).where(t.events.c.document_id.in_(orphans)).values(copied=is_copy))


def backfill(conn: Connection, threshold: float | None = None) -> int:
    """Sign and link the documents stored before this schema existed (a migrated database); returns how many."""
    signed = select(t.document_signatures.c.document_id)
    missing = conn.execute(select(t.documents.c.id, t.documents.c.text).where(t.documents.c.id.not_in(signed))
                           .order_by(t.documents.c.published, t.documents.c.id)).all()
    link_duplicates(conn, [{"id": d, "text": text} for d, text in missing], threshold)
    return len(missing)
