"""A build: documents in, extraction JSON, an RDF graph, Turtle and the HTML view out."""
from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import rdf
from .annotation import to_annotation
from .documents import MAX_BYTES, Skipped, iter_documents, unreadable
from .errors import SkippedError
from .extract import Extractor, _default_extractor
from .knowledge import Knowledge
from .model import Extraction
from .resolve import EntityTable, ResolvedFact
from .writing import Commit, write_text_atomic


@dataclass
class BuildResult:
    """What a build produced: counts for the summary and the paths written."""

    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    triples: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)


@dataclass
class KnowledgeGraph:
    """The merged result of many extractions: entities, facts, and the sentences they cite."""

    table: EntityTable
    facts: list[ResolvedFact] = field(default_factory=list)
    documents: dict[str, tuple] = field(default_factory=dict)  # doc id → (source, cited sentences, subject IRIs)

    def add(self, extraction: Extraction) -> None:
        facts = self.table.add(extraction)
        cited = {f.sentence for f in facts}
        sentences = tuple(s for s in extraction.sentences if s.index in cited)
        subjects = tuple(sorted({self.table.division_iri(m.code) for m in extraction.mentions if m.code and m.canonical in extraction.subject_places}))
        self.documents[extraction.doc.id] = (extraction.doc.source, sentences, subjects)
        self.facts.extend(facts)

    def to_rdf(self):
        """The RDF graph (rdflib) of everything added so far."""
        graph = rdf.new_graph()
        for entity in self.table.entities():
            rdf.add_entity(graph, entity)
        for child, parent in self.table.division_links():
            rdf.add_division_link(graph, child, parent)
        for doc_id in sorted(self.documents):
            source, sentences, subjects = self.documents[doc_id]
            rdf.add_document(graph, doc_id, source, sentences, subjects)
        for fact in self.facts:
            rdf.add_fact(graph, fact)
        return graph

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities as nodes, relations as edges, with the attributes the HTML view shows."""
        graph = nx.MultiDiGraph()
        sentences = {(doc_id, s.index): s.text.strip() for doc_id, (_, ss, _) in self.documents.items() for s in ss}
        for entity in self.table.entities():
            graph.add_node(entity.iri, label=entity.label, type=entity.type, aliases=sorted(entity.aliases), sources=[], facts=[])
        for child, parent in self.table.division_links():
            graph.add_edge(child, parent, label="locatedIn")
        for fact in self.facts:
            source = (fact.doc_id, sentences.get((fact.doc_id, fact.sentence), ""))
            node = graph.nodes[fact.subject]
            if source not in node["sources"]:
                node["sources"].append(source)
            if fact.predicate == "investment":
                node["facts"].append(f"投资 {fact.amount.wording}")
            elif not graph.has_edge(fact.subject, fact.object, key=fact.predicate):
                graph.add_edge(fact.subject, fact.object, key=fact.predicate, label=fact.predicate)
        return graph


def build(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    *,
    knowledge: Knowledge | None = None,
    html: bool = True,
    jobs: int = 1,
    on_document: Callable[[str], None] | None = None,
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
) -> BuildResult:
    """Build the graph of the reports under `paths` into `out_dir` (graph.ttl, graph.html, extract/).

    With `jobs` > 1, documents are extracted in that many processes; the result is the same.
    Files that cannot be read are skipped and listed in the result; with `strict`, any such file
    is a SkippedError raised before anything is written. Outputs are put in place together at the
    end (kg.writing.Commit): a build that fails or is killed leaves the previous ones as they were.
    """
    paths = list(paths)
    out = Path(out_dir)
    if strict and (skipped := unreadable(paths, max_bytes=max_bytes)):
        raise SkippedError(skipped)
    extractor = _default_extractor() if knowledge is None else Extractor(knowledge)  # jieba loads once per process
    kg = KnowledgeGraph(EntityTable(extractor.knowledge))
    result = BuildResult()
    with Commit() as commit:
        for extraction in extract_all(iter_documents(paths, max_bytes=max_bytes), extractor, jobs):
            if isinstance(extraction, Skipped):
                if strict:  # unreadable since the check above
                    raise SkippedError([extraction])
                result.skipped.append(extraction)
                if on_document:
                    on_document(extraction.path)
                continue
            item = extraction.doc
            write_annotation(extraction, out / "extract", commit)
            kg.add(extraction)
            result.documents += 1
            if on_document:
                on_document(item.id)
        graph = kg.to_rdf()
        with commit.path(out / "graph.ttl") as tmp:
            rdf.serialize(graph, tmp, "turtle")
        result.outputs["turtle"] = out / "graph.ttl"
        if html:
            from .view import render_html
            with commit.path(out / "graph.html") as tmp:
                render_html(kg.to_networkx(), tmp, title="kg")
            result.outputs["html"] = out / "graph.html"
    result.triples = len(graph)
    result.entities = Counter(e.type for e in kg.table.entities())
    result.relations = Counter(f.predicate for f in kg.facts) + Counter({"locatedIn": len(kg.table.division_links())})
    return result


def extract_all(items: Iterable, extractor: Extractor, jobs: int = 1) -> Iterator[Extraction | Skipped]:
    """Extractions in input order, Skipped passed through; in `jobs` worker processes when > 1."""
    if jobs <= 1:
        for item in items:
            yield item if isinstance(item, Skipped) else extractor.extract(item)
        return
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_start_worker, initargs=(extractor.knowledge,)) as pool:
        yield from pool.imap(_extract_in_worker, items, chunksize=2)


_WORKER: Extractor | None = None


def _start_worker(knowledge: Knowledge) -> None:
    global _WORKER  # one extractor per worker process, built once
    _WORKER = Extractor(knowledge)


def _extract_in_worker(item):
    return item if isinstance(item, Skipped) else _WORKER.extract(item)


def write_annotation(extraction: Extraction, folder: Path, commit: Commit | None = None) -> Path:
    """The document's extraction as gold-format JSON, `<doc stem>.json`, written atomically (at `commit`'s end if given)."""
    name = Path(extraction.doc.id).with_suffix(".json").name
    text = json.dumps(to_annotation(extraction), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return commit.write_text(folder / name, text) if commit else write_text_atomic(folder / name, text)
