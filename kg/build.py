"""A build: documents in, extraction JSON, an RDF graph, Turtle and the HTML view out.

Documents stream through: each is read, extracted, resolved and written (OUT/extract/<doc>.json and
OUT/shards/<doc>.nq, its own named graph) before the next, in one process or many; nothing of a
document stays in memory after it is written. The shards are then bulk-loaded into OUT/store/
(Oxigraph) and the union of the graphs is written as OUT/graph.ttl.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
from collections import deque
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, XSD

from . import rdf, store
from .annotation import to_annotation
from .documents import Skipped, find_files, read_document
from .errors import InputError
from .iri import document_iri
from .extract import Extractor
from .knowledge import Knowledge
from .model import ENTITY_TYPES, Document, Extraction
from .resolve import EntityTable, ResolvedFact
from .vocab import KGO
from .writing import write_text_atomic


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

    def to_rdf(self, graph=None):
        """The RDF graph (rdflib) of everything added so far; or its triples added to `graph`."""
        graph = rdf.new_graph() if graph is None else graph
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



@dataclass(frozen=True, slots=True)
class DocumentOutput:
    """What one document adds to a build: its extraction JSON and its named graph as N-Quads."""

    doc_id: str
    chars: int
    annotation: str
    nquads: str


def process(doc: Document, extractor: Extractor) -> DocumentOutput:
    """Extract one document and resolve it on its own: a pure function of the text and the knowledge.

    Entities are resolved within the document only (IRIs come from names and codes, never from
    what else is in the build), so adding or replacing documents never changes other documents' triples.
    """
    extraction = extractor.extract(doc)
    kg = KnowledgeGraph(EntityTable(extractor.knowledge))
    kg.add(extraction)
    triples = rdf.TripleList()
    kg.to_rdf(triples)
    text = json.dumps(to_annotation(extraction), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return DocumentOutput(doc.id, len(doc.text), text, rdf.nquads(triples, document_iri(doc.id)))


def process_path(path: Path | str, extractor: Extractor) -> DocumentOutput | Skipped:
    """Read and process one file; a file that cannot be read is a Skipped."""
    try:
        doc = read_document(Path(path))
    except InputError as exc:
        return Skipped(str(path), str(exc))
    return process(doc, extractor)


def build(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    *,
    knowledge: Knowledge | None = None,
    extractor: Extractor | None = None,
    html: bool = True,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    limit: int | None = None,
    update: bool = False,
    on_document: Callable[[DocumentOutput | Skipped], None] | None = None,
) -> BuildResult:
    """Build the graph of the reports under `paths` into `out_dir` (graph.ttl, store/, graph.html, extract/, shards/).

    With `jobs` > 1, documents are extracted in that many processes; with `engine="dask"`, on a Dask
    cluster (`scheduler` address, or a local one). The result is the same. With `update`, the
    documents are added to the existing build (replacing any of the same name) and only they are extracted.
    A ready `extractor` (its dictionary already loaded) may be passed instead of `knowledge`.
    Outputs of a previous build stay intact until the new ones are complete.
    """
    out = Path(out_dir)
    files = find_files(paths)[:limit]
    shards, staging = out / "shards", out / ".shards.new"
    if update and not shards.is_dir():
        raise InputError(f"{out}: no build to update (no shards/ folder); build it first")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    result = BuildResult()
    try:
        extractor = extractor or Extractor(knowledge)
        for output in _outputs(files, extractor, jobs, engine, scheduler):
            if isinstance(output, Skipped):
                result.skipped.append(output)
            else:
                write_text_atomic(staging / "extract" / Path(output.doc_id).with_suffix(".json").name, output.annotation)
                write_text_atomic(staging / _shard_name(output.doc_id), output.nquads)
                result.documents += 1
            if on_document:
                on_document(output)
        _commit(staging, out, shards, update)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _finish(out, shards, result, html)
    return result


def _outputs(files: list[Path], extractor: Extractor, jobs: int, engine: str, scheduler: str | None) -> Iterator[DocumentOutput | Skipped]:
    if engine == "dask":
        from .engines import dask_outputs
        return dask_outputs(files, extractor.knowledge, scheduler=scheduler, workers=jobs)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}; choose local or dask")
    return extract_all(files, extractor, jobs)


def _shard_name(doc_id: str) -> str:
    return Path(doc_id).with_suffix(".nq").name


def _commit(staging: Path, out: Path, shards: Path, update: bool) -> None:
    """Move the new documents' files into place; a fresh build first drops the previous build's documents."""
    if not update and shards.exists():
        shutil.rmtree(shards)
        shutil.rmtree(out / "extract", ignore_errors=True)
    shards.mkdir(parents=True, exist_ok=True)
    (out / "extract").mkdir(exist_ok=True)
    for annotation in (staging / "extract").glob("*.json") if (staging / "extract").exists() else ():
        os.replace(annotation, out / "extract" / annotation.name)
    for shard in staging.glob("*.nq"):
        os.replace(shard, shards / shard.name)


def _finish(out: Path, shards: Path, result: BuildResult, html: bool) -> None:
    """Bulk-load every shard into a new store, swap it in, write graph.ttl (and graph.html) from it."""
    new_store, old_store = out / ".store.new", out / ".store.old"
    for folder in (new_store, old_store):
        shutil.rmtree(folder, ignore_errors=True)
    store.bulk_load(new_store, sorted(shards.glob("*.nq")), union=True)
    prefixes = {prefix: str(ns) for prefix, ns in rdf.PREFIXES.items()} | {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}
    with rdf.atomic_path(out / "graph.ttl") as tmp:
        store.write_turtle(new_store, tmp, prefixes)
    if (out / "store").exists():
        os.replace(out / "store", old_store)
    os.replace(new_store, out / "store")
    shutil.rmtree(old_store, ignore_errors=True)
    result.outputs["store"] = out / "store"
    result.outputs["turtle"] = out / "graph.ttl"
    result.triples = store.count(out / "store")
    result.entities, result.relations = _counts(out / "store")
    if html:
        from .graphview import networkx_from_rdf
        from .view import render_html
        result.outputs["html"] = render_html(networkx_from_rdf(rdf.load_graph(out / "graph.ttl")), out / "graph.html", title="kg")


def _counts(store_path: Path) -> tuple[Counter, Counter]:
    """Entities by type and relations by kind in the whole build, counted in the store's union graph."""
    entities = Counter({kind: store.count(store_path, str(RDF.type), str(KGO[kind])) for kind in ENTITY_TYPES})
    relations = Counter({name: store.count(store_path, str(KGO[name])) for name in ("locatedIn", "operatedBy", "implements")})
    relations["investment"] = store.count(store_path, str(RDF.type), str(KGO.Investment))
    return +entities, +relations


def extract_all(files: Iterable[Path], extractor: Extractor, jobs: int = 1, window: int = 4) -> Iterator[DocumentOutput | Skipped]:
    """Processed documents in input order; in `jobs` worker processes when > 1.

    At most `window` documents per worker are in flight, so memory does not grow with the input
    (Pool.imap would read the whole input ahead).
    """
    if jobs <= 1:
        for path in files:
            yield process_path(path, extractor)
        return
    global _WORKER
    if "fork" in multiprocessing.get_all_start_methods():
        # forked workers share the parent's loaded dictionary (copy-on-write): no start-up per worker
        extractor.segmenter.tokens("")
        _WORKER = extractor
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(None,))
    else:
        pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_start_worker, initargs=(extractor.knowledge,))
    with pool:
        pending: deque = deque()
        for path in files:
            pending.append(pool.apply_async(_process_in_worker, (str(path),)))
            if len(pending) >= window * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_WORKER: Extractor | None = None


def _start_worker(knowledge: Knowledge | None) -> None:
    global _WORKER  # one extractor per worker process, built once (inherited when forked)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    if knowledge is not None:
        _WORKER = Extractor(knowledge)


def _process_in_worker(path: str) -> DocumentOutput | Skipped:
    return process_path(path, _WORKER)


def write_annotation(extraction: Extraction, folder: Path) -> Path:
    """The document's extraction as gold-format JSON, `<doc stem>.json`, written atomically."""
    name = Path(extraction.doc.id).with_suffix(".json").name
    text = json.dumps(to_annotation(extraction), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return write_text_atomic(folder / name, text)
