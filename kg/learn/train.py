"""Training the entity model on gold annotations, and cross-validating it by fold.

`train_model` writes a model folder (the same bytes for the same gold); `cross_validate` trains
one model per fold without that fold's documents and scores it on them alone.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Document, Mention
from ..relations import subject_places
from ..writing import write_text_atomic
from .features import character_features
from .gold import GoldDocument, Span, normal_form, place_names
from .model import FORMAT, INNER, META, OUTER, PAIRS, home_of, lexicon_for, trigger_words
from .pairs import NO, YES, features_of, train_pairs
from .tagger import labels_for, train_tagger


@dataclass(frozen=True)
class Example:
    """A gold document made ready for training: its sentences and its names as labelled features."""

    doc: GoldDocument
    sentences: list[tuple[list[list[str]], list[str]]]
    names: list[tuple[list[list[str]], list[str]]]  # each placed gold name, labelled with the names inside it
    pairs: list[tuple[list[str], str]]  # each candidate pair among the gold names, and whether the gold states it
    unplaced: int


def prepare(docs: Iterable[GoldDocument], extractor, progress: Callable[[str], None] = lambda _: None) -> list[Example]:
    """Features and labels of each gold document; `extractor` must be rules-only (its mentions are features)."""
    lexicon = lexicon_for(extractor.knowledge)
    examples = []
    for doc in docs:
        progress(doc.id)
        reading = extractor.reading(Document(doc.id + ".txt", doc.text))
        subject = subject_places(reading.mentions, extractor.knowledge, doc.id)
        feats = character_features(doc.text, reading.tokens, reading.mentions, lexicon, home_of(subject, extractor.knowledge))
        names = [(e["text"], e["type"]) for e in doc.entities if isinstance(e, dict) and "text" in e and "type" in e]
        spans, nested, absent = place_names(doc.text, names)
        labels = labels_for(len(doc.text), spans)
        sentences = [(feats[s.start:s.end], labels[s.start:s.end]) for s in reading.sentences]
        aliases = _aliases(doc.entities)
        inner, mentions = [], []
        for span in spans:
            outer_name = normal_form(doc.text[span.start:span.end])[0]
            inside = [(n, t) for n, t in names if _written_inside(normal_form(n)[0], outer_name, aliases)]
            inner_spans = place_names(doc.text[span.start:span.end], inside)[0]
            inner.append((feats[span.start:span.end], labels_for(span.end - span.start, inner_spans)))
            mentions.append(_gold_mention(doc.text, span))
            mentions += [_gold_mention(doc.text, Span(span.start + s.start, span.start + s.end, s.type)) for s in inner_spans]
        pairs = _pair_examples(doc, sorted(mentions, key=lambda m: (m.start, m.end)), reading, extractor.knowledge)
        examples.append(Example(doc, sentences, inner, pairs, len(absent)))
    return examples


def _gold_mention(text: str, span: Span) -> Mention:
    return Mention(span.start, span.end, text[span.start:span.end], span.type, rule="gold.placed")


def _pair_examples(doc: GoldDocument, mentions: list[Mention], reading, knowledge) -> list[tuple[list[str], str]]:
    """The candidate pairs among the gold's names, labelled by the gold's relations; the rules'
    facts among the same names are features, as they are when the model reads a new document."""
    from ..extractor import rule_facts

    canon = {normal_form(e["text"])[0]: normal_form(e.get("same_as") or e["text"])[0] for e in doc.entities if isinstance(e, dict) and "text" in e}
    key = lambda name: canon.get(normal_form(name)[0], normal_form(name)[0])  # noqa: E731
    stated = {(key(r["head"]), r["rel"], key(r["tail"])) for r in doc.relations if isinstance(r, dict) and r.get("tail")}
    subject = tuple(doc.subject_places[:1])
    facts = rule_facts(doc.text, mentions, reading.sentences, subject, knowledge)
    pairs, features = features_of(doc.text, mentions, reading.sentences, bool(subject), facts, trigger_words(knowledge))
    out = []
    for c, f in zip(pairs, features):
        head = c.head.text if c.head else subject[0]
        out.append((f, YES if (key(head), c.relation, key(c.tail.text)) in stated else NO))
    return out


def _aliases(entities) -> set[frozenset[str]]:
    return {frozenset((normal_form(e["text"])[0], normal_form(e["same_as"])[0])) for e in entities if isinstance(e, dict) and e.get("same_as")}


def _written_inside(inner: str, outer: str, aliases: set[frozenset[str]]) -> bool:
    """Is `inner` a name of its own written inside `outer`? Not when it is `outer`'s short form
    (山西 in 山西省, 云冈 in 云冈区): that is one name, not two."""
    if inner == outer or inner not in outer:
        return False
    return frozenset((inner, outer)) not in aliases and not (outer.startswith(inner) and len(outer) - len(inner) == 1)


def train_model(examples: list[Example], out: Path | str, *, sources: list[str] = ()) -> Path:
    """Train both taggers on `examples` and write the model folder `out` (replaced whole, never half written)."""
    out = Path(out)
    if not examples:
        raise InputError("no gold document to train on")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".kg-model-", dir=out.parent))
    work.chmod(0o755)  # a model folder is read by everyone, like the package it ships in
    try:
        train_tagger((s for ex in examples for s in ex.sentences), work / OUTER)
        train_tagger((s for ex in examples for s in ex.names if any(label != "O" for label in s[1])), work / INNER)
        train_pairs((p for ex in examples for p in ex.pairs), work / PAIRS)
        meta = {
            "format": FORMAT,
            "documents": sorted(ex.doc.id for ex in examples),
            "sources": sorted(sources),
            "gold names not found in their text": sum(ex.unplaced for ex in examples),
        }
        write_text_atomic(work / META, json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            work.rename(out)
            shutil.rmtree(old)
        else:
            work.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


@dataclass(frozen=True)
class FoldResult:
    """One fold's score: a model trained without its documents, scored on them alone."""

    fold: int
    documents: tuple[str, ...]
    report: object  # kg.evaluate.Report
    rules: object  # the rules alone on the same documents


def score_on(extractor, docs: Iterable[GoldDocument]):
    """`extractor`'s reading of the gold documents `docs`, scored against their gold (a kg.evaluate.Report)."""
    from ..annotation import to_annotation
    from ..evaluate import score_documents

    return score_documents((d.id, {"entities": list(d.entities), "relations": list(d.relations)},
                            to_annotation(extractor.extract(Document(d.id + ".txt", d.text)))) for d in docs)


def cross_validate(examples: list[Example], knowledge, *, also: Sequence[Example] = (),
                   progress: Callable[[str], None] = lambda _: None) -> list[FoldResult]:
    """For each fold, train on the other folds' documents and score on this fold's, beside the rules alone.

    `also` are documents every fold trains on and none is scored on (annotated reports outside the
    folds); they must share no document with `examples`.
    """
    from ..extractor import Extractor

    folds = sorted({ex.doc.fold for ex in examples})
    if len(folds) < 2:
        raise InputError("cross-validation needs documents in at least two folds (a folds.tsv beside the gold files)")
    shared = {ex.doc.id for ex in also} & {ex.doc.id for ex in examples}
    if shared:
        raise InputError(f"documents both in the folds and trained on by every fold: {', '.join(sorted(shared))}")
    rules = Extractor(knowledge, model=None)
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
        for fold in folds:
            held_out = [ex for ex in examples if ex.doc.fold == fold]
            progress(f"fold {fold}: training on {len(examples) - len(held_out) + len(also)} documents")
            path = train_model([ex for ex in examples if ex.doc.fold != fold] + list(also), Path(tmp) / f"fold-{fold}")
            learned = Extractor(knowledge, model=path)
            progress(f"fold {fold}: scoring {len(held_out)} documents")
            docs = [ex.doc for ex in held_out]
            results.append(FoldResult(fold, tuple(d.id for d in docs), score_on(learned, docs), score_on(rules, docs)))
    return results
