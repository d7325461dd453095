"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import logging
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
