"""The gazetteer finder: divisions named in full or by short form, settled by the document's other places."""
from __future__ import annotations

from collections.abc import Iterable

from ..knowledge import Division, Knowledge
from ..model import Mention, Token
from ..segment import common_word, place_word, words_of


def division_mentions(tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Places from the gazetteer: full names always, short forms kept for context resolution."""
    out = []
    by_name, by_short = knowledge.by_name, knowledge.by_short
    for index in [i for i, word in enumerate(words_of(tokens)) if word in by_name or word in by_short]:
        tok = tokens[index]
        if tok.text in knowledge.by_name:
            div = knowledge.by_name[tok.text][0]
            out.append(Mention(tok.start, tok.end, tok.text, "Place", div.subtype, "gazetteer.full", div.code, div.name))
        elif tok.text in knowledge.by_short:
            div = knowledge.by_short[tok.text][0]
            out.append(Mention(tok.start, tok.end, tok.text, "Place", div.subtype, "gazetteer.short", div.code, div.name))
    return out


def _context_codes(mentions: Iterable[Mention], knowledge: Knowledge) -> set[str]:
    """Codes of divisions named in full, with their ancestors: what the document is about."""
    codes = set()
    for m in mentions:
        # a generic name (城区, 东区) would vouch for itself: every 城区's city would enter the context
        if m.rule == "gazetteer.full" and m.text not in knowledge.generic and len(knowledge.by_name[m.text]) == 1:
            for div in knowledge.by_name[m.text]:
                codes.update(d.code for d in knowledge.chain(div.code))
    return codes


def _pick_division(candidates: tuple[Division, ...], context: set[str], knowledge: Knowledge, short: bool = False) -> Division | None:
    """The candidate division the document's other places point to, if any.

    A short form (富裕, 振兴, 友好) is often a common word: it stands for a division only when
    the document names the division's parent (a county's city, a city's province) or it is a province."""
    def support(div: Division) -> int:
        chain = {d.code for d in knowledge.chain(div.code)}
        return len(chain & context)

    # named in full elsewhere first; then, for a short form, the higher level (吉安 is 吉安市 more
    # often than 吉安县, whose chain merely contains the city); then the most supported
    level = {"province": 2, "city": 1, "county": 0}
    if short:
        best = max(candidates, key=lambda d: (d.code in context, level[d.level], support(d), -int(d.code)))
    else:
        best = max(candidates, key=lambda d: (support(d), -int(d.code)))
    if best.level == "province":
        return best
    if short or best.name in knowledge.generic:
        return best if best.parent in context or best.code in context else None
    if support(best) or len(candidates) == 1 and best.level == "city":
        return best
    return None


def resolve_divisions(mentions: list[Mention], knowledge: Knowledge) -> list[Mention]:
    """Settle ambiguous and short division names by the document's other places; drop the unsupported."""
    context = _context_codes(mentions, knowledge)
    out = []
    for m in mentions:
        if not m.rule.startswith("gazetteer"):
            out.append(m)
            continue
        if m.rule == "gazetteer.short" and m.text in knowledge.generic:
            continue  # 全州 is "the whole prefecture" before it is 全州县
        index = knowledge.by_name if m.rule == "gazetteer.full" else knowledge.by_short
        div = _pick_division(index[m.text], context, knowledge, short=m.rule == "gazetteer.short")
        if div is not None and m.rule == "gazetteer.short" and div.code not in context and common_word(m.text) and not place_word(m.text):
            continue  # 前进 (道路) is a word before it is 前进区: only when 前进区 is named in full
        if div is None and m.rule == "gazetteer.full" and m.text not in knowledge.generic:
            div = index[m.text][0]
        if div is not None:
            out.append(Mention(m.start, m.end, m.text, "Place", div.subtype, m.rule, div.code, div.name))
    return out
