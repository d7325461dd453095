"""Items of enumerations, typed by the noun the list ends in.

Reports name things in lists: 实施上庄、小南营、七里村等7个村的…, 龙门石窟、嵩山、古长城、火山群等周边景区,
立足东关、西关和南关三个街道. The separators (、, a final 和/及) mark where names start and end
more reliably than the segmenter, which glues or splits unknown names (上|庄, 火山|群等); only the
first item's left edge needs the tokens.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter

from ..knowledge import Knowledge
from ..model import Mention, Token
from ..segment import common_noun, common_word, is_verb, place_word, unfamiliar
from .common import tokens_ending_in

_START = attrgetter("start")
MAX_ITEM = 16  # characters
_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9０-９·\-—（）()]+")
_CLAUSE_BREAKS = "，。；：！？,;:!?\n“”‘’《》"
# A list closed by a count instead of 等: 东关、西关和南关三个街道.
_COUNTED_CLOSE = re.compile(r"[一二三四五六七八九十两\d]+个")


def enumerated_mentions(text: str, tokens: list[Token], knowledge: Knowledge, name_like) -> list[Mention]:
    """Items of 'A、B等…项目' and 'A、B和C三个街道' lists; `name_like(token)` tells name tokens."""
    out = []
    joiners = knowledge.final_joiners
    for end, after, closed_by_count in _list_ends(text, tokens, joiners):
        kind = _list_kind(text, after, knowledge.list_kinds, immediate=closed_by_count, stop=_verb_stop(text, tokens, after, knowledge.industry_words))
        if kind is None:
            continue
        typ, subtype = kind
        items = _items(text, tokens, end, name_like, joiners if closed_by_count else (), knowledge)
        if closed_by_count and len(items) < 2:
            continue
        rule = "list.enumeration.counted" if not closed_by_count and _COUNTED_KIND.match(text, after) else "list.enumeration"
        for start, stop in items:
            name = text[start:stop]
            whole = start == 0 or text[start - 1] in _CLAUSE_BREAKS + "、" or text[start - 1] in joiners
            if typ == "Project" and len(name) == 2 and not whole:
                continue  # 地下综合|管廊: the end of a longer, generic item
            if typ in ("Project", "Company") and knowledge.head_of(name) is None and _kind_of_work(tokens, start, stop, knowledge, typ):
                continue  # 生态保护、防沙治沙等项目: kinds of work, not named projects
            if _item_ok(name, typ, knowledge, counted=rule == "list.enumeration.counted"):
                out.append(Mention(start, stop, name, typ, subtype, rule))
    return out


def _kind_of_work(tokens: list[Token], start: int, stop: int, knowledge: Knowledge, typ: str) -> bool:
    """Is an item without a head word a kind of work or a common thing (天然林保护, 背街小巷整治,
    锅炉, 服务业) rather than a named project? Its last word is a verb, or it is one common word,
    and nothing in it is particular (某某老街保护与改造 names its street)."""
    inside = tokens[_first_at(tokens, start):_first_at(tokens, stop)]
    if not inside or inside[-1].end != stop or any(_particular(tok.text, knowledge) for tok in inside):
        return False
    last = inside[-1].text
    if typ == "Company":
        return len(inside) == 1 and common_noun(last)  # 锅炉, 机车; brands jieba knows (太重) stay
    if len(inside) == 1:
        return common_word(last) or common_noun(last)
    return is_verb(last)


def _particular(word: str, knowledge: Knowledge) -> bool:
    """A number or code, a place, or a word jieba does not know (a brand: 太钢, 锐华)."""
    if re.search(r"[\dA-Za-z０-９]", word) or unfamiliar(word) or place_word(word):
        return True
    return word in knowledge.by_name or word in knowledge.by_short or word in knowledge.landmarks


# 等4个安置项目: a count right after 等 and the kind noun right after it; the items are surely of that kind
_COUNTED_KIND = re.compile(r"[一二三四五六七八九十两\d]+[个家座条所处项][\u4e00-\u9fff]{0,2}(?:项目|工程)")


def _list_ends(text: str, tokens: list[Token], joiners: tuple[str, ...]):
    """(end of the last item, where the kind noun may start, closed by a count?) for each list."""
    for index in tokens_ending_in(text, tokens, "等"):
        tok = tokens[index]
        if tok.text == "等":
            yield tok.start, tok.end, False
        elif len(tok.text) == 2 and tok.text.endswith("等") and not common_word(tok.text):
            yield tok.start + 1, tok.end, False  # 火山|群等: jieba glued 等 to the last item
    for match in _COUNTED_CLOSE.finditer(text):
        before = text[max(0, match.start() - MAX_ITEM):match.start()]
        if before.endswith("等"):
            continue  # 等7个村: the 等 closed the list already
        if "、" in before or any(j in before for j in joiners):
            yield match.start(), match.end(), True


def _verb_stop(text: str, tokens: list[Token], pos: int, industry: frozenset[str]) -> int:
    """Where the phrase after a list turns into a predicate: the first verb with no 的 after it
    (等12个事项审批权限|下放至街道), not one inside a relative clause (等一批在省市有影响力的重点项目)."""
    for index in range(_first_at(tokens, pos), len(tokens)):  # not a copy of the rest of the list: it stops soon
        tok = tokens[index]
        if tok.start >= pos + 20:
            break
        if is_verb(tok.text) and tok.text not in industry and "的" not in text[tok.end:pos + 20]:
            return tok.start
    return pos + 20


def _first_at(tokens: list[Token], pos: int) -> int:
    """Index of the first token starting at or after `pos` (tokens are in text order)."""
    return bisect_left(tokens, pos, key=_START)


def _list_kind(text: str, pos: int, kinds: dict[str, tuple[str, str]], immediate: bool = False, stop: int | None = None):
    """The type named by the first kind noun after the list, within its clause (等7个村的 → Village);
    right after the count when a count closes the list (三个街道, not 6个土地开发项目)."""
    reach = 5 if immediate else 20 if "的" in text[pos:pos + 20] else 12  # 等一批在省市有影响力的重点项目
    window = text[pos:min(pos + reach, stop if stop is not None else pos + reach)]
    for offset in range(len(window)):
        if window[offset] in _CLAUSE_BREAKS or window[offset] == "、":
            return None
        for size in range(min(5, len(window) - offset), 0, -1):
            kind = kinds.get(window[offset:offset + size])
            if kind:
                return kind
        if immediate:
            return None
    return None


def _items(text: str, tokens: list[Token], end: int, name_like, split_joiners: tuple[str, ...], knowledge: Knowledge) -> list[tuple[int, int]]:
    """(start, end) of each item of the list ending at `end`, first item last; the last item is split
    off at one of `split_joiners` (A、B和C), if any are given."""
    clause = max(text.rfind(ch, 0, end) for ch in _CLAUSE_BREAKS) + 1
    parts = _split_items(text, clause, end, split_joiners)
    out = []
    for index, (start, stop) in enumerate(reversed(parts)):
        first = index == len(parts) - 1
        if first:
            start = _first_item_start(text, tokens, start, stop, name_like, knowledge)
        if start is None or not 2 <= stop - start <= MAX_ITEM or not _ITEM.fullmatch(text, start, stop):
            if not first:
                break  # a broken item ends the list
            continue
        out.append((start, stop))
    return out


def _split_items(text: str, clause: int, end: int, split_joiners: tuple[str, ...]) -> list[tuple[int, int]]:
    parts, start = [], clause
    for pos in range(clause, end):
        if text[pos] == "、":
            parts.append((start, pos))
            start = pos + 1
    parts.append((start, end))
    last_start, last_end = parts[-1]
    for joiner in split_joiners:  # A、B和C: the joiner opens the last item
        pos = text.rfind(joiner, last_start + 2, last_end - 1)
        if pos != -1 and len(parts) >= 1:
            parts[-1:] = [(last_start, pos), (pos + 1, last_end)]
            break
    return parts


def _first_item_start(text: str, tokens: list[Token], start: int, stop: int, name_like, knowledge: Knowledge) -> int | None:
    """Left edge of the first item: name-like tokens back from its end; a one-character word that
    jieba split off the name (上|庄, 小|南营) stays; a leading verb (实施, 集合) goes."""
    inside = [t for t in tokens[_first_at(tokens, start):_first_at(tokens, stop)] if t.end <= stop]
    if not inside:
        return None
    first = len(inside) - 1
    while first > 0:
        prev = inside[first - 1]
        if name_like(prev) and not is_verb(prev.text):
            first -= 1
        elif len(prev.text) == 1 and prev.text in knowledge.name_initials and (first == 1 or not name_like(inside[first - 2]) or is_verb(inside[first - 2].text)):
            first -= 1
            break
        else:
            break
    while first < len(inside) - 1 and (is_verb(inside[first].text) or inside[first].text in knowledge.final_joiners):
        first += 1  # 实施|某某, 扩建|及|某某: neither the verb nor the joiner is the name's
    opening = inside[first].text
    if len(opening) > 1 and opening[0] in knowledge.final_joiners and not _known_word(opening[:2]):
        return inside[first].start + 1  # 扩建|及南|淝河: jieba glued the joiner to the name (not 和平路)
    return inside[first].start


def _known_word(word: str) -> bool:
    return common_word(word) or common_noun(word) or not unfamiliar(word)


def _item_ok(name: str, typ: str, knowledge: Knowledge, counted: bool = False) -> bool:
    """An enumerated item is a name, not a line of business (畜牧, 商贸物流) or a day (植树节).
    Two characters name a project only when a count after 等 says so (某湖等4个安置项目)."""
    if len(name) < 2 or name in knowledge.generic or name in knowledge.industry_words or name in knowledge.stop_tokens:
        return False
    if typ == "Project" and len(name) == 2 and (common_word(name) or is_verb(name) or not unfamiliar(name)):
        return False  # 扩产等20个项目: a word, not a name
    if typ == "Project" and len(name) < (2 if counted else 3) or typ in ("Project", "Company") and _all_industry(name, knowledge):
        return False
    if typ == "Project" and knowledge.only_describing(name):
        return False  # 公共基础设施等490个重点项目: a kind of works described, not one named
    if typ == "Company" and name.endswith(knowledge.industry):
        return False  # …换电设备制造: a line of business
    head = knowledge.head_of(name)
    if typ == "Company" and (re.search(r"[及和与]", name) or head is not None and head.type != "Company"):
        return False  # 新能源重卡换电站、充电站及换电设备制造等…企业: products and lines of business
    return not name.endswith(knowledge.not_item_endings)


def _all_industry(name: str, knowledge: Knowledge) -> bool:
    rest = name
    while rest:
        word = knowledge.industry_pattern.match(rest)  # the first industry word, in their order, that opens it
        if word is None:
            return False
        rest = rest[word.end():]
    return True
