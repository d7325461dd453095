"""Extraction on real text: offsets, types in known sentences, amounts, sentences."""
from decimal import Decimal

import pytest

from kg import Document, Extractor
from kg.amounts import find_amounts, parse_amount
from kg.sentences import split_sentences


@pytest.fixture(scope="module")
def extractor(knowledge):
    """The rules alone: these cases are the rules' (tests/test_learn.py has the learned model's)."""
    return Extractor(knowledge, model=None)


def test_extract_offsets_point_at_the_mention_text(extractor, seed_docs):
    for doc in seed_docs:
        extraction = extractor.extract(doc)
        assert extraction.mentions, doc.id
        for m in extraction.mentions:
            assert doc.text[m.start:m.end] == m.text


def test_extract_sentence_offsets_cover_their_text(seed_docs):
    for doc in seed_docs:
        for s in split_sentences(doc.text):
            assert doc.text[s.start:s.end] == s.text


def _types(extractor, text):
    extraction = extractor.extract(Document("t.txt", text))
    return {(m.text, m.type) for m in extraction.mentions}, extraction


def test_extract_finds_places_and_chain_in_a_known_sentence(extractor):
    found, extraction = _types(extractor, "位于山西省大同市新荣区的大同隆基光伏科技有限公司今年扩产。")
    assert {("山西省", "Place"), ("大同市", "Place"), ("新荣区", "Place")} <= found
    assert ("大同隆基光伏科技有限公司", "Company") in found
    located = {(f.head, f.tail) for f in extraction.facts if f.relation == "locatedIn" and f.basis == "text"}
    assert ("新荣区", "大同市") in located


def test_extract_division_codes_follow_the_2018_datong_reform(extractor):
    found, extraction = _types(extractor, "大同市平城区、云冈区、云州区和新荣区协同发展。")
    codes = {m.text: m.code for m in extraction.mentions if m.code}
    assert codes["平城区"] == "140213" and codes["云冈区"] == "140214" and codes["云州区"] == "140215"


def test_extract_project_with_investment_and_operator(extractor):
    text = "云冈区引进总投资9亿元的华阳T-1000碳基新材料项目。"
    found, extraction = _types(extractor, text)
    assert ("华阳T-1000碳基新材料项目", "Project") in found
    money = [f for f in extraction.facts if f.relation == "investment"]
    assert money and money[0].head == "华阳T-1000碳基新材料项目" and money[0].amount.yuan == Decimal(900_000_000)
    operated = {(f.head, f.tail) for f in extraction.facts if f.relation == "operatedBy"}
    assert ("华阳T-1000碳基新材料项目", "华阳") in operated


def test_extract_programs_from_quotes_and_lexicon(extractor):
    found, extraction = _types(extractor, "大同市新荣区全面推行河长制，深入实施“千万工程”，以“三区建设”筑牢根基。")
    assert {("河长制", "Program"), ("千万工程", "Program"), ("三区建设", "Program")} <= found
    implemented = {f.tail for f in extraction.facts if f.relation == "implements" and f.head == "新荣区"}
    assert {"河长制", "千万工程", "三区建设"} <= implemented


def test_extract_is_a_pure_function_of_the_text(extractor, seed_docs):
    doc = seed_docs[0]
    first, again = extractor.extract(doc), extractor.extract(Document(doc.id, doc.text))
    assert (first.mentions, first.facts, first.sentences) == (again.mentions, again.facts, again.sentences)


@pytest.mark.parametrize("wording, yuan", [
    ("9亿元", 900_000_000), ("3125万元", 31_250_000), ("103.578亿元", 10_357_800_000),
    ("近50亿元", 5_000_000_000), ("1.2万亿元", 1_200_000_000_000), ("2-3亿元", 300_000_000), ("120余亿元", 12_000_000_000),
])
def test_amounts_parse_to_yuan(wording, yuan):
    assert parse_amount(wording) == Decimal(yuan)


def test_amounts_keep_offsets():
    text = "总投资103.578亿元，其中税收1.14亿元。"
    for a in find_amounts(text):
        assert text[a.start:a.end] == a.wording


def test_extract_batch_investment_goes_to_the_subject_place(extractor):
    text = "大同市新荣区今年签约落地54个项目，总投资103.578亿元；引进投资10亿元以上项目3个。新荣区发展很快。"
    money = [f for f in extractor.extract(Document("t.txt", text)).facts if f.relation == "investment"]
    assert [(f.head, f.amount.yuan) for f in money] == [("新荣区", Decimal("10357800000"))]


# Sentences below are taken from the benchmark corpus (not the seeds), one per rule.
@pytest.mark.parametrize("text, expected", [
    # policy packages counted by their articles, in a sentence that publishes them
    ("制定激活民间投资30条、促进个体工商户发展23条等政策措施。", {("激活民间投资30条", "Program"), ("促进个体工商户发展23条", "Program")}),
    # side-by-side quotes share one reading: one is a known program, so both are
    ("践行新时代“枫桥经验”“浦江经验”，警民融合。", {("枫桥经验", "Program"), ("浦江经验", "Program")}),
    # an award verb makes a quoted title a program whatever its head word
    ("乌金山镇荣膺“全国乡村旅游重点镇”。", {("全国乡村旅游重点镇", "Program"), ("乌金山镇", "Place")}),
    # enumeration items split at 、, closed by 等 and typed by the noun after the list
    ("巩固与云冈石窟、恒山、古长城、火山群等周边景区的互联互通。", {("恒山", "Place"), ("古长城", "Place"), ("火山群", "Place")}),
    # a rank opens an honour title
    ("持茶陵县、醴陵市创建国家生态文明建设示范区。", {("国家生态文明建设示范区", "Program")}),
    # a line named after the places it joins
    ("齐齐哈尔城际客运铁路专线、前进镇至抚远地方铁路建成。", {("前进镇至抚远地方铁路", "Project")}),
    # a river named after a distance or a number is a name; a landmark named after it drops its district
    ("推进五里河综合治理和赤峰市五里河湿地公园建设。", {("五里河", "Place"), ("五里河湿地公园", "Place")}),
    ("推进海淀区万泉河湿地公园建设。", {("万泉河湿地公园", "Place"), ("海淀区", "Place")}),
    # 里 inside a community's name, after its sub-district
    ("在丰台区右安门街道翠林里社区开展试点。", {("右安门街道", "Place"), ("翠林里社区", "Place")}),
    # 力争 and 争取 are verbs, not the start of a name
    ("力争福州经济技术开发区成为国家级示范区，争取长益常高铁开工。", {("福州经济技术开发区", "Place"), ("长益常高铁", "Project")}),
    # a count and a kind right after 等 type the items, whatever their own head word
    ("铺开城中村改造，桃湖等4个安置项目圆满交付。", {("桃湖", "Project")}),
    # a numbered system is named by its levels
    ("建设四级政务服务体系，提升办事效率。", {("四级政务服务体系", "Program")}),
    # a verb that carries out the program is not part of its quoted name
    ("出台“推行容缺受理”改革等助企政策。", {("容缺受理", "Program")}),
    # a list closed by a count of monitoring sections names places
    ("对柳桥、东站、王家窑3个断面开展定期监测。", {("柳桥", "Place"), ("东站", "Place"), ("王家窑", "Place")}),
    # a photo caption that is a brand and a trade names the enterprise
    ("园区企业满负荷生产。\n河北恒泰特钢\n", {("河北恒泰特钢", "Company")}),
    # a strategy at the end of its phrase
    ("深入实施人才强市战略和科教兴市战略。", {("人才强市战略", "Program"), ("科教兴市战略", "Program")}),
    # two-character items sharing one head are one program
    ("持续打好蓝天、碧水、净土保卫战。", {("蓝天、碧水、净土保卫战", "Program")}),
    # landmarks of consumption listed before their kind
    ("华润万象城、吾悦广场等消费地标活力迸发。", {("华润万象城", "Place")}),
    # a task force is named by what it does, back to the verb that set it up
    ("第一时间成立融入长三角一体化发展领导小组，健全工作机制。", {("融入长三角一体化发展领导小组", "Organization")}),
    # list items named after a place or a brand keep their verb (某某机场三期扩建)
    ("加快包兰铁路银兰段扩能改造、河东机场三期扩建等项目建设。", {("河东机场三期扩建", "Project")}),
    # a street extended is a project; the street itself is not named a second time
    ("推进景丰路南延、长风大街西延建设。", {("景丰路南延", "Project"), ("长风大街西延", "Project")}),
    # institutions listed after one that names its place are that place's
    ("南岗区人民医院、中医院、妇幼保健院建成投用。", {("中医院", "Organization"), ("妇幼保健院", "Organization")}),
    # a ring road named by its side
    ("加快东环线、北环线建设。", {("东环线", "Project"), ("北环线", "Project")}),
    # a brand before a traditional trade names the enterprise
    ("邵虹基板玻璃项目建成投产。", {("邵虹基板", "Company"), ("邵虹基板玻璃项目", "Project")}),
    # a brand before a farm product names the enterprise
    ("推进冷棚建设，森海食用菌特色产业基地扩建。", {("森海食用菌特色产业基地", "Project")}),
    # a line of business after a name is still one enterprise
    ("合肥城建、国元证券公司成功上市。", {("国元证券公司", "Company")}),
    # a street makes a project particular, though it names no enterprise
    ("投资2000万元改造升级康庄路绿化工程。", {("康庄路绿化工程", "Project")}),
    # a park may carry an enterprise's brand
    ("抓好武宿综合物流园区、唐久超市物流园区、再生资源回收利用市场等重点工程。", {("唐久超市", "Company")}),
])
def test_extract_rules_on_corpus_sentences(extractor, text, expected):
    found, _ = _types(extractor, text)
    assert expected <= found


# A look-alike passes only if the rule that rejects it still reads its sentence: each case also
# names what must be found there. Where the look-alike's own sentence names nothing, a corpus
# sentence that the same rule (or its neighbour) must read follows it in the same text, so the case
# shows the rule firing beside the name it refuses, and fails when names are not found at all.
QUOTED = ("践行新时代“枫桥经验”“浦江经验”，警民融合。", {("枫桥经验", "Program"), ("浦江经验", "Program")})
ARTICLES = ("制定激活民间投资30条、促进个体工商户发展23条等政策措施。", {("激活民间投资30条", "Program"), ("促进个体工商户发展23条", "Program")})
PARK = ("推进海淀区万泉河湿地公园建设。", {("万泉河湿地公园", "Place")})
PROJECT = ("邵虹基板玻璃项目建成投产。", {("邵虹基板玻璃项目", "Project")})
BRAND = ("邵虹基板玻璃项目建成投产。", {("邵虹基板", "Company")})
BRAND_BASE = ("推进冷棚建设，森海食用菌特色产业基地扩建。", {("森海", "Company"), ("森海食用菌特色产业基地", "Project")})
ZONE = ("力争福州经济技术开发区成为国家级示范区。", {("福州经济技术开发区", "Place")})
RAIL = ("争取长益常高铁开工。", {("长益常高铁", "Project")})
RIVER = ("推进五里河综合治理和赤峰市五里河湿地公园建设。", {("五里河", "Place"), ("五里河湿地公园", "Place")})
CAPTION = ("\n河北恒泰特钢\n", {("河北恒泰特钢", "Company")})
TASK_FORCE = ("第一时间成立融入长三角一体化发展领导小组，健全工作机制。", {("融入长三角一体化发展领导小组", "Organization")})
PARK_BRAND = ("抓好武宿综合物流园区、唐久超市物流园区等重点工程。", {("唐久超市", "Company"), ("武宿综合物流园区", "Place")})
LIST_PROJECT = ("加快包兰铁路银兰段扩能改造、河东机场三期扩建等项目建设。", {("河东机场三期扩建", "Project")})
COMPANY = ("合肥城建、国元证券公司成功上市。", {("国元证券公司", "Company")})
STRATEGY = ("深入实施人才强市战略和科教兴市战略。", {("人才强市战略", "Program"), ("科教兴市战略", "Program")})
SYSTEM = ("建设四级政务服务体系，提升办事效率。", {("四级政务服务体系", "Program")})
COUNTED_LIST = ("铺开城中村改造，桃湖等4个安置项目圆满交付。", {("桃湖", "Project")})
WORKS = ("投资2000万元改造升级康庄路绿化工程。", {("康庄路绿化工程", "Project")})
HOSPITAL = ("南岗区人民医院、中医院、妇幼保健院建成投用。", {("南岗区人民医院", "Organization"), ("妇幼保健院", "Organization")})


@pytest.mark.parametrize("text, expected, not_expected", [
    ("由“一煤独大”向“多元支撑”转变。" + QUOTED[0], QUOTED[1], ("一煤独大", "Program")),  # a transition, not a program
    ("坚持“九二共识”，维护一个中国。", {("中国", "Place")}, ("九二共识", "Program")),  # a doctrine
    ("深化行政管理体制改革，着力转变职能。" + SYSTEM[0], SYSTEM[1], ("行政管理体制改革", "Program")),  # a kind of work
    ("新建道路20条，改造管网。" + ARTICLES[0], ARTICLES[1], ("新建道路20条", "Program")),  # roads counted, not a policy
    ("加大景区周边环境综合整治。" + PARK[0], PARK[1], ("加大景区", "Place")),  # a verb and a noun
    ("全国首个地方国企债转股项目落地。" + PROJECT[0], PROJECT[1], ("地方国企债转股项目", "Project")),  # a first of its kind
    ("建设集科研、推广、生产、加工、销售于一体的循环农业园区。" + ZONE[0], ZONE[1], ("循环农业园区", "Place")),  # a described kind
    ("在全省工业类开发区综合考评中位列第三。" + ZONE[0], ZONE[1], ("工业类开发区", "Place")),  # a class of zones
    ("总投资超500亿元的晋北采煤沉陷区新能源基地。", {("晋北采煤沉陷区新能源基地", "Project")}, ("晋北", "Company")),  # a region, not a brand
    ("加快生猪屠宰加工、秸秆饲料化利用。" + BRAND[0], BRAND[1], ("秸秆", "Company")),  # a common noun, not a brand
    ("加快推进“三沟一河”综合治理。" + RIVER[0], RIVER[1], ("三沟一河", "Place")),  # counted things
    ("完成香山湖公园改造。", {("香山湖公园", "Place")}, ("香山湖", "Place")),  # the park is named, not the lake
    ("园区企业满负荷生产。\n河北钢铁\n" + CAPTION[0], CAPTION[1], ("河北钢铁", "Company")),  # a caption with no brand
    ("4处“口袋公园”点缀街角。" + PARK[0], PARK[1], ("口袋公园", "Place")),  # a counted kind, though quoted
    ("部分开放淮河蚌埠闸湿地公园。", {("淮河蚌埠闸湿地公园", "Place")}, ("开放淮河蚌埠闸湿地公园", "Place")),  # a verb opens no name
    ("动工建设绕城高速公路。", {("绕城高速公路", "Project")}, ("动工建设绕城高速公路", "Project")),
    ("充分发挥指挥部作用。" + TASK_FORCE[0], TASK_FORCE[1], ("发挥指挥部", "Organization")),
    ("推进通山石材物流园建设。" + PARK_BRAND[0], PARK_BRAND[1], ("石材", "Company")),  # a trade, not a brand
    ("实施天然林保护、湿地保护、鼠害防治等项目。" + LIST_PROJECT[0], LIST_PROJECT[1], ("湿地保护", "Project")),  # kinds of work
    ("推动锅炉、机车等企业技术改造。" + COMPANY[0], COMPANY[1], ("锅炉", "Company")),  # a common noun, not an enterprise
    ("大昭圣泉进入全国铁路销售网络终端。" + RAIL[0], RAIL[1], ("大昭圣泉进入全国铁路", "Project")),  # 进入 ends a name
    ("开工建设8.5代液晶玻璃基板项目。" + BRAND[0], BRAND[1], ("代液晶", "Company")),  # a measure word after a number
    ("我国发展仍处于重要战略机遇期。" + STRATEGY[0], STRATEGY[1], ("重要战略", "Program")),  # 战略 does not end the phrase
    ("贯彻新理念新思想新战略。" + STRATEGY[0], STRATEGY[1], ("新理念新思想新战略", "Program")),  # a doctrine
    ("北京、文明行动同步推进。", {("北京", "Place")}, ("北京、文明行动", "Program")),  # a place shares no head
    ("组织开展“巾帼建功”“书香满城”——市图书馆服务月活动。", {("市图书馆", "Organization")}, ("巾帼建功", "Program")),  # an event's title
    ("实施三年行动计划。" + SYSTEM[0], SYSTEM[1], ("三年行动计划", "Program")),  # a duration, not a name
    ("坚持“两个毫不动摇”，优化营商环境。" + QUOTED[0], QUOTED[1], ("两个毫不动摇", "Program")),  # a party doctrine
    ("三是农民健康工程。" + SYSTEM[0], SYSTEM[1], ("三是农民健康工程", "Program")),  # an ordinal opens a point, not a name
    ("推进长风大街西延建设。", {("长风大街西延", "Project")}, ("长风大街", "Place")),  # the street of 长风大街西延, extended
    ("确保可口可乐搬迁扩产等20个项目建成投产。" + COUNTED_LIST[0], COUNTED_LIST[1], ("扩产", "Project")),  # a word, not a name
    ("以崖州湾科技城等园区为载体。", {("崖州湾科技城", "Place")}, ("崖州湾科技城等园区", "Place")),  # jieba glued 城等: the list ends there
    ("华南城、万达文旅城等百亿元项目达到10个。", {("华南城", "Project"), ("万达文旅城", "Project")}, ("百亿元项目", "Project")),  # a size class of projects
    ("继续压缩政府部门经常性项目支出。" + WORKS[0], WORKS[1], ("继续压缩政府部门经常性项目", "Project")),  # verbs open no name
    ("新增村镇银行、小额贷款公司、融资性担保公司5家以上。" + COMPANY[0], COMPANY[1], ("融资性担保公司", "Company")),  # a kind of enterprise
    ("新引进世界500强企业和知名跨国公司30多家。" + COMPANY[0], COMPANY[1], ("知名跨国公司", "Company")),
    ("稳步推进平台公司整合转型。" + COMPANY[0], COMPANY[1], ("平台公司", "Company")),
    ("认真办好保险公司、信托公司等金融机构。" + COMPANY[0], COMPANY[1], ("办好保险公司", "Company")),  # and a verb opens no name
    ("组织实施七大类文化项目。" + BRAND[0], BRAND[1], ("大类", "Company")),  # a class, not a brand
    ("打造万亿级电子信息产业基地。" + BRAND_BASE[0], BRAND_BASE[1], ("万亿级", "Company")),  # a scale, not a brand
    ("完成一环沿线桥梁亮化工程。" + WORKS[0], WORKS[1], ("桥梁亮", "Company")),  # a common word opens no brand
    ("加快建设苏州湾文化中心、狮山文化广场等重点项目。", {("狮山文化广场", "Place"), ("苏州湾文化中心", "Project")}, ("狮山", "Company")),  # a square named after a place
    ("实施董铺水库溢洪道扩建及南淝河生态补水等工程。", {("董铺水库", "Place"), ("南淝河生态补水", "Project")}, ("及南淝河生态补水", "Project")),  # jieba glued 及南
    ("在各旗县区建设足球特色学校9所。" + HOSPITAL[0], HOSPITAL[1], ("足球特色学校", "Organization")),  # kinds of school and hospital
    ("新增三级医院2家、总数达10家。" + HOSPITAL[0], HOSPITAL[1], ("三级医院", "Organization")),
    ("推动某某职业技术学院建设地方技能型高水平大学。", {("某某职业技术学院", "Organization")}, ("地方技能型高水平大学", "Organization")),
    ("各级领导干部要发扬刻苦钻研精神，干中学，学中干。" + HOSPITAL[0], HOSPITAL[1], ("干中学", "Organization")),  # a saying, not a school
    ("国际机场二期改扩建加快推进。" + LIST_PROJECT[0], LIST_PROJECT[1], ("国际机场", "Place")),  # which airport, the clause does not say
    ("努力实现中心城区内河“水清、河畅、路通、景美”。" + RIVER[0], RIVER[1], ("城区内河", "Place")),  # a city's rivers, not one
    ("粮食产量实现“十二连增”。" + QUOTED[0], QUOTED[1], ("十二连增", "Program")),  # years of growth in a row, not a program
    ("有序推进武进区的全国农村宅基地制度改革试点。", {("武进区", "Place"), ("全国农村宅基地制度改革试点", "Program")}, ("全国农村宅基地", "Program")),  # 宅基地 is a word, not a 基地
    ("建立健全多层级养老服务体系。" + SYSTEM[0], SYSTEM[1], ("层级养老服务体系", "Program")),  # a kind of system
    ("实施省级16个行政村、市级200个自然村整村推进。" + SYSTEM[0], SYSTEM[1], ("市级200个自然村整村", "Program")),  # 整村推进: a verb phrase
    ("统筹实施城中村改造、“平急两用”公共基础设施、医疗康养等490个重点项目。" + COUNTED_LIST[0], COUNTED_LIST[1], ("公共基础设施", "Project")),  # described only
    ("投资2000万元改造升级康庄路绿化工程。", {("康庄路", "Place"), ("康庄路绿化工程", "Project")}, ("康庄路绿", "Company")),  # a street, not a brand
    ("抓好芝罘岛、崆峒岛、养马岛旅游开发和渔人码头等项目建设。" + PARK_BRAND[0], PARK_BRAND[1], ("养马岛", "Company")),  # an island
    ("推动资产经营公司的过渡性体制改造和配套改革。" + COMPANY[0], COMPANY[1], ("资产经营公司", "Company")),  # a kind of enterprise
    ("做大做强金控集团、泰山财金集团等投融资平台。", {("泰山财金集团", "Company")}, ("做强金控集团", "Company")),  # verbs open no name
    ("泰新年产10万辆新能源汽车等一批重大产业项目。" + BRAND[0], BRAND[1], ("泰新年产", "Company")),  # the capacity is not the brand's
])
def test_extract_rules_reject_look_alikes(extractor, text, expected, not_expected):
    found, _ = _types(extractor, text)
    assert not_expected not in found
    assert expected <= found, expected - found


def test_extract_short_form_prefers_the_city_named_in_full(extractor):
    text = "吉安市政府工作报告。吉安经济稳步增长，吉安县、泰和县同步发展。全市吉安各项事业进步。"
    extraction = extractor.extract(Document("t.txt", text))
    assert extraction.subject_places == ("吉安市",)
    short = [m for m in extraction.mentions if m.text == "吉安"]
    assert short and all(m.canonical == "吉安市" for m in short)


@pytest.mark.parametrize("text", ["", " ", "。", "“”", "等", "1个"])
def test_extract_degenerate_text_gives_nothing_and_no_error(extractor, text):
    extraction = extractor.extract(Document("t.txt", text))
    assert all(text[m.start:m.end] == m.text for m in extraction.mentions)


def test_extract_name_after_a_place_and_a_direction_lies_there(extractor):
    found, extraction = _types(extractor, "推进中山街南侧鑫源商业综合体项目开工。")
    assert ("鑫源商业综合体项目", "Project") in found
    located = {(f.head, f.tail) for f in extraction.facts if f.relation == "locatedIn"}
    assert ("鑫源商业综合体项目", "中山街") in located
    assert ("鑫源", "Company") in found  # the brand stops at the trade (商业)


def test_extract_project_brand_stands_for_the_company_named_in_full(extractor):
    _, extraction = _types(extractor, "芜湖恒信光伏科技有限公司扩大产能。恒信光伏组件项目建成投产。")
    assert ("恒信", "芜湖恒信光伏科技有限公司") in extraction.aliases
    operated = {(f.head, f.tail) for f in extraction.facts if f.relation == "operatedBy"}
    assert ("恒信光伏组件项目", "芜湖恒信光伏科技有限公司") in operated


@pytest.mark.parametrize("text, head, tail", [
    ("宁德时代新能源科技股份有限公司落户溧阳市。", "宁德时代新能源科技股份有限公司", "溧阳市"),
    ("位于山西省大同市左云县的鹊盛活性炭有限公司扩产。", "鹊盛活性炭有限公司", "左云县"),
    ("顺利推动什贴镇建制并入乌金山镇。", "什贴镇", "乌金山镇"),
])
def test_extract_trigger_words_place_a_thing(extractor, text, head, tail):
    _, extraction = _types(extractor, text)
    located = {(f.head, f.tail) for f in extraction.facts if f.relation == "locatedIn" and f.basis == "text"}
    assert (head, tail) in located


def test_extract_segmenter_cuts_as_jieba_does(extractor, seed_docs):
    """kg's own walk of jieba's word graph (and its caches) gives jieba.lcut's words exactly, HMM guesses included."""
    import jieba

    from kg.segment import DOMAIN_FREQ

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in extractor.knowledge.domain_words():
        tokenizer.add_word(word, DOMAIN_FREQ)
    for doc in seed_docs:
        for text in (doc.text, doc.text[1::3]):  # the report, and a scramble of it full of unknown runs
            tokens = extractor.segmenter.tokens(text)
            assert [t.text for t in tokens] == tokenizer.lcut(text), doc.id
            assert all(text[t.start:t.end] == t.text for t in tokens)
