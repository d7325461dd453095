"""How the learned extractor's cross-validated F1 grows with the annotated documents it learns from.

    python tools/learning_curve.py ../shared/gold/corpus [--sizes 1,2,3,4] [--jobs 2]

Each fold of the gold's five is scored by models trained on the k folds that follow it (k of
--sizes; k = 4 is `kg eval --cv 5`), so every point is cross-validated: no fold is ever scored by a
model made with its own gold. Prints, for each k, the mean entity and relation F1 over the five
folds and the pooled F1 of each type, then a straight line through F1 against log2(documents) and
the number of training documents that line puts at a target F1 (0.75 and 0.80 for the mean entity
F1, 0.70 for each type's). The line is a projection, not a
promise: learning curves flatten, so the documents it names are a lower bound.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.evaluate import mean_scores, merge_reports  # noqa: E402
from kg.errors import InputError  # noqa: E402
from kg.extractor import Extractor  # noqa: E402
from kg.knowledge import default_knowledge  # noqa: E402
from kg.learn.gold import load_gold  # noqa: E402
from kg.learn.train import prepare, score_on, train_model  # noqa: E402

FOLDS = 5
TARGETS = (0.75, 0.80)  # entity F1: issue 13's bars for unseen reports and for cross-validation
TYPE_TARGET = 0.70  # issue 13's bar for each type
_STATE: dict = {}


def training_folds(held_out: int, k: int) -> set[int]:
    """The k folds after `held_out`, wrapping round: each fold is trained on a different set."""
    return {(held_out + step) % FOLDS for step in range(1, k + 1)}


def _score_one(job: tuple[int, int]):
    """Train on k folds, score the held-out one: (k, fold, training documents, report)."""
    k, held_out = job
    examples, knowledge = _STATE["examples"], _STATE["knowledge"]
    train = [ex for ex in examples if ex.doc.fold in training_folds(held_out, k)]
    with tempfile.TemporaryDirectory(prefix="kg-curve-") as tmp:
        model = train_model(train, Path(tmp) / "model")
        report = score_on(Extractor(knowledge, model=model), [ex.doc for ex in examples if ex.doc.fold == held_out])
    return k, held_out, len(train), report


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares F1 = a + b·log2(documents): (a, b)."""
    xs = [math.log2(n) for n, _ in points]
    ys = [f for _, f in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path, help="annotated corpus with a folds.tsv (../shared/gold/corpus)")
    parser.add_argument("--sizes", default="1,2,3,4", help="numbers of folds to train on (1-4)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = sorted({int(k) for k in args.sizes.split(",")})
    if not all(1 <= k < FOLDS for k in sizes):
        parser.error(f"--sizes: numbers of folds from 1 to {FOLDS - 1}")
    try:
        docs = load_gold(args.gold, folds=FOLDS)
    except InputError as error:
        parser.error(str(error))
    if {d.fold for d in docs} != set(range(FOLDS)):
        parser.error(f"{args.gold}: the learning curve needs documents in each of {FOLDS} folds (folds.tsv)")
    print(f"reading {len(docs)} documents with the rules (the taggers' features)...", file=sys.stderr)
    _STATE["examples"] = prepare(docs, Extractor(model=None))
    _STATE["knowledge"] = default_knowledge()
    jobs = [(k, fold) for k in sizes for fold in range(FOLDS)]
    results: dict[int, list] = {k: [None] * FOLDS for k in sizes}
    documents: dict[int, list[int]] = {k: [] for k in sizes}
    # forked workers share the prepared examples; each trains and scores one (k, fold)
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for done, (k, fold, n, report) in enumerate(pool.imap_unordered(_score_one, jobs), 1):
            results[k][fold] = report
            documents[k].append(n)
            print(f"{done}/{len(jobs)}: {k} fold(s), fold {fold} held out", file=sys.stderr)
    points = []
    by_type: dict[str, list[tuple[float, float]]] = {}
    print("folds  train docs  entity F1  relation F1  | pooled F1 by type")
    for k in sizes:
        entity, relation = mean_scores(results[k])
        mean_docs = sum(documents[k]) / FOLDS
        points.append((mean_docs, entity))
        pooled = merge_reports(results[k])
        for t, s in pooled.by_type.items():
            by_type.setdefault(t, []).append((mean_docs, s.f1))
        types = "  ".join(f"{t} {s.f1:.3f}" for t, s in pooled.by_type.items())
        print(f"{k:>5}  {mean_docs:>10.1f}  {entity:>9.4f}  {relation:>11.4f}  | {types}")
    if len(points) >= 2:
        a, b = fit_line(points)
        print(f"entity F1 ≈ {a:.3f} + {b:.4f}·log2(training documents): {b:+.3f} for each doubling")
        for target in TARGETS:
            print(f"  entity F1 {target:.2f} at {_documents_at(target, a, b)}")
        for t, type_points in by_type.items():
            a, b = fit_line(type_points)
            print(f"  {t} F1 {TYPE_TARGET:.2f} at {_documents_at(TYPE_TARGET, a, b)} ({b:+.3f} for each doubling)")


def _documents_at(target: float, a: float, b: float) -> str:
    """Where the line a + b·log2(documents) reaches `target`, in words."""
    if b <= 0:
        return "no number of training documents (the line does not rise)"
    return f"about {2 ** ((target - a) / b):,.0f} training documents (a lower bound)"


if __name__ == "__main__":
    main()
