"""The pyoxigraph adapter: a build's on-disk Oxigraph store, bulk-loaded from per-document N-Quads shards.

Each document's triples live in its own named graph, so a document can be replaced without
touching the others; queries see the union of the named graphs as their default graph.
"""
from __future__ import annotations

import io
import re
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


def bulk_load(path: Path | str, files: Iterable[Path | str], *, graph: str | None = None, union: bool = False) -> int:
    """Load N-Quads (or other RDF) files into the store at `path`; return how many quads it then holds.

    N-Quads files are streamed into one bulk load (each call has a fixed cost far above a small
    file's); with `union`, their triples also go into the default graph, which then holds the union
    of the named graphs (what graph.ttl is written from).
    """
    store = open_store(path)
    files = [Path(f) for f in files]
    nquads = [f for f in files if f.suffix == ".nq" and not graph]
    try:
        for chunk in _chunks(nquads, LOAD_CHUNK_BYTES):
            store.bulk_load(_Concatenated(chunk, union=union), ox.RdfFormat.N_QUADS)
        for file in (f for f in files if f not in nquads):
            store.bulk_load(path=str(file), format=_format(file), to_graph=ox.NamedNode(graph) if graph else None)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot load: {exc}") from None
    store.flush()
    return len(store)


def write_turtle(path: Path | str, out: Path | str, prefixes: dict[str, str]) -> None:
    """Write the store's default graph as Turtle.

    Oxigraph writes a graph in its index order, which depends only on the triples: the same graph
    gives the same bytes whatever order the documents were loaded in.
    """
    open_store(path, read_only=True).dump(str(out), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def count(path: Path | str, predicate: str | None = None, obj: str | None = None) -> int:
    """Triples of the default graph (with this predicate and object IRI, if given), counted by Oxigraph."""
    pattern = f"?s {f'<{predicate}>' if predicate else '?p'} {f'<{obj}>' if obj else '?o'}"
    (row,) = open_store(path, read_only=True).query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(row[0].value)


# Oxigraph's bulk loader holds what one call loads in memory (2.3 GB peak for the whole corpus's
# 1.1 GB of shards in one call), so shards are loaded in calls of about this many bytes each.
LOAD_CHUNK_BYTES = 64 * 2**20


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


class _Concatenated(io.RawIOBase):
    """Files read one after another as one stream; with `union`, each N-Quads line also as a triple."""

    def __init__(self, files: list[Path], union: bool = False):
        self._files = iter(files)
        self._union = union
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            file = next(self._files, None)
            if file is None:
                return 0
            data = file.read_bytes()
            if data and not data.endswith(b"\n"):
                data += b"\n"
            self._buffer = memoryview(data + _GRAPH_AT_END.sub(b" .", data) if self._union else data)
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _format(file: Path) -> ox.RdfFormat:
    formats = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}
    try:
        return formats[file.suffix]
    except KeyError:
        raise GraphError(f"{file}: unknown RDF file type; use one of {', '.join(formats)}") from None
