"""The relation classifier: for each candidate pair of names in a sentence, is the relation stated?

Candidates are pairs of mentions of one sentence whose types the relation allows (locatedIn: a
thing and a place; operatedBy: a project and a company; implements: an actor and a program), the
names written inside another name among them, and the document's subject place with each program
(most programs a report names are its own government's). A maximum-entropy classifier (CRFsuite
on sequences of one item) weighs features of the pair: types, order, distance, the words and
punctuation between (and, over a long stretch, the words it starts and ends with), trigger words,
what stands before each name, the last two characters of each, and whether a rule found the
same relation. A relation between two names holds when any of their pairs is classified so.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import pycrfsuite

from ..model import Fact, Mention, Sentence
from .crf import read_crfsuite
from .tagger import train_tagger

YES, NO = "yes", "no"
ACTORS = {"locatedIn": ("Company", "Project", "Place", "Organization"), "operatedBy": ("Project",),
          "implements": ("Place", "Organization", "Company")}
TARGETS = {"locatedIn": "Place", "operatedBy": "Company", "implements": "Program"}
RULES = {"locatedIn": "learned.pairs.located_in", "operatedBy": "learned.pairs.operated_by", "implements": "learned.pairs.implements"}
UNCLAIMED = "learned.pairs.implements.unclaimed"  # a program the classifier gives to no one, left to the subject
TRAINING = {"c1": 0.05, "c2": 0.01, "max_iterations": 200}
_PUNCT = "，、；：。（）“”"
THRESHOLD = 0.5
# A program's implementer other than the report's own place needs a surer reading: the classifier
# learns from the gold's names, and among the names the model reads another actor of the sentence is
# more often a wrong one (cross-validated, 101 of 376 were right). Chosen on the five folds, each
# fold's choice made on the other four alone (0.9 or 0.95): relation F1 0.596 → 0.601, every fold up.
OTHER_IMPLEMENTER = 0.9
# The weight sums (yes less no) of the probabilities THRESHOLD and OTHER_IMPLEMENTER, and how far from
# them a sum says on which side CRFsuite's probability falls (their roundings differ far less).
_BAR, _OTHER_BAR = math.log(THRESHOLD / (1 - THRESHOLD)), math.log(OTHER_IMPLEMENTER / (1 - OTHER_IMPLEMENTER))
_ROUNDING = 1e-6
_SURELY_NO = _BAR - _ROUNDING  # a weight sum below it is a probability below THRESHOLD


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible relation between two mentions (or the subject and a mention) of one sentence."""

    head: Mention | None  # None: the document's subject place
    relation: str
    tail: Mention
    sentence: Sentence


def candidates(mentions: list[Mention], sentences: tuple[Sentence, ...], has_subject: bool) -> list[Candidate]:
    """Every pair of one sentence that a relation's types allow, and the subject with each program."""
    starts = [s.start for s in sentences]
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        index = bisect_left(starts, m.start + 1) - 1
        if index >= 0:
            by_sentence.setdefault(index, []).append(m)
    out = []
    for index, group in sorted(by_sentence.items()):
        sentence = sentences[index]
        for tail in group:
            for relation, target in TARGETS.items():
                if tail.type != target:
                    continue
                for head in group:
                    if head is not tail and head.type in ACTORS[relation] and head.text != tail.text:
                        out.append(_candidate(head, relation, tail, sentence))
                if relation == "implements" and has_subject:
                    out.append(_candidate(None, relation, tail, sentence))
    return out


def _candidate(head: Mention | None, relation: str, tail: Mention, sentence: Sentence) -> Candidate:
    """Candidate(head, relation, tail, sentence) at a third of the cost: a frozen dataclass's
    __init__ sets each field through object.__setattr__ by name, and a report has some 900
    candidates; here each is set through its slot (as kg.segment makes its Tokens)."""
    c = _new(Candidate)
    _set_head(c, head)
    _set_relation(c, relation)
    _set_tail(c, tail)
    _set_sentence(c, sentence)
    return c


_new = object.__new__
_set_head, _set_relation, _set_tail, _set_sentence = (getattr(Candidate, field).__set__ for field in ("head", "relation", "tail", "sentence"))


def pair_features(c: Candidate, text: str, mentions_in_sentence: list[Mention], rule_facts: set, triggers: dict[str, tuple[str, ...]],
                  seen: dict | None = None) -> list[str]:
    """What the classifier sees of one candidate (`seen` keeps what a tail's pairs share, to be made once)."""
    tail, head, rel = c.tail, c.head, c.relation
    s = c.sentence
    key = (id(tail), rel, s.start)  # the mentions live as long as `seen`: their ids, not their fields' hash
    shared = seen.get(key) if seen is not None else None
    if shared is None:
        shared = _tail_features(tail, rel, text, s.start)
        if seen is not None:
            seen[key] = shared
    f = list(shared)
    if head is None:
        f.append("subject")
        others = [m for m in mentions_in_sentence if m.start < tail.start and m.type in ACTORS["implements"] and m is not tail]
        f.append("actors_before=" + str(min(len(others), 2)))
        if others:
            f.append("nearest_actor=" + others[-1].type)
            between = text[others[-1].end:tail.start]
            f.append("actor_gap=" + _bucket(len(between)))
            f += ["actor_trig=" + w for w in triggers.get(rel, ()) if w in between]
        f.append("pos=" + _bucket(tail.start - s.start))
        before = text[s.start:tail.start]  # cut once, not once a trigger word
        f += ["strig=" + w for w in triggers.get(rel, ()) if w in before]
        if ("", rel, tail.text) in rule_facts:
            f.append("rulefact")
        return f
    f += ["ht=" + rel + head.type + tail.type, "hrule=" + rel + head.rule.split(".")[0],
          "hlast=" + rel + head.type + head.text[-1:]]
    if head.start <= tail.start and tail.end <= head.end:
        f += ["tail_in_head", "tail_in_head_at=" + rel + ("start" if tail.start == head.start else "inner"), "tin=" + rel + head.type]
    elif tail.start <= head.start and head.end <= tail.end:
        f.append("head_in_tail=" + rel)
    else:
        first, second = (head, tail) if head.start < tail.start else (tail, head)
        between = text[first.end:second.start]
        order = rel + ("ht" if head.start < tail.start else "th")
        gap = _bucket(len(between))
        f.append("order=" + order)
        f.append("gap=" + order + gap)
        if len(between) <= 4:
            f.append("between=" + order + between)
        f += ["punct=" + rel + p for p in _PUNCT if p in between]
        f += ["trig=" + w for w in triggers.get(rel, ()) if w in between]
        within = [m.type for m in mentions_in_sentence if first.end <= m.start and m.end <= second.start]  # one pass for both counts
        f.append("names_between=" + order + str(min(len(within), 3)))
        f.append("same_between=" + order + str(min(within.count(tail.type), 2)))
        if len(between) > 4:  # a long stretch between: the words it starts and ends with
            f += ["bw_first=" + order + between[:2], "bw_last=" + order + between[-2:]]
        f.append("hb1=" + rel + text[max(head.start - 1, s.start):head.start])
        f.append("hb2=" + rel + text[max(head.start - 2, s.start):head.start])
        f.append("ha1=" + rel + text[head.end:head.end + 1])
    f += ["hhead=" + rel + head.type + head.text[-2:], "thead=" + rel + tail.type + tail.text[-2:]]
    if (head.text, rel, tail.text) in rule_facts:
        f.append("rulefact")
    return f


def _tail_features(tail: Mention, rel: str, text: str, sentence_start: int) -> list[str]:
    f = ["r=" + rel, "tt=" + rel + tail.type, "trule=" + rel + tail.rule.split(".")[0], "tlast=" + rel + tail.text[-1:],
         "tlast2=" + rel + tail.text[-2:], "tb1=" + rel + text[max(tail.start - 1, sentence_start):tail.start],
         "tb2=" + rel + text[max(tail.start - 2, sentence_start):tail.start], "ta1=" + rel + text[tail.end:tail.end + 1]]
    if tail.start > sentence_start and text[tail.start - 1] in "“‘《":
        f.append("tquoted")
    return f


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1-3" if n <= 3 else "4-10" if n <= 10 else "11-30" if n <= 30 else "31+"


def features_of(text: str, mentions: list[Mention], sentences: tuple[Sentence, ...], has_subject: bool,
                rule_facts: Iterable[Fact], triggers: dict[str, tuple[str, ...]],
                possible: Callable[[Candidate], bool] | None = None) -> tuple[list[Candidate], list[list[str]]]:
    """The candidates of a document (those `possible` allows, if given) and each one's features; a
    rule fact about the subject has head ""."""
    pairs = candidates(mentions, sentences, has_subject)
    if possible is not None:
        pairs = [c for c in pairs if possible(c)]
    document = PairFeatures(text, mentions, sentences, rule_facts, triggers)
    return pairs, [document.of(c) for c in pairs]


class PairFeatures:
    """What the features of a document's candidate pairs are made from: its text, its mentions by
    sentence, the rules' facts (a rule fact about the subject has head "") and the trigger words."""

    def __init__(self, text: str, mentions: list[Mention], sentences: tuple[Sentence, ...], rule_facts: Iterable[Fact],
                 triggers: dict[str, tuple[str, ...]]):
        self.text, self.triggers = text, triggers
        self.rule_facts = set()
        for fact in rule_facts:
            if fact.tail is not None:
                self.rule_facts.add((fact.head if fact.rule != "subject.implements" else "", fact.relation, fact.tail))
        self.by_sentence: dict[int, list[Mention]] = {}
        starts = [s.start for s in sentences]
        for m in mentions:
            self.by_sentence.setdefault(bisect_left(starts, m.start + 1) - 1, []).append(m)
        self._seen: dict = {}

    def of(self, c: Candidate) -> list[str]:
        """`pair_features` of the candidate."""
        return pair_features(c, self.text, self.by_sentence.get(c.sentence.index, []), self.rule_facts, self.triggers, self._seen)


def train_pairs(items: Iterable[tuple[list[str], str]], path: Path | str) -> None:
    """Fit the classifier on (features, yes/no) items and write it to `path`: a CRF on sequences of one item."""
    train_tagger((([features], [label]) for features, label in items), path, TRAINING)


def _weighed(p: float, c: Candidate) -> float:
    """The pair's probability, or 0.0 for another implementer than the subject below OTHER_IMPLEMENTER."""
    return 0.0 if c.relation == "implements" and c.head is not None and p < OTHER_IMPLEMENTER else p


def _leave_unclaimed_programs_to_subject(scored: list[tuple[float, Candidate]], best: dict, subject: str) -> set[tuple[str, str, str]]:
    """A program is somebody's: one the classifier gives to no one is the report's own place's (the
    subject implements 2,707 of the 2,996 programs of the corpus gold; cross-validated, relation F1
    0.579 → 0.584). Adds those facts to `best` and returns their keys."""
    given = {tail for _, relation, tail in best if relation == "implements"}
    unclaimed = set()
    for p, c in scored:
        if c.relation == "implements" and c.head is None and subject and c.tail.text not in given:
            given.add(c.tail.text)
            unclaimed.add((subject, "implements", c.tail.text))
            best[(subject, "implements", c.tail.text)] = (p, c)
    return unclaimed


class _Sums:
    """The classifier's weight sum (yes less no: `PairClassifier._margin`) of each candidate's
    features, as `pair_features` makes them, found without listing them: what a pair shares with
    the other pairs of its tail, or of its head, is summed once, and of the marks and trigger words
    between two names only those weighed are looked for (listing every pair's features was most of
    the relations' time: a report has some 600 pairs)."""

    def __init__(self, margin: dict[str, float], document: PairFeatures):
        self._margin, self._document, self._text = margin, document, document.text
        self._punct = {rel: [(p, w) for p in _PUNCT if (w := margin.get("punct=" + rel + p))] for rel in TARGETS}
        self._words: dict[tuple[str, str], list[tuple[str, float]]] = {}
        self._tails: dict = {}
        self._heads: dict = {}

    def of(self, c: Candidate) -> float:
        tail, head, rel, get = c.tail, c.head, c.relation, self._margin.get
        at_tail = self._tail(tail, rel, c.sentence.start)
        if head is None:
            return at_tail[0] + self._subject(c)
        shared, around = self._head(head, rel, tail.type, c.sentence.start)
        total = at_tail[0] + shared + at_tail[1]
        if head.start <= tail.start and tail.end <= head.end:
            total += (get("tail_in_head", 0.0) + get("tin=" + rel + head.type, 0.0)
                      + get("tail_in_head_at=" + rel + ("start" if tail.start == head.start else "inner"), 0.0))
        elif tail.start <= head.start and head.end <= tail.end:
            total += get("head_in_tail=" + rel, 0.0)
        else:
            total += self._between(c) + around
        if (head.text, rel, tail.text) in self._document.rule_facts:
            total += get("rulefact", 0.0)
        return total

    def _sum(self, features: list[str]) -> float:
        return sum(map(self._margin.get, features, repeat(0.0, len(features))))

    def _weighed_words(self, prefix: str, rel: str) -> list[tuple[str, float]]:
        """The trigger words of `rel` whose feature `prefix + word` weighs, each as often as listed."""
        key = (prefix, rel)
        if key not in self._words:
            self._words[key] = [(w, weight) for w in self._document.triggers.get(rel, ()) if (weight := self._margin.get(prefix + w))]
        return self._words[key]

    def _tail(self, tail: Mention, rel: str, sentence_start: int) -> tuple[float, float]:
        """The tail's features every pair of it has, and the one a pair with a head adds (thead=)."""
        key = (id(tail), rel, sentence_start)  # the mentions outlive this: their ids, as `pair_features`' `seen`
        found = self._tails.get(key)
        if found is None:
            found = self._tails[key] = (self._sum(_tail_features(tail, rel, self._text, sentence_start)),
                                        self._margin.get("thead=" + rel + tail.type + tail.text[-2:], 0.0))
        return found

    def _head(self, head: Mention, rel: str, tail_type: str, sentence_start: int) -> tuple[float, float]:
        """The head's features every pair of it has, and those around it that a pair apart from it has."""
        key = (id(head), rel, tail_type, sentence_start)
        found = self._heads.get(key)
        if found is None:
            text = self._text
            shared = self._sum(["ht=" + rel + head.type + tail_type, "hrule=" + rel + head.rule.split(".")[0],
                                "hlast=" + rel + head.type + head.text[-1:], "hhead=" + rel + head.type + head.text[-2:]])
            around = self._sum(["hb1=" + rel + text[max(head.start - 1, sentence_start):head.start],
                                "hb2=" + rel + text[max(head.start - 2, sentence_start):head.start],
                                "ha1=" + rel + text[head.end:head.end + 1]])
            found = self._heads[key] = shared, around
        return found

    def _between(self, c: Candidate) -> float:
        """What stands between two names written apart (`pair_features`: order= … bw_last=)."""
        head, tail, rel, get = c.head, c.tail, c.relation, self._margin.get
        first, second = (head, tail) if head.start < tail.start else (tail, head)
        between = self._text[first.end:second.start]
        order = rel + ("ht" if head.start < tail.start else "th")
        total = get("order=" + order, 0.0) + get("gap=" + order + _bucket(len(between)), 0.0)
        if len(between) <= 4:
            total += get("between=" + order + between, 0.0)
        else:
            total += get("bw_first=" + order + between[:2], 0.0) + get("bw_last=" + order + between[-2:], 0.0)
        for mark, w in self._punct[rel]:
            if mark in between:
                total += w
        for word, w in self._weighed_words("trig=", rel):
            if word in between:
                total += w
        names = same = 0
        for m in self._document.by_sentence.get(c.sentence.index, ()):
            if first.end <= m.start and m.end <= second.start:
                names += 1
                same += m.type == tail.type
        return total + get("names_between=" + order + str(min(names, 3)), 0.0) + get("same_between=" + order + str(min(same, 2)), 0.0)

    def _subject(self, c: Candidate) -> float:
        """The subject's pair's own features (`pair_features`: subject … rulefact)."""
        tail, rel, s, text, get = c.tail, c.relation, c.sentence, self._text, self._margin.get
        others = [m for m in self._document.by_sentence.get(s.index, ())
                  if m.start < tail.start and m.type in ACTORS["implements"] and m is not tail]
        total = get("subject", 0.0) + get("actors_before=" + str(min(len(others), 2)), 0.0)
        if others:
            between = text[others[-1].end:tail.start]
            total += get("nearest_actor=" + others[-1].type, 0.0) + get("actor_gap=" + _bucket(len(between)), 0.0)
            total += sum(w for word, w in self._weighed_words("actor_trig=", rel) if word in between)
        before = text[s.start:tail.start]
        total += get("pos=" + _bucket(tail.start - s.start), 0.0) + sum(w for word, w in self._weighed_words("strig=", rel) if word in before)
        if ("", rel, tail.text) in self._document.rule_facts:
            total += get("rulefact", 0.0)
        return total


class PairClassifier:
    """A trained relation classifier."""

    def __init__(self, path: Path | str):
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._answers = YES in self._tagger.labels()  # a model trained on no positive pair never says yes
        weights = read_crfsuite(path)
        if self._answers and NO in weights.labels:
            yes, no = weights.labels.index(YES), weights.labels.index(NO)
            self._margin = {a: float(w[yes] - w[no]) for a, w in zip(weights.attributes, weights.state) if w[yes] != w[no]}
        else:
            self._margin = None

    def probability(self, features: list[str]) -> float:
        """CRFsuite's probability that the pair is related, or 0.0 where it is surely below THRESHOLD."""
        if not self._answers:
            return 0.0
        if self._margin is not None and self._surely_no(features):
            return 0.0
        self._tagger.set([features])
        return self._tagger.marginal(YES, 0)

    def _surely_no(self, features: list[str]) -> bool:
        # Most pairs are far below the threshold: the logistic of the weights' sum says so for a
        # microsecond, where CRFsuite's exact marginal costs eight. Its rounding differs from
        # CRFsuite's by far less than the margin, so no pair near the threshold is skipped.
        score = sum(map(self._margin.get, features, repeat(0.0, len(features))))  # in order, as a loop would add
        return score < _SURELY_NO

    def facts(self, document: PairFeatures, pairs: list[Candidate], subject: str) -> list[Fact]:
        """One fact per relation between two names that some pair of theirs states (see `facts_of`)."""
        return facts_of(self._scored(document, pairs, subject), subject)

    def _scored(self, document: PairFeatures, pairs: list[Candidate], subject: str) -> list[tuple[float, Candidate]]:
        """Each pair with its probability (`_weighed`), where it decides a fact. A pair whose weight
        sum is clearly below its bar gets 0.0, one clearly above it and that no other pair competes
        with (`_contested`) 1.0: no fact depends on their exact probability, and CRFsuite, with
        the features' strings, is asked only for the others (about one pair in eight). Its rounding
        differs from the sum's by far less than _ROUNDING, so no pair near a bar is decided so."""
        def exact(c: Candidate) -> float:
            return _weighed(self.probability(document.of(c)), c)

        if self._margin is None:
            return [(exact(c), c) for c in pairs]
        sums = _Sums(self._margin, document)
        scored = []
        for c in pairs:
            bar = _OTHER_BAR if c.relation == "implements" and c.head is not None else _BAR
            score = sums.of(c)
            scored.append((0.0 if score < bar - _ROUNDING else 1.0 if score > bar + _ROUNDING else exact(c), c))
        contested = _contested(scored, subject)
        return [(exact(c), c) if i in contested else (p, c) for i, (p, c) in enumerate(scored)]


def _contested(scored: list[tuple[float, Candidate]], subject: str) -> set[int]:
    """The pairs at THRESHOLD or above that another such pair competes with (`facts_of`): for the
    same relation between the same two names, or for the place of the same name."""
    groups: dict[tuple, list[int]] = {}
    for i, (p, c) in enumerate(scored):
        if p >= THRESHOLD:
            groups.setdefault(("fact", c.head.text if c.head else subject, c.relation, c.tail.text), []).append(i)
            if c.relation == "locatedIn":
                groups.setdefault(("place", c.head.start, c.head.end), []).append(i)
    return {i for members in groups.values() if len(members) > 1 for i in members}


def facts_of(scored: list[tuple[float, Candidate]], subject: str) -> list[Fact]:
    """One fact per relation between two names that some pair of theirs states (by its probability,
    `_weighed`: another implementer than the subject needs OTHER_IMPLEMENTER), the likeliest pair's;
    a program no one is given becomes the subject's."""
    # A thing lies in one place as a sentence states it: of a name's places, the likeliest stands.
    place = {}
    for p, c in scored:
        if c.relation == "locatedIn" and p >= THRESHOLD:
            at = (c.head.start, c.head.end)
            place[at] = max(place.get(at, 0.0), p)
    best: dict[tuple[str, str, str], tuple[float, Candidate]] = {}
    for p, c in scored:
        if p < THRESHOLD or c.relation == "locatedIn" and p < place[(c.head.start, c.head.end)]:
            continue
        key = (c.head.text if c.head else subject, c.relation, c.tail.text)
        if key not in best or p > best[key][0]:
            best[key] = (p, c)
    unclaimed = _leave_unclaimed_programs_to_subject(scored, best, subject)
    out = []
    for key, (_, c) in sorted(best.items(), key=lambda item: item[1][1].sentence.index):
        head, rel, tail = key
        head_type = c.head.type if c.head else "Place"
        out.append(Fact(head, head_type, rel, tail, c.tail.type, c.sentence.index, UNCLAIMED if key in unclaimed else RULES[rel]))
    return out
