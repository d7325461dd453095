"""The pySHACL adapter: checks a graph against ontology/shapes.ttl and reports each violation readably."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, Namespace, URIRef

from .errors import GraphError

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, order=True)
class Violation:
    """One failed constraint: the node at fault (with its label, if any), the property path, the value, why."""

    focus: str
    label: str
    path: str
    value: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        detail = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}{detail}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self, limit: int = 0) -> str:
        """'conforms', or the number of violations and one line each (the first `limit` if > 0)."""
        if self.conforms:
            return "conforms: the graph satisfies every shape in ontology/shapes.ttl"
        shown = self.violations[:limit] if limit else self.violations
        lines = [f"does not conform: {len(self.violations)} violation(s)"] + [str(v) for v in shown]
        if len(shown) < len(self.violations):
            lines.append(f"… and {len(self.violations) - len(shown)} more")
        return "\n".join(lines)


def validate(graph: Graph, shapes: Path | str = SHAPES) -> Report:
    """Validate `graph` with pySHACL.

    No inference and no ontology mixed in: the shapes check what the graph itself states."""
    from pyshacl import validate as shacl_validate

    conforms, results, _ = shacl_validate(graph, shacl_graph=_parse(Path(shapes)), inference="none",
                                          advanced=True, allow_warnings=True)
    if not isinstance(results, Graph):  # pySHACL could not run the shapes themselves
        raise GraphError(f"{shapes}: the shapes cannot be used: {results}")
    violations = sorted({_violation(results, r, graph) for r in results.subjects(SH.resultSeverity, None)})
    return Report(bool(conforms), tuple(violations))


def _parse(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises parser-specific types
        raise GraphError(f"{path}: cannot parse: {exc}") from None
    return graph


def _violation(results: Graph, result, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    label = data.value(focus, RDFS.label) if focus is not None else None
    return Violation(
        focus=str(focus or ""),
        label=str(label or ""),
        path=_short(path, data) if isinstance(path, URIRef) else ("(inverse/complex path)" if path is not None else ""),
        value=str(value) if value is not None else "",
        message=str(results.value(result, SH.resultMessage) or "constraint failed"),
        severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
    )


def _short(iri: URIRef, graph: Graph) -> str:
    try:
        return graph.namespace_manager.normalizeUri(iri)
    except Exception:  # an IRI without a known prefix
        return f"<{iri}>"
