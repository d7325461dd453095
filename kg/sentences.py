"""Splits a document into sentences with character offsets."""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter

from .model import Sentence

# A sentence ends at Chinese or ASCII end punctuation or a line break; the mark stays with it.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of `text`, blank ones dropped; `text[s.start:s.end] == s.text`.

    >>> [s.text for s in split_sentences("新荣区位于大同市。发展很快！")]
    ['新荣区位于大同市。', '发展很快！']
    """
    out = []
    for match in _SENTENCE.finditer(text):
        if match.group().strip():
            out.append(Sentence(len(out), match.start(), match.end(), match.group()))
    return tuple(out)


_END = attrgetter("end")


def sentence_at(sentences: tuple[Sentence, ...], offset: int) -> Sentence | None:
    """The sentence holding character `offset` (binary search over sorted sentences)."""
    lo = bisect_right(sentences, offset, key=_END)  # the first that ends after it
    if lo < len(sentences) and sentences[lo].start <= offset < sentences[lo].end:
        return sentences[lo]
    return None
