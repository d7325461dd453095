"""The merge policy: which of two mentions of overlapping spans stands, each decision with its reason."""
from __future__ import annotations

import re

from ..knowledge import Knowledge, extends_at
from ..model import Mention
from ..trace import MentionTrace
from .gazetteer import resolve_divisions


class _NoTrace:
    """Stands in for a trace when none is asked for: proposals pass through, nothing is kept."""

    @staticmethod
    def propose(finder: str, mentions: list[Mention]) -> list[Mention]:
        return mentions


NO_TRACE = _NoTrace()


def note_duplicates(found: list[Mention], unique: list[Mention], trace: MentionTrace) -> None:
    winners = {(m.start, m.end): m for m in unique}
    kept = {id(m) for m in unique}
    for m in found:
        if id(m) not in kept:
            winner = winners[(m.start, m.end)]
            why = "found twice" if winner == m else f"the same span was found first as {winner.type} by {winner.rule}"
            trace.drop(m, why)


_OPENING = {"”": "“", "’": "‘", "」": "「"}


DECISIVE_QUOTE_RULES = frozenset({"quote.program.after", "quote.program.award", "quote.program.carry"})


def join_quoted_heads(text: str, mentions: list[Mention], quoted: list[Mention]) -> list[Mention]:
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


def drop_enclosed(mentions: list[Mention], knowledge: Knowledge, trace: MentionTrace | None = None) -> list[Mention]:
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
        if other.start > m.start:
            break  # nor does any after it: none of them can hold m
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


def dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per span: the first rule that found it wins (gazetteer, heads, lexicon, quotes, lists)."""
    seen: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        seen.setdefault((m.start, m.end), m)
    return sorted(seen.values(), key=lambda m: (m.start, m.end, m.type))


# The merge rules after each component (kg/finding/pipeline.py): each takes the mentions found so
# far and the component's proposals, and returns the mentions that stand, noting in `trace` why the
# others were dropped.

def append(text: str, found: list[Mention], proposed: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """The proposals join what was found; overlaps are settled at the end (`resolve_overlaps`)."""
    return found + proposed


def settle_divisions(text: str, found: list[Mention], proposed: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """A short form, or a name several divisions share, stands only when the document's other places settle it."""
    places = resolve_divisions(proposed, knowledge)
    if trace:
        settled = {(m.start, m.end) for m in places}
        for m in proposed:
            if (m.start, m.end) not in settled:
                trace.drop(m, "a short form or a name of several divisions that the document's other places do not settle")
    return found + places


def lexicon_programs_over_heads(text: str, found: list[Mention], proposed: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """A program the lexicon knows is a program, though it ends like a village (驻镇帮镇扶村)."""
    programs = {(m.start, m.end) for m in proposed if m.type == "Program"}
    kept = [m for m in found if (m.start, m.end) not in programs or not m.rule.startswith("head.")]
    if trace:
        trace.drop_missing(found, kept, "a program the lexicon knows, though it ends like a head word")
    return kept + proposed


def quotes_over_heads(text: str, found: list[Mention], proposed: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """A quote joins the headed program name right after it (“1+9”千百亿级产业集群格局), and what
    the words around a quote say outweighs the quoted name's own head word (开展“送技下乡进社区”)."""
    decided = {(m.start, m.end) for m in proposed if m.rule in DECISIVE_QUOTE_RULES}
    joined = join_quoted_heads(text, found, proposed)
    kept = [m for m in joined if (m.start, m.end) not in decided or not m.rule.startswith("head.")]
    if trace:
        trace.drop_missing(found, joined, "joined with the quote right before it into one name (quote.program.headed)")
        trace.drop_missing(joined, kept, "the words around its quotes make it a program (a decisive quote rule)")
    return kept + proposed


def counted_projects_over_places(text: str, found: list[Mention], proposed: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """某湖等4个安置项目: the count and kind after 等 outweigh the item's own head word."""
    projects = {(m.start, m.end) for m in proposed if m.rule == "list.enumeration.counted" and m.type == "Project"}
    kept = [m for m in found if (m.start, m.end) not in projects or m.type != "Place"]
    if trace:
        trace.drop_missing(found, kept, "an item of a list closed by a count of projects (等4个安置项目): a project, not a place")
    return kept + proposed


def resolve_overlaps(found: list[Mention], knowledge: Knowledge, trace: MentionTrace | None) -> list[Mention]:
    """One mention per span (the earliest component's), then the names that yield to a longer one they stand inside."""
    unique = dedupe(found)
    if trace:
        note_duplicates(found, unique, trace)
    return drop_enclosed(unique, knowledge, trace)
