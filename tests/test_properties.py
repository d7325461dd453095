"""Property: any text, however odd, extracts without error, with offsets that hold, into RDF every parser reads back."""
from __future__ import annotations

import io

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import Document, default_knowledge, extract
from kg.builder import KnowledgeGraph
from kg.rdf import NTRIPLES, NQuads, load_graph, serialize, sorted_lines
from kg.resolve import EntityTable

# Pieces real names are made of, and the characters that break naive serialisers.
FRAGMENTS = [
    "大同市", "新荣区", "山西省", "X有限公司", "“", "”", "项目", "华阳T-1000碳基新材料", "总投资9亿元", "千万工程", "实施",
    "位于", "、", "等项目", "。", "\n", "\r\n", "<", ">", "&", "\\", '"', "'", "\"\"\"", "{", "}", "@", "#", "^^", "_:b",
    "<script>", "</script>", "\\u0022", "\t", "\x00", "\x0b", "\u2028", "\ufeff", "\U0001f600", "臺灣", "項目", "有限公司",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)
DOC_ID = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=12).map(lambda s: s + ".txt")

PARSERS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES, "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD, "nquads": pyoxigraph.RdfFormat.N_QUADS,
}
SUFFIX = {"turtle": ".ttl", "nt": ".nt", "trig": ".trig", "jsonld": ".jsonld", "nquads": ".nq"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXT, doc_id=DOC_ID)
def test_properties_any_text_extracts_and_serialises_back(tmp_path, text, doc_id):
    ex = extract(Document(doc_id, text))  # the shipped knowledge (not a fixture: hypothesis would print it)
    assert all(text[m.start:m.end] == m.text for m in ex.mentions)
    assert all(text[s.start:s.end] == s.text for s in ex.sentences)
    assert all(f.amount is None or text[f.amount.start:f.amount.end] == f.amount.wording for f in ex.facts)
    kg = KnowledgeGraph(EntityTable(default_knowledge()))
    kg.add(ex)
    graph = kg.to_rdf()
    # a build writes the same triples as N-Quads text without rdflib: same bytes as rdflib's N-Triples writer
    quads = kg.to_rdf(NQuads("https://kg.example.org/id/doc/g"), NTRIPLES).text()
    assert quads.replace(" <https://kg.example.org/id/doc/g> .\n", " .\n") == sorted_lines(graph, "nt")
    for fmt, rdf_format in PARSERS.items():
        path = serialize(graph, tmp_path / f"g{SUFFIX[fmt]}", fmt)
        assert len(load_graph(path)) == len(graph), fmt
        store = pyoxigraph.Store()
        store.load(io.BytesIO(path.read_bytes()), format=rdf_format)
        assert len(store) == len(graph), fmt
