"""A speed change changes no output: the fast paths give the bytes the reference paths give, on the
seeds and on 50 reports of the corpus — one process against worker processes against a Dask
cluster, the learned model and the rules alone, the dictionaries from the cache against parsed."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg import Extractor, build, linking, store
from kg.errors import GraphError
from kg.builder import extract_all, turtle_prefixes, worker_pool
from kg.documents import find_files
from kg.segment import (Segmenter, _general_dictionary, _make_word_graph, _make_word_table, _parse_general_dictionary,
                        _word_graph, _word_table)


def _outputs(out: Path) -> dict[str, bytes]:
    """graph.ttl, every shard and every extraction JSON of a build, by name."""
    files = {"graph.ttl": (out / "graph.ttl").read_bytes()}
    for folder in ("shards", "extract"):
        files |= {f"{folder}/{p.name}": p.read_bytes() for p in sorted((out / folder).iterdir())}
    return files


def _assert_same(reference: Path, other: Path) -> None:
    a, b = _outputs(reference), _outputs(other)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"{other} differs from {reference} in {differing[:5]}"


@pytest.fixture(scope="module")
def corpus_sample(corpus) -> list[Path]:
    """50 real reports: the shortest 50 of 300 drawn as bench/speed.py and bench/whole.py draw them."""
    files = find_files([corpus])
    random.Random(0).shuffle(files)
    return sorted(sorted(files[:300], key=lambda p: (p.stat().st_size, p.name))[:50])


@pytest.fixture(scope="module")
def rules_only():
    return Extractor(model=None)


def _assert_turtle_as_from_a_full_store(out: Path, tmp_path: Path) -> None:
    """graph.ttl as the build wrote it (from a store holding the union alone) is byte for byte the one
    written, as before, from a store holding every document's named graph and their union."""
    full = tmp_path / "full-store"
    store.bulk_load(full, sorted((out / "shards").glob("*.nq")), union=True)
    with store.opened(full) as loaded:
        assert len(list(loaded.named_graphs())) == len(list((out / "shards").glob("*.nq")))
        linking.link_short_names(loaded)
        store.write_turtle(loaded, tmp_path / "reference.ttl", turtle_prefixes())
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "reference.ttl").read_bytes()


def test_speed_seeds_graph_is_the_one_a_full_store_writes(seed_build, tmp_path):
    _assert_turtle_as_from_a_full_store(seed_build[0], tmp_path)


@pytest.mark.parametrize("engine, jobs", [("local", 2), ("dask", 2)])
@pytest.mark.parametrize("mode", ["model", "rules"])
def test_speed_seeds_build_the_same_bytes_in_one_process_and_many(seed_paths, extractor, rules_only, mode, engine, jobs, tmp_path):
    if engine == "dask":
        pytest.importorskip("dask.distributed")
    chosen = extractor if mode == "model" else rules_only
    build(seed_paths, tmp_path / "one", extractor=chosen, html=False)
    build(seed_paths, tmp_path / "many", extractor=chosen, html=False, engine=engine, jobs=jobs)
    _assert_same(tmp_path / "one", tmp_path / "many")


@pytest.mark.parametrize("mode", ["model", "rules"])
def test_speed_corpus_sample_builds_the_same_bytes_in_one_process_two_and_on_dask(corpus_sample, extractor, rules_only, mode, tmp_path):
    pytest.importorskip("dask.distributed")
    chosen = extractor if mode == "model" else rules_only
    one = build(corpus_sample, tmp_path / "one", extractor=chosen, html=False)
    assert one.documents == 50 and one.triples > 50_000
    _assert_turtle_as_from_a_full_store(tmp_path / "one", tmp_path)
    build(corpus_sample, tmp_path / "dask", extractor=chosen, html=False, engine="dask", jobs=2)
    _assert_same(tmp_path / "one", tmp_path / "dask")
    if mode == "model":  # worker processes forked from this one (the rules alone: the seeds' test above)
        build(corpus_sample, tmp_path / "two", extractor=chosen, html=False, jobs=2)
        _assert_same(tmp_path / "one", tmp_path / "two")
        _assert_built_alike_without_a_store(corpus_sample, chosen, one, tmp_path)


def _summary(result) -> tuple:
    return result.documents, result.triples, result.entities, result.relations, result.in_build, result.without_year


def _quads(folder: Path) -> list[str]:
    loaded = store.open_store(folder, read_only=True)
    return sorted(map(str, loaded.quads_for_pattern(None, None, None, None)))


def _assert_built_alike_without_a_store(paths, extractor, with_store, tmp_path: Path) -> None:
    """A build without a store: the same files and summary (links and counts from the documents, not
    the store); its first use loads the very store the other build wrote."""
    without = build(paths, tmp_path / "without", extractor=extractor, html=False, jobs=2, load_store=False)
    _assert_same(tmp_path / "one", tmp_path / "without")
    assert not without.stored and not (tmp_path / "without" / "store").exists()
    assert _summary(without) == _summary(with_store)
    assert store.graph_source(tmp_path / "without") == tmp_path / "without" / "store"
    assert _quads(tmp_path / "without" / "store") == _quads(tmp_path / "one" / "store")


def test_speed_a_build_without_a_store_loads_one_when_graph_ttl_needs_it(seed_build, seed_paths, extractor, monkeypatch, tmp_path):
    """When graph.ttl cannot be written from the documents' parts (here: more than the writer may
    hold), a build asked for no store loads one after all and writes graph.ttl from it: the same bytes."""
    from kg import turtle
    monkeypatch.setattr(turtle, "MEMORY_BUDGET", 0)
    result = build(seed_paths, tmp_path / "fallback", extractor=extractor, html=False, load_store=False)
    assert result.stored and result.turtle_source.startswith("store: the parts would hold more than")
    assert store.is_store(tmp_path / "fallback" / "store")
    _assert_same(seed_build[0], tmp_path / "fallback")
    assert _summary(result) == _summary(seed_build[1])


def test_speed_the_command_forks_its_workers_and_builds_the_same_bytes(seed_build, tmp_path):
    """`kg build --jobs 2`, a process with no other thread, forks its workers (in this test process,
    with threads of its own, they start from a fork server): the same outputs either way."""
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, sorted(Path("seeds").resolve().glob("*.txt"))),
                           "--out", str(out), "--jobs", "2", "--no-html", "-q"], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    _assert_same(seed_build[0], out)


def test_speed_a_worker_that_dies_stops_the_build_with_an_error_not_a_hang(seed_paths, extractor):
    with worker_pool(extractor, 2) as pool:
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(GraphError, match="worker process died"):
            list(extract_all(seed_paths * 4, extractor, 2, pool=pool))


def test_speed_cached_dictionaries_are_the_parsed_ones(extractor):
    """The dictionaries a process loads from the cache equal those parsed from jieba's files, float
    for float, and so does the word graph made from them (so the same words: tests/test_segment.py
    checks them against jieba.lcut)."""
    words = tuple(extractor.knowledge.domain_words())
    table, single = _word_table(words)  # made and cached by the session's extractor, or now
    fresh_table, fresh_single = _make_word_table(words)
    assert single == fresh_single and table == fresh_table
    graph = _word_graph(words)
    assert [a.tobytes() for a in graph[:3]] + list(graph[3:5]) == list(_make_word_graph(words))
    assert _general_dictionary() == _parse_general_dictionary()


def test_speed_cache_follows_its_inputs_and_survives_a_broken_file(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    table, _ = _word_table(("甲乙丙丁戊己庚",))
    assert table["甲乙丙丁戊己庚"] is not None and table["甲乙丙"] is None  # the word, and a fragment that only starts it
    first = sorted(tmp_path.glob("words-*.marshal"))
    assert len(first) == 1
    other, _ = _word_table(("甲乙丙丁戊己辛",))  # other words: another file, not the first one's table
    assert "甲乙丙丁戊己庚" not in other and len(list(tmp_path.glob("words-*.marshal"))) == 2
    first[0].write_bytes(b"not marshal data")  # a damaged cache is made again, not trusted
    again, _ = _word_table(("甲乙丙丁戊己庚",))
    assert again == table
    segmenter = Segmenter(("甲乙丙丁戊己庚",))
    assert [t.text for t in segmenter.tokens("在甲乙丙丁戊己庚，ok 2024")][:3] == ["在", "甲乙丙丁戊己庚", "，"]
    graphs = sorted(tmp_path.glob("graph-*.marshal"))  # the word graph made from the table, cached beside it
    assert len(graphs) == 1
    graphs[0].write_bytes(graphs[0].read_bytes()[:1000])  # cut short: made again
    assert [t.text for t in Segmenter(("甲乙丙丁戊己庚",)).tokens("在甲乙丙丁戊己庚")] == ["在", "甲乙丙丁戊己庚"]
