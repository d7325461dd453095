"""A trained CRFsuite model read into arrays, and the two loops that apply it, compiled by numba.

CRFsuite's own tagger takes each character's features as Python strings and hashes every one of
them into its attribute table: with about 35 features a character, that conversion costs more than
the tagging. Here the weights are read once from the model file (its format: crfsuite's
lib/crf/src/crf1d_model.c and lib/cqdb/src/cqdb.c), the features arrive as row numbers
(`kg.learn.compiled`), and Viterbi runs over the sums exactly as crfsuite's `crf1dc_viterbi` does:
the first label of the highest score wins a tie, so the labels are crfsuite's own.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import KnowledgeError

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True)
class CrfWeights:
    """A linear-chain CRF: its labels, its attributes (feature strings), the weight of each
    attribute for each label, and the weight of each transition between labels."""

    labels: tuple[str, ...]
    attributes: tuple[str, ...]
    state: np.ndarray  # attributes × labels
    transitions: np.ndarray  # labels (from) × labels (to)


def read_crfsuite(path: Path | str) -> CrfWeights:
    """The weights of a model file that CRFsuite wrote (`pycrfsuite.Trainer.train`)."""
    data = Path(path).read_bytes()
    if len(data) < _HEADER.size:
        raise KnowledgeError(f"{path}: too short for a CRFsuite model ({len(data)} bytes)")
    magic, _, kind, _, _, n_labels, n_attributes, at_features, at_labels, at_attributes, _, _ = _HEADER.unpack_from(data)
    if magic != b"lCRF" or kind != b"FOMC":
        raise KnowledgeError(f"{path}: not a CRFsuite linear-chain model")
    labels = _strings(data, at_labels, n_labels, path)
    attributes = _strings(data, at_attributes, n_attributes, path)
    chunk, _, count = struct.unpack_from("<4sII", data, at_features)
    if chunk != b"FEAT":
        raise KnowledgeError(f"{path}: no feature chunk where the header says")
    features = np.frombuffer(data, dtype=_FEATURE, count=count, offset=at_features + 12)
    state = np.zeros((n_attributes, n_labels))
    transitions = np.zeros((n_labels, n_labels))
    on_state = features["type"] == _STATE
    state[features["src"][on_state], features["dst"][on_state]] = features["weight"][on_state]
    on_transition = features["type"] == _TRANSITION
    transitions[features["src"][on_transition], features["dst"][on_transition]] = features["weight"][on_transition]
    return CrfWeights(tuple(labels), tuple(attributes), state, transitions)


def _strings(data: bytes, at: int, count: int, path) -> list[str]:
    """The strings of a CQDB chunk (crfsuite's string table), by id."""
    if data[at:at + 4] != b"CQDB":
        raise KnowledgeError(f"{path}: no string table at byte {at}")
    _, at_ids = struct.unpack_from("<II", data, at + 16)
    out = []
    for offset in struct.unpack_from(f"<{count}I", data, at + at_ids):
        _, size = struct.unpack_from("<iI", data, at + offset)
        out.append(data[at + offset + 8:at + offset + 7 + size].decode("utf-8"))
    return out


def emissions(length: int, positions: np.ndarray, rows: np.ndarray, weights: np.ndarray, wanted: np.ndarray | None = None) -> np.ndarray:
    """Each character's score for each label: the sum of `weights[row]` over its (position, row)
    pairs; with `wanted` (a flag a character), only the flagged characters' (the others score zero)."""
    from ._kernels import add_rows, add_rows_within
    if wanted is None:
        return add_rows(length, positions, rows, weights)
    return add_rows_within(length, positions, rows, weights, wanted)


def viterbi(scores: np.ndarray, starts: np.ndarray, ends: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """The best label of each character, each [start, end) a sequence of its own (characters outside every sequence: -1)."""
    from ._kernels import best_paths
    return best_paths(scores, starts, ends, transitions)


def marked_spans(best: np.ndarray, starts: np.ndarray, ends: np.ndarray, marks: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The spans that the labels of each [start, end) mark, as rows (start, end, kind): see `tagger.spans_of`."""
    from ._kernels import marked_spans as spans
    return spans(best, starts, ends, marks, kinds)
