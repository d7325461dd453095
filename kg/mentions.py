"""Finds names in a document: gazetteer places, head-word names, quoted programs, enumerations."""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable

from .knowledge import Division, Head, Knowledge, composed_of, extends_at
from .model import Document, Mention, Token
from .enumerations import enumerated_mentions
from .quotes import quoted_mentions
from .segment import common_noun, common_word, is_verb, place_word, unfamiliar
from .trace import MentionTrace

MAX_NAME = 24  # characters; longer runs are sentences, not names
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ·\-—+＋×/（）()]")
_NUMERAL_START = re.compile(r"^(?:[一二三四五六七八九十两双百千万]|\d)")


def _name_like(token: Token, knowledge: Knowledge) -> bool:
    """Can this token stand inside a name? Not a stop token, nor a phrase jieba glued around
    one (全面实施, 全面完成)."""
    word = token.text
    if word in knowledge.stop_tokens or len(word) >= 4 and (word[:2] in knowledge.stop_tokens or word[-2:] in knowledge.stop_tokens):
        return False
    if all(ch == "—" for ch in word):
        return False  # ——某区图书馆: a dash before a name opens a subtitle
    if len(word) == 2 and word.endswith("等") and unfamiliar(word):
        return False  # 某某科技城|等|园区, glued by jieba as 城等: the end of a list
    return all(_NAME_CHAR.match(ch) for ch in word)


def _strip_leading(name: str, knowledge: Knowledge) -> int:
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


def _left_edge(tokens: list[Token], index: int, knowledge: Knowledge, limit: int = MAX_NAME, inner: bool = False) -> int:
    """Index of the first token of the name that ends with tokens[index].

    With `inner`, words such as 提升 and 改造 may stand inside the name when a name-like word
    comes before them (农村人居环境整治|提升|三年行动), but never start it."""
    first = index
    end = tokens[index].end
    while first > 0:
        prev = tokens[first - 1]
        if end - prev.start > limit:
            break
        if _name_like(prev, knowledge):
            first -= 1
        elif inner and prev.text in knowledge.inner_words and first >= 2 and _before_inner_is_name(tokens, first - 1, knowledge):
            first -= 1
        elif prev.text in knowledge.name_initials and (first < 2 or not _name_like(tokens[first - 2], knowledge)) and first < index:
            first -= 1  # 打造|小|王庄种植养殖片区: the name's first character, split off
            break
        else:
            break
    return first


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


def _headed_mentions(text: str, tokens: list[Token], knowledge: Knowledge, places: dict[int, Mention]) -> list[Mention]:
    """Names that end in a head word (…有限公司, …项目, …镇, …医院, …长制), left edge by stop tokens."""
    out = []
    place_ends = {m.end: m for m in places.values()}
    place_starts = sorted(m.start for m in place_ends.values())  # the same places, by start, for bisection
    line_ends: list[int] = []  # ends of railways and roads, which stations and exits follow
    head_tails = knowledge.head_tails
    for i, tok in enumerate(tokens):
        head = knowledge.head_of(tok.text)
        if (head is None or len(head.word) == len(tok.text) == 1) and tok.text in head_tails:  # else _head_across finds none
            joined = _head_across(tokens, i, knowledge)  # 某某文明实践|中心: the head is 实践中心
            head = joined or head
        if head is None:
            continue
        if tok.text in knowledge.generic and len(tok.text) > len(head.word):
            continue  # 巡河, 农村: common words that end in a head
        if head.word in knowledge.phrase_final_heads and i + 1 < len(tokens) and tokens[i + 1].start == tok.end and _name_like(tokens[i + 1], knowledge):
            continue  # 重要战略|机遇期, 战略|合作: the word does not end the phrase here
        if text[tok.end - len(head.word) - 1:tok.end - len(head.word)] == "类":
            continue  # 工业类开发区, 各类项目: a class of things
        generic = _generic_token(tok.text, head.word, knowledge)  # 强镇: a kind, unless a rank makes it a title
        first = _left_edge(tokens, i, knowledge, inner=head.type in ("Program", "Project") or head.rule == "head.company.form")
        if first == i and head.subtype in ("Town", "Village") and i >= 2 and tokens[i - 1].text in knowledge.place_inner and _name_like(tokens[i - 2], knowledge):
            first = _left_edge(tokens, i - 2, knowledge)  # 安康|里|社区
        opened = _task_force_start(tokens, i, knowledge) if head.word in knowledge.task_force_heads else None
        if opened is not None:
            first = opened
        elif head.type != "Program":
            # 办好|保险公司: a head's token with a word of its own before the head names on its own (胜利|路西延 does not)
            last_opener = i if len(tok.text) - len(head.word) >= 2 else i - 1
            while first < last_opener and _opening_verb(tokens[first].text, knowledge) and not _verb_names(tokens[first + 1], knowledge):
                first += 1  # 开放|某某湿地公园, 动工建设|某某高速公路: the verb is not the name
        widest = tokens[first].start + _strip_leading(text[tokens[first].start:tok.end], knowledge)
        if len(head.word) == 1:
            # 小石|村, 阳和坡|村: a one-character head takes one word before it; 淮河 is a word itself
            first = _one_word_before(tokens, i, first, knowledge)
        start = tokens[first].start
        start += _strip_leading(text[start:tok.end], knowledge)
        start += _strip_function_char(text[start:tok.end], head.word, knowledge)
        if head.type == "Place":
            settlement = head.subtype in ("Town", "Village", "Zone", "Water")
            start = _after_enclosing_place(start, tok.end - len(head.word), place_ends, settlement)
            start = max([start] + [e for e in line_ends if start < e < tok.end - len(head.word)])  # 郑渝高铁|万州北站
        start += _after_count(text[start:tok.end], head.word)
        start = _after_direction(text, start, tok.end - len(head.word), knowledge)
        ranked = _ranked(text, start, tok.end, head, knowledge)
        if ranked is None and widest < start:
            ranked = _ranked(text, widest, tok.end, head, knowledge)
        if ranked is None and head.type in ("Place", "Program"):
            ranked = _ranked(text, _phrase_start(text, tok.end - len(head.word)), tok.end, head, knowledge)  # 全国|乡村|旅游|重点|镇
        if ranked is not None and text.startswith(("项目", "工程"), tok.end):
            ranked = None  # 国家骨干冷链物流基地|项目: a project named after its designation
        if ranked is not None and ranked[0] == "batch":
            start = ranked[1]  # 全国首批|某某示范区: the name starts after the rank and the batch
        elif ranked is not None:
            title = ranked[1]
            out.append(Mention(title, tok.end, text[title:tok.end], "Program", "", "head.program.rank"))
            continue
        if generic:
            continue
        if head.type == "Program" and tok.end - start - len(head.word) == 2 and _bare_word(text[start:start + 2], knowledge):
            start = _shared_head_list(tokens, start, knowledge)
        name = text[start:tok.end]
        if not _acceptable(name, head, knowledge) or _category(text, start, name, head, knowledge):
            continue
        if head.type == "Project" and name.count("+") > 1:
            continue  # “精准服务+技能提升+政策扶持+项目带动”: a formula, not a name
        counted_works = head.word == "工程" and _counted(name, knowledge) and not re.match(r"\d", name)
        if head.type == "Project" and not counted_works and not _proper_project(name, head.word, head.rule, start, place_starts, knowledge):
            continue
        if head.rule == "head.org.committee" and not _opens_with_place(name[: -len(head.word)], knowledge):
            continue  # 中共某某市委, 某某区委; not …扛起省委
        if re.match(r"[一二三四五六七八九十两]+[大项个]", name) and text[start - 1:start] in "”’」":
            continue  # “扫黑恶、…”五大专项行动: the quote is the name, this counts its items
        typ, subtype, rule = head.type, head.subtype, head.rule
        if head.word == "工程" and not _built_thing(name, start, places, knowledge):
            typ, rule = "Program", "head.program.works"
        if _counted(name, knowledge) and typ == "Project" and not re.match(r"^\d", name):
            typ, rule = "Program", "head.program.numeral"
        phase = _PHASE.match(text, tok.end)
        if phase and typ in ("Project", "Organization"):
            # 某某片区综合治理项目（一期）工程, 某某中学（二期）: a phase of works being built
            name, typ, subtype, rule = text[start:phase.end()], "Project", "", "head.project.phase"
        mention = Mention(start, start + len(name), name, typ, subtype, rule)
        out.append(mention)
        if typ == "Place":
            replaced = place_ends.get(mention.end)
            if replaced is not None:
                del place_starts[bisect_left(place_starts, replaced.start)]
            place_ends[mention.end] = mention
            insort(place_starts, mention.start)
        if rule.startswith(("head.project.rail", "head.project.road")):
            line_ends.append(mention.end)
    return out


def _shared_head_list(tokens: list[Token], start: int, knowledge: Knowledge) -> int:
    """Start of two-character items that share the program's head (蓝天、碧水、|净土保卫战): one name.
    Items that are places or names of their own (北京、|文明行动, 战略、|八大行动) share nothing."""
    index = bisect_left(tokens, start, key=lambda t: t.start)
    while index >= 2 and tokens[index - 1].text == "、" and _bare_item(tokens[index - 2], knowledge):
        index -= 2
    return tokens[index].start if index < len(tokens) and tokens[index].start < start else start


def _bare_item(token: Token, knowledge: Knowledge) -> bool:
    return len(token.text) == 2 and _name_like(token, knowledge) and _bare_word(token.text, knowledge)


def _bare_word(word: str, knowledge: Knowledge) -> bool:
    """A plain two-character word (蓝天, 净土): no verb, numeral, head word or place."""
    if is_verb(word) or _NUMERAL_START.match(word) or knowledge.head_of(word) is not None:
        return False
    return word not in knowledge.by_name and word not in knowledge.by_short and word not in knowledge.landmarks and word not in knowledge.generic


def _task_force_start(tokens: list[Token], index: int, knowledge: Knowledge) -> int | None:
    """A task force's name runs back to the verb that set it up (成立|融入某某协同发展|领导小组)."""
    for j in range(index - 1, max(-1, index - 12), -1):
        if tokens[j].text in knowledge.task_force_openers:
            return j + 1 if j + 1 < index else None
        if not re.match(r"[\u4e00-\u9fff]", tokens[j].text):
            break
    return None


def _verb_names(after: Token, knowledge: Knowledge) -> bool:
    """Does the verb belong to the name after all (融资|性担保公司, 前进|镇至…铁路)?"""
    head = knowledge.head_of(after.text[:1])
    return after.text.startswith(("性", "型", "式")) or head is not None and head.type == "Place"


def _opening_verb(word: str, knowledge: Knowledge) -> bool:
    return len(word) >= 2 and is_verb(word) and word not in knowledge.industry_words and not word[0].isdigit()


def _opens_with_place(specific: str, knowledge: Knowledge) -> bool:
    """Is `specific` (optionally after 中共) a division's name or short form?"""
    rest = specific[2:] if specific.startswith("中共") else specific
    return _skip_places(rest + "X", knowledge) == len(rest) or rest in knowledge.by_name or rest in knowledge.by_short


_PHASE = re.compile(r"[（(][一二三四五六七八九十\d]+期[）)](?:工程|项目)?")


def _after_direction(text: str, start: int, head_start: int, knowledge: Knowledge) -> int:
    """A name written after a place and a direction starts after them (火车站南侧|商业综合体项目)."""
    best = start
    for word in knowledge.directions:
        pos = text.rfind(word, start + 1, head_start)
        if pos != -1 and pos + len(word) < head_start - 1:
            best = max(best, pos + len(word))
    return best


def _before_inner_is_name(tokens: list[Token], index: int, knowledge: Knowledge) -> bool:
    """Is there a name-like word before the inner words that end at `index` (环境|整治|提升|五年)?"""
    while index > 0 and tokens[index].text in knowledge.inner_words:
        index -= 1
        if _name_like(tokens[index], knowledge):
            return True
    return False


def _counted(name: str, knowledge: Knowledge) -> bool:
    """Does the name open with a numeral that counts (三大惠民工程, 五项提升行动), not 一般?"""
    return bool(_NUMERAL_START.match(name)) and not name.startswith(knowledge.not_numeral)


_PHRASE_BREAK = re.compile(r"[“”‘’「」《》，。；：、,;:!?！？\s]")


def _phrase_start(text: str, pos: int, reach: int = 14) -> int:
    """Start of the phrase ending at `pos`: after the last punctuation or quote mark within reach."""
    floor = max(0, pos - reach)
    for i in range(pos - 1, floor - 1, -1):
        if _PHRASE_BREAK.match(text[i]):
            return i + 1
    return floor


def _head_across(tokens: list[Token], index: int, knowledge: Knowledge):
    """A head word that jieba split between this token and the one before (实践|中心)."""
    if index == 0 or len(tokens[index].text) > 2 or tokens[index].text not in knowledge.head_tails:
        return None
    joined = tokens[index - 1].text + tokens[index].text
    head = knowledge.head_of(joined)
    return head if head is not None and len(head.word) > len(tokens[index].text) else None


def _ranked(text: str, start: int, end: int, head, knowledge: Knowledge) -> tuple[str, int] | None:
    """("title", its start) for an honour or title scheme's name (全国文明城市, 省级生态文明建设示范区,
    江西省文化产业示范园区), where a rank opens it, right before the name or as its first word;
    ("batch", where the name starts) when a rank and a batch only qualify it (全国首批某某示范区)."""
    if head.type not in ("Place", "Program", "Project"):
        return None
    for rank in knowledge.ranks:
        for at in (start - len(rank), start):
            if at >= 0 and text.startswith(rank, at) and end - at - len(rank) > len(head.word) + 1:
                rest = text[at + len(rank):end]
                batch = re.match(r"(?:首批|第[一二三四五六七八九十\d]+批)", rest)
                if batch:
                    return "batch", at + len(rank) + batch.end()
                if rest not in knowledge.generic and not rest.startswith(tuple(knowledge.leading)) and re.fullmatch(r"[\u4e00-\u9fff\d·]+", rest):
                    return "title", at
    for province in _PROVINCE_PREFIX.findall(text[start:start + 9]):
        if "示范" in text[start + len(province):end] and province in knowledge.by_name:
            return "title", start
    return None


_PROVINCE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}省")


def _one_word_before(tokens: list[Token], index: int, first: int, knowledge: Knowledge) -> int:
    """Left edge for a one-character head: the word before a bare head (小石|村), or the word
    jieba split off a short word holding the head (口|泉河, 鼓楼|东街, 乌|金山|镇); 淮河 and
    黄河 stand alone, and a function word or verb before them (入|黄河) is not part of the name."""
    token = tokens[index]
    if token.text in knowledge.landmarks:
        return index
    if len(token.text) == 1:
        start = max(first, index - 1)
        if start == index - 1 and index >= 2 and _splits_off(tokens[index - 2], knowledge):
            return index - 2  # 乌|金山|镇
        if start == index - 1 and first <= index - 2 and _NUMERAL_START.match(tokens[index - 1].text):
            return index - 2  # 某河|二十|渠: a numbered branch of a named river
        return start
    if first < index and len(token.text) <= 2 and not is_verb(tokens[index - 1].text):
        return index - 1  # 鼓楼|东街
    if first < index and _splits_off(tokens[index - 1], knowledge) and not (index >= 2 and tokens[index - 2].text.isdigit()):
        return index - 1  # 口|泉河; not 国道577|线|精河
    return index


def _splits_off(token: Token, knowledge: Knowledge) -> bool:
    """A single character that belongs to the name after it: name-like, not a function word or verb."""
    return len(token.text) == 1 and _name_like(token, knowledge) and token.text not in knowledge.function_chars and not is_verb(token.text)


_COUNT = re.compile(r"(?:\d+|[一二三四五六七八九十百千两几多数]+)[个家所座条项批处]")


def _after_count(name: str, head: str) -> int:
    """Characters up to the end of a count inside a name: 16个市传染病医院 is counted things."""
    cut = 0
    for match in _COUNT.finditer(name, 0, len(name) - len(head)):
        cut = match.end()
    return cut


def _proper_project(name: str, head: str, rule: str, start: int, place_starts: list[int], knowledge: Knowledge) -> bool:
    """A project is named when something in it is particular: a place, a number or code, an
    enterprise's brand, or a long specific description; 技术攻关项目 and 整改项目 are kinds of work."""
    specific = name[: -len(head)]
    if re.search(r"[\dA-Za-z０-９×]|[一二三四五六七八九十]号|[百千万亿]+[亿兆吨瓦](?!元)", specific) or len(specific) >= 8:
        return True
    if rule.startswith("head.project.road") and specific in knowledge.compass:
        return True  # 西环线: a ring road named by its side
    if rule.startswith(("head.project.rail", "head.project.road")) and len(specific) >= 2 and not _only_descriptive(specific, knowledge) and not _ordinary_words(specific):
        return True  # 郑渝高铁, 京沪高铁: lines are named after the places they join
    if any(_named_place(specific[:end], knowledge) for end in range(2, len(specific) + 1)):
        return True  # 某河水质提升项目: it names the place it works on
    first = bisect_left(place_starts, start)
    if first < len(place_starts) and place_starts[first] < start + len(specific):
        return True
    if _region(specific[:2], knowledge):
        return True  # 宁东|能源化工基地: named after its region
    return _brand_of(name, knowledge) is not None


def _named_place(word: str, knowledge: Knowledge) -> bool:
    """Does `word` end in a place head and name one place (汾河), not a kind (乡村, 农村)?"""
    head = knowledge.head_of(word)
    return head is not None and head.type == "Place" and len(word) > len(head.word) and word not in knowledge.generic and not common_word(word)


def _generic_token(word: str, head: str, knowledge: Knowledge) -> bool:
    """A token that merely ends in a head (农村, 行政村, 个村, 示范村) is a common word, not a name."""
    if len(word) == len(head):
        return False
    before = word[: -len(head)]
    return word in knowledge.generic or before in knowledge.classifiers or before in knowledge.modifiers


def _strip_function_char(name: str, head: str, knowledge: Knowledge) -> int:
    """1 when a function word opens the name (以中车…, 在城镇): jieba glued it to the name's first word."""
    if name[:1] in knowledge.function_chars and len(name) - len(head) >= (3 if len(head) > 1 else 2):
        return 1
    return 0


# Longest specific part (before the head) that a settlement or water name has (王家堡村, 东花园街道).
_SHORT_PLACE = {"Town": 6, "Village": 6, "Water": 5}


def _after_enclosing_place(start: int, head_start: int, place_ends: dict[int, Mention], settlement: bool) -> int:
    """A place written after the place that holds it starts after it (某某区|某某街道, 某某区|十里河),
    unless nothing but the head would be left (万州|北站 stays 万州北站)."""
    best = start
    for end in range(start + 1, head_start - 1):
        holder = place_ends.get(end)
        if holder is None or holder.start < start:
            continue
        if _holds_places(holder, settlement) or holder.rule == "gazetteer.full" and _place_starts_at(end, head_start, place_ends):
            best = end  # 某某区|十里河森林公园: a landmark named after a river is not named after its district
    return best


def _place_starts_at(pos: int, limit: int, place_ends: dict[int, Mention]) -> bool:
    return any(m.start == pos and m.end <= limit for m in place_ends.values())


def _holds_places(holder: Mention, settlement: bool) -> bool:
    """Only a division named in full holds a town, village, zone or river (某某区|某某街道); a town or
    village holds anything (某某村|某某滑雪场). Landmarks keep their district (某某区党史馆)."""
    if holder.subtype in ("Town", "Village"):
        return True
    return settlement and holder.rule == "gazetteer.full"


def _category(text: str, start: int, name: str, head, knowledge: Knowledge) -> bool:
    """A counted (6个…项目) or described (精品示范村, 普惠性幼儿园) kind of thing, not one named thing."""
    if head.type in ("Place", "Project", "Organization") and _described_kind(text, start, knowledge):
        return True
    before = start - 1 - (text[start - 1:start] in "“‘「")  # 4处“口袋公园”: a quoted kind, counted
    if before >= 0 and text[before] in knowledge.classifiers and (head.type in ("Place", "Project", "Organization") or head.rule == "head.program.title"):
        return not re.search(r"\d+×\d+|万千瓦|兆瓦", name)  # 两个2×66万千瓦火电项目 is still one named plant
    specific = name[: -len(head.word)]
    if head.rule == "head.program.title" and _only_descriptive(specific, knowledge):
        return True  # 农业示范区: a kind of zone; not 循环农业示范区 named for its model
    if head.word in knowledge.phrase_final_heads and re.search(r"(?:新|[一二三四五六七八九十两]大)$", specific):
        return True  # 新思想新战略: a doctrine; 四大战略: a counted set
    if head.word in knowledge.weak_heads:
        if _counted(name, knowledge) and not re.match(r"[一二三四五六七八九十两\d]+[年是]", name):
            return len(specific) < 4  # 五级医疗|服务体系: named by its levels
        # 五年|计划, 三年行动|计划: a duration, not a name
        return len(specific) < 4 or _counted(name, knowledge) and len(specific) < 6 or _only_descriptive(specific, knowledge, with_domains=True)
    if head.type == "Company" and re.search(r"[一二三四五六七八九十两]+大", specific):
        return True  # 国家四大电力公司: counted enterprises, not one
    if head.word == "公司" and _only_company_kinds(specific, knowledge):
        return True  # 证券公司, 融资性担保公司, 知名跨国公司: a kind of enterprise
    if head.type in ("Company", "Program"):
        return False
    # Only places and bodies are kinds by a modifier: projects were read against [project_modifier],
    # a section folded into [modifier] long ago, so no project has been since, and the rules were tuned that way.
    if head.type in ("Place", "Organization") and _modified_kind(specific, knowledge):
        return True  # 精品示范村, 新荣区精品示范村: a described kind; not 某某食用菌|特色产业基地
    if head.type in ("Place", "Organization") and _only_descriptive(specific, knowledge):
        return True
    if head.type == "Place" and len(specific) == 1 and is_verb(specific + head.word[0]):
        return True  # 加|大景区 is 加大 + 景区
    if head.type == "Place" and len(specific) >= 2 and is_verb(specific):
        return True  # 加大|景区, 整治|村: a verb and a common noun
    if head.type == "Place" and re.match(r"[\d一二三四五六七八九十]+个", text[start + len(name):start + len(name) + 4]):
        return True  # 环境整治村6个: a counted kind of village
    limit = _SHORT_PLACE.get(head.subtype)
    return head.type == "Place" and limit is not None and (len(specific) > limit or bool(re.search(r"\d", specific)))


def _modified_kind(specific: str, knowledge: Knowledge) -> bool:
    """Does `specific` end in a modifier with only places or describing words before it (精品|示范, 新荣区|精品示范)?"""
    for word in (w for w in _suffixes(specific) if w in knowledge.modifiers):
        rest = specific[: -len(word)]
        rest = rest[_skip_places(rest + "X", knowledge):]
        if not rest or _only_descriptive(rest, knowledge):
            return True
    return False


def _only_company_kinds(specific: str, knowledge: Knowledge) -> bool:
    """Is the part before 公司 made only of lines of business and standing (小额贷款, 新办|小额贷款)?"""
    return composed_of(specific, knowledge.company_kinds.__contains__)


def _described_kind(text: str, start: int, knowledge: Knowledge) -> bool:
    """Does the clause before the name describe a kind (全国首个…, 集…于一体的…)?"""
    clause = text[_clause_start(text, start):start]
    return any(marker in clause for marker in knowledge.kind_markers)


def _clause_start(text: str, pos: int, reach: int = 40) -> int:
    floor = max(0, pos - reach)
    return max([floor] + [text.rfind(ch, floor, pos) + 1 for ch in "，。；：！？,;:!?“”《》\n"])


def _only_descriptive(specific: str, knowledge: Knowledge, with_domains: bool = False) -> bool:
    """Is the part before the head made only of describing and industry words (现代物流|园区)?"""
    return knowledge.only_describing(specific, with_domains)


def _suffixes(word: str) -> list[str]:
    return [word[-size:] for size in range(1, min(len(word), 6) + 1)]


_ONLY_NUMERALS = re.compile(r"[一二三四五六七八九十两双百千万\d]+")
_COUNTED_FORMULA = re.compile(r"(?:[一二三四五六七八九十两双百千万\d]+[\u4e00-\u9fff]){2,}")


def _acceptable(name: str, head_word: Head, knowledge: Knowledge) -> bool:
    kind, head = head_word.type, head_word.word
    before = len(name) - len(head)
    if name in knowledge.generic or before < 1 or name[0] in "）)—-·/+":
        return False
    if name.count("(") + name.count("（") != name.count(")") + name.count("）"):
        return False  # 乡镇(街道: cut inside a parenthesis
    if kind == "Program" and name[0] in knowledge.negations:
        return False  # “光喊口号、不见行动”: a negated phrase names nothing
    if "—" in name and kind in ("Place", "Organization"):
        return False  # 市级医院—区—街道: a chain of levels, not a name
    if len(head) == 1 and before < 2 and head not in knowledge.short_water_heads:
        return False
    if kind == "Organization" and before == 1 and head.endswith(knowledge.school_heads):
        return False  # 干中学, 学中干: a school is never named by one character
    if len(head) == 1 and _ONLY_NUMERALS.fullmatch(name[:-1]):
        return False  # 四河, 六村: counted, not named; 十里河, 三河村 and 万泉河 are names
    if _COUNTED_FORMULA.fullmatch(name):
        return False  # 一山三河, 万村千乡: a formula of counted things
    return not name[0].isdigit() or any(ch.isalpha() and not ch.isdigit() for ch in name[:-len(head)])


def _built_thing(name: str, start: int, places: dict[int, Mention], knowledge: Knowledge) -> bool:
    """A …工程 is a construction project when a place names it or it has a phase, a number or
    another mark of a thing built (路, 枢纽 …); else a program."""
    return start in places or any(word in name for word in knowledge.built_markers) or bool(re.search(r"\d", name))


def _lexicon_mentions(tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """National programs (厕所革命) and well-known places and bodies without a head word (黄河, 公安部)."""
    out = []
    for t in tokens:
        if t.text in knowledge.programs:
            out.append(Mention(t.start, t.end, t.text, "Program", "", "lexicon.program"))
        elif t.text in knowledge.landmarks:
            typ, subtype = knowledge.landmarks[t.text]
            out.append(Mention(t.start, t.end, t.text, typ, subtype, "lexicon.landmark"))
    return out


def find_mentions(doc: Document, tokens: list[Token], knowledge: Knowledge, trace: MentionTrace | None = None) -> list[Mention]:
    """Every mention in `doc`, sorted by position; `doc.text[m.start:m.end] == m.text`.
    With `trace`, what each finder proposed and what the merge dropped, and why, are recorded in it."""
    text = doc.text
    note = trace or _NO_TRACE
    divisions = note.propose("gazetteer", _division_mentions(tokens, knowledge))
    places = resolve_divisions(divisions, knowledge)
    if trace:
        settled = {(m.start, m.end) for m in places}
        for m in divisions:
            if (m.start, m.end) not in settled:
                trace.drop(m, "a short form or a name of several divisions that the document's other places do not settle")
    by_start = {m.start: m for m in places}
    found = places
    found += note.propose("heads", _headed_mentions(text, tokens, knowledge, by_start))
    lexicon = note.propose("lexicon", _lexicon_mentions(tokens, knowledge))
    # a program the lexicon knows is a program, though it ends like a village (驻镇帮镇扶村)
    programs = {(m.start, m.end) for m in lexicon if m.type == "Program"}
    if trace:
        for m in found:
            if (m.start, m.end) in programs and m.rule.startswith("head."):
                trace.drop(m, "a program the lexicon knows, though it ends like a head word")
    found = [m for m in found if (m.start, m.end) not in programs or not m.rule.startswith("head.")] + lexicon
    quoted = note.propose("quotes", quoted_mentions(text, knowledge))
    # what the words around a quote say outweighs the quoted name's own head word (开展“送技下乡进社区”)
    decided = {(m.start, m.end) for m in quoted if m.rule in _DECISIVE_QUOTE_RULES}
    joined = _join_quoted_heads(text, found, quoted)
    kept = [m for m in joined if (m.start, m.end) not in decided or not m.rule.startswith("head.")]
    if trace:
        trace.drop_missing(found, joined, "joined with the quote right before it into one name (quote.program.headed)")
        trace.drop_missing(joined, kept, "the words around its quotes make it a program (a decisive quote rule)")
    found = kept + quoted
    listed = note.propose("lists", enumerated_mentions(text, tokens, knowledge, lambda token: _name_like(token, knowledge)))
    projects = {(m.start, m.end) for m in listed if m.rule == "list.enumeration.counted" and m.type == "Project"}
    # 某湖等4个安置项目: the count and kind after 等 outweigh the item's own head word
    kept = [m for m in found if (m.start, m.end) not in projects or m.type != "Place"]
    if trace:
        trace.drop_missing(found, kept, "an item of a list closed by a count of projects (等4个安置项目): a project, not a place")
    found = kept + listed
    found += note.propose("policy", _policy_packages(text, knowledge))
    found += note.propose("brands", brand_mentions(text, found, tokens, knowledge))
    found += note.propose("place_prefix", _places_opening_projects(found, knowledge))
    found += note.propose("captions", _caption_companies(text, knowledge))
    found += note.propose("siblings", _sibling_institutions(text, found, knowledge))
    unique = _dedupe(found)
    if trace:
        _note_duplicates(found, unique, trace)
    return _drop_enclosed(unique, knowledge, trace)


class _NoTrace:
    """Stands in for a trace when none is asked for: proposals pass through, nothing is kept."""

    @staticmethod
    def propose(finder: str, mentions: list[Mention]) -> list[Mention]:
        return mentions


_NO_TRACE = _NoTrace()


def _note_duplicates(found: list[Mention], unique: list[Mention], trace: MentionTrace) -> None:
    winners = {(m.start, m.end): m for m in unique}
    kept = {id(m) for m in unique}
    for m in found:
        if id(m) not in kept:
            winner = winners[(m.start, m.end)]
            why = "found twice" if winner == m else f"the same span was found first as {winner.type} by {winner.rule}"
            trace.drop(m, why)


def _sibling_institutions(text: str, mentions: list[Mention], knowledge: Knowledge) -> list[Mention]:
    """Institutions listed after one that names its place (某某区人民医院、中医院、妇幼保健院):
    the bare names that follow are the same place's hospitals or schools, not kinds."""
    out = []
    places = {m.start for m in mentions if m.code}
    for m in mentions:
        if m.type != "Organization" or m.start not in places:
            continue
        end = m.end
        while text.startswith("、", end) and (name := _institution_at(text, end + 1, knowledge)):
            out.append(Mention(end + 1, end + 1 + len(name), name, "Organization", "", "list.sibling_institution"))
            end += 1 + len(name)
    return out


def _institution_at(text: str, pos: int, knowledge: Knowledge) -> str:
    """The longest name of three to eight characters at `pos` that ends in an institution's head word."""
    for size in range(8, 2, -1):
        name = text[pos:pos + size]
        head = knowledge.head_of(name)
        if len(name) == size and re.fullmatch(r"[\u4e00-\u9fff]+", name) and head is not None and head.type == "Organization" and name.endswith(head.word) and name not in knowledge.generic:
            return name
    return ""


_MARKUP = re.compile(r"<[^<>\n]*>|\[[^\[\]\n]*\]\([^()\n]*\)|[*#>_`|-]|\s")
_CAPTION = re.compile(r"[\u4e00-\u9fff]{4,12}")


def _caption_companies(text: str, knowledge: Knowledge) -> list[Mention]:
    """A photo caption that is only an enterprise's brand and its trade (某某建材, 山西某某特钢)
    names the enterprise. HTML tags and Markdown marks around the caption do not count."""
    out = []
    start = 0
    for line in text.split("\n"):
        caption = _MARKUP.sub("", line)
        if _CAPTION.fullmatch(caption):
            span = _brand_of(caption, knowledge)
            trade = caption[span[1]:] if span else ""
            at = start + line.find(caption)
            if trade in knowledge.industry_words and trade not in knowledge.generic and at >= start:
                out.append(Mention(at, at + len(caption), caption, "Company", "", "caption.company"))
        start += len(line) + 1
    return out


_ARTICLES = re.compile(r"(\d{1,3})条(?=[、，。；,;和与及等）)\s]|$)")
MAX_ARTICLES = 200  # more "条" than a policy has: a count of things (背街小巷4085条)


def _policy_packages(text: str, knowledge: Knowledge) -> list[Mention]:
    """Policy packages named by their number of articles (稳就业20条, 激活民间投资30条) in a
    sentence that publishes them; 新建道路20条 counts roads."""
    out = []
    for match in _ARTICLES.finditer(text):
        # the name runs back to the list separator or the publishing verb: 促进民营经济发展23条 keeps 促进
        start = max(text.rfind(ch, 0, match.start()) for ch in "、，。；：,;:\n“”") + 1
        verb = None
        for verb in knowledge.published.finditer(text, start, match.start()):
            pass
        if verb is not None:
            start = verb.end()
        start += _strip_leading(text[start:match.start()], knowledge)
        if match.start() - start > MAX_NAME - 4:
            continue
        name = text[start:match.end()]
        specific = text[start:match.start()]
        sentence_start = max(text.rfind(ch, 0, start) for ch in "。！？\n") + 1
        if int(match.group(1)) > MAX_ARTICLES or len(specific) < 2 or specific.endswith(knowledge.counted_things) or not knowledge.published.search(text, sentence_start, start):
            continue
        if specific in knowledge.generic or _only_descriptive(specific, knowledge, with_domains=True):
            continue
        out.append(Mention(start, match.end(), name, "Program", "", "policy.articles"))
    return out


_OPENING = {"”": "“", "’": "‘", "」": "「"}


_DECISIVE_QUOTE_RULES = frozenset({"quote.program.after", "quote.program.award", "quote.program.carry"})


def _join_quoted_heads(text: str, mentions: list[Mention], quoted: list[Mention]) -> list[Mention]:
    """A quoted program or code followed by a headed program name is one name:
    “1+9”千百亿级产业集群格局 (the quote alone is kept only when the quote rules found it)."""
    out = []
    for m in mentions:
        closing = text[m.start - 1:m.start]
        opening = text.rfind(_OPENING.get(closing, "\0"), max(0, m.start - 26), m.start - 1)
        if m.type == "Program" and m.rule.startswith("head.") and opening != -1 and not re.search(r"[\n—]", text[opening:m.start]):
            out.append(Mention(opening, m.end, text[opening:m.end], "Program", "", "quote.program.headed"))
        else:
            out.append(m)
    return out


def _places_opening_projects(mentions: list[Mention], knowledge: Knowledge) -> list[Mention]:
    """The place a project's name opens with, when no other rule found it: 汾河|水质提升项目,
    平泉路|雨污分流道路改造工程. Inside a project name even a street or a river is safe to read."""
    out = []
    starts = {m.start for m in mentions if m.type == "Place"}
    for m in mentions:
        if m.type != "Project" or m.start in starts:
            continue
        for end in range(min(len(m.text) - 2, 8), 1, -1):
            piece = m.text[:end]
            if re.match(r"[一二三四五六七八九十期北南东西延段]", m.text[end]):
                continue  # 御河西路|北延工程, 得胜大道|二期: the road itself, extended
            if piece.endswith(knowledge.project_place_heads) and not common_word(piece) and piece not in knowledge.generic and len(piece) >= 3 - (piece[-1] in knowledge.short_water_heads):
                out.append(Mention(m.start, m.start + end, piece, "Place", "Landmark", "name.place_prefix"))
                break
    return out


def _drop_enclosed(mentions: list[Mention], knowledge: Knowledge, trace: MentionTrace | None = None) -> list[Mention]:
    """Drop a short division form used inside a longer name (龙门 in 龙门石窟, 晋源 in 晋源酒店项目)
    and a company name that only opens a longer one (国网山西省电力公司 in 国网…新荣区供电公司)."""
    out = []
    for i, m in enumerate(mentions):
        if (m.rule in ("gazetteer.short", "head.company.form", "list.enumeration", "list.enumeration.counted", "lexicon.program") or m.type in ("Organization", "Project") or m.rule.startswith("head.place.")) and (other := _enclosed(m, mentions, i, knowledge)):
            if trace:
                trace.drop(m, f"inside {other.text} ({other.type}, {other.rule})")
            continue
        if m.rule.startswith("head.") and (title := _ends_a_title(m, mentions, i)):
            if trace:
                trace.drop(m, f"the tail of the document title {title.text} (quote.title)")
            continue
        out.append(m)
    return out


def _enclosed(m: Mention, mentions: list[Mention], index: int, knowledge: Knowledge) -> Mention | None:
    """The longer mention that `m` stands inside and yields to, if any."""
    # mentions are sorted by (start, end): enclosing ones start at or a little before m
    for other in mentions[max(0, index - 40): index + 40]:
        if other is m or not (other.start <= m.start and m.end <= other.end) or other.end - other.start <= m.end - m.start:
            continue
        if m.rule == "gazetteer.short" and not other.rule.startswith("gazetteer"):
            return other
        if m.rule == "head.company.form" and other.type == "Company" and other.start == m.start:
            return other
        if m.rule == "head.place.street" and other.type == "Project" and other.start == m.start and extends_at(other.text, m.end - m.start):
            return other  # 某某街 in 某某街西延: the street itself, extended
        if m.rule.startswith("head.project.road") and other.type == "Project" and other.start == m.start and other.text[len(m.text):] in ("工程", "项目"):
            return other  # 某某路北延 in 某某路北延工程: one project
        if m.rule.startswith(("head.project.rail", "head.project.facility", "head.project.phase")) and other.type == "Project" and other.start == m.start:
            return other  # 某某铁路 in 某某铁路某某编组站, 大数据中心 in 大数据中心项目
        if m.rule.startswith("list.enumeration") and other.end == m.end and other.rule.startswith("head."):
            return other  # 经济片区 read as an item of 某某种植养殖经济片区等…: the headed name is whole
        if m.rule == "lexicon.program" and other.type == "Program" and other.end == m.end and other.text.lstrip("“")[:2] in knowledge.rank_openers:
            return other  # 全域旅游示范区 in 国家全域旅游示范区: the rank is part of the title
        if m.rule == "lexicon.program" and other.type == "Organization":
            return other  # a national program's name inside an institution's (…实践中心)
        if m.type == "Organization" and other.type == "Organization" and other.start == m.start:
            return other  # 某某大学 in 某某大学附小, 中共某某市委 in 中共某某市委宣传部
        if m.rule.startswith("head.place.") and other.rule.startswith("head.place.landmark") and other.start == m.start:
            return other  # 某某峡谷 in 某某峡谷艺术温泉, 某河 in 某河森林公园: the landmark is named, not the river
    return None


def _ends_a_title(m: Mention, mentions: list[Mention], index: int) -> Mention | None:
    """The document title (《…深化…改革实施方案》) that a headed name is only the tail of, if any."""
    return next((
        other for other in mentions[max(0, index - 40): index]
        if other.rule == "quote.title" and other.end == m.end and other.start < m.start
    ), None)


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
    if not 2 <= len(brand) <= 4 or brand in knowledge.generic or brand in knowledge.stop_tokens or _ordinary_words(brand):
        return None
    if brand[0] in knowledge.brand_not_first:
        return None  # 8.5|代液晶…: the measure word after a number, cut from it
    if brand[-1] in knowledge.brand_not_last:
        return None  # 七|大类文化项目, 万亿级电子信息产业基地: a class or a scale
    if _region(brand, knowledge) or any(rank in brand for rank in knowledge.ranks):
        return None  # 皖北|农产品…, 某某全国|农产品加工示范基地: a region or a title, no enterprise
    if brand in knowledge.by_name or brand in knowledge.by_short or knowledge.head_of(brand):
        return None
    return start, end


def _enterprise_brand(name: str, knowledge: Knowledge) -> tuple[int, int] | None:
    """The span of _brand_of when it can name an enterprise on its own. What a project name starts
    with may make the project particular (某某路绿化工程, 市焚烧发电厂) without being a company."""
    span = _brand_of(name, knowledge)
    if span is None:
        return None
    brand = name[span[0]:span[1]]
    if brand.startswith(knowledge.city_own_openers) or any(word in brand for word in knowledge.place_in_brand):
        return None  # 市焚烧, 我市农机: the city's; 养马岛, 某某西路, 某江水系, 某塘沿线: places
    if brand.endswith(knowledge.capacity_starts):
        return None  # 某某年产|10万吨…: the capacity starts, and the brand is cut inside it
    return span


def _place_headed(name: str, knowledge: Knowledge) -> bool:
    """A project (say, a list's item) whose name ends in a landmark's head word (某某文化广场): the
    word before the head is a place's name, not an enterprise's (a park may carry a brand:
    某某超市物流园区)."""
    head = knowledge.head_of(name)
    return head is not None and head.type == "Place" and head.subtype == "Landmark"


def _ordinary_words(brand: str) -> bool:
    """A common word, or one opening the brand (精品|设施, 长城|一号): not an enterprise's name."""
    return common_word(brand) or common_noun(brand) or any(common_word(brand[:size]) for size in range(2, len(brand)))


def _region(word: str, knowledge: Knowledge) -> bool:
    """皖北, 豫东 (a province and a compass point), 西北隅 (two compass points): a place."""
    first, second = word[:1], word[1:2]
    if first in knowledge.compass and second in knowledge.compass:
        return True
    return len(word) == 2 and {first, second} <= knowledge.compass | knowledge.province_abbreviations and bool({first, second} & knowledge.compass)


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
    inside: set[int] = set()  # offsets inside full company names: a brand there is not used alone
    branded = [(m, _enterprise_brand(m.text, knowledge)) for m in mentions if m.type in ("Project", "Company")]
    for m, span in branded:
        if span is not None and m.rule.startswith("head.company"):
            brands.setdefault(m.text[span[0]:span[1]], m.text)
            inside.update(range(m.start, m.end))
    for m, span in branded:
        if span is not None and m.type == "Project" and not m.rule.startswith(("head.project.road", "head.project.rail")) and not _place_headed(m.text, knowledge):
            brand = m.text[span[0]:span[1]]
            # 某某光伏组件项目 after 大同某某光伏科技有限公司: the brand stands for the company named in full
            out.append(Mention(m.start + span[0], m.start + span[1], brand, "Company", "", "brand.project", canonical=brands.get(brand, "")))
    for tok in tokens:
        if tok.text in brands and tok.start not in inside:
            out.append(Mention(tok.start, tok.end, tok.text, "Company", "", "brand.company", canonical=brands[tok.text]))
    out += _enterprise_subjects(text, tokens, knowledge)
    out += _brands_before_counted_projects(text, mentions, tokens, knowledge)
    return out


_CLAUSE_OPENERS = "，。；：！？,;:\n"
_COUNT_TOKEN = re.compile(r"^(?:\d+|[一二三四五六七八九十两]+)个$")


def _brand_token(tok: Token, knowledge: Knowledge) -> bool:
    word = tok.text
    return (
        2 <= len(word) <= 4 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", word)) and unfamiliar(word)
        and word not in knowledge.by_name and word not in knowledge.by_short and word not in knowledge.generic
        and word not in knowledge.stop_tokens and word not in knowledge.landmarks and knowledge.head_of(word) is None
        and not any(ch in knowledge.place_chars for ch in word)  # 西湖左海, 龙湖古寨: places jieba does not know
    )


def _enterprise_subjects(text: str, tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Short enterprise names opening a clause and doing something: 晶赛|科技|成为…,
    四川|宏华|入选…: [a place] + a word jieba does not know + [an industry], then a verb.
    A place or an industry word must stand beside the unknown word; alone it may be a person."""
    out = []
    openers = [0] if tokens else []
    for i in openers + [j + 1 for j, t in enumerate(tokens[:-1]) if t.text[-1] in _CLAUSE_OPENERS]:
        tok = tokens[i]
        j = i
        while j < len(tokens) and (tokens[j].text in knowledge.by_name or tokens[j].text in knowledge.by_short):
            j += 1
        if j >= len(tokens) or not _brand_token(tokens[j], knowledge):
            continue
        k = j + 1
        while k < len(tokens) and tokens[k].text in knowledge.industry_words:
            k += 1
        if (j == i and k == j + 1) or k >= len(tokens) or tokens[k].text not in knowledge.enterprise_actions:
            continue
        if _ordinary_words(tokens[j].text) or _NUMERAL_START.match(tokens[j].text):
            continue  # 建立健全…, 三是…: jieba glued common words, not a name
        out.append(Mention(tok.start, tokens[k - 1].end, text[tok.start:tokens[k - 1].end], "Company", "", "brand.subject"))
    return out


def _brands_before_counted_projects(text: str, mentions: list[Mention], tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """中煤|两个|2×66万千瓦火电项目: an enterprise named before the count of its projects."""
    out = []
    project_starts = {m.start for m in mentions if m.type == "Project"}
    for i in range(1, len(tokens) - 1):
        brand, count = tokens[i - 1], tokens[i]
        if count.text[-1] == "个" and _COUNT_TOKEN.match(count.text) and tokens[i + 1].start in project_starts and _brand_token(brand, knowledge):
            out.append(Mention(brand.start, brand.end, brand.text, "Company", "", "brand.counted_projects"))
    return out
