"""Mines name lists from a corpus of reports: enterprises, their short names, and recurring programs.

    python tools/mine_lexicons.py /tmp/corpus/gov-reports --out kg/data/mined [--jobs 2]

The rules alone read every report; a name is kept when enough different reports name it the same
way (a name one report reads wrongly rarely recurs). The lists feed the learned model's features
(`kg/learn/model.py`), never the rules, and hold no name taken from gold annotations: only what the
unannotated corpus says. Writes companies.tsv and programs.tsv: name, type, number of reports.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.documents import Skipped, iter_documents  # noqa: E402
from kg.extractor import Extractor  # noqa: E402
from kg.writing import write_text_atomic  # noqa: E402

# In how many reports a name must recur to be kept.
MIN_REPORTS = {"Company": 2, "Program": 4}
FULL_COMPANY_RULES = ("head.company.form", "head.company.group")
PROGRAM_RULES = ("quote.program", "head.program", "policy.")
_EXTRACTOR: Extractor | None = None


def names_of(path: str) -> set[tuple[str, str]]:
    """The (name, type) pairs worth counting in one report, by the rules alone."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor(model=None)
    found = set()
    for item in iter_documents([Path(path)]):
        if isinstance(item, Skipped):
            continue
        for m in _EXTRACTOR.reading(item).mentions:
            if m.type == "Company" and (m.rule in FULL_COMPANY_RULES or m.canonical):
                found.add((m.text, "Company"))
            elif m.type == "Program" and m.rule.startswith(PROGRAM_RULES):
                found.add((m.text, "Program"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.corpus.rglob("*.txt"))
    counts: Counter = Counter()
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for done, names in enumerate(pool.imap_unordered(names_of, files, chunksize=8), 1):
            counts.update(names)
            if done % 200 == 0:
                print(f"{done}/{len(files)} reports", file=sys.stderr)
    for typ, file_name in (("Company", "companies.tsv"), ("Program", "programs.tsv")):
        kept = sorted((name, n) for (name, t), n in counts.items() if t == typ and n >= MIN_REPORTS[typ])
        header = f"# {typ} names the rules read in at least {MIN_REPORTS[typ]} of {len(files)} corpus reports (tools/mine_lexicons.py). Columns: name, type, reports.\n"
        write_text_atomic(args.out / file_name, header + "".join(f"{name}\t{typ}\t{n}\n" for name, n in kept))
        print(f"{file_name}: {len(kept)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
