"""SHACL validation: the seeds' graph conforms; each kind of broken graph is caught and reported readably."""
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from kg.rdf import load_graph
from kg.validate import validate
from kg.vocab import KGO


@pytest.fixture(scope="module")
def seed_graph(seed_build):
    out, _ = seed_build
    return load_graph(out / "graph.ttl")


def _copy(graph):
    copy = type(graph)()
    for triple in graph:
        copy.add(triple)
    return copy


def test_validate_seed_build_conforms(seed_graph):
    report = validate(seed_graph)
    assert report.conforms, report.text(10)
    assert report.violations == ()


def _break_label(g):
    place = next(g.subjects(RDF.type, KGO.Place))
    g.add((place, RDFS.label, Literal("第二个名字", lang="zh")))
    return "exactly one label"


def _break_type(g):
    company = next(g.subjects(RDF.type, KGO.Company))
    g.add((company, RDF.type, KGO.Project))
    return "exactly one type"


def _break_amount(g):
    investment = next(g.subjects(RDF.type, KGO.Investment))
    amount = g.value(investment, KGO.amountYuan)
    g.set((investment, KGO.amountYuan, Literal(str(amount))))  # a string, not an xsd:decimal
    return "xsd:decimal amount in yuan"


def _break_provenance(g):
    statement = next(s for s in g.subjects(RDF.type, RDF.Statement) if g.value(s, RDF.predicate) == KGO.operatedBy)
    for triple in list(g.triples((statement, None, None))):
        g.remove(triple)
    return "relation without provenance"


def _break_tree(g):
    child, parent = next((c, p) for c, p in g.subject_objects(KGO.locatedIn) if (p, RDF.type, KGO.Place) in g and (c, RDF.type, KGO.Place) in g)
    g.add((parent, KGO.locatedIn, child))  # a cycle, and (for the parent) a second parent place
    return "places form a cycle"


@pytest.mark.parametrize("breaker", [_break_label, _break_type, _break_amount, _break_provenance, _break_tree])
def test_validate_broken_graph_does_not_conform(seed_graph, breaker):
    broken = _copy(seed_graph)
    expected = breaker(broken)
    report = validate(broken)
    assert not report.conforms
    text = report.text()
    assert text.startswith("does not conform") and expected in text, text


def test_validate_report_names_the_node_by_label(seed_graph):
    broken = _copy(seed_graph)
    investment = URIRef("https://kg.example.org/id/fact/test-investment")
    project = next(broken.subjects(RDF.type, KGO.Project))
    broken.add((project, KGO.hasInvestment, investment))
    broken.add((investment, RDF.type, KGO.Investment))
    broken.add((investment, KGO.amountYuan, Literal(Decimal("-5"), datatype=XSD.decimal)))
    report = validate(broken)
    lines = [str(v) for v in report.violations if v.focus == str(investment)]
    # no wording, no source sentence, and a negative amount: each is its own line
    assert len(lines) == 3, lines
    assert any("kgo:wording" in line for line in lines) and any("prov:wasDerivedFrom" in line for line in lines)
    label = str(broken.value(project, RDFS.label))
    assert not any(label in line for line in lines)  # the investment has no label; its project's is not borrowed


def test_validate_cli_exit_codes(seed_graph, seed_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.rdf import serialize

    out, _ = seed_build
    ok = CliRunner().invoke(main, ["validate", str(out / "graph.ttl")])
    assert ok.exit_code == 0 and ok.output.startswith("conforms")
    folder = CliRunner().invoke(main, ["validate", str(out)])  # a build folder stands for its store
    assert folder.exit_code == 0 and folder.output.startswith("conforms"), folder.output
    broken = _copy(seed_graph)
    _break_type(broken)
    serialize(broken, tmp_path / "broken.ttl")
    bad = CliRunner().invoke(main, ["validate", str(tmp_path / "broken.ttl")])
    assert bad.exit_code == 1 and "exactly one type" in bad.output


# ---- the SPARQL engine reports what pySHACL reports ------------------------------------------------

def _crafted(g):
    """The seeds' graph with every kind of violation the shapes describe, each on nodes of its own."""
    from rdflib import BNode
    from rdflib.namespace import DCTERMS, PROV

    def some(kind, n):
        return sorted(g.subjects(RDF.type, kind))[n]

    def drop(s, p):
        for triple in list(g.triples((s, p, None))):
            g.remove(triple)

    programs, places = sorted(g.subjects(RDF.type, KGO.Program)), sorted(g.subjects(RDF.type, KGO.Place))
    g.add((programs[0], RDFS.label, Literal("第二个名字", lang="zh")))            # two labels
    g.set((programs[1], RDFS.label, Literal("a label in English", lang="en")))  # not @zh
    drop(programs[2], RDFS.label)                                                # no label (found by kgo:mentionedIn)
    g.add((programs[3], RDF.type, KGO.Project))                                  # two types
    g.set((programs[4], RDF.type, KGO.Document))                                 # a type not an entity's
    drop(programs[5], RDF.type)                                                  # no type
    blank = BNode()
    g.add((blank, RDFS.label, Literal("无名", lang="zh")))                        # not an IRI, and no type
    investments = sorted(g.subjects(RDF.type, KGO.Investment))
    g.set((investments[0], KGO.amountYuan, Literal("900000000")))               # a string, not a decimal
    g.set((investments[1], KGO.amountYuan, Literal(Decimal("-5"), datatype=XSD.decimal)))  # not positive
    g.add((investments[2], KGO.amountYuan, Literal(Decimal("7"), datatype=XSD.decimal)))   # two amounts
    drop(investments[3], KGO.wording)                                            # no wording
    g.set((investments[4], KGO.wording, Literal("9亿元", lang="zh")))             # not an xsd:string
    for triple in list(g.triples((None, KGO.hasInvestment, investments[5]))):   # nobody's
        g.remove(triple)
    drop(investments[6], PROV.wasDerivedFrom)                                     # no source
    g.set((investments[7], PROV.wasDerivedFrom, programs[6]))                    # a source that is no sentence
    statements = sorted(g.subjects(RDF.type, RDF.Statement))
    g.add((statements[0], RDF.subject, programs[7]))                             # two subjects
    g.set((statements[1], RDF.subject, Literal("不是IRI")))                       # a literal subject
    g.set((statements[2], RDF.predicate, KGO.hasInvestment))                     # not a relation
    drop(statements[3], RDF.object)                                              # no object
    drop(statements[4], KGO.rule)                                                # no rule
    g.set((statements[5], PROV.wasDerivedFrom, programs[8]))                     # neither sentence nor source
    g.add((programs[9], KGO.implements, programs[10]))                           # a relation without provenance
    g.add((places[0], KGO.locatedIn, places[1]))
    g.add((places[0], KGO.locatedIn, places[2]))                                 # two parents
    g.add((places[3], KGO.locatedIn, programs[11]))                              # a parent that is no place
    g.add((places[4], KGO.locatedIn, places[5]))
    g.add((places[5], KGO.locatedIn, places[4]))                                 # a loop
    sentences = sorted(g.subjects(RDF.type, KGO.Sentence))
    drop(sentences[0], KGO.text)                                                 # no text
    g.set((sentences[1], KGO.text, Literal("一句话", lang="zh")))                  # not an xsd:string
    g.set((sentences[2], KGO.startChar, Literal(-1)))                            # a negative offset
    g.set((sentences[3], KGO.startChar, Literal("12")))                          # a string offset
    drop(sentences[4], KGO.endChar)                                              # no end
    g.set((sentences[5], KGO.startChar, Literal(100)))
    g.set((sentences[5], KGO.endChar, Literal(50)))                              # ends before it starts
    g.add((sentences[6], KGO.inDocument, sentences[7]))                          # two documents, one no document
    documents = sorted(g.subjects(RDF.type, KGO.Document))
    drop(documents[0], DCTERMS.identifier)                                       # no identifier
    g.add((documents[1], DCTERMS.identifier, Literal("another.txt")))            # two identifiers
    g.add((documents[2], DCTERMS.title, Literal("一", lang="zh")))
    g.add((documents[2], DCTERMS.title, Literal("二", lang="zh")))                # two titles
    g.add((documents[3], DCTERMS.date, Literal("2023")))                         # a year that is no xsd:gYear
    g.add((documents[3], DCTERMS.issued, Literal("2023年3月")))                   # a date that is no xsd:date
    g.add((documents[4], DCTERMS.spatial, programs[12]))                         # an issuer that is no place
    g.add((documents[4], DCTERMS.type, Literal("report", lang="en")))            # a kind not in Chinese
    g.add((statements[6], KGO.tense, Literal("maybe")))                          # a tense neither done nor planned
    g.add((programs[13], KGO.tense, Literal("done")))                            # a tense on no fact read from a sentence
    return g


def _comparable(report):
    """Violations with blank nodes named alike (each engine names them its own way)."""
    def named(text):
        return "_:" if text.startswith("_:") else text

    return sorted((named(v.focus), v.label, v.path, named(v.value), v.message) for v in report.violations)


def test_validate_sparql_engine_reports_what_pyshacl_reports(seed_graph, tmp_path):
    from kg.rdf import serialize
    from kg.store import memory_store
    from kg.validate import compile_shapes, validate_sparql

    crafted = serialize(_crafted(_copy(seed_graph)), tmp_path / "crafted.ttl")
    reference = validate(load_graph(crafted))
    ours = validate_sparql(memory_store(crafted))
    assert not ours.conforms
    only_ours = set(_comparable(ours)) - set(_comparable(reference))
    only_pyshacl = set(_comparable(reference)) - set(_comparable(ours))
    assert not only_ours and not only_pyshacl, (sorted(only_ours), sorted(only_pyshacl))
    assert _comparable(ours) == _comparable(reference)
    # every constraint of the shapes was broken at least once: the comparison covers them all
    assert {c.message for c in compile_shapes()} == {v.message for v in reference.violations}


def test_validate_sparql_engine_on_the_seeds_store_conforms(seed_build):
    from kg.validate import validate_sparql

    out, _ = seed_build
    assert validate_sparql(out / "store").conforms
