"""Facts checked against the gazetteer and the place tree before they are resolved.

A step of its own after extraction (any extractor's facts go through it): a locatedIn fact read
from the text is not written when the gazetteer (GB/T 2260, kg/data/divisions.tsv) says otherwise,
or when it would give a place a second parent place or close a loop of places. Each fact left out
is a Refusal, with its reason, so that a build can count them and name their sentences.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .convert import simplified_name
from .knowledge import Division, Knowledge
from .model import Extraction, Fact

# Refusals that contradict the gazetteer, and the others (they keep places a tree).
CONTRADICTIONS = ("itself", "lower", "elsewhere", "placed")
REASONS = {
    "itself": "puts a place inside itself",
    "lower": "puts a division under a lower or equal-level division",
    "elsewhere": "puts a division under one the gazetteer places elsewhere",
    "placed": "the gazetteer places this division, and not there",
    "skips": "the gazetteer places it there through a division in between",
    "landmark": "a well-known place (rivers, regions) lies in no one report's place",
    "second": "a second place for a place this report already placed",
    "cycle": "would make a loop of places",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """A fact not written, why (a key of REASONS) and what the gazetteer says instead."""

    fact: Fact
    reason: str
    detail: str = ""

    @property
    def contradicts_gazetteer(self) -> bool:
        return self.reason in CONTRADICTIONS


def consistent(extraction: Extraction, knowledge: Knowledge) -> tuple[Extraction, tuple[Refusal, ...]]:
    """The extraction without the locatedIn facts between places that the gazetteer contradicts or
    that would break the place tree (per document: one parent place each, no loop); and those facts."""
    codes = _place_codes(extraction)
    for fact in extraction.facts:  # a name no mention has (another extractor's): the gazetteer's, as kg.resolve reads it
        for name in (fact.head, fact.tail):
            if name is not None and name not in codes and name in knowledge.by_name:
                codes[name] = knowledge.by_name[name][0].code
    landmarks = {m.text for m in extraction.mentions if m.type == "Place" and simplified_name(m.canonical or m.text) in knowledge.landmarks}
    landmarks |= {f.head for f in extraction.facts if simplified_name(f.head) in knowledge.landmarks}
    kept: list[Fact] = []
    refused: list[Refusal] = []
    parent: dict[str, str] = {}  # uncoded place → the one place this report puts it in
    for fact in extraction.facts:
        if not _between_places(fact):
            kept.append(fact)
            continue
        refusal = _against_gazetteer(fact, codes, knowledge) or _against_tree(fact, codes, landmarks, parent)
        if refusal is not None:
            refused.append(refusal)
            continue
        if not codes.get(fact.head):
            parent[fact.head] = fact.tail
        kept.append(fact)
    if not refused:
        return extraction, ()
    return replace(extraction, facts=tuple(kept)), tuple(refused)


def _between_places(fact: Fact) -> bool:
    return (fact.relation == "locatedIn" and fact.basis == "text" and fact.head_type == "Place"
            and fact.tail is not None and fact.tail_type == "Place")


def _place_codes(extraction: Extraction) -> dict[str, str]:
    """Each place name of the document → its division code ('' when the gazetteer does not know it)."""
    codes: dict[str, str] = {}
    for m in extraction.mentions:
        if m.type == "Place" and not codes.get(m.text):
            codes[m.text] = m.code
    return codes


def _against_gazetteer(fact: Fact, codes: dict[str, str], knowledge: Knowledge) -> Refusal | None:
    head_code, tail_code = codes.get(fact.head, ""), codes.get(fact.tail, "")
    if fact.head == fact.tail or (head_code and head_code == tail_code):
        return Refusal(fact, "itself")
    if not head_code:
        return None  # the gazetteer does not know the place: the text is all there is
    head = knowledge.divisions[head_code]
    chain = knowledge.chain(head_code)
    where = f"GB/T 2260: {_chain_text(chain)}"
    if not tail_code:
        return Refusal(fact, "placed", where)
    tail = knowledge.divisions[tail_code]
    if head_code in {d.code for d in knowledge.chain(tail_code)} or _rank(tail) >= _rank(head):
        return Refusal(fact, "lower", f"{where}; {_chain_text(knowledge.chain(tail_code))}")
    ancestors = [d.code for d in chain[1:]]
    if tail_code not in ancestors:
        return Refusal(fact, "elsewhere", f"{where}; {_chain_text(knowledge.chain(tail_code))}")
    if tail_code != head.parent:
        return Refusal(fact, "skips", where)
    return None


def _against_tree(fact: Fact, codes: dict[str, str], landmarks: set[str], parent: dict[str, str]) -> Refusal | None:
    if fact.head in landmarks:
        return Refusal(fact, "landmark")
    if codes.get(fact.head):
        return None  # its parent is the gazetteer's (checked above)
    if fact.head in parent:
        return None if parent[fact.head] == fact.tail else Refusal(fact, "second", f"already in {parent[fact.head]}")
    place = fact.tail
    while place != fact.head and place in parent:  # up the places this report already put in one another (no loop yet)
        place = parent[place]
    return Refusal(fact, "cycle") if place == fact.head else None


def _rank(div: Division) -> int:
    return {"province": 0, "city": 1, "county": 2}[div.level]


def _chain_text(chain: list[Division]) -> str:
    """新荣区 < 大同市 < 山西省"""
    return " < ".join(d.name for d in chain)


# refused.tsv, one refusal a line (a build writes it; sorted, so the same build gives the same bytes)
REFUSED_COLUMNS = ("document", "sentence", "reason", "contradicts_gazetteer", "head", "relation", "tail", "rule", "detail", "text")


def refusal_annotation(refusal: Refusal, extraction: Extraction) -> dict:
    """A refusal as an entry of the document's extraction JSON ("refused"), with its sentence's text."""
    fact = refusal.fact
    text = next((s.text.strip() for s in extraction.sentences if s.index == fact.sentence), "")
    return {"head": fact.head, "rel": fact.relation, "tail": fact.tail, "sentence": fact.sentence, "rule": fact.rule,
            "reason": refusal.reason, "detail": refusal.detail, "text": text}


def refusal_row(doc_id: str, entry: dict) -> tuple[str, ...]:
    """A line of refused.tsv from an entry of an extraction JSON's "refused" list (tabs and newlines made spaces)."""
    cells = (doc_id, str(entry["sentence"]), entry["reason"], "yes" if entry["reason"] in CONTRADICTIONS else "no",
             entry["head"], entry["rel"], entry["tail"] or "", entry["rule"], entry.get("detail", ""), entry.get("text", ""))
    return tuple(" ".join(str(c).split()) for c in cells)


def refused_tsv(rows) -> str:
    """refused.tsv's text: the header, then the rows sorted by document and sentence."""
    ordered = sorted(rows, key=lambda r: (r[0], int(r[1]), r[2:]))
    return "".join("\t".join(r) + "\n" for r in [REFUSED_COLUMNS, *ordered])
