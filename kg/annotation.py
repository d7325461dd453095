"""Turns an extraction into the gold-annotation JSON of ../shared/gold/GUIDE.md, and back to names."""
from __future__ import annotations

from .model import Extraction


def to_annotation(extraction: Extraction) -> dict:
    """The document's entities (a set of names with types) and relations, in the scorer's format."""
    entities = {}
    for m in extraction.mentions:
        entry = {"text": m.text, "type": m.type}
        if m.subtype:
            entry["subtype"] = m.subtype
        if m.canonical and m.canonical != m.text:
            entry["same_as"] = m.canonical
        entities.setdefault((m.text, m.type), entry)
    relations = []
    for f in extraction.facts:
        if f.relation == "investment" and f.amount is not None:
            rel = {"head": f.head, "rel": "investment", "value": round(f.amount.yi, 6), "unit": "亿元", "wording": f.amount.wording}
        else:
            rel = {"head": f.head, "rel": f.relation, "tail": f.tail}
        if f.basis != "text":
            rel["basis"] = f.basis
        rel["sentence"] = f.sentence
        rel["rule"] = f.rule
        relations.append(rel)
    return {
        "doc": extraction.doc.id,
        "subject_places": list(extraction.subject_places),
        "entities": [entities[k] for k in sorted(entities)],
        "relations": sorted(relations, key=lambda r: (r["rel"], r["head"], str(r.get("tail")), r.get("value", 0))),
    }
