"""What a new user tripped over (issue 17), one test per friction, through the `kg` command."""
from __future__ import annotations

import json
import signal
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import ROOT, SHARED
from .test_serve import _request, server  # noqa: F401 (the kg serve fixture)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def same_names(tmp_path, seed_paths):
    """dup/a/r.txt and dup/b/r.txt: two different reports with one file name."""
    for folder, seed in (("a", seed_paths[1]), ("b", seed_paths[4])):
        (tmp_path / "dup" / folder).mkdir(parents=True)
        shutil.copy(seed, tmp_path / "dup" / folder / "r.txt")
    return tmp_path / "dup"


def documents_in(runner, graph) -> list[str]:
    result = runner.invoke(main, ["query", str(graph), "--format", "csv",
                                  "SELECT ?d WHERE { ?x a kgo:Document ; dcterms:identifier ?d } ORDER BY ?d"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[1:]


# 1. Same-named files in different folders are two documents, named by their path in the folder given.
def test_same_named_files_in_two_folders_are_two_documents(runner, same_names, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(same_names), "--out", str(out), "--no-html", "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("documents  2\n")
    assert documents_in(runner, out / "graph.ttl") == ["a/r.txt", "b/r.txt"]
    assert sorted(p.name for p in (out / "shards").iterdir()) == ["a%2Fr.nq", "b%2Fr.nq"]
    assert sorted(p.name for p in (out / "extract").iterdir()) == ["a%2Fr.json", "b%2Fr.json"]
    # --update with one of the files named on its own replaces that document; it adds no third one
    result = runner.invoke(main, ["build", "--update", str(out), str(same_names / "a" / "r.txt"), "-q", "--no-html"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("documents  1 added or replaced; 2 in the build")
    assert documents_in(runner, out / "graph.ttl") == ["a/r.txt", "b/r.txt"]


def test_same_named_files_named_one_by_one_are_a_clear_error(runner, same_names, tmp_path):
    files = [str(same_names / "a" / "r.txt"), str(same_names / "b" / "r.txt")]
    result = runner.invoke(main, ["build", *files, "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2 and "would both be document 'r.txt'" in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()
    result = runner.invoke(main, ["extract", *files, "--out", str(tmp_path / "pred")])
    assert result.exit_code == 2 and "would both be document 'r.txt'" in result.output
    assert not (tmp_path / "pred").exists()


def test_extract_keeps_same_named_files_apart_and_says_what_it_did(runner, same_names, tmp_path):
    result = runner.invoke(main, ["extract", str(same_names), "--out", str(tmp_path / "pred")])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "pred").glob("*.json"))
    assert [p.name for p in written] == ["a%2Fr.json", "b%2Fr.json"]
    assert [json.loads(p.read_text(encoding="utf-8"))["doc"] for p in written] == ["a/r.txt", "b/r.txt"]
    # 8. a one-line summary, like build's
    entities = sum(len(json.loads(p.read_text(encoding="utf-8"))["entities"]) for p in written)
    (line,) = result.output.splitlines()
    assert line.startswith(f"extracted  2 documents: {entities} entity names, ") and str(tmp_path / "pred") in line


# 6. Bad arguments to every command: a one-line error, exit 2 (3 for unreadable files), never exit 1 nor a traceback.
def bad_arguments(tmp_path, graph):
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle <<<", encoding="utf-8")
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("新荣区", encoding="utf-8")
    broken = tmp_path / "broken-pred"
    broken.mkdir()
    (broken / "000_932c32fca1e9e5ab.json").write_text("{not json", encoding="utf-8")
    missing = str(tmp_path / "missing")
    return [
        [], ["nope"], ["build", missing], ["build", str(a_file), "--out", str(a_file)], ["build", "--jobs", "0"],
        ["build", "--update", missing, str(a_file)], ["build", "--update", str(tmp_path)], ["build", "--scheduler", "x"],
        ["build", str(a_file), "--out", str(tmp_path / "o"), "--engine", "spark"],
        ["extract"], ["extract", missing, "--out", str(tmp_path / "p")], ["extract", str(a_file), "--out", str(a_file)],
        ["eval", missing, str(tmp_path)], ["eval", str(tmp_path), missing], ["eval", str(SHARED / "gold"), str(broken)],
        ["query"], ["query", missing, "ASK {}"], ["query", str(garbage), "ASK {}"], ["query", str(tmp_path), "ASK {}"],
        ["query", str(graph), "SELECT WHERE {"], ["query", str(graph), "ASK {}", "--name", "x"], ["query", str(graph), "--name", "nope"],
        ["query", str(graph), "--file", missing], ["query", str(graph), "ASK {}", "--param", "novalue"],
        ["query", str(graph), "ASK { ?s ?p ?o }", "--param", "x=1"], ["query", str(graph), "ASK {}", "--format", "xml"],
        ["validate", missing], ["validate", str(garbage)], ["validate", str(graph), "--limit", "-1"],
        ["serve", missing], ["serve", str(garbage), "--port", "0"], ["serve", str(garbage), "--port", "7999"], ["serve", str(tmp_path)],
        ["export", missing, "--out", str(tmp_path / "x.nt")], ["export", str(graph), "--format", "rdfxml", "--out", str(tmp_path / "x")],
        ["export", str(graph), "--format", "nt", "--out", str(tmp_path)], ["export", str(graph), "--format", "nt", "--out", str(a_file / "x.nt")],
        ["export", str(garbage), "--out", str(tmp_path / "y.ttl")],
        ["view", missing, "--out", str(tmp_path / "v.html")], ["view", str(graph), "--out", str(tmp_path)],
        ["view", str(graph), "--out", str(a_file / "v.html")], ["view", str(graph), "--out", str(tmp_path / "v.html"), "--types", "Planet"],
        ["view", str(graph), "--out", str(tmp_path / "v.html"), "--document", "nope.txt"],
        ["view", str(graph), "--out", str(tmp_path / "v.html"), "--around", "不存在"], ["view", str(graph), "--out", str(tmp_path / "v.html"), "--depth", "-1"],
    ]


def test_every_command_on_bad_arguments_exits_2_with_one_line_and_no_traceback(runner, seed_build, tmp_path):
    out, _ = seed_build
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    for args in bad_arguments(tmp_path, out / "graph.ttl"):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert result.exit_code in (0, 2, 3), (args, result.exit_code, result.output)
        assert "Traceback" not in result.output, args
        if "kg: error" in result.output:  # kg's own errors are one line; click's usage errors have its usage lines
            assert len(result.output.strip().splitlines()) == 1, (args, result.output)
            assert "Errno" not in result.output and ".tmp" not in result.output, (args, result.output)
    # kg serve, run here in-process, put this process's signal handlers back as they were
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers


def test_the_real_command_on_bad_arguments_prints_no_traceback(seed_build, tmp_path):
    import subprocess
    import sys
    out, _ = seed_build
    for args in (["query", str(out / "graph.ttl"), "SELECT WHERE {"], ["view", str(out / "graph.ttl"), "--out", str(tmp_path)],
                 ["export", str(out / "graph.ttl"), "--format", "nt", "--out", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)
        assert done.returncode == 2 and "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1, (args, done.stderr)


# 3. A graph file and its store answer alike (both through Oxigraph), GROUP_CONCAT with LIMIT included.
GROUPED = ('SELECT ?c (GROUP_CONCAT(DISTINCT ?x; separator=" ") AS ?xs) WHERE {?c a kgo:Company . '
           'OPTIONAL{?c skos:altLabel ?x}} GROUP BY ?c ORDER BY ?c')


@pytest.mark.parametrize("limit", ["", " LIMIT 2"])
def test_a_graph_file_and_its_store_answer_alike(runner, seed_build, limit):
    out, result = seed_build
    answers = []
    for graph in (out / "graph.ttl", out / "store", out):  # 5. a build folder stands for its store
        run = runner.invoke(main, ["query", str(graph), GROUPED + limit, "--format", "csv"])
        assert run.exit_code == 0 and "Traceback" not in run.output, run.output
        answers.append(run.output)
    assert answers[0] == answers[1] == answers[2]
    rows = answers[0].splitlines()[1:]
    assert len(rows) == (2 if limit else result.entities["Company"])
    assert any(row.split(",", 1)[1] for row in rows)  # some companies have short names (altLabels)


# 4. kg's built-in prefixes are documented and accepted the same way by kg query and kg serve;
#    a malformed query gets one line that points at the problem.
def test_readme_lists_the_builtin_prefixes_its_examples_use():
    from kg.sparql import BUILTIN_PREFIXES, undeclared_prefixes
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for prefix, namespace in BUILTIN_PREFIXES.items():
        assert f"`{prefix}:`" in readme and namespace in readme, prefix
    blocks = readme.split("```sparql")[1:]
    assert blocks and all(not undeclared_prefixes(block.split("```")[0]) for block in blocks)


def test_a_malformed_query_gets_one_line_pointing_at_the_problem(runner, seed_build):
    out, _ = seed_build
    for query, expected in (("SELECT ?c WHERE {?c a kgo:Company", "syntax error at line 1, column 34"),
                            ("SELECT ?c WHERE {?c a foaf:Company}", "undeclared prefix foaf:"),
                            ("SELECT ?c\nWHERE {?c a kgo:Company FILTER(}", "syntax error at line 2, column")):
        result = runner.invoke(main, ["query", str(out / "graph.ttl"), query])
        assert result.exit_code == 2 and expected in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1


# 5. Errors that misled, or said nothing
def test_a_named_query_without_its_parameter_names_it(runner, seed_build):
    out, _ = seed_build
    result = runner.invoke(main, ["query", str(out), "--name", "facts-about-place"])
    assert result.exit_code == 2 and "needs --param name=VALUE" in result.output


def test_a_place_is_found_by_its_short_name_too(runner, seed_build):
    out, _ = seed_build
    full = runner.invoke(main, ["query", str(out / "graph.ttl"), "--name", "facts-about-place", "--param", "name=大同市", "--format", "csv"])
    short = runner.invoke(main, ["query", str(out / "graph.ttl"), "--name", "facts-about-place", "--param", "name=大同", "--format", "csv"])
    assert full.exit_code == short.exit_code == 0
    rows = short.output.splitlines()[1:]
    assert len(rows) > 5 and {r.rsplit(",", 1)[0] for r in rows} == {r.rsplit(",", 1)[0] for r in full.output.splitlines()[1:]}


def test_a_build_folder_or_store_can_be_viewed(runner, seed_build, tmp_path):
    out, _ = seed_build
    for graph in (out, out / "store"):
        result = runner.invoke(main, ["view", str(graph), "--out", str(tmp_path / "v.html"), "--around", "平城区"])
        assert result.exit_code == 0, result.output


def test_eval_with_no_document_in_common_says_so(runner, tmp_path):
    (tmp_path / "pred").mkdir()
    (tmp_path / "pred" / "other.json").write_text('{"doc": "other.txt", "entities": [], "relations": []}', encoding="utf-8")
    result = runner.invoke(main, ["eval", str(SHARED / "gold"), str(tmp_path / "pred")])
    assert result.exit_code == 2 and "no document in common" in result.output and "F1" not in result.output


def test_around_a_name_several_entities_share_says_which_and_lists_the_others(runner, tmp_path):
    """Two reports, each with its city's district 城区 (晋城市城区 140502, 阳泉市城区 140302): two places of one name."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "jc.txt").write_text("晋城市城区今年实施“千万工程”，建设晋城市城区光伏产业园项目。", encoding="utf-8")
    (tmp_path / "in" / "yq.txt").write_text("阳泉市城区全面推行河长制。", encoding="utf-8")
    assert runner.invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "b"), "-q", "--no-html", "--rules-only"]).exit_code == 0  # the rules read these made-up lines as asked
    result = runner.invoke(main, ["view", str(tmp_path / "b"), "--out", str(tmp_path / "v.html"), "--around", "城区"])
    assert result.exit_code == 0, result.output
    note = result.output.splitlines()[0]
    assert note.startswith("kg: --around 城区: 2 entities have this name; drawing the most connected, 城区 (Place in 晋城市")
    assert "<https://kg.example.org/id/place/cn-140502>; the others: 城区 (Place in 阳泉市" in note
    assert note.endswith("<https://kg.example.org/id/place/cn-140302> (give an IRI to choose)")


def test_kg_serve_accepts_the_queries_kg_query_accepts(server, seed_build):
    """The same prefixed query, without PREFIX lines, by HTTP GET, form POST and a sparql-query body."""
    import urllib.parse
    import urllib.request
    base, process = server
    out, _ = seed_build
    query = "SELECT ?n WHERE { ?c a kgo:Place ; rdfs:label ?n } ORDER BY ?n"
    expected = CliRunner().invoke(main, ["query", str(out / "graph.ttl"), query, "--format", "csv"]).output.splitlines()
    status, body = _request(f"{base}/query", {"query": query}, "text/csv")
    assert status == 200 and body.replace("\r\n", "\n").splitlines() == expected
    with urllib.request.urlopen(urllib.request.Request(f"{base}/query?" + urllib.parse.urlencode({"query": query}),
                                                       headers={"Accept": "text/csv"}), timeout=10) as response:
        assert response.read().decode().replace("\r\n", "\n").splitlines() == expected
    request = urllib.request.Request(f"{base}/query", data=query.encode(), headers={
        "Accept": "text/csv", "Content-Type": "application/sparql-query"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read().decode().replace("\r\n", "\n").splitlines() == expected
    # a malformed query: one line, at the user's own line and column (the PREFIX lines kg adds are not counted)
    status, body = _request(f"{base}/query", {"query": "SELECT ?c WHERE {?c a kgo:Company"})
    assert status == 400 and body.strip() == "SPARQL query failed: " + CliRunner().invoke(
        main, ["query", str(out / "graph.ttl"), "SELECT ?c WHERE {?c a kgo:Company"]).output.strip().split("SPARQL query failed: ")[1]
    assert "line 1, column 34" in body and len(body.strip().splitlines()) == 1
    # a query's own PREFIX line wins over kg's
    status, body = _request(f"{base}/query", {"query": "PREFIX kgo: <urn:none#> SELECT ?c WHERE { ?c a kgo:Place }"}, "text/csv")
    assert status == 200 and body.split() == ["c"]


# 7. make demo's install shows no setuptools warning box (project.license as a table was deprecated)
def test_installing_kg_prints_no_license_warning():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Would install kg-" in done.stdout, done.stderr[-1000:]
    assert "project.license" not in done.stdout + done.stderr and "BuildBackendWarning" not in done.stderr


def test_readme_says_how_to_run_kg_and_the_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in readme and "make notebook KG_INPUT=" in readme


# 8. The JSON-LD export has a compact @context, and the same graph gives the same bytes
def test_jsonld_export_has_a_compact_context_and_stable_bytes(seed_build, tmp_path):
    import os
    import subprocess
    import sys
    from rdflib.compare import isomorphic

    from kg.rdf import load_graph
    out, _ = seed_build
    texts = []
    for seed in ("1", "2"):  # rdflib's output order follows Python's string hashes: two seeds, one result
        target = tmp_path / f"g{seed}.jsonld"
        subprocess.run([sys.executable, "-m", "kg.cli", "export", str(out / "graph.ttl"), "--format", "jsonld", "--out", str(target)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        texts.append(target.read_text(encoding="utf-8"))
    assert texts[0] == texts[1]
    data = json.loads(texts[0])
    assert {"kgo", "rdfs", "skos", "prov", "dcterms"} <= set(data["@context"])
    keys = {key for node in data["@graph"] for key in node}
    assert {"kgo:locatedIn", "rdfs:label", "prov:wasDerivedFrom", "dcterms:identifier", "skos:altLabel"} <= keys
    assert not any(key.startswith("http") for key in keys)
    assert isomorphic(load_graph(tmp_path / "g1.jsonld"), load_graph(out / "graph.ttl"))
