"""OpenCC adapter: traditional Chinese to simplified for matching, one character for one, so offsets still hold."""
from __future__ import annotations

import re
from functools import lru_cache

# Share of Han characters OpenCC changes above which a text counts as traditional. Simplified reports
# measure below 0.02% (a stray 乾 or 著); traditional ones far above 10%.
TRADITIONAL_SHARE = 0.02
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported when first needed: most builds never see a traditional report

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in simplified characters, of the same length, character i standing for character i.

    OpenCC converts phrase by phrase; when that changes the length (rare), each character is
    converted alone and kept as it is if it has no one-character simplified form.

    >>> to_simplified("華陽碳基新材料項目，總投資9億元")
    '华阳碳基新材料项目，总投资9亿元'
    """
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_one_char(ch) for ch in text)


@lru_cache(maxsize=50_000)
def simplified_name(name: str) -> str:
    """`to_simplified` of a name, remembered: a build asks about every mention's name, the same
    names again and again, and each conversion is a call into OpenCC."""
    return to_simplified(name)


def _one_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=1)  # a build asks about each document twice in a row (its extraction, then its report's metadata)
def simplified_for_matching(text: str) -> str | None:
    """The simplified form of `text` if it is written in traditional characters, else None.

    >>> simplified_for_matching("新荣区位于大同市") is None
    True
    >>> simplified_for_matching("新榮區位於大同市")
    '新荣区位于大同市'
    """
    simplified = to_simplified(text)
    if simplified == text:  # most reports: nothing to count (counting took four times the conversion)
        return None
    han = len(text) - len(_HAN.sub("", text))
    if not han:
        return None
    changed = sum(1 for a, b in zip(text, simplified) if a != b)
    return simplified if changed / han > TRADITIONAL_SHARE else None
