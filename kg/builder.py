"""A build: documents in, extraction JSON, an RDF graph, Turtle and the HTML view out.

Documents stream through: each is read, extracted, resolved and written (OUT/extract/<doc>.json and
OUT/shards/<doc>.nq, its own named graph) before the next, in one process or many; nothing of a
document stays in memory after it is written. Their union is bulk-loaded into OUT/store/ (Oxigraph)
as the documents come, linked across documents, and written as OUT/graph.ttl; each document's own
named graph is its shard (the store holds the union alone: a third of the load's work). A build
without a store (`load_store=False`) links and counts from the documents, and leaves the store to
its first query (kg.store.graph_source).
"""
from __future__ import annotations

import bisect
import contextlib
import gc
import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD
from rdflib.namespace import DCTERMS

from . import linking, rdf, store, turtle
from .annotation import to_annotation
from .consistency import consistent, refusal_annotation, refusal_row, refused_tsv
from .documents import MAX_BYTES, Skipped, Source, find_sources, output_stem, read_document, unreadable
from .errors import GraphError, InputError, SkippedError
from .extractor import Extractor, _default_extractor
from .iri import document_iri
from .knowledge import Knowledge
from .model import ENTITY_TYPES, Document, Extraction
from .reports import Report, dated, read_report
from .resolve import EntityTable, ResolvedFact
from .vocab import KGO
from .writing import Commit, Staging, write_text_atomic

@dataclass
class BuildResult:
    """What a build produced: counts for the summary and the paths written."""

    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    triples: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    updated: bool = False  # an --update: `documents` were added or replaced, `in_build` is the build's total
    in_build: int = 0
    refused: Counter = field(default_factory=Counter)  # facts not written, by reason (kg.consistency.REASONS)
    without_year: int = 0  # documents of the build whose year could not be read (no dcterms:date)
    # where graph.ttl was written from: "documents" (their statements, kg/turtle.py), or "store: <why>"
    turtle_source: str = ""
    stored: bool = True  # whether store/ was written (not with load_store=False, unless graph.ttl needed it)
    # where the wall time went: moments (time.time()) of the build's steps, in order — start, ready
    # (dictionaries loaded), first and last (documents written), loaded (the store's last load
    # ended), linked, turtle (graph.ttl and graph.html written), counted, end (outputs in place) —
    # and store_load, the seconds the store's loads took (beside the extraction, mostly)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class KnowledgeGraph:
    """The merged result of many extractions: entities, facts, and the sentences they cite."""

    table: EntityTable
    facts: list[ResolvedFact] = field(default_factory=list)
    # doc id → (source, cited sentences, subject IRIs, (sentence index, IRI) of names without a fact)
    documents: dict[str, tuple] = field(default_factory=dict)
    # doc id → (what the report states of itself, its issuer's IRI or None)
    reports: dict[str, tuple[Report, str | None]] = field(default_factory=dict)

    def add(self, extraction: Extraction, report: Report | None = None) -> None:
        """Take in one document's extraction (its facts dated: see `dated`), with its report metadata when read."""
        facts = self.table.add(extraction)
        doc_id = extraction.doc.id
        if report is not None:
            issuer = None
            if report.issuer:  # its division, and the divisions above it, are nodes of the document's graph
                for div in self.table.knowledge.chain(report.issuer):
                    self.table.division_iri(div.code)
                issuer = self.table.division_iri(report.issuer)
            self.reports[doc_id] = (report, issuer)
        named = self._named_without_fact(extraction, facts)
        cited = {f.sentence for f in facts} | {index for index, _ in named}
        sentences = tuple(s for s in extraction.sentences if s.index in cited)
        subjects = tuple(sorted({self.table.division_iri(m.code) for m in extraction.mentions if m.code and m.canonical in extraction.subject_places}))
        self.documents[extraction.doc.id] = (extraction.doc.source, sentences, subjects, named)
        self.facts.extend(facts)

    def _named_without_fact(self, extraction: Extraction, facts: list[ResolvedFact]) -> tuple[tuple[int, str], ...]:
        """The first sentence naming each entity that the document states no fact of (kgo:namedIn): so
        every entity has a sentence it was read from, not only a document."""
        in_facts = {f.subject for f in facts} | {f.object for f in facts if f.object}
        starts = [s.start for s in extraction.sentences]
        first: dict[str, int] = {}
        for m in sorted(extraction.mentions, key=lambda m: m.start):
            iri = self.table.entity_of(m).iri
            if iri not in in_facts and iri not in first and starts:
                first[iri] = extraction.sentences[max(0, bisect.bisect_right(starts, m.start) - 1)].index
        return tuple(sorted((index, iri) for iri, index in first.items()))

    def to_rdf(self, graph=None, terms=rdf.RDFLIB):
        """The RDF graph (rdflib) of everything added so far; or its triples, made by `terms`, added to `graph`."""
        graph = rdf.new_graph() if graph is None else graph
        for entity in self.table.entities():
            rdf.add_entity(graph, entity, terms)
        for child, parent in self.table.division_links():
            rdf.add_division_link(graph, child, parent, terms)
        for doc_id in sorted(self.documents):
            source, sentences, subjects, named = self.documents[doc_id]
            rdf.add_document(graph, doc_id, source, sentences, subjects, terms, named=named)
        for doc_id, (report, issuer) in sorted(self.reports.items()):
            rdf.add_report(graph, doc_id, report, issuer, terms)
        for fact in self.facts:
            rdf.add_fact(graph, fact, terms, tense=fact.tense)
        return graph


@dataclass(frozen=True, slots=True)
class DocumentOutput:
    """What one document adds to a build: its extraction JSON and its named graph as N-Quads."""

    doc_id: str
    chars: int
    annotation: str
    nquads: str
    refused: tuple[tuple[str, ...], ...] = ()  # rows of refused.tsv (see REFUSED_COLUMNS)
    turtle_part: turtle.TurtlePart | None = None  # its statements as graph.ttl writes them (kg/turtle.py)
    company_names: tuple[tuple[str, str, str], ...] = ()  # its companies' names, to link across documents without a store


def process(doc: Document, extractor: Extractor) -> DocumentOutput:
    """Extract one document and resolve it on its own: a pure function of the text and the knowledge.

    Entities are resolved within the document only (IRIs come from names and codes, never from
    what else is in the build), so adding or replacing documents never changes other documents' triples.
    """
    extraction, refused = consistent(extractor.extract(doc), extractor.knowledge)
    kg = KnowledgeGraph(EntityTable(extractor.knowledge))
    report = read_report(doc.text, extractor.knowledge)
    kg.add(dated(extraction, extractor.segmenter, extractor.knowledge), report)
    quads = kg.to_rdf(rdf.NQuads(document_iri(doc.id)), rdf.NTRIPLES)
    annotation = to_annotation(extraction)
    annotation["report"] = report.as_dict()  # what the report states of itself (kg/reports.py)
    if refused:  # what was read but not written, and why: kept with the rest of what was read
        annotation["refused"] = [refusal_annotation(r, extraction) for r in refused]
    text = json.dumps(annotation, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    rows = tuple(refusal_row(doc.id, entry) for entry in annotation.get("refused", ()))
    part = turtle.document_part(quads.triples(), turtle_prefixes())
    names = linking.company_names(quads.triples())
    return DocumentOutput(doc.id, len(doc.text), text, quads.text(), rows, part, names)


def process_path(path: Path | str | Source, extractor: Extractor, max_bytes: int = MAX_BYTES) -> DocumentOutput | Skipped:
    """Read and process one file (a Source: with its document id; else the id is its name); a file that cannot be read is a Skipped."""
    source = path if isinstance(path, Source) else Source(Path(path), Path(path).name)
    try:
        doc = read_document(source.path, max_bytes=max_bytes, doc_id=source.doc_id)
    except InputError as exc:
        return Skipped(str(source.path), str(exc))
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
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
    on_document: Callable[[DocumentOutput | Skipped], None] | None = None,
    load_store: bool | None = None,
) -> BuildResult:
    """Build the graph of the reports under `paths` into `out_dir` (graph.ttl, store/, graph.html, extract/, shards/).

    With `jobs` > 1, documents are extracted in that many processes; with `engine="dask"`, on a Dask
    cluster (`scheduler` address, or a local one). The result is the same. With `update`, the
    documents are added to the existing build (replacing any of the same name) and only they are extracted.
    A ready `extractor` (its dictionary already loaded) may be passed instead of `knowledge`.
    Files that cannot be read are skipped and listed in the result; with `strict`, any such file is
    a SkippedError raised before anything is written. Every output is written beside its target
    first and put in place at the end (kg.writing.Commit): a build that fails or is killed leaves
    the previous outputs as they were.

    With `load_store` false, no store/ is written (a previous one goes): graph.ttl, the links across
    documents and the summary's counts come from the documents alone, and the first query, serve,
    validate or view of the build loads the store from its shards (kg.store.graph_source). Left
    None, the build loads it when a core is free for it (`loads_store_while_building`).
    """
    out = Path(out_dir)
    files = find_sources(paths, limit)  # an InputError when two files would be one document
    if load_store is None:
        load_store = loads_store_while_building(jobs, scheduler, update)
    if update and not load_store:
        raise InputError("an update writes graph.ttl from the build's store: update without --no-store")
    if update:
        if not store.is_store(out / "store") and (out / "shards").is_dir():
            store.load_build_store(out)  # a build made without one
        files = _known_ids(out / "store", files)
    if strict and (skipped := unreadable(files, max_bytes=max_bytes)):
        raise SkippedError(skipped)
    shards, staging = out / "shards", out / ".shards.new"
    if update and not shards.is_dir():
        raise InputError(f"{out}: no build to update (no shards/ folder); build it first")
    _recover_store(out)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "extract").mkdir(parents=True)
    except OSError as exc:  # --out names a file, or a folder we may not write
        raise GraphError(f"{out}: cannot write: {exc.strerror or exc}") from None
    result = BuildResult(updated=update)
    mark = result.timings.setdefault
    mark("start", time.time())
    new_store = out / ".store.new"
    shutil.rmtree(new_store, ignore_errors=True)
    refused: dict[str, tuple] = {}  # document → its rows of refused.tsv
    staged = None
    workers = contextlib.ExitStack()
    # graph.ttl from the documents' statements, written where they were extracted (kg/turtle.py)
    turtle_writer = turtle.TurtleWriter(turtle_prefixes(), spill=staging / "graph.ttl.statements")
    try:
        extractor = extractor or (_default_extractor() if knowledge is None else Extractor(knowledge))  # jieba loads once per process
        if engine == "local":
            extractor.segmenter.tokens("")  # the dictionaries, loaded now: before the collector is told to skip them
        # During the build the objects that were there before it (the dictionaries: millions) are
        # left out of the cyclic collector's full passes, which went through them again and again
        # (0.17 s of a 7 s build of 30 reports); forked workers then do not copy their pages either.
        gc.freeze()
        # the worker processes start before this build's own threads (worker_pool says why)
        pool = workers.enter_context(worker_pool(extractor, jobs)) if engine == "local" and jobs > 1 else None
        staged = Staging()  # the documents' JSON and shards, synced to disk by a thread beside the build
        mark("ready", time.time())
        names: set[tuple[str, str, str]] = set()  # the companies' names, for the links without a store
        with _shard_loader(new_store, load_store) as loader:
            for output in _outputs(files, extractor, jobs, engine, scheduler, max_bytes, pool):
                if isinstance(output, Skipped):
                    if strict:  # unreadable since the check above
                        raise SkippedError([output])
                    result.skipped.append(output)
                else:
                    staged.write_text(staging / "extract" / f"{output_stem(output.doc_id)}.json", output.annotation)
                    staged.write_text(staging / _shard_name(output.doc_id), output.nquads)
                    refused[output.doc_id] = output.refused
                    loader.add(output.nquads.encode())
                    turtle_writer.add(output.turtle_part)
                    names.update(output.company_names)
                    result.documents += 1
                    mark("first", time.time())
                if on_document:
                    on_document(output)
            workers.close()  # their memory back before the store's last load and graph.ttl
            for shard in _kept_shards(shards, staging, update):
                loader.add(shard.read_bytes())
                turtle_writer.give_up("an --update keeps documents extracted before it")
            mark("last", time.time())
        staged.close()
        mark("loaded", time.time())
        result.timings["store_load"] = loader.seconds
        with Commit() as commit:
            if not load_store:
                try:
                    _write_without_store(out, result, html, commit, turtle_writer, linking.links_from_names(names), mark)
                except turtle.UnsupportedTerm:  # graph.ttl can only come from a store, after all
                    load_store = True
                    store.load_shards(new_store, sorted(staging.glob("*.nq")))
            if load_store:
                _write_from_store(out, new_store, result, html, commit, turtle_writer, mark)
            _write_refused(out, staging, refused, update, result, commit)
            mark("counted", time.time())
            # after the hold for tests, before graph.ttl and graph.html: documents, then the store
            # (without one, the old store goes first: a build cut short between the two then
            # loads one from the shards on its first query, never the old one's answers)
            if not load_store:
                commit.defer(lambda: _drop_store(out))
            commit.defer(lambda: _place_documents(staging, out, shards, update))
            if load_store:
                commit.defer(lambda: _swap_store(out, new_store))
    finally:
        workers.close()
        if staged is not None:
            staged.close(check=False)  # its thread ended before the staging folder goes (a no-op after close())
        gc.unfreeze()  # the host process's collector as it was
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(new_store, ignore_errors=True)
    result.stored = load_store
    if load_store:
        result.outputs["store"] = out / "store"
    mark("end", time.time())
    return result


def loads_store_while_building(jobs: int = 1, scheduler: str | None = None, update: bool = False) -> bool:
    """Whether a build loads its store as it goes, when not told: yes where the extraction leaves
    this machine a core for the store's loads (fewer local workers than cores, or a remote Dask
    cluster), and for an update, which writes graph.ttl from the store; no where the workers take
    every core: the loads would compete with them, and the build's first use loads the same store
    from the shards in seconds (`make bench`, two workers on two cores: 1.5x as fast as one worker
    with the store loading beside them, 1.8x without it)."""
    return update or scheduler is not None or jobs < _cores()


def _cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _shard_loader(new_store: Path, load_store: bool):
    """The store's loader while documents come (a thread of its own); without a store, one that loads nothing."""
    if load_store:
        # pyoxigraph parses without holding the GIL, so the loads go to another core instead of
        # coming after the last document; only the union, into the default graph: what every
        # query, graph.ttl and the view read (the documents' named graphs too would be three times
        # the load's CPU; they are the shards)
        return store.ShardLoader(new_store, union=True, named=False, background=True, lenient=True)
    return _NoLoad()


class _NoLoad(contextlib.nullcontext):
    seconds = 0.0

    def __enter__(self):
        return self

    def add(self, nquads: bytes) -> None:
        pass


def _write_from_store(out: Path, new_store: Path, result: BuildResult, html: bool, commit: Commit,
                      turtle_writer: turtle.TurtleWriter, mark) -> None:
    """graph.ttl and graph.html, the documents linked in the store, and the summary's counts read from it."""
    with store.opened(new_store) as built:  # opened once: each opening costs as much as the counts
        links = linking.link_short_names(built)  # across reports: 恒信 in one, 芜湖恒信…有限公司 (恒信) in another
        mark("linked", time.time())
        # The counts read the store (Oxigraph, without the GIL) while graph.ttl is written:
        # after the last document, only the longer of the two is waited for.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-counts") as counter:
            counting = counter.submit(_build_counts, built)
            _write_views(out, built, result, html, commit, turtle_writer, links)
            mark("turtle", time.time())
            result.triples, result.entities, result.relations, result.in_build, result.without_year = counting.result()


def _write_without_store(out: Path, result: BuildResult, html: bool, commit: Commit, turtle_writer: turtle.TurtleWriter,
                         links: list[tuple[str, str]], mark) -> None:
    """graph.ttl and graph.html from the documents' statements, and the counts a store would give, from them."""
    mark("linked", time.time())
    counts = _write_views(out, None, result, html, commit, turtle_writer, links)
    mark("turtle", time.time())
    result.triples = counts["triples"]
    result.entities = +Counter({kind: counts[kind] for kind in ENTITY_TYPES})
    result.relations = +Counter({name: counts[name] for name in (*_RELATIONS, "investment")})
    result.in_build = counts["documents"]
    result.without_year = counts["documents"] - counts["dated"]


def _known_ids(built: Path, files: list[Source]) -> list[Source]:
    """With --update, a file the build already holds keeps its document id, however it is named now:
    `kg build dup` named dup/a/r.txt a/r.txt, and `kg build --update OUT dup/a/r.txt` replaces that
    document instead of adding a second one named r.txt."""
    if not store.is_store(built):
        return files
    columns, rows = store.query(built, "SELECT ?id ?source WHERE { ?d a <%s> ; <%s> ?id ; <%s> ?source }"
                                % (KGO.Document, DCTERMS.identifier, DCTERMS.source))
    known = {_resolved(str(source)): str(doc_id) for doc_id, source in rows}
    return find_sources([Source(f.path, known.get(_resolved(str(f.path)), f.doc_id)) for f in files])


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


def _outputs(files: list[Source], extractor: Extractor, jobs: int, engine: str, scheduler: str | None,
             max_bytes: int, pool: ProcessPoolExecutor | None) -> Iterator[DocumentOutput | Skipped]:
    if engine == "dask":
        from .engines import dask_outputs
        return dask_outputs(files, extractor, process, scheduler=scheduler, workers=jobs, max_bytes=max_bytes)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}; choose local or dask")
    return extract_all(files, extractor, jobs, max_bytes=max_bytes, pool=pool)


def _shard_name(doc_id: str) -> str:
    return f"{output_stem(doc_id)}.nq"


def _kept_shards(shards: Path, staging: Path, update: bool) -> list[Path]:
    """With `update`, the shards of the previous build's documents that were not made again (the new
    ones were loaded as they came); none otherwise."""
    names = {p.name for p in staging.glob("*.nq")}
    return [p for p in sorted(shards.glob("*.nq")) if p.name not in names] if update and shards.is_dir() else []


def _write_views(out: Path, new_store, result: BuildResult, html: bool, commit: Commit,
                 writer: turtle.TurtleWriter | None = None, links: list[tuple[str, str]] = ()) -> Counter:
    """graph.ttl (the union graph: from the documents' statements, or else from the new store, open
    or its folder) and graph.html, to be put in place by `commit`; the counts of _COUNTED in graph.ttl
    when it was written from the documents."""
    with commit.path(out / "graph.ttl") as turtle_path:
        result.turtle_source, counts = _write_turtle(turtle_path, new_store, writer, links)
    result.outputs["turtle"] = out / "graph.ttl"
    if html:
        from .graphview import networkx_from_rdf
        from .view import render_html
        graph = rdf.load_graph(turtle_path)  # the temporary file: graph.ttl is not in place yet
        with commit.path(out / "graph.html") as tmp:
            render_html(networkx_from_rdf(graph), tmp, title="kg")
        result.outputs["html"] = out / "graph.html"
    return counts


def _write_turtle(path: Path, new_store, writer: turtle.TurtleWriter | None, links: list[tuple[str, str]]) -> tuple[str, Counter]:
    """graph.ttl from the documents' statements when the writer can, else from the store; says
    which, with the counts of _COUNTED (from the documents only)."""
    if writer is not None and writer.usable:
        try:
            # counted only for a build without a store (which counts its own, while graph.ttl is written)
            return "documents", writer.write(path, links, str(RDFS.label), _COUNTED if new_store is None else None)
        except turtle.UnsupportedTerm as exc:
            writer.give_up(str(exc))
    if new_store is None:
        raise turtle.UnsupportedTerm(writer.unsupported if writer is not None else "no writer")  # the caller loads a store first
    store.write_turtle(new_store, path, turtle_prefixes())
    return f"store: {writer.unsupported if writer is not None else 'no writer'}", Counter()


def turtle_prefixes() -> dict[str, str]:
    """The prefixes graph.ttl is written with."""
    return dict(_TURTLE_PREFIXES)


_TURTLE_PREFIXES = {prefix: str(ns) for prefix, ns in rdf.PREFIXES.items()} | {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


def _write_refused(out: Path, staging: Path, refused: dict[str, tuple], update: bool, result: BuildResult, commit: Commit) -> None:
    """refused.tsv: every fact read but not written (kg.consistency), with its sentence; with
    `update`, the kept documents' too (from their extraction JSON)."""
    rows = [row for rows in refused.values() for row in rows]
    if update and (out / "extract").is_dir():
        new = {p.name for p in (staging / "extract").glob("*.json")}
        for path in sorted((out / "extract").glob("*.json")):
            if path.name not in new:
                annotation = json.loads(path.read_text(encoding="utf-8"))
                rows += [refusal_row(annotation["doc"], entry) for entry in annotation.get("refused", ())]
    result.refused = Counter(row[2] for row in rows)
    with commit.path(out / "refused.tsv") as tmp:
        Path(tmp).write_text(refused_tsv(rows), encoding="utf-8")
    result.outputs["refused"] = out / "refused.tsv"


def _place_documents(staging: Path, out: Path, shards: Path, update: bool) -> None:
    """Move the new documents' JSON and shards into place; a fresh build first drops the previous build's others."""
    new_names = {p.name for p in staging.glob("*.nq")}
    if not update:
        for old in list(shards.glob("*.nq")) if shards.is_dir() else []:
            if old.name not in new_names:
                old.unlink()
        keep = {Path(n).with_suffix(".json").name for n in new_names}
        for old in list((out / "extract").glob("*.json")) if (out / "extract").is_dir() else []:
            if old.name not in keep:
                old.unlink()
    shards.mkdir(parents=True, exist_ok=True)
    (out / "extract").mkdir(exist_ok=True)
    for annotation in (staging / "extract").glob("*.json"):
        os.replace(annotation, out / "extract" / annotation.name)
    for shard in staging.glob("*.nq"):
        os.replace(shard, shards / shard.name)


def _drop_store(out: Path) -> None:
    """A build without a store: the previous build's goes (renamed first, so that _recover_store never puts it back)."""
    dropped = out / ".store.dropped"
    shutil.rmtree(dropped, ignore_errors=True)
    if (out / "store").exists():
        os.replace(out / "store", dropped)
    shutil.rmtree(dropped, ignore_errors=True)


def _swap_store(out: Path, new_store: Path) -> None:
    """Put the new store in place of the old one; _recover_store mends a swap cut short."""
    old_store = out / ".store.old"
    shutil.rmtree(old_store, ignore_errors=True)
    if (out / "store").exists():
        os.replace(out / "store", old_store)
    os.replace(new_store, out / "store")
    shutil.rmtree(old_store, ignore_errors=True)


def _recover_store(out: Path) -> None:
    """A build killed between the two renames of _swap_store left no store/: the old one is put back."""
    if not (out / "store").exists() and (out / ".store.old").exists():
        os.replace(out / ".store.old", out / "store")


def _build_counts(built) -> tuple[int, Counter, Counter, int, int]:
    """Triples, entities by type, relations by kind, documents, and documents without a year, in the (open) store."""
    entities, relations = _counts(built)
    documents = store.count(built, str(RDF.type), str(KGO.Document))
    return store.count(built), entities, relations, documents, documents - store.count(built, str(DCTERMS.date))


_RELATIONS = ("locatedIn", "operatedBy", "implements")
# what the summary counts, as (predicate, object or None) patterns of N-Triples texts: a build
# without a store counts them as graph.ttl is written (kg.turtle.TurtleWriter.write)
_COUNTED = ({kind: (f"<{RDF.type}>", f"<{KGO[kind]}>") for kind in ENTITY_TYPES}
            | {name: (f"<{KGO[name]}>", None) for name in _RELATIONS}
            | {"investment": (f"<{RDF.type}>", f"<{KGO.Investment}>"), "documents": (f"<{RDF.type}>", f"<{KGO.Document}>"),
               "dated": (f"<{DCTERMS.date}>", None)})


def _counts(built) -> tuple[Counter, Counter]:
    """Entities by type and relations by kind in the whole build, counted in the (open) store's union graph."""
    entities = Counter({kind: store.count(built, str(RDF.type), str(KGO[kind])) for kind in ENTITY_TYPES})
    relations = Counter({name: store.count(built, str(KGO[name])) for name in _RELATIONS})
    relations["investment"] = store.count(built, str(RDF.type), str(KGO.Investment))
    return +entities, +relations


def extract_all(files: Iterable[Path | Source], extractor: Extractor, jobs: int = 1, window: int = 4,
                max_bytes: int = MAX_BYTES, pool: ProcessPoolExecutor | None = None) -> Iterator[DocumentOutput | Skipped]:
    """Processed documents in input order; in `jobs` worker processes when > 1 (or in `pool`, from
    worker_pool: a build opens it before its own threads start).

    At most `window` documents per worker are in flight, so memory does not grow with the input.
    A worker that dies (killed, out of memory) ends the build with a GraphError, not a hang.
    """
    if pool is None and jobs <= 1:
        for path in files:
            yield process_path(path, extractor, max_bytes)
        return
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(worker_pool(extractor, jobs))
        pending: deque[Future] = deque()
        try:
            for path in files:
                pending.append(pool.submit(_process_in_worker, path, max_bytes))
                if len(pending) >= window * max(jobs, 1):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise GraphError("a worker process died (killed, or out of memory?); the build stopped") from None
        finally:
            for future in pending:  # an interrupted or failed build: what has not started never runs
                future.cancel()


@contextlib.contextmanager
def worker_pool(extractor: Extractor, jobs: int) -> Iterator[ProcessPoolExecutor]:
    """`jobs` worker processes, each holding `extractor`, started now.

    A process with no other thread (the kg command) forks them: they share its loaded dictionaries
    and model (copy-on-write) and start at once. Anywhere else (a notebook, a test run, a build with
    its threads started) a fork could copy a lock that another thread holds and hang the worker, so
    they start from a clean server process (forkserver) and load the extractor themselves.
    """
    global _WORKER
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        extractor.segmenter.tokens("")
        extractor.model  # noqa: B018 — the learned model too, loaded before the fork
        _WORKER = extractor
        context, shipped = multiprocessing.get_context("fork"), None
    else:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context, shipped = multiprocessing.get_context(method), extractor
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(shipped,))
    try:
        for started in [pool.submit(os.getpid) for _ in range(jobs)]:  # the workers start here, not at the first document
            started.result()
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER: Extractor | None = None


def _start_worker(extractor: Extractor | None) -> None:
    global _WORKER  # one extractor per worker process, built once (inherited when forked)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a stop ends the worker, whatever handler its parent had
    if extractor is not None:
        _WORKER = extractor  # a started worker's copy: its model loads there on first use


def _process_in_worker(path: Path | Source, max_bytes: int = MAX_BYTES) -> DocumentOutput | Skipped:
    return process_path(path, _WORKER, max_bytes)


def write_annotation(extraction: Extraction, folder: Path) -> Path:
    """The document's extraction as gold-format JSON, `<output_stem(doc id)>.json`, written atomically."""
    name = f"{output_stem(extraction.doc.id)}.json"
    text = json.dumps(to_annotation(extraction), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return write_text_atomic(folder / name, text)
