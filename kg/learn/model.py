"""The shipped learned model: two CRFs (names, and names inside names), a relation classifier,
and how their output merges with the rules'.

A model is a folder: `outer.crfsuite` tags the names of a sentence, `inner.crfsuite` the names
written inside a name (a place or an enterprise heading a project name), `relations.crfsuite`
classifies candidate pairs, `model.json` says what they were trained on. `LearnedModel.mentions`
and `LearnedModel.facts` are pure functions of a document's reading.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import KnowledgeError
from ..knowledge import Knowledge
from ..model import ENTITY_TYPES, Fact, Mention
from ..segment import word_tag
from .compiled import FeatureIndex
from .features import Lexicon
from .gold import QUOTES, Span
from .pairs import Candidate, PairClassifier, PairFeatures, candidates
from .tagger import Tagger

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "model"
MINED = Path(__file__).resolve().parent.parent / "data" / "mined"
CLUSTERS = "word_clusters.txt"
FORMAT = 2  # bumped when features change: a model trained on other features is refused
OUTER, INNER, PAIRS, META = "outer.crfsuite", "inner.crfsuite", "relations.crfsuite", "model.json"
FILES = (OUTER, INNER, PAIRS, META)
_OPENING = frozenset("“‘「『《〈")
_CLOSING = frozenset("”’」』》〉")
_OPEN_BRACKETS, _CLOSE_BRACKETS = frozenset("（("), frozenset("）)")
_CLAUSE_MARKS = frozenset("，；。")  # no name runs across them
_MARKS = _OPENING | _CLOSING | _OPEN_BRACKETS | _CLAUSE_MARKS  # what trimming a name looks for
# A prior for the names of a type the outer tagger reads: added to the score of each label that
# closes a name of that type, so that a program weighs that much more on the path that holds it
# (the tagger, trained with an L1 penalty, reads fewer names than the gold holds: pooled P 0.713,
# R 0.668). Fold models, entity F1 with 0, 0.3, 0.45, 0.6, 0.75, 0.9: 0.6898, 0.6908, 0.6918, 0.6926,
# 0.6916, 0.6914 (relation F1 0.6124 -> 0.6156 at 0.6; every fold up); chosen per fold on the other
# four folds alone, 0.6 each time. For places, on top: 0, 0.3, 0.45, 0.6, 0.9 give 0.6926, 0.6937,
# 0.6944, 0.6943, 0.6920 (relation F1 0.6164 at 0.45; fold 3 0.6570 -> 0.6565, the others up); chosen
# per fold on the other four, 0.45, 0.45, 0.45, 0.6, 0.45 (mean 0.6940).
NAME_PRIOR = {"Program": 0.6, "Place": 0.45}


def lexicon_for(knowledge: Knowledge) -> Lexicon:
    """The word lists the features consult, all from kg's knowledge files: head words by type, and
    division names, their short forms, national programs and landmarks."""
    heads = {word: head.type for word, head in knowledge.heads.items()}
    names = {name: "Short" for name in knowledge.by_short}
    names.update({name: "Place" for name in knowledge.by_name})
    names.update({name: "Program" for name in knowledge.programs})
    names.update({name: typ for name, (typ, _) in knowledge.landmarks.items()})
    names.update(mined_names(MINED))
    places = {}
    for index in (knowledge.by_short, knowledge.by_name):
        for name, divisions in index.items():
            places[name] = tuple(sorted({*places.get(name, ()), *(d.code for d in divisions)}))
    return Lexicon.of(heads, names, places, word_clusters(MINED / CLUSTERS))


def word_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """Words' clusters mined from the corpus by tools/mine_clusters.py: word → cluster at each
    granularity, coarsest first (each line: word, then one cluster number a granularity; "# " starts
    a comment, and "#" alone is a word)."""
    if not path.exists():  # the model weighs them: without them it would read worse, and say nothing
        raise KnowledgeError(f"{path}: missing (the word clusters the model's features need; make them with tools/mine_clusters.py)")
    clusters, width = {}, None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("# "):
            continue
        word, *codes = line.split("\t")
        if width is None:
            width = len(codes)
        if not codes or len(codes) != width or not all(c.isdigit() for c in codes):
            raise KnowledgeError(f"{path}:{number}: expected 'word' and {width or 'some'} cluster numbers separated by tabs, got {line!r}")
        clusters[word] = tuple(codes)
    return clusters


def mined_names(folder: Path) -> dict[str, str]:
    """Names mined from the corpus by tools/mine_lexicons.py: name → type (each file: name, type, reports)."""
    names = {}
    for path in sorted(folder.glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or parts[1] not in ENTITY_TYPES:
                raise KnowledgeError(f"{path}:{number}: expected 'name<TAB>type<TAB>reports' with a type of {', '.join(ENTITY_TYPES)}, got {line!r}")
            names[parts[0]] = parts[1]
    return names


def home_of(subject: tuple[str, ...], knowledge: Knowledge) -> str:
    """The division code of the report's subject ("" when there is none)."""
    divisions = knowledge.by_name.get(subject[0], ()) if subject else ()
    return divisions[0].code if divisions else ""


@dataclass(frozen=True)
class LearnedModel:
    """The two taggers and the lexicon their features need."""

    outer: Tagger
    inner: Tagger
    pairs: PairClassifier
    lexicon: Lexicon
    meta: dict
    knowledge: Knowledge
    index: FeatureIndex
    prior: np.ndarray | None = None  # NAME_PRIOR as scores of the outer tagger's labels, made once

    @classmethod
    def load(cls, folder: Path | str, knowledge: Knowledge) -> "LearnedModel":
        folder = Path(folder)
        meta_path = folder / META
        if not has_model(folder):
            raise KnowledgeError(f"{folder}: not a kg model (expected {', '.join(FILES)}; make one with `kg train`)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise KnowledgeError(f"{meta_path}: model format {meta.get('format')}, this kg reads {FORMAT}: retrain with `kg train`")
        outer, inner = Tagger.load(folder / OUTER), Tagger.load(folder / INNER)
        lexicon = lexicon_for(knowledge)
        index = FeatureIndex(outer.crf.attributes + inner.crf.attributes, lexicon)
        outer.bind(index)
        inner.bind(index)
        return cls(outer, inner, PairClassifier(folder / PAIRS), lexicon, meta, knowledge, index, outer.closing_prior(NAME_PRIOR))

    def spans(self, text: str, reading, subject: tuple[str, ...] = ()) -> tuple[list[Span], list[Span]]:
        """The names the outer tagger marks, sentence by sentence, and those the inner one marks inside them."""
        positions, rows = self.index.incidence(text, reading.tokens, reading.mentions, home_of(subject, self.knowledge))
        n = len(text)
        outer = self.outer.spans(n, positions, rows, [(s.start, s.end) for s in reading.sentences], self.prior)
        outer = [span for span in (trimmed(text, s) for s in outer) if span]
        if not outer:
            return outer, []
        # the same pairs: the inner tagger sums only the characters of the outer names
        inner = self.inner.spans(n, positions, rows, [(s.start, s.end) for s in outer])
        inner = [span for span in (trimmed(text, s) for s in inner) if span]
        return outer, inner

    def mentions(self, text: str, reading, knowledge: Knowledge, subject: tuple[str, ...] = (),
                 dropped: list[tuple[Span, str]] | None = None) -> list[Mention]:
        """The model's names as mentions: merged with the rules' (see `merge`; `dropped` receives
        the inner tagger's names that do not stand, with the reason)."""
        outer, inner = self.spans(text, reading, subject)
        return merge(text, outer, inner, reading.mentions, knowledge, dropped)

    def facts(self, text: str, mentions: list[Mention], sentences, subject: tuple[str, ...], rule_facts: list[Fact],
              knowledge: Knowledge) -> list[Fact]:
        """The relations the classifier finds among `mentions`, with the rules' investments and the
        links the rules take from the gazetteer or the subject (which are not readings of the text)."""
        home = _home_places(subject, knowledge)

        def possible(c: Candidate) -> bool:
            # decided before the classifier, so that the pairs it never weighs (a third) cost no features
            return not (_gazetteer_decides(c, knowledge) or _at_home(c, home) or _no_place_of_it(c))

        pairs = [c for c in candidates(mentions, sentences, bool(subject)) if possible(c)]
        document = PairFeatures(text, mentions, sentences, rule_facts, trigger_words(knowledge))
        learned = self.pairs.facts(document, pairs, subject[0] if subject else "")
        return learned + [f for f in rule_facts if f.relation == "investment" or f.basis != "text"]


def _home_places(subject: tuple[str, ...], knowledge: Knowledge) -> frozenset[str]:
    """The report's own place and the divisions that hold it, by name, short name and code."""
    if not subject:
        return frozenset()
    chain = knowledge.chain(home_of(subject, knowledge))
    return frozenset((subject[0], *(d.name for d in chain), *(d.short for d in chain if d.short), *(d.code for d in chain)))


def _at_home(c: Candidate, home: frozenset[str]) -> bool:
    """Does the candidate place a name in the report's own place, or in a division holding it? The
    guide leaves those out (17 of the 609 locatedIn facts of the corpus gold, and none to a division
    holding the subject; cross-validated, relation F1 0.584 → 0.591)."""
    if c.relation != "locatedIn" or c.head is not None and c.tail.end == c.head.start:
        return False
    tail = c.tail
    return tail.text in home or tail.canonical in home or bool(tail.code) and tail.code in home


def _no_place_of_it(c: Candidate) -> bool:
    """Is the candidate's place surely not where its name lies? A name written inside another, away
    from its start, is no place of it when the gazetteer does not know it (白河 in 小白河防凌应急分洪工程,
    杭州 read without a code in 包头稀土研究院杭州分院), nor ever of a place (巢湖 in 环巢湖生态示范区);
    and a place lies in another place written apart from it only when the gazetteer knows that one
    (not in a river or a park; written right before it, 平源街道安康里社区, the chain is the text's).
    Cross-validated, the classifier's facts of these kinds were right 5 times in 58 (relation F1
    0.592 → 0.596, locatedIn 0.365 → 0.379)."""
    if c.relation != "locatedIn" or c.head is None:
        return False
    head, tail = c.head, c.tail
    inside = head.start <= tail.start and tail.end <= head.end
    if inside and tail.start > head.start:
        return head.type == "Place" or not tail.code
    if not inside and head.type == "Place" and tail.end != head.start:
        return not tail.code
    return False


def _gazetteer_decides(c: Candidate, knowledge: Knowledge) -> bool:
    """Where a division lies is the gazetteer's to say, not the classifier's: the text states it
    only where the parent is written right before the child (荆州市江陵县). Elsewhere the link is the
    gazetteer's (gazetteer.chain), or wrong (a city inside its own province's program, a region, a
    river: of 609 locatedIn facts in the corpus gold, 2 put a division anywhere but in a division)."""
    head, tail = c.head, c.tail
    if c.relation != "locatedIn" or head is None or not head.code:
        return False
    adjacent = bool(tail.code) and tail.end == head.start
    return not (adjacent and any(d.code == tail.code for d in knowledge.chain(head.code)[1:]))


def merge(text: str, outer: list[Span], inner: list[Span], rules, knowledge: Knowledge,
          dropped: list[tuple[Span, str]] | None = None) -> list[Mention]:
    """The merge policy: the outer tagger decides which names there are and their types (an
    enterprise's or an institution's name it stops short of a rule's head word is taken on to it:
    `_completed`); a name inside a name stands when a rule found it too, when it is a division the
    gazetteer knows, or when it is an enterprise heading a project's name and no common word
    (jieba's, or one a tenth of the corpus reports use: mined/common_words.txt; cross-validated,
    the inner tagger's other names are right one time in four); the start of a project's name that an
    institution's or an enterprise's head word closes is a name too (`_headed_prefixes`), and so is
    the quoted start of a program's name (`_quoted_starts`). A place inside an institution's or an
    enterprise's name, or a place's name less its head, never stands (`_part_of_a_name`); a road, a
    village, a river… inside a project's name, or a place a route runs from or to, stands though the
    gazetteer does not know it (`_place_in_project`); an enterprise heading a project's name that
    the project shows to be none (百崎 in 百崎大桥) never stands (`_no_enterprise`). Where a rule
    found the same name with the same type, the rule's mention stands (it knows the division code,
    the subtype and the full name a short name stands for). With `dropped`, each inner name that
    does not stand is added to it with the reason (`inner_rejection`)."""
    by_span = {(m.start, m.end, m.type): m for m in rules}
    coded = {m.text: m for m in rules if m.code}  # the divisions the rules settled in this document
    outer = _completed(outer, rules)
    holders = _holders(inner, outer)
    rejections = [inner_rejection(s, holder, text, by_span, knowledge) for s, holder in zip(inner, holders)]
    if dropped is not None:
        dropped += [(s, why) for s, why in zip(inner, rejections) if why]
    inner = [s for s, why in zip(inner, rejections) if why is None]
    candidates = ([(s, "learned.outer") for s in outer] + [(s, "learned.inner") for s in inner]
                  + [(s, "learned.inner.headed") for s in _headed_prefixes(text, outer, knowledge)]
                  + [(s, "learned.inner.quoted") for s in _quoted_starts(text, outer)])
    out = {}
    for span, rule in candidates:
        key = (span.start, span.end, span.type)
        if key in out:
            continue
        out[key] = by_span.get(key) or _mention(text, span, rule, knowledge, coded)
    return sorted(out.values(), key=lambda m: (m.start, m.end, m.type))


# The kinds of name the outer tagger may end short of the head word a rule read them to (分公司, 医院).
COMPLETED_TYPES = ("Company", "Organization")


def _completed(outer: list[Span], rules) -> list[Span]:
    """The outer tagger's names, an enterprise's or an institution's taken on to the end of the
    longest name of its type a rule read from the same start, when no other name of the tagger's
    begins before that end: 江西国际 → 江西国际经济技术合作公司, 市中心 → 市中心医院 (cross-validated,
    3 of the 3 so completed became the gold's)."""
    longest: dict[tuple[int, str], int] = {}
    for m in rules:
        if m.type in COMPLETED_TYPES and m.end > longest.get((m.start, m.type), -1):
            longest[(m.start, m.type)] = m.end
    if not longest:
        return outer
    completed = []
    for i, span in enumerate(outer):
        end = longest.get((span.start, span.type), -1)
        if span.end < end and (i + 1 == len(outer) or end <= outer[i + 1].start):
            span = Span(span.start, end, span.type)
        completed.append(span)
    return completed


# The kinds of name a project's name may start with and that a head word closes: the institution
# or enterprise the project is for or by (三亚中心医院改扩建, 河港集团健康大数据产业园).
HEADED_PREFIX_TYPES = ("Organization", "Company")


def _headed_prefixes(text: str, outer: list[Span], knowledge: Knowledge) -> list[Span]:
    """For each project the outer tagger marked, the longest start of its name that a head word of
    an institution or an enterprise ends, with two characters or more before the head: 三亚中心医院
    in 三亚中心医院改扩建 (the gold names both; the inner tagger rarely finds the first, and
    cross-validated this lifts Organization F1 0.519 → 0.532, Company 0.497 → 0.504)."""
    spans = []
    for span in outer:
        if span.type != "Project":
            continue
        name = text[span.start:span.end]
        for end in range(len(name) - 1, 2, -1):
            head = knowledge.head_of(name[:end])
            if head is not None and head.type in HEADED_PREFIX_TYPES and end - len(head.word) >= 2:
                spans.append(Span(span.start, span.start + end, head.type))
                break
    return spans


def _quoted_starts(text: str, outer: list[Span]) -> list[Span]:
    """For each program the outer tagger marked that opens with a quoted phrase and goes on after
    it, the phrase: 放管服 in “放管服”改革. The guide writes names without their quotation marks, and
    the gold names the phrase alone four times in five (cross-validated: Program F1 0.714 → 0.722,
    relation F1 0.573 → 0.579)."""
    spans = []
    for span in outer:
        if span.type != "Program" or text[span.start] not in _OPENING:
            continue
        close = next((k for k in range(span.start + 1, span.end - 1) if text[k] in _CLOSING), None)
        if close is not None and close - span.start > 2:
            spans.append(Span(span.start + 1, close, "Program"))
    return spans


def _holders(inner: list[Span], outer: list[Span]) -> list[Span | None]:
    """For each inner name, the last outer name to start where it starts or before (the outer
    tagger's names follow each other without overlapping: the one it is written in, if any)."""
    starts = [o.start for o in outer]
    return [outer[i] if i >= 0 else None for i in (bisect_right(starts, span.start) - 1 for span in inner)]


_WHOSE_NAME = {"Organization": "an institution's name", "Company": "an enterprise's name", "Place": "a place's name, less its head"}


def inner_rejection(span: Span, before: Span | None, text: str, rules: dict, knowledge: Knowledge) -> str | None:
    """Why a name the inner tagger reads does not stand (for `kg explain`), or None when it stands.
    `before` is the outer name that starts last at its start or before it; `rules` the rules'
    mentions by (start, end, type)."""
    name = text[span.start:span.end]
    holder = before if before is not None and span.end <= before.end else None
    if span.type == "Place" and holder is not None and _part_of_a_name(span, holder):
        return f"a place that is only part of {_WHOSE_NAME[holder.type]}"
    if span.type == "Company" and holder is not None and _no_enterprise(span, holder, text, knowledge):
        return ("an enterprise the project's name shows to be none (a bridge, a line, a dam… named after a place; "
                "the city's own; a number; an industry)")
    if (span.start, span.end, span.type) in rules:
        return None
    if span.type == "Place":
        if (name in knowledge.by_name or name in knowledge.by_short
                or holder is not None and _place_in_project(span, holder, text, knowledge)):
            return None
        return "a place inside a name that the gazetteer does not know, nor a road, a village, a river… of a project's name"
    if span.type == "Company":
        if before is None or before.start != span.start or before.type != "Project":
            return "an enterprise inside a name but not at the head of a project's name"
        # a word jieba's dictionary knows as a common noun, a place, a verb… is rarely an enterprise's
        # short name (储能, 东北): cross-validated, 34 of the 41 the inner tagger read were not the gold's
        # (Company F1 0.501 → 0.509, relation F1 0.591 → 0.592)
        if word_tag(name) in knowledge.common_word_tags:
            return "a word jieba's dictionary knows as a common noun, a place, a verb… (cues.txt [common_word_tag])"
        # nor a word a tenth of the corpus reports use (餐厨, 红色旅游, 5G, PPP: mined/common_words.txt;
        # fold models: 7 dropped, none the gold's; Company F1 0.539 → 0.544, entity F1 0.6898 → 0.6902)
        if name in knowledge.common_words:
            return "a word a tenth of the corpus reports use (mined/common_words.txt)"
        return None
    return "the inner tagger's names of this kind stand only where a rule reads them too"


def _no_enterprise(span: Span, holder: Span, text: str, knowledge: Knowledge) -> bool:
    """Is the enterprise the inner tagger (or a rule) read at the head of a project's name surely none?
    The project is a road, a line, a bridge, a dam… named after a place or a route's two ends, and
    the name comes right before that word (百崎 in 百崎大桥, 宁马 in 宁马城际, 白濑 in 白濑水利枢纽:
    cues.txt [facility_after_name]); the name is the city's or the province's own (市文化 in
    市文化中心, 省非 in 省非遗馆: [city_own_opener]); a number (30 in 30万吨级支航道); or an industry (低碳 in
    低碳智慧能源综合利用示范区, industry.txt). Cross-validated, none of the 39 such names was the gold's."""
    if holder.type != "Project" or holder.start != span.start:
        return False
    name = text[span.start:span.end]
    return (text.startswith(knowledge.facility_after_names, span.end, holder.end)
            or name.startswith(knowledge.city_own_openers) or name.isdigit() or name in knowledge.industry_words)


# The longest a place's own name's head may be for the place read at its start to be no place of its
# own: 富锦 in 富锦市, 长兴 in 长兴岛, 集美 in 集美新城, 兴隆 in 兴隆综保区. Fold models, entity F1 with
# 1, 2, 3, 4 or no limit: 0.6862, 0.6867, 0.6871, 0.6870, 0.6868; chosen per fold on the other four
# folds (3, 4, 3, 3, 3), the mean is 0.6869.
OWN_HEAD = 3


def _part_of_a_name(span: Span, holder: Span) -> bool:
    """Is the place the inner tagger (or a rule) read inside `holder` only a part of its name? A place
    inside an institution's or an enterprise's name (沈阳 in 沈阳航空航天大学, 杭州 in 杭州锦江), or
    a place's name less its head (富锦 in 富锦市, 长兴 in 长兴岛, 云冈 in 云冈石窟): the guide names
    the whole alone. Cross-validated, 8 of the 85 such names were the gold's (fold models: Place F1
    0.628 → 0.639, entity F1 0.678 → 0.681, relation F1 0.601 → 0.605)."""
    if holder.type in ("Organization", "Company"):
        return True
    return holder.type == "Place" and holder.start == span.start and holder.end - span.end <= OWN_HEAD


def _place_in_project(span: Span, holder: Span, text: str, knowledge: Knowledge) -> bool:
    """Is a place the inner tagger read inside a project's name (and not the whole of it) one the guide
    names, though the gazetteer does not know it? A road, a street, a village, a bay, a river, a
    mountain… by its head (友谊路 in 友谊路拓宽, 乌塔沟 in 乌塔沟综合整治工程: cues.txt
    [place_in_project_end], three characters or more, not a road built: [not_place_end]), or a place a
    route runs from or to (思陇 in 思陇至那桐二级路: [route_joiner]). Cross-validated, 76 of the 112
    such names were the gold's, and the inner tagger's other places in projects' names one time in six
    (fold models: Place F1 0.639 → 0.664, entity F1 0.681 → 0.687, relation F1 0.605 → 0.609)."""
    if holder.type != "Project" or (holder.start, holder.end) == (span.start, span.end):
        return False
    name = text[span.start:span.end]
    if len(name) >= 3 and name.endswith(knowledge.place_in_project_ends) and not name.endswith(knowledge.not_place_ends):
        return True
    before, after = text[span.start - 1:span.start], text[span.end:span.end + 1]
    return before in knowledge.route_joiners or after in knowledge.route_joiners


def _mention(text: str, span: Span, rule: str, knowledge: Knowledge, coded: dict[str, Mention]) -> Mention:
    """A mention of the model's; a place the rules settled elsewhere in the document, or a division
    the gazetteer names so alone, gets its code (and the full name a short form stands for)."""
    name = text[span.start:span.end]
    if span.type != "Place":
        return Mention(span.start, span.end, name, span.type, rule=rule)
    settled = coded.get(name)
    if settled is not None:
        return Mention(span.start, span.end, name, "Place", settled.subtype, rule, settled.code, settled.canonical)
    divisions = knowledge.by_name.get(name, ())
    if len(divisions) == 1:
        return Mention(span.start, span.end, name, "Place", divisions[0].subtype, rule, divisions[0].code, name)
    head = knowledge.head_of(name)
    return Mention(span.start, span.end, name, "Place", head.subtype if head and head.type == "Place" else "", rule)


def trimmed(text: str, span: Span) -> Span | None:
    """`span` without white space or a quotation mark left unpaired at its ends (“十四五 → 十四五),
    cut at a bracket it opens and does not close, and at a comma, a semicolon or a full stop."""
    start, end = span.start, span.end
    if (end - start >= 2 and _MARKS.isdisjoint(text[start:end]) and text[start] not in QUOTES
            and not text[start].isspace() and not text[end - 1].isspace()):
        return span  # most names: nothing to trim, no quotation mark to take in, no bracket left open
    # a name the tagger runs on across a clause's end stops there (龙潭过江通道；加快… → 龙潭过江通道,
    # 2号线西北段，4号线 → 2号线西北段: fold models, 2 names right and 3 wrong for 5 wrong ones)
    end = next((k for k in range(start, end) if text[k] in _CLAUSE_MARKS), end)
    while start < end and (text[start].isspace() or text[start] in _CLOSING or text[start] in _OPENING and not _closes(text, start, end)):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _OPENING or text[end - 1] in _CLOSING and not _opens(text, start, end)):
        end -= 1
    if end - start < 2 or all(ch in QUOTES for ch in text[start:end]):
        return None
    # a quote the name closes (老城区”文化中心) or opens (“五城联创”行动) takes in its other mark
    inside = text[start:end]
    if start > 0 and text[start - 1] in _OPENING and _unpaired(inside, _CLOSING, _OPENING):
        start -= 1
    if end < len(text) and text[end] in _CLOSING and _unpaired(inside, _OPENING, _CLOSING):
        end += 1
    # a bracket the name opens and does not close cuts it (高新区（新市区 → 高新区: cross-validated,
    # entity F1 0.6871 → 0.6875, relation F1 0.6090 → 0.6094, no fold down)
    inside = text[start:end]
    if _unpaired(inside, _OPEN_BRACKETS, _CLOSE_BRACKETS):
        cut = max(inside.rfind(mark) for mark in _OPEN_BRACKETS)
        if cut >= 2:
            end = start + cut
    return Span(start, end, span.type)


def _unpaired(name: str, marks: frozenset, partners: frozenset) -> bool:
    """Does `name` hold more of `marks` than of their `partners`?"""
    return sum(ch in marks for ch in name) > sum(ch in partners for ch in name)


def _closes(text: str, start: int, end: int) -> bool:
    return any(ch in _CLOSING for ch in text[start + 1:end])


def _opens(text: str, start: int, end: int) -> bool:
    return any(ch in _OPENING for ch in text[start:end - 1])



def has_model(folder: Path | str) -> bool:
    """Does `folder` hold a trained model?"""
    folder = Path(folder)
    return all((folder / name).exists() for name in FILES)


def trigger_words(knowledge: Knowledge) -> dict[str, tuple[str, ...]]:
    """The trigger words of each relation (knowledge/triggers.tsv), for the classifier's features."""
    return {rel: tuple(word for word, _ in pairs) for rel, pairs in knowledge.triggers.items()}
