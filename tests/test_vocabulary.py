"""Each vocabulary lives in one data file: a sector or an event type added there (here through COOPWATCH_DATA, as a
user would) is extracted, stored, filtered by the API and drawn by the chart without touching any code."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "coopwatch" / "data"

SCRIPT = r"""
import json, sys
from fastapi.testclient import TestClient
from coopwatch.document import Article
from coopwatch.pipeline import extract_articles
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from coopwatch.web.app import create_app

text = ("Chile and Australia signed an agreement on copper mines in the Atacama on Monday. "
        "Chilean engineers will apprentice with Australian firms under the programme.")
[record] = extract_articles([Article(id="a", text=text, published="2024-03-14", source="t")])
engine = open_engine(sys.argv[1]); migrate(engine)
stored = ingest_records(engine, [record]).stored
client = TestClient(create_app(sys.argv[1]))
print(json.dumps({
    "events": [(e["type"], e["plover"], e["sectors"]) for e in record["events"]],
    "stored": stored,
    "by_sector": client.get("/api/events", params={"sector": "mining"}).json()["total"],
    "by_type": client.get("/api/events", params={"type": "apprenticeship"}).json()["total"],
    "chart": "#b8860b" in client.get("/").text,
}))
"""


def test_a_sector_and_an_event_type_added_in_data_alone_work_everywhere(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sectors.toml").write_text((DATA / "sectors.toml").read_text(encoding="utf-8").replace(
        "[sectors]\n", '[sectors]\nmining = ["copper mine*", "mining"]\n').replace(
        "[colours]\n", '[colours]\nmining = "#b8860b"\n'), encoding="utf-8")
    (data / "event_types.toml").write_text((DATA / "event_types.toml").read_text(encoding="utf-8") + (
        '\n[types.apprenticeship]\nplover = "COOPERATE"\nverbs = ["apprentice"]\nverbs_alone = ["apprentice"]\n'
        'status = "planned"\n'), encoding="utf-8")
    env = {**os.environ, "COOPWATCH_DATA": str(data)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "record.db")], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert ["agreement", "AGREE", ["mining"]] in out["events"]
    assert any(kind == "apprenticeship" and plover == "COOPERATE" for kind, plover, _ in out["events"])
    assert out["stored"] == 1 and out["by_sector"] >= 1 and out["by_type"] == 1 and out["chart"]


# ---- project statuses and stages: one vocabulary (data/project_stages.toml)

STAGES_SCRIPT = r"""
import json, sys
from fastapi.testclient import TestClient
from coopwatch.document import Article
from coopwatch.pipeline import extract_articles
from coopwatch.store.db import open_engine
from coopwatch.store.ingest import ingest_records
from coopwatch.store.migrations import migrate
from coopwatch.store.resolution import update
from coopwatch.web.app import create_app

text = ("Rosatom and CNNC began the trial run of the Lindholm nuclear power plant on Monday, "
        "the two companies said.")
[record] = extract_articles([Article(id="a", text=text, published="2024-03-14", source="t")])
engine = open_engine(sys.argv[1]); migrate(engine)
ingest_records(engine, [record])
update(engine)
client = TestClient(create_app(sys.argv[1]))
listed = client.get("/api/projects", params={"status": "trial run"}).json()
page = client.get(f"/projects/{listed['items'][0]['id']}").text if listed.get("items") else ""
print(json.dumps({
    "statuses": [p["status"] for p in listed.get("items", [])],
    "form": 'value="trial run"' in client.get("/projects").text,
    "colour": "#a0522d" in page,
}))
"""


def test_a_project_stage_added_in_data_alone_is_reached_stored_filtered_and_drawn(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = (DATA / "project_stages.toml").read_text(encoding="utf-8")
    text = text.replace('"under construction", "operating"', '"under construction", "trial run", "operating"', 1)
    text = text.replace("[colours]\n", '[colours]\n"trial run" = "#a0522d"\n', 1)
    first_rule = text.index("[[rules]]")
    text = text[:first_rule] + '[[rules]]\nstage = "trial run"\ntypes = ["launch"]\nwords = ["trial run"]\n\n' + \
        text[first_rule:]
    (data / "project_stages.toml").write_text(text, encoding="utf-8")
    env = {**os.environ, "COOPWATCH_DATA": str(data)}
    result = subprocess.run([sys.executable, "-c", STAGES_SCRIPT, str(tmp_path / "record.db")], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"statuses": ["trial run"], "form": True, "colour": True}


def test_no_project_status_is_written_outside_its_data_file():
    """No code after extraction (resolution, store, web, spark, scale, the command line) and no template or script
    the browser gets names a project status: they read them from data/project_stages.toml (templates and JS through
    the server). Extraction (extract/, nlp/) is left out: its "completed" and "suspended" are an event's status and
    a word list's name, another vocabulary that happens to share two words."""
    import ast

    from coopwatch.data import project_statuses

    statuses = set(project_statuses())
    src = DATA.parent
    found = []
    for path in src.rglob("*.py"):
        if path.relative_to(src).parts[0] in ("data", "extract", "nlp"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in statuses:
                found.append(f"{path.relative_to(src)}:{node.lineno} {node.value!r}")
    for path in [*src.glob("web/templates/*.html"), *src.glob("web/static/*.js")]:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(src)} {s!r}" for s in statuses
                  if f'"{s}"' in text or f"'{s}'" in text or f">{s}<" in text]
    assert not found, found


def test_no_rule_names_an_event_type_or_a_sector_in_code():
    """The rules that single out event types read which types they apply to from `[roles]` in event_types.toml, and
    no code, template or script names a sector: a type or a sector added, renamed or given a role in data is one
    change in one file. (A word that happens to spell a type, such as the verb lemma "launch" in a word list, is
    no rule about the type: only comparisons and look-ups count.)"""
    import ast

    from coopwatch.data import event_type_names, sector_names

    types, sectors = set(event_type_names()), set(sector_names())
    src = DATA.parent
    found = []
    for path in src.rglob("*.py"):
        if path.relative_to(src).parts[0] == "data":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in sectors:
                found.append(f"{path.relative_to(src)}:{node.lineno} sector {node.value!r}")
            looked_at = []
            if isinstance(node, ast.Compare):
                looked_at = [node.left, *node.comparators]
            elif isinstance(node, ast.Subscript):
                looked_at = [node.slice]
            for part in looked_at:
                constants = [part] if isinstance(part, ast.Constant) else \
                    list(part.elts) if isinstance(part, (ast.Tuple, ast.List, ast.Set)) else []
                found += [f"{path.relative_to(src)}:{c.lineno} type {c.value!r}" for c in constants
                          if isinstance(c, ast.Constant) and c.value in types]
    for path in [*src.glob("web/templates/*.html"), *src.glob("web/static/*.js")]:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(src)} {name!r}" for name in types | sectors
                  if f'"{name}"' in text or f"'{name}'" in text]
    assert not found, found
