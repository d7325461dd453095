"""The example notebook runs top to bottom against a fresh build and answers its questions."""
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def test_notebook_explore_runs_and_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_ROOT", str(ROOT))
    monkeypatch.setenv("KG_OUT", str(tmp_path / "build"))
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "5 documents" in text
    assert "华阳T-1000碳基新材料项目" in text  # the investments question
    assert "140212" in text  # the place chain question
    assert (tmp_path / "build" / "graph.html").exists()
