"""The character tagger: a linear-chain CRF (CRFsuite) labelling each character B-/I-type or O."""
from __future__ import annotations

from pathlib import Path

import pycrfsuite

from ..model import ENTITY_TYPES
from .gold import Span

OUTSIDE = "O"
LABELS = (OUTSIDE,) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in "BI")
# L1 keeps the model small (most character n-grams get no weight); L2 smooths the rest.
TRAINING = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def labels_for(length: int, spans: list[Span]) -> list[str]:
    """B-/I-type labels of a text of `length` characters holding `spans` (which do not overlap)."""
    labels = [OUTSIDE] * length
    for span in spans:
        labels[span.start] = "B-" + span.type
        for k in range(span.start + 1, span.end):
            labels[k] = "I-" + span.type
    return labels


def spans_of(labels: list[str], offset: int = 0) -> list[Span]:
    """The spans a label sequence marks; an I- without its B- opens a span of its own type."""
    if labels.count(OUTSIDE) == len(labels):
        return []  # most sentences' characters, and some whole sentences, are outside every name
    spans, start, typ = [], None, None
    for i, label in enumerate(labels + [OUTSIDE]):
        inside = label.startswith("I-") and typ == label[2:]
        if start is not None and not inside:
            spans.append(Span(offset + start, offset + i, typ))
            start = typ = None
        if label != OUTSIDE and not inside:
            start, typ = i, label[2:]
    return spans


def train_tagger(sequences, path: Path | str, params: dict = TRAINING) -> None:
    """Fit a CRF on (features, labels) sequences with `params` and write it to `path`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params(params)
    trainer.train(str(path))


class Tagger:
    """A trained CRF, applied sentence by sentence."""

    def __init__(self, path: Path | str):
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, features: list[list[str]], offset: int = 0) -> list[Span]:
        """The spans the CRF marks in one sentence's character features."""
        if not features:
            return []
        return spans_of(self._tagger.tag(features), offset)
