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


def test_notebook_follows_a_city_across_its_reports(tmp_path, corpus):
    """Two years of one city's reports: the city is followed, its counts by year and type tabled and plotted."""
    import json

    reports = tmp_path / "reports"
    reports.mkdir()
    for year in (2022, 2023):
        shutil.copy(corpus / "其他地市" / f"长治市-{year}.txt", reports)
    env = {"KG_INPUT": str(reports), "KG_OUT": str(tmp_path / "build"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "run_notebook.py")], capture_output=True, text=True,
                          env={**__import__("os").environ, **env}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = [line.split() for line in done.stdout.splitlines() if line.endswith("长治市") and line[:4] in ("2022", "2023")]
    counts = [row for row in counts if len(row) == 4 and row[2].isdigit()]  # the table of counts: year, type, n, city
    assert {row[0] for row in counts} == {"2022", "2023"} and {row[1] for row in counts} >= {"Project", "Program", "Place"}
    assert "planned-then-done:" in done.stdout and "projects-by-year:" in done.stdout
    cells = json.loads((tmp_path / "build" / "explore.ipynb").read_text(encoding="utf-8"))["cells"]
    plots = [o for c in cells if c["cell_type"] == "code" and "plt.show" in "".join(c["source"]) for o in c["outputs"]
             if "image/png" in o.get("data", {})]
    assert len(plots) == 1
