"""The knowledge files: gazetteer content and line-numbered errors for malformed files."""
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


def test_knowledge_plain_word_list_has_no_sections(tmp_path):
    data = _copy_with(tmp_path, "programs.txt", lambda lines: ["[programs]"] + lines)
    with pytest.raises(KnowledgeError, match=r"programs\.txt:1: this file has no sections"):
        load_knowledge(data)


def test_knowledge_trigger_file_without_a_relation_names_it(tmp_path):
    data = _copy_with(tmp_path, "triggers.tsv", lambda lines: [line for line in lines if not line.startswith("investment\t")])
    with pytest.raises(KnowledgeError, match=r"triggers\.tsv:\d+: no rows of relation investment"):
        load_knowledge(data)
