"""The character tagger: a linear-chain CRF (CRFsuite) labelling each character B-/I-type or O."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite

from ..model import ENTITY_TYPES
from .crf import CrfWeights, emissions, marked_spans, read_crfsuite, viterbi
from .gold import Span

OUTSIDE = "O"
LABELS = (OUTSIDE,) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in "BIES")
# L1 keeps the model small (most character n-grams get no weight); L2 smooths the rest. c1 by
# cross-validation on the corpus gold's five folds (mean entity / relation F1): 0.1 0.667 / 0.564,
# 0.05 0.667 / 0.563, 0.02 0.673 / 0.566, 0.01 0.674 / 0.565, 0.005 0.674 / 0.565. With the word
# clusters: 0.04 0.698 / 0.616, 0.02 0.703 / 0.620, 0.01 0.702 / 0.621.
TRAINING = {"c1": 0.02, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def labels_for(length: int, spans: list[Span]) -> list[str]:
    """B-/I-/E-/S-type labels of a text of `length` characters holding `spans` (which do not overlap):
    a name's first, inner and last character, or S- for a name of one character."""
    labels = [OUTSIDE] * length
    for span in spans:
        if span.end - span.start == 1:
            labels[span.start] = "S-" + span.type
            continue
        labels[span.start] = "B-" + span.type
        for k in range(span.start + 1, span.end - 1):
            labels[k] = "I-" + span.type
        labels[span.end - 1] = "E-" + span.type
    return labels


def spans_of(labels: list[str], offset: int = 0) -> list[Span]:
    """The spans a label sequence marks. A name runs from its B- (or a stray I-/E-) to its E-; a
    name left open by an O or another type's label ends there. (The tagger cuts its own labels the
    same way, with `marked_spans` on label numbers: this reads label strings through it.)"""
    if labels.count(OUTSIDE) == len(labels):
        return []
    names = sorted(set(labels))
    kinds, marks, kind_of = label_codes(names)
    best = np.array([names.index(label) for label in labels], dtype=np.int64)
    found = marked_spans(best, np.array([0], dtype=np.int64), np.array([len(labels)], dtype=np.int64), marks, kind_of)
    return [Span(offset + start, offset + end, kinds[kind]) for start, end, kind in found.tolist()]


def label_codes(labels) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """For `marked_spans`: the types the labels name, and each label's letter (0 O, 1 B, 2 I, 3 E,
    4 S) and type number."""
    kinds = tuple(sorted({label[2:] for label in labels if label != OUTSIDE}))
    marks = np.array([0 if label == OUTSIDE else " BIES".index(label[0]) for label in labels], dtype=np.int64)
    kind_of = np.array([-1 if label == OUTSIDE else kinds.index(label[2:]) for label in labels], dtype=np.int64)
    return kinds, marks, kind_of


def train_tagger(sequences, path: Path | str, params: dict = TRAINING) -> None:
    """Fit a CRF on (features, labels) sequences with `params` and write it to `path`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params(params)
    trainer.train(str(path))


class Tagger:
    """A trained CRF, applied to the scores of a text's characters (`kg.learn.compiled` finds its
    features as rows of a `FeatureIndex`, `kg.learn.crf` sums them and runs Viterbi)."""

    def __init__(self, weights: CrfWeights):
        self.crf = weights
        self._rows: np.ndarray | None = None
        self._kind_names, self._marks, self._kinds = label_codes(weights.labels)

    @classmethod
    def load(cls, path: Path | str) -> "Tagger":
        return cls(read_crfsuite(path))

    def closing_prior(self, by_type: dict[str, float]) -> np.ndarray | None:
        """Scores for the labels that close a name (E- and S-) of the types in `by_type`: added to
        every character's, a name of such a type weighs that much more on the path that holds it."""
        if not any(by_type.values()):
            return None
        return np.array([by_type.get(label[2:], 0.0) if label[:2] in ("E-", "S-") else 0.0 for label in self.crf.labels])

    def bind(self, index) -> None:
        """Weigh the rows of `index` (a FeatureIndex made with this CRF's attributes)."""
        self._rows = index.weights(self.crf)

    def spans(self, length: int, positions: np.ndarray, rows: np.ndarray, sequences: list[tuple[int, int]],
              prior: np.ndarray | None = None) -> list[Span]:
        """The spans the CRF marks in each [start, end) of a text of `length` characters whose
        features are the (positions, rows) pairs; `prior` (one score per label, see `closing_prior`)
        is added to every character's scores."""
        if not sequences:
            return []
        if self._rows is None:
            raise RuntimeError("Tagger.bind(index) first")
        starts = np.array([s for s, _ in sequences], dtype=np.int64)
        ends = np.array([e for _, e in sequences], dtype=np.int64)
        # the characters of the sequences alone are summed when they are few (names, not sentences)
        wanted = _covered(length, starts, ends) if (ends - starts).sum() < length // 2 else None
        scores = emissions(length, positions, rows, self._rows, wanted)
        if prior is not None:
            scores += prior
        best = viterbi(scores, starts, ends, self.crf.transitions)
        found = marked_spans(best, starts, ends, self._marks, self._kinds)
        kinds = self._kind_names
        return [Span(start, end, kinds[kind]) for start, end, kind in found.tolist()]


def _covered(length: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A flag for each character of a text of `length` inside some [start, end): the only ones Viterbi reads."""
    change = np.zeros(length + 1, dtype=np.int64)
    np.add.at(change, starts, 1)
    np.add.at(change, ends, -1)
    return np.cumsum(change[:-1]) > 0
