"""The annotators' two tools: check a TSV annotation and write its gold JSON; show a text with its names marked.

    python tools/annotate.py check --texts /tmp/silver-texts --ann annotations/silver ID [ID ...]
    python tools/annotate.py show  --texts /tmp/silver-texts --ann annotations/silver ID

An annotator writes `<ann>/<ID>.tsv` by reading `<texts>/<ID>.txt` (annotations/INSTRUCTIONS.md);
tab-separated lines, '#' opens a comment:

    S  <subject place, full official name>
    E  <Type>  <subtype or ->  <name as written>  [<same_as canonical name>]
    R  <head>  <locatedIn|operatedBy|implements>  <tail>
    V  <project or place>  <total investment in 亿元>

`check` names every problem (a name the text does not hold, a relation to a name not listed, a
type the relation does not allow) and writes `<ann>/<ID>.json` in the gold format of
../shared/gold/GUIDE.md. `show` prints the text with each listed name marked 【name|type】, longest
first, for the second reading pass, where the names left unmarked are the ones to look for.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.learn.gold import QUOTES, normal_form  # noqa: E402

TYPES = ("Company", "Project", "Place", "Program", "Organization")
SUBTYPES = ("Province", "City", "District", "Town", "Village", "Zone", "Landmark", "Water")
# Which types each relation joins (GUIDE.md); investment's tail is a number.
JOINS = {"locatedIn": ({"Company", "Project", "Place", "Organization"}, {"Place"}),
         "operatedBy": ({"Project"}, {"Company"}),
         "implements": ({"Place", "Organization", "Company"}, {"Program"})}
ABBREVIATION = {"Company": "Co", "Project": "Pj", "Place": "Pl", "Program": "Pg", "Organization": "Or"}


def bare(text: str) -> str:
    """`text` as training finds a gold name in its text (kg.learn.gold.normal_form: NFKC, no quotation
    marks, no white space): the guide writes a name without the quotes inside it."""
    return normal_form(text)[0]


def read_tsv(path: Path, text: str) -> tuple[dict, list[str]]:
    """The gold JSON an annotation TSV says, and its problems."""
    problems, subjects, entities, relations, types = [], [], [], [], {}
    flat = bare(text)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        kind, rest = fields[0], fields[1:]
        if kind == "S" and len(rest) == 1:
            subjects.append(rest[0])
        elif kind == "E" and len(rest) in (3, 4):
            typ, subtype, name = rest[:3]
            if typ not in TYPES:
                problems.append(f"line {number}: unknown type {typ!r}")
                continue
            if subtype not in SUBTYPES + ("-", ""):
                problems.append(f"line {number}: unknown subtype {subtype!r}")
            if bare(name) not in flat:
                problems.append(f"line {number}: {name!r} is not written in the text")
            if name in types:
                problems.append(f"line {number}: {name!r} listed twice")
                continue
            types[name] = typ
            entity = {"text": name, "type": typ}
            if typ == "Place" and subtype in SUBTYPES:
                entity["subtype"] = subtype
            if len(rest) == 4 and rest[3]:
                entity["same_as"] = rest[3]
            entities.append(entity)
        elif kind == "R" and len(rest) == 3:
            if rest[1] not in JOINS:
                problems.append(f"line {number}: unknown relation {rest[1]!r}")
                continue
            relations.append({"head": rest[0], "rel": rest[1], "tail": rest[2]})
        elif kind == "V" and len(rest) == 2:
            try:
                relations.append({"head": rest[0], "rel": "investment", "value": float(rest[1]), "unit": "亿元"})
            except ValueError:
                problems.append(f"line {number}: {rest[1]!r} is not a number (亿元)")
        else:
            problems.append(f"line {number}: cannot read {line!r}")
    if not subjects:
        problems.append("no S line (the subject place)")
    problems += _relation_problems(relations, types, {e["same_as"] for e in entities if "same_as" in e} | set(subjects))
    gold = {"doc": path.stem + ".txt", "subject_places": subjects, "entities": entities, "relations": relations}
    return gold, problems


def _relation_problems(relations: list[dict], types: dict[str, str], canonical: set[str]) -> list[str]:
    problems = []
    for r in relations:
        ends = [r["head"]] + ([r["tail"]] if "tail" in r else [])
        unlisted = [name for name in ends if name not in types and name not in canonical]
        for name in unlisted:
            problems.append(f"relation {r['head']} {r['rel']} {r.get('tail', r.get('value'))}: {name!r} is not a listed entity")
        if r["rel"] in JOINS and not unlisted:
            heads, tails = JOINS[r["rel"]]
            head, tail = types.get(r["head"], "Place"), types.get(r["tail"], "Place")  # a canonical name outside the text is the subject, a place
            if head not in heads or tail not in tails:
                problems.append(f"relation {r['head']} {r['rel']} {r['tail']}: {head} → {tail} is not allowed")
    return problems


def marked(text: str, names: dict[str, str]) -> str:
    """`text` with each of `names` (name → type) marked where it stands, longest first, without overlaps;
    a name written without the quotation marks inside it is marked where the text has them."""
    taken = [None] * len(text)
    for name in sorted(names, key=len, reverse=True):
        pattern = "".join(re.escape(ch) + f"[{re.escape(''.join(sorted(QUOTES)))}]?" for ch in name)
        for match in re.finditer(f"(?=({pattern}))", text):
            start, end = match.start(1), match.end(1)
            if start < end and all(t is None for t in taken[start:end]):
                taken[start:end] = [(name, start, end)] * (end - start)
    out, i = [], 0
    while i < len(text):
        if taken[i] is None:
            out.append(text[i])
            i += 1
        else:
            name, start, end = taken[i]
            out.append(f"【{text[start:end]}|{ABBREVIATION[names[name]]}】")
            i = end
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("check", "show"))
    parser.add_argument("ids", nargs="+", metavar="ID")
    parser.add_argument("--texts", type=Path, required=True, help="the folder of the excerpts' texts")
    parser.add_argument("--ann", type=Path, default=Path("annotations/silver"), help="the folder of the annotations")
    args = parser.parse_args()
    failed = False
    for doc_id in (Path(i).stem for i in args.ids):
        text = (args.texts / f"{doc_id}.txt").read_text(encoding="utf-8")
        gold, problems = read_tsv(args.ann / f"{doc_id}.tsv", text)
        if args.mode == "show":
            print(marked(text, {e["text"]: e["type"] for e in gold["entities"]}))
            continue
        (args.ann / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(doc_id, dict(Counter(e["type"] for e in gold["entities"])), dict(Counter(r["rel"] for r in gold["relations"])))
        for problem in problems:
            print("  PROBLEM", problem)
        failed |= bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
