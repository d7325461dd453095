"""Finds names in a document: gazetteer places, head-word names, quoted programs, enumerations."""
from __future__ import annotations

import re
from collections.abc import Iterable

from .knowledge import Division, Knowledge
from .model import Document, Mention, Token

MAX_NAME = 24  # characters; longer runs are sentences, not names
_QUOTED = re.compile(r"“([^“”\n]{1,40})”|‘([^‘’\n]{1,40})’|「([^「」\n]{1,40})」|《([^《》\n]{1,60})》|\"([^\"\n]{1,40})\"")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ·\-—+＋×/（）()]")
_NUMERAL_START = re.compile(r"^(?:[一二三四五六七八九十两双百千万]|\d)")
_DOC_TITLE = ("实施意见", "实施方案", "方案", "规划", "办法", "条例", "意见", "计划", "纲要")


def _name_like(token: Token, knowledge: Knowledge) -> bool:
    """Can this token stand inside a name? Not a stop token, nor a phrase jieba glued around
    one (全面实施, 全面完成)."""
    word = token.text
    if word in knowledge.stop_tokens or len(word) >= 4 and (word[:2] in knowledge.stop_tokens or word[-2:] in knowledge.stop_tokens):
        return False
    return all(_NAME_CHAR.match(ch) for ch in word)


def _strip_leading(name: str, knowledge: Knowledge) -> int:
    """How many characters of generic leading words (一批, 全区, 总投资…) start `name`."""
    cut = 0
    changed = True
    while changed:
        changed = False
        for word in knowledge.leading:
            if name.startswith(word, cut) and len(name) - cut > len(word):
                cut += len(word)
                changed = True
                break
    return cut


def _left_edge(tokens: list[Token], index: int, knowledge: Knowledge, limit: int = MAX_NAME) -> int:
    """Index of the first token of the name that ends with tokens[index]."""
    first = index
    end = tokens[index].end
    while first > 0:
        prev = tokens[first - 1]
        if not _name_like(prev, knowledge) or end - prev.start > limit:
            break
        first -= 1
    return first


def _head_of(word: str, knowledge: Knowledge):
    for size in range(min(len(word), knowledge.max_head), 0, -1):
        head = knowledge.heads.get(word[-size:])
        if head:
            return head
    return None


def _division_mentions(tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Places from the gazetteer: full names always, short forms kept for context resolution."""
    out = []
    for tok in tokens:
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
        if m.rule == "gazetteer.full":
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
        index = knowledge.by_name if m.rule == "gazetteer.full" else knowledge.by_short
        div = _pick_division(index[m.text], context, knowledge, short=m.rule == "gazetteer.short")
        if div is None and m.rule == "gazetteer.full" and m.text not in knowledge.generic:
            div = index[m.text][0]
        if div is not None:
            out.append(Mention(m.start, m.end, m.text, "Place", div.subtype, m.rule, div.code, div.name))
    return out


def _headed_mentions(text: str, tokens: list[Token], knowledge: Knowledge, places: dict[int, Mention]) -> list[Mention]:
    """Names that end in a head word (…有限公司, …项目, …镇, …医院, …长制), left edge by stop tokens."""
    out = []
    place_ends = {m.end: m for m in places.values()}
    for i, tok in enumerate(tokens):
        head = _head_of(tok.text, knowledge)
        if head is None or _generic_token(tok.text, head.word, knowledge):
            continue
        first = _left_edge(tokens, i, knowledge)
        if len(head.word) == 1:
            # 小石|村, 阳和坡|村: a one-character head takes one word before it; 淮河 is a word itself
            first = _one_word_before(tokens, i, first)
        start = tokens[first].start
        start += _strip_leading(text[start:tok.end], knowledge)
        start += _strip_function_char(text[start:tok.end], head.word)
        if head.type == "Place":
            settlement = head.subtype in ("Town", "Village", "Zone")
            start = _after_enclosing_place(start, tok.end - len(head.word), place_ends, settlement)
        start += _after_count(text[start:tok.end], head.word)
        name = text[start:tok.end]
        if not _acceptable(name, head, knowledge) or _category(text, start, name, head, knowledge):
            continue
        if head.type == "Project" and not _proper_project(name, head.word, start, place_ends, knowledge):
            continue
        typ, subtype, rule = head.type, head.subtype, head.rule
        if head.word == "工程" and not _built_thing(name, start, places):
            typ, rule = "Program", "head.program.works"
        if _NUMERAL_START.match(name) and typ == "Project" and not re.match(r"^\d", name):
            typ, rule = "Program", "head.program.numeral"
        mention = Mention(start, tok.end, name, typ, subtype, rule)
        out.append(mention)
        if typ == "Place":
            place_ends[mention.end] = mention
    return out


def _one_word_before(tokens: list[Token], index: int, first: int) -> int:
    """Left edge for a one-character head: the word before a bare head (小石|村), or a single
    character jieba split off a word holding the head (口|泉河, 乌|金山镇); 淮河 stands alone."""
    if len(tokens[index].text) == 1:
        return max(first, index - 1)
    if first < index and len(tokens[index - 1].text) == 1:
        return index - 1
    return index


_COUNT = re.compile(r"(?:\d+|[一二三四五六七八九十百千两几多数]+)[个家所座条项批处]")


def _after_count(name: str, head: str) -> int:
    """Characters up to the end of a count inside a name: 16个市传染病医院 is counted things."""
    cut = 0
    for match in _COUNT.finditer(name, 0, len(name) - len(head)):
        cut = match.end()
    return cut


def _proper_project(name: str, head: str, start: int, place_ends: dict[int, Mention], knowledge: Knowledge) -> bool:
    """A project is named when something in it is particular: a place, a number or code, an
    enterprise's brand, or a long specific description; 技术攻关项目 and 整改项目 are kinds of work."""
    specific = name[: -len(head)]
    if re.search(r"[\dA-Za-z０-９×]", specific) or len(specific) >= 8:
        return True
    if any(start <= m.start < start + len(specific) for m in place_ends.values()):
        return True
    return _brand_of(name, knowledge) is not None


def _generic_token(word: str, head: str, knowledge: Knowledge) -> bool:
    """A token that merely ends in a head (农村, 行政村, 个村, 示范村) is a common word, not a name."""
    if len(word) == len(head):
        return False
    before = word[: -len(head)]
    return word in knowledge.generic or before in knowledge.classifiers or before in knowledge.modifiers


# Function words jieba sometimes glues to the first word of a name (以中车 → 以 + 中车).
_FUNCTION_CHARS = "以在将把被对从向由让使给和与及并为等"


def _strip_function_char(name: str, head: str) -> int:
    if name[:1] in _FUNCTION_CHARS and len(name) - len(head) >= 3:
        return 1
    return 0


# Longest specific part (before the head) that a settlement or water name has (得胜堡村, 西花园街道).
_SHORT_PLACE = {"Town": 6, "Village": 6, "Water": 5}


def _after_enclosing_place(start: int, head_start: int, place_ends: dict[int, Mention], settlement: bool) -> int:
    """A place written after the place that holds it starts after it (云冈区|十里河森林公园),
    unless nothing but the head would be left (大同|北站 stays 大同北站)."""
    best = start
    for end in range(start + 1, head_start - 1):
        holder = place_ends.get(end)
        if holder is not None and holder.start >= start and _holds_places(holder, settlement):
            best = end
    return best


def _holds_places(holder: Mention, settlement: bool) -> bool:
    """Only a division named in full holds a town or village (云冈区|平源街道); a town or
    village holds anything (小石村|野山滑雪场). Landmarks keep their district (平城区党史展厅)."""
    if holder.subtype in ("Town", "Village"):
        return True
    return settlement and holder.rule == "gazetteer.full"


def _category(text: str, start: int, name: str, head, knowledge: Knowledge) -> bool:
    """A counted (6个…项目) or described (精品示范村, 普惠性幼儿园) kind of thing, not one named thing."""
    if start > 0 and text[start - 1] in knowledge.classifiers and head.type in ("Place", "Project", "Organization"):
        return True
    specific = name[: -len(head.word)]
    words = knowledge.project_modifiers if head.type == "Project" else knowledge.modifiers
    if head.type in ("Company", "Program"):
        return False
    if any(specific.endswith(w) for w in _suffixes(specific) if w in words):
        return True
    if head.type in ("Place", "Organization") and _only_descriptive(specific, knowledge):
        return True
    limit = _SHORT_PLACE.get(head.subtype)
    return head.type == "Place" and limit is not None and (len(specific) > limit or bool(re.search(r"\d", specific)))


def _only_descriptive(specific: str, knowledge: Knowledge) -> bool:
    """Is the part before the head made only of describing and industry words (现代物流|园区)?"""
    reach = [True] + [False] * len(specific)
    for end in range(1, len(specific) + 1):
        for size in range(1, min(end, 6) + 1):
            piece = specific[end - size:end]
            if reach[end - size] and (piece in knowledge.modifiers or piece in knowledge.industry_words or piece in knowledge.generic):
                reach[end] = True
                break
    return reach[-1]


def _suffixes(word: str) -> list[str]:
    return [word[-size:] for size in range(1, min(len(word), 6) + 1)]


def _acceptable(name: str, head, knowledge: Knowledge) -> bool:
    head = head.word
    before = len(name) - len(head)
    if name in knowledge.generic or before < 1 or name[0] in "）)—-·/+":
        return False
    if len(head) == 1 and before < 2 and head not in "河湖渠":
        return False
    if len(head) == 1 and _NUMERAL_START.match(name):
        return False  # 四河, 六村: counted, not named
    return not name[0].isdigit() or any(ch.isalpha() and not ch.isdigit() for ch in name[:-len(head)])


def _built_thing(name: str, start: int, places: dict[int, Mention]) -> bool:
    """A …工程 is a construction project when a place names it or it has a phase; else a program."""
    return start in places or bool(re.search(r"[期路河渠桥线\d]", name))


def _program_lexicon(tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    return [Mention(t.start, t.end, t.text, "Program", "", "lexicon.program") for t in tokens if t.text in knowledge.programs]


def _quoted_mentions(text: str, knowledge: Knowledge, quote_rules: dict[str, dict[str, str]]) -> list[Mention]:
    """Programs named in quotation marks, told from slogans by the words around the quote."""
    out = []
    for match in _QUOTED.finditer(text):
        group = next(g for g in range(1, 6) if match.group(g) is not None)
        inner = match.group(group)
        start, end = match.start(group), match.end(group)
        if group == 4:
            if inner.endswith(_DOC_TITLE):
                out.append(Mention(start, end, inner, "Program", "", "quote.title"))
            continue
        rule = _classify_quote(text, inner, match.start(), match.end(), knowledge, quote_rules)
        if rule is None:
            continue
        out.append(Mention(start, end, inner, "Program", "", rule))
        tail = _following(text, match.end(), quote_rules["complete"])
        if tail:
            out.append(Mention(match.start(), match.end() + len(tail), text[match.start():match.end() + len(tail)], "Program", "", "quote.program.complete"))
    return out


def _following(text: str, pos: int, words: dict[str, str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        if text.startswith(word, pos):
            return word
    return ""


def _preceding(text: str, pos: int, words: dict[str, str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        if text.endswith(word, 0, pos):
            return word
    return ""


def _classify_quote(text: str, inner: str, qstart: int, qend: int, knowledge: Knowledge, rules) -> str | None:
    if len(inner) < 2 or len(inner) > 20 or re.search(r"[，。！？：；,]", inner) or inner.isdigit():
        return None
    if inner in knowledge.not_programs:
        return None
    if inner in knowledge.programs:
        return "quote.program.lexicon"
    head = _head_of(inner, knowledge)
    if head is not None and head.type == "Program":
        return "quote.program.head"
    if head is not None and len(inner) > len(head.word):
        return None  # a quoted project or place name: the head-word rule types it
    if _following(text, qend, rules["after"]):
        return "quote.program.after"
    if _motto(text, qstart, qend):
        return None
    if len(inner) >= 3 and _preceding(text, qstart, rules["before"]):
        return "quote.program.before"
    if _NUMERAL_START.match(inner) and 4 <= len(inner) <= 8 and not re.search(r"\d", inner):
        return "quote.program.numeral"
    return None


def _motto(text: str, qstart: int, qend: int) -> bool:
    """A quote that qualifies a noun (以“功成不必在我”的信念) or states a guideline
    (以“畅、安、舒、美”为导向) is a motto, not a program carried out."""
    after = text[qend:qend + 1]
    return after == "的" or (text[qstart - 1:qstart] == "以" and after == "为")


def _enumerated_mentions(tokens: list[Token], knowledge: Knowledge, kinds: dict[str, tuple[str, str]]) -> list[Mention]:
    """Items of 'A、B等…项目' lists, typed by the noun the list ends in."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.text != "等":
            continue
        kind = _list_kind(tokens, i + 1, kinds, knowledge)
        if kind is None:
            continue
        typ, subtype = kind
        end = i
        while end > 0:
            first = _left_edge(tokens, end - 1, knowledge, limit=16)
            if first < end:
                item_start, item_end = tokens[first].start, tokens[end - 1].end
                name = "".join(t.text for t in tokens[first:end])
                if _list_item_ok(name, typ, knowledge):
                    out.append(Mention(item_start, item_end, name, typ, subtype, "list.enumeration"))
            if first > 0 and tokens[first - 1].text == "、":
                end = first - 1
            else:
                break
    return out


def _list_kind(tokens: list[Token], start: int, kinds: dict[str, tuple[str, str]], knowledge: Knowledge):
    """The type named by the noun a list ends in (等一批重点项目 → Project), within a few tokens
    of the same phrase: a new list (等组织相关部门、重点企业) belongs to another noun."""
    for tok in tokens[start:start + 8]:
        if tok.text in "，。；：！？,;、":
            return None
        if tok.text in kinds:
            return kinds[tok.text]
    return None


def _list_item_ok(name: str, typ: str, knowledge: Knowledge) -> bool:
    """An enumerated item is a name, not a line of business (畜牧, 商贸物流) or a day (植树节)."""
    if len(name) < 2 or name in knowledge.generic or name in knowledge.industry:
        return False
    if typ == "Project" and len(name) < 3 or typ in ("Project", "Company") and _all_industry(name, knowledge):
        return False
    return not name.endswith(("节", "日", "企业", "国企", "龙头"))


def _all_industry(name: str, knowledge: Knowledge) -> bool:
    rest = name
    while rest:
        word = next((w for w in knowledge.industry if rest.startswith(w)), None)
        if word is None:
            return False
        rest = rest[len(word):]
    return True


def find_mentions(doc: Document, tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Every mention in `doc`, sorted by position; `doc.text[m.start:m.end] == m.text`."""
    text = doc.text
    places = resolve_divisions(_division_mentions(tokens, knowledge), knowledge)
    by_start = {m.start: m for m in places}
    found = places
    found += _headed_mentions(text, tokens, knowledge, by_start)
    found += _program_lexicon(tokens, knowledge)
    found += _quoted_mentions(text, knowledge, knowledge.quotes)
    found += _enumerated_mentions(tokens, knowledge, knowledge.list_kinds)
    found += brand_mentions(text, found, tokens, knowledge)
    return _drop_enclosed(_dedupe(found))


def _drop_enclosed(mentions: list[Mention]) -> list[Mention]:
    """Drop a short division form used inside a longer name (云冈 in 云冈石窟, 晋源 in 晋源酒店项目)
    and a company name that only opens a longer one (国网山西省电力公司 in 国网…新荣区供电公司)."""
    out = []
    for i, m in enumerate(mentions):
        if m.rule in ("gazetteer.short", "head.company.form") and _enclosed(m, mentions, i):
            continue
        out.append(m)
    return out


def _enclosed(m: Mention, mentions: list[Mention], index: int) -> bool:
    # mentions are sorted by (start, end): enclosing ones start at or a little before m
    for other in mentions[max(0, index - 40): index + 40]:
        if other is m or not (other.start <= m.start and m.end <= other.end) or other.end - other.start <= m.end - m.start:
            continue
        if m.rule == "gazetteer.short" and not other.rule.startswith("gazetteer"):
            return True
        if m.rule == "head.company.form" and other.type == "Company" and other.start == m.start:
            return True
    return False


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per span: the first rule that found it wins (gazetteer, heads, lexicon, quotes, lists)."""
    seen: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        seen.setdefault((m.start, m.end), m)
    return sorted(seen.values(), key=lambda m: (m.start, m.end, m.type))


def _brand_of(name: str, knowledge: Knowledge) -> tuple[int, int] | None:
    """Span of the enterprise brand in a project or company name: place + BRAND + industry + …"""
    start = _skip_places(name, knowledge)
    cut = len(name)
    for word in knowledge.industry:
        pos = name.find(word, start)
        if pos != -1 and pos < cut:
            cut = pos
    run = re.match(r"[\u4e00-\u9fff]+", name[start:cut])
    if run is None or cut == len(name):
        return None
    brand = run.group()
    end = start + len(brand)
    # a brand runs up to the next place name (中能建大同… → 中能建)
    for size in range(2, len(brand)):
        for pos in range(1, len(brand) - size + 1):
            piece = brand[pos:pos + size]
            if piece in knowledge.by_name or piece in knowledge.by_short:
                end = min(end, start + pos)
    brand = name[start:end]
    if not 2 <= len(brand) <= 4 or brand in knowledge.generic or brand in knowledge.stop_tokens:
        return None
    if brand in knowledge.by_name or brand in knowledge.by_short or _head_of(brand, knowledge):
        return None
    return start, end


def _skip_places(name: str, knowledge: Knowledge) -> int:
    """Length of the division names (full or short) a name starts with (太原某某科技… → 2)."""
    pos = 0
    moved = True
    while moved:
        moved = False
        for size in range(min(len(name) - pos - 1, 9), 1, -1):
            piece = name[pos:pos + size]
            if piece in knowledge.by_name or piece in knowledge.by_short:
                pos += size
                moved = True
                break
    return pos


def brand_mentions(text: str, mentions: list[Mention], tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Company short names: the brand at the head of project names, and brands of full company names used alone."""
    out = []
    brands: dict[str, str] = {}
    for m in mentions:
        if m.type not in ("Project", "Company"):
            continue
        span = _brand_of(m.text, knowledge)
        if span is None:
            continue
        brand = m.text[span[0]:span[1]]
        if m.type == "Project":
            out.append(Mention(m.start + span[0], m.start + span[1], brand, "Company", "", "brand.project"))
        elif m.rule.startswith("head.company"):
            brands.setdefault(brand, m.text)
    for tok in tokens:
        if tok.text in brands:
            out.append(Mention(tok.start, tok.end, tok.text, "Company", "", "brand.company", canonical=brands[tok.text]))
    return out
