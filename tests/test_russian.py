"""Russian articles (tests/fixtures/ru/) through the whole pipeline: one test per fact kind."""
from __future__ import annotations

from .conftest import one


def record(extracted, doc_id):
    r = extracted[doc_id]
    assert r["language"] == "ru" and not r["warnings"]
    return r


def test_entities_carry_country_canonical_and_role(extracted):
    r = record(extracted, "rosatom-tianwan")
    text = r["text"]
    rosatom = one(r["entities"], canonical="Rosatom")
    assert rosatom["type"] == "ORG" and rosatom["country"] == "RU"
    # both case forms ("Госкорпорация «Росатом»", "«Росатома»") are one entity, spans into the Russian text
    assert [text[a:b] for a, b in rosatom["mentions"]] == ["Госкорпорация «Росатом»", "Росатома"]
    cnnc = one(r["entities"], canonical="China National Nuclear Corporation")
    assert cnnc["country"] == "CN"
    xi = one(r["entities"], name="Си Цзиньпин")
    assert xi["type"] == "PERSON" and xi["country"] == "CN" and xi["role"] == "председатель КНР"
    likhachev = one(r["entities"], canonical="Alexey Likhachev")
    assert likhachev["country"] == "RU" and "генеральный директор" in likhachev["role"]


def test_inflected_person_is_one_entity(extracted):
    r = record(extracted, "sila-sibiri")
    miller = one(r["entities"], canonical="Alexei Miller")
    assert [r["text"][a:b] for a, b in miller["mentions"]] == ["Алексей Миллер", "Алексея Миллера"]


def test_figures_with_value_unit_and_qualifier(extracted):
    r = record(extracted, "sila-sibiri")
    for q in r["quantities"]:
        assert r["text"][q["span"][0]:q["span"][1]] == q["text"]
    assert one(r["quantities"], text="38 млрд кубометров")["value"] == 38_000_000_000
    assert one(r["quantities"], text="15,5 млрд")["value"] == 15_500_000_000
    projects = one(r["quantities"], text="более 290")
    assert projects["value"] == 290 and projects["qualifier"] == "more_than" and projects["unit"] == "projects"
    trade = one(r["quantities"], text="около 110 млрд долларов")
    assert trade["unit"] == "USD" and trade["qualifier"] == "about" and trade["value"] == 110_000_000_000
    people = one(r["quantities"], text="свыше 10 тыс.")
    assert people["value"] == 10_000 and people["qualifier"] == "more_than"
    assert not any(q["value"] in (2014, 2019, 2020, 2022) for q in r["quantities"])  # years are no figures


def test_quotes_with_speaker(extracted):
    r = record(extracted, "rosatom-tianwan")
    quote = one(r["quotes"], text="Сотрудничество с китайскими партнерами")
    assert quote["speaker"] == "Алексей Лихачев" and "генеральный директор" in quote["role"]
    assert r["text"][quote["span"][0]:quote["span"][1]] == quote["text"]
    # „ “ quotes and "По словам X, ..." attribution
    other = one(record(extracted, "sila-sibiri")["quotes"], text="поставки российского газа")
    assert other["speaker"] == "Алексей Миллер"
    # a name in «» is no quote
    assert not any(q["text"] in ("Росатом", "Сила Сибири") for q in r["quotes"])


def test_dates_resolved_against_publication(extracted):
    r = record(extracted, "rosatom-tianwan")  # published Thursday 2021-05-20
    launch = one(r["events"], type="launch", trigger="дали старт")
    assert launch["date"] == {"value": "2021-05-18", "precision": "day", "text": "Во вторник"}
    commissioning = one(r["events"], type="launch", trigger="ввод")  # "ввод ... запланирован на 2026-2028 годы"
    assert commissioning["status"] == "planned" and commissioning["date"]["value"] == "2026/2028"
    assert one(r["events"], type="agreement")["date"]["value"] == "2018-06"
    assert one(r["events"], type="pledge")["date"]["value"] == "2022-12"  # "в конце 2022 года"
    trade = one(record(extracted, "sila-sibiri")["events"], type="trade")
    assert trade["date"]["value"] == "2019/2020"  # "в 2019-2020 годах"


def test_events_with_type_sector_and_countries(extracted):
    r = record(extracted, "rosatom-tianwan")
    agreement = one(r["events"], type="agreement")
    assert agreement["plover"] == "AGREE" and agreement["sectors"] == ["nuclear"]
    assert sorted(agreement["countries"]) == ["CN", "RU"] and agreement["status"] == "completed"
    assert set(agreement["actors"]) == {"Госкорпорация «Росатом»", "Китайская национальная ядерная корпорация"}
    assert r["text"][agreement["span"][0]:agreement["span"][1]] == agreement["sentence"]
    supply = one(record(extracted, "sila-sibiri")["events"], trigger="поставил")
    assert supply["type"] == "supply" and "oil_gas" in supply["sectors"] and supply["date"]["value"] == "2022"


def test_wire_dateline_is_no_event_date_and_acronyms_are_known():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    r = extract_article(Article(id="tass", language="ru", published="2023-03-15", text=(
        "МОСКВА, 15 марта. /ТАСС/. Российская компания «Новатэк» и китайская CNPC подписали соглашение о поставках "
        "сжиженного природного газа. Поставки начнутся в 2024 году, сообщил председатель правления Леонид Михельсон.")))
    agreement = one(r["events"], type="agreement")
    assert agreement["date"] is None  # "15 марта" in the dateline is when TASS filed the report
    assert sorted(agreement["countries"]) == ["CN", "RU"]
    assert one(r["entities"], name="CNPC")["canonical"] == "China National Petroleum Corporation"
    supply = one(r["events"], type="supply")
    assert supply["date"]["value"] == "2024" and supply["status"] == "planned"


def test_unknown_organisation_takes_side_from_adjective_before_it():
    from coopwatch.document import Article
    from coopwatch.pipeline import extract_article

    r = extract_article(Article(id="sfera", language="ru", published="2023-03-15", text=(
        "Китайская компания «Синьтай» и российский холдинг «Сфера» подписали соглашение о производстве "
        "аккумуляторов для электромобилей.")))
    assert one(r["entities"], name="Сфера")["country"] == "RU"
    agreement = one(r["events"], type="agreement")
    assert sorted(agreement["countries"]) == ["CN", "RU"] and agreement["sectors"] == ["nev"]
