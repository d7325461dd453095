"""A report's own metadata (kg/reports.py): title, year, date, issuer and kind, read from its heading
lines, left out when the text does not say; and the tense of sentences."""
from __future__ import annotations

import re

import pytest

from kg.reports import dated, read_report, sentence_tense
from kg.model import Document


@pytest.mark.parametrize("text, title, year, year_from, date, issuer, kind", [
    # the heading of 太原市-2023: the title's year; the date line names the city
    ("2023年政府工作报告\n\n政府工作报告\n\n——2023年3月21日在太原市第十五届人民代表大会第三次会议上\n\n市长 张新伟\n\n各位代表：\n\n现在……",
     "2023年政府工作报告", 2023, "title", "2023-03-21", "140100", "政府工作报告"),
    # no year in the title: the date, written in Chinese numerals on a line of its own (北京市-2023)
    ("政府工作报告\n原标题：政府工作报告——\n二〇二三年一月十五日在北京市第十六届人民代表大会第一次会议上\n各位代表：",
     "政府工作报告", 2023, "date", "2023-01-15", "110000", "政府工作报告"),
    # no year at all (江西省-2005): title and kind read, year, date and issuer left out
    ("政府工作报告\n\n省长 黄智权\n\n各位代表：\n\n现在，我代表省人民政府向大会作政府工作报告。\n\n一、2004年政府工作的简要回顾\n",
     "政府工作报告", None, None, None, None, "政府工作报告"),
    # delivered in December: the heading of the year planned for is the report's year (岳阳市-2024)
    ("岳阳市政府工作报告（2023年12月31日 李挚）\n\n各位代表：\n\n2023年工作回顾\n\n过去一年……\n\n2024年工作安排\n\n今年……",
     "岳阳市政府工作报告（2023年12月31日 李挚）", 2024, "plan_heading", "2023-12-31", "430600", "政府工作报告"),
    # two years in the title: which is the report's is not said, so none is written
    ("关于2021年工作总结和2022年工作安排的报告\n——2022年1月6日在长治市第十五届人民代表大会第一次会议上\n各位代表：",
     "关于2021年工作总结和2022年工作安排的报告", None, None, "2022-01-06", "140400", None),
    # a far goal's year is not the report's (甘肃省-1996)
    ("关于甘肃省“九五”计划和2010年远景规划纲要的报告\n（1996年2月3日）\n各位代表：",
     "关于甘肃省“九五”计划和2010年远景规划纲要的报告", 1996, "date", "1996-02-03", None, None),
    # traditional characters: matched in simplified form, the title kept as written
    ("長治市政府工作報告（2023年3月29日 陳向陽）\n\n——2023年3月29日在長治市第十五屆人民代表大會第三次會議上\n\n各位代表：",
     "長治市政府工作報告（2023年3月29日 陳向陽）", 2023, "date", "2023-03-29", "140400", "政府工作报告"),
    # a prefecture named short (恩施州), digits spaced out in the title
    ("恩施州政府工作报告（2021年1月19日 刘芳震）\n各位代表：", "恩施州政府工作报告（2021年1月19日 刘芳震）", 2021, "date", "2021-01-19", "422800", "政府工作报告"),
    ("2 0 2 3 年 政府工作报告\n各位代表：", "2 0 2 3 年 政府工作报告", 2023, "title", None, None, "政府工作报告"),
    # a Markdown heading; a first line that is a sentence is no title
    ("# 奋进新征程\n\n## 副标题\n\n正文。", "奋进新征程", None, None, None, None, None),
    ("近年来，大同市城乡面貌发生深刻变化。\n", None, None, None, None, None, None),
], ids=["taiyuan", "chinese-numeral-date", "no-year", "december", "two-years", "far-goal", "traditional",
        "prefecture-short", "spaced-digits", "markdown", "no-title"])
def test_reports_metadata_is_read_from_the_heading(knowledge, text, title, year, year_from, date, issuer, kind):
    report = read_report(text, knowledge)
    assert (report.title, report.year, report.year_from, report.date, report.issuer, report.kind) == \
        (title, year, year_from, date, issuer, kind)


def test_reports_a_name_several_divisions_share_is_no_issuer(knowledge):
    assert len(knowledge.by_name["城区"]) > 1
    assert read_report("城区政府工作报告（2023年1月5日）\n各位代表：", knowledge).issuer is None


def test_reports_title_and_year_are_read_for_the_corpus(corpus, knowledge):
    reports = sorted(corpus.glob("*/*.txt"))
    assert len(reports) > 2900
    unread = [p.name for p in reports if None in (lambda r: (r.title, r.year))(read_report(p.read_text(encoding="utf-8"), knowledge))]
    assert len(unread) <= 0.01 * len(reports), unread
    # where the file name has a year, the year read is it, but for reports delivered the December before
    off = []
    for path in reports[::7]:
        report = read_report(path.read_text(encoding="utf-8"), knowledge)
        named = re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", path.name)
        if report.year and named and int(named[0]) != report.year:
            off.append((path.name, report.year, report.date))
    odd = [o for o in off if not (o[2] and o[2][5:7] in ("11", "12"))]  # a December report has that year
    assert len(odd) <= 3, odd


@pytest.mark.parametrize("words, tense", [
    (["全年", "建成", "高速公路", "120", "公里"], "done"),
    (["太原", "南站", "已", "通车"], "done"),
    (["力争", "全年", "开工", "项目", "200", "个"], "planned"),
    (["要", "加快", "推进", "项目", "建设"], "planned"),
    (["计划", "完成", "投资", "100", "亿元"], None),  # both: not plain
    (["项目", "尚未", "完成"], None),  # a done word negated
    (["推进", "项目", "建设"], None),  # neither
    (["经过", "全市", "共同", "努力", "，", "目标", "如期", "完成"], "done"),  # 努力 ending its clause is a noun, not a plan
    (["实施", "三年", "行动", "计划", "，", "新建", "农村", "公路"], None),  # so is 计划
    (["努力", "打造", "一流", "营商环境"], "planned"),
    (["努力", "把", "太原", "建成", "文明城市"], None),  # an aim: a plan and a done word
])
def test_reports_sentence_tense_only_where_plain(knowledge, words, tense):
    assert sentence_tense(words, knowledge) == tense


def test_reports_each_fact_takes_the_tense_of_its_own_clause(extractor):
    """One sentence reports one project done and another begun: only the first is dated done; a
    planned word dates what follows it; a fact the gazetteer states has no tense."""
    # the file name names the report's place: a project is never placed in the report's own place
    doc = Document("大同市-2023.txt", "大同市2023年政府工作报告\n去年，云冈区平旺乡文化中心项目建成投用，新荣区光伏产业园项目开工建设。"
                            "今年将推进左云县恒达新材料有限公司扩建项目。")
    tenses = {(f.head, f.basis): f.tense for f in dated(extractor.extract(doc), extractor.segmenter, extractor.knowledge).facts}
    assert tenses[("云冈区平旺乡文化中心项目", "text")] == "done"
    assert tenses[("新荣区光伏产业园项目", "text")] is None  # a sentence-wide reading called it done
    assert tenses[("左云县恒达新材料有限公司扩建项目", "text")] == "planned"
    assert tenses[("新荣区", "gazetteer")] is None
