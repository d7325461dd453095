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
    broken = _copy(seed_graph)
    _break_type(broken)
    serialize(broken, tmp_path / "broken.ttl")
    bad = CliRunner().invoke(main, ["validate", str(tmp_path / "broken.ttl")])
    assert bad.exit_code == 1 and "exactly one type" in bad.output
