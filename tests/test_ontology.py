"""The code's vocabulary and ontology/kg.ttl stay in sync; every term has Chinese and English labels."""
from pathlib import Path

from rdflib import RDFS, Graph, URIRef

from kg.vocab import KGO

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"


def _ontology():
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def test_ontology_defines_every_term_the_code_uses():
    graph = _ontology()
    defined = {s for s in graph.subjects() if str(s).startswith(str(KGO._NS))}
    used = {KGO[name] for name in KGO.__annotations__}
    assert used - defined == set()


def test_ontology_terms_have_chinese_and_english_labels():
    graph = _ontology()
    for name in KGO.__annotations__:
        langs = {label.language for label in graph.objects(URIRef(KGO[name]), RDFS.label)}
        assert {"zh", "en"} <= langs, name


def test_ontology_built_graph_uses_only_defined_terms(seed_build):
    out, _ = seed_build
    graph = Graph()
    graph.parse(out / "graph.ttl", format="turtle")
    defined = {s for s in _ontology().subjects()}
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(KGO._NS))}
    assert used <= defined


def test_ontology_terms_have_chinese_and_english_comments():
    graph = _ontology()
    for name in KGO.__annotations__:
        langs = {c.language for c in graph.objects(URIRef(KGO[name]), RDFS.comment)}
        assert {"zh", "en"} <= langs, name


def test_ontology_properties_have_ranges_and_classes_are_owl():
    from rdflib import OWL, RDF

    graph = _ontology()
    for name in KGO.__annotations__:
        term = URIRef(KGO[name])
        kinds = set(graph.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name
        if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert graph.value(term, RDFS.range) is not None, name


def test_ontology_every_term_in_the_shapes_and_queries_is_defined():
    import re

    defined = {str(s) for s in _ontology().subjects()}
    folder = ONTOLOGY.parent
    texts = [(folder / "shapes.ttl").read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in (folder / "queries").glob("*.rq")]
    used = {str(KGO._NS) + local for text in texts for local in re.findall(r"\bkgo:([A-Za-z]+)", text)}
    assert used and used <= defined, used - defined
