"""The HTML view in a real browser: Debian's Chromium, driven by Playwright, with every network request blocked."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.view import render_html
from tests.test_view import EVIL, QUOTY, sample_graph

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
if not CHROMIUM.exists():
    pytest.skip("make test installs Debian's chromium", allow_module_level=True)


def launch(playwright, user_data_dir: Path):
    """Chromium with a fresh profile; every request that is not for a local file is aborted and recorded."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
        viewport={"width": 1400, "height": 900}, offline=True)
    context.blocked = []

    def block(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    return context


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_api.sync_playwright() as playwright:
        context = launch(playwright, tmp_path_factory.mktemp("chromium-profile"))
        yield context
        context.close()


class Opened:
    """A page opened from a file, with everything that went wrong while it loaded."""

    def __init__(self, browser, path: Path):
        self.errors, self.failed, self.dialogs = [], [], []
        self.page = page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-kg-ready]", state="attached", timeout=60_000)

    def drawn_pixels(self) -> int:
        """Pixels of the graph's canvas that are not background."""
        return self.page.evaluate("""() => {
            const c = document.querySelector('#kg-network canvas');
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < px.length; i += 4) { if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) n++; }
            return n;
        }""")


@pytest.fixture(scope="module")
def seeds_page(browser, seed_build):
    out, _result = seed_build
    opened = Opened(browser, out / "graph.html")
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def hostile_page(browser, tmp_path_factory):
    path = render_html(sample_graph(), tmp_path_factory.mktemp("hostile") / "view.html", title="<b>x</b>")
    opened = Opened(browser, path)
    yield opened
    opened.page.close()


def test_browser_seeds_view_loads_offline_cleanly(browser, seeds_page):
    assert browser.blocked == []  # no request left the machine (or even tried to)
    assert seeds_page.failed == []
    assert seeds_page.errors == []
    assert seeds_page.dialogs == []


def test_browser_seeds_canvas_is_drawn(seeds_page, tmp_path):
    assert seeds_page.drawn_pixels() > 5000
    shot = seeds_page.page.screenshot(path=str(tmp_path / "view.png"))
    assert len(set(shot[::97])) > 50  # a real picture, not one flat colour


def test_browser_node_count_equals_graph(seeds_page, seed_build):
    _out, result = seed_build
    counts = seeds_page.page.evaluate(
        "() => [JSON.parse(document.getElementById('kg-data').textContent).nodes.length, kgView.nodes.length]")
    assert counts == [sum(result.entities.values())] * 2


def test_browser_search_focuses_chinese_name(seeds_page):
    page = seeds_page.page
    label = page.evaluate("() => kgView.nodes.get().map(n => n.label).find(l => l.endsWith('区'))")
    page.fill("#kg-search", label)
    assert label in page.locator("#kg-results li").first.text_content()
    page.press("#kg-search", "Enter")
    selected = page.evaluate("() => kgView.network.getSelectedNodes().map(id => kgView.nodes.get(id).label)")
    assert selected == [label]
    assert label in page.locator("#kg-details").text_content()  # the node panel shows it
    dimmed = page.evaluate("() => kgView.nodes.get().filter(n => String(n.color).startsWith('rgba(200')).length")
    assert dimmed > 0  # its neighbourhood is highlighted, the rest faded


def test_browser_filters_hide_nodes(seeds_page):
    page = seeds_page.page
    page.check("#kg-isolated")  # unconnected nodes shown: the filters below are then the only ones hiding nodes
    page.uncheck('#kg-legend input[data-type="Program"]')
    hidden = page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).map(n => n.kgType)")
    assert hidden and set(hidden) == {"Program"}
    page.check('#kg-legend input[data-type="Program"]')
    page.select_option("#kg-doc", index=1)
    shown = page.evaluate("() => kgView.nodes.get().filter(n => !n.hidden).length")
    assert 0 < shown < page.evaluate("() => kgView.nodes.length")
    page.select_option("#kg-doc", index=0)
    assert page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).length") == 0


def test_browser_hostile_names_are_text(browser, hostile_page):
    page = hostile_page.page
    assert hostile_page.errors == [] and hostile_page.failed == [] and browser.blocked == []
    assert page.evaluate("() => document.querySelectorAll('img, [onerror], script[src], #kg-bar h1 b').length") == 0
    page.fill("#kg-search", "onerror")
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-details").text_content().count(EVIL) >= 1
    page.fill("#kg-search", "反斜杠")
    assert QUOTY in page.locator("#kg-results li").first.text_content()
    page.press("#kg-search", "Enter")
    page.wait_for_timeout(300)  # give an injected handler the chance to run
    assert hostile_page.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img, [onerror], script[src], #kg-bar h1 b').length") == 0
    assert page.title() == "<b>x</b>"


def test_browser_big_graph_layout_ahead(browser, tmp_path):
    from kg.view import EDGE_LABELS_MAX
    from tests.test_view import big_graph

    path = render_html(big_graph(EDGE_LABELS_MAX + 200), tmp_path / "big.html")
    opened = Opened(browser, path)
    page = opened.page
    assert opened.errors == [] and opened.failed == []
    assert page.evaluate("() => kgView.nodes.length") == EDGE_LABELS_MAX + 200
    assert opened.drawn_pixels() > 5000
    page.fill("#kg-search", "节点0")
    page.press("#kg-search", "Enter")
    labelled = page.evaluate("() => kgView.edges.get().filter(e => e.font && e.font.size > 0).length")
    assert labelled == 3 + 0  # 节点0's three children: only the selection's edges carry labels
    page.close()


# issue 17, item 2: every node lists the sentences it was read from; --document keeps all that a document names
def test_browser_companies_and_programs_show_their_source_sentences(browser, seed_build):
    from kg.graphview import networkx_from_rdf
    from kg.rdf import load_graph

    out, _ = seed_build
    graph = networkx_from_rdf(load_graph(out / "graph.ttl"))
    subjects = {u for u, _v in graph.edges()}
    # a company and a program that are only ever the object of a fact (operatedBy, implements): they had no source
    picked = {}
    for node, data in sorted(graph.nodes(data=True)):
        if data["type"] in ("Company", "Program") and node not in subjects and data["sources"] and graph.in_degree(node):
            picked.setdefault(data["type"], (node, data))
    assert set(picked) == {"Company", "Program"}
    opened = Opened(browser, out / "graph.html")
    page = opened.page
    for node, data in picked.values():
        page.evaluate("id => { kgView.network.selectNodes([id]); kgView.network.body.emitter.emit('selectNode', {nodes: [id]}); }", node)
        details = page.locator("#kg-details").text_content()
        doc, sentence = data["sources"][0]
        assert f"来源 《{doc}》" in details and " ".join(sentence.split())[:40] in details, (data["label"], details)
    # and a node with no fact at all: the first sentence naming it (kgo:namedIn)
    node, data = next((n, d) for n, d in sorted(graph.nodes(data=True)) if not graph.degree(n) and d["sources"])
    page.evaluate("id => { kgView.network.selectNodes([id]); kgView.network.body.emitter.emit('selectNode', {nodes: [id]}); }", node)
    doc, sentence = data["sources"][0]
    assert any(name in sentence for name in [data["label"], *data["aliases"]])
    assert " ".join(sentence.split())[:40] in page.locator("#kg-details").text_content()
    unread = [d["label"] for n, d in graph.nodes(data=True) if not d["sources"] and d["documents"]]
    assert unread == []  # every entity a document names has a sentence it was read from
    assert opened.errors == []
    page.close()


def test_browser_document_view_keeps_everything_the_document_names(browser, seed_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.queries import run_query

    out, _ = seed_build
    document = sorted(p.stem for p in (out / "extract").glob("*.json"))[0] + ".txt"
    named = run_query(out / "graph.ttl", f'SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e kgo:mentionedIn/dcterms:identifier "{document}" }}')[1][0][0]
    result = CliRunner().invoke(main, ["view", str(out / "graph.ttl"), "--document", document, "--out", str(tmp_path / "d.html")])
    assert result.exit_code == 0 and f"({named} of " in result.output, (named, result.output)
    opened = Opened(browser, tmp_path / "d.html")
    kinds = opened.page.evaluate("() => [...new Set(kgView.nodes.get().map(n => n.kgType))].sort()")
    assert {"Company", "Program", "Project", "Place"} <= set(kinds)
    opened.page.close()


# issue 17, item 8: unconnected nodes are hidden behind a toggle; the first view is the most connected part
def test_browser_unconnected_nodes_hidden_behind_a_toggle_and_first_view_on_the_main_part(browser, seed_build):
    import networkx as nx

    from kg.graphview import networkx_from_rdf
    from kg.rdf import load_graph

    out, _ = seed_build
    graph = networkx_from_rdf(load_graph(out / "graph.ttl"))
    simple = nx.Graph((u, v) for u, v in graph.edges() if u != v)
    isolated = sorted(n for n in graph if n not in simple)
    main_part = max(nx.connected_components(simple), key=len)
    assert len(isolated) > 50  # the seeds have a ring of them, as the 927-node build had 400
    opened = Opened(browser, out / "graph.html")
    page = opened.page
    hidden = page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).map(n => n.id).sort()")
    assert hidden == isolated
    assert f"显示 {len(isolated)} 个孤立节点" in page.locator("#kg-isolated-box").text_content()
    # the first view: every node of the largest connected part lies inside the canvas
    inside = page.evaluate("""ids => {
        const box = document.querySelector('#kg-network canvas').getBoundingClientRect();
        return ids.filter(id => { const p = kgView.network.canvasToDOM(kgView.network.getPosition(id));
                                  return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; }).length; }""",
                           sorted(main_part))
    assert inside == len(main_part)
    page.check("#kg-isolated")
    assert page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).length") == 0
    page.uncheck("#kg-isolated")
    assert page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).length") == len(isolated)
    # searching for an unconnected node shows it (and ticks the box)
    label = page.evaluate("id => kgView.nodes.get(id).label", isolated[0])
    page.fill("#kg-search", label)
    page.press("#kg-search", "Enter")
    assert page.is_checked("#kg-isolated") and not page.evaluate("id => kgView.nodes.get(id).hidden", isolated[0])
    assert opened.errors == []
    page.close()


@pytest.fixture(scope="module")
def two_years_page(browser, corpus, tmp_path_factory):
    from kg import build

    out = tmp_path_factory.mktemp("two-years")
    build([corpus / "其他地市" / "长治市-2022.txt", corpus / "其他地市" / "长治市-2023.txt"], out)
    opened = Opened(browser, out / "graph.html")
    yield opened
    opened.page.close()


def test_browser_year_filter_keeps_the_nodes_of_that_years_report(two_years_page):
    page = two_years_page.page
    assert two_years_page.errors == []
    assert page.evaluate("() => [...document.querySelectorAll('#kg-year option')].map(o => o.value)") == ["", "2022", "2023"]
    page.check("#kg-isolated")  # unconnected nodes shown: the year is then the only filter hiding nodes
    total = page.evaluate("() => kgView.nodes.length")
    for year in ("2022", "2023"):
        page.select_option("#kg-year", year)
        shown = page.evaluate("() => kgView.nodes.get().filter(n => !n.hidden).map(n => n.kgYears)")
        hidden = page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).map(n => n.kgYears)")
        assert shown and hidden and len(shown) + len(hidden) == total
        assert all(year in years for years in shown) and not any(year in years for years in hidden)
    page.select_option("#kg-year", "")
    assert page.evaluate("() => kgView.nodes.get().filter(n => n.hidden).length") == 0
    # every source sentence names its report's year
    node = page.evaluate("() => kgView.nodes.get().find(n => n.kgYears.length === 2).id")
    page.evaluate("id => { kgView.network.selectNodes([id]); kgView.network.body.emitter.emit('selectNode', {nodes: [id]}); }", node)
    details = page.locator("#kg-details").text_content()
    assert "《长治市-2022.txt》 2022年" in details or "《长治市-2023.txt》 2023年" in details
