"""The example notebook runs top to bottom against a fresh build of any folder and answers its questions."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_notebook_builds_the_folder_it_is_given_and_answers(tmp_path, seed_paths):
    """KG_INPUT names the folder: here the seeds copied elsewhere, two of them in a sub-folder (README: make notebook)."""
    reports = tmp_path / "reports"
    for i, seed in enumerate(seed_paths):
        target = reports / ("more" if i < 2 else "") / seed.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, target)
    env = {"KG_INPUT": str(reports), "KG_OUT": str(tmp_path / "build"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "run_notebook.py")], capture_output=True, text=True,
                          env={**__import__("os").environ, **env}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    text = done.stdout
    assert "5 documents" in text
    assert "华阳T-1000碳基新材料项目" in text  # the investments question
    assert "140212" in text  # the place chain question
    assert (tmp_path / "build" / "graph.html").exists() and (tmp_path / "build" / "explore.ipynb").exists()
    assert {p.name for p in (tmp_path / "build" / "shards").iterdir()} == \
        {f"more%2F{p.stem}.nq" for p in seed_paths[:2]} | {f"{p.stem}.nq" for p in seed_paths[2:]}
