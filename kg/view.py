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
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable

import pyvis
from pyvis.network import Network

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
#kg-network{flex:1;min-height:400px}
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
</div>
<div id="kg-network"></div>
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
  data.nodes.forEach(function (n) { n.title = tipElement(n.kgTip); delete n.kgTip; });
  data.edges.forEach(function (e) { e.title = tipElement(e.kgTip); delete e.kgTip; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
  });
  var boxes = document.querySelectorAll("#kg-legend input[data-type]");
  function hiddenTypes() {
    var off = {};
    boxes.forEach(function (cb) { if (!cb.checked) { off[cb.getAttribute("data-type")] = true; } });
    return off;
  }
  function applyFilter() {
    var off = hiddenTypes();
    nodes.update(data.nodes.map(function (n) { return {id: n.id, hidden: !!off[n.kgType]}; }));
  }
  boxes.forEach(function (cb) { cb.addEventListener("change", applyFilter); });
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
    boxes.forEach(function (cb) {
      if (cb.getAttribute("data-type") === n.kgType && !cb.checked) { cb.checked = true; applyFilter(); }
    });
    network.selectNodes([n.id]);
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
                max_nodes: int = 2000) -> pathlib.Path:
    """Write a self-contained, offline interactive HTML view of `graph` to `path` (atomically) and return the path."""
    path = pathlib.Path(path)
    kept = _select_nodes(graph, max_nodes)
    net = _build_network(graph, kept)
    page = _page(net, title=title, total=graph.number_of_nodes(), total_edges=graph.number_of_edges())
    _write_atomic(path, page)
    return path


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


def _build_network(graph: "networkx.MultiDiGraph", kept: list) -> Network:
    """A pyvis Network holding copies of the kept nodes and the edges among them (the graph is only read)."""
    net = Network(directed=True, cdn_resources="remote")
    labels = {n: _label(n, graph.nodes[n]) for n in kept}
    for n in kept:
        net.add_node(str(n), **_node_options(n, graph.nodes[n], labels[n], graph.degree(n)))
    parallel: Counter = Counter()
    for u, v, attrs in _sorted_edges(graph, labels):
        pair = tuple(sorted((str(u), str(v))))
        net.add_edge(str(u), str(v), **_edge_options(attrs, labels[u], labels[v], parallel[pair]))
        parallel[pair] += 1
    for i, edge in enumerate(net.edges):
        edge["id"] = f"e{i}"
    net.options = _vis_options(len(kept))
    return net


def _sorted_edges(graph: "networkx.MultiDiGraph", labels: dict) -> list[tuple[Any, Any, dict]]:
    """Edges whose both ends are kept, in a stable order."""
    if graph.is_multigraph():
        raw = ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        raw = ((u, v, "", d) for u, v, d in graph.edges(data=True))
    rows = [(u, v, k, d) for u, v, k, d in raw if u in labels and v in labels]
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), _text(r[3].get("label", "")), str(r[2])))
    return [(u, v, d) for u, v, _k, d in rows]


def _node_options(node: Any, attrs: dict, label: str, degree: int) -> dict:
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
        "kgTip": _node_tip(node, attrs, kind, label, aliases),
    }


def _node_tip(node: Any, attrs: dict, kind: str, label: str, aliases: list[str]) -> list[list[str]]:
    """Tooltip lines [heading, text] of a node; plain text, turned into DOM text nodes in the page."""
    lines = [["类型 Type", f"{kind}（{TYPE_STYLES[kind][3]}）"], ["名称 Name", label]]
    if aliases:
        lines.append(["别名 Aliases", "、".join(aliases)])
    lines.extend(["数据 Fact", fact] for fact in _texts(attrs.get("facts")))
    sources = list(_sources(attrs.get("sources")))
    for doc, sentence in sources[:MAX_SOURCES]:
        lines.append([f"来源 《{doc}》" if doc else "来源 Source", _shorten(sentence)])
    if len(sources) > MAX_SOURCES:
        lines.append(["来源 Sources", f"另有 {len(sources) - MAX_SOURCES} 条 (+{len(sources) - MAX_SOURCES} more)"])
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


def _vis_options(n_nodes: int) -> dict:
    """Network-wide vis-network options: fixed layout seed, physics that stabilises then is frozen by the page."""
    return {
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "nodes": {"borderWidth": 1, "font": {"size": 14}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#666666"},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def _page(net: Network, *, title: str, total: int, total_edges: int) -> str:
    """The complete HTML page of a pyvis Network, with vis-network inlined and no external reference."""
    shown, shown_edges = len(net.nodes), len(net.edges)
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options}
    return _PAGE.substitute(
        title=html.escape(title),
        count_text=html.escape(f"{shown} 个节点 · {shown_edges} 条关系 ({shown} nodes, {shown_edges} edges)"),
        note_html=_note_html(shown, total, shown_edges, total_edges),
        legend_html=_legend_html(Counter(n["kgType"] for n in net.nodes)),
        data_json=script_json(data),
        vis_css=_inline_safe(_vis_asset("vis-network.css"), "style"),
        vis_js=_inline_safe(_vis_asset("vis-network.min.js"), "script"),
        app_js=_APP_JS,
    )


def _note_html(shown: int, total: int, shown_edges: int, total_edges: int) -> str:
    """The page's notice of nodes (and edges) left out by the `max_nodes` cap; empty when none were."""
    if shown >= total:
        return ""
    text = (f"节点过多：仅显示度数最高的 {shown} 个节点，省略 {total - shown} 个节点、"
            f"{total_edges - shown_edges} 条关系（共 {total} 个节点）。"
            f" {total - shown} of {total} nodes omitted (showing the {shown} of highest degree).")
    return f'<span id="kg-note" data-omitted="{total - shown}">{html.escape(text)}</span>'


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
