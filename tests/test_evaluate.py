"""kg eval agrees with the official scorer on the seeds and shows what was missed."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.builder import write_annotation
from kg.cli import main

from .conftest import SHARED


@pytest.fixture(scope="module")
def predictions(extractor, seed_docs, tmp_path_factory):
    out = tmp_path_factory.mktemp("pred")
    for doc in seed_docs:
        write_annotation(extractor.extract(doc), out)
    return out


def test_evaluate_last_line_matches_official_scorer(predictions):
    gold = SHARED / "gold"
    if not (gold / "score.py").exists():
        pytest.skip("../shared/gold is not beside this checkout")
    official = subprocess.run([sys.executable, str(gold / "score.py"), str(gold), str(predictions)],
                              capture_output=True, text=True, check=True).stdout.splitlines()[-1]
    ours = CliRunner().invoke(main, ["eval", str(gold), str(predictions)])
    assert ours.exit_code == 0
    assert ours.output.splitlines()[-1] == official
    assert "missed:" in ours.output and "spurious:" in ours.output


def test_evaluate_missing_gold_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "nogold"), str(tmp_path)])
    assert result.exit_code == 2 and "no such folder of gold files" in result.output
