"""The mention-finding stage as declared components: each one finds names no other finds, and its
merge rule is what decides between overlapping names."""
from __future__ import annotations

import pytest

from kg.finding import COMPONENTS, find_mentions
from kg.finding.pipeline import Component
from kg.trace import MentionTrace


def _found(doc, extractor, components=COMPONENTS):
    tokens = extractor.segmenter.tokens(doc.text)
    return {(m.start, m.end, m.type) for m in find_mentions(doc, tokens, extractor.knowledge, components=components)}


@pytest.fixture(scope="module")
def found_by_all(seed_docs, extractor):
    return [_found(doc, extractor) for doc in seed_docs]


# Finders the seeds exercise; captions and siblings are exercised by tests/test_extract.py's own sentences.
@pytest.mark.parametrize("name", ["gazetteer", "heads", "lexicon", "quotes", "lists", "policy", "brands", "place_prefix"])
def test_finding_each_component_finds_names_no_other_does(name, seed_docs, extractor, found_by_all):
    without = tuple(c for c in COMPONENTS if c.name != name)
    assert len(without) == len(COMPONENTS) - 1
    lost = [all_ - _found(doc, extractor, without) for doc, all_ in zip(seed_docs, found_by_all)]
    assert any(lost), f"the seeds lose no name without the {name} component"


def test_finding_merge_rule_decides_overlaps(extractor):
    # 某湖等4个安置项目: the lists component's merge rule makes the lake's name an item of a list of projects
    text = "铺开城中村改造，翠湖等4个安置项目圆满交付。"
    doc = type("Doc", (), {"text": text, "id": "t.txt"})()
    tokens = extractor.segmenter.tokens(text)
    as_declared = {(m.text, m.type) for m in find_mentions(doc, tokens, extractor.knowledge)}
    plain = tuple(Component(c.name, c.find) if c.name == "lists" else c for c in COMPONENTS)
    appended = {(m.text, m.type) for m in find_mentions(doc, tokens, extractor.knowledge, components=plain)}
    assert ("翠湖", "Project") in as_declared and ("翠湖", "Place") not in as_declared
    assert ("翠湖", "Place") in appended


def test_finding_trace_names_each_component_and_reason(seed_docs, extractor):
    trace = MentionTrace()
    doc = seed_docs[0]
    find_mentions(doc, extractor.segmenter.tokens(doc.text), extractor.knowledge, trace)
    assert {finder for finder, _ in trace.proposed} >= {"gazetteer", "heads", "lexicon", "quotes"}
    assert trace.dropped and all(why for _, why in trace.dropped)
