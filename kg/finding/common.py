"""Helpers the finders share: what may stand inside a name, and where a name's left edge lies."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..knowledge import Knowledge, remember
from ..model import Token
from ..segment import token_bounds, unfamiliar, words_of


MAX_NAME = 24  # characters; longer runs are sentences, not names


_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ·\-—+＋×/（）()]")
_NAME_CHARS = re.compile(f"{_NAME_CHAR.pattern}*")  # a word of them alone: one match, not one a character


NUMERAL_START = re.compile(r"^(?:[一二三四五六七八九十两双百千万]|\d)")


def name_like(token: Token, knowledge: Knowledge) -> bool:
    """Can this token stand inside a name? Not a stop token, nor a phrase jieba glued around
    one (全面实施, 全面完成). Remembered a word: the finders ask about the same words again and again."""
    cache = knowledge._name_like_cache
    word = token.text
    if word in cache:
        return cache[word]
    return remember(cache, word, _name_like(word, knowledge))


def _name_like(word: str, knowledge: Knowledge) -> bool:
    if word in knowledge.stop_tokens or len(word) >= 4 and (word[:2] in knowledge.stop_tokens or word[-2:] in knowledge.stop_tokens):
        return False
    if not word.strip("—"):
        return False  # ——某区图书馆: a dash before a name opens a subtitle
    if len(word) == 2 and word.endswith("等") and unfamiliar(word):
        return False  # 某某科技城|等|园区, glued by jieba as 城等: the end of a list
    return _NAME_CHARS.fullmatch(word) is not None


def strip_leading(name: str, knowledge: Knowledge) -> int:
    """How many characters of generic leading words (一批, 全区, 总投资…) start `name`."""
    cut = 0
    changed = True
    while changed and name.startswith(knowledge.leading, cut):  # one C call rules out most names
        changed = False
        for word in knowledge.leading:
            if name.startswith(word, cut) and len(name) - cut > len(word):
                cut += len(word)
                changed = True
                break
    return cut


def tokens_ending_in(text: str, tokens: list[Token], chars: str) -> list[int]:
    """The indices, in order, of the tokens of `text` whose last character is one of `chars`: found
    where the text holds one (a search and a bisection each), not by reading each of a report's some
    9,000 tokens, when they are the segmenter's Tokens; else read off their words."""
    bounds = token_bounds(tokens)
    if bounds is None:
        return [index for index, word in enumerate(words_of(tokens)) if word[-1] in chars]
    out = []
    for match in _any_of(chars).finditer(text):
        index = bisect_right(bounds, match.start()) - 1  # the token holding the character
        if bounds[index + 1] == match.end():
            out.append(index)
    return out


@lru_cache(maxsize=None)
def _any_of(chars: str) -> re.Pattern:
    return re.compile("[" + re.escape(chars) + "]")


def left_edge(tokens: list[Token], index: int, knowledge: Knowledge, limit: int = MAX_NAME, inner: bool = False) -> int:
    """Index of the first token of the name that ends with tokens[index].

    With `inner`, words such as 提升 and 改造 may stand inside the name when a name-like word
    comes before them (农村人居环境整治|提升|三年行动), but never start it."""
    first = index
    end = tokens[index].end
    while first > 0:
        prev = tokens[first - 1]
        if end - prev.start > limit:
            break
        if name_like(prev, knowledge):
            first -= 1
        elif inner and prev.text in knowledge.inner_words and first >= 2 and _before_inner_is_name(tokens, first - 1, knowledge):
            first -= 1
        elif prev.text in knowledge.name_initials and (first < 2 or not name_like(tokens[first - 2], knowledge)) and first < index:
            first -= 1  # 打造|小|王庄种植养殖片区: the name's first character, split off
            break
        else:
            break
    return first


def _before_inner_is_name(tokens: list[Token], index: int, knowledge: Knowledge) -> bool:
    """Is there a name-like word before the inner words that end at `index` (环境|整治|提升|五年)?"""
    while index > 0 and tokens[index].text in knowledge.inner_words:
        index -= 1
        if name_like(tokens[index], knowledge):
            return True
    return False


def only_descriptive(specific: str, knowledge: Knowledge, with_domains: bool = False) -> bool:
    """Is the part before the head made only of describing and industry words (现代物流|园区)?"""
    return knowledge.only_describing(specific, with_domains)


def suffixes(word: str) -> list[str]:
    return [word[-size:] for size in range(1, min(len(word), 6) + 1)]
