"""Names in quotation marks: programs told from slogans by the words around the quotes.

Reports put programs, brands and campaigns in quotes (深耕“三大惠民工程”), but also slogans,
metaphors and states of affairs (“老树发新芽”, 由“一煤独大”向…). What decides is the context:
the words right before and after the quote (kg/data/quotes.tsv), the quote's own head word,
and its neighbours — quotes written side by side (“枫桥经验”“某某经验”) are items of one list
and share one reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..knowledge import Knowledge
from ..model import Mention

_QUOTED = re.compile(r"“([^“”\n]{1,40})”|‘([^‘’\n]{1,40})’|「([^「」\n]{1,40})」|《([^《》\n]{1,60})》|\"([^\"\n]{1,40})\"")
_NUMERAL_START = re.compile(r"^(?:[一二三四五六七八九十两双百千万]|\d)")
_BATCH = re.compile(r"(?:首批|第[一二三四五六七八九十\d]+[批届])")
MAX_QUOTED = 24  # characters; longer quotes are sentences


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # of the opening mark
    end: int  # after the closing mark
    inner_start: int
    inner: str
    title: bool  # 《…》


def find_quotes(text: str) -> list[Quote]:
    out = []
    for match in _QUOTED.finditer(text):
        group = next(g for g in range(1, 6) if match.group(g) is not None)
        out.append(Quote(match.start(), match.end(), match.start(group), match.group(group), group == 4))
    return out


def quote_groups(text: str, quotes: list[Quote], joiners: tuple[str, ...]) -> list[list[Quote]]:
    """Quotes written side by side or joined by one of `joiners` (、, 和) form one list: “马路市场”“放心早餐”."""
    groups: list[list[Quote]] = []
    for quote in quotes:
        between = text[groups[-1][-1].end:quote.start] if groups else None
        if groups and not quote.title and not groups[-1][-1].title and (between == "" or between in joiners):
            groups[-1].append(quote)
        else:
            groups.append([quote])
    return groups


def quoted_mentions(text: str, knowledge: Knowledge) -> list[Mention]:
    """Programs named in quotation marks, and document titles in 《》 that name a plan."""
    out = []
    for group in quote_groups(text, find_quotes(text), knowledge.quote_joiners):
        out += _group_mentions(text, group, knowledge)
    return out


def _group_mentions(text: str, group: list[Quote], knowledge: Knowledge) -> list[Mention]:
    rules = knowledge.quotes
    if group[0].title:
        quote = group[0]
        if quote.inner.endswith(knowledge.doc_titles):
            return [Mention(quote.inner_start, quote.inner_start + len(quote.inner), quote.inner, "Program", "", "quote.title")]
        return []
    if _rejected(text, group, rules):
        return []
    after_pos = _after_position(text, group[-1].end, knowledge)
    after = _following(text, after_pos, rules["after"])
    before = _before_word(text, group[0].start, rules)
    readings = [_reading(text, q, knowledge, after, before) for q in group]
    if len(group) > 1 and any(r not in (None, "quote.program.motto") for r in readings):
        # one item is surely a program, so the list is a list of programs
        readings = [r or ("quote.program.list" if _shaped_like_name(q.inner, knowledge) else None) for q, r in zip(group, readings)]
    out = []
    complete = _following(text, group[-1].end, rules["complete"]) if len(group) == 1 else ""
    for quote, rule in zip(group, readings):
        if rule is None or rule == "quote.program.motto":
            continue
        end = quote.inner_start + len(quote.inner)
        if complete:
            whole_end = quote.end + len(complete)
            out.append(Mention(quote.start, whole_end, text[quote.start:whole_end], "Program", "", "quote.program.complete"))
            if _only_code(quote.inner) or complete in ("治理", "管理"):
                continue  # “1+4”制度规范, “小饭桌”治理: the quote alone is not the name
        batch = _BATCH.match(quote.inner)  # “第二批省级某某街区”: the batch is not in the title
        start = quote.inner_start + (batch.end() if batch and len(quote.inner) - batch.end() >= 4 else 0)
        start += _carrying_verb(quote.inner, knowledge)
        out.append(Mention(start, end, text[start:end], "Program", "", rule))
    return out


def _reading(text: str, quote: Quote, knowledge: Knowledge, after: str, before: str) -> str | None:
    rules_before = knowledge.quotes["before"]
    """How one quote of a group reads: a program rule id, 'quote.program.motto', or None."""
    inner = quote.inner
    if not _shaped_like_name(inner, knowledge) and not (_only_code(inner) and after):
        return None
    if inner in knowledge.programs:
        return "quote.program.lexicon"
    if after:
        return "quote.program.after"
    head = knowledge.head_of(inner)
    if before and rules_before.get(before) == "quote.program.award" and len(inner) >= 4 and (head is None or head.type in ("Place", "Project", "Program")):
        return "quote.program.award"  # 获评省级“五星级示范河湖”: a title, whatever its head word; 创建“…义警队” is a body
    if head is not None and head.type == "Program":
        return "quote.program.head"
    if head is not None and head.type == "Place" and before and rules_before.get(before) == "quote.program.carry":
        return "quote.program.carry"
    if head is not None and len(inner) > len(head.word):
        return None  # a quoted project or place name: the head-word rule types it
    if _motto(text, quote.start, quote.end):
        return "quote.program.motto"
    if before and len(inner) >= 3:
        return "quote.program.before"
    if _NUMERAL_START.match(inner) and not inner.startswith(knowledge.not_numeral) and not inner.endswith(knowledge.doctrine_tails) and 3 <= len(inner) <= 8 and not re.search(r"\d", inner):
        return "quote.program.numeral"
    if re.fullmatch(r"[\u4e00-\u9fff]{1,4}[+＋][\u4e00-\u9fff]{0,4}", inner):
        return "quote.program.plus"  # “互联网+政务”, “旅游+”: a development model
    return None


def _carrying_verb(inner: str, knowledge: Knowledge) -> int:
    """Length of a verb that carries out what follows it inside the quote (“推行容缺受理”改革)."""
    for word, rule in knowledge.quotes["before"].items():
        if rule == "quote.program.carry" and inner.startswith(word) and len(inner) - len(word) >= 3:
            return len(word)
    return 0


# “十二连增”, “二十一连丰”: years of growth in a row, an achievement reported, not a program
_STREAK = re.compile(r"[一二三四五六七八九十两百\d]+连[增丰涨升冠胜降跳]")


def _shaped_like_name(inner: str, knowledge: Knowledge) -> bool:
    if len(inner) < 2 or len(inner) > MAX_QUOTED or inner.isdigit() or _only_code(inner) or _STREAK.fullmatch(inner):
        return False
    return not re.search(r"[，。！？：；,!?:;]", inner) and inner not in knowledge.not_programs


def _only_code(inner: str) -> bool:
    return bool(re.fullmatch(r"[\d+＋×.·]+", inner))


def _rejected(text: str, group: list[Quote], rules) -> bool:
    """A transition (由“一煤独大”向…, 从“一老一幼”到…), a problem (…等结构性矛盾) or an event's title."""
    first, last = group[0], group[-1]
    if text[first.start - 1:first.start] in ("从", "由") or text[last.end:last.end + 1] in ("到", "向") or text[last.end:last.end + 2] == "变成":
        return True
    if text.startswith("——", last.end):
        return True  # “…”——某某馆服务…: the title of one event, its subtitle after the dash
    tail = re.split(r"[，。；！？,;]", text[last.end:last.end + 10], maxsplit=1)[0]
    if _preceding(text, first.start, rules["reject_before"]):
        return True  # 应对“三重压力”: a problem faced
    return any(word in tail for word in rules["reject"]) or text[last.end:last.end + 1] == "上"


def _after_position(text: str, pos: int, knowledge: Knowledge) -> int:
    """Where an `after` word may start: past 重大, 三大, 五项… (“…”重大战略, “…”五大专项行动)."""
    return knowledge.after_prefix.match(text, pos).end()


def _before_word(text: str, pos: int, rules) -> str:
    """The `before` word ending at `pos`, allowing one ordinal or rank in between (获评第三届“…”)."""
    word = _preceding(text, pos, rules["before"])
    if word:
        return word
    for pattern in rules["between"]:
        match = re.search(f"(?:{pattern})$", text[max(0, pos - 8):pos])
        if match:
            word = _preceding(text, pos - len(match.group()), rules["before"])
            if word:
                return word
    return ""


def _following(text: str, pos: int, words: dict[str, str]) -> str:
    """The longest of `words` starting at `pos` (the first of them in `words` among as long ones), or ""."""
    ordered = _longest_first(tuple(words))
    if not text.startswith(ordered, pos):  # one C call rules out most places
        return ""
    for word in ordered:
        if text.startswith(word, pos):
            return word
    return ""


def _preceding(text: str, pos: int, words: dict[str, str]) -> str:
    """The longest of `words` ending at `pos` (the first of them in `words` among as long ones), or ""."""
    ordered = _longest_first(tuple(words))
    if not text.endswith(ordered, 0, pos):
        return ""
    for word in ordered:
        if text.endswith(word, 0, pos):
            return word
    return ""


@lru_cache(maxsize=64)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    """`words` sorted once, not at each look-up (a report has a hundred quotes, each looked around four times)."""
    return tuple(sorted(words, key=len, reverse=True))


def _motto(text: str, qstart: int, qend: int) -> bool:
    """A quote that qualifies a noun (以“功成不必在我”的信念) or states a guideline
    (以“畅、安、舒、美”为导向) is a motto, not a program carried out."""
    after = text[qend:qend + 1]
    return after == "的" or (text[qstart - 1:qstart] == "以" and after == "为")
