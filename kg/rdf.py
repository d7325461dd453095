"""The rdflib adapter: entities and facts become triples; graphs are read, written and queried here."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef, Variable
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.plugins.serializers.nt import _quoteLiteral

from .errors import GraphError, QueryError
from .iri import GAZETTEER, document_iri, sentence_iri, statement_iri
from .model import Sentence
from .resolve import Entity, ResolvedFact
from .vocab import KGO
from .writing import atomic_path

SCHEMA = Namespace("https://schema.org/")
FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "jsonld": "json-ld", "json-ld": "json-ld", "trig": "trig", "nquads": "nquads"}
PREFIXES = {"kgo": KGO._NS, "prov": PROV, "skos": SKOS, "schema": SCHEMA, "dcterms": DCTERMS}
PREDICATES = {"locatedIn": KGO.locatedIn, "operatedBy": KGO.operatedBy, "implements": KGO.implements}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.bind("kg", URIRef("https://kg.example.org/id/"))
    return graph


def add_entity(graph: Graph, entity: Entity) -> None:
    node = URIRef(entity.iri)
    graph.add((node, RDF.type, KGO[entity.type]))
    graph.add((node, RDFS.label, Literal(entity.label, lang="zh")))
    for alias in sorted(entity.aliases):
        graph.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    if entity.code:
        graph.add((node, KGO.divisionCode, Literal(entity.code)))
    if entity.subtype:
        graph.add((node, KGO.placeType, Literal(entity.subtype)))
    for doc_id in sorted(entity.documents):
        graph.add((node, KGO.mentionedIn, URIRef(document_iri(doc_id))))


def add_document(graph: Graph, doc_id: str, source: str, sentences: Iterable[Sentence], subject_iris: Iterable[str]) -> None:
    """The document node and the sentences that facts cite, with their text and offsets."""
    doc = URIRef(document_iri(doc_id))
    graph.add((doc, RDF.type, KGO.Document))
    graph.add((doc, DCTERMS.identifier, Literal(doc_id)))
    if source:
        graph.add((doc, DCTERMS.source, Literal(source)))
    for iri in subject_iris:
        graph.add((URIRef(iri), KGO.subjectOf, doc))
    for s in sentences:
        node = URIRef(sentence_iri(doc_id, s.index))
        graph.add((node, RDF.type, KGO.Sentence))
        graph.add((node, KGO.inDocument, doc))
        graph.add((node, KGO.sentenceIndex, Literal(s.index)))
        graph.add((node, KGO.text, Literal(s.text.strip())))
        graph.add((node, KGO.startChar, Literal(s.start)))
        graph.add((node, KGO.endChar, Literal(s.end)))


def add_fact(graph: Graph, fact: ResolvedFact) -> None:
    """The fact as a triple, and as an rdf:Statement that says where it was read (PROV-O)."""
    subject = URIRef(fact.subject)
    source = URIRef(sentence_iri(fact.doc_id, fact.sentence))
    if fact.predicate == "investment":
        amount = fact.amount
        node = URIRef(statement_iri("investment", fact.subject, amount.yuan, fact.doc_id, fact.sentence))
        graph.add((subject, KGO.hasInvestment, node))
        graph.add((node, RDF.type, KGO.Investment))
        graph.add((node, KGO.amountYuan, Literal(decimal_lexical(Decimal(amount.yuan)), datatype=XSD.decimal)))
        graph.add((node, KGO.wording, Literal(amount.wording)))
        graph.add((node, PROV.wasDerivedFrom, source))
        graph.add((node, KGO.rule, Literal(fact.rule)))
        return
    predicate, obj = PREDICATES[fact.predicate], URIRef(fact.object)
    graph.add((subject, predicate, obj))
    statement = URIRef(statement_iri(fact.subject, fact.predicate, fact.object, fact.doc_id, fact.sentence))
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, predicate))
    graph.add((statement, RDF.object, obj))
    graph.add((statement, PROV.wasDerivedFrom, source))
    graph.add((statement, KGO.rule, Literal(fact.rule)))
    graph.add((statement, KGO.basis, Literal(fact.basis)))


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal form (always a point, never an exponent), so every RDF library reads back the same literal.

    >>> decimal_lexical(Decimal("9E+8")), decimal_lexical(Decimal("1.50"))
    ('900000000.0', '1.5')
    """
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if "." in text else text + ".0"


def add_division_link(graph: Graph, child: str, parent: str) -> None:
    """A division's parent, with the gazetteer (GB/T 2260) as its provenance: every fact says where it comes from."""
    child_node, parent_node, source = URIRef(child), URIRef(parent), URIRef(GAZETTEER)
    graph.add((child_node, KGO.locatedIn, parent_node))
    statement = URIRef(statement_iri(child, "locatedIn", parent, "gazetteer"))
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, child_node))
    graph.add((statement, RDF.predicate, KGO.locatedIn))
    graph.add((statement, RDF.object, parent_node))
    graph.add((statement, PROV.wasDerivedFrom, source))
    graph.add((statement, KGO.rule, Literal("divisions.tsv")))
    graph.add((statement, KGO.basis, Literal("gazetteer")))
    graph.add((source, RDF.type, PROV.Entity))
    graph.add((source, DCTERMS.title, Literal("GB/T 2260 中华人民共和国行政区划代码", lang="zh")))


class TripleList(list):
    """Collects what the add_* functions add, for writing one document's graph without an rdflib store."""

    def add(self, triple) -> None:
        self.append(triple)


def nquads(triples: Iterable[tuple], graph_iri: str) -> str:
    """The triples as N-Quads lines in the named graph `graph_iri`, sorted and without repeats."""
    graph = URIRef(graph_iri).n3()
    lines = {f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()} {graph} .\n" for s, p, o in triples}
    return "".join(sorted(lines))


def serialize(graph: Graph, path: Path | str, fmt: str = "turtle") -> Path:
    """Write the graph atomically in one of FORMATS; Turtle is sorted and stable (same graph, same bytes)."""
    try:
        rdflib_format = FORMATS[fmt]
    except KeyError:
        raise GraphError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(set(FORMATS)))}") from None
    with atomic_path(path) as tmp:
        if rdflib_format == "turtle":
            Path(tmp).write_text(canonical_turtle(graph), encoding="utf-8")
        elif rdflib_format in ("nt", "nquads"):
            Path(tmp).write_text(sorted_lines(graph, rdflib_format), encoding="utf-8")
        else:
            graph.serialize(destination=str(tmp), format=rdflib_format, encoding="utf-8")
    return Path(path)


def canonical_turtle(graph: Graph) -> str:
    """Turtle with subjects and their statements in sorted order."""
    return graph.serialize(format="longturtle")


def sorted_lines(graph: Graph, fmt: str) -> str:
    """N-Triples or N-Quads, one statement a line, sorted: same graph, same bytes.

    A single graph's N-Quads are its N-Triples: every triple in the default graph.
    """
    if fmt == "nquads" and not graph.context_aware:
        fmt = "nt"
    # split on "\n" only: str.splitlines() would also cut at U+2028, \x0b … inside literals
    lines = graph.serialize(format=fmt, encoding="utf-8").decode("utf-8").split("\n")
    return "".join(line + "\n" for line in sorted(filter(None, lines)))


def load_graph(path: Path | str) -> Graph:
    """Read a graph file, guessing its format from the extension."""
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file")
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads"}.get(path.suffix, "turtle")
    graph = new_graph()
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(str(path), format=fmt)
            for s, p, o, _ in dataset.quads():
                graph.add((s, p, o))
        else:
            graph.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise GraphError(f"{path}: cannot parse as {fmt}: {exc}") from None
    _canonical_amounts(graph)
    return graph


def _canonical_amounts(graph: Graph) -> None:
    # Oxigraph writes 9E8 as "900000000", rdflib as 900000000.0: read both as the same literal
    for s, p, o in list(graph.triples((None, KGO.amountYuan, None))):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            fixed = Literal(decimal_lexical(Decimal(str(o))), datatype=XSD.decimal)
            if str(fixed) != str(o):
                graph.remove((s, p, o))
                graph.add((s, p, fixed))


def query(graph: Graph, sparql: str, params: dict[str, str] | None = None) -> tuple[list[str], list[tuple]]:
    """Run a SPARQL SELECT/ASK query; return column names and rows of rdflib terms.

    `params` (variable name → value) are bound with rdflib's initBindings: each value is an RDF
    term (an ``<IRI>`` or a plain literal), never text pasted into the query.
    """
    from .store import parameter_terms

    bindings = {Variable(k): v for k, v in parameter_terms(sparql, params or {}, rdflib_term).items()}
    try:
        result = graph.query(sparql, initNs=PREFIXES, initBindings=bindings)
    except Exception as exc:  # pyparsing and rdflib errors
        raise_query_error(exc)
    if result.type == "ASK":
        return ["ask"], [(bool(result.askAnswer),)]
    columns = [str(v) for v in result.vars]
    return columns, [tuple(row) for row in result]


def rdflib_term(value: str):
    """``<http://…>`` is an IRI, anything else a plain string literal."""
    if value.startswith("<") and value.endswith(">"):
        iri = URIRef(value[1:-1])
        if not _valid_iri(iri):
            raise QueryError(f"parameter value {value!r}: not a valid IRI")
        return iri
    return Literal(value)


def _valid_iri(iri: URIRef) -> bool:
    return bool(iri) and not any(ch in str(iri) for ch in '<>"{}|^`\\ ')


def raise_query_error(exc: Exception):
    raise QueryError(f"SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None



