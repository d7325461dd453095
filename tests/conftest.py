"""Shared fixtures: the shipped knowledge, one extractor, the seed reports and one build of them."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import Extractor, build, default_knowledge, read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def knowledge():
    return default_knowledge()


@pytest.fixture(scope="session")
def extractor(knowledge):
    return Extractor(knowledge)


@pytest.fixture(scope="session")
def seed_paths():
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    return paths


@pytest.fixture(scope="session")
def seed_docs(seed_paths):
    return [read_document(p) for p in seed_paths]


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, seed_paths):
    out = tmp_path_factory.mktemp("build")
    result = build(seed_paths, out, load_store=True)  # its store, whatever the machine's cores (kg.builder.loads_store_while_building)
    return out, result


CORPUS_TARBALL = SHARED / "corpus" / "gov-reports.tar.xz"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The benchmark corpus (../shared/corpus), unpacked once per session into a temporary folder (about 3 s)."""
    import subprocess

    if not CORPUS_TARBALL.is_file():
        pytest.skip(f"{CORPUS_TARBALL} is not there")
    folder = tmp_path_factory.mktemp("corpus")
    subprocess.run(["tar", "xJf", str(CORPUS_TARBALL), "-C", str(folder)], check=True)
    return folder / "gov-reports"
