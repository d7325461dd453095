"""HTML view stage: the only pyvis adapter; writes one offline, self-contained interactive page of a graph."""
from __future__ import annotations

import html
import json
import math
import os
import pathlib
import re
import string
import tempfile
from collections import Counter, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

import pyvis
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from kg.errors import GraphError

if TYPE_CHECKING:
    import networkx

# type -> (colour, vis-network shape, legend symbol, Chinese name)
TYPE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "Company": ("#e15759", "dot", "●", "企业"),
    "Project": ("#f28e2b", "diamond", "◆", "项目"),
    "Place": ("#4e79a7", "square", "■", "地点"),
    "Program": ("#59a14f", "star", "★", "规划/政策"),
    "Organization": ("#b07aa1", "triangle", "▲", "机构"),
    "Other": ("#9d9d9d", "hexagon", "⬢", "其他"),
}
MAIN_TYPES = ("Company", "Project", "Place", "Program", "Organization")
MAX_SOURCES = 3
DEFAULT_MAX_NODES = 2000
PHYSICS_MAX_NODES = 400  # above this, the layout is computed ahead and physics stays off
# Above this many edges, edge labels are drawn only around the selected node: vis-network measures every
# label on every frame, which made one redraw of 9,000 labelled edges take seconds (bench/view.py).
EDGE_LABELS_MAX = 1000
EDGE_FONT_SIZE = 10
SPRING_NODES = 400  # nodes placed by networkx's spring layout; the rest round their neighbours
_GOLDEN = math.pi * (3 - math.sqrt(5))  # the golden angle: successive points never line up
MAX_SENTENCE_CHARS = 200

_PAGE = string.Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
$vis_css
</style>
<style>
html,body{margin:0;height:100%;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:14px}
body{display:flex;flex-direction:column}
#kg-bar{display:flex;flex-wrap:wrap;gap:.4em 1.4em;align-items:center;padding:.5em 1em;border-bottom:1px solid #ddd;background:#fafafa}
#kg-bar h1{font-size:1.15em;margin:0}
#kg-note{color:#a33}
#kg-search-box{position:relative}
#kg-search{width:16em;padding:.2em .4em}
#kg-results{position:absolute;z-index:20;left:0;top:100%;margin:0;padding:0;list-style:none;background:#fff;border:1px solid #ccc;max-height:22em;overflow-y:auto;min-width:16em}
#kg-results li{padding:.25em .5em;cursor:pointer;white-space:nowrap}
#kg-results li:hover{background:#eef}
#kg-legend label{margin-right:.8em;white-space:nowrap;cursor:pointer}
.kg-sym{font-size:1.15em}
#kg-main{flex:1;display:flex;min-height:400px}
#kg-network{flex:1;min-width:0}
#kg-panel{width:24em;overflow-y:auto;border-left:1px solid #ddd;padding:.5em 1em;background:#fcfcfc}
#kg-panel .kg-tip div{margin:.35em 0}
#kg-filters label{margin-right:.8em;white-space:nowrap;cursor:pointer}
#kg-doc{max-width:18em}
div.vis-tooltip{white-space:normal;max-width:28em;font-family:inherit}
.kg-tip div{margin:.1em 0}
</style>
</head>
<body>
<div id="kg-bar">
<h1>$title</h1>
<span id="kg-count">$count_text</span>
$note_html
<span id="kg-search-box"><input id="kg-search" type="search" placeholder="搜索名称或别名 / search" autocomplete="off"><ul id="kg-results" hidden></ul></span>
<span id="kg-legend">$legend_html</span>
<span id="kg-filters">$relations_html
<select id="kg-doc" title="按文档筛选 / filter by document"><option value="">全部文档 (all documents)</option>$documents_html</select>
$years_html
$isolated_html</span>
</div>
<div id="kg-main"><div id="kg-network"></div>
<aside id="kg-panel"><p id="kg-panel-hint">点击或悬停节点查看详情 (click or hover a node for its details)</p><div id="kg-details"></div></aside></div>
<script id="kg-data" type="application/json">$data_json</script>
<script>
$vis_js
</script>
<script>
$app_js
</script>
</body>
</html>
""")

_APP_JS = r"""(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var EDGE_FONT_SIZE = data.edgeFontSize;
  // Every name comes from untrusted documents: it only ever reaches the page as a DOM text node.
  function tipElement(lines) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    lines.forEach(function (line) {
      var row = document.createElement("div");
      var key = document.createElement("b");
      key.textContent = line[0] + "：";
      row.appendChild(key);
      row.appendChild(document.createTextNode(line[1]));
      box.appendChild(row);
    });
    return box;
  }
  var tips = {};
  data.nodes.forEach(function (n) { tips[n.id] = n.kgTip; n.title = tipElement(n.kgTip); delete n.kgTip; });
  data.edges.forEach(function (e) { e.title = tipElement(e.kgTip); delete e.kgTip; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  window.kgView = {network: network, nodes: nodes, edges: edges, ready: false};
  function ready() {
    // Physics stops once the layout has settled (or was computed ahead): the page stays light to explore.
    network.setOptions({physics: false});
    // The first view is the most connected part of the graph, not the whole drawing with its outskirts.
    if (data.focus.length) { network.fit({nodes: data.focus, animation: false}); }
    network.once("afterDrawing", function () {
      window.kgView.ready = true;
      document.body.setAttribute("data-kg-ready", "1");
    });
    network.redraw();
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    ready();
  }
  var details = document.getElementById("kg-details");
  var hint = document.getElementById("kg-panel-hint");
  function showDetails(id) {
    details.textContent = "";
    if (id !== null && tips[id]) { details.appendChild(tipElement(tips[id])); hint.hidden = true; }
  }
  var typeBoxes = document.querySelectorAll("#kg-legend input[data-type]");
  var relBoxes = document.querySelectorAll("#kg-filters input[data-relation]");
  var docSelect = document.getElementById("kg-doc");
  var yearSelect = document.getElementById("kg-year") || {value: ""};
  var isolatedBox = document.getElementById("kg-isolated") || {checked: true};
  function unchecked(list, attr) {
    var off = {};
    list.forEach(function (cb) { if (!cb.checked) { off[cb.getAttribute(attr)] = true; } });
    return off;
  }
  function applyFilter() {
    var offTypes = unchecked(typeBoxes, "data-type");
    var offRels = unchecked(relBoxes, "data-relation");
    var doc = docSelect.value === "" ? null : Number(docSelect.value);
    var year = yearSelect.value === "" ? null : yearSelect.value;
    var hidden = {};
    nodes.update(data.nodes.map(function (n) {
      hidden[n.id] = !!offTypes[n.kgType] || (doc !== null && n.kgDocs.indexOf(doc) < 0) ||
                     (year !== null && (n.kgYears || []).indexOf(year) < 0) ||
                     (!!n.kgIsolated && !isolatedBox.checked);
      return {id: n.id, hidden: hidden[n.id]};
    }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: !!offRels[e.label] || hidden[e.from] || hidden[e.to]};
    }));
  }
  typeBoxes.forEach(function (cb) { cb.addEventListener("change", applyFilter); });
  relBoxes.forEach(function (cb) { cb.addEventListener("change", applyFilter); });
  docSelect.addEventListener("change", applyFilter);
  if (yearSelect.addEventListener) { yearSelect.addEventListener("change", applyFilter); }
  if (isolatedBox.addEventListener) { isolatedBox.addEventListener("change", applyFilter); }
  var dimmed = false;
  var labelled = [];
  var labelsOff = data.options.edges.font.size === 0;
  function highlight(id) {
    if (labelsOff) {
      edges.update(labelled.map(function (e) { return {id: e, font: {size: 0}}; }));
      labelled = network.getConnectedEdges(id);
      edges.update(labelled.map(function (e) { return {id: e, font: {size: EDGE_FONT_SIZE}}; }));
    }
    // Neighbourhood highlighting: the node and its neighbours keep their colour, the rest fade.
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (m) { near[m] = true; });
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, color: near[n.id] ? n.color : "rgba(200,200,200,0.35)"};
    }));
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) { return; }
    edges.update(labelled.map(function (e) { return {id: e, font: {size: 0}}; }));
    labelled = [];
    nodes.update(data.nodes.map(function (n) { return {id: n.id, color: n.color}; }));
    dimmed = false;
  }
  network.on("selectNode", function (p) { showDetails(p.nodes[0]); highlight(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { unhighlight(); } });
  network.on("hoverNode", function (p) { showDetails(p.node); });
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  function rank(name, q) { return name === q ? 0 : (name.indexOf(q) === 0 ? 1 : 2); }
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var found = [];
    data.nodes.forEach(function (n) {
      var best = null;
      n.kgNames.forEach(function (name) {
        var lower = name.toLowerCase();
        if (lower.indexOf(q) >= 0) {
          var r = rank(lower, q);
          if (best === null || r < best.r) { best = {r: r, name: name}; }
        }
      });
      if (best !== null) { found.push({node: n, r: best.r, name: best.name}); }
    });
    found.sort(function (a, b) {
      return a.r - b.r || a.node.label.length - b.node.label.length ||
             (a.node.id < b.node.id ? -1 : 1);
    });
    return found.slice(0, 20);
  }
  function focusNode(n) {
    var changed = false;
    typeBoxes.forEach(function (cb) {
      if (cb.getAttribute("data-type") === n.kgType && !cb.checked) { cb.checked = true; changed = true; }
    });
    if (docSelect.value !== "" && n.kgDocs.indexOf(Number(docSelect.value)) < 0) { docSelect.value = ""; changed = true; }
    if (n.kgIsolated && !isolatedBox.checked) { isolatedBox.checked = true; changed = true; }
    if (changed) { applyFilter(); }
    network.selectNodes([n.id]);
    showDetails(n.id);
    highlight(n.id);
    network.focus(n.id, {scale: 1.5, animation: {duration: 500, easingFunction: "easeInOutQuad"}});
    results.hidden = true;
  }
  function showResults(found) {
    results.textContent = "";
    found.forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = f.node.label + (f.name !== f.node.label ? "（" + f.name + "）" : "");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(f.node); });
      results.appendChild(li);
    });
    results.hidden = found.length === 0;
  }
  input.addEventListener("input", function () { showResults(search(input.value)); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search(input.value);
      if (found.length) { focusNode(found[0].node); }
    } else if (ev.key === "Escape") {
      input.value = ""; results.hidden = true;
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });
})();"""


def render_html(graph: "networkx.MultiDiGraph", path: pathlib.Path | str, *, title: str = "kg",
                max_nodes: int = DEFAULT_MAX_NODES, selection: str = "", total: int | None = None) -> pathlib.Path:
    """Write a self-contained, offline interactive HTML view of `graph` to `path` (atomically) and return the path.

    At most `max_nodes` nodes are drawn, the most important (highest degree) first; the page says what was
    left out. `selection` describes a selection already applied (kg view --around …) and `total` is the
    node count before it, so the page can say that too.
    """
    path = pathlib.Path(path)
    kept = _select_nodes(graph, max_nodes)
    documents = _documents(graph, kept)
    net = _build_network(graph, kept, documents)
    years = sorted({y for n in net.nodes for y in n.get("kgYears", ())})
    omitted = Omitted(total=graph.number_of_nodes() if total is None else total, capped=graph.number_of_nodes(),
                      capped_edges=graph.number_of_edges(), selection=selection)
    page = _page(net, title=title, omitted=omitted, documents=documents, years=years)
    _write_atomic(path, page)
    return path


@dataclass(frozen=True)
class Omitted:
    """What the page leaves out: `total` nodes existed, a selection kept `capped`, the cap kept the rest."""

    total: int
    capped: int
    capped_edges: int
    selection: str = ""


def node_type(attrs: dict) -> str:
    """The display type of a node: one of the five entity types, else "Other"."""
    value = attrs.get("type")
    return value if value in MAIN_TYPES else "Other"


def _select_nodes(graph: "networkx.MultiDiGraph", max_nodes: int) -> list:
    """The nodes to show, sorted by IRI: all of them, or the `max_nodes` of highest degree."""
    nodes = list(graph.nodes)
    if len(nodes) > max_nodes:
        nodes.sort(key=lambda n: (-graph.degree(n), str(n)))
        nodes = nodes[:max(max_nodes, 0)]
    return sorted(nodes, key=str)


def _documents(graph: "networkx.MultiDiGraph", kept: list) -> list[str]:
    """The names of the documents cited by the kept nodes, sorted: the document filter's choices."""
    return sorted({doc for n in kept for doc in _node_documents(graph.nodes[n])})


def _build_network(graph: "networkx.MultiDiGraph", kept: list, documents: list[str]) -> Network:
    """A pyvis Network holding copies of the kept nodes and the edges among them (the graph is only read)."""
    net = Network(directed=True, cdn_resources="remote")
    labels = {n: _label(n, graph.nodes[n]) for n in kept}
    isolated = isolated_nodes(graph, kept)
    doc_index = {doc: i for i, doc in enumerate(documents)}
    doc_years = graph.graph.get("years") or {}
    positions = layout_positions(graph, kept) if len(kept) > PHYSICS_MAX_NODES else {}
    for n in kept:
        options = _node_options(n, graph.nodes[n], labels[n], graph.degree(n), _place_chain_tip(graph, n), doc_years)
        options["kgDocs"] = sorted({doc_index[d] for d in _node_documents(graph.nodes[n])})
        options["kgYears"] = sorted({doc_years[d] for d in _node_documents(graph.nodes[n]) if d in doc_years})
        if n in isolated:  # hidden until the page's "unconnected" box is ticked
            options["kgIsolated"] = options["hidden"] = True
        if n in positions:
            options["x"], options["y"] = positions[n]
        _add_node(net, str(n), options)
    parallel: Counter = Counter()
    for u, v, attrs in _sorted_edges(graph, labels):
        pair = tuple(sorted((str(u), str(v))))
        _add_edge(net, str(u), str(v), _edge_options(attrs, labels[u], labels[v], parallel[pair]))
        parallel[pair] += 1
    for i, edge in enumerate(net.edges):
        edge["id"] = f"e{i}"
    net.options = _vis_options(len(kept), physics=not positions, edge_labels=len(net.edges) <= EDGE_LABELS_MAX)
    net.kg_focus = most_connected_part(graph, kept)
    return net


def isolated_nodes(graph: "networkx.MultiDiGraph", kept: list) -> set:
    """The kept nodes with no relation to another kept node: a ring round the drawing, hidden by default."""
    linked = {n for u, v in graph.subgraph(kept).edges() if u != v for n in (u, v)}
    return set(kept) - linked


def most_connected_part(graph: "networkx.MultiDiGraph", kept: list) -> list[str]:
    """The ids of the largest group of linked nodes (ties: the one holding the node of highest degree),
    which the page fits in its first view."""
    import networkx as nx

    parts = [part for part in nx.connected_components(graph.subgraph(kept).to_undirected(as_view=True)) if len(part) > 1]
    if not parts:
        return []
    best = max(parts, key=lambda part: (len(part), max(graph.degree(n) for n in part), min(str(n) for n in part)))
    return sorted(str(n) for n in best)


def _add_node(net: Network, node_id: str, options: dict) -> None:
    """Network.add_node without its list lookups: they made a 10,000-node page take minutes to write."""
    shape, label = options.pop("shape"), options.pop("label")
    net.nodes.append(Node(node_id, shape, label=label, font_color=net.font_color, **options).options)
    net.node_ids.append(node_id)


def _add_edge(net: Network, source: str, target: str, options: dict) -> None:
    """Network.add_edge without its scan of every node per edge; both ends are known to be kept."""
    net.edges.append(Edge(source, target, net.directed, **options).options)


def layout_positions(graph: "networkx.MultiDiGraph", kept: list) -> dict[Any, tuple[int, int]]:
    """Pixel positions of the kept nodes, computed ahead so the browser needs no physics.

    networkx's seeded spring layout places the SPRING_NODES most connected nodes (its cost grows with the
    square of the node count: 5 minutes for 10,000 nodes); every other node goes round its most connected
    placed neighbour, breadth first, and groups not linked to those on a spiral outside. Rounded to whole
    pixels so the page's bytes are stable.
    """
    import networkx as nx

    ids = sorted(str(n) for n in kept)
    simple = nx.Graph()
    simple.add_nodes_from(ids)
    simple.add_edges_from(sorted({tuple(sorted((str(u), str(v)))) for u, v in graph.subgraph(kept).edges() if u != v}))
    order = sorted(ids, key=lambda n: (-simple.degree(n), n))
    half = 30 * math.sqrt(len(ids))  # about 60 px per node on each side of the square the layout fills
    core = nx.spring_layout(simple.subgraph(order[:SPRING_NODES]), seed=7, iterations=50)
    pos = {n: (float(x) * half, float(y) * half) for n, (x, y) in core.items()}
    children: Counter = Counter()
    _place_around(simple, pos, deque(order[:SPRING_NODES]), children)
    outside = 0
    for start in order:
        if start not in pos:  # a group with no link to anything placed: start it on the outer spiral
            radius = half * 1.15 + 60 * math.sqrt(outside)
            pos[start] = (radius * math.cos(outside * _GOLDEN), radius * math.sin(outside * _GOLDEN))
            outside += 1
            _place_around(simple, pos, deque([start]), children)
    by_str = {str(n): n for n in kept}
    return {by_str[n]: (round(x), round(y)) for n, (x, y) in sorted(pos.items())}


def _place_around(simple: "networkx.Graph", pos: dict, queue: deque, children: Counter) -> None:
    """Breadth first from the queued nodes: each unplaced neighbour goes on a golden-angle spiral round its parent,
    turned to face away from the parent's own parent so that neighbouring families overlap less."""
    heading: dict[str, float] = {}
    while queue:
        parent = queue.popleft()
        for child in sorted((m for m in simple[parent] if m not in pos), key=lambda m: (-simple.degree(m), m)):
            k = children[parent]
            children[parent] += 1
            radius = 45 + 14 * math.sqrt(k)
            angle = heading.get(parent, 0.0) + k * _GOLDEN
            x, y = pos[parent]
            pos[child] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
            heading[child] = angle
            queue.append(child)


def _place_chain_tip(graph: "networkx.MultiDiGraph", node: Any) -> list[list[str]]:
    """The tooltip line of a node's place chain (新荣区 › 大同市 › 山西省), following locatedIn edges upwards."""
    chain, seen, current = [], {node}, node
    while len(chain) < 8:
        parents = sorted((str(v), v) for _u, v, d in graph.out_edges(current, data=True)
                         if _text(d.get("label")) == "locatedIn" and v not in seen)
        if not parents:
            break
        current = parents[0][1]
        seen.add(current)
        chain.append(_label(current, graph.nodes[current]))
    return [["位置 Place", " › ".join(chain)]] if chain else []


def _sorted_edges(graph: "networkx.MultiDiGraph", labels: dict) -> list[tuple[Any, Any, dict]]:
    """Edges whose both ends are kept, in a stable order."""
    if graph.is_multigraph():
        raw = ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        raw = ((u, v, "", d) for u, v, d in graph.edges(data=True))
    rows = [(u, v, k, d) for u, v, k, d in raw if u in labels and v in labels]
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), _text(r[3].get("label", "")), str(r[2])))
    return [(u, v, d) for u, v, _k, d in rows]


def _node_options(node: Any, attrs: dict, label: str, degree: int, place: list, years: dict | None = None) -> dict:
    """vis-network options of one node: style by type, size by degree, tooltip and search data."""
    kind = node_type(attrs)
    colour, shape, _symbol, _zh = TYPE_STYLES[kind]
    aliases = [a for a in _texts(attrs.get("aliases")) if a and a != label]
    return {
        "label": label,
        "shape": shape,
        "color": colour,
        "size": min(60, 12 + round(4 * math.sqrt(degree))),
        "kgType": kind,
        "kgNames": [label, *aliases],
        "kgTip": _node_tip(node, attrs, kind, label, aliases, place, years or {}),
    }


def _node_documents(attrs: dict) -> set[str]:
    """The documents a node is read from: its source sentences' and those that name it (kgo:mentionedIn)."""
    return {doc for doc, _ in _sources(attrs.get("sources")) if doc} | set(_texts(attrs.get("documents")))


def _node_tip(node: Any, attrs: dict, kind: str, label: str, aliases: list[str], place: list,
              years: dict | None = None) -> list[list[str]]:
    """Tooltip lines [heading, text] of a node; plain text, turned into DOM text nodes in the page. Each
    source names its document and, where read, the report's year (`years`: document → year)."""
    years = years or {}
    lines = [["类型 Type", f"{kind}（{TYPE_STYLES[kind][3]}）"], ["名称 Name", label]]
    if aliases:
        lines.append(["别名 Aliases", "、".join(aliases)])
    lines.extend(place)
    lines.extend(["数据 Fact", fact] for fact in _texts(attrs.get("facts")))
    sources = list(_sources(attrs.get("sources")))
    for doc, sentence in sources[:MAX_SOURCES]:
        year = f" {years[doc]}年" if doc in years else ""
        lines.append([f"来源 《{doc}》{year}" if doc else "来源 Source", _shorten(sentence)])
    if len(sources) > MAX_SOURCES:
        lines.append(["来源 Sources", f"另有 {len(sources) - MAX_SOURCES} 条 (+{len(sources) - MAX_SOURCES} more)"])
    cited = {doc for doc, _ in sources}
    others = sorted(set(_texts(attrs.get("documents"))) - cited)
    if others:  # named there in a sentence that states no relation: the graph keeps the document, not the sentence
        lines.append(["提及于 Named in", "、".join(f"《{doc}》" for doc in others)])
    lines.append(["IRI", str(node)])
    return lines


def _edge_options(attrs: dict, source: str, target: str, nth_parallel: int) -> dict:
    """vis-network options of one edge: relation label, tooltip, and a curve for parallel edges."""
    relation = _text(attrs.get("label", ""))
    options: dict[str, Any] = {
        "label": relation,
        "kgTip": [["关系 Relation", relation], ["从 From", source], ["到 To", target]],
    }
    if nth_parallel:
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * nth_parallel, 2)}
    return options


def _vis_options(n_nodes: int, *, physics: bool = True, edge_labels: bool = True) -> dict:
    """Network-wide vis-network options: fixed layout seed, physics that stabilises then is frozen by the page.

    Without physics (a layout computed ahead), edges are hidden while dragging or zooming so that big
    graphs stay responsive.
    """
    options: dict[str, Any] = {
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "nodes": {"borderWidth": 1, "font": {"size": 14}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#666666"},
            "font": {"size": EDGE_FONT_SIZE, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }
    if not physics:
        options["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
        options["edges"]["smooth"] = False  # straight edges draw several times faster
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    if not edge_labels:
        options["edges"]["font"]["size"] = 0  # the page sets the selected node's edges to EDGE_FONT_SIZE
    return options


def _page(net: Network, *, title: str, omitted: Omitted, documents: list[str], years: list[str] = ()) -> str:
    """The complete HTML page of a pyvis Network, with vis-network inlined and no external reference."""
    shown, shown_edges = len(net.nodes), len(net.edges)
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "edgeFontSize": EDGE_FONT_SIZE,
            "focus": getattr(net, "kg_focus", [])}
    isolated = sum(1 for n in net.nodes if n.get("kgIsolated"))
    return _PAGE.substitute(
        title=html.escape(title),
        count_text=html.escape(f"{shown} 个节点 · {shown_edges} 条关系 ({shown} nodes, {shown_edges} edges)"),
        note_html=_note_html(shown, shown_edges, omitted),
        legend_html=_legend_html(Counter(n["kgType"] for n in net.nodes)),
        relations_html=_relations_html(Counter(e["label"] for e in net.edges)),
        isolated_html=(f'<label id="kg-isolated-box"><input type="checkbox" id="kg-isolated"> 显示 {isolated} 个孤立节点 '
                       f'(show {isolated} unconnected nodes)</label>' if isolated else ""),
        documents_html="".join(f'<option value="{i}">{html.escape(doc)}</option>' for i, doc in enumerate(documents)),
        years_html=(f'<select id="kg-year" title="按报告年份筛选 / filter by report year"><option value="">全部年份 (all years)</option>'
                    + "".join(f'<option value="{html.escape(y)}">{html.escape(y)}年</option>' for y in years) + "</select>") if years else "",
        data_json=script_json(data),
        vis_css=_inline_safe(_vis_asset("vis-network.css"), "style"),
        vis_js=_inline_safe(_vis_asset("vis-network.min.js"), "script"),
        app_js=_APP_JS,
    )


def _note_html(shown: int, shown_edges: int, omitted: Omitted) -> str:
    """The page's notice of what was left out, by a selection and by the `max_nodes` cap; empty when nothing was."""
    parts_zh, parts_en = [], []
    if omitted.selection:
        parts_zh.append(f"筛选 {omitted.selection}：保留 {omitted.capped} / {omitted.total} 个节点。")
        parts_en.append(f"Selection {omitted.selection}: {omitted.capped} of {omitted.total} nodes.")
    if shown < omitted.capped:
        parts_zh.append(f"节点过多：仅显示度数最高的 {shown} 个节点，省略 {omitted.capped - shown} 个节点、"
                        f"{omitted.capped_edges - shown_edges} 条关系（共 {omitted.capped} 个节点）。")
        parts_en.append(f"{omitted.capped - shown} of {omitted.capped} nodes omitted (showing the {shown} of highest degree; "
                        "use kg view --around, --types, --document or --top to choose).")
    if not parts_zh:
        return ""
    text = "".join(parts_zh) + " " + " ".join(parts_en)
    return f'<span id="kg-note" data-omitted="{omitted.total - shown}">{html.escape(text)}</span>'


def _relations_html(counts: Counter) -> str:
    """A relation-filter checkbox per relation drawn in the page, with its count."""
    return "\n".join(f'<label><input type="checkbox" data-relation="{html.escape(rel)}" checked> '
                     f'{html.escape(rel)} ({n})</label>' for rel, n in sorted(counts.items()))


def _legend_html(counts: Counter) -> str:
    """Legend with a type-filter checkbox per type: the five entity types always, "Other" when present."""
    kinds = [*MAIN_TYPES, *(["Other"] if counts.get("Other") else [])]
    items = []
    for kind in kinds:
        colour, _shape, symbol, zh = TYPE_STYLES[kind]
        items.append(f'<label><input type="checkbox" data-type="{kind}" checked> '
                     f'<span class="kg-sym" style="color:{colour}">{symbol}</span> '
                     f'{kind} {zh} ({counts.get(kind, 0)})</label>')
    return "\n".join(items)


def script_json(value: Any) -> str:
    """JSON for embedding in a <script> element: deterministic, and unable to close or comment out the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _vis_asset(name: str) -> str:
    """Text of a vis-network file shipped inside the installed pyvis package (newest bundled version)."""
    root = pathlib.Path(pyvis.__file__).parent
    found = sorted(root.glob(f"templates/lib/vis-*/{name}"), key=_version_key) or \
        sorted(root.glob(f"lib/vis-*/{name}"), key=_version_key)
    if not found:
        raise GraphError(f"pyvis at {root} ships no vis-network {name}; reinstall pyvis")
    return found[-1].read_text(encoding="utf-8")


def _version_key(path: pathlib.Path) -> tuple[int, ...]:
    """Sort key of a `vis-9.1.2` folder: its version numbers."""
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))


def _inline_safe(text: str, element: str) -> str:
    """A library's source made safe to inline in <script>/<style>, without URLs that look like external links.

    `://` only occurs in vis-network's comments and string literals (licence links, the SVG namespace);
    `:\\/\\/` means the same inside a JS literal and keeps the page free of `http://` text.
    """
    if element == "script":
        text = text.replace("://", ":\\/\\/").replace("<!--", "\\x3C!--")
    return re.sub(f"</({element})", r"\\x3C/\1" if element == "script" else r"<\\/\1", text, flags=re.IGNORECASE)


def _write_atomic(path: pathlib.Path, text: str) -> None:
    """Write `text` as UTF-8 to a temporary file beside `path`, then rename it over `path`."""
    from kg.writing import check_target

    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise GraphError(f"cannot write HTML view {path}: {exc}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise GraphError(f"cannot write HTML view {path}: {exc}") from exc
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(name: str) -> None:
    """Remove a leftover temporary file, ignoring a missing one."""
    try:
        os.unlink(name)
    except OSError:
        pass


def _label(node: Any, attrs: dict) -> str:
    """The display name of a node: its `label`, else the last segment of its IRI."""
    label = _text(attrs.get("label", "")).strip()
    return label or re.split(r"[/#]", str(node).rstrip("/#"))[-1] or str(node)


def _text(value: Any) -> str:
    """A value as a string (None -> "")."""
    return "" if value is None else str(value)


def _texts(values: Any) -> list[str]:
    """A str-or-iterable attribute as a list of strings, in a stable order (sets are sorted)."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    if isinstance(values, (set, frozenset)):
        return sorted(_text(v) for v in values)
    return [_text(v) for v in values]


def _sources(values: Iterable | None) -> Iterable[tuple[str, str]]:
    """(document name, sentence) pairs from a `sources` attribute, tolerating odd shapes."""
    items = sorted(values, key=str) if isinstance(values, (set, frozenset)) else (values or [])
    for item in items:
        if isinstance(item, (tuple, list)) and len(item) >= 2:
            yield _text(item[0]), _text(item[1])
        else:
            yield "", _text(item)


def _shorten(sentence: str) -> str:
    """A source sentence cut to MAX_SENTENCE_CHARS characters."""
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= MAX_SENTENCE_CHARS else sentence[:MAX_SENTENCE_CHARS - 1] + "…"
