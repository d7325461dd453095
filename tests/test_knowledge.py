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
