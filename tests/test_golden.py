"""Golden extraction JSON for the seeds: `kg extract seeds/*.txt` must write exactly the files in
tests/golden/seeds/; a difference is shown as a unified diff of what moved (see tests/golden/README.md)."""
import difflib
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

GOLDEN = Path(__file__).parent / "golden" / "seeds"
MAX_DIFF_LINES = 80  # per file: enough to see what moved, short enough to read


def _diff(name: str, expected: str, actual: str) -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/seeds/{name}", f"now/{name}", lineterm="", n=2))
    more = f"\n… {len(lines) - MAX_DIFF_LINES} more diff lines" if len(lines) > MAX_DIFF_LINES else ""
    return "\n".join(lines[:MAX_DIFF_LINES]) + more


def test_golden_seed_extraction_is_unchanged(seed_paths, tmp_path):
    result = CliRunner().invoke(main, ["extract", *map(str, seed_paths), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.json"))}
    actual = {p.name: p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.json"))}
    assert len(expected) == len(seed_paths) == 5
    assert sorted(actual) == sorted(expected), "the seeds' JSON files are not the golden ones"
    changed = [_diff(name, expected[name], actual[name]) for name in expected if actual[name] != expected[name]]
    assert not changed, (
        f"{len(changed)} seed extraction(s) differ from tests/golden/seeds (if meant: "
        "kg extract seeds/*.txt --out tests/golden/seeds):\n" + "\n\n".join(changed)
    )


def test_golden_diff_shows_what_moved():
    # the failure message of the test above: a name lost and one gained, each on its own line
    before = '{\n "entities": [\n  {\n   "text": "中联零碳大数据项目",\n   "type": "Project"\n  }\n ]\n}\n'
    after = before.replace("中联零碳大数据项目", "中联零碳大数据").replace("Project", "Company")
    shown = _diff("x.json", before, after)
    assert '-   "text": "中联零碳大数据项目",' in shown and '+   "text": "中联零碳大数据",' in shown
    assert '-   "type": "Project"' in shown and '+   "type": "Company"' in shown
