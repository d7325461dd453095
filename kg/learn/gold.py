"""Gold annotations for training: documents, their folds, and their names placed in the text."""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# Quotation marks the annotation guide strips from names: a gold name is found in the text with them skipped.
QUOTES = frozenset("“”‘’「」『』《》〈〉\"'")


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document: its text, its gold names and relations, and the fold it belongs to."""

    id: str
    text: str
    entities: tuple[dict, ...]
    relations: tuple[dict, ...]
    subject_places: tuple[str, ...]
    fold: int = -1


@dataclass(frozen=True, slots=True)
class Span:
    """A gold name placed in the text: `text[start:end]` is the name, possibly with quotation marks inside."""

    start: int
    end: int
    type: str


def load_gold(folder: Path | str, text_folders: Iterable[Path | str] = (), *, folds: int = 0) -> list[GoldDocument]:
    """The annotated documents of `folder`: each `<id>.json` with its `<id>.txt`, beside it or in
    one of `text_folders` (the seeds' gold lies apart from the seeds), in name order.

    A `folds.tsv` (id, fold) assigns folds; without it, `folds` > 0 deals the documents round in
    name order, and 0 leaves every document in fold -1. A gold file whose text is nowhere is an error.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such gold folder")
    assigned = _read_folds(folder / "folds.tsv")
    places = [folder] + [Path(f) for f in text_folders]
    docs = []
    for number, path in enumerate(sorted(folder.glob("*.json"))):
        text_path = next((p / (path.stem + ".txt") for p in places if (p / (path.stem + ".txt")).is_file()), None)
        if text_path is None:
            raise InputError(f"{path}: its document {path.stem}.txt is neither beside it nor in "
                             + (", ".join(map(str, places[1:])) or "a --texts folder") + " (name the folder that holds the texts with --texts)")
        fold = assigned.get(path.stem, number % folds if folds and not assigned else -1)
        docs.append(_gold_document(path, text_path.read_text(encoding="utf-8"), fold))
    if not docs:
        raise InputError(f"{folder}: no <id>.json gold file")
    if assigned and folds and len({d.fold for d in docs}) != folds:
        raise InputError(f"{folder / 'folds.tsv'}: assigns {len({d.fold for d in docs})} folds, not {folds}")
    return docs


def _gold_document(path: Path, text: str, fold: int) -> GoldDocument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return GoldDocument(
            path.stem, text, tuple(data.get("entities", [])), tuple(data.get("relations", [])),
            tuple(data.get("subject_places", [])), fold,
        )
    except (ValueError, AttributeError) as exc:
        raise InputError(f"{path}: not a gold annotation file ({exc})") from exc


def _read_folds(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    folds = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if number == 1 and parts[0] == "id" or not line.strip():
            continue
        if len(parts) != 2 or not parts[1].strip().lstrip("-").isdigit():
            raise InputError(f"{path}:{number}: expected 'id<TAB>fold', got {line!r}")
        folds[parts[0]] = int(parts[1])
    return folds


def normal_form(text: str) -> tuple[str, list[int]]:
    """`text` as the scorer compares names (NFKC, no quotation marks, no white space), and where each
    of its characters came from in `text`."""
    chars, where = [], []
    for i, ch in enumerate(text):
        for piece in unicodedata.normalize("NFKC", ch):
            if piece not in QUOTES and not piece.isspace():
                chars.append(piece)
                where.append(i)
    return "".join(chars), where


def place_names(text: str, names: list[tuple[str, str]]) -> tuple[list[Span], list[tuple[str, str]], list[tuple[str, str]]]:
    """Place each (name, type) at every occurrence that no longer name already covers, longest first.

    Returns the spans, the names only found inside longer ones (nested), and the names not found at all.
    """
    flat, where = normal_form(text)
    taken = [False] * len(flat)
    spans, nested, absent = [], [], []
    for name, typ in sorted(set(names), key=lambda item: (-len(item[0]), item)):
        key = normal_form(name)[0]
        if not key:
            continue
        found = placed = 0
        at = flat.find(key)
        while at >= 0:
            found += 1
            if not any(taken[at:at + len(key)]):
                taken[at:at + len(key)] = [True] * len(key)
                spans.append(Span(where[at], where[at + len(key) - 1] + 1, typ))
                placed += 1
            at = flat.find(key, at + 1)
        if not found:
            absent.append((name, typ))
        elif not placed:
            nested.append((name, typ))
    return sorted(spans, key=lambda s: (s.start, s.end)), nested, absent
