"""Regression: extraction quality on the seeds, scored by the official scorer, must not drop below the bar."""
import json
import subprocess
import sys

import pytest

from kg.builder import write_annotation

from .conftest import SHARED

ENTITY_F1_BAR = 0.90  # with the shipped model; the rules alone gave 0.930
RELATION_F1_BAR = 0.80  # issue 13: with the shipped model (trained on the seeds among others); the rules alone gave 0.876
TYPE_F1_BAR = 0.80  # each entity type, as the issue asks


def test_score_seeds_meet_the_bar(extractor, seed_docs, tmp_path):
    scorer = SHARED / "gold" / "score.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not present (it lives in ../shared beside the checkout)")
    for doc in seed_docs:
        write_annotation(extractor.extract(doc), tmp_path)
    out = subprocess.run([sys.executable, str(scorer), str(SHARED / "gold"), str(tmp_path), "--json"],
                         capture_output=True, text=True, check=True)
    report = json.loads(out.stdout[: out.stdout.rindex("}") + 1])
    print(out.stdout.splitlines()[-1])
    assert report["entities"][2] >= ENTITY_F1_BAR
    assert report["relations"][2] >= RELATION_F1_BAR
    for typ, (_, _, f1) in report["by_type"].items():
        assert f1 >= TYPE_F1_BAR, typ
