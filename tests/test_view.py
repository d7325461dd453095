"""Tests of kg.view: the offline, self-contained HTML view of a graph."""
from __future__ import annotations

import copy
import json
import os
import re

import networkx as nx
import pytest

from kg.view import render_html, script_json

KG = "https://example.org/kg/"
EVIL = "<img src=x onerror=alert(1)>有限公司"
QUOTY = "\"引号'公司\\反斜杠</script><!--"


def sample_graph() -> nx.MultiDiGraph:
    """A small report graph: places, a company, a project, a program, and hostile labels."""
    g = nx.MultiDiGraph()
    g.add_node(KG + "place/新荣区", label="新荣区", type="Place", aliases=["新荣"],
               sources=[("大同市政府工作报告2023.txt", "新荣区光伏基地建设加快推进。")])
    g.add_node(KG + "place/大同市", label="大同市", type="Place")
    g.add_node(KG + "company/longi", label="大同隆基光伏科技有限公司", type="Company",
               aliases=["大同隆基", "隆基光伏"], facts=["投资 9亿元", "产能 5GW"],
               sources=[("报告A.txt", f"句子{i}：大同隆基光伏科技有限公司投产。") for i in range(5)])
    g.add_node(KG + "project/pv", label="新荣区光伏领跑者基地项目", type="Project", facts=["投资 50亿元"])
    g.add_node(KG + "program/14th", label="“十四五”规划", type="Program")
    g.add_node(KG + "org/fgw", label="大同市发展和改革委员会", type="Organization")
    g.add_node(KG + "company/evil", label=EVIL, type="Company", aliases=[QUOTY],
               facts=["<b>粗体</b> & 'x'"], sources=[("<script>alert(2)</script>.txt", EVIL + "在新荣区。")])
    g.add_node(KG + "misc/thing", label="某事物", type="Widget")
    g.add_edge(KG + "place/新荣区", KG + "place/大同市", label="locatedIn")
    g.add_edge(KG + "company/longi", KG + "place/新荣区", label="locatedIn")
    g.add_edge(KG + "project/pv", KG + "company/longi", label="operatedBy")
    g.add_edge(KG + "project/pv", KG + "company/longi", label="investment")
    g.add_edge(KG + "project/pv", KG + "program/14th", label="implements")
    g.add_edge(KG + "project/pv", KG + "place/新荣区", label="locatedIn")
    g.add_edge(KG + "org/fgw", KG + "place/大同市", label="locatedIn")
    g.add_edge(KG + "company/evil", KG + "place/新荣区", label="locatedIn</script>")
    g.add_edge(KG + "misc/thing", KG + "place/大同市", label="locatedIn")
    return g


def embedded_data(page: str) -> dict:
    """The JSON data block of a rendered page."""
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


@pytest.fixture
def rendered(tmp_path):
    g = sample_graph()
    out = render_html(g, tmp_path / "view.html", title="大同 <测试>")
    return g, out, out.read_text(encoding="utf-8")


def test_writes_file_and_returns_path(rendered, tmp_path):
    _g, out, page = rendered
    assert out == tmp_path / "view.html"
    assert out.is_file()
    assert page.startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(tmp_path)) == ["view.html"]  # no temp file, no pyvis lib/ folder
    assert not (tmp_path / "lib").exists()


def test_accepts_str_path_and_creates_parent(tmp_path):
    out = render_html(sample_graph(), str(tmp_path / "sub" / "v.html"))
    assert out == tmp_path / "sub" / "v.html" and out.is_file()


def test_no_cwd_side_effects(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render_html(sample_graph(), "out.html")
    assert sorted(os.listdir(tmp_path)) == ["out.html"]


def test_offline_no_external_references(rendered):
    _g, _out, page = rendered
    lowered = page.lower()
    assert "http://" not in lowered
    assert "https://" not in lowered.replace(script_json(KG).strip('"').lower(), "")
    assert not re.search(r"<script[^>]*\bsrc\s*=", lowered)
    assert not re.search(r"<link\b", lowered)
    assert "@import" not in lowered
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", lowered)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrapcdn", "googleapis"):
        assert cdn not in lowered
    assert "vis.Network" in page and "DataSet" in page  # vis-network is inlined
    assert ".vis-network" in page or "vis-tooltip" in page  # and its stylesheet


def test_node_iris_are_only_https_text_in_page(rendered):
    """The only https:// text in the page is inside the data (node IRIs), never a resource."""
    _g, _out, page = rendered
    head, _, _ = page.partition('<script id="kg-data"')
    _, _, tail = page.partition("</script>\n<script>")
    assert "https://" not in head and "https://" not in tail


def test_chinese_labels_in_data(rendered):
    g, _out, page = rendered
    data = embedded_data(page)
    labels = {n["label"] for n in data["nodes"]}
    for name in ("新荣区", "大同市", "大同隆基光伏科技有限公司", "新荣区光伏领跑者基地项目", "“十四五”规划"):
        assert name in labels
        assert name in page  # stored as UTF-8, not \u-escaped
    assert {e["label"] for e in data["edges"]} >= {"locatedIn", "operatedBy", "implements"}


def test_node_and_edge_counts_match_graph(rendered):
    g, _out, page = rendered
    data = embedded_data(page)
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()  # parallel edges kept
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_hostile_labels_never_unescaped(rendered):
    _g, _out, page = rendered
    assert "<img src=x" not in page.lower()
    assert "onerror=alert" not in page.replace("\\u003cimg src=x onerror=alert", "")
    assert "<b>粗体" not in page
    assert "<script>alert(2)" not in page
    assert page.lower().count("</script") == 3  # data, vis-network, app: nothing closes them early
    assert "<!--" not in page
    data = embedded_data(page)
    evil = next(n for n in data["nodes"] if n["id"].endswith("company/evil"))
    assert evil["label"] == EVIL  # round-trips as text
    assert QUOTY in evil["kgNames"]
    assert ["来源 《<script>alert(2)</script>.txt》", EVIL + "在新荣区。"] in evil["kgTip"]


def test_title_is_escaped(rendered):
    _g, _out, page = rendered
    assert "<title>大同 &lt;测试&gt;</title>" in page
    assert "<测试>" not in page


def test_tooltips_are_text_built_in_the_page(rendered):
    _g, _out, page = rendered
    data = embedded_data(page)
    longi = next(n for n in data["nodes"] if n["label"] == "大同隆基光伏科技有限公司")
    assert "title" not in longi  # built as DOM text nodes by the page, never parsed as HTML
    flat = ["：".join(line) for line in longi["kgTip"]]
    assert any("Company" in line for line in flat)
    assert any("大同隆基、隆基光伏" in line for line in flat)
    assert any("投资 9亿元" in line for line in flat)
    assert sum("报告A.txt" in line for line in flat) == 3  # at most three source sentences
    assert "textContent" in page and "createTextNode" in page
    assert "innerHTML" not in page.split('<script id="kg-data"')[0]


def test_types_colours_shapes_legend(rendered):
    _g, _out, page = rendered
    data = embedded_data(page)
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["新荣区"]["kgType"] == "Place"
    assert by_label["某事物"]["kgType"] == "Other"
    assert by_label["新荣区"]["color"] != by_label["大同隆基光伏科技有限公司"]["color"]
    assert by_label["新荣区"]["shape"] != by_label["大同隆基光伏科技有限公司"]["shape"]
    assert by_label["新荣区"]["size"] > by_label["大同市发展和改革委员会"]["size"]  # degree 4 vs 1
    legend = page.split('<span id="kg-legend">')[1].split("</span>\n</div>")[0]
    for kind in ("Company", "Project", "Place", "Program", "Organization", "Other"):
        assert f'data-type="{kind}"' in legend
    assert 'id="kg-search"' in page
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert "stabilizationIterationsDone" in page and "physics: false" in page


def test_caller_graph_unchanged(tmp_path):
    g = sample_graph()
    before_nodes = copy.deepcopy(dict(g.nodes(data=True)))
    before_edges = copy.deepcopy(list(g.edges(keys=True, data=True)))
    render_html(g, tmp_path / "a.html", max_nodes=3)
    render_html(g, tmp_path / "b.html")
    assert dict(g.nodes(data=True)) == before_nodes
    assert list(g.edges(keys=True, data=True)) == before_edges


def test_deterministic_bytes(tmp_path):
    a = render_html(sample_graph(), tmp_path / "a.html").read_bytes()
    b = render_html(sample_graph(), tmp_path / "b.html").read_bytes()
    assert a == b
    shuffled = nx.MultiDiGraph()  # same graph, inserted in reverse order
    src = sample_graph()
    for n, d in reversed(list(src.nodes(data=True))):
        shuffled.add_node(n, **d)
    for u, v, d in reversed(list(src.edges(data=True))):
        shuffled.add_edge(u, v, **d)
    assert render_html(shuffled, tmp_path / "c.html").read_bytes() == a


def test_max_nodes_cap(tmp_path):
    g = sample_graph()
    page = render_html(g, tmp_path / "cap.html", max_nodes=3).read_text(encoding="utf-8")
    data = embedded_data(page)
    kept = {n["label"] for n in data["nodes"]}
    assert len(kept) == 3
    assert kept == {"新荣区", "大同隆基光伏科技有限公司", "新荣区光伏领跑者基地项目"}  # highest degree
    assert all(e["from"] in {n["id"] for n in data["nodes"]} and e["to"] in {n["id"] for n in data["nodes"]}
               for e in data["edges"])
    omitted = g.number_of_nodes() - 3
    assert f'data-omitted="{omitted}"' in page
    assert f"省略 {omitted} 个节点" in page and f"{omitted} of {g.number_of_nodes()} nodes omitted" in page


def test_no_note_when_under_cap(rendered):
    _g, _out, page = rendered
    assert 'id="kg-note"' not in page and "omitted" not in page


def test_empty_graph(tmp_path):
    page = render_html(nx.MultiDiGraph(), tmp_path / "e.html").read_text(encoding="utf-8")
    assert embedded_data(page)["nodes"] == []


def test_failed_write_leaves_no_temp_file(tmp_path, monkeypatch):
    from kg.errors import GraphError

    target = tmp_path / "v.html"
    target.write_text("old", encoding="utf-8")

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(GraphError):
        render_html(sample_graph(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir(tmp_path)) == ["v.html"]


def test_view_place_chain_and_documents_in_panel_data(rendered):
    _g, _out, page = rendered
    data = embedded_data(page)
    longi = next(n for n in data["nodes"] if n["label"] == "大同隆基光伏科技有限公司")
    assert ["位置 Place", "新荣区 › 大同市"] in longi["kgTip"]
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', page)
    docs = [name for _i, name in options]
    assert docs == sorted(docs) and "报告A.txt" in docs and "&lt;script&gt;alert(2)&lt;/script&gt;.txt" in docs
    assert longi["kgDocs"] == [docs.index("报告A.txt")]


def test_view_relation_filter_lists_drawn_relations(rendered):
    _g, _out, page = rendered
    for relation, count in (("locatedIn", 5), ("operatedBy", 1), ("implements", 1), ("locatedIn&lt;/script&gt;", 1)):
        assert f'data-relation="{relation}" checked> {relation} ({count})' in page


def big_graph(n: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"n{i}", label=f"节点{i}", type="Place")
        if i:
            g.add_edge(f"n{i}", f"n{(i - 1) // 3}", label="locatedIn")
    return g


def test_view_big_graph_layout_ahead_and_no_physics(tmp_path):
    from kg.view import PHYSICS_MAX_NODES

    page = render_html(big_graph(PHYSICS_MAX_NODES + 1), tmp_path / "big.html").read_text(encoding="utf-8")
    data = embedded_data(page)
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > PHYSICS_MAX_NODES * 0.9  # spread out, not stacked
    small = embedded_data(render_html(big_graph(10), tmp_path / "small.html").read_text(encoding="utf-8"))
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]


def test_view_selection_note(tmp_path):
    from kg.graphview import select_view

    g = sample_graph()
    shown, selection = select_view(g, types=["Place", "Company"])
    page = render_html(shown, tmp_path / "s.html", selection=selection, total=g.number_of_nodes(), max_nodes=3)
    note = re.search(r'<span id="kg-note" data-omitted="(\d+)">([^<]*)</span>', page.read_text(encoding="utf-8"))
    assert note and int(note.group(1)) == g.number_of_nodes() - 3
    assert "筛选 --types Place,Company：保留 4 / 8 个节点" in note.group(2)
    assert "1 of 4 nodes omitted" in note.group(2)


@pytest.mark.parametrize("kwargs, labels", [
    ({"around": "大同隆基", "depth": 1}, {"大同隆基光伏科技有限公司", "新荣区", "新荣区光伏领跑者基地项目"}),
    ({"around": "新荣区光伏领跑者基地项目", "depth": 0}, {"新荣区光伏领跑者基地项目"}),
    ({"types": ["Program", "Organization"]}, {"“十四五”规划", "大同市发展和改革委员会"}),
    ({"document": "报告A"}, {"大同隆基光伏科技有限公司"}),
    ({"top": 2}, {"新荣区", "新荣区光伏领跑者基地项目"}),  # degree 4 each
    ({"types": ["Place"], "around": "新荣区", "depth": 5}, {"新荣区", "大同市"}),
])
def test_view_select(kwargs, labels):
    from kg.graphview import select_view

    g = sample_graph()
    before = nx.to_dict_of_dicts(g)
    shown, selection = select_view(g, **kwargs)
    assert {shown.nodes[n]["label"] for n in shown} == labels
    assert selection.startswith("--")
    assert nx.to_dict_of_dicts(g) == before


def test_view_select_errors():
    from kg.errors import GraphError
    from kg.graphview import select_view

    with pytest.raises(GraphError, match="no entity named '不存在'"):
        select_view(sample_graph(), around="不存在")
    with pytest.raises(GraphError, match="keeps no node"):
        select_view(sample_graph(), document="无此文档.txt")
    assert select_view(sample_graph())[1] == ""


def test_view_edge_labels_only_around_selection_on_busy_graphs(tmp_path):
    from kg.view import EDGE_LABELS_MAX

    busy = big_graph(EDGE_LABELS_MAX + 2)
    data = embedded_data(render_html(busy, tmp_path / "busy.html").read_text(encoding="utf-8"))
    assert data["options"]["edges"]["font"]["size"] == 0 and data["edgeFontSize"] > 0
    assert all(e["label"] for e in data["edges"])  # still there for the tooltip and the selection
    calm = embedded_data(render_html(big_graph(50), tmp_path / "calm.html").read_text(encoding="utf-8"))
    assert calm["options"]["edges"]["font"]["size"] == calm["edgeFontSize"]


def test_view_layout_is_deterministic_and_spread(tmp_path):
    from kg.view import layout_positions

    g = big_graph(1500)
    g.add_node("alone", label="孤立", type="Company")  # a group linked to nothing goes outside
    first = layout_positions(g, list(g.nodes))
    assert first == layout_positions(g, list(reversed(list(g.nodes))))
    assert len(set(first.values())) > 0.98 * g.number_of_nodes()  # hardly any two nodes on one spot
    assert set(first) == set(g.nodes)


def test_view_rdf_graph_has_investments_in_yi_and_place_chains(seed_build, tmp_path):
    from kg.graphview import networkx_from_rdf
    from kg.rdf import load_graph

    out, result = seed_build
    g = networkx_from_rdf(load_graph(out / "graph.ttl"))
    assert g.number_of_nodes() == sum(result.entities.values())
    facts = [f for _n, d in g.nodes(data=True) for f in d["facts"]]
    assert len(facts) == result.relations["investment"]
    assert all(re.fullmatch(r"投资 \d+(\.\d+)?亿元(（.+）)?", f) for f in facts), facts
    assert "投资 9亿元" in facts
    page = render_html(g, tmp_path / "rdf-view.html").read_text(encoding="utf-8")
    chains = [line[1] for n in embedded_data(page)["nodes"] for line in n["kgTip"] if line[0] == "位置 Place"]
    assert "大同市 › 山西省" in chains
