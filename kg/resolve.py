"""Resolves names to entities across a build: one node per real thing, short and full names joined."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .convert import simplified_name
from .iri import document_iri, entity_iri
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
    tense: str | None = None


_PHASE = re.compile(r"[一二三四五六七八九十\d]+期")  # 一期工程, 二期: a phase of some project, not a name


def _in_its_context(subject: Entity, obj: Entity, context: str) -> bool:
    """May a place the gazetteer does not know, identified by its name and `context` (the IRI of the
    place it lies in, or of the report), be linked into `obj`? Only when `obj` is that place."""
    if subject.type != "Place" or subject.code or not context or obj.type != "Place":
        return True
    return obj.iri == context


class EntityTable:
    """Entities of a build, keyed by ("Place", division code, "") or by (type, canonical name, context IRI)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._entities: dict[tuple[str, str, str], Entity] = {}
        self._resolved: dict[tuple[str, str], Entity] = {}  # the last document added: its names → entities

    def entities(self) -> list[Entity]:
        return sorted(self._entities.values(), key=lambda e: e.iri)

    def add(self, extraction: Extraction) -> list[ResolvedFact]:
        """Take in one document's mentions; return its facts resolved to entity IRIs."""
        doc_id = extraction.doc.id
        contexts = self._contexts(extraction)
        names: dict[tuple[str, str], Entity] = {}
        for m in extraction.mentions:
            entity = self._entity_for(m, contexts.get((m.text, m.type), ""))
            entity.documents.add(doc_id)
            if m.text != entity.label:
                entity.aliases.add(m.text)
            names[(m.text, m.type)] = entity
        self._resolved = names
        for code in sorted({m.code for m in extraction.mentions if m.code}):
            for div in self.knowledge.chain(code)[1:]:
                self._division(div.code)
        facts, stated = [], set()
        for f in extraction.facts:
            if f.basis == "gazetteer":
                continue  # the graph links every division up its chain from the gazetteer itself
            subject = self._lookup(names, f.head, f.head_type)
            obj = self._lookup(names, f.tail, f.tail_type) if f.tail is not None else None
            if subject is None or (f.tail is not None and obj is None):
                continue
            if f.relation == "locatedIn" and obj is not None and not _in_its_context(subject, obj, contexts.get((f.head, f.head_type), "")):
                continue  # a place known by its name and where it lies lies nowhere else: one parent per node
            # one statement per fact and sentence (its IRI says no more): two names of one thing
            # (大连 and 大连市) read by two rules make one fact, under the first rule
            key = (subject.iri, f.relation, obj.iri if obj else None, f.amount.yuan if f.amount else None, f.sentence)
            if key not in stated:
                stated.add(key)
                facts.append(ResolvedFact(subject.iri, f.relation, obj.iri if obj else None, doc_id, f.sentence, f.rule, f.basis, f.amount, f.tense))
        return facts

    def entity_of(self, mention: Mention) -> Entity:
        """The entity a mention of the document last added names, as `add` resolved it (in its context)."""
        return self._resolved[(mention.text, mention.type)]

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

    def _entity_for(self, m: Mention, context: str = "") -> Entity:
        if m.code:
            return self._division(m.code)
        label = m.canonical or m.text
        key = (m.type, label, context)
        if key not in self._entities:
            self._entities[key] = Entity(entity_iri(m.type, label, context=context), m.type, label, subtype=m.subtype)
        return self._entities[key]

    def _contexts(self, extraction: Extraction) -> dict[tuple[str, str], str]:
        """(name, type) → the IRI of the place that tells apart a thing its name alone does not
        identify; a name that is absent needs none (divisions, programs, well-known places, names of their own).

        A place the gazetteer does not know lies where the text puts it (清水河县|清水河镇), else in
        the report's subject place (or, without one, the report itself); so do names relative to
        the report's place (市人民医院) and projects named by a generic head only (一期工程)."""
        home = self._home(extraction)
        parents: dict[str, str] = {}
        for f in extraction.facts:
            if f.relation == "locatedIn" and f.basis == "text" and f.head_type == "Place" and f.tail_type == "Place":
                parents.setdefault(f.head, f.tail)  # one each, after kg.consistency: the first, if not
        places: dict[str, Mention] = {}
        for m in extraction.mentions:
            if m.type == "Place":
                places.setdefault(m.text, m)
        known: dict[str, str] = {}

        def place_iri(m: Mention, seen: frozenset[str]) -> str:
            if m.code:
                return entity_iri("Place", m.text, m.code)
            label = m.canonical or m.text
            if self._landmark(label):
                return entity_iri("Place", label)
            return entity_iri("Place", label, context=context_of(m, seen))

        def context_of(m: Mention, seen: frozenset[str]) -> str:
            if m.text not in known:
                parent = places.get(parents.get(m.text) or parents.get(m.canonical, ""))
                known[m.text] = home if parent is None or parent.text in seen else place_iri(parent, seen | {m.text})
            return known[m.text]

        contexts = {}
        for m in extraction.mentions:
            if m.code or m.type == "Program":
                continue
            if m.type == "Place":
                if not self._landmark(m.canonical or m.text):
                    contexts[(m.text, m.type)] = context_of(m, frozenset({m.text}))
            elif self._not_its_own_name(m.canonical or m.text, m.type):
                contexts[(m.text, m.type)] = home
        return contexts

    def _home(self, extraction: Extraction) -> str:
        """The report's subject division, or the report itself when it has none."""
        for m in extraction.mentions:  # by the division's official name: a traditional text names it as written
            if m.code and self.knowledge.divisions[m.code].name in extraction.subject_places:
                return entity_iri("Place", m.canonical, m.code)
        return document_iri(extraction.doc.id)

    def _landmark(self, name: str) -> bool:
        """A well-known place (landmarks.tsv: 黄河, 长三角), one node for the whole build; known in its
        simplified form (a traditional report names it as written)."""
        return simplified_name(name) in self.knowledge.landmarks

    def _not_its_own_name(self, name: str, typ: str) -> bool:
        """市人民医院, 县委 (the report's own place's), 一期工程, 大数据中心 (a kind, no name): the
        name alone would join different things of different reports."""
        knowledge = self.knowledge
        name = simplified_name(name)  # the knowledge's words are simplified
        if name.startswith(knowledge.relative_openers):
            return True
        if typ != "Project":
            return False
        head = knowledge.head_of(name)
        stem = _PHASE.sub("", name[: len(name) - len(head.word)] if head else name)
        return not stem or knowledge.only_describing(stem)

    def _division(self, code: str) -> Entity:
        key = ("Place", code, "")
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
        return self._entities.get((typ or "", name, ""))
