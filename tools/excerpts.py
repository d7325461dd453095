"""Excerpts of corpus reports for annotation, cut as the corpus gold's are, and their texts again.

    python tools/excerpts.py pick /tmp/corpus/gov-reports --gold ../shared/gold/corpus --out annotations/silver
    python tools/excerpts.py texts /tmp/corpus/gov-reports --manifest annotations/silver/MANIFEST.tsv --out /tmp/silver-texts

`pick` draws reports from 2012 on, one a city or province, none of a city or province the gold
already holds (so that no fold of the gold's cross-validation meets its own cities' names in the
added training), with a fixed seed, and cuts from each the run of consecutive paragraphs of
2,800-4,200 characters that holds the most cues of names (the gold's own rule of cutting). It
writes MANIFEST.tsv (id, report, paragraph range) and, with --texts, the excerpts' texts.

`texts` writes each excerpt of a MANIFEST.tsv again from the corpus: the texts are corpus text,
which stays outside the repository; the annotations and the manifest are what is kept.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

SEED = 20261207
FIRST_YEAR = 2012
SIZE = (2800, 4200)
# The kinds of words names end in or open with: projects, companies, places, programs, institutions, quotes.
CUES = re.compile(r"项目|工程|公司|集团|企业|产业园|园区|开发区|新区|[省市区县镇乡村]|制|行动|战略|计划|改革|示范|基地|中心|医院|学校|大学|“")
# Shanxi is a fifth of the gold; its one city the gold does not hold gives two reports.
EXTRA_REPORTS = {"太原市": 2}


def paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def densest_run(paras: list[str]) -> tuple[int, int] | None:
    """The first and last paragraph of the run within SIZE characters that holds the most cues."""
    low, high = SIZE
    best = None
    for first in range(len(paras)):
        length = 0
        for last in range(first, len(paras)):
            length += len(paras[last])
            if length > high:
                break
            if length >= low:
                cues = sum(len(CUES.findall(p)) for p in paras[first:last + 1])
                if best is None or cues > best[0]:
                    best = (cues, first, last)
    return best and best[1:]


def excerpt_text(paras: list[str], first: int, last: int) -> str:
    return "\n\n".join(paras[first:last + 1]) + "\n"


def regions_of(folder: Path) -> set[str]:
    """The cities and provinces whose reports the excerpts of `folder` (its MANIFEST.tsv) come from."""
    with open(folder / "MANIFEST.tsv", encoding="utf-8") as fh:
        return {Path(row["corpus_file"]).stem.rsplit("-", 1)[0] for row in csv.DictReader(fh, delimiter="\t")}


def pick(corpus: Path, gold: Path, regions_drawn: int) -> list[tuple[str, str, int, int, int]]:
    taken = regions_of(gold)
    by_region: dict[str, list[Path]] = {}
    for path in sorted(corpus.rglob("*.txt")):
        if path.parent.name == "国务院":  # the State Council's reports name no region of their own
            continue
        region, year = path.stem.rsplit("-", 1)
        if int(year) >= FIRST_YEAR and region not in taken:
            by_region.setdefault(region, []).append(path)
    rng = random.Random(SEED)
    regions = sorted(by_region)
    rng.shuffle(regions)
    chosen = [(r, rng.choice(by_region[r])) for r in regions[:regions_drawn]]
    extra = [p for r, n in EXTRA_REPORTS.items() if r in by_region for p in rng.sample(sorted(by_region[r]), n)]
    rows = []
    for path in extra + [p for r, p in chosen if r not in EXTRA_REPORTS]:
        paras = paragraphs(path)
        run = densest_run(paras)
        if run is None:
            continue
        rows.append((f"s{len(rows):02d}_{path.stem}", str(path.relative_to(corpus)), run[0], run[1],
                     sum(len(p) for p in paras[run[0]:run[1] + 1])))
    return rows


def write_manifest(rows, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id\tcorpus_file\tfirst_para\tlast_para\tchars\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")


def write_texts(corpus: Path, manifest: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with open(manifest, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        source = corpus / row["corpus_file"]
        if not source.is_file():
            sys.exit(f"excerpts: {source}: no such report (is the corpus unpacked at {corpus}?)")
        text = excerpt_text(paragraphs(source), int(row["first_para"]), int(row["last_para"]))
        (out / f"{row['id']}.txt").write_text(text, encoding="utf-8")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("pick", "texts"))
    parser.add_argument("corpus", type=Path, help="the unpacked corpus (gov-reports/)")
    parser.add_argument("--gold", type=Path, default=Path("../shared/gold/corpus"), help="pick: the corpus gold, whose regions are left out")
    parser.add_argument("--regions", type=int, default=46, help="pick: how many regions to draw (the extra reports of EXTRA_REPORTS come on top)")
    parser.add_argument("--manifest", type=Path, help="texts: the MANIFEST.tsv to cut again")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--texts", action="store_true", help="pick: write the texts too")
    args = parser.parse_args()
    if args.mode == "pick":
        rows = pick(args.corpus, args.gold, args.regions)
        write_manifest(rows, args.out / "MANIFEST.tsv")
        if args.texts:
            write_texts(args.corpus, args.out / "MANIFEST.tsv", args.out)
        print(f"excerpts: {len(rows)} excerpts in {args.out / 'MANIFEST.tsv'}")
    else:
        if args.manifest is None:
            parser.error("texts needs --manifest")
        print(f"excerpts: wrote {write_texts(args.corpus, args.manifest, args.out)} texts to {args.out}")


if __name__ == "__main__":
    main()
