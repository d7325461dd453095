"""A build killed with SIGKILL leaves the previous outputs whole; its temporary files are hidden and removed by the next run."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from kg import build
from kg.writing import HOLD_ENV


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a user sees in `out` (hidden temporary files are not outputs); the store folder,
    a database whose files change name as it works, counts by what it holds."""
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts) and p.relative_to(out).parts[0] != "store"}
    if (out / "store").exists():
        files["store/"] = _store_content(out / "store")
    return files


def _store_content(folder: Path) -> bytes:
    """The store's quads, sorted: it reopens (a killed writer left it readable) and holds one whole build."""
    store = pyoxigraph.Store.read_only(str(folder))
    return "\n".join(sorted(str(q) for q in store)).encode("utf-8")


def _temps(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".*.tmp"))


@pytest.fixture(scope="module")
def versions(tmp_path_factory, seed_paths):
    """Two inputs under the same file names, and the outputs of a clean build of each."""
    root = tmp_path_factory.mktemp("versions")
    old_in, new_in = root / "old", root / "new"
    for folder, sources in ((old_in, seed_paths[:2]), (new_in, seed_paths[2:4])):
        folder.mkdir()
        for name, source in zip(("a.txt", "b.txt"), sources):
            (folder / name).write_bytes(source.read_bytes())
    build([old_in], root / "old-out")
    build([new_in], root / "new-out")
    old, new = _outputs(root / "old-out"), _outputs(root / "new-out")
    # every output differs (so a mix of the two would show), but refused.tsv: the seeds refuse no fact
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old if k != "refused.tsv")
    return old_in, new_in, old, new


def _start_build(new_in: Path, out: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(new_in), "--out", str(out), "-q"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _wait_for_write_phase(proc: subprocess.Popen, marker: Path) -> None:
    """Until the build, held before its commit (HOLD_ENV), has written its marker."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the build never reached its write phase"
        time.sleep(0.05)


def _previous_build(old_in: Path, out: Path) -> None:
    build([old_in], out)


def test_sigkill_during_write_phase_leaves_previous_outputs(tmp_path, versions):
    old_in, new_in, old, new = versions
    out = tmp_path / "out"
    _previous_build(old_in, out)
    marker = tmp_path / "holding"
    proc = _start_build(new_in, out, **{HOLD_ENV: str(marker)})
    try:
        _wait_for_write_phase(proc, marker)
        temps = _temps(out)  # graph.ttl, graph.html and refused.tsv are written, none is in place yet
        assert len(temps) == 3 and all(f".{proc.pid}." in t for t in temps)
        assert (out / ".store.new").is_dir() and (out / ".shards.new").is_dir()  # so are the store and the documents
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _outputs(out) == old
    build([new_in], out)  # the next run puts the new outputs in place and removes the dead run's files
    assert _outputs(out) == new and _temps(out) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_at_a_random_moment_leaves_each_output_whole(tmp_path, versions, seed):
    old_in, new_in, old, new = versions
    out = tmp_path / "out"
    _previous_build(old_in, out)
    proc = _start_build(new_in, out)
    time.sleep(random.Random(seed).uniform(1.0, 6.0))  # from start-up to after the end of a 2-document build
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    now = _outputs(out)
    assert now.keys() == old.keys()
    assert all(now[k] in (old[k], new[k]) for k in now), "an output was left half written"
    build([new_in], out)
    assert _outputs(out) == new and _temps(out) == []


def test_sigkill_during_update_leaves_the_store_readable_and_update_again_equals_a_clean_build(tmp_path, seed_paths):
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(seed_paths[:2], out, html=False)
    before = _outputs(out)
    marker = tmp_path / "holding"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", "--update", str(out), *map(str, seed_paths[2:]), "-q", "--no-html"],
        env={**os.environ, HOLD_ENV: str(marker)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_for_write_phase(proc, marker)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert _outputs(out) == before  # the store reopens and holds the first build; nothing else moved
    build(seed_paths[2:], out, html=False, update=True)
    build(seed_paths, clean, html=False, load_store=True)
    assert (out / "graph.ttl").read_bytes() == (clean / "graph.ttl").read_bytes()
    assert _store_content(out / "store") == _store_content(clean / "store")
