"""Scores extraction JSON against gold annotations: per-type precision, recall and F1, misses and extras.

Matching follows ../shared/gold/GUIDE.md: names are compared after NFKC folding with quotation
marks and white space removed; a gold alias (same_as) counts as its canonical name; investments
match on the head and a value within 1 %; relations whose basis is not "text" are not scored.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import ENTITY_TYPES, RELATIONS

_QUOTES = frozenset("“”‘’「」『』《》〈〉\"'")


def normalise(name: str) -> str:
    """NFKC, no quotation marks, no white space.

    >>> normalise("“ 十四五 ”")
    '十四五'
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(name)) if ch not in _QUOTES and not ch.isspace())


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp, self.predicted, self.gold = self.tp + tp, self.predicted + predicted, self.gold + gold

    # Figures are rounded to four places before printing, as the official scorer does, so the
    # printed three-place figures agree with it to the last digit.
    @property
    def precision(self) -> float:
        return round(self.tp / self.predicted, 4) if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return round(self.tp / self.gold, 4) if self.gold else 0.0

    @property
    def f1(self) -> float:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return round(2 * p * r / (p + r), 4) if p + r else 0.0


@dataclass
class Report:
    entities: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    by_type: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in ENTITY_TYPES})
    by_relation: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in RELATIONS})
    missed: dict[str, list[str]] = field(default_factory=dict)
    spurious: dict[str, list[str]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)  # unmatched names by kind: see error_kinds


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read annotation JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: top level must be an object")
    return data


def _canon(gold: dict) -> dict[str, str]:
    return {normalise(e["text"]): normalise(e.get("same_as") or e["text"]) for e in gold.get("entities", [])}


def _entities(doc: dict, canon: dict[str, str]) -> set[tuple[str, str]]:
    out = set()
    for e in doc.get("entities", []):
        if isinstance(e, dict) and "text" in e and "type" in e:
            name = normalise(e["text"])
            out.add((canon.get(name, name), e["type"]))
    return out


def _relations(doc: dict, canon: dict[str, str]):
    links, money = set(), []
    for r in doc.get("relations", []):
        if not isinstance(r, dict) or "head" not in r or "rel" not in r or r.get("basis", "text") != "text":
            continue
        head = canon.get(normalise(r["head"]), normalise(r["head"]))
        if r["rel"] == "investment":
            try:
                money.append((head, float(r["value"])))
            except (KeyError, TypeError, ValueError):
                continue
        elif "tail" in r:
            links.add((head, r["rel"], canon.get(normalise(r["tail"]), normalise(r["tail"]))))
    return links, money


def _money_hits(gold: list, predicted: list) -> int:
    left, hits = list(gold), 0
    for head, value in predicted:
        for i, (g_head, g_value) in enumerate(left):
            if g_head == head and abs(g_value - value) <= 0.01 * max(abs(g_value), 1e-9):
                hits += 1
                del left[i]
                break
    return hits


def evaluate(gold_dir: Path | str, pred_dir: Path | str) -> Report:
    """Score every gold file against the prediction of the same name (a missing one scores as empty)."""
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: no such folder of gold files")
    if not pred_dir.is_dir():
        raise InputError(f"{pred_dir}: no such folder of predictions")
    golds = sorted(gold_dir.glob("*.json"))
    if not any((pred_dir / g.name).exists() for g in golds):
        preds = sorted(p.name for p in pred_dir.glob("*.json"))
        raise InputError(f"no document in common: {gold_dir} has {len(golds)} gold file(s)"
                         f"{f' ({golds[0].name} …)' if golds else ''}, {pred_dir} {len(preds)} prediction(s)"
                         f"{f' ({preds[0]} …)' if preds else ''}; files are paired by name")
    pairs = []
    for gold_path in golds:
        pred_path = pred_dir / gold_path.name
        pairs.append((gold_path.name, _load(gold_path), _load(pred_path) if pred_path.exists() else {}))
    return score_documents(pairs)


def score_documents(pairs: Iterable[tuple[str, dict, dict]]) -> Report:
    """Score (name, gold, prediction) annotation dicts, micro-averaged over all of them."""
    report = Report()
    for name, gold, pred in pairs:
        canon = _canon(gold)
        _score_entities(report, name, _entities(gold, canon), _entities(pred, canon))
        _score_relations(report, _relations(gold, canon), _relations(pred, canon))
    return report


def _score_entities(report: Report, doc: str, gold: set, pred: set) -> None:
    report.entities.add(len(gold & pred), len(pred), len(gold))
    for typ, score in report.by_type.items():
        g, p = {e for e in gold if e[1] == typ}, {e for e in pred if e[1] == typ}
        score.add(len(g & p), len(p), len(g))
    report.missed[doc] = sorted(f"{t}:{n}" for n, t in gold - pred)
    report.spurious[doc] = sorted(f"{t}:{n}" for n, t in pred - gold)
    report.errors.update(error_kinds(gold, pred))


def error_kinds(gold: set[tuple[str, str]], pred: set[tuple[str, str]]) -> Counter:
    """Each unmatched gold name as missed, wrong type (the name found as another type) or wrong
    boundary (a name of its type inside it, or it inside one); each unmatched prediction as
    spurious, wrong type or wrong boundary the same way.

    >>> sorted(error_kinds({("大同市", "Place"), ("华阳", "Company")}, {("大同", "Place"), ("华阳", "Place")}).items())
    [('gold wrong boundary', 1), ('gold wrong type', 1), ('predicted wrong boundary', 1), ('predicted wrong type', 1)]
    """
    kinds = Counter()
    for side, mine, other in (("gold", gold - pred, pred), ("predicted", pred - gold, gold)):
        names_of_other = {n for n, _ in other}
        for name, typ in mine:
            if name in names_of_other:
                kinds[f"{side} wrong type"] += 1
            elif any(t == typ and (name in n or n in name) for n, t in other):
                kinds[f"{side} wrong boundary"] += 1
            else:
                kinds["missed" if side == "gold" else "spurious"] += 1
    return kinds


def _score_relations(report: Report, gold, pred) -> None:
    (g_links, g_money), (p_links, p_money) = gold, pred
    for rel in RELATIONS[:3]:
        g, p = {x for x in g_links if x[1] == rel}, {x for x in p_links if x[1] == rel}
        report.by_relation[rel].add(len(g & p), len(p), len(g))
    money = _money_hits(g_money, p_money)
    report.by_relation["investment"].add(money, len(p_money), len(g_money))
    report.relations.add(len(g_links & p_links) + money, len(p_links) + len(p_money), len(g_links) + len(g_money))


def format_report(report: Report, *, details: bool = True) -> str:
    """Per-type figures, misses and extras per document, and the closing line score.py also prints."""
    lines = []
    for name, score in list(report.by_type.items()) + list(report.by_relation.items()):
        lines.append(f"  {name:<13} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  (tp {score.tp}, pred {score.predicted}, gold {score.gold})")
    if details:
        for doc in sorted(report.missed):
            lines.append(f"{doc}")
            lines.append("  missed:   " + ("、".join(report.missed[doc]) or "-"))
            lines.append("  spurious: " + ("、".join(report.spurious[doc]) or "-"))
    e, r = report.entities, report.relations
    lines.append(f"entity P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f} | relation P {r.precision:.3f} R {r.recall:.3f} F1 {r.f1:.3f}")
    return "\n".join(lines)


def merge_reports(reports: Iterable[Report]) -> Report:
    """One report pooling the counts of several (the folds of a cross-validation)."""
    out = Report()
    for report in reports:
        out.entities.add(report.entities.tp, report.entities.predicted, report.entities.gold)
        out.relations.add(report.relations.tp, report.relations.predicted, report.relations.gold)
        for mine, theirs in ((out.by_type, report.by_type), (out.by_relation, report.by_relation)):
            for key, score in theirs.items():
                mine[key].add(score.tp, score.predicted, score.gold)
        out.missed.update(report.missed)
        out.spurious.update(report.spurious)
        out.errors.update(report.errors)
    return out


def mean_scores(reports: list[Report]) -> tuple[float, float]:
    """The mean entity F1 and relation F1 over `reports`, each micro-averaged within itself."""
    return (sum(r.entities.f1 for r in reports) / len(reports), sum(r.relations.f1 for r in reports) / len(reports))
