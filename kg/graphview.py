"""Reads a kg RDF graph back into the networkx graph the HTML view draws, and selects the part of it to draw."""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS, PROV, SKOS

from .errors import GraphError
from .vocab import KGO

_TYPES = {KGO.Company: "Company", KGO.Project: "Project", KGO.Place: "Place", KGO.Program: "Program", KGO.Organization: "Organization"}
_EDGES = {KGO.locatedIn: "locatedIn", KGO.operatedBy: "operatedBy", KGO.implements: "implements"}


def networkx_from_rdf(graph: Graph) -> nx.MultiDiGraph:
    """Entities become nodes (label, type, aliases, sources, facts, documents); kg relations become edges.

    A node's sources are the sentences of every fact it takes part in, as subject or object (a
    program is read from the sentence saying who implements it); its documents, every document
    that names it (kgo:mentionedIn), fact or no fact.
    """
    out = nx.MultiDiGraph()
    names = {doc: str(name) for doc, name in graph.subject_objects(DCTERMS.identifier)}
    # each document's report year, where it was read (dcterms:date): the view's year filter and sources
    out.graph["years"] = {names[doc]: str(year)[:4] for doc, year in graph.subject_objects(DCTERMS.date) if doc in names}
    for node, cls in graph.subject_objects(RDF.type):
        if cls in _TYPES:
            out.add_node(str(node), label=str(graph.value(node, RDFS.label) or node), type=_TYPES[cls],
                         aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)), sources=[], facts=[],
                         documents=sorted({names.get(d, str(d)) for d in graph.objects(node, KGO.mentionedIn)}))
    for predicate, name in _EDGES.items():
        for s, o in graph.subject_objects(predicate):
            if str(s) in out and str(o) in out:
                out.add_edge(str(s), str(o), key=name, label=name)
    for statement in sorted(graph.subjects(RDF.type, RDF.Statement)):
        for end in (RDF.subject, RDF.object):
            node = str(graph.value(statement, end))
            if node in out:
                _add_source(graph, out.nodes[node], graph.value(statement, PROV.wasDerivedFrom))
    for owner, investment in sorted(graph.subject_objects(KGO.hasInvestment)):
        if str(owner) in out:
            out.nodes[str(owner)]["facts"].append(_investment(graph, investment))
            _add_source(graph, out.nodes[str(owner)], graph.value(investment, PROV.wasDerivedFrom))
    for node, sentence in sorted(graph.subject_objects(KGO.namedIn)):  # a name read without a fact: its sentence
        if str(node) in out:
            _add_source(graph, out.nodes[str(node)], sentence)
    return out


def _add_source(graph: Graph, node: dict, sentence) -> None:
    if sentence is None or graph.value(sentence, KGO.text) is None:
        return  # the gazetteer, not a sentence: nothing to quote
    doc = graph.value(sentence, KGO.inDocument)
    doc_name = str(graph.value(doc, DCTERMS.identifier) or doc) if doc is not None else ""
    source = (doc_name, str(graph.value(sentence, KGO.text) or ""))
    if source not in node["sources"]:
        node["sources"].append(source)



def _investment(graph: Graph, investment) -> str:
    """An investment as a key figure in 亿元, with the report's own wording when it differs (9000万元)."""
    wording = str(graph.value(investment, KGO.wording) or "")
    yuan = graph.value(investment, KGO.amountYuan)
    if yuan is None:
        return f"投资 {wording}"
    yi = f"{float(yuan.toPython()) / 1e8:.4f}".rstrip("0").rstrip(".") + "亿元"
    return f"投资 {yi}" if wording == yi else f"投资 {yi}（{wording}）"


def select_view(graph: nx.MultiDiGraph, *, around: str | None = None, depth: int = 1, types: Iterable[str] = (),
                document: str | None = None, top: int | None = None) -> tuple[nx.MultiDiGraph, str]:
    """The part of `graph` to draw, and a one-line description of the selection ("" when it keeps everything).

    Filters apply in this order: `types`, `document` (nodes citing that document), `around` (the nodes
    within `depth` relations of the entity named, by name, alias or IRI), then the `top` nodes of highest
    degree. The caller's graph is not changed.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="新荣区", type="Place"); g.add_node("b", label="大同市", type="Place")
    >>> g.add_node("c", label="山西省", type="Place"); _ = g.add_edges_from([("a", "b"), ("b", "c")])
    >>> sub, text = select_view(g, around="新荣区", depth=1)
    >>> sorted(sub.nodes), text
    (['a', 'b'], '--around 新荣区 --depth 1')
    """
    keep = set(graph.nodes)
    described = []
    types = [t for t in types if t]
    if types:
        keep = {n for n in keep if graph.nodes[n].get("type") in types}
        described.append("--types " + ",".join(types))
    if document:  # everything the document names, with or without a fact
        keep = {n for n in keep if any(_doc_matches(doc, document) for doc in node_documents(graph.nodes[n]))}
        described.append(f"--document {document}")
    if around:
        centre = find_node(graph, around)
        undirected = graph.subgraph(keep | {centre}).to_undirected(as_view=True)
        keep = set(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
        described.append(f"--around {around} --depth {depth}")
    if top is not None and len(keep) > top:
        keep = set(sorted(keep, key=lambda n: (-graph.degree(n), str(n)))[:max(top, 0)])
        described.append(f"--top {top}")
    if described and not keep:
        raise GraphError(f"the selection {' '.join(described)} keeps no node")
    return graph.subgraph(keep).copy(), " ".join(described)


def find_node(graph: nx.MultiDiGraph, name: str):
    """The node named `name` (its IRI, label or an alias); among several, the one of highest degree."""
    return named_nodes(graph, name)[0]


def named_nodes(graph: nx.MultiDiGraph, name: str) -> list:
    """The nodes `name` may mean (its IRI; else its label, else an alias), highest degree first."""
    if name in graph:
        return [name]
    found = [n for n, d in graph.nodes(data=True) if name == d.get("label")]
    found = found or [n for n, d in graph.nodes(data=True) if name in (d.get("aliases") or ())]
    if not found:
        raise GraphError(f"no entity named {name!r} in the graph (give its name, an alias or its IRI)")
    return sorted(found, key=lambda n: (-graph.degree(n), str(n)))


def ambiguity_note(graph: nx.MultiDiGraph, name: str) -> str | None:
    """When `name` means several entities: which one --around draws, and the others (with their IRIs, to choose)."""
    nodes = named_nodes(graph, name)
    if len(nodes) < 2:
        return None
    chosen, *others = (describe_node(graph, n) for n in nodes)
    return (f"--around {name}: {len(nodes)} entities have this name; drawing the most connected, {chosen}; "
            f"the others: {'; '.join(others)} (give an IRI to choose)")


def describe_node(graph: nx.MultiDiGraph, node) -> str:
    """A node as a user tells it from its namesakes: label, type, the place it lies in, degree, IRI."""
    data = graph.nodes[node]
    parents = sorted(str(graph.nodes[v].get("label", v)) for _, v, d in graph.out_edges(node, data=True) if d.get("label") == "locatedIn")
    where = f" in {'/'.join(parents)}" if parents else ""
    return f"{data.get('label', node)} ({data.get('type', '?')}{where}, {graph.degree(node)} relations) <{node}>"


def node_documents(data: dict) -> set[str]:
    """The documents a node is read from: those of its source sentences and those that name it."""
    return {doc for doc, _ in data.get("sources") or () if doc} | set(data.get("documents") or ())


def _doc_matches(doc: str, wanted: str) -> bool:
    """Whether a document name matches what the user typed: the whole name, or the name without .txt."""
    return doc == wanted or doc.removesuffix(".txt") == wanted.removesuffix(".txt")
