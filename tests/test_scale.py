"""Builds at scale: streaming per-document shards, the store, --update, the Dask engine, --limit and Ctrl-C."""
import shutil

import psutil
import pyoxigraph
import pytest
from click.testing import CliRunner

from kg import build
from kg.builder import extract_all
from kg.cli import main
from kg.iri import document_iri


def _copy_build(src, dst):
    shutil.copytree(src, dst)
    return dst


def test_scale_build_writes_one_named_graph_per_document_as_its_shard(seed_build, seed_paths):
    """Each document's named graph is its shard; the store holds their union (linked), which every
    query reads, and no named graph (loading those too tripled the load's CPU)."""
    out, result = seed_build
    assert sorted(p.stem for p in (out / "shards").glob("*.nq")) == [p.stem for p in seed_paths]
    for path in seed_paths:
        graphs = {q.graph_name.value for q in pyoxigraph.parse(path=str(out / "shards" / f"{path.stem}.nq"), format=pyoxigraph.RdfFormat.N_QUADS)}
        assert graphs == {document_iri(path.name)}
    store = pyoxigraph.Store.read_only(str(out / "store"))
    assert list(store.named_graphs()) == []
    assert len(store) == result.triples == sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def test_scale_update_gives_the_same_graph_as_a_clean_build(seed_build, seed_paths, tmp_path):
    out, result = seed_build
    build(seed_paths[:2], tmp_path, html=False)
    updated = build(seed_paths[2:], tmp_path, html=False, update=True)
    assert updated.documents == 3  # only the new documents were extracted
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert sorted(p.name for p in (tmp_path / "extract").iterdir()) == sorted(p.name for p in (out / "extract").iterdir())


def test_scale_update_with_a_changed_document_replaces_what_it_said(seed_paths, tmp_path):
    changed = tmp_path / "in" / seed_paths[0].name
    changed.parent.mkdir()
    text = seed_paths[0].read_text(encoding="utf-8")
    changed.write_text(text[: len(text) // 3], encoding="utf-8")
    build(seed_paths[:2], tmp_path / "a", html=False)
    before = (tmp_path / "a" / "graph.ttl").read_text(encoding="utf-8")
    build([changed], tmp_path / "a", html=False, update=True)
    build([changed, seed_paths[1]], tmp_path / "b", html=False)
    # dcterms:source differs (another folder), so compare what is said, not where it was read from
    def said(folder):
        return [line for line in (folder / "graph.ttl").read_text(encoding="utf-8").splitlines() if "dcterms:source" not in line]
    assert said(tmp_path / "a") == said(tmp_path / "b")
    assert len(said(tmp_path / "a")) < len(before.splitlines())  # the cut part's facts are gone


def test_scale_dask_local_cluster_gives_the_same_triples(seed_build, seed_paths, tmp_path):
    pytest.importorskip("dask.distributed")
    out, _ = seed_build
    result = build(seed_paths, tmp_path, html=False, engine="dask", jobs=2)
    assert result.documents == 5
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


def test_scale_workers_read_ahead_only_a_bounded_window(seed_paths, extractor):
    consumed = []

    def paths():
        for i in range(40):
            consumed.append(i)
            yield seed_paths[i % len(seed_paths)]

    outputs = extract_all(paths(), extractor, jobs=2, window=1)
    first = next(outputs)
    assert first.doc_id == seed_paths[0].name
    assert len(consumed) <= 3  # a window of one document per worker, not the whole input
    outputs.close()


def test_scale_interrupted_parallel_build_stops_its_workers_and_keeps_previous_outputs(seed_build, seed_paths, tmp_path):
    out = _copy_build(seed_build[0], tmp_path / "out")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}

    def interrupt(_):
        raise KeyboardInterrupt

    before_children = {c.pid for c in _running_children()}
    with pytest.raises(KeyboardInterrupt):
        build(seed_paths * 4, out, html=False, jobs=2, on_document=interrupt)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    assert after == before
    workers = [c for c in _running_children() if c.pid not in before_children]
    assert workers == []  # the pool was shut down with the build, not left running


def _running_children() -> list[psutil.Process]:
    """This process's descendants that run, but for multiprocessing's own helpers (its fork server and
    resource tracker: started once, they stay for the session)."""
    here = psutil.Process()
    return [c for c in here.children(recursive=True) if c.is_running() and c.status() != psutil.STATUS_ZOMBIE
            and not (c.ppid() == here.pid and any(h in " ".join(c.cmdline()) for h in ("forkserver", "resource_tracker")))]


def test_scale_interrupted_build_leaves_previous_outputs_intact(seed_build, seed_paths, tmp_path):
    out = _copy_build(seed_build[0], tmp_path / "out")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}

    def interrupt(_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(seed_paths[:2], out, html=False, on_document=interrupt)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    assert after == before


def test_scale_cli_ctrl_c_exits_130_without_traceback(monkeypatch, tmp_path):
    from kg import builder

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(builder, "build", interrupted)
    result = CliRunner().invoke(main, ["build", "seeds", "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 130
    assert "interrupted" in result.output and "Traceback" not in result.output


def test_scale_cli_limit_builds_the_first_documents(seed_paths, tmp_path):
    result = CliRunner().invoke(main, ["build", *map(str, seed_paths), "--out", str(tmp_path), "--limit", "2", "--no-html", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "documents  2"
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == sorted(p.with_suffix(".nq").name for p in seed_paths[:2])


def test_scale_cli_update_adds_documents_to_a_build(seed_paths, tmp_path):
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(seed_paths[0]), "--out", str(tmp_path), "--no-html", "--quiet"])
    assert first.exit_code == 0, first.output
    added = runner.invoke(main, ["build", "--update", str(tmp_path), str(seed_paths[1]), "--no-html", "--quiet"])
    assert added.exit_code == 0, added.output
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == sorted(p.with_suffix(".nq").name for p in seed_paths[:2])


def test_scale_update_of_a_folder_without_a_build_is_an_error(seed_paths, tmp_path):
    result = CliRunner().invoke(main, ["build", "--update", str(tmp_path / "none"), str(seed_paths[0]), "--quiet"])
    assert result.exit_code == 2 and "no build to update" in result.output
