"""Extraction of one document: a pure function of its text and the loaded knowledge."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .convert import simplified_for_matching
from .errors import KnowledgeError
from .knowledge import Knowledge, default_knowledge
from .finding import find_mentions
from .model import Document, Extraction, Fact, Mention, Sentence, Token
from .relations import gazetteer_chain, implements, investments, located_in, operated_by, subject_places
from .learn.model import DEFAULT_MODEL, LearnedModel, has_model
from .segment import Segmenter
from .sentences import split_sentences


class Reading(NamedTuple):
    """A document as the rules read it, before relations: what the learned parts start from."""

    sentences: tuple[Sentence, ...]
    tokens: list[Token]
    mentions: tuple[Mention, ...]


class Extractor:
    """Holds the knowledge and a segmenter built from it; `extract` is safe to call from many processes."""

    def __init__(self, knowledge: Knowledge | None = None, model: Path | str | None = DEFAULT_MODEL):
        """`model` is a folder made by `kg train` (the shipped one by default), or None for the rules alone."""
        self.knowledge = knowledge or default_knowledge()
        self.segmenter = Segmenter(self.knowledge.domain_words())
        self.model_path = Path(model) if model is not None and (model != DEFAULT_MODEL or has_model(model)) else None
        if self.model_path is not None and not has_model(self.model_path):
            raise KnowledgeError(f"{self.model_path}: not a kg model (make one with `kg train`)")
        self._model: LearnedModel | None = None

    def __getstate__(self):
        # the CRFs are C objects: a copy sent to another process loads them again there
        return {"knowledge": self.knowledge, "segmenter": self.segmenter, "model_path": self.model_path}

    def __setstate__(self, state):
        self.knowledge, self.segmenter, self.model_path = state["knowledge"], state["segmenter"], state["model_path"]
        self._model = None

    @property
    def model(self) -> LearnedModel | None:
        """The entity model, loaded on first use (None: the rules alone)."""
        if self._model is None and self.model_path is not None:
            self._model = LearnedModel.load(self.model_path, self.knowledge)
        return self._model

    def extract(self, doc: Document) -> Extraction:
        """Mentions and facts of `doc`; a traditional-Chinese text is matched in simplified form, named as written."""
        simplified = simplified_for_matching(doc.text)
        if simplified is None:
            return self._extract(doc)
        return as_written(self._extract(replace(doc, text=simplified)), doc)

    def reading(self, doc: Document) -> Reading:
        """What the rules read in `doc` (already in simplified characters): sentences, tokens, mentions."""
        sentences = split_sentences(doc.text)
        tokens = self.segmenter.tokens(doc.text)
        return Reading(sentences, tokens, tuple(find_mentions(doc, tokens, self.knowledge)))

    def _extract(self, doc: Document) -> Extraction:
        knowledge = self.knowledge
        text = doc.text
        reading = self.reading(doc)
        sentences = reading.sentences
        # the subject is the division the rules name most: the gazetteer's codes are theirs
        subject = subject_places(reading.mentions, knowledge, doc.id)
        model = self.model
        mentions = model.mentions(text, reading, knowledge, subject) if model else list(reading.mentions)
        facts = rule_facts(text, mentions, sentences, subject, knowledge)
        if model:
            facts = model.facts(text, mentions, sentences, subject, facts, knowledge)
        aliases = sorted({(m.text, m.canonical) for m in mentions if m.canonical and m.canonical != m.text})
        return Extraction(doc, sentences, tuple(mentions), tuple(_unique(facts)), subject, tuple(aliases))


def rule_facts(text: str, mentions: list[Mention], sentences: tuple[Sentence, ...], subject: tuple[str, ...],
               knowledge: Knowledge) -> list[Fact]:
    """The relations the rules read among `mentions`."""
    facts: list[Fact] = []
    facts += located_in(text, mentions, sentences, knowledge)
    facts += gazetteer_chain(mentions, sentences, knowledge)
    facts += operated_by(mentions, sentences)
    facts += implements(text, mentions, sentences, subject, knowledge)
    facts += investments(text, mentions, sentences, subject, knowledge)
    return facts


def as_written(ex: Extraction, doc: Document) -> Extraction:
    """`ex`, read from a same-length simplified copy of `doc`, with every name and sentence in `doc`'s own wording."""
    text = doc.text
    as_in_doc = {m.text: text[m.start:m.end] for m in ex.mentions}
    # A short name's full name (隆基 → …有限公司) is written in the document too: name it that way.
    mentions = tuple(replace(m, text=as_in_doc[m.text], canonical=as_in_doc.get(m.canonical, m.canonical)) for m in ex.mentions)
    written = {(s.text, s.type): m.text for s, m in zip(ex.mentions, mentions)}

    def name(value: str | None, typ: str | None) -> str | None:
        return written.get((value, typ), value)

    facts = tuple(
        replace(
            f, head=name(f.head, f.head_type), tail=name(f.tail, f.tail_type),
            amount=replace(f.amount, wording=text[f.amount.start:f.amount.end]) if f.amount else None,
        )
        for f in ex.facts
    )
    sentences = tuple(replace(s, text=text[s.start:s.end]) for s in ex.sentences)
    aliases = tuple(sorted({(m.text, m.canonical) for m in mentions if m.canonical and m.canonical != m.text}))
    return Extraction(doc, sentences, mentions, facts, ex.subject_places, aliases)


def _unique(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        key = (f.head, f.relation, f.tail, f.amount.yuan if f.amount else None, f.basis)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def extract(doc: Document, knowledge: Knowledge | None = None) -> Extraction:
    """Extract one document with kg's shipped knowledge (or the given one)."""
    extractor = _default_extractor() if knowledge is None else Extractor(knowledge)
    return extractor.extract(doc)


@lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    return Extractor()
