"""Extraction of one document: a pure function of its text and the loaded knowledge."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .convert import simplified_for_matching
from .knowledge import Knowledge, default_knowledge
from .mentions import find_mentions
from .model import Document, Extraction, Fact
from .relations import gazetteer_chain, implements, investments, located_in, operated_by, subject_places
from .segment import Segmenter
from .sentences import split_sentences


class Extractor:
    """Holds the knowledge and a segmenter built from it; `extract` is safe to call from many processes."""

    def __init__(self, knowledge: Knowledge | None = None):
        self.knowledge = knowledge or default_knowledge()
        self.segmenter = Segmenter(self.knowledge.domain_words())

    def extract(self, doc: Document) -> Extraction:
        """Mentions and facts of `doc`; a traditional-Chinese text is matched in simplified form, named as written."""
        simplified = simplified_for_matching(doc.text)
        if simplified is None:
            return self._extract(doc)
        return as_written(self._extract(replace(doc, text=simplified)), doc)

    def _extract(self, doc: Document) -> Extraction:
        knowledge = self.knowledge
        text = doc.text
        sentences = split_sentences(text)
        tokens = self.segmenter.tokens(text)
        mentions = find_mentions(doc, tokens, knowledge)
        subject = subject_places(mentions, knowledge)
        facts: list[Fact] = []
        facts += located_in(text, mentions, sentences, knowledge)
        facts += gazetteer_chain(mentions, sentences, knowledge)
        facts += operated_by(mentions, sentences)
        facts += implements(text, mentions, sentences, subject, knowledge)
        facts += investments(text, mentions, sentences, subject, knowledge)
        aliases = sorted({(m.text, m.canonical) for m in mentions if m.canonical and m.canonical != m.text})
        return Extraction(doc, sentences, tuple(mentions), tuple(_unique(facts)), subject, tuple(aliases))


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
