"""Resolves names to entities across a build: one node per real thing, short and full names joined."""
from __future__ import annotations

from dataclasses import dataclass, field

from .iri import entity_iri
from .knowledge import Knowledge
from .model import Amount, Extraction, Mention


@dataclass
class Entity:
    """A thing in the graph, with every name it goes by and the documents that name it."""

    iri: str
    type: str
    label: str
    code: str = ""
    subtype: str = ""
    aliases: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ResolvedFact:
    """A fact between entities (or an entity and an amount), with the sentence it came from."""

    subject: str
    predicate: str
    object: str | None
    doc_id: str
    sentence: int
    rule: str
    basis: str
    amount: Amount | None = None


class EntityTable:
    """Entities of a build, keyed by division code or by (type, canonical name)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._entities: dict[tuple[str, str], Entity] = {}

    def entities(self) -> list[Entity]:
        return sorted(self._entities.values(), key=lambda e: e.iri)

    def add(self, extraction: Extraction) -> list[ResolvedFact]:
        """Take in one document's mentions; return its facts resolved to entity IRIs."""
        doc_id = extraction.doc.id
        names: dict[tuple[str, str], Entity] = {}
        for m in extraction.mentions:
            entity = self._entity_for(m)
            entity.documents.add(doc_id)
            if m.text != entity.label:
                entity.aliases.add(m.text)
            names[(m.text, m.type)] = entity
        for code in sorted({m.code for m in extraction.mentions if m.code}):
            for div in self.knowledge.chain(code)[1:]:
                self._division(div.code)
        facts = []
        for f in extraction.facts:
            if f.basis == "gazetteer":
                continue  # the graph links every division up its chain from the gazetteer itself
            subject = self._lookup(names, f.head, f.head_type)
            obj = self._lookup(names, f.tail, f.tail_type) if f.tail is not None else None
            if subject is None or (f.tail is not None and obj is None):
                continue
            facts.append(ResolvedFact(subject.iri, f.relation, obj.iri if obj else None, doc_id, f.sentence, f.rule, f.basis, f.amount))
        return facts

    def entity_of(self, mention: Mention) -> Entity:
        """The entity a mention names (as add resolved it)."""
        return self._entity_for(mention)

    def division_links(self) -> list[tuple[str, str]]:
        """(child IRI, parent IRI) for every division in the build."""
        links = []
        for entity in self.entities():
            if entity.code:
                parent = self.knowledge.divisions[entity.code].parent
                if parent:
                    links.append((entity.iri, self._division(parent).iri))
        return links

    def division_iri(self, code: str) -> str:
        return self._division(code).iri

    def _entity_for(self, m: Mention) -> Entity:
        if m.code:
            return self._division(m.code)
        label = m.canonical or m.text
        key = (m.type, label)
        if key not in self._entities:
            self._entities[key] = Entity(entity_iri(m.type, label), m.type, label, subtype=m.subtype)
        return self._entities[key]

    def _division(self, code: str) -> Entity:
        key = ("Place", code)
        if key not in self._entities:
            div = self.knowledge.divisions[code]
            self._entities[key] = Entity(entity_iri("Place", div.name, code), "Place", div.name, code, div.subtype)
        return self._entities[key]

    def _lookup(self, names, name: str | None, typ: str | None) -> Entity | None:
        if name is None:
            return None
        if (name, typ) in names:
            return names[(name, typ)]
        for entity in names.values():
            if entity.label == name and (typ is None or entity.type == typ):
                return entity
        if typ == "Place" and name in self.knowledge.by_name:
            return self._division(self.knowledge.by_name[name][0].code)
        key = (typ or "", name)
        return self._entities.get(key)
