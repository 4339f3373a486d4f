"""What the Russian and Chinese pipelines read beyond trigger words (issue #5): verb forms by their lemma and
tense, negation, the clause a trigger sits in, talks and their topic, and the names and sides that events rest on.
The sentences are made up for the tests; none comes from the example articles."""
from __future__ import annotations

import pytest

from coopwatch.document import Article
from coopwatch.pipeline import extract_article

from .conftest import one


def extract(language: str, text: str, published: str = "2023-10-20", **fields) -> dict:
    return extract_article(Article(id=f"t-{language}", language=language, published=published, text=text, **fields))


@pytest.fixture(scope="module")
def russian() -> dict:
    return extract("ru", (
        "Китайская компания CATL и российская госкорпорация «Росатом» подпишут соглашение о выпуске аккумуляторов.\n\n"
        "«Газпром» и CNPC так и не подписали контракт о новом газопроводе, сообщил источник.\n\n"
        "В понедельник министр энергетики России встретился с китайскими коллегами в Пекине. Стороны обсудили "
        "поставки угля и запустили совместную рабочую группу.\n\n"
        "Китайская сторона профинансирует строительство завода в Приморском крае, а российская обеспечит поставки "
        "сырья.\n\n"
        "«Мы рассчитываем, что первые батареи сойдут с конвейера уже через два года», — заявил журналистам "
        "исполнительный директор совместного предприятия по производству батарей Ли Вэньбо."))


@pytest.fixture(scope="module")
def chinese() -> dict:
    return extract("zh", (
        "中俄企业签署锂电池合作协议\n\n"
        "中俄双方尚未签署新的供气合同。\n\n"
        "哈尔滨一所大学与俄罗斯一所大学联合建设的实验室今年正式揭牌，双方将共同开展新材料研究。\n\n"
        "一家咨询公司的分析师认为，“西伯利亚力量2号”仍需时间。保护区内的东北虎已增加到20只左右。\n\n"
        "俄罗斯科学院研究员玛丽娜·彼得罗娃表示：“我们希望今年12月前完成联合考察。”"))


def test_russian_verbs_in_any_form_with_their_tense(russian):
    agreement = one(russian["events"], type="agreement")
    assert agreement["trigger"] == "подпишут" and agreement["status"] == "planned"
    assert set(agreement["actors"]) >= {"CATL"}
    meeting = one(russian["events"], trigger="встретился")
    assert meeting["type"] == "meeting" and meeting["status"] == "completed"
    funding = one(russian["events"], type="funding")
    assert funding["status"] == "planned"  # "профинансирует": perfective, so future
    supply = one(russian["events"], trigger="поставки", sentence="Китайская сторона")
    assert supply["status"] == "planned"  # a noun trigger takes the tense of its clause's verb ("обеспечит")


def test_russian_negation_and_talks_topic(russian):
    assert not [e for e in russian["events"] if "так и не подписали" in e["sentence"]]
    talks = [e for e in russian["events"] if e["sentence"].startswith("Стороны обсудили")]
    assert sorted(e["type"] for e in talks) == ["launch", "meeting"]  # the coal supplies are the talks' topic


def test_russian_names_sides_and_long_attributions(russian):
    assert one(russian["entities"], name="CATL")["country"] == "CN"
    assert one(russian["events"], type="funding")["location"] == "Приморский край"  # a Russian region
    quote = one(russian["quotes"], text="первые батареи")
    assert quote["speaker"] == "Ли Вэньбо"  # after the verb, a long role between


def test_chinese_negation_clause_status_and_topic(chinese):
    assert not [e for e in chinese["events"] if "尚未签署" in e["sentence"]]
    opening = one(chinese["events"], trigger="揭牌")
    assert opening["type"] == "launch" and opening["status"] == "completed"  # "将" belongs to the next clause
    research = one(chinese["events"], trigger="研究")
    assert research["status"] == "planned"


def test_chinese_headline_names_figures_and_quotes(chinese):
    assert chinese["title"] == "中俄企业签署锂电池合作协议"
    assert not [e for e in chinese["entities"] if e["name"].endswith("咨询公司")]  # "一家咨询公司" is no name
    assert not [q for q in chinese["quantities"] if q["text"].startswith("一")]
    tigers = one(chinese["quantities"], value=20.0)
    assert tigers["qualifier"] == "about" and tigers["unit"] == "animals"
    assert not [q for q in chinese["quotes"] if "西伯利亚力量" in q["text"]]  # a name in quotation marks
    researcher = one(chinese["entities"], name="玛丽娜·彼得罗娃")  # "表示" is not part of the name
    assert researcher["country"] == "RU" and researcher["role"] == "研究员"
    assert one(chinese["quotes"], speaker="玛丽娜·彼得罗娃")["text"].startswith("我们希望")
    assert any(d["value"] == "2023-12" for d in [e["date"] for e in chinese["events"] if e["date"]])


def test_russian_wire_attributions_and_figures_reached():
    r = extract("ru", (
        "«Мы видим большой интерес партнеров к совместным проектам в Арктике». Об этом заявил журналистам "
        "вице-премьер России Александр Новак.\n\n"
        "Россия и Китай за год увеличили товарооборот на 26,3%, до $240,1 млрд, сообщил пресс-секретарь Кремля "
        "Дмитрий Песков."))
    assert one(r["quotes"], text="Мы видим")["speaker"] == "Александр Новак"
    reached = one(r["quantities"], unit="USD")
    assert reached["value"] == 240.1e9 and reached["qualifier"] == "exact"  # ", до ...": reached, not a ceiling
    trade = one(r["events"], type="trade")
    assert not {"Дмитрий Песков", "Кремль"} & set(trade["actors"])  # the source of the news, not a trader
