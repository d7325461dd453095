"""Named SPARQL queries shipped in ontology/queries/*.rq, and running queries over a graph file."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from . import rdf, store
from .errors import QueryError
from .sparql import BUILTIN_PREFIXES

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
    """Run SPARQL over a graph file, a store folder or a build folder (its store), or an rdflib graph;
    values come back as plain strings and numbers.

    Files and stores are answered by the same engine (Oxigraph; a file is loaded into a store in
    memory), so both give the same answers; kg's built-in prefixes (kg.sparql) need no PREFIX line.
    `params` bind query variables to values safely (see rdf.query and store.query); a parameter
    the query declares (``# param: NAME``) and that is not given is a QueryError.
    """
    params = dict(params or {})
    store.parameter_terms(sparql, params, str)  # the names given are checked first: a bad one is the error to report
    missing = [name for name, about in declared_params(sparql).items() if name not in params]
    if missing:
        about = declared_params(sparql)[missing[0]]
        raise QueryError(f"the query needs --param {missing[0]}=VALUE" + (f" ({about})" if about else ""))
    if isinstance(graph_or_path, (str, Path)):
        columns, rows = store.query(store.graph_source(graph_or_path), sparql, params, prefixes=BUILTIN_PREFIXES)
    else:
        columns, rows = rdf.query(graph_or_path, sparql, params)
    return columns, [tuple(_plain(v) for v in row) for row in rows]


_PARAM_LINE = re.compile(r"^#\s*param:\s*([A-Za-z_]\w*)\s*(.*)$", re.MULTILINE)


def declared_params(sparql: str) -> dict[str, str]:
    r"""The parameters a query says it needs, in comment lines ``# param: NAME what it is``.

    >>> declared_params("# param: name a place's name\nSELECT ?name {}")
    {'name': "a place's name"}
    """
    return {m.group(1): m.group(2).strip() for m in _PARAM_LINE.finditer(sparql)}


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
