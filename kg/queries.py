"""Named SPARQL queries shipped in ontology/queries/*.rq, and running queries over a graph file."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from . import rdf, store
from .errors import QueryError

# prefixes rdflib knows without a PREFIX line; given to Oxigraph so a query runs the same on both
_STANDARD = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#"}
QUERY_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"


def named_queries(folder: Path = QUERY_DIR) -> dict[str, Path]:
    """Query name (file stem) → path of every .rq file in `folder`."""
    return {p.stem: p for p in sorted(folder.glob("*.rq"))}


def query_text(name: str, folder: Path = QUERY_DIR) -> str:
    queries = named_queries(folder)
    if name not in queries:
        raise QueryError(f"no query named {name!r}; known: {', '.join(queries) or 'none'}")
    return queries[name].read_text(encoding="utf-8")


def run_query(graph_or_path, sparql: str, params: dict[str, str] | None = None) -> tuple[list[str], list[tuple]]:
    """Run SPARQL over an rdflib graph, a graph file or a store folder; values come back as plain strings and numbers.

    `params` bind query variables to values safely (see rdf.query and store.query).
    """
    if isinstance(graph_or_path, (str, Path)) and store.is_store(graph_or_path):
        columns, rows = store.query(graph_or_path, sparql, params, prefixes={k: str(v) for k, v in rdf.PREFIXES.items()} | _STANDARD)
    else:
        graph = rdf.load_graph(graph_or_path) if isinstance(graph_or_path, (str, Path)) else graph_or_path
        columns, rows = rdf.query(graph, sparql, params)
    return columns, [tuple(_plain(v) for v in row) for row in rows]


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "toPython"):
        python = value.toPython()
        return python if isinstance(python, (int, float, bool)) else str(value)
    return value


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV or JSON."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    cells = [columns] + [[str(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
