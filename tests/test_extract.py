"""Extraction on real text: offsets, types in known sentences, amounts, sentences."""
from decimal import Decimal

import pytest

from kg import Document
from kg.amounts import find_amounts, parse_amount
from kg.sentences import split_sentences


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
])
def test_extract_rules_on_corpus_sentences(extractor, text, expected):
    found, _ = _types(extractor, text)
    assert expected <= found


@pytest.mark.parametrize("text, not_expected", [
    ("由“一煤独大”向“多元支撑”转变。", ("一煤独大", "Program")),  # a transition, not a program
    ("坚持“九二共识”，维护一个中国。", ("九二共识", "Program")),  # a doctrine
    ("深化行政管理体制改革，着力转变职能。", ("行政管理体制改革", "Program")),  # a kind of work
    ("新建道路20条，改造管网。", ("新建道路20条", "Program")),  # roads counted, not a policy
    ("加大景区周边环境综合整治。", ("加大景区", "Place")),  # a verb and a noun
])
def test_extract_rules_reject_look_alikes(extractor, text, not_expected):
    found, _ = _types(extractor, text)
    assert not_expected not in found


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
