"""Run the English pipeline on the probe of wire-news sentences and print the shares and the misses.

The probe (tests/fixtures/probe/sentences.jsonl, written for this project) holds single sentences about many country
pairs and international organisations: cooperation ("coop": true, with the expected type or types and sides),
conflict, demands, refusals and negations ("coop": false) and hypotheticals ("coop": "planned": no event, or only
planned ones). Each sentence is read alone as an article published on 2024-03-14.

    PYTHONPATH=src python scripts/probe.py [--verbose]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

PROBE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "probe" / "sentences.jsonl"


def load(path: Path = PROBE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(rows: list[dict]) -> list[tuple[dict, list[dict]]]:
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    return [(row, extract_article(Article(id=f"probe-{i}", text=row["text"], published="2024-03-14",
                                          source="probe"))["events"]) for i, row in enumerate(rows)]


def shares(results: list[tuple[dict, list[dict]]]) -> dict[str, float]:
    """Share of cooperation sentences with an event; of the others with one (hypotheticals: with an event that is
    not planned); of cooperation sentences whose events include the expected type, and the expected sides."""
    coop = [(r, e) for r, e in results if r["coop"] is True]
    other = [(r, e) for r, e in results if r["coop"] is False]
    hypo = [(r, e) for r, e in results if r["coop"] == "planned"]
    found = [(r, e) for r, e in coop if e]

    def typed(r, e):
        want = r.get("type")
        return want is None or any(x["type"] in (want if isinstance(want, list) else [want]) for x in e)

    def sided(r, e):
        return any(set(r["sides"]) <= set(x["countries"]) for x in e)
    return {"cooperation": len(found) / len(coop),
            "not_cooperation": sum(1 for _, e in other if e) / len(other),
            "hypothetical_unplanned": sum(1 for _, e in hypo if any(x["status"] != "planned" for x in e)) / max(1, len(hypo)),
            "type_of_found": sum(typed(r, e) for r, e in found) / max(1, len(found)),
            "sides_of_found": sum(sided(r, e) for r, e in found) / max(1, len(found))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also list wrong types and sides")
    args = parser.parse_args()
    results = run(load())
    print("MISSED cooperation:")
    for r, e in results:
        if r["coop"] is True and not e:
            print(f"  [{r['kind']}] {r['text']}")
    print("EVENTS on conflict, demand, refusal, negation (or unplanned hypotheticals):")
    for r, e in results:
        if (r["coop"] is False and e) or (r["coop"] == "planned" and any(x["status"] != "planned" for x in e)):
            print(f"  [{r['kind']}] {r['text']} -> {[(x['type'], x['trigger'], x['status']) for x in e]}")
    if args.verbose:
        print("FOUND with another type or other sides:")
        for r, e in results:
            if r["coop"] is True and e:
                want = r.get("type")
                wants = want if isinstance(want, list) else [want]
                if (want and not any(x["type"] in wants for x in e)) or not any(
                        set(r["sides"]) <= set(x["countries"]) for x in e):
                    print(f"  [{r['kind']}] {r['text']} -> {[(x['type'], x['countries']) for x in e]} "
                          f"want {want} {r['sides']}")
    s = shares(results)
    n_coop = sum(1 for r, _ in results if r["coop"] is True)
    n_other = sum(1 for r, _ in results if r["coop"] is False)
    print(f"cooperation sentences with an event: {s['cooperation']:.3f} (of {n_coop})")
    print(f"conflict/demand/refusal/negated sentences with an event: {s['not_cooperation']:.3f} (of {n_other})")
    print(f"hypotheticals with an unplanned event: {s['hypothetical_unplanned']:.3f}")
    print(f"found with an expected type: {s['type_of_found']:.3f}; with the expected sides: {s['sides_of_found']:.3f}")


if __name__ == "__main__":
    main()
