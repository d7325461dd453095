"""The rdflib adapter: entities and facts become triples; graphs are read, written and queried here."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef, Variable
from rdflib.namespace import DCTERMS, PROV, SKOS

from .errors import GraphError, QueryError
from .iri import GAZETTEER, document_iri, sentence_iri, statement_iri
from .model import ENTITY_TYPES, Sentence
from .parameters import parameter_terms
from .reports import Report
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


class RdflibTerms:
    """The add_* functions' terms as rdflib terms, for an rdflib graph."""

    iri = URIRef

    @staticmethod
    def literal(value, lang: str | None = None, datatype: str | None = None) -> Literal:
        return Literal(value, lang=lang, datatype=URIRef(datatype) if datatype else None)


class NTriplesTerms:
    """The same terms as N-Triples text, spelt as rdflib's N-Triples writer spells them (same bytes).

    A build writes every document's graph this way: making rdflib terms only to print them again cost
    a tenth of a build's time.
    """

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    @staticmethod
    def literal(value, lang: str | None = None, datatype: str | None = None) -> str:
        if isinstance(value, int):  # Literal(5) is an xsd:integer
            return f'"{value}"^^<{_XSD_INTEGER}>'
        # rdflib's _quote_encode: only these four are escaped; the rest is written as it is (UTF-8)
        quoted = '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
        if lang:
            return f"{quoted}@{lang}"
        return f"{quoted}^^<{datatype}>" if datatype else quoted


_XSD_INTEGER = str(XSD.integer)
RDFLIB = RdflibTerms()
NTRIPLES = NTriplesTerms()


class V:
    """The vocabulary terms the add_* functions write, looked up once (a namespace's attribute
    look-up runs Python code, and a build makes tens of thousands of triples)."""

    dcterms_date = DCTERMS.date
    dcterms_identifier = DCTERMS.identifier
    dcterms_issued = DCTERMS.issued
    dcterms_source = DCTERMS.source
    dcterms_spatial = DCTERMS.spatial
    dcterms_title = DCTERMS.title
    dcterms_type = DCTERMS.type
    kgo_Document = KGO.Document
    kgo_Investment = KGO.Investment
    kgo_Sentence = KGO.Sentence
    kgo_amountYuan = KGO.amountYuan
    kgo_basis = KGO.basis
    kgo_divisionCode = KGO.divisionCode
    kgo_endChar = KGO.endChar
    kgo_hasInvestment = KGO.hasInvestment
    kgo_inDocument = KGO.inDocument
    kgo_locatedIn = KGO.locatedIn
    kgo_mentionedIn = KGO.mentionedIn
    kgo_namedIn = KGO.namedIn
    kgo_placeType = KGO.placeType
    kgo_rule = KGO.rule
    kgo_sentenceIndex = KGO.sentenceIndex
    kgo_startChar = KGO.startChar
    kgo_subjectOf = KGO.subjectOf
    kgo_tense = KGO.tense
    kgo_text = KGO.text
    kgo_wording = KGO.wording
    prov_Entity = PROV.Entity
    prov_wasDerivedFrom = PROV.wasDerivedFrom
    rdf_Statement = RDF.Statement
    rdf_object = RDF.object
    rdf_predicate = RDF.predicate
    rdf_subject = RDF.subject
    rdf_type = RDF.type
    rdfs_label = RDFS.label
    skos_altLabel = SKOS.altLabel
    xsd_date = XSD.date
    xsd_decimal = XSD.decimal
    xsd_gYear = XSD.gYear


ENTITY_CLASSES = {kind: KGO[kind] for kind in ENTITY_TYPES}


def add_entity(graph: Graph, entity: Entity, terms=RDFLIB) -> None:
    iri, literal = terms.iri, terms.literal
    node = iri(entity.iri)
    graph.add((node, iri(V.rdf_type), iri(ENTITY_CLASSES[entity.type])))
    graph.add((node, iri(V.rdfs_label), literal(entity.label, lang="zh")))
    for alias in sorted(entity.aliases):
        graph.add((node, iri(V.skos_altLabel), literal(alias, lang="zh")))
    if entity.code:
        graph.add((node, iri(V.kgo_divisionCode), literal(entity.code)))
    if entity.subtype:
        graph.add((node, iri(V.kgo_placeType), literal(entity.subtype)))
    for doc_id in sorted(entity.documents):
        graph.add((node, iri(V.kgo_mentionedIn), iri(document_iri(doc_id))))


def add_document(graph: Graph, doc_id: str, source: str, sentences: Iterable[Sentence], subject_iris: Iterable[str],
                 terms=RDFLIB, named: Iterable[tuple[int, str]] = ()) -> None:
    """The document node and the sentences that facts cite, with their text and offsets; `named`
    (sentence index, entity IRI): an entity named in the document without a fact, and the first
    sentence naming it (kgo:namedIn)."""
    iri, literal = terms.iri, terms.literal
    doc = iri(document_iri(doc_id))
    graph.add((doc, iri(V.rdf_type), iri(V.kgo_Document)))
    graph.add((doc, iri(V.dcterms_identifier), literal(doc_id)))
    if source:
        graph.add((doc, iri(V.dcterms_source), literal(source)))
    for subject in subject_iris:
        graph.add((iri(subject), iri(V.kgo_subjectOf), doc))
    for s in sentences:
        node = iri(sentence_iri(doc_id, s.index))
        graph.add((node, iri(V.rdf_type), iri(V.kgo_Sentence)))
        graph.add((node, iri(V.kgo_inDocument), doc))
        graph.add((node, iri(V.kgo_sentenceIndex), literal(s.index)))
        graph.add((node, iri(V.kgo_text), literal(s.text.strip())))
        graph.add((node, iri(V.kgo_startChar), literal(s.start)))
        graph.add((node, iri(V.kgo_endChar), literal(s.end)))
    for index, entity in named:
        graph.add((iri(entity), iri(V.kgo_namedIn), iri(sentence_iri(doc_id, index))))


def add_report(graph: Graph, doc_id: str, report: Report, issuer_iri: str | None, terms=RDFLIB) -> None:
    """What the report states of itself (kg.reports.Report), in Dublin Core terms (see ontology/kg.ttl); what it does not state is left out."""
    iri, literal = terms.iri, terms.literal
    doc = iri(document_iri(doc_id))
    if report.title:
        graph.add((doc, iri(V.dcterms_title), literal(report.title, lang="zh")))
    if report.year is not None:
        graph.add((doc, iri(V.dcterms_date), literal(f"{report.year:04d}", datatype=V.xsd_gYear)))
    if report.date:
        graph.add((doc, iri(V.dcterms_issued), literal(report.date, datatype=V.xsd_date)))
    if report.kind:
        graph.add((doc, iri(V.dcterms_type), literal(report.kind, lang="zh")))
    if issuer_iri:
        graph.add((doc, iri(V.dcterms_spatial), iri(issuer_iri)))
        graph.add((iri(issuer_iri), iri(V.kgo_subjectOf), doc))


def add_fact(graph: Graph, fact: ResolvedFact, terms=RDFLIB, tense: str | None = None) -> None:
    """The fact as a triple, and as an rdf:Statement that says where it was read (PROV-O); `tense`,
    "done" or "planned", when its sentence states one (kg.reports.sentence_tense)."""
    iri, literal = terms.iri, terms.literal
    subject = iri(fact.subject)
    source = iri(sentence_iri(fact.doc_id, fact.sentence))
    if fact.predicate == "investment":
        amount = fact.amount
        node = iri(statement_iri("investment", fact.subject, amount.yuan, fact.doc_id, fact.sentence))
        graph.add((subject, iri(V.kgo_hasInvestment), node))
        graph.add((node, iri(V.rdf_type), iri(V.kgo_Investment)))
        graph.add((node, iri(V.kgo_amountYuan), literal(decimal_lexical(Decimal(amount.yuan)), datatype=V.xsd_decimal)))
        graph.add((node, iri(V.kgo_wording), literal(amount.wording)))
        graph.add((node, iri(V.prov_wasDerivedFrom), source))
        graph.add((node, iri(V.kgo_rule), literal(fact.rule)))
        if tense:
            graph.add((node, iri(V.kgo_tense), literal(tense)))
        return
    predicate, obj = iri(PREDICATES[fact.predicate]), iri(fact.object)
    graph.add((subject, predicate, obj))
    statement = iri(statement_iri(fact.subject, fact.predicate, fact.object, fact.doc_id, fact.sentence))
    graph.add((statement, iri(V.rdf_type), iri(V.rdf_Statement)))
    graph.add((statement, iri(V.rdf_subject), subject))
    graph.add((statement, iri(V.rdf_predicate), predicate))
    graph.add((statement, iri(V.rdf_object), obj))
    graph.add((statement, iri(V.prov_wasDerivedFrom), source))
    graph.add((statement, iri(V.kgo_rule), literal(fact.rule)))
    graph.add((statement, iri(V.kgo_basis), literal(fact.basis)))
    if tense:
        graph.add((statement, iri(V.kgo_tense), literal(tense)))


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal form (always a point, never an exponent), so every RDF library reads back the same literal.

    >>> decimal_lexical(Decimal("9E+8")), decimal_lexical(Decimal("1.50"))
    ('900000000.0', '1.5')
    """
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if "." in text else text + ".0"


def add_division_link(graph: Graph, child: str, parent: str, terms=RDFLIB) -> None:
    """A division's parent, with the gazetteer (GB/T 2260) as its provenance: every fact says where it comes from."""
    iri, literal = terms.iri, terms.literal
    child_node, parent_node, source = iri(child), iri(parent), iri(GAZETTEER)
    graph.add((child_node, iri(V.kgo_locatedIn), parent_node))
    statement = iri(statement_iri(child, "locatedIn", parent, "gazetteer"))
    graph.add((statement, iri(V.rdf_type), iri(V.rdf_Statement)))
    graph.add((statement, iri(V.rdf_subject), child_node))
    graph.add((statement, iri(V.rdf_predicate), iri(V.kgo_locatedIn)))
    graph.add((statement, iri(V.rdf_object), parent_node))
    graph.add((statement, iri(V.prov_wasDerivedFrom), source))
    graph.add((statement, iri(V.kgo_rule), literal("divisions.tsv")))
    graph.add((statement, iri(V.kgo_basis), literal("gazetteer")))
    graph.add((source, iri(V.rdf_type), iri(V.prov_Entity)))
    graph.add((source, iri(V.dcterms_title), literal("GB/T 2260 中华人民共和国行政区划代码", lang="zh")))


class NQuads:
    """Collects what the add_* functions add (with NTRIPLES terms) as N-Quads lines of one named graph."""

    def __init__(self, graph_iri: str):
        self._graph = f"<{graph_iri}>"
        self._triples: set[tuple[str, str, str]] = set()

    def add(self, triple: tuple[str, str, str]) -> None:
        self._triples.add(triple)

    def triples(self) -> set[tuple[str, str, str]]:
        """The (subject, predicate, object) N-Triples texts added, each once."""
        return self._triples

    def text(self) -> str:
        """The lines sorted and without repeats: same graph, same bytes."""
        graph = self._graph
        return "".join(sorted(f"{s} {p} {o} {graph} .\n" for s, p, o in self._triples))


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
        elif rdflib_format == "json-ld":
            Path(tmp).write_text(compact_jsonld(graph), encoding="utf-8")
        else:
            graph.serialize(destination=str(tmp), format=rdflib_format, encoding="utf-8")
    return Path(path)


# The JSON-LD export's @context: short names for the vocabularies kg writes (rdf: and xsd: too, for
# rdf:Statement and typed amounts), so keys read kgo:locatedIn instead of full IRIs
JSONLD_CONTEXT = {"kgo": str(KGO._NS), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
                  "prov": str(PROV), "dcterms": str(DCTERMS)}


def compact_jsonld(graph: Graph) -> str:
    """JSON-LD with JSONLD_CONTEXT, its nodes sorted by @id and keys sorted: same graph, same bytes."""
    import json

    def ordered(value, key=""):
        if isinstance(value, dict):
            return {k: ordered(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [ordered(v) for v in value]
            # JSON-LD arrays are unordered sets of values, but an @list's order is its meaning
            return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return value

    data = json.loads(graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    return json.dumps(ordered(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


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
    except Exception as exc:  # rdflib raises many parser-specific types, some with many-line messages
        raise GraphError(f"{path}: cannot parse as {fmt}: {_parse_error(path, exc)}") from None
    _canonical_amounts(graph)
    return graph


def _parse_error(path: Path, exc: Exception) -> str:
    """rdflib's message on one line (kg.store.load_any names the line and column with Oxigraph's parser)."""
    return " ".join(str(exc).split())[:300]


def _canonical_amounts(graph: Graph) -> None:
    # Oxigraph writes 9E8 as "900000000", rdflib as 900000000.0: read both as the same literal
    for s, p, o in list(graph.triples((None, KGO.amountYuan, None))):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            fixed = Literal(decimal_lexical(Decimal(str(o))), datatype=V.xsd_decimal)
            if str(fixed) != str(o):
                graph.remove((s, p, o))
                graph.add((s, p, fixed))


def query(graph: Graph, sparql: str, params: dict[str, str] | None = None) -> tuple[list[str], list[tuple]]:
    """Run a SPARQL SELECT/ASK query; return column names and rows of rdflib terms.

    `params` (variable name → value) are bound with rdflib's initBindings: each value is an RDF
    term (an ``<IRI>`` or a plain literal), never text pasted into the query.
    """
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



