"""Checks a graph against ontology/shapes.ttl and reports each violation readably.

Two engines give the same report. pySHACL, the reference, for graphs small enough for it (the
seeds' graph: about 3 s; 120 reports' 236 k triples: 2 minutes). And kg's own, for any size: the
same shapes compiled to one SPARQL query per constraint, run by Oxigraph over a store (the whole
corpus's 4.8 M triples in a few minutes) or over a graph file loaded into a store in memory. It
knows the SHACL constraint components the shapes use, and refuses shapes that use another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

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
    labels = sorted(str(label) for label in data.objects(focus, RDFS.label)) if focus is not None else []
    return Violation(
        focus=_node_text(focus) if focus is not None else "",
        label=labels[0] if labels else "",  # the first in order: a node with two labels is named the same way by both engines
        path=_short(path, _NAMES) if isinstance(path, URIRef) else ("(inverse/complex path)" if path is not None else ""),
        value=_node_text(value) if value is not None else "",
        message=str(results.value(result, SH.resultMessage) or "constraint failed"),
        severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
    )


def _names() -> Graph:
    """Prefixes a report writes paths with: kg's own (kgo:, prov: …), whatever the graph file binds."""
    from .rdf import new_graph

    return new_graph()


_NAMES = _names()


def _node_text(term) -> str:
    """An IRI or a literal's lexical form as it is; a blank node as _:id (ids are each parser's own)."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _short(iri: URIRef, graph: Graph) -> str:
    try:
        return graph.namespace_manager.normalizeUri(iri)
    except Exception:  # an IRI without a known prefix
        return f"<{iri}>"


# ---- the same shapes, as SPARQL over an Oxigraph store -------------------------------------------

# Graphs up to this many triples are checked by pySHACL when the engine is "auto"; bigger ones
# (pySHACL's time grows faster than the graph) by the SPARQL engine.
PYSHACL_MAX_TRIPLES = 60_000

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Lexical forms the SHACL datatype check accepts for these datatypes (an ill-typed literal fails it).
_LEXICAL = {_XSD + "integer": r"^[+-]?[0-9]+$", _XSD + "decimal": r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$"}
_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
}
# What a node or property shape may hold besides its constraints.
_DESCRIPTIVE = {RDF.type, RDFS.comment, RDFS.label, SH.message, SH.name, SH.description, SH.property, SH.path,
                SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.severity}


@dataclass(frozen=True)
class Check:
    """One SPARQL query for one shape's constraints: each row is a violation (?this, maybe ?path and ?value)."""

    sparql: str
    message: str
    path: str  # the property path as the report shows it ("" for a node shape; ?path rows say their own)


def compile_shapes(shapes: Path | str = SHAPES) -> list[Check]:
    """The SPARQL checks of every shape in `shapes`, in a stable order."""
    graph = _parse(Path(shapes))
    checks: list[Check] = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = _targets(graph, shape)
        if targets is None:
            continue  # no target: the shape checks nothing on its own
        checks += _node_checks(graph, shape, targets)
        for prop in sorted(graph.objects(shape, SH.property), key=lambda p: _sort_key(graph, p)):
            checks += _property_checks(graph, prop, targets)
    return checks


def validate_sparql(source, shapes: Path | str = SHAPES) -> Report:
    """Check a store (an open pyoxigraph Store, a store folder) or a graph file against `shapes` with
    SPARQL: the same violations pySHACL reports. A build's store is read through its default graph
    (the union of the documents' graphs); a store without one, through the union of its named graphs."""
    from .store import _source, holds_union

    checks = compile_shapes(shapes)
    with _source(source) as store:
        union = not holds_union(store)
        found: set[tuple[str, str, str, str]] = set()
        for check in checks:
            for row in _run(store, check.sparql, union):
                focus = _text(row["this"])
                path = _short(URIRef(row["path"].value), _NAMES) if row.get("path") is not None else check.path
                value = row.get("value")
                found.add((focus, path, _text(value) if value is not None else "", check.message))
        labels = _labels(store, {f for f, _, _, _ in found}, union)
    violations = sorted({Violation(focus, labels.get(focus, ""), path, value, message, "Violation")
                         for focus, path, value, message in found})
    return Report(not violations, tuple(violations))


def check(path: Path | str, engine: str = "auto") -> Report:
    """`kg validate`: a store folder or graph file checked by pySHACL or SPARQL ("auto": pySHACL for a
    graph file of at most PYSHACL_MAX_TRIPLES triples, SPARQL otherwise)."""
    from .store import graph_source, is_store, load_any, memory_store

    if engine not in ("auto", "pyshacl", "sparql"):
        raise GraphError(f"unknown validation engine {engine!r}; choose auto, pyshacl or sparql")
    path = graph_source(path)  # a build folder stands for its store
    if engine == "pyshacl":
        return validate(load_any(path))
    if is_store(path):
        return validate_sparql(path)
    if not Path(path).is_file():
        raise GraphError(f"{path}: no such graph file or store folder")
    try:
        store = memory_store(path)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot parse: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if engine == "auto" and len(store) <= PYSHACL_MAX_TRIPLES:
        return validate(load_any(path))
    return validate_sparql(store)


def _run(store, sparql: str, union: bool):
    """Each row of a SELECT as a dict of the variables it binds."""
    result = store.query(sparql, use_default_graph_as_union=union)
    names = [v.value for v in result.variables]
    for row in result:
        yield {name: row[name] for name in names if row[name] is not None}


def _text(term) -> str:
    """The term as str() of the equal rdflib term: what the pySHACL engine reports."""
    from .store import rdflib_term

    return _node_text(rdflib_term(term))


def _labels(store, focuses: set[str], union: bool) -> dict[str, str]:
    """Each focus node's first label (in order), asked for in batches."""
    labels: dict[str, str] = {}
    if any(f.startswith("_:") for f in focuses):  # blank nodes cannot be named in a query: all of theirs
        sparql = f"SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {{ ?s <{_LABEL}> ?l FILTER(isBlank(?s)) }} GROUP BY ?s"
        labels.update((f"_:{row['s'].value}", row["label"].value) for row in store.query(sparql, use_default_graph_as_union=union))
    iris = sorted(f for f in focuses if not f.startswith("_:"))
    for start in range(0, len(iris), 500):
        values = " ".join(f"<{iri}>" for iri in iris[start:start + 500])
        sparql = f"SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?s {{ {values} }} ?s <{_LABEL}> ?l }} GROUP BY ?s"
        for row in store.query(sparql, use_default_graph_as_union=union):
            if row["label"] is not None:
                labels[row["s"].value] = row["label"].value
    return labels


def _sort_key(graph: Graph, node) -> str:
    return " ".join(sorted(f"{p} {o}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode)))


def _targets(graph: Graph, shape) -> str | None:
    """A SPARQL group binding ?this to each focus node of `shape`, once."""
    parts = [f"{{ ?this <{_RDF_TYPE}>/<{_SUBCLASS}>* <{c}> }}" for c in sorted(graph.objects(shape, SH.targetClass))]
    parts += [f"{{ ?this <{p}> ?_o }}" for p in sorted(graph.objects(shape, SH.targetSubjectsOf))]
    parts += [f"{{ ?_s <{p}> ?this }}" for p in sorted(graph.objects(shape, SH.targetObjectsOf))]
    parts += [f"{{ VALUES ?this {{ {_sparql_term(n)} }} }}" for n in sorted(graph.objects(shape, SH.targetNode))]
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _node_checks(graph: Graph, shape, targets: str) -> list[Check]:
    checks = []
    _known(graph, shape, {SH.nodeKind, SH.sparql, SH.deactivated})
    kind = graph.value(shape, SH.nodeKind)
    if kind is not None:
        message = _message(graph, shape)
        checks.append(Check(f"SELECT ?this (?this AS ?value) WHERE {{ {targets} FILTER(!{_node_kind(kind, '?this')}) }}", message, ""))
    for constraint in graph.objects(shape, SH.sparql):
        select = str(graph.value(constraint, SH.select)).replace("$this", "?this")
        prefixes = _prefixes(graph, constraint)
        message = _message(graph, constraint)
        inner = select if re.search(r"\?value\b", select.split("WHERE", 1)[0]) else _with_value(select)
        checks.append(Check(f"{prefixes}SELECT * WHERE {{ {targets} {{ {inner} }} }}", message, ""))
    return checks


def _with_value(select: str) -> str:
    """A SHACL-SPARQL select without ?value reports the focus node as the value."""
    head, body = select.split("WHERE", 1)
    return head.rstrip() + " (?this AS ?value) WHERE" + body


def _property_checks(graph: Graph, prop, targets: str) -> list[Check]:
    _known(graph, prop, {SH.minCount, SH.maxCount, SH["in"], SH.datatype, SH.languageIn, SH["class"], SH.nodeKind,
                         SH.minExclusive, SH.minInclusive, SH.maxExclusive, SH.maxInclusive, SH.lessThan, SH["or"]})
    path, shown = _path(graph, prop)
    message = _message(graph, prop)
    checks = []
    low, high = graph.value(prop, SH.minCount), graph.value(prop, SH.maxCount)
    if low is not None or high is not None:
        # HAVING names the aggregate itself: Oxigraph does not read the SELECT's alias there
        count = "COUNT(DISTINCT ?v)"
        bounds = ([f"{count} < {int(low)}"] if low is not None else []) + ([f"{count} > {int(high)}"] if high is not None else [])
        checks.append(Check(f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?v }} }} "
                            f"GROUP BY ?this HAVING ({' || '.join(bounds)})", message, shown))
    failures = [f"!({ok})" for ok in _value_tests(graph, prop, "?value")]
    if failures:
        checks.append(Check(f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value . "
                            f"FILTER({' || '.join(failures)}) }}", message, shown))
    for other in graph.objects(prop, SH.lessThan):
        checks.append(Check(f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value . ?this <{other}> ?other . "
                            f"FILTER(COALESCE(!(?value < ?other), true)) }}", message, shown))
    return checks


def _value_tests(graph: Graph, node, v: str) -> list[str]:
    """SPARQL expressions each true when the value `v` meets one value constraint of `node`."""
    tests = []
    members = graph.value(node, SH["in"])
    if members is not None:
        tests.append(f"{v} IN ({', '.join(_sparql_term(m) for m in Collection(graph, members))})")
    for datatype in graph.objects(node, SH.datatype):
        lexical = _LEXICAL.get(str(datatype))
        well_formed = f' && REGEX(STR({v}), "{lexical}")' if lexical else ""
        tests.append(f"(isLiteral({v}) && DATATYPE({v}) = <{datatype}>{well_formed})")
    languages = graph.value(node, SH.languageIn)
    if languages is not None:
        tests.append(f"(isLiteral({v}) && ({' || '.join(f'langMatches(LANG({v}), {_sparql_term(t)})' for t in Collection(graph, languages))}))")
    for cls in graph.objects(node, SH["class"]):
        tests.append(f"EXISTS {{ {v} <{_RDF_TYPE}>/<{_SUBCLASS}>* <{cls}> }}")
    kind = graph.value(node, SH.nodeKind)
    if kind is not None:
        tests.append(_node_kind(kind, v))
    for component, op in ((SH.minExclusive, ">"), (SH.minInclusive, ">="), (SH.maxExclusive, "<"), (SH.maxInclusive, "<=")):
        for bound in graph.objects(node, component):
            tests.append(f"COALESCE({v} {op} {_sparql_term(bound)}, false)")
    alternatives = graph.value(node, SH["or"])
    if alternatives is not None:
        options = []
        for member in Collection(graph, alternatives):
            _known(graph, member, {SH.datatype, SH["class"], SH.nodeKind, SH.languageIn, SH["in"]})
            options.append("(" + " && ".join(_value_tests(graph, member, v) or ["true"]) + ")")
        tests.append("(" + " || ".join(options) + ")")
    return tests


def _node_kind(kind, v: str) -> str:
    name = str(kind).rsplit("#", 1)[-1]
    if name not in _NODE_KINDS:
        raise GraphError(f"{SHAPES}: sh:nodeKind {kind} is not supported")
    return _NODE_KINDS[name].format(v=v)


def _path(graph: Graph, prop) -> tuple[str, str]:
    """The SPARQL path of a property shape, and how a report shows it (as the pySHACL engine does)."""
    path = graph.value(prop, SH.path)
    if isinstance(path, URIRef):
        return f"<{path}>", _short(path, _NAMES)
    inverse = graph.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef):
        return f"^<{inverse}>", "(inverse/complex path)"
    raise GraphError(f"{SHAPES}: the path {path} is not supported by the SPARQL validator (an IRI or sh:inversePath)")


def _message(graph: Graph, node) -> str:
    message = graph.value(node, SH.message)
    if message is None:
        raise GraphError(f"{SHAPES}: a shape without sh:message ({_sort_key(graph, node)[:80]}): both engines need one to report alike")
    return str(message)


def _known(graph: Graph, node, constraints: set) -> None:
    """Refuse a constraint the SPARQL engine does not implement (it would silently check nothing)."""
    for predicate in set(graph.predicates(node)) - _DESCRIPTIVE - constraints - {SH.select, SH.prefixes, SH.sparql}:
        raise GraphError(f"{SHAPES}: {predicate} is not supported by the SPARQL validator")
    if graph.value(node, SH.deactivated) is not None and graph.value(node, SH.deactivated).toPython() is True:
        raise GraphError(f"{SHAPES}: sh:deactivated is not supported by the SPARQL validator")


def _prefixes(graph: Graph, constraint) -> str:
    lines = []
    for holder in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(holder, SH.declare):
            lines.append(f"PREFIX {graph.value(declaration, SH.prefix)}: <{graph.value(declaration, SH.namespace)}>\n")
    return "".join(sorted(lines))


def _sparql_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise GraphError(f"{SHAPES}: {term!r} cannot be used in a SPARQL check")
