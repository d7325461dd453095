"""The kg command: help for every command, exit codes and messages, extract output, export round trips."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT_COMMANDS = ["build", "extract", "eval", "query", "export", "view", "validate", "serve"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", ROOT_COMMANDS)
def test_cli_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"kg {command}" in result.output


def test_cli_commands_are_documented_in_readme():
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for command in ROOT_COMMANDS:
        assert f"kg {command}" in readme


def test_cli_build_missing_path_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_extract_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "missing.txt: no such file or directory" in result.output


def test_cli_extract_writes_gold_format_json(runner, seed_paths, tmp_path):
    result = runner.invoke(main, ["extract", str(seed_paths[0]), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / f"{seed_paths[0].stem}.json").read_text(encoding="utf-8"))
    assert data["doc"] == seed_paths[0].name
    assert {"text", "type"} <= set(data["entities"][0])
    assert all("rel" in r and "head" in r for r in data["relations"])


def test_cli_build_reports_skipped_file_with_exit_code(runner, seed_paths, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"PK\x03\x04\x00\x00binary zip")
    result = runner.invoke(main, ["build", str(seed_paths[4]), str(bad), "--out", str(tmp_path / "o"), "--no-html", "-q"])
    assert result.exit_code == 3
    assert "bad.txt: binary file" in result.output and "documents  1 (1 skipped)" in result.output


def test_cli_query_bad_sparql_is_a_clear_error(runner, seed_build):
    out, _ = seed_build
    result = runner.invoke(main, ["query", str(out / "graph.ttl"), "SELECT WHERE {"])
    assert result.exit_code == 2 and "SPARQL query failed" in result.output


def test_cli_query_named_csv(runner, seed_build):
    out, _ = seed_build
    result = runner.invoke(main, ["query", str(out / "graph.ttl"), "--name", "projects-by-investment", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "name,kind,yi,wording"


@pytest.mark.parametrize("fmt", ["nt", "nquads", "jsonld", "trig", "turtle"])
def test_cli_export_round_trips_to_the_same_graph(runner, seed_build, tmp_path, fmt):
    from rdflib.compare import isomorphic

    from kg.rdf import load_graph
    from kg.store import to_graph
    out, _ = seed_build
    target = tmp_path / f"g.{ {'turtle': 'ttl', 'jsonld': 'jsonld', 'nt': 'nt', 'nquads': 'nq', 'trig': 'trig'}[fmt] }"
    result = runner.invoke(main, ["export", str(out / "graph.ttl"), "--format", fmt, "--out", str(target)])
    assert result.exit_code == 0, result.output
    original = load_graph(out / "graph.ttl")
    assert isomorphic(load_graph(target), original)
    # and through an independent parser: Oxigraph reads the file back to the same graph
    assert isomorphic(to_graph(target), original) and len(to_graph(target)) == len(original)


def test_cli_view_writes_offline_page(runner, seed_build, tmp_path):
    out, result_build = seed_build
    result = runner.invoke(main, ["view", str(out / "graph.ttl"), "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "http://" not in page and "大同市" in page


def test_cli_view_around_types_top_document(runner, seed_build, tmp_path):
    out, result_build = seed_build
    total = sum(result_build.entities.values())
    graph = str(out / "graph.ttl")
    result = runner.invoke(main, ["view", graph, "--out", str(tmp_path / "a.html"), "--around", "平城区", "--depth", "1"])
    assert result.exit_code == 0, result.output
    shown = int(result.output.split("(")[1].split()[0])
    assert 1 < shown < total and result.output.endswith(f" of {total} nodes)\n")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "筛选 --around 平城区 --depth 1" in page and f"保留 {shown} / {total} 个节点" in page
    result = runner.invoke(main, ["view", graph, "--out", str(tmp_path / "t.html"), "--types", "Company,Project", "--top", "10"])
    assert result.exit_code == 0 and "(10 of" in result.output
    document = sorted(p.name for p in (out / "extract").glob("*.json"))[0].replace(".json", ".txt")
    result = runner.invoke(main, ["view", graph, "--out", str(tmp_path / "d.html"), "--document", document, "--max-nodes", "5"])
    assert result.exit_code == 0 and "(5 of" in result.output
    assert "节点过多" in (tmp_path / "d.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--around", "不存在的地方"], "[E300] no entity named '不存在的地方'"),
    (["--types", "Company,Planet"], "Planet (choose from"),
])
def test_cli_view_bad_selection_is_a_clear_error(runner, seed_build, tmp_path, args, message):
    out, _ = seed_build
    result = runner.invoke(main, ["view", str(out / "graph.ttl"), "--out", str(tmp_path / "v.html"), *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "v.html").exists()


def test_cli_console_script_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout


def test_cli_build_without_a_store_loads_it_on_the_first_query(runner, tmp_path):
    """`kg build --no-store` drops an earlier store (it would answer with the old graph), says so, and the
    build's first query loads the store from the shards: the same answers as a build that loaded it."""
    from pathlib import Path
    seeds = sorted(str(p) for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    out = tmp_path / "build"
    count = ["query", str(out), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    assert runner.invoke(main, ["build", *seeds, "--out", str(out), "--no-html", "-q", "--store"]).exit_code == 0
    with_store = runner.invoke(main, count)
    assert with_store.exit_code == 0 and (out / "store").is_dir()
    built = runner.invoke(main, ["build", *seeds, "--out", str(out), "--no-html", "-q", "--no-store"])
    assert built.exit_code == 0, built.output
    assert "store      not loaded during the build" in built.output and not (out / "store").exists()
    triples = next(line.split()[1] for line in built.output.splitlines() if line.startswith("triples"))
    abandoned = out / ".store.loading-99999999"  # a load whose process died (no such process id)
    abandoned.mkdir()
    (abandoned / "CURRENT").write_text("half\n")
    first = runner.invoke(main, count)
    assert first.exit_code == 0, first.output
    assert "built without a store: loading it from 5 shards" in first.stderr
    assert first.stdout == with_store.stdout and triples in first.stdout and (out / "store").is_dir()
    assert not abandoned.exists() and not list(out.glob(".store.*"))
    again = runner.invoke(main, count)
    assert again.stdout == first.stdout and "loading" not in again.stderr
    refused = runner.invoke(main, ["build", "--update", str(out), seeds[0], "--no-store"])
    assert refused.exit_code == 2 and "leave out --no-store" in refused.output


def test_cli_build_loads_its_store_while_building_only_when_a_core_is_left_for_it(runner, tmp_path, monkeypatch):
    """With as many workers as cores the store's loads would compete with them: by default the build
    leaves the store to its first use; with a core to spare (one worker here), it loads it as it goes."""
    from pathlib import Path
    from kg import builder
    monkeypatch.setattr(builder, "_cores", lambda: 2)
    seeds = sorted(str(p) for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[:2]
    two, one = tmp_path / "two", tmp_path / "one"
    built = runner.invoke(main, ["build", *seeds, "--out", str(two), "--no-html", "-q", "--jobs", "2"])
    assert built.exit_code == 0, built.output
    assert "store      not loaded during the build" in built.output and not (two / "store").exists()
    built = runner.invoke(main, ["build", *seeds, "--out", str(one), "--no-html", "-q"])
    assert built.exit_code == 0 and "not loaded" not in built.output and (one / "store").is_dir()
    assert (two / "graph.ttl").read_bytes() == (one / "graph.ttl").read_bytes()
    kept = runner.invoke(main, ["build", *seeds, "--out", str(two), "--no-html", "-q", "--jobs", "2", "--store"])
    assert kept.exit_code == 0 and (two / "store").is_dir()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert runner.invoke(main, ["query", str(two), count]).stdout == runner.invoke(main, ["query", str(one), count]).stdout
    assert builder.loads_store_while_building(2, scheduler="tcp://10.0.0.5:8786") and builder.loads_store_while_building(2, update=True)


def test_cli_update_of_a_build_without_a_store_loads_it_first(runner, tmp_path):
    from pathlib import Path
    seeds = sorted(str(p) for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    clean, out = tmp_path / "clean", tmp_path / "build"
    assert runner.invoke(main, ["build", *seeds, "--out", str(clean), "--no-html", "-q"]).exit_code == 0
    assert runner.invoke(main, ["build", *seeds[:3], "--out", str(out), "--no-html", "-q", "--no-store"]).exit_code == 0
    updated = runner.invoke(main, ["build", "--update", str(out), *seeds[3:], "-q", "--no-html"])
    assert updated.exit_code == 0, updated.output
    assert (out / "store").is_dir()
    assert (out / "graph.ttl").read_bytes() == (clean / "graph.ttl").read_bytes()
