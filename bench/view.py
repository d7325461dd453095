"""How big a graph the HTML view can draw: file size, time until interactive and redraw time in headless Chromium.

    python bench/view.py GRAPH.ttl [--sizes 500,1000,2000,5000,10000]
    python bench/view.py --synthetic 10000 [--sizes ...]
    python bench/view.py --screenshot docs/graph-view.png [--focus 平城区]   # the seeds' view, for the README

For each size N, the N most connected nodes of the graph (kg view --top N --max-nodes N) are written
as a page, opened from the file in Debian's Chromium with the network blocked, and timed:
  write   seconds to compute the view and write the page (Python)
  ready   seconds from navigation until the page is drawn and answers input (its data-kg-ready mark)
  redraw  milliseconds per full redraw at a new zoom level (what a click or a filter costs)
  drag    milliseconds per redraw without edges (what panning and zooming cost: edges hide meanwhile)
All figures come from one run on a shared machine: compare them with each other, not across runs.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graphview import networkx_from_rdf, select_view  # noqa: E402
from kg.rdf import load_graph  # noqa: E402
from kg.view import render_html  # noqa: E402
from tests.test_browser import CHROMIUM, FLAGS  # noqa: E402

TYPES = ["Company", "Project", "Place", "Program", "Organization"]


def synthetic(n: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph shaped like a kg build: places in a tree, entities located in places, projects run by companies."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    places = [f"p{i}" for i in range(max(3, n // 8))]
    for i, p in enumerate(places):
        g.add_node(p, label=f"地点{i}区", type="Place", sources=[(f"报告{i % 300}.txt", f"地点{i}区建设加快推进。")])
        if i:
            g.add_edge(p, places[(i - 1) // 6], label="locatedIn")
    others = []
    for i in range(n - len(places)):
        kind = rng.choice(TYPES[:2] + TYPES[3:])
        node = f"{kind}{i}"
        g.add_node(node, label=f"示例{kind}{i}号", type=kind, aliases=[f"别名{i}"], facts=[f"投资 {i % 97}亿元"],
                   sources=[(f"报告{i % 300}.txt", f"示例{kind}{i}号总投资{i % 97}亿元。")])
        g.add_edge(node, rng.choice(places), label="locatedIn")
        others.append(node)
    for node in others:
        if node.startswith("Project"):
            g.add_edge(node, rng.choice(others), label=rng.choice(["operatedBy", "implements"]))
    return g


def measure(context, path: Path) -> tuple[float, float, float]:
    """Seconds until the page is interactive; milliseconds per full redraw and per redraw without edges."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-kg-ready]", state="attached", timeout=600_000)
    ready = time.perf_counter() - start
    redraw, drag = page.evaluate("""() => {
        const net = kgView.network;
        const frames = () => {
            const t = performance.now();
            for (const s of [0.3, 0.5, 0.8, 1.2, 0.4]) { net.moveTo({scale: s}); net.redraw(); }
            return (performance.now() - t) / 5;
        };
        const full = frames();
        net.setOptions({edges: {hidden: true}});
        const bare = frames();
        net.setOptions({edges: {hidden: false}});
        return [full, bare];
    }""")
    page.close()
    if errors:
        raise SystemExit(f"page errors in {path}: {errors}")
    return ready, redraw, drag


def browser(playwright, profile: Path):
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
        viewport={"width": 1400, "height": 900}, offline=True)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    return context


def bench(graph: nx.MultiDiGraph, sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    print(f"{'nodes':>6} {'edges':>6} {'MB':>6} {'write s':>8} {'ready s':>8} {'redraw ms':>10} {'drag ms':>8}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        context = browser(playwright, Path(tmp) / "profile")
        for size in sizes:
            start = time.perf_counter()
            shown, selection = select_view(graph, top=size)
            path = render_html(shown, Path(tmp) / f"view-{size}.html", max_nodes=size, selection=selection,
                               total=graph.number_of_nodes())
            written = time.perf_counter() - start
            ready, redraw, drag = measure(context, path)
            print(f"{shown.number_of_nodes():>6} {shown.number_of_edges():>6} {path.stat().st_size / 1e6:>6.2f} "
                  f"{written:>8.2f} {ready:>8.2f} {redraw:>10.1f} {drag:>8.1f}", flush=True)
        context.close()


def screenshot(out: Path, focus: str) -> None:
    """The seeds' view with one place selected (its panel open, its neighbourhood highlighted), as a PNG."""
    from playwright.sync_api import sync_playwright

    from kg import build

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        result = build(sorted((ROOT / "seeds").glob("*.txt")), Path(tmp) / "build")
        context = browser(playwright, Path(tmp) / "profile")
        page = context.new_page()
        page.goto(result.outputs["html"].as_uri())
        page.wait_for_selector("body[data-kg-ready]", state="attached", timeout=60_000)
        page.fill("#kg-search", focus)
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(1000)  # the focus animation
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        context.close()
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, help="a Turtle file from kg build")
    parser.add_argument("--synthetic", type=int, metavar="N", help="a synthetic graph of N nodes instead")
    parser.add_argument("--sizes", default="500,1000,2000,5000,10000")
    parser.add_argument("--screenshot", type=Path, metavar="PNG")
    parser.add_argument("--focus", default="平城区", help="the node the screenshot selects")
    args = parser.parse_args()
    if args.screenshot:
        return screenshot(args.screenshot, args.focus)
    graph = synthetic(args.synthetic) if args.synthetic else networkx_from_rdf(load_graph(args.graph))
    bench(graph, [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
