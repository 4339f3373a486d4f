"""Across articles (issue #4): duplicates, actors, merged events and projects on real extractions.

The fixtures (tests/fixtures/resolve/articles.jsonl, written from public facts, plus copies made by
make_copies.py) and the example articles go through the real extractor once per session.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("datasketch")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "resolve"


@pytest.fixture(scope="session")
def records(extracted) -> list[dict]:
    """The resolve fixtures (taken from the session's extraction of tests/fixtures when it holds them) and the
    example articles, through the real extractor."""
    from coopwatch.pipeline import extract_articles
    from coopwatch.read import read_paths

    ids = [json.loads(line)["id"] for line in open(FIXTURES / "articles.jsonl", encoding="utf-8") if line.strip()]
    paths = [ROOT / "examples"]
    if not all(i in extracted for i in ids):
        paths.append(FIXTURES / "articles.jsonl")
    out = [extracted[i] for i in ids if i in extracted and FIXTURES / "articles.jsonl" not in paths]
    out += list(extract_articles(read_paths(paths)))
    assert not [r for r in out if "error" in r]
    return out


@pytest.fixture(scope="session")
def res(records):
    from coopwatch.resolve import resolve

    return resolve(records)


def _precision_module():
    spec = importlib.util.spec_from_file_location("resolve_precision", FIXTURES / "precision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project(res, name):
    found = [p for p in res.projects if p.name == name]
    assert len(found) == 1, [p.name for p in res.projects]
    return found[0]


# ---- duplicates

def test_republished_copy_with_cut_ending_and_new_title_is_linked_to_its_original(res):
    links = {d.doc: d for d in res.duplicates.links}
    copy = links["r03-gas-contract-republished"]
    assert copy.original == "r01-gas-contract-xinhua" and copy.kind == "near"
    assert copy.doc_title != copy.original_title and copy.doc_outlet != copy.original_outlet
    assert 0.5 <= copy.jaccard < 1.0 and copy.containment > 0.9
    assert links["r04-gas-contract-exact"].original == "r02-gas-contract-wire"
    assert links["r04-gas-contract-exact"].kind == "exact"
    # lightly edited copies of the examples, published a day later, point back at them
    assert links["r20-pos-copy"].original == "02_power-of-siberia"
    assert links["r21-lunar-copy"].original == "08_lunar-station-cr929"
    # different articles about the same deal are not duplicates
    assert "r02-gas-contract-wire" not in links and "r01-gas-contract-xinhua" not in links


def test_the_duplicate_threshold_is_configurable(records):
    from coopwatch.resolve.duplicates import find_duplicates

    strict = {d.doc: d for d in find_duplicates(records, threshold=0.95, containment=1.01).links}
    assert "r03-gas-contract-republished" not in strict
    assert strict["r04-gas-contract-exact"].kind == "exact"


def test_the_lsh_bands_find_the_candidates_datasketch_finds(records):
    """The store and spark-resolve cut each signature into `lsh_bands` themselves, where `find_duplicates` asks
    datasketch's MinHashLSH: the articles sharing a band are exactly the candidates datasketch gives, on the
    fixtures and on 200 retellings of them (bench's record: many pairs sharing a few phrases)."""
    from datasketch import MinHashLSH

    from coopwatch.resolve.common import settings
    from coopwatch.resolve.duplicates import band_keys, lsh_bands, shingles, signature
    from coopwatch.scale.bench import resolution_records

    records = records + list(resolution_records([r for r in records if r.get("events")], 200))

    conf = settings()["duplicates"]
    bands, rows = lsh_bands()
    lsh = MinHashLSH(threshold=min(conf["threshold"], conf["candidate_threshold"]), num_perm=conf["num_perm"])
    assert (lsh.b, lsh.r) == (bands, rows)
    signatures = {r["id"]: signature(shingles(r["text"], conf["shingle"])) for r in records if r.get("text")}
    for doc, m in signatures.items():
        lsh.insert(doc, m)
    theirs = {frozenset((doc, other)) for doc, m in signatures.items() for other in lsh.query(m) if other != doc}
    sharing: dict[tuple, set] = {}
    for doc, m in signatures.items():
        for key in band_keys([int(v) for v in m.hashvalues], bands, rows):
            sharing.setdefault(key, set()).add(doc)
    ours = {frozenset((a, b)) for docs in sharing.values() for a in docs for b in docs if a != b}
    assert ours == theirs and len(ours) >= 20


def test_facts_of_copies_are_not_counted_again(res):
    copies = {d.doc for d in res.duplicates.links}
    assert not [s for e in res.events for s in e.sources if s["doc"] in copies]
    assert not [s for p in res.projects for s in p.sources if s["doc"] in copies]
    deal = next(e for e in res.events if e.type == "agreement" and e.date["value"] == "2014-05-21")
    assert {"r03-gas-contract-republished", "r04-gas-contract-exact"} <= set(deal.republished_in)


# ---- actors

def test_actor_rules_merge_spellings_with_their_evidence(res):
    by_name = {n: a for a in res.actors.actors.values() for n in a.names}
    assert by_name["Egorov Georgy"] is by_name["Georgy Egorov"]
    assert by_name["Sergei Volkov"] is by_name["Sergey Volkov"]
    assert by_name["Aleksey Orlov"] is by_name["Alexei Orlov"]
    assert by_name["Russian Joint Institute for Nuclear Research"] is by_name["Joint Institute for Nuclear Research"]
    assert by_name["Russian Fundamental Research Fund"].name == "Russian Foundation for Basic Research"
    rules = {m["rule"] for m in res.actors.merges}
    assert {"word_order", "transliteration", "country_prefix", "gazetteer", "acronym_defined"} <= rules
    for m in res.actors.merges:
        assert m["evidence"] and len(m["names"]) == 2


def test_two_gazetteer_actors_are_never_one(res):
    from coopwatch.extract.knowledge import knowledge

    k = knowledge()
    for actor in res.actors.actors.values():
        known = {k.actors[n].name for n in actor.names if n in k.actors}
        assert len(known) <= 1, actor.names
    people_and_orgs = [a for a in res.actors.actors.values() if a.type == "PERSON" and a.gazetteer is False]
    assert all(len({n.split()[0] for n in a.names}) <= 2 for a in people_and_orgs)


def test_a_bare_name_shared_by_two_actors_joins_neither(res):
    by_name = {n: a for a in res.actors.actors.values() for n in a.names}
    bare = by_name["Academy of Sciences"]
    assert bare is not by_name["Russian Academy of Sciences"] and bare is not by_name["Chinese Academy of Sciences"]
    assert by_name["Russian Academy of Sciences"] is not by_name["Chinese Academy of Sciences"]
    assert any(r["names"][0] == "Academy of Sciences" and r["refused"] == "ambiguous" for r in res.actors.refused)


# ---- events

def test_two_articles_about_one_agreement_give_one_event_with_both_sources(res):
    deal = [e for e in res.events if e.type == "agreement" and e.date["value"] == "2014-05-21"
            and "Gazprom" in e.actors]
    assert len(deal) == 1
    docs = [s["doc"] for s in deal[0].sources]
    assert {"r01-gas-contract-xinhua", "r02-gas-contract-wire"} <= set(docs)
    assert len(docs) == len(set(docs))
    for s in deal[0].sources:
        record_text = s["sentence"]
        assert record_text and s["span"][1] > s["span"][0]
    assert deal[0].merge and all(m["rule"] and m["evidence"]["shared_words"] for m in deal[0].merge)


def test_a_merged_event_takes_the_most_precise_date(res):
    shipment = next(e for e in res.events if e.type == "trade" and {s["doc"] for s in e.sources} >= {
        "r15-yamal-lng", "06_yamal-arctic-lng"})
    assert {s["date"] for s in shipment.sources} == {"2018-07", "2018-07-19"}
    assert shipment.date["value"] == "2018-07-19" and shipment.date["precision"] == "day"


def test_events_of_one_article_or_with_clashing_dates_stay_apart(res):
    from coopwatch.resolve.common import date_compatible

    for e in res.events:
        docs = [s["doc"] for s in e.sources]
        assert len(docs) == len(set(docs))
        dates = [s["date"] for s in e.sources if s["date"]]
        assert all(date_compatible(a, b) for a in dates for b in dates)


# ---- projects

def test_a_plant_told_across_four_articles_is_one_operating_project(res):
    plant = project(res, "Haval plant")
    docs = {s["doc"] for s in plant.sources}
    assert {"r05-haval-plans", "r06-haval-agreement", "r07-haval-construction", "r08-haval-production"} <= docs
    stages = [t["stage"] for t in plant.timeline if t["stage"]]
    assert stages == ["announced", "agreed", "under construction", "operating"]
    dates = [t["date"] for t in plant.timeline if t["stage"]]
    assert dates == sorted(dates)
    assert plant.status == "operating"
    assert "nev" in plant.sectors
    assert "Great Wall Motor" in plant.participants.get("CN", [])
    assert {f["unit"] for f in plant.figures} >= {"USD"}
    # the investment is told by three articles but counted once
    assert len([f for f in plant.figures if f["unit"] == "USD"]) == 1


def test_different_projects_in_one_sector_are_not_merged(res):
    yamal, arctic = project(res, "Yamal LNG"), project(res, "Arctic LNG 2")
    assert yamal.id != arctic.id and "oil_gas" in yamal.sectors and "oil_gas" in arctic.sectors
    assert not set(yamal.events) & set(arctic.events)
    # two plants: each keeps its units as components
    (tianwan,) = [p for p in res.projects if p.key == "tianwan power plant"]
    (xudapu,) = [p for p in res.projects if p.key == "xudabao power plant"]
    assert not set(tianwan.events) & set(xudapu.events)
    assert "Tianwan unit 7" in tianwan.names and not [n for n in tianwan.names if "Xudapu" in n]
    assert {"unit 7", "unit 8"} <= {c["name"] for c in tianwan.components}
    assert {c["name"] for c in xudapu.components} == {"unit 3", "unit 4"}
    # the same contract told by the example and by the fixture is one timeline entry
    signed = [t for t in tianwan.timeline if t["type"] == "agreement" and t["date"] == "2019-03"]
    assert len(signed) == 1 and set(signed[0]["docs"]) == {"01_tianwan-xudapu", "r09-tianwan-concrete"}
    assert signed[0]["components"] == ["unit 7", "unit 8"]


def test_ids_come_from_content(records, res):
    from coopwatch.resolve import resolve

    again = resolve(records)
    assert [e.id for e in again.events] == [e.id for e in res.events]
    assert [p.id for p in again.projects] == [p.id for p in res.projects]
    assert [d.id for d in again.duplicates.links] == [d.id for d in res.duplicates.links]
    # in another order only "first seen" ties (two copies published the same day) can change; names do not
    shuffled = resolve(list(reversed(records)))
    assert {p.id for p in shuffled.projects} == {p.id for p in res.projects}
    assert {a.id for a in shuffled.actors.actors.values()} == {a.id for a in res.actors.actors.values()}


def test_merge_precision_on_the_fixtures(res, capsys):
    counts = _precision_module().merge_precision(res)
    with capsys.disabled():
        print()
        for kind, c in counts.items():
            print(f"resolve merge precision {kind}: {c['correct']}/{c['merges']}"
                  + (f" = {c['precision']:.2f}" if c["merges"] else "") + (f" wrong: {c['wrong']}" if c["wrong"] else ""))
    for kind, c in counts.items():
        assert c["merges"] > 0, kind
        assert c["precision"] >= 0.9, (kind, c["wrong"])


# ---- the commands

def test_resolve_and_projects_commands(records, tmp_path, capsys):
    from coopwatch.cli import main

    source = tmp_path / "extractions.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "resolved"
    assert main(["resolve", str(source), "-o", str(out)]) == 0
    for name in ("duplicates.jsonl", "actors.jsonl", "events.jsonl", "projects.jsonl", "projects.csv", "review.md"):
        assert (out / name).stat().st_size > 0, name
    review = (out / "review.md").read_text(encoding="utf-8")
    assert "r03-gas-contract-republished" in review and "`word_order`" in review and "`actors+date`" in review
    assert "Haval plant — operating" in review
    projects = [json.loads(line) for line in open(out / "projects.jsonl", encoding="utf-8")]
    assert any(p["name"] == "Haval plant" and p["status"] == "operating" for p in projects)
    capsys.readouterr()
    assert main(["projects", str(source), "--sector", "nev", "--status", "operating", "--country", "CN"]) == 0
    listed = capsys.readouterr().out
    assert "Haval plant [operating]" in listed and "Yamal LNG" not in listed


# ---- projects a person would trust (issue 15), on articles written here

def _article(doc: str, published: str, sentence: str, actors: list[tuple[str, str, str | None]],
             event_type: str = "launch", date: str | None = None) -> dict:
    """One article of one sentence and one event; `actors` are (name, type, side)."""
    entities = []
    for name, kind, side in actors:
        at = sentence.find(name)
        entities.append({"name": name, "type": kind, "country": side, "role": None, "canonical": None,
                         "mentions": [[at, at + len(name)]] if at >= 0 else []})
    return {"id": doc, "published": published, "title": None, "text": sentence, "entities": entities,
            "quantities": [], "quotes": [],
            "events": [{"type": event_type, "plover": "COOPERATE", "sectors": ["nuclear"],
                        "date": {"value": date or published, "precision": "day", "text": None}, "status": "completed",
                        "actors": [a[0] for a in actors], "countries": sorted({a[2] for a in actors if a[2]}),
                        "sentence": sentence, "span": [0, len(sentence)], "trigger": "began", "confidence": 0.9}]}


def test_one_plant_under_two_transliterations_is_one_project():
    from coopwatch.resolve import resolve

    res = resolve([
        _article("p1", "2021-05-19", "Construction of the Xudapu power station began in May with Rosatom equipment.",
                 [("Rosatom", "ORG", "RU")]),
        _article("p2", "2023-03-02", "Work on the Xudabao power station began in March with Rosatom engineers on site.",
                 [("Rosatom", "ORG", "RU")], date="2023-03")])
    plants = [p for p in res.projects if "xudabao" in p.key]
    assert len(plants) == 1 and len(plants[0].events) == 2, [(p.name, p.key) for p in res.projects]
    assert {"Xudapu power station", "Xudabao power station"} <= set(plants[0].names)


def test_a_reactor_named_by_its_model_code_is_one_project():
    from coopwatch.resolve import resolve

    res = resolve([
        _article("c1", "2020-12-01", "The CFR-600 fast reactor began operation in December, CNNC said.",
                 [("CNNC", "ORG", "CN")]),
        _article("c2", "2022-01-10", "Fuel for the CFR-600 reactor began arriving from TVEL in January.",
                 [("TVEL", "ORG", "RU")], event_type="supply", date="2022-01")])
    assert [p.key for p in res.projects] == ["cfr 600"]
    assert len(res.projects[0].events) == 2


def test_bodies_of_a_state_are_no_projects_and_heads_of_state_no_participants():
    from coopwatch.resolve import resolve

    res = resolve([
        _article("s1", "2019-06-05", "The Standing Committee of the Political Bureau began a review of the "
                                     "programme in June.", [("Xi Jinping", "PERSON", "CN")]),
        _article("s2", "2019-06-06", "Xi Jinping and Vladimir Putin watched as Rosatom and CNNC began building "
                                     "the Tianwan power station by video link.",
                 [("Xi Jinping", "PERSON", "CN"), ("Vladimir Putin", "PERSON", "RU"), ("Rosatom", "ORG", "RU"),
                  ("CNNC", "ORG", "CN")])])
    assert not [p for p in res.projects if "committee" in p.key or "bureau" in p.key]
    (tianwan,) = [p for p in res.projects if p.key == "tianwan power plant"]
    people = {"Xi Jinping", "Vladimir Putin"}
    assert not people & {n for names in tianwan.participants.values() for n in names}
    assert "Rosatom" in tianwan.participants["RU"] and len(tianwan.participants["CN"]) == 1  # CNNC


def test_a_plants_units_are_its_components_however_they_are_told():
    """"Unit 3 of the X plant", "X units 5 and 6", "X NPP's unit 5", "X-6 reactor" and "the third and fourth units
    of X" are one project, the plant at X, whose units are components with their own status."""
    from coopwatch.resolve import resolve

    res = resolve([
        _article("u1", "2021-05-19", "Unit 3 of the Lindholm nuclear power plant began construction in May with "
                                     "Rosatom equipment.", [("Rosatom", "ORG", "RU")]),
        _article("u2", "2022-02-25", "First concrete was poured at Lindholm units 5 and 6 in February, CNNC said.",
                 [("CNNC", "ORG", "CN")]),
        _article("u3", "2023-03-02", "Work on the Lindholm NPP's unit 5 began in March with Rosatom engineers on "
                                     "site.", [("Rosatom", "ORG", "RU")], date="2023-03"),
        _article("u4", "2024-06-01", "The Lindholm-6 reactor began operation in June, feeding the grid, CNNC said.",
                 [("CNNC", "ORG", "CN")]),
        _article("u5", "2024-07-01", "Rosatom began building the third and fourth units of the Lindholm nuclear "
                                     "power station in July.", [("Rosatom", "ORG", "RU")])])
    (plant,) = res.projects
    assert plant.key == "lindholm power plant" and plant.name.startswith("Lindholm")
    assert len(plant.events) == 5
    status = {c["name"]: c["status"] for c in plant.components}
    assert status == {"unit 3": "under construction", "unit 4": "under construction", "unit 5": "under construction",
                      "unit 6": "operating"}
    assert plant.status == "operating"  # the furthest stage any of its units reached


def test_a_name_and_a_number_is_a_unit_only_at_a_plant():
    """"Soyuz-2" is no unit of a plant at Soyuz; "Lindholm-6" is one where the article names the Lindholm plant."""
    from coopwatch.resolve import resolve

    res = resolve([
        _article("h1", "2024-08-01", "The Soyuz-2 rocket began its flight in August, Roscosmos said.",
                 [("Roscosmos", "ORG", "RU")]),
        _article("h2", "2024-08-02", "Lindholm-6 began supplying power in August; the Lindholm NPP is run by CNNC.",
                 [("CNNC", "ORG", "CN")])])
    assert [(p.key, [c["name"] for c in p.components]) for p in res.projects] == [
        ("lindholm power plant", ["unit 6"])]


def test_units_at_two_sites_and_two_kinds_of_plant_stay_apart():
    """Units belong to the plant at their own site, and a hydropower plant is not the nuclear plant beside it."""
    from coopwatch.resolve import resolve

    res = resolve([
        _article("k1", "2020-04-01", "Rosatom began building units 1 and 2 at the Kestrel NPP in April.",
                 [("Rosatom", "ORG", "RU")]),
        _article("k2", "2020-09-01", "Rosatom began building units 1 and 2 at the Marten NPP in September.",
                 [("Rosatom", "ORG", "RU")]),
        _article("k3", "2020-05-01", "Construction of the Kestrel hydropower station began in May, PowerChina said.",
                 [("PowerChina", "ORG", "CN")])])
    assert sorted(p.key for p in res.projects) == ["kestrel hydropower plant", "kestrel power plant",
                                                  "marten power plant"]


def test_one_word_that_only_starts_a_sentence_names_no_project():
    from coopwatch.resolve import resolve

    res = resolve([_article("w1", "2021-01-01", "Stable pipeline supplies began in January, Gazprom said.",
                            [("Gazprom", "ORG", "RU")], event_type="supply")])
    assert res.projects == []


@pytest.mark.parametrize("sentence, expected", [
    ("Power units 1 and 2 of the Kestrel NPP were connected in May.", [("kestrel power plant", [1, 2])]),
    ("Rosatom's Akkuyu NPP began operation.", [("akkuyu power plant", [])]),
    ("The Tianwan Nuclear Power Plant began operation.", [("tianwan power plant", [])]),
    ("Rosatom units 1 and 2 started.", []),            # an organisation is no site
    ("Nuclear units 3 and 4 began operation.", []),    # nor a word of a plant's kind
    ("Stable power station output rose.", []),          # nor a capital that only starts the sentence
    ("The Soyuz-2 rocket started.", []),                # a name and a number is a unit only at a plant
    ("The Leningrad NPP-2 began operation.", []),       # another plant than the Leningrad NPP: no key of its
    ("The Kursk II NPP began operation.", [("kursk ii power plant", [])]),
])
def test_where_a_power_plant_and_its_units_are_named(sentence, expected):
    from coopwatch.extract.knowledge import knowledge
    from coopwatch.resolve.projects import plant_mentions

    found = [f for f in plant_mentions(sentence, knowledge()) if f.rule != "inner"]
    assert [(f.key, sorted(f.numbers)) for f in found] == expected


def test_a_name_of_generic_words_only_is_no_project():
    """"the Joint Research Centre" or "a Cooperation Programme" may be any two countries' own: two articles naming
    one need not mean the same undertaking, so neither becomes a project."""
    from coopwatch.resolve import resolve

    res = resolve([
        _article("g1", "2021-01-10", "Rosatom began work on the Joint Research Centre in January.",
                 [("Rosatom", "ORG", "RU")]),
        _article("g2", "2022-04-02", "Petrobras began work on the Cooperation Programme in April.",
                 [("Petrobras", "ORG", "BR")])])
    assert res.projects == []


def test_in_a_quotation_of_several_sentences_an_event_belongs_to_the_project_of_its_own_sentence():
    from coopwatch.resolve import resolve

    quote = ('"Work on units 1 and 2 of the Kestrel NPP is on track. Launching the Amber Lake solar farm will '
             'help the region," Putin said.')
    record = _article("q1", "2024-05-01", quote, [("Putin", "PERSON", "RU")])
    record["events"][0].update(type="launch", trigger="Launching", date={"value": None, "precision": None,
                                                                         "text": None}, status="planned")
    (project,) = resolve([record]).projects
    assert project.key == "amber lake solar"


def test_a_plants_site_is_no_participant_in_it():
    from coopwatch.resolve import resolve

    res = resolve([_article("s1", "2021-05-19", "Rosatom began building unit 3 of the Kestrel NPP in May.",
                            [("Rosatom", "ORG", "RU"), ("Kestrel", "ORG", None)])])
    (plant,) = res.projects
    assert plant.participants == {"RU": ["Rosatom"]}


def test_in_a_quotation_an_event_whose_sentence_names_no_project_joins_none():
    """The plant named a sentence before is no evidence: the event stays out of every project."""
    from coopwatch.resolve import resolve

    quote = ('"Work on units 1 and 2 of the Kestrel NPP is on track. Implementing the long-term programme we '
             'signed will help the region," Putin said.')
    record = _article("q2", "2024-05-01", quote, [("Putin", "PERSON", "RU")])
    record["events"][0].update(type="research", trigger="Implementing", date={"value": None, "precision": None,
                                                                              "text": None}, status="planned")
    assert resolve([record]).projects == []


def test_the_plant_after_a_plant_named_by_its_acronym_points_at_it():
    from coopwatch.resolve import resolve

    text = ("Rosatom signed a fuel contract for the Kestrel NPP on Monday. "
            "The first fuel for the plant began arriving in June, Rosatom said.")
    record = _article("a1", "2024-05-06", text, [("Rosatom", "ORG", "RU")], event_type="supply", date="2024-06")
    first = len("Rosatom signed a fuel contract for the Kestrel NPP on Monday. ")
    record["events"][0].update(sentence=text[first:], span=[first, len(text)])
    (plant,) = resolve([record]).projects
    assert plant.key == "kestrel power plant" and plant.assigned[0]["rule"] == "anaphor"
