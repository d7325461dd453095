"""How many reports of a corpus have their title and year read (kg/reports.py), and which do not.

    python tools/report_metadata.py /tmp/corpus/gov-reports [--all]

Prints the counts (title, year, date, issuer, kind), then each report whose title or year was not
read with its first lines, then the reports whose year disagrees with a year in the file name (the
file name is not read by kg: this only points at reports worth a look). --all prints every report's
metadata as TSV instead.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.documents import Skipped, iter_documents  # noqa: E402
from kg.knowledge import default_knowledge  # noqa: E402
from kg.reports import read_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="report files or folders")
    parser.add_argument("--all", action="store_true", help="print every report's metadata as TSV")
    args = parser.parse_args(argv)
    knowledge = default_knowledge()
    total, counts, missing, disagree = 0, dict.fromkeys(("title", "year", "date", "issuer", "kind"), 0), [], []
    for doc in iter_documents(args.paths):
        if isinstance(doc, Skipped):
            print(f"skipped {doc.path}: {doc.reason}", file=sys.stderr)
            continue
        total += 1
        report = read_report(doc.text, knowledge)
        if args.all:
            issuer = knowledge.divisions[report.issuer].name if report.issuer else ""
            print("\t".join(str(v) if v is not None else "" for v in (doc.id, report.title, report.year, report.year_from,
                                                                      report.date, issuer, report.kind)))
        for field in counts:
            counts[field] += getattr(report, field) is not None
        if report.title is None or report.year is None:
            first = " | ".join(line.strip() for line in doc.text.splitlines() if line.strip())[:160]
            missing.append(f"{doc.id}\ttitle={report.title}\tyear={report.year}\t{first}")
        named = re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", Path(doc.id).name)
        if report.year is not None and len(named) == 1 and int(named[0]) != report.year:
            disagree.append(f"{doc.id}\tyear={report.year} ({report.year_from})\ttitle={report.title}\tdate={report.date}")
    if args.all:
        return 0
    both = total - len(missing)
    print(f"reports  {total}")
    print(f"title and year read  {both} ({both / max(total, 1):.2%})")
    for field, n in counts.items():
        print(f"{field:<6} read  {n} ({n / max(total, 1):.2%})")
    print(f"\nnot read ({len(missing)}):")
    print("\n".join(missing) or "none")
    print(f"\nyear other than the file name's ({len(disagree)}):")
    print("\n".join(disagree) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
