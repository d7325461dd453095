"""The brand finders: enterprises' short names (at the head of project names, used alone, opening a
clause, before a count of projects) and the places project names open with."""
from __future__ import annotations

import re

from ..knowledge import Knowledge
from ..model import Mention, Token
from ..segment import common_noun, common_word, unfamiliar, words_of
from .common import NUMERAL_START, tokens_ending_in


def places_opening_projects(mentions: list[Mention], knowledge: Knowledge) -> list[Mention]:
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


def brand_of(name: str, knowledge: Knowledge) -> tuple[int, int] | None:
    """Span of the enterprise brand in a project or company name: place + BRAND + industry + …"""
    start = skip_places(name, knowledge)
    first_industry = knowledge.industry_pattern.search(name, start)  # where the first of them starts: one search, not one a word
    cut = first_industry.start() if first_industry else len(name)
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
    if not 2 <= len(brand) <= 4 or brand in knowledge.generic or brand in knowledge.stop_tokens or ordinary_words(brand):
        return None
    if brand[0] in knowledge.brand_not_first:
        return None  # 8.5|代液晶…: the measure word after a number, cut from it
    if brand[-1] in knowledge.brand_not_last:
        return None  # 七|大类文化项目, 万亿级电子信息产业基地: a class or a scale
    if is_region(brand, knowledge) or any(rank in brand for rank in knowledge.ranks):
        return None  # 皖北|农产品…, 某某全国|农产品加工示范基地: a region or a title, no enterprise
    if brand in knowledge.by_name or brand in knowledge.by_short or knowledge.head_of(brand):
        return None
    return start, end


def _enterprise_brand(name: str, knowledge: Knowledge) -> tuple[int, int] | None:
    """The span of brand_of when it can name an enterprise on its own. What a project name starts
    with may make the project particular (某某路绿化工程, 市焚烧发电厂) without being a company."""
    span = brand_of(name, knowledge)
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


def ordinary_words(brand: str) -> bool:
    """A common word, or one opening the brand (精品|设施, 长城|一号): not an enterprise's name."""
    return common_word(brand) or common_noun(brand) or any(common_word(brand[:size]) for size in range(2, len(brand)))


def is_region(word: str, knowledge: Knowledge) -> bool:
    """皖北, 豫东 (a province and a compass point), 西北隅 (two compass points): a place."""
    first, second = word[:1], word[1:2]
    if first in knowledge.compass and second in knowledge.compass:
        return True
    return len(word) == 2 and {first, second} <= knowledge.compass | knowledge.province_abbreviations and bool({first, second} & knowledge.compass)


def skip_places(name: str, knowledge: Knowledge) -> int:
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
    for tok in [tokens[i] for i, word in enumerate(words_of(tokens)) if word in brands] if brands else ():
        if tok.start not in inside:
            out.append(Mention(tok.start, tok.end, tok.text, "Company", "", "brand.company", canonical=brands[tok.text]))
    out += _enterprise_subjects(text, tokens, knowledge)
    out += _brands_before_counted_projects(text, mentions, tokens, knowledge)
    return out


_CLAUSE_OPENERS = "，。；：！？,;:\n"


_HAN = re.compile(r"[\u4e00-\u9fff]+")
_COUNT_TOKEN = re.compile(r"^(?:\d+|[一二三四五六七八九十两]+)个$")


def _brand_token(tok: Token, knowledge: Knowledge) -> bool:
    word = tok.text
    return (
        2 <= len(word) <= 4 and bool(_HAN.fullmatch(word)) and unfamiliar(word)
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
    words = words_of(tokens)
    brand_like: dict[str, bool] = {}  # word → _brand_token: a clause opens with the same words again and again
    for i in openers + [j + 1 for j in tokens_ending_in(text, tokens, _CLAUSE_OPENERS) if j + 1 < len(tokens)]:
        tok = tokens[i]
        j = i
        while j < len(tokens) and (words[j] in knowledge.by_name or words[j] in knowledge.by_short):
            j += 1
        if j >= len(tokens):
            continue
        if words[j] not in brand_like:
            brand_like[words[j]] = _brand_token(tokens[j], knowledge)
        if not brand_like[words[j]]:
            continue
        k = j + 1
        while k < len(tokens) and tokens[k].text in knowledge.industry_words:
            k += 1
        if (j == i and k == j + 1) or k >= len(tokens) or tokens[k].text not in knowledge.enterprise_actions:
            continue
        if ordinary_words(tokens[j].text) or NUMERAL_START.match(tokens[j].text):
            continue  # 建立健全…, 三是…: jieba glued common words, not a name
        out.append(Mention(tok.start, tokens[k - 1].end, text[tok.start:tokens[k - 1].end], "Company", "", "brand.subject"))
    return out


def _brands_before_counted_projects(text: str, mentions: list[Mention], tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """中煤|两个|2×66万千瓦火电项目: an enterprise named before the count of its projects."""
    out = []
    project_starts = {m.start for m in mentions if m.type == "Project"}
    for i in tokens_ending_in(text, tokens, "个"):
        if not 1 <= i < len(tokens) - 1:
            continue
        brand, count = tokens[i - 1], tokens[i]
        if _COUNT_TOKEN.match(count.text) and tokens[i + 1].start in project_starts and _brand_token(brand, knowledge):
            out.append(Mention(brand.start, brand.end, brand.text, "Company", "", "brand.counted_projects"))
    return out
