"""kg's segmenter (jieba's word graph walked by numba, kg/_wordgraph.py) cuts exactly as jieba does:
its tokens against `jieba.Tokenizer.lcut` with the same words, on real reports, scrambles of them
full of unknown runs, and text with characters jieba treats apart."""
from __future__ import annotations

import pickle

import jieba
import pytest

from kg.documents import read_document
from kg.segment import DOMAIN_FREQ, Segmenter

# Latin, digits, decimals and percentages, the symbols jieba keeps in its blocks, full-width forms,
# characters beyond U+FFFF (an extension-B ideograph, an emoji), CJK extension A and the edges of
# jieba's range (U+4E00-U+9FD5), a lone surrogate, spaces and controls, empty blocks between
# punctuation; runs of single characters that go to jieba's HMM, some with Latin inside
ODD = [
    "",
    "。",
    "，，。；“”",
    " \t\r\n\u3000",
    "甲\r\r\n\n乙\r\n\r丙\n\r",
    "5G基站建成1.2万个，增长23.5%，C++与C#、R&D、a_b.c-d%、3.14159。",
    "ＡＢＣ１２３，全角字母ＧＤＰ增长６．５％。",
    "𠮷野家在𠮷林开了分店😀😀，𠀀𪚥龘。",
    "㐀㐁㐂一\u9fd5\u9fd6\u4dff丐丑，\u4e00\u9fd5。",
    "字\ud800字\udfff字",
    "abc中def国ghi",
    "x中y文z",
    "夏斐乔麦缇兹诺",
    "萨尔瓦多佩德罗苏利埃纳",
    "的的的的的的的的的",
    "一" * 300,
    "中华人民共和国" * 50 + "abc" * 20,
]


@pytest.fixture(scope="module")
def tokenizer(extractor):
    """jieba's own tokenizer with kg's domain words, as kg's segmenter is made."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in extractor.knowledge.domain_words():
        tokenizer.add_word(word, DOMAIN_FREQ)
    return tokenizer


def _check(segmenter: Segmenter, tokenizer: jieba.Tokenizer, text: str, label: str) -> None:
    tokens = segmenter.tokens(text)
    assert [t.text for t in tokens] == tokenizer.lcut(text), label
    assert [(t.start, t.end) for t in tokens] == [(t.start, t.start + len(t.text)) for t in tokens], label
    assert all(text[t.start:t.end] == t.text for t in tokens), label
    assert (tokens[-1].end if tokens else 0) == len(text), label


def test_segment_odd_characters_cut_as_jieba_does(extractor, tokenizer):
    for text in ODD:
        _check(extractor.segmenter, tokenizer, text, text[:20])
    _check(extractor.segmenter, tokenizer, "".join(ODD), "all together")


def test_segment_reports_and_their_scrambles_cut_as_jieba_does(extractor, tokenizer, seed_paths):
    """The seeds, and texts made from them full of blocks no report has: every third character,
    every second, reversed, with odd characters spliced in."""
    fresh = Segmenter(extractor.knowledge.domain_words())  # its dictionary loaded now, as a worker's
    for path in seed_paths:
        text = read_document(path).text
        odd = "".join(ODD[4:9])
        for label, variant in (("text", text), ("1::3", text[1::3]), ("::2", text[::2]), ("reversed", text[::-1]),
                               ("spliced", "".join(a + b for a, b in zip(text[::50], odd * 200)))):
            _check(fresh, tokenizer, variant, f"{path.name} {label}")


def test_segment_reports_of_the_corpus_cut_as_jieba_does(extractor, tokenizer, corpus):
    paths = sorted(corpus.glob("*/*.txt"))[::300]  # ten reports across the folders
    assert len(paths) >= 9
    for path in paths:
        text = read_document(path).text
        _check(extractor.segmenter, tokenizer, text, path.name)
        _check(extractor.segmenter, tokenizer, text[2::5], f"{path.name} 2::5")


def test_segment_a_tie_goes_to_the_longer_first_word_as_in_jieba(monkeypatch, tmp_path):
    """Four words of one frequency make 甲乙|丙丁 and 甲|乙丙丁 score the same float: jieba's max
    over (probability, end) takes the longer first word, and so must the compiled walk."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))  # these words' dictionaries cached there, not in the user's cache
    words = ("甲乙", "丙丁", "甲", "乙丙丁")
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, DOMAIN_FREQ)
    segmenter = Segmenter(words)
    assert tokenizer.lcut("甲乙丙丁") == ["甲乙", "丙丁"]
    for text in ("甲乙丙丁", "在甲乙丙丁里", "甲乙丙丁甲乙丙丁", "丙丁甲乙丙丁甲"):
        _check(segmenter, tokenizer, text, text)


def test_segment_a_segmenter_sent_to_another_process_cuts_the_same(extractor):
    text = "大同市新荣区建成5G基站，夏斐乔麦缇兹诺。"
    copy = pickle.loads(pickle.dumps(extractor.segmenter))
    assert [t.text for t in copy.tokens(text)] == [t.text for t in extractor.segmenter.tokens(text)]


def test_segment_words_jieba_is_told_to_split_are_split_as_jieba_does(extractor, tokenizer, monkeypatch, seed_docs):
    """jieba's HMM spells out the words in finalseg.Force_Split_Words (a process-wide set, filled by
    add_word(word, 0)): with any there, kg leaves its runs to finalseg itself, and cuts as jieba."""
    from jieba import finalseg

    fresh = Segmenter(extractor.knowledge.domain_words())
    text = "夏斐乔麦缇兹诺，有675.91万的APEC。" + seed_docs[0].text[1::3]
    guessed = [w for w in tokenizer.lcut(text) if len(w) > 1 and w not in tokenizer.FREQ][:5]
    assert "夏斐" in guessed
    monkeypatch.setattr(finalseg, "Force_Split_Words", set(guessed))
    _check(fresh, tokenizer, text, "forced")
    assert "夏斐" not in [t.text for t in fresh.tokens(text)]
