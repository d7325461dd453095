"""The data model every stage reads and writes: documents, sentences, mentions, facts."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ENTITY_TYPES = ("Company", "Project", "Place", "Program", "Organization")
RELATIONS = ("locatedIn", "operatedBy", "implements", "investment")


@dataclass(frozen=True, slots=True)
class Document:
    """One report: its identifier (the file name) and its full text."""

    id: str
    text: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document; `start`/`end` are character offsets into the text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    """A jieba token with its character offsets into the document text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in the text: `doc.text[start:end] == text` always holds."""

    start: int
    end: int
    text: str
    type: str
    subtype: str = ""
    rule: str = ""
    code: str = ""  # administrative-division code, when the gazetteer knows the place
    canonical: str = ""  # the full name this short form stands for (新荣 → 新荣区)


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money: the value in yuan and the wording it came from."""

    yuan: Decimal
    wording: str
    start: int
    end: int

    @property
    def yi(self) -> float:
        """The value in 亿元, the unit the annotation guide uses."""
        return float(self.yuan / Decimal(100_000_000))


@dataclass(frozen=True, slots=True)
class Fact:
    """A relation read from one sentence (or taken from the gazetteer / the document subject).

    `head` and `tail` are names as written; `basis` is "text", "gazetteer" or "subject".
    """

    head: str
    head_type: str
    relation: str
    tail: str | None
    tail_type: str | None
    sentence: int
    rule: str
    basis: str = "text"
    amount: Amount | None = None
    tense: str | None = None  # "done" or "planned" where its clause says so plainly (kg.reports.clause_tense)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document: the output of `kg.extract` (kg/extractor.py)."""

    doc: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...]
    subject_places: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = field(default=())  # (short name, full name) pairs
