"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba

from .model import Token

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
        cut = self._ready().cut
        cache = self._cache
        out: list[Token] = []
        start = 0
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            words = cache.get(block)
            if words is None:
                if len(cache) >= CACHE_BLOCKS:
                    cache.clear()
                words = cache[block] = tuple(cut(block))
            for word in words:
                end = start + len(word)
                out.append(Token(word, start, end))
                start = end
        return out
