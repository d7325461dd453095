"""The learned extractor: gold placed in the text, labels, training, and that learning helps on held-out reports."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from kg import Document, Extractor
from kg.cli import main
from kg.documents import read_document
from kg.errors import InputError, KnowledgeError
from kg.learn.gold import Span, load_gold, place_names
from kg.learn.model import CLUSTERS, DEFAULT_MODEL, FILES, MINED, LearnedModel, _no_place_of_it, merge, trimmed, word_clusters
from kg.learn.pairs import OTHER_IMPLEMENTER, Candidate, _weighed
from kg.model import Mention, Sentence
from kg.learn.tagger import labels_for, spans_of
from kg.learn.train import cross_validate, prepare, score_on, train_model

from .conftest import ROOT, SHARED

CORPUS_GOLD = SHARED / "gold" / "corpus"
needs_gold = pytest.mark.skipif(not (CORPUS_GOLD / "folds.tsv").exists(), reason="../shared/gold/corpus not present")


def test_learn_place_names_longest_first_nested_names_counted():
    text = "大同市新荣区建设新荣经济技术开发区，新荣区发展。"
    spans, nested, absent = place_names(text, [("新荣区", "Place"), ("新荣经济技术开发区", "Place"), ("新荣", "Place"), ("云冈区", "Place")])
    assert [(text[s.start:s.end], s.type) for s in spans] == [("新荣区", "Place"), ("新荣经济技术开发区", "Place"), ("新荣区", "Place")]
    assert nested == [("新荣", "Place")]  # only inside longer names
    assert absent == [("云冈区", "Place")]


def test_learn_place_names_skips_quotation_marks_inside_a_name():
    text = "深化“放管服”改革，推进“千村示范、万村整治”工程。"
    spans, _, absent = place_names(text, [("放管服改革", "Program"), ("千村示范、万村整治工程", "Program")])
    assert not absent
    # a name is labelled from its first character to its last; marks inside it stay (the scorer drops them)
    assert [text[s.start:s.end] for s in spans] == ["放管服”改革", "千村示范、万村整治”工程"]


def test_learn_trimmed_keeps_paired_quotes_and_drops_unpaired_ones():
    text = "实施“十四五”规划和“千万工程"
    assert text[slice(*_bounds(trimmed(text, Span(2, 9, "Program"))))] == "“十四五”规划"
    assert text[slice(*_bounds(trimmed(text, Span(10, 15, "Program"))))] == "千万工程"
    assert trimmed(text, Span(10, 11, "Program")) is None


def _bounds(span):
    return span.start, span.end


@pytest.mark.parametrize("text, name, expected, kind", [
    # corpus sentences: a bracket the name opens and does not close cuts it (the gold names 高新区 and 新市区)
    ("高新区（新市区）获批自治区级金融创新合作示范区。", "高新区（新市区", "高新区", "Place"),
    # brackets the name closes stay, and a name that opens with one is left as it is
    ("经济技术开发区（头屯河区）风电装备及高端专用设备制造产业集群获评全国中小企业特色产业集群。", "经济技术开发区（头屯河区）", "经济技术开发区（头屯河区）", "Place"),
    ("主动对接中国（上海）自由贸易试验区，率先复制推广其成功经验。", "中国（上海）自由贸易试验区", "中国（上海）自由贸易试验区", "Place"),
    ("主动对接中国（上海）自由贸易试验区，率先复制推广其成功经验。", "国（上海", "国（上海", "Place"),
    # corpus sentences (扬州市, 杭州市): the tagger ran a project's name on across a clause's end
    ("开工建设龙潭过江通道；加快润扬第二过江通道、宁扬、宁马城际建设。", "龙潭过江通道；", "龙潭过江通道", "Project"),
    ("加快2号线西北段，4号线南段和5号线、6号线建设。", "2号线西北段，4号线", "2号线西北段", "Project"),
    # look-alikes: a list within a name, a name in quotation marks, a name right before the comma
    ("实施“质量强市、品牌强市、标准强市战略”，加快培育一批名牌。", "质量强市、品牌强市、标准强市战略", "质量强市、品牌强市、标准强市战略", "Project"),
    ("完善“监测吹哨、管养报到”机制，逐步推广。", "“监测吹哨、管养报到”机制", "“监测吹哨、管养报到”机制", "Project"),
    ("开工建设龙潭过江通道；加快润扬第二过江通道。", "龙潭过江通道", "龙潭过江通道", "Project"),
])
def test_learn_trimmed_cuts_a_name_at_a_bracket_it_leaves_open_or_a_clause_s_end(text, name, expected, kind):
    start = text.index(name)
    assert text[slice(*_bounds(trimmed(text, Span(start, start + len(name), kind))))] == expected


def test_learn_trimmed_takes_in_the_other_mark_of_a_quote_the_name_closes_or_opens():
    text = "打造“老城区”文化中心，培育专精特新“小巨人”企业"
    closes = text.index("老城区")
    opens = text.index("专精特新")
    assert text[slice(*_bounds(trimmed(text, Span(closes, closes + 8, "Project"))))] == "“老城区”文化中心"
    assert text[slice(*_bounds(trimmed(text, Span(opens, opens + 8, "Program"))))] == "专精特新“小巨人”"


def test_learn_labels_and_spans_round_trip():
    spans = [Span(0, 3, "Place"), Span(3, 6, "Place"), Span(8, 12, "Program")]
    labels = labels_for(14, spans)
    assert labels[:4] == ["B-Place", "I-Place", "E-Place", "B-Place"]
    assert spans_of(labels) == spans
    assert labels_for(3, [Span(1, 2, "Company")]) == ["O", "S-Company", "O"]  # a name of one character
    assert spans_of(["O", "S-Company", "O"]) == [Span(1, 2, "Company")]
    assert spans_of(["I-Company", "I-Company", "O"]) == [Span(0, 2, "Company")]  # a stray I- opens a span
    assert spans_of(["B-Place", "I-Place", "B-Project", "E-Project"]) == [Span(0, 2, "Place"), Span(2, 4, "Project")]  # cut by the next B-


@pytest.fixture(scope="module")
def gold_examples(knowledge):
    if not (CORPUS_GOLD / "folds.tsv").exists():
        pytest.skip("../shared/gold/corpus not present")
    docs = [d for d in load_gold(CORPUS_GOLD) if d.fold in (0, 1, 2)]
    return prepare(docs, Extractor(knowledge, model=None))


@needs_gold
def test_learn_a_model_of_two_folds_beats_the_rules_on_a_third(gold_examples, knowledge, tmp_path):
    model = train_model([ex for ex in gold_examples if ex.doc.fold in (0, 1)], tmp_path / "model")
    learned, rules = Extractor(knowledge, model=model), Extractor(knowledge, model=None)
    held_out = [ex.doc for ex in gold_examples if ex.doc.fold == 2]
    assert held_out

    def score(extractor):
        return score_on(extractor, held_out)

    mine, theirs = score(learned), score(rules)
    # and less gold reads worse: the learning curve (tools/learning_curve.py) rises with the documents
    fewer = score(Extractor(knowledge, model=train_model([ex for ex in gold_examples if ex.doc.fold == 0], tmp_path / "one")))
    print(f"learned entity F1 {mine.entities.f1} relation F1 {mine.relations.f1}; one fold {fewer.entities.f1}; "
          f"rules {theirs.entities.f1} / {theirs.relations.f1}")
    assert mine.entities.f1 > theirs.entities.f1 + 0.05
    assert mine.relations.f1 > theirs.relations.f1
    assert mine.entities.f1 > fewer.entities.f1 > theirs.entities.f1


def test_learning_curve_trains_each_fold_apart_and_fits_a_line():
    import importlib.util
    spec = importlib.util.spec_from_file_location("learning_curve", ROOT / "tools" / "learning_curve.py")
    curve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(curve)
    for held_out in range(curve.FOLDS):
        for k in range(1, curve.FOLDS):
            folds = curve.training_folds(held_out, k)
            assert len(folds) == k and held_out not in folds
    a, b = curve.fit_line([(8, 0.5), (16, 0.55), (32, 0.6)])  # F1 0.35 + 0.05·log2(documents)
    assert a == pytest.approx(0.35) and b == pytest.approx(0.05)
    assert curve._documents_at(0.70, a, b) == "about 128 training documents (a lower bound)"  # log2 = 7
    assert curve._documents_at(0.70, 0.6, 0.0).startswith("no number")  # a flat line reaches nothing


@needs_gold
def test_learn_training_gives_the_same_bytes_twice(gold_examples, tmp_path):
    few = gold_examples[:3]
    first, second = train_model(few, tmp_path / "a"), train_model(few, tmp_path / "b")
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@needs_gold
def test_learn_training_replaces_a_model_whole(gold_examples, tmp_path):
    out = train_model(gold_examples[:2], tmp_path / "model")
    before = json.loads((out / "model.json").read_text(encoding="utf-8"))["documents"]
    train_model(gold_examples[2:4], out)
    after = json.loads((out / "model.json").read_text(encoding="utf-8"))["documents"]
    assert before != after and len(after) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary folder left behind


def test_learn_shipped_model_loads_and_says_what_it_learned_from(knowledge):
    model = LearnedModel.load(DEFAULT_MODEL, knowledge)
    documents = model.meta["documents"]
    assert any(d.startswith("c") for d in documents) and any(d[0].isdigit() for d in documents)  # the corpus gold and the seeds'
    assert sum((DEFAULT_MODEL / name).stat().st_size for name in FILES) < 20 * 2**20


def test_learn_word_clusters_are_read_with_their_granularities_and_a_broken_line_is_named(tmp_path):
    path = tmp_path / "word_clusters.txt"
    path.write_text("# a comment\n#\t3\t40\n华为\t1\t17\n", encoding="utf-8")
    assert word_clusters(path) == {"#": ("3", "40"), "华为": ("1", "17")}
    path.write_text("华为\t1\t17\n比亚迪\t1\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"word_clusters\.txt:2: expected 'word' and 2 cluster numbers"):
        word_clusters(path)
    with pytest.raises(KnowledgeError, match=r"absent\.txt: missing .*tools/mine_clusters\.py"):
        word_clusters(tmp_path / "absent.txt")


def test_learn_the_shipped_model_weighs_the_mined_word_clusters(knowledge):
    """Trained on cluster features, the model would silently lose them without the mined file."""
    clusters = word_clusters(MINED / CLUSTERS)
    assert len(clusters) > 50_000
    weighed = [a for a in LearnedModel.load(DEFAULT_MODEL, knowledge).outer.crf.attributes if a.startswith("q")]
    levels = {len(codes) for codes in clusters.values()}
    assert {a.split("=")[0] for a in weighed} == {f"q{level}" for level in range(*levels)} and len(weighed) > 100


def test_learn_a_folder_that_is_not_a_model_is_refused(knowledge, tmp_path):
    with pytest.raises(KnowledgeError, match="not a kg model"):
        LearnedModel.load(tmp_path, knowledge)


@pytest.mark.parametrize("text, without, with_prior", [
    # corpus sentences (深圳市-2026, 国务院 1981, 深圳市-2026, 深圳市-2026): the prior lets the outer
    # tagger read a program it weighed just below the path without it
    ("高质量完成国企改革深化提升行动，30项改革经验和案例在全国推广。", set(), {("国企改革深化提升行动", "Program")}),
    ("与此同时，三年来逐步扩大企业自主权，推行经济责任制，贯彻执行按劳分配的原则，并在国家计划指导下发挥市场调节的辅助作用。",
     set(), {("经济责任制", "Program")}),
    ("9个区通过全国学前教育普及普惠区评估认定。", set(), {("全国学前教育普及普惠区", "Program")}),
    ("新增国家级制造业单项冠军企业22家、总量达117家。", set(), {("国家级制造业单项冠军", "Program")}),
    # look-alikes: kinds of work and plain aims, no program with the prior or without it
    ("完善企业职工工资正常增长机制，提高公交服务质量。", set(), set()),
    ("优化公交线网，推行公交票价改革。", set(), set()),
])
def test_learn_the_outer_tagger_weighs_a_program_more_by_its_prior(extractor, text, without, with_prior):
    import kg.learn.model as learned

    reading = extractor.reading(Document("t.txt", text))
    read = {(text[s.start:s.end], s.type) for s in extractor.model.spans(text, reading)[0]}
    assert {name for name in read if name[1] == "Program"} == with_prior and learned.NAME_PRIOR["Program"] == 0.6
    model = extractor.model
    assert model.outer.closing_prior({}) is None
    without_prior = replace(model, prior=model.outer.closing_prior({}))
    assert {(text[s.start:s.end], s.type) for s in without_prior.spans(text, reading)[0]} == without


@pytest.mark.parametrize("text, without, with_prior", [
    # corpus sentences (淮南市-2021, 张家口市-2025, 深圳市-2026, 河北省-2022): the prior for places
    # splits a chain of divisions (the guide names each), reads areas as places, finds a lake
    ("全面融入长三角区域一体化发展等重大区域发展战略，与上海市闵行区建立友好市区。",
     {"上海市闵行区"}, {"上海市", "闵行区"}),
    ("瞄准京津、长三角、粤港澳大湾区等重点区域，优化产业链招商。", {"长三角"}, {"京津", "长三角", "粤港澳大湾区"}),
    ("前海扩区效应凸显，105项制度创新成果全国复制推广，五年新注册港资企业超6000家、引进全球头部服务商42家，现代服务业增加值增长超一倍。",
     set(), {"前海"}),
    ("加强白洋淀全流域治理修复，淀区水质稳定达到Ⅲ类。", set(), {"白洋淀"}),
])
def test_learn_the_outer_tagger_weighs_a_place_more_by_its_prior(extractor, text, without, with_prior):
    import kg.learn.model as learned

    def places(model) -> set[str]:
        return {text[s.start:s.end] for s in model.spans(text, reading)[0] if s.type == "Place"}

    reading = extractor.reading(Document("t.txt", text))
    assert places(extractor.model) == with_prior and learned.NAME_PRIOR["Place"] == 0.45
    model = extractor.model
    assert places(replace(model, prior=model.outer.closing_prior({**learned.NAME_PRIOR, "Place": 0.0}))) == without


@pytest.mark.parametrize("text, project, expected", [
    # corpus sentences: the gold names the institution or enterprise a project's name starts with
    ("推进三亚中心医院改扩建。", "三亚中心医院改扩建", ("三亚中心医院", "Organization")),
    ("建成河港集团健康大数据产业园。", "河港集团健康大数据产业园", ("河港集团", "Company")),
    ("荆州中学新校区投入使用。", "荆州中学新校区", ("荆州中学", "Organization")),
    # 大学城 is a place, not a university: no head word of an institution ends any start of this name
    ("建设大学城变电站。", "大学城变电站", None),
])
def test_learn_merge_keeps_the_institution_or_enterprise_a_project_name_starts_with(knowledge, text, project, expected):
    start = text.index(project)
    outer = [Span(start, start + len(project), "Project")]
    found = {(m.text, m.type, m.rule) for m in merge(text, outer, [], [], knowledge)}
    assert (project, "Project", "learned.outer") in found
    inner = {(name, kind) for name, kind, rule in found if rule == "learned.inner.headed"}
    assert inner == ({expected} if expected else set())


def _inner_name_stands(knowledge, text: str, holder: str, name: str, kind: str = "Company", holder_kind: str = "Project") -> bool:
    """Does the merge keep `name` of `kind`, read by the inner tagger inside `holder` (the outer
    tagger's, kept whatever becomes of the inner name)?"""
    start = text.index(holder)
    at = start + holder.index(name)
    found = {(m.text, m.type, m.rule) for m in merge(text, [Span(start, start + len(holder), holder_kind)],
                                                      [Span(at, at + len(name), kind)], [], knowledge)}
    assert (holder, holder_kind, "learned.outer") in found
    return (name, kind, "learned.inner") in found


@pytest.mark.parametrize("text, project, brand, kept", [
    # corpus sentences: an enterprise's short name heads the project (jieba does not know 正威, and
    # knows 华能 as a proper name), and words jieba knows as common nouns or places that do not
    ("正威新疆新材料产业园开工建设。", "正威新疆新材料产业园", "正威", True),
    ("华能新能源基地并网发电。", "华能新能源基地", "华能", True),
    ("实施储能装备一期工程。", "储能装备一期工程", "储能", False),
    ("东北特钢项目投产。", "东北特钢项目", "东北", False),
    # corpus sentences: a word a tenth of the corpus reports use heads the project (mined/common_words.txt)
    ("加快推进建筑垃圾处置中心、餐厨垃圾处置中心建设。", "餐厨垃圾处置中心", "餐厨", False),
    ("新增5G基站、城市公共充电桩各2万个。", "5G基站", "5G", False),
    # look-alikes: enterprises fewer reports name (华润 in 271, 大唐 in 216 of 2,956) stay
    ("建成三峡庆云二期、华润财金东营新型储能项目。", "华润财金东营新型储能项目", "华润", True),
    ("赣抚尾闾综合整治、大唐新余二期等项目，", "大唐新余二期", "大唐", True),
])
def test_learn_merge_keeps_an_enterprise_heading_a_project_but_not_a_common_word(knowledge, text, project, brand, kept):
    assert _inner_name_stands(knowledge, text, project, brand) == kept


@pytest.mark.parametrize("text, holder, holder_kind, name, kind, kept", [
    # corpus sentences: a bridge, a line, a dam named after a place or a route's ends, the city's own
    # institution, a number and an industry heading a project's name are no enterprises
    ("启动建设金屿大桥、百崎大桥、金鲤大桥，做细东海通道前期。", "百崎大桥", "Project", "百崎", "Company", False),
    ("加快润扬第二过江通道、宁扬、宁马城际等项目前期工作；", "宁马城际", "Project", "宁马", "Company", False),
    ("市文化中心、广安大剧院等重大文化项目加快实施。", "市文化中心", "Project", "市文化", "Company", False),
    ("推进中船钦州基地一期、30万吨级支航道等项目全面施工。", "30万吨级支航道", "Project", "30", "Company", False),
    ("大力推进低碳智慧能源综合利用海棠湾示范区项目建设。", "低碳智慧能源综合利用海棠湾示范区项目", "Project", "低碳", "Company", False),
    # look-alikes: an enterprise followed by a place, a route's facility not right after it, a line of
    # trade, an institution's name that opens with an industry word
    ("加快大唐攸县电厂建设，核准并开工新建华电常德电厂。", "华电常德电厂", "Project", "华电", "Company", True),
    ("建成华能董家口长输热力管线和胶州湾海底天然气管线工程。", "华能董家口长输热力管线", "Project", "华能", "Company", True),
    ("推动翼辰轨道交通装备智造、科林电气电力装备等项目早日开工。", "翼辰轨道交通装备智造", "Project", "翼辰", "Company", True),
    ("加快国际商务区中心公园、香港中心、招商局中心等项目建设。", "招商局中心", "Project", "招商局", "Company", True),
    # corpus sentences: the gold names the road, the place a route runs from and the village written
    # inside the project's name, which the gazetteer does not know
    ("完成南新道、友谊路拓宽等道路改造工程。", "友谊路拓宽", "Project", "友谊路", "Place", True),
    ("重点推进大塘至渠黎二级路、思陇至那桐二级路等项目。", "思陇至那桐二级路", "Project", "思陇", "Place", True),
    ("加快西上庄综合管网工程进度。", "西上庄综合管网工程", "Project", "西上庄", "Place", True),
    ("开工建设乌塔沟综合整治工程。", "乌塔沟综合整治工程", "Project", "乌塔沟", "Place", True),
    # a railway built is no place, nor a place of two characters, nor a project's whole name
    ("市郊铁路璧铜线等建成开通。", "市郊铁路璧铜线", "Project", "市郊铁路", "Place", False),
    ("启动北山污水处理厂建设。", "北山污水处理厂", "Project", "北山", "Place", False),
    ("南马路、哈双南路竣工通车。", "哈双南路", "Project", "哈双南路", "Place", False),
    # corpus sentences: the gold names the city, the island and the university whole, not the place
    # they start with (富锦 and 沈阳 are divisions the gazetteer knows)
    ("支持富锦市、桦南县重点打造玉米精深加工、食药健康产业集群。", "富锦市", "Place", "富锦", "Place", False),
    ("金普新区、高新区、长兴岛、花园口、旅顺开发区等配置资源要素能力和效率持续提升。", "长兴岛", "Place", "长兴", "Place", False),
    ("推动沈阳航空航天大学、苏州大学等研发机构落地见效。", "沈阳航空航天大学", "Organization", "沈阳", "Place", False),
    # a county heading a zone's own name stands (the gold names both), as does a division in a project's name
    ("支持吴江汾湖高新区、常熟高新区升格为国家高新区。", "吴江汾湖高新区", "Place", "吴江", "Place", True),
    ("建设交城140万千瓦抽水蓄能电站等项目，逐步提升新能源消纳能力。", "交城140万千瓦抽水蓄能电站", "Project", "交城", "Place", True),
])
def test_learn_merge_reads_what_the_name_holding_it_shows_of_an_inner_name(knowledge, text, holder, holder_kind, name, kind, kept):
    """An enterprise heading a bridge, a line, a dam… is none; a road, a village, a route's end
    inside a project's name is a place, though the gazetteer does not know it; a place that is only
    part of a place's, an institution's or an enterprise's name is none."""
    assert _inner_name_stands(knowledge, text, holder, name, kind, holder_kind) == kept


@pytest.mark.parametrize("place", ["友谊路", "思陇", "西上庄", "乌塔沟", "市郊铁路", "北山", "哈双南路"])
def test_learn_the_places_inside_project_names_above_are_no_divisions(knowledge, place):
    assert place not in knowledge.by_name and place not in knowledge.by_short  # the gazetteer's would stand anyway


def test_learn_merge_keeps_a_common_word_a_rule_read_as_an_enterprise(knowledge):
    # corpus sentence: 华为 is in a tenth of the reports (common_words.txt), but a rule read it as the brand
    text = "百度云计算中心、华为中国区运营商总部项目落户，"
    start = text.index("华为")
    outer = [Span(start, text.index("落户"), "Project")]
    inner = [Span(start, start + 2, "Company")]
    rules = [Mention(start, start + 2, "华为", "Company", rule="brand.project")]
    assert "华为" in knowledge.common_words
    found = {(m.text, m.type) for m in merge(text, outer, inner, rules, knowledge)}
    assert ("华为", "Company") in found


def test_learn_merge_drops_a_place_named_works_brand_though_a_rule_read_it(knowledge):
    # corpus sentence: the rules read 白濑 as the brand heading 白濑水利枢纽; the dam is named after a place
    text = "抓好白濑水利枢纽、马跳水库等项目，开工山美灌区节水改造工程。"
    outer = [Span(2, 8, "Project")]
    inner = [Span(2, 4, "Company")]
    rules = [Mention(2, 4, "白濑", "Company", rule="brand.project")]
    found = {(m.text, m.type) for m in merge(text, outer, inner, rules, knowledge)}
    assert found == {("白濑水利枢纽", "Project")}


@pytest.mark.parametrize("text, tagged, kind, ruled, expected", [
    # corpus sentences: the tagger stops short of the head word a rule read the name to
    ("加快推进江西国际经济技术合作公司、凤凰光学集团等股权多元化改革，", "江西国际", "Company", "江西国际经济技术合作公司", "江西国际经济技术合作公司"),
    ("市中心医院、疾控中心和妇幼保健院前期工作基本完成；", "市中心", "Organization", "市中心医院", "市中心医院"),
    # look-alikes: a project is left as the tagger marks it, and so is a name the rule's would run into
    ("开工建设白濑水利枢纽工程。", "白濑水利枢纽", "Project", "白濑水利枢纽工程", "白濑水利枢纽"),
    ("加快推进江西国际经济技术合作公司、凤凰光学集团等股权多元化改革，", "江西国际", "Company", "江西国际经济技术合作公司", None),
])
def test_learn_merge_completes_an_enterprise_or_institution_a_rule_read_further(knowledge, text, tagged, kind, ruled, expected):
    start = text.index(tagged)
    outer = [Span(start, start + len(tagged), kind)]
    if expected is None:  # the tagger marks another name inside the rule's: it stays as it is
        outer.append(Span(start + len(tagged) + 2, start + len(tagged) + 4, "Place"))
    rules = [Mention(start, start + len(ruled), ruled, kind, rule=f"head.{kind.lower()}")]
    found = {m.text for m in merge(text, outer, [], rules, knowledge) if m.type == kind}
    assert found == {expected or tagged}


@pytest.mark.parametrize("text, name, kind, expected", [
    # corpus sentences: the gold names the quoted phrase as a program of its own
    ("深化“放管服”改革，优化营商环境。", "“放管服”改革", "Program", "放管服"),
    ("实施“千村示范、万村整治”工程。", "“千村示范、万村整治”工程", "Program", "千村示范、万村整治"),
    # a name that is all quote, a project's quoted start, and a phrase of one character stay as they are
    ("编制“十四五”规划。", "“十四五”", "Program", None),
    ("建设“三南”园区。", "“三南”园区", "Project", None),
    ("推进“双”工程。", "“双”工程", "Program", None),
])
def test_learn_merge_keeps_the_quoted_start_of_a_program_name(knowledge, text, name, kind, expected):
    start = text.index(name)
    found = {(m.text, m.type, m.rule) for m in merge(text, [Span(start, start + len(name), kind)], [], [], knowledge)}
    assert (name, kind, "learned.outer") in found
    quoted = {(text, kind) for text, kind, rule in found if rule == "learned.inner.quoted"}
    assert quoted == ({(expected, "Program")} if expected else set())


@pytest.mark.parametrize("text, expected", [
    # a 2019 city report of the corpus: the rules alone gave 5亿 to the wrong name and lost the others
    ("现代服务业重点推进总投资20亿元的万达城市广场、总投资5亿元的蓝远综合物流园等项目，文化旅游业重点推进"
     "总投资19.8亿元的王莽岭景区整治提升、总投资20亿元的华谊兄弟星剧场等项目。",
     {("万达城市广场", 20.0), ("蓝远综合物流园", 5.0), ("王莽岭景区整治提升", 19.8), ("华谊兄弟星剧场", 20.0)}),
    # the rules alone gave both sums to the city
    ("产业转型方面，重点推进总投资136亿元的晋钢智造科技产业园、总投资100亿元的晋钢机电装备产业园等项目建设。",
     {("晋钢智造科技产业园", 136.0), ("晋钢机电装备产业园", 100.0)}),
])
def test_learn_amounts_in_a_list_stay_with_their_own_projects(extractor, text, expected):
    money = {(f.head, f.amount.yi) for f in extractor.extract(Document("晋城市-2019.txt", text)).facts if f.relation == "investment"}
    assert money == expected


def test_learn_an_amount_is_never_given_to_the_next_name_of_a_list(knowledge):
    # a made-up list whose second name no reader would call a project: its sum goes nowhere, not to a neighbour
    text = "推进总投资20亿元的文明城市创建、总投资5亿元的蓝远综合物流园项目。"
    money = {(f.head, f.amount.yi) for f in Extractor(knowledge, model=None).extract(Document("t.txt", text)).facts if f.relation == "investment"}
    assert ("蓝远综合物流园项目", 20.0) not in money
    assert ("蓝远综合物流园项目", 5.0) in money


def test_learn_cli_train_names_a_gold_file_without_its_text(tmp_path):
    (tmp_path / "a.json").write_text('{"doc": "a.txt", "entities": [], "relations": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(tmp_path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "a.txt is neither beside it" in result.output and "--texts" in result.output
    assert not (tmp_path / "m").exists()


def test_learn_cli_eval_cv_refuses_a_prediction_folder(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--cv", "5", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "GOLD_DIR alone" in result.output


def test_learn_cli_eval_train_also_needs_cv(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(tmp_path), str(tmp_path), "--train-also", str(tmp_path)])
    assert result.exit_code == 2 and "give --cv K too" in result.output


@needs_gold
def test_learn_cross_validation_refuses_to_train_every_fold_on_a_document_it_scores(gold_examples, knowledge):
    with pytest.raises(InputError, match=gold_examples[0].doc.id):
        cross_validate(gold_examples, knowledge, also=gold_examples[:1])


def test_learn_every_program_of_a_report_is_somebodys(extractor, seed_docs):
    # the classifier leaves some programs to no one (专精特新, 十五五 in the first seed); the report's
    # own place implements them, under a rule id of their own
    unclaimed = set()
    for doc in seed_docs:
        extraction = extractor.extract(doc)
        programs = {m.text for m in extraction.mentions if m.type == "Program"}
        implemented = {f.tail for f in extraction.facts if f.relation == "implements"}
        assert programs and programs <= implemented, doc.id
        unclaimed |= {f.tail for f in extraction.facts if f.rule == "learned.pairs.implements.unclaimed"}
    assert {"专精特新", "十五五"} <= unclaimed


@needs_gold
def test_learn_nothing_is_placed_in_the_report_s_own_place_or_above_it(extractor, knowledge):
    # a 2020 Urumqi report: the classifier put 新疆凯沃新材料 and a free-trade zone in 新疆 and
    # projects in 乌鲁木齐市; the guide leaves the subject (and what holds it) out of locatedIn
    doc = read_document(CORPUS_GOLD / "c00_乌鲁木齐市-2020.txt")
    extraction = extractor.extract(doc)
    home = {"乌鲁木齐市", "乌鲁木齐", "新疆维吾尔自治区", "新疆"}
    placed = [f for f in extraction.facts if f.relation == "locatedIn" and f.basis == "text"]
    assert placed, "the report still places its districts and parks"
    assert not [f for f in placed if f.tail in home]


@pytest.mark.parametrize("text, head, head_type, tail, tail_at, code, expected", [
    # corpus names: a name written inside another, away from its start, unknown to the gazetteer
    ("小白河防凌应急分洪工程", "小白河防凌应急分洪工程", "Project", "白河", 1, "", True),
    # inside a place's name, even a division is no place of it
    ("环巢湖生态示范区", "环巢湖生态示范区", "Place", "巢湖", 1, "340181", True),
    # a division inside a project's name, and a place at the start of a name, stay the classifier's
    ("国道339昔阳县城过境段改线", "国道339昔阳县城过境段改线", "Project", "昔阳县", 5, "140724", False),
    ("长兴岛", "长兴岛", "Place", "长兴", 0, "", False),
    # a place written right before another (the guide's chain) stays; one written apart needs a code
    ("平源街道安康里社区", "安康里社区", "Place", "平源街道", 0, "", False),
    ("安康里社区位于平源街道", "安康里社区", "Place", "平源街道", 7, "", True),
    ("沙市区位于荆州市", "沙市区", "Place", "荆州市", 5, "421000", False),
])
def test_learn_a_place_written_where_it_cannot_hold_the_name_is_not_its_place(text, head, head_type, tail, tail_at, code, expected):
    assert text[tail_at:tail_at + len(tail)] == tail
    head_at = text.index(head)
    c = Candidate(Mention(head_at, head_at + len(head), head, head_type), "locatedIn",
                  Mention(tail_at, tail_at + len(tail), tail, "Place", code=code), Sentence(0, 0, len(text), text))
    assert _no_place_of_it(c) == expected


def test_learn_another_implementer_than_the_report_s_place_needs_a_surer_reading():
    text = "宾阳县创建自治区新型城镇化示范县。"
    sentence = Sentence(0, 0, len(text), text)
    county, program = Mention(0, 3, "宾阳县", "Place", code="450126"), Mention(5, 16, "自治区新型城镇化示范县", "Program")
    by_county, by_subject = Candidate(county, "implements", program, sentence), Candidate(None, "implements", program, sentence)
    assert OTHER_IMPLEMENTER > 0.5
    assert _weighed(OTHER_IMPLEMENTER - 0.05, by_county) == 0.0
    assert _weighed(OTHER_IMPLEMENTER + 0.05, by_county) == OTHER_IMPLEMENTER + 0.05
    assert _weighed(0.6, by_subject) == 0.6
    assert _weighed(0.6, Candidate(program, "locatedIn", county, sentence)) == 0.6
