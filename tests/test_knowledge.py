"""The knowledge files: gazetteer content and line-numbered errors for malformed files."""
import ast
import re
import shutil

import pytest

from kg import KnowledgeError, load_knowledge
from kg.knowledge import DATA_DIR


def test_knowledge_gazetteer_chains_a_district_to_its_province(knowledge):
    assert [d.name for d in knowledge.chain("140212")] == ["新荣区", "大同市", "山西省"]
    assert knowledge.by_name["榆次区"][0].code == "140702"


def test_knowledge_gazetteer_has_no_pre_2018_datong_districts(knowledge):
    datong = {d.name for d in knowledge.divisions.values() if d.parent == "140200"}
    assert {"平城区", "云冈区", "云州区", "新荣区"} <= datong
    assert not {"城区", "矿区", "南郊区", "大同县"} & datong


def test_knowledge_gazetteer_covers_every_province(knowledge):
    provinces = [d for d in knowledge.divisions.values() if d.level == "province"]
    assert len(provinces) == 34


def test_knowledge_bad_head_type_names_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    lines = (data / "heads.tsv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "园\tPark\t\thead.bad")
    (data / "heads.tsv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"heads\.tsv:4: unknown entity type 'Park'"):
        load_knowledge(data)


def test_knowledge_bad_division_code_names_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "divisions.tsv", "a", encoding="utf-8") as fh:
        fh.write("12345\t某县\tcounty\t140200\n")
    count = len((data / "divisions.tsv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(KnowledgeError, match=rf"divisions\.tsv:{count}: code must be 6 digits"):
        load_knowledge(data)


def _copy_with(tmp_path, name, edit):
    """A copy of the shipped knowledge with `edit` applied to the lines of one file."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    lines = (data / name).read_text(encoding="utf-8").splitlines()
    (data / name).write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return data


def test_knowledge_unknown_section_names_file_and_line(tmp_path):
    # the section that silently disappeared once: a stray [project_modifier] is now an error, not ignored
    data = _copy_with(tmp_path, "categories.txt", lambda lines: lines + ["[project_modifier]", "战略性"])
    count = len((data / "categories.txt").read_text(encoding="utf-8").splitlines())
    with pytest.raises(KnowledgeError, match=rf"categories\.txt:{count - 1}: unknown section \[project_modifier\]"):
        load_knowledge(data)


def test_knowledge_missing_section_names_the_file(tmp_path):
    # renaming a section's header drops it: the rule reading it would have no words
    data = _copy_with(tmp_path, "categories.txt", lambda lines: [line.replace("[compass]", "[compas]") for line in lines])
    with pytest.raises(KnowledgeError, match=r"categories\.txt:\d+: unknown section \[compas\]"):
        load_knowledge(data)
    data = _copy_with(tmp_path / "b", "generic.txt", lambda lines: [line for line in lines if line != "[leading]"])
    with pytest.raises(KnowledgeError, match=r"generic\.txt:\d+: missing section\(s\) \[leading\]"):
        load_knowledge(data)


def test_knowledge_section_given_twice_is_an_error(tmp_path):
    # a second header would have replaced the first section's words
    data = _copy_with(tmp_path, "categories.txt", lambda lines: lines + ["[compass]", "东"])
    with pytest.raises(KnowledgeError, match=r"categories\.txt:\d+: section \[compass\] given twice"):
        load_knowledge(data)


@pytest.mark.parametrize("name, change, message", [
    ("programs.txt", lambda lines: ["[programs]"] + lines, r"programs\.txt:1: this file has no sections"),
    ("triggers.tsv", lambda lines: [line for line in lines if not line.startswith("investment\t")],
     r"triggers\.tsv:\d+: no rows of relation investment"),
    ("cues.txt", lambda lines: lines + ["[published_verb]", "颁布"], r"cues\.txt:\d+: unknown section \[published_verb\]"),
    ("reports.txt", lambda lines: [line for line in lines if line != "[planned]"],
     r"reports\.txt:\d+: word '将' before any \[section\]|reports\.txt:\d+: missing section\(s\) \[planned\]"),
], ids=["plain-list-has-no-sections", "triggers-name-a-missing-relation", "cues-are-closed", "report-cues-are-closed"])
def test_knowledge_closed_files_name_what_is_wrong(tmp_path, name, change, message):
    data = _copy_with(tmp_path, name, change)
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(data)


def test_knowledge_cue_words_reach_the_rules(tmp_path, knowledge):
    # 颁布 publishes nothing in the shipped cues; added to [publishing_verb], it makes 颁布…30条 a policy package
    from kg import Document, Extractor
    text = "颁布激活民间投资30条。"
    assert ("激活民间投资30条", "Program") not in {(m.text, m.type) for m in Extractor(knowledge).extract(Document("t.txt", text)).mentions}
    data = _copy_with(tmp_path, "cues.txt", lambda lines: [w for line in lines for w in ((line, "颁布") if line == "[publishing_verb]" else (line,))])
    found = {(m.text, m.type) for m in Extractor(load_knowledge(data)).extract(Document("t.txt", text)).mentions}
    assert ("激活民间投资30条", "Program") in found


# Modules of the extraction rules: their word lists live in kg/data, so none is a module-level constant.
RULE_MODULES = tuple(f"finding/{path.name}" for path in sorted((DATA_DIR.parent / "finding").glob("*.py"))) + ("relations.py",)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _word_list_constants(path):
    """Module-level names bound to Chinese words: a string of them, a tuple/set of them, or a regex that only alternates them."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "attr", getattr(value.func, "id", "")) in ("compile", "frozenset", "set", "tuple") and value.args:
            value = value.args[0]
        strings = [value] if isinstance(value, ast.Constant) else getattr(value, "elts", [])
        texts = [s.value for s in strings if isinstance(s, ast.Constant) and isinstance(s.value, str)]
        if texts and all(re.fullmatch(r"[\u4e00-\u9fff|]*", t) for t in texts) and any(_CJK.search(t) for t in texts):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node.targets[0])}")
    return found


def test_knowledge_rule_modules_hold_no_word_lists():
    package = DATA_DIR.parent
    found = [hit for name in RULE_MODULES for hit in _word_list_constants(package / name)]
    assert not found, f"word lists written into the code (move them to kg/data): {found}"


@pytest.mark.parametrize("name, line, message", [
    ("heads.tsv", "村落\tPlace\tVilage\thead.place.village", r"unknown subtype 'Vilage' for Place; expected one of"),
    ("lists.tsv", "企业群\tCompany\tCluster", r"unknown subtype 'Cluster' for Company; expected none"),
    ("landmarks.tsv", "泰山\tPlace\tMountain", r"unknown subtype 'Mountain' for Place"),
])
def test_knowledge_unknown_subtype_names_file_and_line(tmp_path, name, line, message):
    # the rules test subtypes by name (Town, Village, Water …): a misspelt one would silently skip them
    data = _copy_with(tmp_path, name, lambda lines: lines + [line])
    count = len((data / name).read_text(encoding="utf-8").splitlines())
    with pytest.raises(KnowledgeError, match=rf"{re.escape(name)}:{count}: {message}"):
        load_knowledge(data)


def test_knowledge_common_words_are_mined_and_checked(tmp_path, knowledge):
    # mined/common_words.txt: the words of 2-4 characters a tenth of the corpus reports use, with their count
    import sys
    sys.path.insert(0, str(DATA_DIR.parent.parent / "tools"))
    from collections import Counter

    import mine_lexicons
    assert {"餐厨", "红色旅游", "5G"} <= knowledge.common_words and "华润" not in knowledge.common_words
    report = tmp_path / "corpus" / "a.txt"
    report.parent.mkdir()
    report.write_text("推进餐厨垃圾处置中心建设。", encoding="utf-8")
    words = mine_lexicons.words_of(str(report))
    assert "餐厨" in words and "。" not in words and all(2 <= len(w) <= 4 for w in words)
    assert mine_lexicons.write_common(Counter({"餐厨": 3, "华润": 2}), 20, tmp_path, share=0.15) == 1
    assert "餐厨\t3" in (tmp_path / "common_words.txt").read_text(encoding="utf-8")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "mined" / "common_words.txt", "a", encoding="utf-8") as fh:
        fh.write("餐厨\tmany\n")
    with pytest.raises(KnowledgeError, match=r"common_words\.txt:\d+: expected 'word<TAB>reports'"):
        load_knowledge(data)


def test_knowledge_hand_listed_programs_are_general_knowledge_not_one_reports_names(corpus, knowledge):
    """programs.txt holds national programs that many reports name (千万工程, 河长制), not names copied
    from one report or its gold: each is written in at least 20 of the corpus's 2,956 reports."""
    names = sorted(knowledge.programs)
    assert len(names) > 50
    counts = dict.fromkeys(names, 0)
    for path in corpus.glob("*/*.txt"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in names:
            if name in text:
                counts[name] += 1
    rare = {name: n for name, n in counts.items() if n < 20}
    assert not rare, f"in fewer than 20 corpus reports: {rare}"
    assert counts["河长制"] > 500 and counts["千万工程"] >= 20
