"""graph.ttl written from the documents' statements (kg/turtle.py) is byte for byte the one Oxigraph's
store writes: on real builds (the seeds; 50 corpus reports in tests/test_speed.py), on terms of
every kind kg writes and some it does not, across documents that state things of the same
subject, and with the build's cross-document links applied."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build, linking, store, turtle
from kg.builder import turtle_prefixes
from kg.rdf import NQuads

KG = "https://kg.example.org/id/"
KGO = "https://kg.example.org/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _from_store(documents: list[list[tuple[str, str, str]]], tmp_path: Path, *, link: bool = False) -> tuple[bytes, list]:
    """What Oxigraph's on-disk store writes for the union of these documents' triples (linked, if asked)."""
    text = "".join(f"{s} {p} {o} .\n" for triples in documents for s, p, o in triples)
    folder = tmp_path / "reference-store"
    with store.opened(folder) as db:
        db.bulk_load(text.encode(), ox.RdfFormat.N_TRIPLES)
        links = linking.link_short_names(db) if link else []
        store.write_turtle(db, tmp_path / "reference.ttl", turtle_prefixes())
    return (tmp_path / "reference.ttl").read_bytes(), links


def _from_parts(documents: list[list[tuple[str, str, str]]], tmp_path: Path, links=()) -> bytes:
    """graph.ttl from the documents' parts, kept in memory and spilled to a file: the same bytes."""
    written = []
    for spill in (None, tmp_path / "statements.spill"):
        writer = turtle.TurtleWriter(turtle_prefixes(), spill=spill)
        for triples in documents:
            writer.add(turtle.document_part(triples, turtle_prefixes()))
        assert writer.usable, writer.unsupported
        writer.write(tmp_path / "parts.ttl", links, LABEL)
        written.append((tmp_path / "parts.ttl").read_bytes())
    assert written[0] == written[1]
    return written[0]


def _literal(value: str, suffix: str = "") -> str:
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"' + suffix


def test_turtle_terms_of_every_kind_come_out_as_the_store_writes_them(tmp_path):
    node = f"<{KG}company/x>"
    objects = [
        f"<{KG}place/太原市>", f"<{KGO}Company>", f"<{XSD}string>", f"<{KGO}weird.>", f"<{KGO}a%20b>",
        _literal("短"), _literal("一个超过十五个字节的中文名称"), _literal("exactly15bytes!"), _literal("16 bytes exactly"),
        _literal("tab\there"), _literal('quote " and back \\ slash'), _literal("line\nbreak\rreturn"),
        _literal("\x01control\x7f"), _literal(""),
        _literal("短", "@zh"), _literal("一个超过十五个字节的中文名称", "@zh"), _literal("x", "@zh-hans-cn-x-private1"),
        _literal("7", f"^^<{XSD}integer>"), _literal("007", f"^^<{XSD}integer>"), _literal("-12", f"^^<{XSD}integer>"),
        _literal("0", f"^^<{XSD}integer>"), _literal("9223372036854775807", f"^^<{XSD}integer>"),
        _literal("669000000.0", f"^^<{XSD}decimal>"), _literal("1.50", f"^^<{XSD}decimal>"), _literal("-0.25", f"^^<{XSD}decimal>"),
        _literal("2022-12-11", f"^^<{XSD}date>"), _literal("2022", f"^^<{XSD}gYear>"),
        _literal("v", f"^^<{KG}type/custom>"), _literal("a value longer than fifteen", f"^^<{KG}type/custom>"),
    ]
    triples = [(node, f"<{KGO}p{n % 3}>", obj) for n, obj in enumerate(objects)]
    triples += [(node, f"<{TYPE}>", f"<{KGO}Company>"), (f"<{KG}place/太原市>", f"<{LABEL}>", _literal("太原市", "@zh"))]
    expected, _ = _from_store([triples], tmp_path)
    assert b"\\t" in expected and b"\\u0001" in expected  # escapes that Oxigraph's own serializer writes
    assert _from_parts([triples], tmp_path) == expected


def test_turtle_documents_stating_things_of_one_subject_merge_in_the_stores_order(tmp_path):
    place, program = f"<{KG}place/太原市>", f"<{KG}program/乡村振兴>"
    first = [(place, f"<{TYPE}>", f"<{KGO}Place>"), (place, f"<{LABEL}>", _literal("太原市", "@zh")),
             (place, f"<{KGO}implements>", program), (program, f"<{LABEL}>", _literal("乡村振兴", "@zh"))]
    second = [(place, f"<{TYPE}>", f"<{KGO}Place>"), (place, f"<{ALT}>", _literal("太原", "@zh")),
              (place, f"<{KGO}implements>", f"<{KG}program/河长制>"), (f"<{KG}program/河长制>", f"<{TYPE}>", f"<{KGO}Program>")]
    expected, _ = _from_store([first, second], tmp_path)
    assert expected.count("<https://kg.example.org/id/place/太原市> ".encode()) == 1  # one statement of the place
    assert _from_parts([first, second], tmp_path) == expected
    assert _from_parts([second, first], tmp_path) == expected


def test_turtle_a_short_name_linked_across_documents_is_merged_as_the_store_merges_it(tmp_path):
    short, full, project = f"<{KG}company/恒信>", f"<{KG}company/芜湖恒信光伏科技有限公司>", f"<{KG}project/光伏组件项目>"
    first = [(short, f"<{TYPE}>", f"<{KGO}Company>"), (short, f"<{LABEL}>", _literal("恒信", "@zh")),
             (project, f"<{KGO}operatedBy>", short), (project, f"<{TYPE}>", f"<{KGO}Project>"),
             (short, f"<{KGO}locatedIn>", f"<{KG}place/芜湖市>")]
    second = [(full, f"<{TYPE}>", f"<{KGO}Company>"), (full, f"<{LABEL}>", _literal("芜湖恒信光伏科技有限公司", "@zh")),
              (full, f"<{ALT}>", _literal("恒信", "@zh"))]
    expected, links = _from_store([first, second], tmp_path, link=True)
    assert links == [(short[1:-1], full[1:-1])]
    assert short.encode() not in expected
    assert _from_parts([first, second], tmp_path, links) == expected
    assert _from_parts([first, second], tmp_path) != expected  # the links are what makes it so


def test_turtle_links_and_counts_without_a_store_are_the_stores(tmp_path):
    """A build without a store links its documents from their companies' names, and counts what graph.ttl
    holds as it writes it: the same links and counts as the store's, a short name two companies share left alone."""
    short, full, project = f"<{KG}company/恒信>", f"<{KG}company/芜湖恒信光伏科技有限公司>", f"<{KG}project/光伏组件项目>"
    shared, one, other = f"<{KG}company/华电>", f"<{KG}company/华电甲公司>", f"<{KG}company/华电乙公司>"
    first = [(short, f"<{TYPE}>", f"<{KGO}Company>"), (short, f"<{LABEL}>", _literal("恒信", "@zh")),
             (project, f"<{KGO}operatedBy>", short), (project, f"<{TYPE}>", f"<{KGO}Project>"),
             (shared, f"<{TYPE}>", f"<{KGO}Company>"), (shared, f"<{LABEL}>", _literal("华电", "@zh")),
             (f"<{KG}place/x>", f"<{LABEL}>", _literal("恒信", "@zh"))]  # not a company: never linked
    second = [(full, f"<{TYPE}>", f"<{KGO}Company>"), (full, f"<{LABEL}>", _literal("芜湖恒信光伏科技有限公司", "@zh")),
              (full, f"<{ALT}>", _literal("恒信", "@zh")), (project, f"<{TYPE}>", f"<{KGO}Project>"),
              (one, f"<{TYPE}>", f"<{KGO}Company>"), (one, f"<{ALT}>", _literal("华电", "@zh")),
              (other, f"<{TYPE}>", f"<{KGO}Company>"), (other, f"<{ALT}>", _literal("华电", "@zh"))]
    expected, links = _from_store([first, second], tmp_path, link=True)
    assert links == [(short[1:-1], full[1:-1])]
    names = [row for triples in (first, second) for row in linking.company_names(triples)]
    assert linking.links_from_names(names) == links
    counted = {"companies": (f"<{TYPE}>", f"<{KGO}Company>"), "projects": (f"<{TYPE}>", f"<{KGO}Project>"),
               "operatedBy": (f"<{KGO}operatedBy>", None), "labels": (f"<{LABEL}>", None)}
    writer = turtle.TurtleWriter(turtle_prefixes(), spill=tmp_path / "statements.spill")
    for triples in (first, second):
        writer.add(turtle.document_part(triples, turtle_prefixes()))
    counts = writer.write(tmp_path / "parts.ttl", links, LABEL, counted)
    assert (tmp_path / "parts.ttl").read_bytes() == expected
    with store.opened(tmp_path / "reference-store") as db:  # the linked store _from_store left
        assert counts["triples"] == len(db) == 12
        for name, (predicate, obj) in counted.items():
            assert counts[name] == store.count(db, predicate[1:-1], obj[1:-1] if obj else None), name
    assert (counts["companies"], counts["projects"], counts["operatedBy"], counts["labels"]) == (4, 1, 1, 3)


def test_turtle_a_term_of_unknown_order_leaves_graph_ttl_to_the_store(seed_paths, tmp_path):
    part = turtle.document_part([("_:b0", f"<{LABEL}>", _literal("x"))], turtle_prefixes())
    assert part.unsupported
    beyond_64_bits = _literal(str(1 << 64), f"^^<{XSD}integer>")  # kept by Oxigraph in another way
    assert turtle.document_part([(f"<{KG}a>", f"<{KGO}count>", beyond_64_bits)], turtle_prefixes()).unsupported
    writer = turtle.TurtleWriter(turtle_prefixes())
    writer.add(turtle.document_part([(f"<{KG}a>", f"<{LABEL}>", _literal("x"))], turtle_prefixes()))
    writer.add(part)
    assert not writer.usable
    with pytest.raises(turtle.UnsupportedTerm):
        writer.write(tmp_path / "never.ttl")
    assert not (tmp_path / "never.ttl").exists()


def test_turtle_an_empty_graph_is_an_empty_file(tmp_path):
    assert _from_parts([], tmp_path) == _from_store([], tmp_path)[0] == b""


def test_turtle_seed_build_writes_graph_ttl_from_its_documents(seed_paths, extractor, tmp_path, monkeypatch):
    monkeypatch.setattr(turtle, "MERGE_ROWS", 40)  # the merged subjects' triples held a few at a time
    result = build(seed_paths, tmp_path / "out", extractor=extractor, html=False, load_store=True)
    assert result.turtle_source == "documents"
    with store.opened(tmp_path / "out" / "store", read_only=True) as built:  # linked already, as graph.ttl
        store.write_turtle(built, tmp_path / "from-store.ttl", turtle_prefixes())
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "from-store.ttl").read_bytes()
    update = build(seed_paths[:1], tmp_path / "out", extractor=extractor, html=False, update=True)
    assert update.turtle_source.startswith("store: ")  # the kept documents' statements were not made again
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "from-store.ttl").read_bytes()


def test_turtle_nquads_keep_their_bytes_and_give_their_triples():
    quads = NQuads(f"{KG}doc/d")
    for triple in [(f"<{KG}b>", f"<{LABEL}>", _literal("b")), (f"<{KG}a>", f"<{LABEL}>", _literal("a")), (f"<{KG}a>", f"<{LABEL}>", _literal("a"))]:
        quads.add(triple)
    assert quads.text() == (f'<{KG}a> <{LABEL}> "a" <{KG}doc/d> .\n<{KG}b> <{LABEL}> "b" <{KG}doc/d> .\n')
    assert len(quads.triples()) == 2


def test_turtle_terms_remembered_or_forgotten_give_the_same_part(seed_build, monkeypatch):
    """A process remembers terms up to a limit, then forgets them all: a document's part is the
    same bytes whatever the process remembered."""
    shards = sorted((seed_build[0] / "shards").glob("*.nq"))
    documents = [[tuple(line[:line.rindex(" <")].split(" ", 2)) for line in shard.read_text(encoding="utf-8").splitlines()]
                 for shard in shards]
    turtle._caches.clear()
    remembered = [turtle.document_part(triples, turtle_prefixes()) for triples in documents]
    monkeypatch.setattr(turtle, "_CACHE_LIMIT", 50)
    turtle._caches.clear()
    forgetting = [turtle.document_part(triples, turtle_prefixes()) for triples in documents]
    assert len(turtle._caches[tuple(turtle_prefixes().items())]) < 2000  # it did forget
    assert forgetting == remembered
    assert all(part.statements and not part.unsupported for part in remembered)
