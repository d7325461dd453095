"""A build of the seeds: Turtle an independent parser reads, stable bytes, SPARQL answers, offline HTML."""
import re

import pyoxigraph
import pytest

from kg import build, run_query
from kg.rdf import load_graph


def test_build_writes_every_output(seed_build, seed_paths):
    out, result = seed_build
    assert result.documents == 5 and not result.skipped
    assert (out / "graph.ttl").stat().st_size > 0 and (out / "graph.html").stat().st_size > 0
    assert sorted(p.stem for p in (out / "extract").glob("*.json")) == [p.stem for p in seed_paths]


def test_build_turtle_parses_with_oxigraph_to_rdflib_count(seed_build):
    out, result = seed_build
    store = pyoxigraph.Store()
    with open(out / "graph.ttl", "rb") as fh:
        store.load(fh, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(load_graph(out / "graph.ttl")) == result.triples


def test_build_same_input_gives_same_bytes(seed_build, seed_paths, tmp_path):
    out, _ = seed_build
    build(seed_paths, tmp_path, html=True)
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == (out / "graph.html").read_bytes()


def test_build_iris_are_ascii(seed_build):
    out, _ = seed_build
    iris = re.findall(r"<([^>]+)>", (out / "graph.ttl").read_text(encoding="utf-8"))
    assert iris and all(iri.isascii() for iri in iris)


def test_build_html_loads_nothing_from_the_network(seed_build):
    out, _ = seed_build
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=\s*[\"']?https?://", page)
    assert "http://" not in page
    assert "新荣区" in page


def test_build_sparql_answers_investments_largest_first(seed_build):
    out, _ = seed_build
    columns, rows = run_query(out / "graph.ttl", """
        SELECT ?name ?yuan WHERE { ?p kgo:hasInvestment ?i ; rdfs:label ?name . ?i kgo:amountYuan ?yuan }
        ORDER BY DESC(?yuan)""")
    names = [r[0] for r in rows]
    assert "华阳T-1000碳基新材料项目" in names
    values = [float(r[1]) for r in rows]
    assert values == sorted(values, reverse=True)


def test_build_links_each_division_up_its_chain(seed_build):
    out, _ = seed_build
    _, rows = run_query(out / "graph.ttl", """
        SELECT ?code WHERE { ?d kgo:divisionCode "140212" ; kgo:locatedIn/kgo:locatedIn ?p . ?p kgo:divisionCode ?code }""")
    assert rows == [("140000",)]


def test_build_facts_lead_back_to_their_sentence(seed_build):
    out, _ = seed_build
    _, rows = run_query(out / "graph.ttl", """
        SELECT ?text WHERE {
          ?st rdf:subject ?s ; rdf:predicate kgo:operatedBy ; rdf:object ?c ; prov:wasDerivedFrom ?sent .
          ?s rdfs:label "华阳T-1000碳基新材料项目"@zh . ?sent kgo:text ?text }""")
    assert rows and all("华阳T-1000碳基新材料项目" in r[0] for r in rows)


def test_build_skips_unreadable_file_and_goes_on(seed_paths, tmp_path):
    broken = tmp_path / "in" / "broken.txt"
    broken.parent.mkdir()
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = build([seed_paths[4], broken], tmp_path / "out", html=False)
    assert result.documents == 1
    assert [s.path for s in result.skipped] == [str(broken)] and "binary" in result.skipped[0].reason


def test_build_in_two_processes_gives_the_same_bytes(seed_build, seed_paths, tmp_path):
    out, _ = seed_build
    result = build(seed_paths, tmp_path, html=False, jobs=2)
    assert result.documents == 5
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


COMPANIES = """
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?company ?label ?alias ?doc WHERE {
  ?company a kgo:Company ; rdfs:label ?label ; kgo:mentionedIn ?doc .
  OPTIONAL { ?company skos:altLabel ?alias }
}
"""


def _companies(graph_file):
    """label → (its aliases joined by |, how many reports mention it), one entry per company node."""
    _, rows = run_query(graph_file, COMPANIES)
    nodes: dict[str, tuple[str, set, set]] = {}
    for company, label, alias, doc in rows:
        _, aliases, docs = nodes.setdefault(str(company), (str(label), set(), set()))
        aliases.update([str(alias)] if alias is not None else [])
        docs.add(str(doc))
    return {label: ("|".join(sorted(aliases)), len(docs)) for label, aliases, docs in nodes.values()}


def test_build_joins_a_short_name_to_the_company_named_in_full_in_another_report(tmp_path):
    (tmp_path / "a.txt").write_text("芜湖恒信光伏科技有限公司扩大产能。恒信光伏组件项目建成投产。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("恒信光伏组件二期项目开工建设。\n", encoding="utf-8")
    result = build([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", html=False)
    companies = _companies(result.outputs["turtle"])
    # one node, both names, both reports; 恒信 is no node of its own
    assert companies == {"芜湖恒信光伏科技有限公司": ("恒信", 2)}
    _, rows = run_query(result.outputs["turtle"], """
        PREFIX kgo: <https://kg.example.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?project WHERE { ?p kgo:operatedBy ?c ; rdfs:label ?project . ?c rdfs:label "芜湖恒信光伏科技有限公司"@zh }""")
    assert {str(r[0]) for r in rows} == {"恒信光伏组件项目", "恒信光伏组件二期项目"}


def test_build_never_joins_a_short_name_two_companies_share(tmp_path):
    (tmp_path / "a.txt").write_text("芜湖恒信光伏科技有限公司扩大产能。恒信光伏组件项目建成投产。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("合肥恒信新能源科技有限公司落户。恒信储能电池项目开工。\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("恒信光伏组件二期项目开工建设。\n", encoding="utf-8")
    result = build([tmp_path / f"{n}.txt" for n in "abc"], tmp_path / "out", html=False)
    companies = _companies(result.outputs["turtle"])
    assert set(companies) == {"芜湖恒信光伏科技有限公司", "合肥恒信新能源科技有限公司", "恒信"}


def test_build_iri_slug_reads_a_name_as_lazy_pinyin_does(seed_docs, extractor):
    """slug() reads a name word by word (remembering words); the pinyin is lazy_pinyin's of the whole name:
    polyphones read by their word (重庆 chong, 银行 hang, 行长 zhang), other scripts kept."""
    from pypinyin import lazy_pinyin

    from kg.iri import slug

    names = {m.text for doc in seed_docs for m in extractor.extract(doc).mentions}
    names |= {"重庆市长寿区", "中国银行行长", "长春长生", "吕梁绿色", "A股5G基站", "①号线", "〇", "臺灣"}
    for name in sorted(names):
        whole = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(name, errors=lambda chars: [chars])).lower()).strip("-")
        assert slug(name, 200) == (whole[:200].rstrip("-") or "x"), name
    assert slug("重庆银行") == "chong-qing-yin-hang"
