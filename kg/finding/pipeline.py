"""Mention finding as a declared pipeline: each component proposes mentions (each with its rule id),
and the merge rule that follows it says which mentions found before yield, and why.

The order matters and is the policy: the gazetteer first (head-word names stop at the places it
found), then head words, the lexicon, quotes and lists (each may overrule the head words on the same
span), then the finders that read the names found so far (a brand off a project's name, the place
a project's name opens with, a sibling institution after one that names its place). At the end one
mention stands per span, the earliest component's, and names inside longer ones yield to them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..knowledge import Knowledge
from ..model import Document, Mention, Token
from ..trace import MentionTrace
from . import merge
from .brands import brand_mentions, places_opening_projects
from .captions import caption_companies
from .common import name_like
from .gazetteer import division_mentions
from .heads import headed_mentions
from .lexicon import lexicon_mentions
from .lists import enumerated_mentions
from .policy import policy_packages
from .quotes import quoted_mentions
from .siblings import sibling_institutions


@dataclass(frozen=True)
class Found:
    """What a component reads: the document's text and tokens, the knowledge, and the mentions found before it."""

    text: str
    tokens: list[Token]
    knowledge: Knowledge
    mentions: list[Mention]


Merge = Callable[[str, list[Mention], list[Mention], Knowledge, MentionTrace | None], list[Mention]]


@dataclass(frozen=True)
class Component:
    name: str  # as `kg explain` shows it
    find: Callable[[Found], list[Mention]]
    merge: Merge = merge.append


COMPONENTS: tuple[Component, ...] = (
    Component("gazetteer", lambda f: division_mentions(f.tokens, f.knowledge), merge.settle_divisions),
    Component("heads", lambda f: headed_mentions(f.text, f.tokens, f.knowledge, {m.start: m for m in f.mentions})),
    Component("lexicon", lambda f: lexicon_mentions(f.tokens, f.knowledge), merge.lexicon_programs_over_heads),
    Component("quotes", lambda f: quoted_mentions(f.text, f.knowledge), merge.quotes_over_heads),
    Component("lists", lambda f: enumerated_mentions(f.text, f.tokens, f.knowledge, lambda token: name_like(token, f.knowledge)),
              merge.counted_projects_over_places),
    Component("policy", lambda f: policy_packages(f.text, f.knowledge)),
    Component("brands", lambda f: brand_mentions(f.text, f.mentions, f.tokens, f.knowledge)),
    Component("place_prefix", lambda f: places_opening_projects(f.mentions, f.knowledge)),
    Component("captions", lambda f: caption_companies(f.text, f.knowledge)),
    Component("siblings", lambda f: sibling_institutions(f.text, f.mentions, f.knowledge)),
)


def find_mentions(doc: Document, tokens: list[Token], knowledge: Knowledge, trace: MentionTrace | None = None,
                  components: tuple[Component, ...] = COMPONENTS) -> list[Mention]:
    """Every mention in `doc`, sorted by position; `doc.text[m.start:m.end] == m.text`.
    With `trace`, what each component proposed and what the merge dropped, and why, are recorded in it."""
    note = trace or merge.NO_TRACE
    found: list[Mention] = []
    for component in components:
        proposed = note.propose(component.name, component.find(Found(doc.text, tokens, knowledge, found)))
        found = component.merge(doc.text, found, proposed, knowledge, trace)
    return merge.resolve_overlaps(found, knowledge, trace)
