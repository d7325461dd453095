"""Extraction of one document: a pure function of its text and the loaded knowledge."""
from __future__ import annotations

from functools import lru_cache

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
        """Mentions and facts of `doc`."""
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
