"""Reads sums of money (9亿元, 3125万元, 近50亿元, 1.2万亿元) into yuan."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .model import Amount

_UNITS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "万": Decimal(10) ** 4, "": Decimal(1)}
_AMOUNT = re.compile(
    r"(?P<prefix>近|约|超|超过|逾|达|共)?"
    r"(?P<low>\d+(?:\.\d+)?)(?:\s*[-—~～至到]\s*(?P<high>\d+(?:\.\d+)?))?"
    r"\s*(?P<more>余|多)?\s*(?P<unit>万亿|亿|千万|万)?(?P<more2>余|多)?元"
)


def parse_amount(wording: str) -> Decimal | None:
    """The value in yuan of one amount's wording; a range gives its upper bound.

    >>> parse_amount("9亿元"), parse_amount("3125万元"), parse_amount("近1.5亿元")
    (Decimal('900000000'), Decimal('31250000'), Decimal('150000000'))
    """
    match = _AMOUNT.search(wording)
    return _value(match) if match else None


def _value(match: re.Match) -> Decimal | None:
    number = match.group("high") or match.group("low")
    try:
        value = Decimal(number) * _UNITS[match.group("unit") or ""]
    except InvalidOperation:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in `text`, with offsets; `text[a.start:a.end] == a.wording`."""
    out = []
    if "元" not in text:  # every amount ends in 元: most sentences are ruled out without the pattern's scan
        return out
    for match in _AMOUNT.finditer(text):
        value = _value(match)
        if value is not None:
            out.append(Amount(value, match.group(), match.start(), match.end()))
    return out
