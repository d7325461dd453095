"""Runs notebooks/explore.ipynb without Jupyter and writes it, with its outputs, beside the build.

    KG_INPUT=FOLDER KG_OUT=DIR .venv/bin/python tools/run_notebook.py     (or: make notebook KG_INPUT=FOLDER)

KG_INPUT is the folder (or .txt file) of reports to build, seeds/ by default; KG_OUT the build
folder, build/ by default. Needs the test extras (nbclient, ipykernel): make install-test.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ.setdefault("KG_ROOT", str(ROOT))
    for name in ("KG_INPUT", "KG_OUT"):  # the kernel runs in notebooks/: paths given relative to here are made absolute
        if os.environ.get(name):
            os.environ[name] = str(Path(os.environ[name]).resolve())
    out = Path(os.environ.get("KG_OUT", ROOT / "build"))
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    try:
        NotebookClient(notebook, timeout=3600, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    except CellExecutionError as exc:
        print(f"run_notebook: a cell failed: {str(exc).strip().splitlines()[-1]}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out / "explore.ipynb")
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("text"):
                print(output["text"], end="" if output["text"].endswith("\n") else "\n")
    print(f"wrote {out / 'explore.ipynb'} (the notebook with its outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
