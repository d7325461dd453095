"""Reads relations between mentions: locatedIn, operatedBy, implements and investment amounts."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from .amounts import find_amounts
from .knowledge import Knowledge, extends_at
from .model import Amount, Fact, Mention, Sentence
from .sentences import sentence_at

_LEVEL_RANK = {"Province": 0, "City": 1, "District": 2}
_CLAUSE_BREAK = re.compile(r"[，,；;。！？：:]")
_UP_TO_LAST_BREAK = re.compile(f"(?s).*{_CLAUSE_BREAK.pattern}")  # greedy: one match finds the last break
_AWARD_ACTORS = ("Place", "Organization", "Company")
# A count of projects (66个, 24个项目) makes an amount the total of a batch, not of one project.
_BATCH = re.compile(r"\d+\s*个")


# A division named in full in a report's opening lines (its title) is what the report is about
# more surely than one named often: a city's report calls itself 全市 and names its counties.
TITLE_CHARS = 120
TITLE_WEIGHT = 5


def subject_places(mentions: list[Mention], knowledge: Knowledge, file_name: str = "") -> tuple[str, ...]:
    """The division the document is about: the one its file name names in full (长治市-2023.txt),
    else the one named most often, a full name in the title counting extra; the most local on a tie."""
    named = _division_in(file_name, knowledge)
    if named:
        return (named,)
    counts: Counter[str] = Counter()
    rank: dict[str, int] = {}
    for m in mentions:
        if m.code:
            div = knowledge.divisions[m.code]
            counts[div.name] += TITLE_WEIGHT if m.start < TITLE_CHARS and m.rule == "gazetteer.full" else 1
            rank[div.name] = _LEVEL_RANK.get(div.subtype, 0)
    if not counts:
        return ()
    best = max(counts, key=lambda name: (counts[name], rank[name], name))
    return (best,)


def _division_in(file_name: str, knowledge: Knowledge) -> str:
    """The longest full division name written in a file name ("" when none is): a user's own label."""
    stem = file_name.rsplit("/", 1)[-1]
    found = ""
    for start in range(len(stem)):
        for end in range(start + len(found) + 1, min(len(stem), start + 12) + 1):
            if stem[start:end] in knowledge.by_name:
                found = stem[start:end]
    return found


def _fact(head: Mention, relation: str, tail: Mention | None, sentence: Sentence, rule: str, **extra) -> Fact:
    return Fact(
        head=head.text, head_type=head.type, relation=relation,
        tail=tail.text if tail else None, tail_type=tail.type if tail else None,
        sentence=sentence.index, rule=rule, **extra,
    )


def located_in(text: str, mentions: list[Mention], sentences, knowledge: Knowledge) -> list[Fact]:
    """Place chains written out (大同市新荣区) and names that start with or hold a place."""
    facts = []
    places = [m for m in mentions if m.type == "Place"]
    by_start = {}
    for m in places:
        by_start.setdefault(m.start, []).append(m)
    for m in places:
        for nxt in by_start.get(m.end, ()):
            if _is_inside(nxt, m, knowledge):
                facts.append(_fact(nxt, "locatedIn", m, sentence_at(sentences, m.start), "chain.adjacent"))
    facts += _beside_places(text, mentions, places, sentences, knowledge)
    facts += _triggered_places(text, mentions, places, sentences, knowledge)
    starts = [m.start for m in places]
    in_order = all(a <= b for a, b in zip(starts, starts[1:]))  # find_mentions sorts them: then only those within are read
    for outer in mentions:
        if outer.type not in ("Project", "Place") or outer.code:
            continue
        within = places[bisect_left(starts, outer.start):bisect_left(starts, outer.end)] if in_order else places
        inside = [m for m in within if _names_place_of(outer, m)]
        # of places opening the name, only the longest is where it is (某河二十渠…工程: 某河二十渠, not 某河)
        inside = [m for m in inside if not _landmark_in_landmark(outer, m)]
        opening = [m for m in inside if m.start == outer.start]
        chosen = [max(opening, key=lambda m: m.end)] if opening else []
        chosen += [m for m in inside if m.start != outer.start and outer.type == "Project" and m.code]
        for inner in chosen:
            facts.append(_fact(outer, "locatedIn", inner, sentence_at(sentences, outer.start), "name.place_prefix"))
    return facts


def _beside_places(text: str, mentions: list[Mention], places: list[Mention], sentences, knowledge: Knowledge) -> list[Fact]:
    """某某街南侧|某某项目, 某某路沿线|某某村: a name written after a place and a direction lies there."""
    ends = {m.end: m for m in places}
    longest: dict[int, int] = {}
    for m in mentions:
        longest[m.start] = max(longest.get(m.start, 0), m.end)
    facts = []
    for m in mentions:
        if m.type not in ("Project", "Place", "Organization") or m.code or m.end < longest[m.start]:
            continue  # the street opening 某某街项目 is where the project is, not a second thing beside
        for word in knowledge.directions:
            place = ends.get(m.start - len(word)) if text.startswith(word, m.start - len(word)) else None
            if place is not None:
                facts.append(_fact(m, "locatedIn", place, sentence_at(sentences, m.start), "direction.beside"))
    return facts


_LOCATED_HEADS = ("Company", "Project", "Organization", "Place")


def _triggered_places(text: str, mentions: list[Mention], places: list[Mention], sentences, knowledge: Knowledge) -> list[Fact]:
    """X 位于/落户/入驻/并入 Y: X is in Y (the last place of a written chain, 山西省大同市|某某县);
    位于 Y 的 X reads the other way round."""
    starts = {}
    for m in places:
        starts.setdefault(m.start, []).append(m)
    ends = {}
    for m in mentions:
        if m.type in _LOCATED_HEADS:
            ends.setdefault(m.end, []).append(m)
    by_start = {}
    for m in mentions:
        if m.type in _LOCATED_HEADS:
            by_start.setdefault(m.start, []).append(m)
    facts = []
    for word, rule in knowledge.triggers.get("locatedIn", ()):
        for found in re.finditer(re.escape(word), text):
            tail = _place_chain_after(text, found.end(), starts)
            if tail is None:
                continue
            head = _mention_before(text, found.start(), ends)
            if head is None and text.startswith("的", tail.end):
                head = max(by_start.get(tail.end + 1, ()), key=lambda m: m.end, default=None)  # 位于某县的某某公司
            if head is not None and head is not tail and head.text != tail.text:
                facts.append(_fact(head, "locatedIn", tail, sentence_at(sentences, found.start()), rule))
    return facts


def _place_chain_after(text: str, pos: int, starts: dict) -> Mention | None:
    """The last place of the chain of places that starts at `pos` (after 在/于, at most)."""
    pos += text.startswith(("在", "于"), pos)
    last = None
    while pos in starts:
        last = max(starts[pos], key=lambda m: m.end)
        pos = last.end
    return last


def _mention_before(text: str, pos: int, ends: dict) -> Mention | None:
    """The name that ends right before `pos`, allowing 已/将/正式/成功 and the like in between."""
    for gap in range(0, 5):
        if _CLAUSE_BREAK.search(text, pos - gap, pos):
            return None
        if pos - gap in ends:
            return max(ends[pos - gap], key=lambda m: m.end - m.start)
    return None


def _landmark_in_landmark(outer: Mention, inner: Mention) -> bool:
    """某某寺 does not locate 某某寺仿古风情街, nor 长城 the 长城某某旅游公路: a landmark's name
    may open another landmark's or a road's without containing it."""
    return inner.subtype == "Landmark" and inner.rule != "name.place_prefix" and (outer.type == "Place" or outer.rule.startswith(("head.project.road", "head.project.rail")))


def _names_place_of(outer: Mention, inner: Mention) -> bool:
    """Is `inner` a place written inside the name `outer` that says where `outer` is?"""
    if inner is outer or not (outer.start <= inner.start and inner.end < outer.end):
        return False
    if inner.start == outer.start and extends_at(outer.text, inner.end - outer.start):
        return False
    if outer.subtype == "Water" and inner.subtype == "Water":
        return False  # 某河二十渠 is a canal of the river, not in it
    if outer.type == "Place":
        return not inner.code and inner.start == outer.start and inner.rule != "name.place_prefix"
    return inner.start == outer.start or bool(inner.code)


def _is_inside(child: Mention, parent: Mention, knowledge: Knowledge) -> bool:
    """Does a place written right after `parent` lie inside it (大同市 + 新荣区)?"""
    if parent.code and child.code:
        return parent.code in {d.code for d in knowledge.chain(child.code)[1:]}
    if parent.code and not child.code:
        return True
    if not parent.code and not child.code and child.subtype == "Landmark" and parent.subtype == "Village":
        return True  # 某某村某某滑雪场
    return not parent.code and not child.code and child.subtype in ("Village", "Town", "Landmark") and parent.subtype in ("Town", "Zone")


def gazetteer_chain(mentions: list[Mention], sentences, knowledge: Knowledge) -> list[Fact]:
    """Each named division linked up its administrative chain (basis: gazetteer, not text)."""
    facts = []
    seen = set()
    for m in mentions:
        if not m.code or m.code in seen:
            continue
        seen.add(m.code)
        chain = knowledge.chain(m.code)
        for child, parent in zip(chain, chain[1:]):
            facts.append(Fact(child.name, "Place", "locatedIn", parent.name, "Place", sentence_at(sentences, m.start).index, "gazetteer.chain", basis="gazetteer"))
    return facts


def operated_by(mentions: list[Mention], sentences) -> list[Fact]:
    """A project whose name starts with an enterprise's brand is run by that enterprise."""
    facts = []
    companies = [m for m in mentions if m.type == "Company"]
    canonical = {m.text: m.canonical for m in companies if m.canonical}
    for project in (m for m in mentions if m.type == "Project"):
        for company in companies:
            if project.start <= company.start and company.end < project.end and company.rule == "brand.project":
                tail = canonical.get(company.text)
                fact = _fact(project, "operatedBy", company, sentence_at(sentences, project.start), "brand.project")
                if tail:
                    fact = Fact(fact.head, fact.head_type, fact.relation, tail, "Company", fact.sentence, fact.rule)
                facts.append(fact)
    return facts


def implements(text: str, mentions: list[Mention], sentences, subject: tuple[str, ...], knowledge: Knowledge) -> list[Fact]:
    """Who carries out each program: an award-winner named before the trigger, else the document's subject."""
    facts = []
    award_words = [w for w, _ in knowledge.triggers.get("implements", ())]
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    for program in (m for m in mentions if m.type == "Program"):
        sentence = sentence_at(sentences, program.start)
        if sentence is None:
            continue
        clause_start = _clause_start(text, sentence.start, program.start)
        before = mentions[bisect_left(starts, clause_start):bisect_left(starts, program.start)]
        actor = _award_actor(text, before, clause_start, program, award_words)
        if actor is not None:
            facts.append(_fact(actor, "implements", program, sentence, "trigger.implements.actor"))
        elif subject:
            facts.append(Fact(subject[0], "Place", "implements", program.text, "Program", sentence.index, "subject.implements"))
    return facts


def _clause_start(text: str, floor: int, pos: int) -> int:
    """Where the clause holding `pos` starts: after the last clause break in text[floor:pos], else at `floor`."""
    last = _UP_TO_LAST_BREAK.match(text, floor, max(floor, pos))
    return last.end() if last else floor


def _award_actor(text, mentions, clause_start, program, award_words):
    window = text[clause_start:program.start]
    if not any(w in window for w in award_words):
        return None
    actors = [m for m in mentions if m.type in _AWARD_ACTORS and clause_start <= m.start and m.end <= program.start]
    # the last actor before the program, whole: the company, not the district inside its name
    return max(actors, key=lambda m: (m.end, -m.start)) if actors else None


def investments(text: str, mentions: list[Mention], sentences, subject: tuple[str, ...], knowledge: Knowledge) -> list[Fact]:
    """Amounts that a sentence ties to a project (总投资9亿元的X项目) or to a place's batch of projects."""
    facts = []
    triggers = [w for w, _ in knowledge.triggers.get("investment", ())]
    projects = [m for m in mentions if m.type == "Project"]
    for sentence in sentences:
        for amount in find_amounts(sentence.text):
            before = sentence.text[max(0, amount.start - 6):amount.start]
            if not any(before.endswith(w) or before[:-1].endswith(w) for w in triggers):
                continue
            if sentence.text.startswith(knowledge.thresholds, amount.end):
                continue  # a threshold (投资10亿元以上项目), not a sum
            start, end = sentence.start + amount.start, sentence.start + amount.end
            clause_start = _clause_start(text, sentence.start, start)
            clause_end = _clause_end(text, end, sentence.end)
            if _opens_clause(text, clause_start, start, knowledge):
                # "…项目66个，总投资132.8亿元": the amount's clause continues the one before it
                clause_start = _clause_start(text, sentence.start, clause_start - 1) if clause_start > sentence.start else clause_start
            near = [p for p in projects if clause_start <= p.start < clause_end]
            scope = text[clause_start:clause_end]
            if near and not _BATCH.search(scope):
                head = _qualified(near, mentions, text, start, end)
                if head is not None:
                    facts.append(_fact(head, "investment", None, sentence, "trigger.investment.project", amount=_shift(amount, sentence.start)))
            elif subject and ("项目" in scope or _BATCH.search(scope)):
                facts.append(Fact(subject[0], "Place", "investment", None, None, sentence.index, "trigger.investment.batch", amount=_shift(amount, sentence.start)))
    return facts


_OPENING_SLACK = 2  # 的 and the name it qualifies: a word such as 一批 or 新 may stand between


def _qualified(projects: list[Mention], mentions: list[Mention], text: str, start: int, end: int) -> Mention | None:
    """The project an amount belongs to: in 总投资X亿元的A, the name its 的-phrase opens (none when
    that name is neither a project nor a landmark being built); in A总投资X亿元, the name before it; never a neighbour further
    along a list (…的A、总投资Y亿元的B)."""
    if text.startswith("的", end):
        opened = [m for m in mentions if end < m.start <= end + 1 + _OPENING_SLACK]
        if not opened:
            return None
        first = min(m.start for m in opened)
        name = max((m for m in opened if m.start == first), key=lambda m: m.end)
        # a landmark being built (总投资20亿元的某某城市广场) is what the money is for, as a project is
        return name if name.type == "Project" or name.type == "Place" and name.subtype == "Landmark" else None
    preceding = [p for p in projects if p.end <= start]
    if preceding:
        return max(preceding, key=lambda p: p.end)
    return min(projects, key=lambda p: abs(p.start - end))


def _opens_clause(text: str, clause_start: int, amount_start: int, knowledge: Knowledge) -> bool:
    """Does the amount's clause begin with the investment trigger (，总投资…)?"""
    return text[clause_start:amount_start].lstrip().startswith(knowledge.investment_openers)


def _clause_end(text: str, pos: int, ceiling: int) -> int:
    """Where the first clause break in text[pos:ceiling] stands, else `ceiling`."""
    found = _CLAUSE_BREAK.search(text, pos, ceiling)
    return found.start() if found else ceiling


def _shift(amount: Amount, offset: int) -> Amount:
    return Amount(amount.yuan, amount.wording, amount.start + offset, amount.end + offset)
