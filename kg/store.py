"""The pyoxigraph adapter: kg's persistent, embedded store (an Oxigraph database in a folder) and SPARQL over it.

rdflib's in-memory store is far slower on aggregate queries over large graphs (see bench/store.py),
so a build's graph is also kept in an on-disk Oxigraph store. The functions a build calls:

- ``open_store(path, read_only=False)`` — the Oxigraph store in folder `path` (created if missing).
- ``bulk_load(path, files, graph=None)`` — load Turtle / N-Triples / N-Quads / TriG / JSON-LD files
  into it fast (datasets keep their named graphs; triples go to `graph`, an IRI, or the default graph).
- ``query(source, sparql, params)`` — SPARQL over a store folder, an open store or a graph file;
  `params` (name → value) are bound as RDF terms, never pasted into the query text.
- ``replace_graph(path, graph, file)`` — empty the named graph `graph` (say, one document's)
  and load `file` into it: re-adding a changed document replaces what it said before.
- ``write_turtle(source, out, prefixes)`` — the default graph as Turtle; ``count(source, predicate, obj)``.
- ``is_store(path)``, ``to_graph(path)`` (an rdflib graph of the union), ``dump(path, out, fmt)``.

Queries see the union of all named graphs (one per document) as their default graph, so the same
SPARQL works on a Turtle file and on a store (a build also writes that union into the default
graph, for its Turtle dump; then queries read it directly). Values come back as rdflib terms, so the rest of kg
handles one kind of term.
"""
from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from . import linking
from .errors import GraphError, QueryError
from .parameters import parameter_terms
from .rdf import load_graph, new_graph
from .sparql import explain
from .writing import atomic_path

# file extension → pyoxigraph format; the same table decides what `kg query` / `kg serve` accept
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def is_store(path: Path | str) -> bool:
    """True when `path` is a folder holding an Oxigraph (RocksDB) database."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def graph_source(path: Path | str) -> Path:
    """What a user may give where a graph is expected: a graph file, a store folder, or a build
    folder (kg build --out DIR), which stands for its store. A build made without one
    (`kg build --no-store`, or with as many workers as cores) has its store loaded from its shards now, once."""
    path = Path(path)
    if path.is_dir() and not is_store(path):
        if is_store(path / "store"):
            return path / "store"
        if is_storeless_build(path):
            return load_build_store(path)
        raise GraphError(f"{path}: a folder, but neither a store nor a build folder (no store/ in it); give a graph file, a store or a build folder")
    return path


def is_storeless_build(path: Path | str) -> bool:
    """A build folder written without a store (kg build --no-store): its graph.ttl and shards, no store/."""
    path = Path(path)
    return (path / "graph.ttl").is_file() and (path / "shards").is_dir() and not (path / "store").exists()


def load_build_store(build: Path | str) -> Path:
    """Load the store of a build made without one from its shards, linked across documents as a
    build links it (the same store as `kg build` without --no-store writes); return its folder.
    It is loaded beside the build and renamed into place: a reader never sees half a store, and of
    two processes loading it at once, the second one's copy goes."""
    build = Path(build)
    shards = sorted((build / "shards").glob("*.nq"))
    target, loading = build / "store", build / f".store.loading-{os.getpid()}"
    print(f"kg: {build} was built without a store: loading it from {len(shards):,} shards, once …",
          file=sys.stderr, flush=True)
    _drop_abandoned_loads(build)
    try:
        load_shards(loading, shards)
        with opened(loading) as loaded:
            linking.link_short_names(loaded)
        try:
            os.rename(loading, target)
        except OSError:
            if not is_store(target):  # else another process put the same store there first
                raise
    except OSError as exc:
        raise GraphError(f"{build}: cannot load its store here ({exc.strerror or exc}); query {build / 'graph.ttl'} instead") from None
    finally:
        shutil.rmtree(loading, ignore_errors=True)
    return target


def _drop_abandoned_loads(build: Path) -> None:
    """The half-loaded stores of processes that died while loading (each is named by its process id)."""
    for folder in build.glob(".store.loading-*"):
        pid = folder.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def load_shards(path: Path | str, shards: Iterable[Path | str]) -> None:
    """A new store at `path` of the union of a build's shards, as a build loads it (see ShardLoader)."""
    with ShardLoader(path, union=True, named=False, lenient=True) as loader:
        for shard in shards:
            loader.add(Path(shard).read_bytes())


def open_store(path: Path | str, *, read_only: bool = False) -> ox.Store:
    """The on-disk store in folder `path`; a missing folder becomes an empty store (unless read-only)."""
    path = Path(path)
    if read_only and not is_store(path):
        raise GraphError(f"{path}: not an Oxigraph store folder")
    if not read_only and path.exists() and not path.is_dir():
        raise GraphError(f"{path}: is a file, not a store folder")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:  # locked by another process, or not a database
        raise GraphError(f"{path}: cannot open the store: {exc}") from None


@contextlib.contextmanager
def opened(path: Path | str, *, read_only: bool = False):
    """An open store that is flushed and released (its lock dropped) on exit."""
    store = open_store(path, read_only=read_only)
    try:
        yield store
        if not read_only:
            store.flush()
    finally:
        del store  # pyoxigraph closes the database when the last reference goes


def bulk_load(path: Path | str, files: Iterable[Path | str], *, graph: str | None = None, union: bool = False) -> int:
    """Load RDF files into the store at `path`; return how many quads the store then holds.

    N-Quads files (a build's per-document shards) are read into bulk loads of about
    LOAD_CHUNK_BYTES each (each call has a fixed cost far above a small file's, and Oxigraph holds
    what one call loads in memory); with `union`, their triples also go into the default graph,
    which then holds the union of the named graphs (what graph.ttl is written from).
    Other files load one by one; triples go to `graph` (an IRI) or the default graph.
    """
    files = [Path(f) for f in files]
    nquads = [f for f in files if f.suffix == ".nq" and not graph]
    with opened(path) as store:
        for chunk in _chunks(nquads, LOAD_CHUNK_BYTES):
            load_nquads(store, b"".join(with_union(f.read_bytes()) if union else _ended(f.read_bytes()) for f in chunk), path)
        for file in (f for f in files if f not in nquads):
            load_file(store, file, graph=graph)
        return len(store)


class ShardLoader:
    """Bulk-loads a build's N-Quads shards into a new store at `path` as they come, a chunk at a time.

    With `union`, each shard's triples also go into the default graph (see bulk_load); with `named`
    False, only there: the store then holds the union alone, which is a third of the load's work
    (three indexes instead of nine, and each term once). In the
    calling thread, a chunk is loaded when LOAD_CHUNK_BYTES have come (one load per chunk: each
    call has a fixed cost). With `background`, chunks are loaded by a thread of their own while
    the caller goes on: a build extracting in worker processes then loads the store meanwhile,
    instead of after the last document (pyoxigraph parses bytes without holding the GIL). Its
    chunks start small and grow with what is loaded, so that little is left for the end and the
    number of loads stays small. Use it as a context manager; `close()` loads the rest and waits.
    """

    def __init__(self, path: Path | str, *, union: bool = False, named: bool = True, background: bool = False,
                 lenient: bool = False):
        self._path = Path(path)
        self._store = open_store(path)
        self._union, self._named, self._lenient = union, named, lenient
        self._parts: list[bytes] = []
        self._size = self._handed = 0
        self._error: Exception | None = None
        self._stop = False
        self.seconds = 0.0  # wall seconds spent in loads, in whichever thread
        self._queue: queue.Queue | None = None
        if background:
            self._queue = queue.Queue(maxsize=1)  # one chunk waiting, one loading: memory stays bounded
            self._thread = threading.Thread(target=self._run, name="kg-shard-loader", daemon=True)
            self._thread.start()

    def add(self, nquads: bytes) -> None:
        """One shard's N-Quads text."""
        if not self._named:
            data = as_triples(nquads) if self._union else b""
        else:
            data = with_union(nquads) if self._union else _ended(nquads)
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self._chunk_bytes():
            self._hand_over()

    def close(self) -> None:
        """Load what is left, wait for every load to end, and release the store."""
        try:
            if self._parts:
                self._hand_over()
        finally:
            self._join()
        try:
            if self._error is not None:
                raise self._error
            self._store.flush()
        finally:
            self._store = None  # closes the database: its lock is dropped

    def __enter__(self) -> ShardLoader:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
            return
        self._stop = True  # a failed or interrupted build: load nothing more
        self._parts.clear()
        self._join()
        self._store = None

    def _chunk_bytes(self) -> int:
        if self._queue is None:
            return LOAD_CHUNK_BYTES
        return min(LOAD_CHUNK_BYTES, max(FIRST_CHUNK_BYTES, self._handed // 4))

    def _hand_over(self) -> None:
        chunk = b"".join(self._parts)
        self._parts, self._size = [], 0
        self._handed += len(chunk)
        if self._queue is None:
            self._load(chunk)
            return
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def _load(self, chunk: bytes) -> None:
        start = time.perf_counter()
        load_nquads(self._store, chunk, self._path, lenient=self._lenient)
        self.seconds += time.perf_counter() - start

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._stop or self._error is not None:
                continue
            try:
                self._load(chunk)
            except Exception as exc:  # raised in the caller's thread by the next hand-over or close()
                self._error = exc

    def _join(self) -> None:
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None


def load_nquads(store: ox.Store, data: bytes, where: Path | str, *, lenient: bool = False) -> None:
    """One bulk load of N-Quads text. Given as bytes, it is parsed without the GIL (a file object is
    read back through Python, chunk by chunk), so other threads run meanwhile. `lenient` skips
    Oxigraph's IRI checks (a fifth of the load): only for text kg wrote itself."""
    try:
        store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=lenient)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{where}: cannot load: {str(exc).splitlines()[0]}") from None


def replace_graph(path: Path | str, graph: str, file: Path | str) -> int:
    """Replace the named graph `graph` (an IRI) of the store at `path` by the triples of `file`; return its new size."""
    name = ox.NamedNode(graph)
    with opened(path) as store:
        if store.contains_named_graph(name):
            store.clear_graph(name)
        load_file(store, Path(file), graph=graph)
        return sum(1 for _ in store.quads_for_pattern(None, None, None, name))


def load_file(store: ox.Store, file: Path, *, graph: str | None = None) -> None:
    fmt = _format(file)
    target = ox.NamedNode(graph) if graph and not fmt.supports_datasets else None
    try:
        store.bulk_load(path=str(file), format=fmt, to_graph=target)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{file}: cannot load: {str(exc).splitlines()[0]}") from None


def _format(file: Path) -> ox.RdfFormat:
    if not file.is_file():
        raise GraphError(f"{file}: no such graph file")
    try:
        return FORMATS[file.suffix.lower()]
    except KeyError:
        raise GraphError(f"{file}: unknown RDF file type; use one of {', '.join(FORMATS)}") from None


def memory_store(file: Path | str) -> ox.Store:
    """A graph file parsed into an in-memory Oxigraph store."""
    store = ox.Store()
    load_file(store, Path(file))
    return store


def query(source, sparql: str, params: Mapping[str, str] | None = None, *, prefixes: Mapping[str, str] | None = None):
    """Run SPARQL over a store folder, an open store or a graph file; return column names and rows of rdflib terms.

    `params` bind query variables to values (an ``<IRI>`` or a plain string literal) as SPARQL
    substitutions: the value is an RDF term, so it can never change the query's structure.
    Oxigraph substitutes only variables the query SELECTs (SPARQL SEP-0007), so a parameterised
    query lists its parameters in its SELECT clause.
    """
    substitutions = {ox.Variable(k): v for k, v in parameter_terms(sparql, params or {}, ox_term).items()}
    with _source(source) as store:
        try:
            result = store.query(sparql, prefixes=dict(prefixes or {}), use_default_graph_as_union=not holds_union(store),
                                 substitutions=substitutions)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL query failed: {explain(str(exc), sparql)}") from None
        except (ValueError, OSError, RuntimeError) as exc:  # RuntimeError: a parameter not in SELECT
            raise QueryError(f"SPARQL query failed: {explain(str(exc), sparql) if str(exc) else type(exc).__name__}") from None
        if isinstance(result, ox.QueryBoolean):
            return ["ask"], [(bool(result),)]
        if isinstance(result, ox.QueryTriples):
            return ["subject", "predicate", "object"], [tuple(map(rdflib_term, t)) for t in result]
        columns = [v.value for v in result.variables]
        return columns, [tuple(rdflib_term(row[c]) for c in columns) for row in result]


@contextlib.contextmanager
def _source(source):
    if isinstance(source, ox.Store):
        yield source
    elif is_store(source):
        with opened(source, read_only=True) as store:
            yield store
    else:
        yield memory_store(source)


def ox_term(value: str):
    """``<http://…>`` is an IRI, anything else a plain string literal (the parser rejects a bad IRI)."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as exc:
            raise QueryError(f"parameter value {value!r}: {exc}") from None
    return ox.Literal(value)


def rdflib_term(term):
    """A pyoxigraph term as the equal rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # RDF 1.1: a plain literal is an xsd:string; rdflib writes it without the type
        if term.datatype.value == _XSD_DECIMAL and re.fullmatch(r"[+-]?\d+", term.value):
            # Oxigraph writes decimals canonically (200000000), rdflib's Turtle as 200000000.0: same value, rdflib's form
            return Literal(term.value + ".0", datatype=URIRef(_XSD_DECIMAL))
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise GraphError(f"unsupported RDF term {term!r}")


def holds_union(store: ox.Store) -> bool:
    """Does the store's default graph hold triples (a kg build writes the union of its documents'
    graphs there)? Then queries read it; otherwise they read the union of the named graphs,
    and no triple is counted twice either way."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def to_graph(source) -> Graph:
    """The graph of a store or graph file, as an rdflib graph: a build's store's default graph (the
    union of its documents' graphs, linked across them), else every named graph merged."""
    graph = new_graph()
    with _source(source) as store:
        # the documents' own graphs keep what each said before linking: merged with the union they
        # would give a linked statement its unlinked object too (two rdf:object values)
        where = ox.DefaultGraph() if holds_union(store) else None
        for quad in store.quads_for_pattern(None, None, None, where):
            graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph


def load_any(path: Path | str) -> Graph:
    """A store folder, a build folder (its store) or a graph file, as one rdflib graph."""
    path = graph_source(path)
    if is_store(path):
        return to_graph(path)
    try:
        return load_graph(path)
    except GraphError as exc:
        where = _where_broken(Path(path))
        if not where:
            raise
        message = str(exc)
        said = message.find(": ", message.find(": cannot parse as ") + len(": cannot parse as "))
        raise GraphError((message[:said] if said > 0 else str(path)) + ": " + where) from None


def _where_broken(path: Path) -> str:
    """Where a graph file is broken, as Oxigraph's parser says it (line and columns); "" if it cannot."""
    try:
        memory_store(path)
    except GraphError as oxigraph:
        return str(oxigraph).split(": cannot load: ", 1)[-1]
    except Exception:  # noqa: BLE001 — only a better message was sought
        pass
    return ""


def dump(source, out: Path | str, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> Path:
    """Write a store's quads, named graphs kept, as N-Quads or TriG to `out` atomically."""
    if not fmt.supports_datasets:
        raise GraphError(f"{out}: a store dump keeps named graphs, so it is N-Quads or TriG")
    with _source(source) as store, atomic_path(out) as tmp:
        store.dump(str(tmp), fmt)
    return Path(out)


def write_turtle(source, out: Path | str, prefixes: dict[str, str]) -> None:
    """Write the default graph of a store (a folder or an open store) as Turtle.

    Oxigraph writes a graph in its index order, which depends only on the triples: the same graph
    gives the same bytes whatever order the documents were loaded in.
    """
    with _source(source) as store:
        store.dump(str(out), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def count(source, predicate: str | None = None, obj: str | None = None) -> int:
    """Triples of the default graph (with this predicate and object IRI, if given), counted by Oxigraph
    in a store folder or an open store (opening one is most of the cost of a count)."""
    pattern = f"?s {f'<{predicate}>' if predicate else '?p'} {f'<{obj}>' if obj else '?o'}"
    with _source(source) as store:
        (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(row[0].value)


# Oxigraph's bulk loader holds what one call loads in memory (2.3 GB peak for the whole corpus's
# 1.1 GB of shards in one call), so shards are loaded in calls of about this many bytes each.
# Bigger calls cost more CPU, not less (800 reports' 580 MB: 46-52 CPU s in 16 MB calls, 55-58 s in
# 64 MB calls, 55 s in 8 MB calls), and the build's memory plateau rises with them.
LOAD_CHUNK_BYTES = 16 * 2**20
# A ShardLoader in the background starts with chunks this small (a build's first documents load
# while the others are extracted).
FIRST_CHUNK_BYTES = 4 * 2**20


def _chunks(files: list[Path], limit: int) -> Iterable[list[Path]]:
    chunk, size = [], 0
    for file in files:
        chunk.append(file)
        size += file.stat().st_size
        if size >= limit:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


# the graph name closing an N-Quads line (literals cannot hold a raw newline, so it is always the last term)
_GRAPH_AT_END = re.compile(rb" <[^<>\s]*> \.$", re.MULTILINE)


def _ended(data: bytes) -> bytes:
    return data + b"\n" if data and not data.endswith(b"\n") else data


def as_triples(data: bytes) -> bytes:
    """N-Quads text as N-Triples: each line's graph name dropped (the lines of one shard all end
    with the same one; several graphs: each line on its own)."""
    data = _ended(data)
    end = _GRAPH_AT_END.search(data)
    if end is None:
        return data
    tail = end.group() + b"\n"
    if data.count(tail) == data.count(b"\n"):
        return data.replace(tail, b" .\n")
    return _GRAPH_AT_END.sub(b" .", data)


def with_union(data: bytes) -> bytes:
    """N-Quads text followed by each of its lines as a triple of the default graph.

    A shard holds one named graph: its lines all end with the same " <graph> .\n", which (a raw
    newline being only ever at a line's end) is found nowhere else, so a plain replace drops it.
    """
    data = _ended(data)
    end = _GRAPH_AT_END.search(data)
    if end is None:
        return data
    tail = end.group() + b"\n"
    triples = data.replace(tail, b" .\n")
    if data.count(tail) != data.count(b"\n"):  # several graphs: each line on its own
        triples = _GRAPH_AT_END.sub(b" .", data)
    return data + triples
