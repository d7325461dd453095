"""Reads a kg RDF graph back into the networkx graph the HTML view draws."""
from __future__ import annotations

import networkx as nx
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS, PROV, SKOS

from .vocab import KGO

_TYPES = {KGO.Company: "Company", KGO.Project: "Project", KGO.Place: "Place", KGO.Program: "Program", KGO.Organization: "Organization"}
_EDGES = {KGO.locatedIn: "locatedIn", KGO.operatedBy: "operatedBy", KGO.implements: "implements"}


def networkx_from_rdf(graph: Graph) -> nx.MultiDiGraph:
    """Entities become nodes (label, type, aliases, sources, facts); kg relations become edges."""
    out = nx.MultiDiGraph()
    for node, cls in graph.subject_objects(RDF.type):
        if cls in _TYPES:
            out.add_node(str(node), label=str(graph.value(node, RDFS.label) or node), type=_TYPES[cls],
                         aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)), sources=[], facts=[])
    for predicate, name in _EDGES.items():
        for s, o in graph.subject_objects(predicate):
            if str(s) in out and str(o) in out:
                out.add_edge(str(s), str(o), key=name, label=name)
    for statement in graph.subjects(RDF.type, RDF.Statement):
        subject = str(graph.value(statement, RDF.subject))
        if subject in out:
            _add_source(graph, out.nodes[subject], graph.value(statement, PROV.wasDerivedFrom))
    for owner, investment in graph.subject_objects(KGO.hasInvestment):
        if str(owner) in out:
            out.nodes[str(owner)]["facts"].append(f"投资 {graph.value(investment, KGO.wording)}")
            _add_source(graph, out.nodes[str(owner)], graph.value(investment, PROV.wasDerivedFrom))
    return out


def _add_source(graph: Graph, node: dict, sentence) -> None:
    if sentence is None or graph.value(sentence, KGO.text) is None:
        return  # the gazetteer, not a sentence: nothing to quote
    doc = graph.value(sentence, KGO.inDocument)
    doc_name = str(graph.value(doc, DCTERMS.identifier) or doc) if doc is not None else ""
    source = (doc_name, str(graph.value(sentence, KGO.text) or ""))
    if source not in node["sources"]:
        node["sources"].append(source)

