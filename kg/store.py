"""The pyoxigraph adapter: a build's on-disk Oxigraph store, bulk-loaded from per-document N-Quads shards.

Each document's triples live in its own named graph, so a document can be replaced without
touching the others; queries see the union of the named graphs as their default graph.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphError


def is_store(path: Path | str) -> bool:
    """True when `path` is a folder holding an Oxigraph (RocksDB) database."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def open_store(path: Path | str, *, read_only: bool = False) -> ox.Store:
    """The on-disk store in folder `path`; a missing folder becomes an empty store (unless read-only)."""
    path = Path(path)
    if read_only and not is_store(path):
        raise GraphError(f"{path}: not an Oxigraph store folder")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:  # locked by another process, or not a database
        raise GraphError(f"{path}: cannot open the store: {exc}") from None


def bulk_load(path: Path | str, files: Iterable[Path | str], *, graph: str | None = None) -> int:
    """Load N-Quads (or other RDF) files into the store at `path`; return how many quads it then holds."""
    store = open_store(path)
    for file in map(Path, files):
        to_graph = ox.NamedNode(graph) if graph else None
        try:
            store.bulk_load(path=str(file), format=_format(file), to_graph=to_graph)
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphError(f"{file}: cannot load: {exc}") from None
    store.flush()
    return len(store)


def write_union_turtle(path: Path | str, out: Path | str, prefixes: dict[str, str], scratch: Path | str) -> int:
    """Write the union of the store's named graphs as Turtle; return its number of triples.

    The union is bulk-loaded into a scratch store's default graph (on disk, so memory stays flat)
    and dumped from there: Oxigraph writes a graph in its index order, which depends only on the
    triples, so the same graph gives the same bytes whatever order the documents came in.
    """
    scratch = Path(scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        union = ox.Store(str(scratch))
        quads = open_store(path, read_only=True).quads_for_pattern(None, None, None, None)
        union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        union.flush()
        union.dump(str(out), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        count = len(union)
        del union
        return count
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def select(path: Path | str, sparql: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT over the union of the store's graphs, as plain strings."""
    store = open_store(path, read_only=True)
    return [tuple(term.value for term in row) for row in store.query(sparql, use_default_graph_as_union=True)]


def _format(file: Path) -> ox.RdfFormat:
    formats = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}
    try:
        return formats[file.suffix]
    except KeyError:
        raise GraphError(f"{file}: unknown RDF file type; use one of {', '.join(formats)}") from None
