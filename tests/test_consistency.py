"""Facts checked against the gazetteer after extraction, whatever extractor read them (kg.consistency)."""
import pytest

from kg.consistency import CONTRADICTIONS, REASONS, consistent
from kg.model import Document, Extraction, Fact, Sentence


def _located(head, tail, head_type="Place"):
    return Fact(head, head_type, "locatedIn", tail, "Place", 0, "another.extractor")


def _check(knowledge, *facts):
    """The facts as another extractor might give them (names only, no mentions): kept, and refusals by reason."""
    text = "。".join(f"{f.head}{f.tail}" for f in facts) + "。"
    extraction = Extraction(Document("x.txt", text), (Sentence(0, 0, len(text), text),), (), tuple(facts))
    kept, refused = consistent(extraction, knowledge)
    return list(kept.facts), [(r.fact.head, r.fact.tail, r.reason) for r in refused]


@pytest.mark.parametrize("head, tail, reason", [
    ("晋城市", "晋城市", "itself"),
    ("山西省", "晋城市", "lower"),       # a province under one of its cities
    ("太原市", "晋城市", "lower"),       # a city under another city
    ("新荣区", "太原市", "elsewhere"),   # a county under a city the gazetteer does not put it in
    ("新荣区", "某某经济区", "placed"),  # the gazetteer places 新荣区 in 大同市
    ("新荣区", "山西省", "skips"),       # true, but 大同市 lies in between
    ("黄河", "东营市", "landmark"),      # a river lies in no one report's place
])
def test_consistency_refuses_what_the_gazetteer_or_the_tree_forbids(knowledge, head, tail, reason):
    kept, refused = _check(knowledge, _located(head, tail))
    assert kept == [] and refused == [(head, tail, reason)]
    assert reason in REASONS and (reason in CONTRADICTIONS) == (reason in ("itself", "lower", "elsewhere", "placed"))


def test_consistency_keeps_the_gazetteers_own_parent_and_unknown_places(knowledge):
    facts = [_located("晋城市", "山西省"), _located("清水河镇", "霍城县"), _located("某某项目", "新荣区", "Project"),
             _located("某某项目", "晋城市", "Project")]  # a project may lie in two places: no tree to keep
    kept, refused = _check(knowledge, *facts)
    assert kept == facts and refused == []


def test_consistency_keeps_one_parent_and_no_loop_per_report(knowledge):
    kept, refused = _check(knowledge, _located("清水河镇", "霍城县"), _located("清水河镇", "清水河县"),
                           _located("某某园", "某某村"), _located("某某村", "某某园"))
    assert [(f.head, f.tail) for f in kept] == [("清水河镇", "霍城县"), ("某某园", "某某村")]
    assert refused == [("清水河镇", "清水河县", "second"), ("某某村", "某某园", "cycle")]
