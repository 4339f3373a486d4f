"""What the Russian pipeline reads from natasha's morphology and slovnet's dependency parse (issue #16): events from
a verb and its own object or subject, negation and refusal over what they govern, sides for any country in any case,
counts in words and multipliers, datelines and organisations glued to names, quotes attributed by role.
The sentences are made up for the tests; none comes from the dev gold."""
from __future__ import annotations

import pytest

from coopwatch.document import Article
from coopwatch.pipeline import extract_article

from .conftest import one


def extract(text: str, published: str = "2024-03-15") -> dict:
    return extract_article(Article(id="t-ru-syntax", language="ru", published=published, text=text))


@pytest.fixture(scope="module")
def project() -> dict:
    return extract(
        "АНКАРА, 14 марта. /ТАСС/. Россия и Турция утвердили дорожную карту по строительству второй АЭС.\n\n"
        "Возведение третьего энергоблока станции началось в 2022 году. Бетон в основание четвертого "
        "блока залили в прошлом месяце.\n\n"
        "Турецкая сторона так и не подписала контракт на поставку оборудования.\n\n"
        "Кроме того, партнеры отказались от строительства второго порта.\n\n"
        "Товарооборот между странами увеличился в 2,5 раза, а выработка на станции выросла втрое. "
        "Стороны построят три энергоблока и два учебных центра, мощность составит от 4 до 5 тысяч МВт. Одна "
        "компания и две стороны подписали документ.\n\n"
        "Министр энергетики Турции Али Йылмаз провел переговоры в Москве. «Мы рассчитываем завершить все работы "
        "на площадке к концу десятилетия», — сказал министр.")


def test_events_from_the_verb_and_its_own_object(project):
    plan = one(project["events"], trigger="утвердили")
    assert plan["type"] == "agreement" and set(plan["countries"]) == {"RU", "TR"}  # "Турция" and "турецкая" found
    start = one(project["events"], trigger="началось")  # a nominal start: the subject says what began
    assert start["type"] == "launch" and start["status"] == "completed"
    assert one(project["events"], trigger="залили")["type"] == "launch"  # the first concrete poured


def test_negation_and_refusal_cancel_what_they_govern(project):
    assert not [e for e in project["events"] if "так и не подписала" in e["sentence"]]
    assert not [e for e in project["events"] if "отказались от строительства" in e["sentence"]]


def test_future_building_is_a_planned_launch(project):
    build = one(project["events"], trigger="построят")
    assert build["type"] == "launch" and build["status"] == "planned"


def test_counts_in_words_multipliers_and_ranges(project):
    figures = project["quantities"]
    assert one(figures, text="2,5 раза")["unit"] == "times"
    assert one(figures, text="втрое")["value"] == 3
    units = one(figures, text="три энергоблока")
    assert units["value"] == 3 and units["unit"] == "units"
    assert one(figures, text="два учебных центра")["value"] == 2
    assert not [f for f in figures if f["text"].lower().startswith(("одна", "две стороны"))]  # "one"; the sides
    span = one(figures, text="от 4 до 5 тысяч МВт")
    assert span["value"] == 4000 and span["value_max"] == 5000 and span["unit"] == "MW"


def test_dateline_is_no_organisation_and_roles_name_speakers(project):
    assert not [e for e in project["entities"] if e["name"].upper() == "АНКАРА" and e["type"] == "ORG"]
    minister = one(project["entities"], name="Али Йылмаз")
    assert minister["country"] == "TR" and "министр" in minister["role"].lower()
    quote = one(project["quotes"], text="завершить все работы")
    assert quote["speaker"] == "Али Йылмаз"  # "— сказал министр": the minister named before


def test_an_organisation_before_a_role_holders_name_is_split_off():
    r = extract("Директор Росгидромета Иван Петров сообщил, что работы ведутся по плану.")
    assert one(r["entities"], name="Иван Петров")["type"] == "PERSON"
    assert not [e for e in r["entities"] if e["type"] == "PERSON" and "Росгидромет" in e["name"]]


@pytest.fixture(scope="module")
def speech() -> dict:
    return extract(
        "Министр промышленности Казахстана Марат Ахметов посетил завод в Китае.\n\n"
        "«Мы рассчитываем, что новый завод будет готов к концу года, — отметил он. — Уже сейчас на площадке работают "
        "сотни людей».\n\n"
        "Генеральный директор компании Ван Лэй заявил: «Наши инженеры готовы передать коллегам все технологии».\n\n"
        "Глава китайской корпорации Чжан Вэй выступил на форуме. «Нам предстоит построить еще три таких завода».")


def test_a_quotation_split_by_its_attribution_is_two_quotes_of_one_speaker(speech):
    first = one(speech["quotes"], text="Мы рассчитываем")
    second = one(speech["quotes"], text="Уже сейчас")
    assert first["speaker"] == second["speaker"] == "Марат Ахметов"  # "— отметил он, —": the minister named before
    assert "отметил" not in first["text"] + second["text"]


def test_quotes_after_a_colon_and_after_the_sentence_naming_the_speaker(speech):
    assert one(speech["quotes"], text="Наши инженеры")["speaker"] == "Ван Лэй"
    assert one(speech["quotes"], text="Нам предстоит")["speaker"] == "Чжан Вэй"
    assert [e["name"] for e in speech["entities"] if e["type"] == "PERSON" and "Чжан" in e["name"]] == ["Чжан Вэй"]


@pytest.fixture(scope="module")
def report() -> dict:
    return extract(
        "Египет и Россия утвердили план по АЭССКАИР, 19 мая. /ТАСС/. Египет и Россия утвердили дорожную карту по "
        "строительству атомной станции.\n\n"
        "В этом году исполняется 20 лет со дня подписания межправительственного соглашения о сотрудничестве.\n\n"
        "Экспорт египетского хлопка за год сократился в полтора раза. Египет в прошлом году импортировал 12 млн тонн "
        "пшеницы.")


def test_a_heading_glued_to_the_dateline_anniversaries_and_statistics_are_no_events(report):
    assert [(e["type"], e["trigger"]) for e in report["events"]] == [("agreement", "утвердили")]
    assert "КАИР" not in report["events"][0]["sentence"]
    assert not [e for e in report["entities"] if e["name"] in ("КАИР", "Каир") and e["type"] == "ORG"]


@pytest.fixture(scope="module")
def partners() -> dict:
    return extract(
        "Казахстанская компания «КазМунайГаз» и китайская CNPC запускают совместное производство полимеров в "
        "Атырауской области.\n\n"
        "Как отметил председатель правления «КазМунайГаза» Магзум Мирзагалиев, завод заработает в 2026 году. "
        "По его словам, «это крупнейший проект в нефтехимии страны за последние годы».\n\n"
        "Ранее CNPC приобрела 49% акций проекта.\n\n"
        "Глава Минэнерго Казахстана Алмасадам Саткалиев сообщил, что республика увеличит экспорт газа в Китай.")


def test_a_story_of_two_other_countries_keeps_its_own_sides(partners):
    assert one(partners["events"], trigger="запускают")["countries"] == ["KZ", "CN"]  # the region is not Russian
    assert one(partners["entities"], name="Магзум Мирзагалиев")["country"] == "KZ"  # his organisation's side
    assert one(partners["entities"], name="Алмасадам Саткалиев")["country"] == "KZ"  # "Минэнерго Казахстана"
    assert set(one(partners["events"], type="trade")["countries"]) == {"KZ", "CN"}
    assert one(partners["events"], trigger="приобрела")["type"] == "funding"  # buying a stake


def test_po_ego_slovam_quotes_the_person_named_before(partners):
    assert one(partners["quotes"], text="крупнейший проект")["speaker"] == "Магзум Мирзагалиев"


def test_organisation_names_in_the_nominative_head_first():
    r = extract("Заседание Высшего совета Евразийского союза прошло в Минске. Проверку провели сотрудники Службы по "
                "ветеринарному надзору.")
    names = {e["name"] for e in r["entities"] if e["type"] == "ORG"}
    assert "Служба по ветеринарному надзору" in names  # the head in the nominative, the rest as written
    assert not [n for n in names if "Высочайш" in n]


def test_present_openings_agreements_in_force_and_generic_names():
    r = extract("Белорусский холдинг «Белкоммунмаш» и китайская корпорация Yutong открывают в Минске совместное "
                "предприятие. Соглашение о свободной торговле между Белоруссией и Китаем вступило в силу в январе. "
                "Подписание соглашения о создании СП состоялось в Пекине.")
    assert one(r["events"], trigger="открывают")["type"] == "launch"
    assert [e["type"] for e in r["events"] if "свободной торговле" in e["sentence"]] == ["agreement"]
    assert not [e for e in r["entities"] if e["name"] == "СП"]


def test_first_vehicles_on_a_new_route_and_goods_handed_over_are_events():
    r = extract("Россия и Китай открыли новый железнодорожный маршрут. В понедельник первый поезд с лесом прибыл "
                "из Иркутска в Чэнду. Первые вагоны с техникой будут переданы китайской стороне в июле, а новые "
                "вертолеты будут переданы вьетнамской стороне в 2025 году.")
    assert one(r["events"], trigger="прибыл")["type"] == "launch"
    assert one(r["events"], trigger="переданы")["type"] == "supply"


def test_he_after_an_unnamed_source_is_nobody_named():
    r = extract("Контракт подписал глава госкорпорации Сергей Иванов.\n\nОдин из источников агентства назвал сделку "
                "рекордной. «Такого объема поставок в отрасли еще не было», — подчеркнул он.")
    assert not [q for q in r["quotes"] if "Такого объема" in q["text"]]


def test_a_figure_measures_the_subject_of_the_verb_it_completes():
    r = extract("Стоимость нового моста между Россией и Китаем составила 19 млрд рублей.")
    assert one(r["quantities"], text="19 млрд рублей")["measure"].startswith("Стоимость")


def test_seasons_are_their_months():
    r = extract("Этой осенью Россия и Узбекистан начнут строительство станции. Первый бетон зальют весной 2026 года.",
                published="2025-06-10")
    assert one(r["events"], trigger="начнут")["date"]["value"] == "2025-09/2025-11"
    assert one(r["events"], sentence="Первый бетон")["date"]["value"] == "2026-03/2026-05"
