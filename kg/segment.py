"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import logging
from functools import lru_cache
from collections.abc import Iterable

import jieba

from .model import Token

# A frequency high enough that jieba keeps a domain word whole against its general dictionary.
DOMAIN_FREQ = 200_000

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Segments text with its own `jieba.Tokenizer`, never touching jieba's global one."""

    def __init__(self, domain_words: Iterable[str] = ()):
        self._words = tuple(domain_words)
        self._tokenizer: jieba.Tokenizer | None = None

    def _ready(self) -> jieba.Tokenizer:
        # Built lazily so a Segmenter pickles cheaply into worker processes.
        if self._tokenizer is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word in self._words:
                tokenizer.add_word(word, DOMAIN_FREQ)
            self._tokenizer = tokenizer
        return self._tokenizer

    def __getstate__(self):
        return {"_words": self._words, "_tokenizer": None}

    def __setstate__(self, state):
        self._words = state["_words"]
        self._tokenizer = None

    def tokens(self, text: str) -> list[Token]:
        """Tokens of `text` in order; `text[t.start:t.end] == t.text` for each."""
        return [Token(word, start, end) for word, start, end in self._ready().tokenize(text)]


# Above this frequency in jieba's general dictionary a word is common (长城 1559, 精品 1959);
# brands are rare there or absent (华阳 58, 中煤 5).
COMMON_FREQ = 1000
# Parts of speech that never name an enterprise: verbs, adjectives, adverbs, numerals, function words.
_NOT_NAME_TAGS = frozenset({"v", "vd", "vn", "a", "ad", "an", "d", "m", "mq", "p", "c", "u", "r", "f", "q", "t", "uj", "ul", "y", "e"})


@lru_cache(maxsize=1)
def _general_dictionary() -> dict[str, tuple[int, str]]:
    entries = {}
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                entries[parts[0]] = (int(parts[1]), parts[2])
    return entries


def common_word(word: str) -> bool:
    """Is `word` an ordinary word of Chinese (得益于, 一般, 长城) rather than a possible brand?"""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return freq > COMMON_FREQ or tag in _NOT_NAME_TAGS


def is_verb(word: str) -> bool:
    """Does jieba's general dictionary tag `word` as a verb (实施, 集合)?"""
    return _general_dictionary().get(word, (0, ""))[1].startswith("v")


def unfamiliar(word: str) -> bool:
    """Is `word` unknown to jieba's general dictionary, or only a rare proper name (中煤 5 nt)?
    The names of small enterprises are: jieba's HMM builds them from single characters."""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return freq == 0 or freq < RARE_FREQ and tag in ("nt", "nz", "nr", "nrt")


RARE_FREQ = 50


def place_word(word: str) -> bool:
    """Does jieba's general dictionary tag `word` as a place name (大同, 成都: ns)?"""
    return _general_dictionary().get(word, (0, ""))[1] == "ns"
