"""How the Chinese pipeline reads names (Baidu's LAC beside suffix and title rules), figures (spans, Chinese
numerals by cn2an), quotes (short ones, speakers named around them) and events (one per clause, nominal starts,
shipments, status and sector of the trigger's own clause). Every sentence here is made up for the test."""
from __future__ import annotations

import pytest

from coopwatch.document import Article
from coopwatch.pipeline import extract_article

from .conftest import one


def extract(text: str, published: str = "2024-05-20") -> dict:
    return extract_article(Article(id="t-zh", language="zh", published=published, text=text))


def names(record: dict, kind: str) -> list[str]:
    return [e["name"] for e in record["entities"] if e["type"] == kind]


@pytest.fixture(scope="module")
def names_article() -> dict:
    return extract(
        "塞中铁路合作稳步推进\n\n"
        "新华社贝尔格莱德5月18日电（记者 赵明远）\n\n"
        "中国驻塞尔维亚大使孙立伟表示，两国合作前景广阔。塞尔维亚矿业与能源部长杜布拉夫卡·乔尔杰维奇接受采访时说，"
        "项目进展顺利。\n\n"
        "乘客米莉察在诺维萨德站等车。俄罗斯“北方铁路物流公司”当天发布消息。据塞尔维亚通讯社报道，"
        "《政治报》也刊登了评论。\n\n"
        "该项目得到贝尔格莱德市政府和交通局的支持。中国新能源汽车企业比亚迪参加了展会。能源格局正在变化，"
        "公司产品全部出口，其欧洲总部设在当地。")


def test_people_are_split_from_their_titles_and_the_verbs_after_them(names_article):
    people = names(names_article, "PERSON")
    assert "杜布拉夫卡·乔尔杰维奇" in people and "孙立伟" in people and "赵明远" in people
    assert not any(p.endswith(("接受采访", "表示", "说")) or p.startswith(("部长", "大使")) for p in people)


def test_an_envoy_takes_the_side_he_serves_and_a_foreign_name_the_partner(names_article):
    assert one(names_article["entities"], name="孙立伟")["country"] == "CN"  # "中国驻塞尔维亚大使"
    minister = one(names_article["entities"], name="杜布拉夫卡·乔尔杰维奇")
    assert minister["country"] == "RS" and minister["role"] == "部长"
    assert one(names_article["entities"], name="米莉察")["country"] == "RS"  # no title: the article's partner


def test_places_and_descriptions_are_no_names(names_article):
    people, orgs = names(names_article, "PERSON"), names(names_article, "ORG")
    assert "诺维萨德" not in people  # a station's place
    assert not any(o.startswith("中国新能源汽车") for o in orgs)  # a description of 企业
    assert not any(o.endswith(("格局", "全部", "总部")) for o in orgs)


def test_organisations_from_lac_with_their_side(names_article):
    orgs = names(names_article, "ORG")
    assert "贝尔格莱德市政府" in orgs and "交通局" in orgs  # "X和Y": two bodies
    assert "政治报" in orgs  # a paper by its title in 《》
    logistics = one(names_article["entities"], name="北方铁路物流公司")
    assert logistics["country"] == "RU"  # the country right before its quoted name


def test_figures_spans_and_chinese_numerals():
    r = extract("中俄两国贸易额达到两亿三千万美元。过境时间由15天至20天缩短到7天，新桥全长1.2公里、宽十二点五米。"
                "今年前4个月，双方共运输粮食3万至5万吨。")
    money = one(r["quantities"], text="两亿三千万美元")
    assert money["value"] == 230_000_000 and money["unit"] == "USD"
    days = one(r["quantities"], text="15天至20天")
    assert days["value"] == 15 and days["value_max"] == 20 and days["unit"] == "days"
    assert one(r["quantities"], text="十二点五米")["value"] == 12.5
    grain = one(r["quantities"], text="3万至5万吨")
    assert grain["value"] == 30_000 and grain["value_max"] == 50_000
    assert not any(q["text"].startswith("4个") for q in r["quantities"])  # "前4个月" is a period
    assert not any(q["text"] == "20天" for q in r["quantities"])  # the span's upper end is no figure of its own


def test_short_quotes_and_speakers_named_around_them():
    r = extract(
        "中俄合作的炼油厂项目上周正式开工。\n\n"
        "项目经理王海涛在现场一声令下：“动工！”\n\n"
        "俄方代表伊戈尔·沃尔科夫指出，工厂将带来大量就业。“我们对这个项目非常有信心，它会按时完成。”\n\n"
        "“这条铁路改变了我们的生活，出行方便多了。”安娜是一名经常往返两地的工程师。")
    said = {q["text"]: q["speaker"] for q in r["quotes"]}
    assert said.get("动工！") == "王海涛"
    assert said.get("我们对这个项目非常有信心，它会按时完成。") == "伊戈尔·沃尔科夫"  # named in the sentence before
    assert said.get("这条铁路改变了我们的生活，出行方便多了。") == "安娜"  # named right after the quote


def test_a_name_in_quotes_is_no_quote():
    r = extract("俄罗斯天然气工业股份公司表示，“西伯利亚力量2号”管道仍在设计中。")
    assert r["quotes"] == []


@pytest.fixture(scope="module")
def events_article() -> dict:
    return extract(
        "中国和俄罗斯签署了联合声明，两国企业还签署了十余项合作协议。\n\n"
        "中俄合资的木材加工厂项目5月10日正式动工，预计2026年建成投产。\n\n"
        "根据合同，中国将从俄罗斯进口20万吨小麦。\n\n"
        "中俄双方尚未签署新的电力合同。\n\n"
        "俄罗斯矿业公司表示，与中方的合作项目已暂停。\n\n"
        "中国企业将在俄罗斯新西伯利亚建设汽车零部件工厂。")


def of_sentence(record: dict, words: str) -> list[dict]:
    return [e for e in record["events"] if words in e["sentence"]]


def test_each_clause_holds_its_own_agreement(events_article):
    agreements = [e for e in of_sentence(events_article, "联合声明") if e["type"] == "agreement"]
    assert [e["trigger"] for e in agreements] == ["签署", "签署"]


def test_a_nominal_start_is_a_launch_with_its_clause_status(events_article):
    started = [e for e in of_sentence(events_article, "木材加工厂") if e["type"] == "launch"]
    assert started and started[0]["trigger"] == "动工" and started[0]["status"] == "completed"
    assert started[0]["date"]["value"] == "2024-05-10"


def test_a_future_purchase_is_planned_trade(events_article):
    trade = one(of_sentence(events_article, "进口20万吨"), type="trade")
    assert trade["status"] == "planned" and trade["countries"][:2] == ["CN", "RU"]
    assert "agriculture" in trade["sectors"]


def test_negation_and_suspension_cancel_the_event(events_article):
    assert of_sentence(events_article, "尚未签署") == []
    assert not any(e["type"] == "launch" for e in of_sentence(events_article, "已暂停"))


def test_building_a_plant_abroad_is_a_planned_launch_in_its_own_sector(events_article):
    plant = one(of_sentence(events_article, "零部件工厂"), type="launch")
    assert plant["status"] == "planned" and plant["sectors"] == ["nev"]


def test_a_clause_that_restates_is_no_second_event():
    r = extract("中俄界河公路大桥10月1日正式通车，标志着两国之间实现全线贯通。")
    assert [e["trigger"] for e in r["events"] if e["type"] == "launch"] == ["通车"]


def test_time_clauses_and_hopes_are_no_events():
    r = extract("中俄合作的港口项目完工后，年吞吐量将提升至500万吨。中方希望俄方保护中国企业的投资积极性。")
    assert not any(e["type"] in ("launch", "funding", "pledge") for e in r["events"])


def test_refusal_suspension_and_anniversaries_are_no_events():
    r = extract("俄方拒绝签署新的供气合同。中俄双方暂停建设跨境输电线路。\n\n"
                "中俄两国举行活动，纪念《中俄睦邻友好合作条约》签署二十周年。")
    assert not any(e["type"] in ("agreement", "launch") for e in r["events"])
    assert any(e["type"] == "meeting" for e in r["events"])  # the commemoration itself was held


def test_a_delayed_signing_and_a_named_again_expedition_are_no_events():
    r = extract("中俄两国科学家19日开始联合考察北极。此次考察由两国科学院共同组织。\n\n"
                "据了解，双方原计划于去年签署的极地科研合作备忘录因故推迟签署。")
    assert [e["trigger"] for e in r["events"] if e["type"] == "research"] == ["考察"]
    assert not any(e["type"] in ("agreement", "pledge") for e in r["events"])


def test_a_transliterated_name_ends_before_the_verb_after_it():
    r = extract("俄罗斯诺瓦泰克公司首席执行官列昂尼德·米赫尔松接受俄罗斯媒体采访时指出，中国市场需求强劲。")
    ceo = one(r["entities"], type="PERSON")
    assert ceo["name"] == "列昂尼德·米赫尔松" and ceo["role"] == "首席执行官"


def test_roles_before_names_with_a_space_or_a_date_after():
    r = extract("中俄边贸持续增长\n\n本报哈尔滨3月2日电（记者 赵明远）商务部发言人王文涛5日表示，两国贸易稳步增长。"
                "不少乘客慕名前来。")
    assert one(r["entities"], name="赵明远")["role"] == "记者"
    assert one(r["entities"], name="王文涛")["role"] == "发言人"  # "5日" after the name: still a person
    assert "慕名" not in names(r, "PERSON")  # a verb after a role word is no name


def test_months_without_a_year_and_spans_of_months():
    r = extract("今年1至8月，中国自俄罗斯进口原油7000万吨。中国石化与俄罗斯石油公司8月签署协议。", published="2023-09-12")
    trade = one(r["events"], type="trade")
    assert trade["date"]["value"] == "2023-01/2023-08"
    assert one(r["events"], type="agreement")["date"]["value"] == "2023-08"


def test_a_host_city_is_no_side_and_wishes_are_no_events():
    r = extract("国家主席习近平4日在阿斯塔纳会见俄罗斯总统普京。会见后，两国元首共同见证了多项合作文件的签署。"
                "白俄罗斯工业部长表示：“我们欢迎更多中国企业来白俄罗斯投资。”俄罗斯已成为中国最大原油供应国。",
                published="2024-07-05")
    meeting = one(r["events"], type="meeting")
    assert meeting["trigger"] == "会见" and meeting["countries"] == ["CN", "RU"]  # not Kazakhstan, where it was
    assert one(r["events"], type="agreement")["trigger"] == "签署"
    assert not any(e["type"] in ("funding", "supply") for e in r["events"])


def test_headings_datelines_ceremonies_and_called_out_words_are_no_events():
    r = extract("中俄合作化工项目在宁波开工 新华社宁波4月17日电（记者 周楠）中俄合作建设的化工项目17日正式开工。\n\n"
                "浙江省能源集团董事长童亚辉在开工仪式上表示，项目将于2026年底投入运营。"
                "俄罗斯西布尔公司副总裁伊万·彼得罗夫说：“开工！这是我们在华最重要的项目之一。”\n\n"
                "据悉，双方还计划在氢能领域开展合作，双方已成立联合工作组。", published="2024-04-18")
    launches = [e for e in r["events"] if e["type"] == "launch"]
    assert [(e["trigger"], e["status"]) for e in launches] == [("开工", "completed"), ("投入运营", "planned"),
                                                                ("成立", "completed")]
    assert launches[0]["sentence"].startswith("中俄合作建设的化工项目")  # not the heading, not the dateline
    assert one(r["quotes"], speaker="伊万·彼得罗夫")["text"].startswith("开工！")


def test_a_dotted_name_lac_tags_in_part_and_a_quote_after_he_said():
    r = extract("俄罗斯工业和贸易部副部长奥列格·里亚赞采夫日前访问上海。俄中航空合作潜力巨大。\n\n"
                "中国商飞副总经理张玉金介绍，项目进展顺利。他说：“双方团队配合默契，进展顺利。”")
    assert one(r["entities"], name="奥列格·里亚赞采夫")["role"] == "副部长"
    assert one(r["quotes"], text="双方团队配合默契，进展顺利。")["speaker"] == "张玉金"
    assert not any(e["name"].endswith("航空") for e in r["entities"] if e["type"] == "ORG")


def test_a_negation_before_a_prepositional_phrase_and_words_inside_a_document_title():
    r = extract("中俄两国元首签署《关于深化新时代全面战略协作伙伴关系的联合声明》。"
                "双方未就天然气管道项目达成最终协议。")
    assert [e["trigger"] for e in r["events"] if e["type"] == "agreement"] == ["签署"]
    assert not any(e["name"] == "新时代" for e in r["entities"])


def test_an_investment_given_as_a_sum_is_an_event_in_the_articles_sector():
    r = extract("白俄罗斯与中国合资的汽车工厂今年计划生产3万辆汽车。\n\n"
                "白俄罗斯工业部长说，工厂将投资1亿美元建设新的发动机生产线。", published="2024-02-10")
    funding = one(r["events"], type="funding")
    assert funding["status"] == "planned" and funding["countries"] == ["BY", "CN"]
    assert funding["sectors"][0] == "nev" and funding["quantities"][0]["value"] == 100_000_000


def test_short_country_names_after_a_preposition_and_parts_of_a_figure():
    r = extract("今年5月，中国对俄进出口增长6.8%。其中，出口增长8.2%；进口增长5.3%。\n\n"
                "俄罗斯能源部长说，俄方将继续扩大对华供气。在华为公司工作的俄罗斯工程师增加了。", published="2024-06-20")
    trade = [e for e in r["events"] if e["type"] == "trade"]
    assert len(trade) == 1 and trade[0]["countries"] == ["CN", "RU"]  # "对俄": Russia; "其中...": its parts
    supply = one(r["events"], type="supply")
    assert supply["countries"] == ["RU", "CN"] and supply["status"] == "planned"  # "对华": China


def test_an_administration_after_its_park_and_a_month_still_to_come():
    r = extract("东北虎豹国家公园管理局局长赵利表示，中俄双方今年将建设跨境生态廊道，并于6月举办跨境保护区研讨会。",
                published="2024-03-05")
    assert "东北虎豹国家公园管理局" in names(r, "ORG")
    meeting = one(r["events"], type="meeting")
    assert meeting["date"]["value"] == "2024-06" and meeting["status"] == "planned"


def test_generic_centres_and_surnames_with_a_title_are_no_names():
    r = extract("奇瑞汽车在圣彼得堡设立研发中心，同时设立欧洲研发中心。习主席和普京通了电话。")
    orgs, people = names(r, "ORG"), names(r, "PERSON")
    assert "研发中心" not in orgs and "欧洲研发中心" in orgs
    assert people == ["普京"]  # not "习主席", not "普京通"


def test_relations_and_findings_are_no_events():
    r = extract("中俄两国企业建立了良好的合作伙伴关系。俄罗斯学者的研究表明，中国市场潜力巨大。")
    assert r["events"] == []


def test_an_organ_named_with_a_verb_is_one_name():
    r = extract("乌兹别克斯坦国家投资理事会执行委员会日前批准了中乌合资光伏电站项目。")
    assert "乌兹别克斯坦国家投资理事会执行委员会" in names(r, "ORG")


def test_the_fields_one_clause_lists_belong_to_its_own_event():
    r = extract("今年中俄贸易额增长10%。\n\n两国元首签署了联合声明，并见证双方签署核能、航天、农业等领域的合作文件。"
                "第八届中俄博览会将在哈尔滨举办。")
    first, second = [e for e in r["events"] if e["type"] == "agreement"]
    assert set(second["sectors"]) == {"nuclear", "aerospace", "agriculture"}
    assert not set(first["sectors"]) & {"nuclear", "aerospace", "agriculture"}
    assert one(r["events"], type="meeting")["sectors"] == ["trade_finance"]  # a trade fair


def test_a_time_since_the_event_is_no_event():
    r = extract("中俄合建的界河大桥开工两年多来，两国建设者携手奋战。")
    assert r["events"] == []


def test_a_minister_of_a_ministry_a_suspended_project_and_the_sentences_time():
    r = extract("俄罗斯直接投资基金与中国一家药企宣布，双方将在俄罗斯建设一座疫苗厂，总投资约2亿美元，年产能1亿剂。"
                "俄罗斯卫生部长米哈伊尔·穆拉什科出席了发布会。此前双方商定的药品联合研发项目因资金问题已被搁置。")
    minister = one(r["entities"], name="米哈伊尔·穆拉什科")
    assert minister["role"] == "部长" and minister["organization"] == "俄罗斯卫生部"
    assert one(r["events"], type="funding")["status"] == "planned"  # 将 in the sentence, not in its clause
    assert not any(e["type"] == "research" for e in r["events"])
    assert one(r["quantities"], text="1亿剂")["unit"] == "doses"


def test_the_topic_of_an_agreement_is_no_event_of_its_own():
    r = extract("中俄双方就天然气供应价格达成一致。两国能源部门敲定了合作路线图。")
    assert [(e["type"], e["trigger"]) for e in r["events"]] == [("agreement", "达成"), ("agreement", "敲定")]


def test_exports_and_imports_in_one_sentence_are_two_flows():
    r = extract("今年以来中国对俄罗斯的出口连续增长，自俄进口也创下新高。中俄进出口持续回升，4月进出口值增长6%。",
                published="2024-05-20")
    assert [e["trigger"] for e in r["events"] if e["type"] == "trade"] == ["出口", "进口", "进出口"]
