"""The on-disk Oxigraph store: bulk loading, SPARQL over it, safe query parameters, and the same answers as a file."""
import subprocess

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg import store
from kg.errors import GraphError
from kg.cli import main
from kg.queries import query_text, run_query
from kg.rdf import load_graph

INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def seed_store(seed_build, tmp_path_factory):
    out, _ = seed_build
    folder = tmp_path_factory.mktemp("store") / "store"
    store.bulk_load(folder, [out / "graph.ttl"])
    return folder


def test_store_bulk_load_keeps_every_triple(seed_build, seed_store):
    out, _ = seed_build
    assert store.is_store(seed_store) and not store.is_store(out / "graph.ttl")
    assert isomorphic(store.to_graph(seed_store), load_graph(out / "graph.ttl"))


def test_store_named_graphs_are_queried_as_one(tmp_path):
    (tmp_path / "a.nq").write_text('<http://e/a> <http://e/p> "1" <http://e/doc1> .\n<http://e/b> <http://e/p> "2" <http://e/doc2> .\n', encoding="utf-8")
    folder = tmp_path / "s"
    assert store.bulk_load(folder, [tmp_path / "a.nq"]) == 2
    columns, rows = store.query(folder, "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://e/p> ?o }")
    assert rows[0][0].toPython() == 2


@pytest.mark.parametrize("name", ["projects-by-investment", "place-parents", "fact-sources", "programs-by-place"])
def test_store_named_queries_answer_as_the_graph_file_does(seed_build, seed_store, name):
    out, _ = seed_build
    sparql = query_text(name)
    assert run_query(seed_store, sparql) == run_query(out / "graph.ttl", sparql)


@pytest.mark.parametrize("backend", ["file", "store"])
def test_store_query_param_binds_a_literal(seed_build, seed_store, backend):
    source = seed_store if backend == "store" else seed_build[0] / "graph.ttl"
    columns, rows = run_query(source, query_text("facts-about-place"), {"name": "大同市"})
    assert rows and {row[columns.index("name")] for row in rows} == {"大同市"}
    assert ("云冈区", "locatedIn", "大同市") in {row[:3] for row in rows}
    # an injection attempt is one literal that names no place: no rows, no error, nothing dropped
    assert run_query(source, query_text("facts-about-place"), {"name": INJECTION})[1] == []
    assert run_query(source, "ASK { ?s ?p ?o }") == (["ask"], [(True,)])


def test_store_query_param_must_name_a_variable(seed_store):
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="no variable"):
        run_query(seed_store, query_text("place-parents"), {"nope": "1"})
    with pytest.raises(QueryError, match="not a SPARQL variable"):
        run_query(seed_store, query_text("facts-about-place"), {"name }": "1"})


def test_store_cli_query_param_injection_is_a_literal(seed_build):
    out, _ = seed_build
    result = CliRunner().invoke(main, ["query", str(out / "graph.ttl"), "--name", "facts-about-place",
                                       "--param", f"name={INJECTION}", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "subject,relation,object,document,source,name"


def test_store_export_from_store_keeps_named_graphs(tmp_path):
    (tmp_path / "a.nq").write_text('<http://e/a> <http://e/p> "1" <http://e/doc1> .\n', encoding="utf-8")
    folder = tmp_path / "s"
    store.bulk_load(folder, [tmp_path / "a.nq"])
    result = CliRunner().invoke(main, ["export", str(folder), "--format", "nquads", "--out", str(tmp_path / "out.nq")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.nq").read_text(encoding="utf-8") == '<http://e/a> <http://e/p> "1" <http://e/doc1> .\n'


def test_store_build_loads_into_the_oxigraph_servers_bulk_loader(seed_build, tmp_path):
    from kg.serve import load_command

    out, _ = seed_build
    nquads = tmp_path / "graph.nq"
    assert CliRunner().invoke(main, ["export", str(out / "graph.ttl"), "--format", "nquads", "--out", str(nquads)]).exit_code == 0
    done = subprocess.run(load_command(tmp_path / "server-store", [nquads]), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(store.to_graph(tmp_path / "server-store")) == len(load_graph(out / "graph.ttl"))


def test_store_replace_graph_replaces_one_documents_statements(tmp_path):
    folder = tmp_path / "s"
    old, new, other = tmp_path / "old.nt", tmp_path / "new.nt", tmp_path / "other.nt"
    old.write_text('<http://e/a> <http://e/p> "old" .\n<http://e/a> <http://e/q> "gone" .\n', encoding="utf-8")
    new.write_text('<http://e/a> <http://e/p> "new" .\n', encoding="utf-8")
    other.write_text('<http://e/b> <http://e/p> "kept" .\n', encoding="utf-8")
    assert store.replace_graph(folder, "http://e/doc1", old) == 2
    assert store.replace_graph(folder, "http://e/doc2", other) == 1
    assert store.replace_graph(folder, "http://e/doc1", new) == 1
    _, rows = store.query(folder, "SELECT ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?o")
    assert [str(r[0]) for r in rows] == ["kept", "new"]


def test_store_query_over_a_build_counts_each_triple_once(seed_build):
    """A build's store holds the union of its documents' graphs in the default graph: a query sees
    each triple once, as in graph.ttl."""
    out, result = seed_build
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    _, from_store = store.query(out / "store", sparql)
    _, from_turtle = store.query(out / "graph.ttl", sparql)
    assert int(from_store[0][0]) == int(from_turtle[0][0]) == result.triples


def test_store_shard_loader_in_the_background_loads_the_same_store(seed_build, tmp_path, monkeypatch):
    """Loading shard by shard in a thread (as a build with worker processes does) gives the store one
    load gives: the same Turtle, byte for byte; a bad shard is an error in the caller, after the thread ends."""
    out, _ = seed_build
    monkeypatch.setattr(store, "FIRST_CHUNK_BYTES", 1)  # every shard a load of its own
    shards = sorted((out / "shards").glob("*.nq"))
    with store.ShardLoader(tmp_path / "store", union=True, background=True, lenient=True) as loader:
        for shard in shards:
            loader.add(shard.read_bytes())
    assert loader._handed == sum(len(store.with_union(s.read_bytes())) for s in shards)
    store.write_turtle(tmp_path / "store", tmp_path / "graph.ttl", {})
    store.write_turtle(out / "store", tmp_path / "one-load.ttl", {})
    assert (tmp_path / "graph.ttl").read_bytes() == (tmp_path / "one-load.ttl").read_bytes()
    loader = store.ShardLoader(tmp_path / "bad", background=True)
    loader.add(shards[0].read_bytes())
    loader.add(b"<a> <b> .\n")
    with pytest.raises(GraphError, match="cannot load"):
        loader.close()
    assert not loader._thread.is_alive()
