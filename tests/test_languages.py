"""One actor named in English, Russian and Chinese articles is one actor: the same `canonical`."""
from __future__ import annotations


def canonicals(record: dict) -> dict[str, str]:
    return {e["canonical"]: e["name"] for e in record["entities"] if e["canonical"]}


def test_same_actor_across_languages(extracted):
    english = [r for r in extracted.values() if r.get("language") == "en" and "Rosatom" in canonicals(r)]
    assert english, "an English fixture names Rosatom"
    assert canonicals(extracted["rosatom-tianwan"])["Rosatom"] == "Госкорпорация «Росатом»"
    assert canonicals(extracted["zhong-e-he-dian"])["Rosatom"] == "俄罗斯国家原子能公司"
    for actor in ("China National Nuclear Corporation", "Alexey Likhachev"):
        assert actor in canonicals(extracted["rosatom-tianwan"]) and actor in canonicals(extracted["zhong-e-he-dian"])
    assert "Roscosmos" in canonicals(extracted["ilrs"])


def test_other_languages_still_warn(extracted):
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    out = extract_article(Article(id="de", text="Russland und China unterzeichneten gestern in Moskau ein Abkommen "
                                                "über die Zusammenarbeit im Bereich der Kernenergie.", language="de"))
    assert out["language"] == "de" and out["warnings"] and not out["events"]
