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
