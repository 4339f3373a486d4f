"""Chinese articles (tests/fixtures/zh/) through the whole pipeline: one test per fact kind."""
from __future__ import annotations

from .conftest import one


def record(extracted, doc_id):
    r = extracted[doc_id]
    assert r["language"] == "zh" and not r["warnings"]
    return r


def test_entities_from_gazetteer_and_patterns(extracted):
    r = record(extracted, "zhong-e-he-dian")
    text = r["text"]
    rosatom = one(r["entities"], canonical="Rosatom")
    assert rosatom["name"] == "俄罗斯国家原子能公司" and rosatom["country"] == "RU"
    assert all(text[a:b] == "俄罗斯国家原子能公司" for a, b in rosatom["mentions"])
    # an organisation name found by its suffix, its side from the place in it... or the gazetteer
    jiangsu = one(r["entities"], name="江苏核电有限公司")
    assert jiangsu["type"] == "ORG" and jiangsu["country"] == "CN"
    xi = one(r["entities"], name="习近平")
    assert xi["role"] == "国家主席" and xi["country"] == "CN"
    likhachev = one(r["entities"], name="阿列克谢·利哈乔夫")  # a title before a transliterated name
    assert likhachev["type"] == "PERSON" and likhachev["country"] == "RU"
    assert likhachev["role"] == "总裁" and likhachev["organization"] == "俄罗斯国家原子能公司"
    assert not any(e["name"] in ("签署", "四台") for e in r["entities"])


def test_figures_with_value_unit_and_qualifier(extracted):
    r = record(extracted, "zhong-e-he-dian")
    for q in r["quantities"]:
        assert r["text"][q["span"][0]:q["span"][1]] == q["text"]
    money = one(r["quantities"], text="超过200亿元人民币")
    assert money["value"] == 20_000_000_000 and money["unit"] == "CNY" and money["qualifier"] == "more_than"
    power = one(r["quantities"], text="约300亿千瓦时")
    assert power["value"] == 30_000_000_000 and power["unit"] == "kWh" and power["qualifier"] == "about"
    projects = one(record(extracted, "ilrs")["quantities"], text="超过10个")
    assert projects["value"] == 10 and projects["qualifier"] == "more_than"
    assert not any(q["text"].startswith(("30多", "2030")) for q in record(extracted, "ilrs")["quantities"])


def test_quotes_with_speaker(extracted):
    r = record(extracted, "zhong-e-he-dian")
    quote = one(r["quotes"], text="中俄核能合作是两国战略合作")
    assert quote["speaker"] == "阿列克谢·利哈乔夫" and quote["role"] == "总裁"
    assert r["text"][quote["span"][0]:quote["span"][1]] == quote["text"]
    corner = one(record(extracted, "ilrs")["quotes"], text="国际月球科研站将向所有")  # 「 」 quotes
    assert corner["speaker"] == "张克俭" and corner["organization"] == "中国国家航天局"


def test_dates_resolved_against_publication(extracted):
    r = record(extracted, "zhong-e-he-dian")  # published Thursday 2021-05-20
    launch = one(r["events"], type="launch")
    assert launch["date"] == {"value": "2021-05-11", "precision": "day", "text": "上周二"}  # Tuesday of last week
    assert one(r["events"], type="agreement")["date"]["value"] == "2018-06"
    assert one(r["events"], trigger="同意")["date"]["value"] == "2021-12"  # 今年年底
    ilrs = record(extracted, "ilrs")  # published Friday 2021-03-12
    assert one(ilrs["events"], type="agreement")["date"]["value"] == "2021-03-09"  # 本周二


def test_events_with_type_sector_and_countries(extracted):
    r = record(extracted, "ilrs")
    agreement = one(r["events"], type="agreement")
    assert agreement["plover"] == "AGREE" and "aerospace" in agreement["sectors"]
    assert sorted(agreement["countries"]) == ["CN", "RU"] and agreement["status"] == "completed"
    assert {"中国国家航天局", "俄罗斯国家航天集团"} <= set(agreement["actors"])
    assert r["text"][agreement["span"][0]:agreement["span"][1]] == agreement["sentence"]
    launch = one(record(extracted, "zhong-e-he-dian")["events"], type="launch")
    assert launch["sectors"][0] == "nuclear" and launch["location"] == "田湾"


def test_wire_dateline_and_day_of_month():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    r = extract_article(Article(id="xinhua", language="zh", published="2023-03-15", text=(
        "新华社北京3月14日电 中国石油天然气集团有限公司13日与俄罗斯诺瓦泰克公司签署液化天然气长期购销协议。"
        "根据协议，俄方将每年向中方供应300万吨液化天然气。")))
    agreement = one(r["events"], type="agreement")
    assert agreement["date"]["value"] == "2023-03-13"  # "13日", not the dateline's 3月14日
    supply = one(r["events"], type="supply")
    assert supply["status"] == "planned" and sorted(supply["countries"]) == ["CN", "RU"]
    tonnes = one(r["quantities"], text="300万吨")
    assert tonnes["value"] == 3_000_000 and tonnes["unit"] == "tonnes" and tonnes["measure"] == "液化天然气"
