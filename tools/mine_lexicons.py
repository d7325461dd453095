"""Mines name lists from a corpus of reports: enterprises, their short names, recurring programs,
and the common words of reports.

    python tools/mine_lexicons.py /tmp/corpus/gov-reports --out kg/data/mined [--jobs 2] [--lists names|common|all]

The rules alone read every report; a name is kept when enough different reports name it the same
way (a name one report reads wrongly rarely recurs). The lists feed the learned model's features
(`kg/learn/model.py`), never the rules, and hold no name taken from gold annotations: only what the
unannotated corpus says. Writes companies.tsv and programs.tsv: name, type, number of reports.

Writes common_words.txt too: the words of two to four characters (as kg's own segmenter cuts the
text, the words the taggers see) that at least COMMON_SHARE of the reports hold, with the number of
reports. A word nearly every tenth report uses (餐厨, 红色旅游, 5G, PPP) is no enterprise's
short name: the learned model's merge drops an enterprise the inner tagger reads so
(`kg/learn/model.py`, `inner_rejection`). Segmented words, not character n-grams: a short name
inside a longer word (华能 in 中华能源) is not counted, and the list stays small.
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
from kg.knowledge import default_knowledge  # noqa: E402
from kg.segment import Segmenter  # noqa: E402
from kg.writing import write_text_atomic  # noqa: E402

# In how many reports a name must recur to be kept.
MIN_REPORTS = {"Company": 2, "Program": 4}
FULL_COMPANY_RULES = ("head.company.form", "head.company.group")
PROGRAM_RULES = ("quote.program", "head.program", "policy.")
# In what share of the reports a word must stand to be common, and its length in characters.
COMMON_SHARE = 0.10
COMMON_SIZES = (2, 4)
_EXTRACTOR: Extractor | None = None
_SEGMENTER: Segmenter | None = None


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


def words_of(path: str) -> set[str]:
    """The words of two to four letters or digits in one report, as kg's segmenter cuts it."""
    global _SEGMENTER
    if _SEGMENTER is None:
        _SEGMENTER = Segmenter(default_knowledge().domain_words())
    low, high = COMMON_SIZES
    found = set()
    for item in iter_documents([Path(path)]):
        if isinstance(item, Skipped):
            continue
        found.update(t.text for t in _SEGMENTER.tokens(item.text) if low <= len(t.text) <= high and t.text.isalnum())
    return found


def count(work, files: list[str], jobs: int) -> Counter:
    """In how many of `files` each item `work` finds in one file stands."""
    counts: Counter = Counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for done, found in enumerate(pool.imap_unordered(work, files, chunksize=8), 1):
            counts.update(found)
            if done % 200 == 0:
                print(f"{done}/{len(files)} reports", file=sys.stderr)
    return counts


def write_common(counts: Counter, reports: int, out: Path, share: float = COMMON_SHARE) -> int:
    """common_words.txt: each word that at least `share` of the reports hold, and their number."""
    floor = max(1, round(share * reports))
    kept = sorted((word, n) for word, n in counts.items() if n >= floor)
    header = (f"# Words of {COMMON_SIZES[0]}-{COMMON_SIZES[1]} characters (kg's segmenter) in at least {floor} of {reports} "
              f"corpus reports ({share:.0%}; tools/mine_lexicons.py). Columns: word, reports.\n")
    write_text_atomic(out / "common_words.txt", header + "".join(f"{word}\t{n}\n" for word, n in kept))
    return len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lists", choices=("names", "common", "all"), default="all")
    parser.add_argument("--common-share", type=float, default=COMMON_SHARE)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.corpus.rglob("*.txt"))
    if args.lists in ("common", "all"):
        kept = write_common(count(words_of, files, args.jobs), len(files), args.out, args.common_share)
        print(f"common_words.txt: {kept} words", file=sys.stderr)
    if args.lists == "common":
        return
    counts = count(names_of, files, args.jobs)
    for typ, file_name in (("Company", "companies.tsv"), ("Program", "programs.tsv")):
        kept = sorted((name, n) for (name, t), n in counts.items() if t == typ and n >= MIN_REPORTS[typ])
        header = f"# {typ} names the rules read in at least {MIN_REPORTS[typ]} of {len(files)} corpus reports (tools/mine_lexicons.py). Columns: name, type, reports.\n"
        write_text_atomic(args.out / file_name, header + "".join(f"{name}\t{typ}\t{n}\n" for name, n in kept))
        print(f"{file_name}: {len(kept)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
