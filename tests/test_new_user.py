"""What a new user tripped over (issue 17), one test per friction, through the `kg` command."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import main


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
