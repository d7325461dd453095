"""The rule registry (kg/data/rules.tsv): every rule id the code writes or a knowledge file names is
declared there, every declared id is used, and what extraction carries is declared for its stage."""
import ast
import re
import shutil
from pathlib import Path

import pytest

import kg
from kg import KnowledgeError, load_knowledge
from kg.knowledge import DATA_DIR

PACKAGE = Path(kg.__file__).parent
# a dotted lower-case literal (head.place.town), or a prefix of one tested with startswith (head.place.)
_RULE_LIKE = re.compile(r"[a-z_]+(?:\.[a-z_]+)+\.?|[a-z_]+\.")


def _code_literals() -> dict[str, list[str]]:
    """Rule-like string literals of kg's code → where they are written (file:line)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _RULE_LIKE.fullmatch(node.value):
                found.setdefault(node.value, []).append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _data_rule_ids(knowledge) -> set[str]:
    ids = {head.rule for head in knowledge.heads.values()}
    ids |= {rule for rows in knowledge.triggers.values() for _, rule in rows}
    ids |= {rule for rows in knowledge.quotes.values() for rule in rows.values()}
    return ids


def test_rules_every_id_written_in_the_code_is_declared(knowledge):
    declared = knowledge.rules
    families = {rule.split(".")[0] for rule in declared}
    undeclared = {
        literal: places for literal, places in _code_literals().items()
        if literal.split(".")[0] in families and literal not in declared
        and not any(rule.startswith(literal if literal.endswith(".") else literal + ".") for rule in declared)
    }
    assert not undeclared, f"rule ids written in the code but not declared in rules.tsv: {undeclared}"


def test_rules_every_declared_id_is_used(knowledge):
    used = set(_code_literals()) | _data_rule_ids(knowledge)
    unused = sorted(set(knowledge.rules) - used)
    assert not unused, f"declared in rules.tsv but used neither in the code nor in a knowledge file: {unused}"


def test_rules_what_extraction_carries_is_declared_for_its_stage(extractor, seed_docs):
    rules = extractor.knowledge.rules
    carried = 0
    for doc in seed_docs:
        extraction = extractor.extract(doc)
        for m in extraction.mentions:
            assert m.rule in rules and "mentions" in rules[m.rule].stages, (doc.id, m)
        for f in extraction.facts:
            assert f.rule in rules and "relations" in rules[f.rule].stages, (doc.id, f)
        carried += len(extraction.mentions) + len(extraction.facts)
    assert carried > 500


def test_rules_cues_are_carried_by_nothing(extractor, seed_docs):
    cues = {rule_id for rule_id, rule in extractor.knowledge.rules.items() if rule.stages == ("cue",)}
    assert {"trigger.investment.total", "quote.program.motto"} <= cues
    for doc in seed_docs:
        extraction = extractor.extract(doc)
        assert not {m.rule for m in extraction.mentions} & cues
        assert not {f.rule for f in extraction.facts} & cues


@pytest.mark.parametrize("name, line", [
    ("heads.tsv", "公园\tPlace\tLandmark\thead.place.parc"),
    ("triggers.tsv", "locatedIn\t地处\ttrigger.located.at"),
    ("quotes.tsv", "after\t名片\tquote.program.afterwards"),
])
def test_rules_an_undeclared_id_in_a_knowledge_file_names_file_and_line(tmp_path, name, line):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / name, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    count = len((data / name).read_text(encoding="utf-8").splitlines())
    with pytest.raises(KnowledgeError, match=rf"{re.escape(name)}:{count}: rule id '{line.split(chr(9))[-1]}' is not declared in rules\.tsv"):
        load_knowledge(data)


def test_rules_registry_rejects_a_duplicate_and_an_unknown_stage(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    original = (data / "rules.tsv").read_text(encoding="utf-8")
    (data / "rules.tsv").write_text(original + "gazetteer.full\tmentions\tagain\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"rules\.tsv:\d+: rule id gazetteer\.full declared twice"):
        load_knowledge(data)
    (data / "rules.tsv").write_text(original + "brand.new\tnames\ta brand\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"rules\.tsv:\d+: stage must be"):
        load_knowledge(data)
