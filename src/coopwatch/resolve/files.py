"""The files of `coopwatch resolve`: extraction records read from JSON Lines, the resolution written out as
JSON Lines, CSV and a review page."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from .core import Resolution


def read_records(paths: Iterable[str]) -> list[dict]:
    out, seen = [], set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if r.get("id") in seen:
                        continue  # the same record read twice is one record
                    seen.add(r.get("id"))
                    out.append(r)
    return out


def _jsonl(path: Path, rows: Iterable[dict]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_outputs(res: Resolution, outdir: str | Path) -> dict[str, Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files = {name: outdir / name for name in
             ("duplicates.jsonl", "actors.jsonl", "events.jsonl", "projects.jsonl", "projects.csv", "review.md")}
    _jsonl(files["duplicates.jsonl"], (d.to_json() for d in res.duplicates.links))
    _jsonl(files["actors.jsonl"], (a.to_json() for a in res.actors.actors.values()))
    _jsonl(files["events.jsonl"], (e.to_json() for e in res.events))
    _jsonl(files["projects.jsonl"], (p.to_json() for p in res.projects))
    rows = [p.csv_row() for p in res.projects]
    with open(files["projects.csv"], "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["id", "name"])
        writer.writeheader()
        writer.writerows(rows)
    files["review.md"].write_text(review(res), encoding="utf-8")
    return files


def _clip(text: str | None, n: int = 220) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def review(res: Resolution) -> str:
    """Every merge, with its rule and the mentions or evidence behind it, for a person to check."""
    c = res.counts()
    lines = ["# coopwatch resolve: merges to review", "",
             f"{c['articles']} articles; {c['duplicate_links']} duplicate links ({c['exact_duplicates']} exact, "
             f"{c['near_duplicates']} near); {c['actors']} actors after {c['actor_merges']} actor merges "
             f"({c['actor_merges_refused']} refused); {c['events']} events, {c['merged_events']} of them told by "
             f"several articles ({c['event_merges']} event merges); {c['projects']} projects.", "",
             "Check each line: a wrong merge is worse than a missed one.", ""]
    lines += ["## 1. Duplicate articles", ""]
    if not res.duplicates.links:
        lines.append("None.")
    for d in res.duplicates.links:
        lines.append(f"- [ ] **{d.doc}** is a{'n' if d.kind == 'exact' else ''} {d.kind} copy of **{d.original}** (Jaccard ≈ "
                     f"{d.jaccard:.2f}, containment {d.containment:.2f}; threshold {d.threshold}): “{d.doc_title}” ({d.doc_outlet or '?'}, {d.doc_published or '?'}) "
                     f"← “{d.original_title}” ({d.original_outlet or '?'}, {d.original_published or '?'})")
    other_pairs = [p for p in res.duplicates.pairs if not any(
        {p["a"], p["b"]} == {d.doc, d.original} for d in res.duplicates.links)]
    if other_pairs:
        lines += ["", "Other pairs over the threshold (linked through their group's original):"]
        lines += [f"- {p['a']} ~ {p['b']} ({p['kind']}, Jaccard ≈ {p['jaccard']:.2f}"
                  + (f", containment {p['containment']:.2f}" if 'containment' in p else '') + ")" for p in other_pairs]
    lines += ["", "## 2. Actor merges", ""]
    merged = [a for a in res.actors.actors.values() if a.merges]
    if not merged:
        lines.append("None.")
    for a in sorted(merged, key=lambda a: a.name):
        lines.append(f"- **{a.name}** ({a.type}, {a.country or 'no side'}{', gazetteer' if a.gazetteer else ''}) "
                     f"— names: {' · '.join(a.names)}")
        for m in a.merges:
            lines.append(f"  - [ ] `{m['rule']}`: “{m['names'][0]}” = “{m['names'][1]}” — {m['evidence']}")
    if res.actors.refused:
        lines += ["", "Merges a rule proposed and a guard refused:"]
        for m in res.actors.refused:
            lines.append(f"- `{m['rule']}` “{m['names'][0]}” / “{m['names'][1]}”: {m['refused']} ({m['evidence']})")
    lines += ["", "## 3. Events told by several articles", ""]
    merged_events = [e for e in res.events if len(e.sources) > 1]
    if not merged_events:
        lines.append("None.")
    for e in merged_events:
        lines.append(f"- **{e.type}** {e.date.get('value') or 'undated'} — {', '.join(e.actors) or 'no actors'} "
                     f"— {len(e.sources)} sources (`{e.id}`)")
        for s in e.sources:
            lines.append(f"  - {s['doc']} [{s['span'][0]}:{s['span'][1]}] ({s['date'] or 'undated'}): "
                         f"“{_clip(s['sentence'])}”")
        for m in e.merge:
            ev = m["evidence"]
            lines.append(f"  - [ ] `{m['rule']}` {m['sources'][0]} + {m['sources'][1]}: dates {ev['dates']}, "
                         f"shared actors {ev['shared_actors'] and [res.actors.actors[a].name for a in ev['shared_actors']]}, "
                         f"shared words {ev['shared_words']} (Jaccard {ev['object_jaccard']})")
        if e.republished_in:
            lines.append(f"  - copies not counted again: {', '.join(e.republished_in)}")
    lines += ["", "## 4. Projects", ""]
    if not res.projects:
        lines.append("None.")
    for p in res.projects:
        sides = "; ".join(f"{side}: {', '.join(names)}" for side, names in p.participants.items())
        lines.append(f"### {p.name} — {p.status}")
        lines.append("")
        lines.append(f"`{p.id}` · sectors {', '.join(p.sectors) or '-'} · names {' · '.join(p.names) or p.key} · "
                     f"{len(p.events)} events from {len({s['doc'] for s in p.sources})} articles")
        lines.append(f"Participants: {sides or '-'}")
        lines.append("")
        assigned = {a["event"]: a for a in p.assigned}
        for t in p.timeline:
            a = assigned.get(t["event"], {})
            more = f" +{t['sources'] - 1} more sources" if t["sources"] > 1 else ""
            lines.append(f"- [ ] {t['date'] or 'undated'} · {t['stage'] or '-'} ({t['why'] or t['type']}) · "
                         f"{t['type']} · `{a.get('rule')}` “{a.get('mention')}” in {a.get('doc')}"
                         f"{more}: "
                         f"“{_clip(t['sentence'], 180)}”")
        for m in p.merges:
            lines.append(f"- [ ] `{m['rule']}` one event told twice: {m['dates'][0]} in {', '.join(m['docs'][0])} = "
                         f"{m['dates'][1]} in {', '.join(m['docs'][1])}: “{_clip(m['sentences'][1], 140)}”")
        if p.figures:
            lines.append("- figures: " + "; ".join(f"{f['text']} ({f['measure'] or f['unit']}, {f['date'] or 'undated'}"
                                                    f", {f['doc']})" for f in p.figures))
        lines.append("")
    return "\n".join(lines) + "\n"
