"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from math import log

import jieba
from jieba import finalseg

from .model import Token

_ABSENT = object()  # not in the dictionary, not even as the start of a word
# A frequency high enough that jieba keeps a domain word whole against its general dictionary.
DOMAIN_FREQ = 200_000
# Blocks remembered per process: reports repeat their phrases (a quarter of the characters of a
# corpus sample are in blocks seen before), and a bounded cache keeps memory flat on any corpus.
CACHE_BLOCKS = 200_000

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Segments text with its own `jieba.Tokenizer`, never touching jieba's global one."""

    def __init__(self, domain_words: Iterable[str] = ()):
        self._words = tuple(domain_words)
        self._tokenizer: jieba.Tokenizer | None = None
        self._cache: dict[str, tuple[str, ...]] = {}
        self._table: dict[str, float | None] = {}
        self._single = 0.0
        self._hmm: dict[str, tuple[str, ...]] = {}

    def _ready(self) -> jieba.Tokenizer:
        # Built lazily so a Segmenter pickles cheaply into worker processes.
        if self._tokenizer is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word in self._words:
                tokenizer.add_word(word, DOMAIN_FREQ)
            logtotal = log(tokenizer.total)
            # a word's log-probability as jieba computes it; None for a fragment that only starts words
            self._table = {word: log(freq) - logtotal if freq else None for word, freq in tokenizer.FREQ.items()}
            self._single = 0.0 - logtotal
            self._tokenizer = tokenizer
            _general_dictionary()  # loaded with the tokenizer, so forked workers inherit both
        return self._tokenizer

    def __getstate__(self):
        return {"_words": self._words}

    def __setstate__(self, state):
        self.__init__(state["_words"])

    def tokens(self, text: str) -> list[Token]:
        """Tokens of `text` in order; `text[t.start:t.end] == t.text` for each.

        jieba cuts each block of Chinese/alphanumeric characters (and each run between them) on its
        own, so cutting block by block and remembering repeated blocks gives exactly its tokens.

        >>> [t.text for t in Segmenter().tokens("大同市新荣区。大同市")]
        ['大同市', '新荣区', '。', '大同市']
        """
        tokenizer = self._ready()
        cache = self._cache
        out: list[Token] = []
        append = out.append
        start = 0
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            words = cache.get(block)
            if words is None:
                if len(cache) >= CACHE_BLOCKS:
                    cache.clear()
                words = cache[block] = tuple(self._cut_han(block) if jieba.re_han_default.match(block) else tokenizer.cut(block))
            for word in words:
                # Token(word, start, end) at half the cost: a frozen dataclass's __init__ goes through
                # object.__setattr__ by name for each field, and a report has a token every two characters
                token = _new(Token)
                _set_text(token, word)
                _set_start(token, start)
                start += len(word)
                _set_end(token, start)
                append(token)
        return out

    def _cut_han(self, block: str) -> list[str]:
        """jieba's own cut of a block of Chinese characters (`Tokenizer.__cut_DAG`, HMM on), without its overheads.

        Same dictionary, same arithmetic in the same order, same tie-breaking as jieba's `max`, so the
        same words; but the word graph is walked in one loop with one look-up per fragment, in a
        table of each dictionary word's log-probability made once per process (segmentation is most
        of kg's time).
        """
        table, single = self._table, self._single
        n = len(block)
        # jieba's route as two lists: the best log-probability from each position to the end, and
        # where the word starting there ends; max over (probability, end) is >= on the probability,
        # as the ends are tried in increasing order
        score: list[float] = [0.0] * (n + 1)
        ends: list[int] = [0] * n
        for idx in range(n - 1, -1, -1):
            best = None
            end = idx + 1
            weight = table.get(block[idx], _ABSENT)
            while weight is not _ABSENT:  # block[idx:end] is a word or the start of one
                if weight is not None:
                    candidate = weight + score[end]
                    if best is None or candidate >= best:
                        best, last = candidate, end
                if end == n:
                    break
                end += 1
                weight = table.get(block[idx:end], _ABSENT)
            if best is None:  # jieba's fallback: the single character, log(1) - logtotal
                best, last = single + score[idx + 1], idx + 1
            score[idx] = best
            ends[idx] = last
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = ends[x]
            word = block[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    self._flush(buf, words)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            self._flush(buf, words)
        return words

    def _flush(self, buf: str, words: list[str]) -> None:
        # single characters in a row: jieba's HMM guesses unknown words among them (the same runs
        # recur across reports, and the HMM's answer depends on the run alone: remembered)
        if len(buf) == 1:
            words.append(buf)
        elif not self._tokenizer.FREQ.get(buf):
            cut = self._hmm.get(buf)
            if cut is None:
                if len(self._hmm) >= CACHE_BLOCKS:
                    self._hmm.clear()
                cut = self._hmm[buf] = tuple(finalseg.cut(buf))
            words.extend(cut)
        else:
            words.extend(buf)


# tokens() sets a Token's fields through their slots
_new, _set_text, _set_start, _set_end = object.__new__, Token.text.__set__, Token.start.__set__, Token.end.__set__


# Above this frequency in jieba's general dictionary a word is common (长城 1559, 精品 1959);
# brands are rare there or absent (华阳 58, 中煤 5).
COMMON_FREQ = 1000
COMMON_NOUN_FREQ = 130
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


def common_noun(word: str) -> bool:
    """A common noun or set phrase in jieba's general dictionary (秸秆, 果蔬, 无公害), which an
    enterprise's short name is not; rarer nouns (汾酒 79, 鞍钢 114) may still be brands."""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return tag in ("l", "i") or tag == "n" and freq > COMMON_NOUN_FREQ


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


def word_tag(word: str) -> str:
    """jieba's part-of-speech tag for `word` in its general dictionary, or "x" for a word it does not know."""
    return _general_dictionary().get(word, (0, "x"))[1]
