"""What a report says of itself — title, year, date, issuing government, kind — and the tense of its sentences.

Everything here is read from the report's own text (its heading lines, its numbered headings), with
the cue words of kg/data/reports.txt; what cannot be read is left out (None), never guessed.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .convert import simplified_for_matching
from .knowledge import Knowledge
from .model import Extraction, Fact, Token
from .segment import Segmenter

HEADING_LINES = 8  # the title, the date line, the speaker …: read before the body starts
MAX_TITLE = 80  # characters: a longer first line is a paragraph, not a title
MAX_HEADING = 60  # characters of a numbered section heading (二、2023年工作安排)
_BODY_OPENERS = ("各位代表", "同志们")  # the address that opens the body: the heading lines end there
_SENTENCE_END = "。！？；：!?;:"
CLAUSE_MARKS = "，,；;"  # what ends a clause inside a sentence, for the tense of each fact
_MARKUP = re.compile(r"<[^>]*>")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_DIGITS_SPACED = re.compile(r"(?<=[0-9])\s+(?=[0-9])")
_HAN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_DATE = re.compile(r"((?:19|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")
_HAN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|[0-9]+[、.．]|第[一二三四五六七八九十]+部分)")
_UNNUMBERED = re.compile(r"[^，。；：,;:!?！？]{4,24}")  # a short line without punctuation: 2024年工作安排
_CONGRESS = re.compile(r"在(.{2,16}?)第[一二三四五六七八九十]+届(?:人民代表大会|人大)")
_SPEAKER = re.compile(r"(.{2,12}?)(?:人民政府)?代?(?:市长|省长|州长|主席|区长|县长|盟长)")
# what may follow the issuer's name at the head of a title or line: 长治|市政府… is no name, 长治市|政府… is
_AFTER_ISSUER = ("人民政府", "政府", "第", "年", "《", "（", "(", " ", "代市长", "市长", "省长", "州长", "主席", "区长", "县长", "盟长")


@dataclass(frozen=True, slots=True)
class Report:
    """A report's metadata as read from its text; None where the text does not say.

    `year` is the year the report is the government's report of: stated in its title, else the year
    its numbered heading plans for (二、2023年工作安排), else the year of the date it was delivered;
    `year_from` says which ("title", "plan_heading", "date"). `date` is the delivery date (ISO).
    `issuer` is the code of the gazetteer division whose government issued it.
    """

    title: str | None = None
    year: int | None = None
    year_from: str | None = None
    date: str | None = None
    issuer: str | None = None
    kind: str | None = None

    def as_dict(self) -> dict:
        """The fields that were read, in a fixed order (the extraction JSON's "report")."""
        return {k: v for k, v in (("title", self.title), ("year", self.year), ("year_from", self.year_from),
                                  ("date", self.date), ("issuer", self.issuer), ("kind", self.kind)) if v is not None}


def read_report(text: str, knowledge: Knowledge) -> Report:
    """The metadata of a report from its text (a traditional-Chinese text is matched in simplified form).

    >>> from kg import default_knowledge
    >>> r = read_report("2023年政府工作报告\\n——2023年3月21日在太原市第十五届人民代表大会第三次会议上\\n各位代表：", default_knowledge())
    >>> r.title, r.year, r.date, r.issuer, r.kind
    ('2023年政府工作报告', 2023, '2023-03-21', '140100', '政府工作报告')
    """
    simple = simplified_for_matching(text) or text
    heading = _heading_lines(text, simple)
    if not heading:
        return Report()
    title_written, title = heading[0]
    if len(title) > MAX_TITLE or title[-1] in _SENTENCE_END:
        title_written = title = None
    date = _date(line for _, line in heading)
    year, year_from = None, None
    title_years = _title_years(title, knowledge) if title else set()
    if len(title_years) == 1:
        year, year_from = title_years.pop(), "title"
    elif not title_years:  # two years in the title: which is the report's is not said
        planned = _plan_year(simple, knowledge)
        if planned and (date is None or planned in (date.year, date.year + 1)):
            year, year_from = planned, "plan_heading"
        elif date is not None:
            year, year_from = date.year, "date"
    kind = next((k for k in knowledge.report_kinds if title and k in title), None)
    return Report(title_written, year, year_from, date.isoformat() if date else None, _issuer(title, heading, knowledge), kind)


def _heading_lines(text: str, simple: str) -> list[tuple[str, str]]:
    """(as written, simplified) of the lines before the body: markup and blank lines dropped."""
    lines = []
    for written, line in zip(text.splitlines(), simple.splitlines()):
        written, line = (" ".join(_MARKUP.sub(" ", s).split()).lstrip("#").strip().lstrip("—─").strip() for s in (written, line))
        if not line:
            continue
        if line.startswith(_BODY_OPENERS) or len(line) > 2 * MAX_TITLE or len(lines) == HEADING_LINES:
            break
        lines.append((written, line))
    return lines


def _normal(line: str) -> str:
    """Full-width digits as ASCII, spaces between digits dropped (2 0 2 3 年 → 2023年)."""
    return _DIGITS_SPACED.sub("", unicodedata.normalize("NFKC", line))


def _years(line: str) -> set[int]:
    years = {int(y) for y in _YEAR.findall(line)}
    years |= {int("".join(str(_HAN_DIGIT[c]) for c in y)) for y in _HAN_YEAR.findall(line)}
    return years


def _title_years(title: str, knowledge: Knowledge) -> set[int]:
    """The years a title names, but for those of a full date (the delivery's) and of a far goal (2010年远景规划)."""
    line = _DATE.sub("", _HAN_DATE.sub("", _normal(title)))
    for word in knowledge.far_headings:
        line = re.sub(r"(?:19|20)[0-9]{2}\s*年\s*" + re.escape(word), "", line)
    return _years(line)


def _han_number(text: str) -> int:
    """一 … 三十一 as a number."""
    if "十" not in text:
        return _HAN_DIGIT[text]
    tens, _, ones = text.partition("十")
    return (_HAN_DIGIT[tens] if tens else 1) * 10 + (_HAN_DIGIT[ones] if ones else 0)


def _date(lines) -> datetime.date | None:
    """The first full date stated in the heading lines (2023年3月21日, 二〇二三年一月十五日)."""
    for line in lines:
        line = _normal(line)
        found = _DATE.search(line)
        parts = tuple(map(int, found.groups())) if found else None
        if parts is None and (found := _HAN_DATE.search(line)):
            year, month, day = found.groups()
            parts = (int("".join(str(_HAN_DIGIT[c]) for c in year)), _han_number(month), _han_number(day))
        if parts:
            try:
                return datetime.date(*parts)
            except ValueError:  # 2月30日: not a date
                continue
    return None


def _plan_year(simple: str, knowledge: Knowledge) -> int | None:
    """The year of the first numbered heading that plans (二、2023年工作安排), when it names one year."""
    for line in simple.splitlines():
        line = _normal(line.strip())
        if len(line) > MAX_HEADING or not (_NUMBERED.match(line) or _UNNUMBERED.fullmatch(line)):
            continue
        if any(w in line for w in knowledge.plan_headings) and not any(w in line for w in knowledge.review_headings + knowledge.far_headings):
            years = _years(line)
            if len(years) == 1:
                return years.pop()
    return None


def _issuer(title: str | None, heading: list[tuple[str, str]], knowledge: Knowledge) -> str | None:
    """The code of the division whose government issued the report: named at the head of the title
    (长治市政府工作报告, 2011年杭州市政府工作报告), else in the date line (在太原市第十五届人民代表大会…,
    however its lines are broken), else before the speaker's office (太原市市长 …); None when none of
    them names exactly one division."""
    candidates = []
    if title:
        candidates.append(_YEAR.sub("", _normal(title)).lstrip("年 "))
    joined = "".join(line for _, line in heading)
    candidates += [m.group(1) for m in _CONGRESS.finditer(joined)]
    candidates += [m.group(1) for _, line in heading if (m := _SPEAKER.match(line))]
    for candidate in candidates:
        for length in range(min(len(candidate), 12), 1, -1):
            prefix, rest = candidate[:length], candidate[length:]
            if rest and not rest.startswith(_AFTER_ISSUER):
                continue
            divisions = knowledge.by_name.get(prefix) or knowledge.by_short.get(prefix) or _prefecture(prefix, knowledge)
            if len(divisions) == 1:
                return divisions[0].code
            if divisions:
                return None  # a name several divisions share (城区): which one is not said
    return None


def _prefecture(name: str, knowledge: Knowledge) -> tuple:
    """恩施州: the autonomous prefectures (…自治州) whose name starts with 恩施."""
    if not name.endswith("州") or len(name) < 3:
        return ()
    return tuple(d for d in knowledge.divisions.values() if d.name.endswith("自治州") and d.name.startswith(name[:-1]))


def sentence_tense(words: Sequence[str], knowledge: Knowledge) -> str | None:
    """"done" or "planned" when a sentence's words (jieba's, simplified) say so plainly; else None.

    >>> from kg import default_knowledge
    >>> k = default_knowledge()
    >>> sentence_tense(["高速公路", "已", "建成", "通车"], k), sentence_tense(["力争", "开工", "建设"], k)
    ('done', 'planned')
    >>> sentence_tense(["项目", "尚未", "完成"], k), sentence_tense(["将", "确保", "完成"], k)
    (None, None)
    """
    return _tense(_wording(words, [0] * len(words), knowledge), None, knowledge)


def clause_tense(text: str, tokens: Sequence[Token], at: int, knowledge: Knowledge) -> str | None:
    """The tense of what the clause of `text` holding position `at` says, where plain (`tokens`
    are jieba's, of `text`). A sentence often reports one thing done and another begun (某路建成通车，
    某线开工建设), so a done word counts only inside the clause; a planned word counts anywhere in the
    sentence, since a plan names its targets with done words (启动某工程，开工建设某湖，力争…建成).

    >>> from kg import default_knowledge
    >>> from kg.segment import Segmenter
    >>> k, text = default_knowledge(), "东环路建成通车，地铁1号线开工建设"
    >>> tokens = Segmenter().tokens(text)
    >>> clause_tense(text, tokens, 0, k), clause_tense(text, tokens, text.index("地铁"), k)
    ('done', None)
    """
    return _tense(_wording([t.text for t in tokens], [t.start for t in tokens], knowledge), _clause(text, at), knowledge)


def _clause(text: str, at: int) -> tuple[int, int]:
    """Where the clause of `text` holding position `at` starts and ends."""
    start = max(text.rfind(mark, 0, at) for mark in CLAUSE_MARKS) + 1
    ends = [i for i in (text.find(mark, at) for mark in CLAUSE_MARKS) if i >= 0]
    return start, min(ends) if ends else len(text)


class _Wording(NamedTuple):
    """A sentence's words as _tense reads them: those that are not whitespace, where each starts,
    and the indices of those that may say a tense (a done or planned word). Made once a sentence:
    its clauses' tenses then look at those few words alone, not at all the sentence's again."""

    words: list[str]
    starts: list[int]
    marked: list[int]


def _wording(words: Sequence[str], starts: Sequence[int], knowledge: Knowledge) -> _Wording:
    if any(map(str.isspace, words)):
        kept = [(word, at) for word, at in zip(words, starts) if not word.isspace()]
        words, starts = [word for word, _ in kept], [at for _, at in kept]
    said = knowledge.tense_words
    return _Wording(words, starts, [index for index, word in enumerate(words) if word in said])


def _tense(wording: _Wording, clause: tuple[int, int] | None, knowledge: Knowledge) -> str | None:
    """The tense the words say, a done word counting inside `clause` alone (anywhere without one):
    None unless only one tense is said.

    A planned word plans only what follows it in its clause: at a clause's end it is a noun
    (经过共同努力，…; 三年行动计划，…).
    """
    words, starts, marked = wording
    done = planned = False
    for index in marked:
        if words[index] in knowledge.done_words:
            if clause is None or clause[0] <= starts[index] < clause[1]:
                if (words[index - 1] if index else "") in knowledge.tense_negations:
                    return None
                done = True
        elif index + 1 < len(words) and words[index + 1][:1].isalnum():  # a planned word
            planned = True
    if done == planned:
        return None
    return "done" if done else "planned"


def dated(extraction: Extraction, segmenter: Segmenter, knowledge: Knowledge) -> Extraction:
    """The extraction with each fact read from the text given the tense its clause states plainly
    ("done" or "planned", clause_tense); the others are left without."""
    sentences = {s.index: s for s in extraction.sentences}
    read: dict[int, tuple[str, _Wording]] = {}  # sentence index → its text for matching and its words
    tenses: dict[tuple, str | None] = {}  # (sentence index, clause) → its tense: a list's names share one
    facts = []
    for fact in extraction.facts:
        sentence = sentences.get(fact.sentence) if fact.basis == "text" else None
        if sentence is None:
            facts.append(fact)
            continue
        if fact.sentence not in read:
            text = simplified_for_matching(sentence.text) or sentence.text
            read[fact.sentence] = (text, _wording(*segmenter.words(text), knowledge))  # the words alone: no Token is made
        text, wording = read[fact.sentence]
        at = _where_stated(sentence.text, fact)
        clause = None if at is None or len(text) != len(sentence.text) else _clause(text, at)
        key = (fact.sentence, clause)
        if key not in tenses:
            tenses[key] = _tense(wording, clause, knowledge)
        tense = tenses[key]
        facts.append(dataclasses.replace(fact, tense=tense) if tense else fact)
    return dataclasses.replace(extraction, facts=tuple(facts))


def _where_stated(sentence: str, fact: Fact) -> int | None:
    """Where the fact's project or program (what a tense is said of: 某市 implements 某工程 is dated by
    the programme's clause), else its head, else its tail, is written in its sentence."""
    dated_first = [name for name, kind in ((fact.head, fact.head_type), (fact.tail, fact.tail_type)) if kind in ("Project", "Program")]
    for name in (*dated_first, fact.head, fact.tail):
        if name and (at := sentence.find(name)) >= 0:
            return at
    return None
