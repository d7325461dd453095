"""Aggregate SPARQL query times: kg's on-disk Oxigraph store against rdflib's in-memory store, in one run.

    python bench/store.py                          # 10^5 and 10^6 triples (a few minutes)
    python bench/store.py --sizes 100000           # quick
    python bench/store.py --sizes 100000 1000000 10000000 --rdflib-max 1000000

Graphs are generated in kg's own schema (ontology/kg.ttl): documents and cited sentences, places in
a division tree, companies, projects located in places and operated by companies, programs,
investments with decimal amounts, and every fact reified as an rdf:Statement with
prov:wasDerivedFrom its sentence — the shape `kg build` writes. Each size is loaded into a
fresh Oxigraph store on disk (pyoxigraph bulk loader) and, up to --rdflib-max triples, parsed
into rdflib's memory store; every query runs on both (after one warm-up run), the answers are
checked to agree, and the times and their ratio are printed. Sizes above --rdflib-max are timed
on Oxigraph only and say so; the memory rdflib took (bytes per triple) is printed at each size
it ran, to judge whether a larger one fits. Ratios, not absolute times, are what to compare: the machine is shared.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

ID = "https://kg.example.org/id/"
KGO = "https://kg.example.org/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = f"PREFIX kgo: <{KGO}> PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> PREFIX prov: <{PROV}>\n"
QUERIES = {
    "investment by place": """SELECT ?place (SUM(?yuan) AS ?total) (COUNT(?inv) AS ?n) WHERE {
        ?thing kgo:locatedIn ?place ; kgo:hasInvestment ?inv . ?inv kgo:amountYuan ?yuan }
        GROUP BY ?place ORDER BY DESC(?total) ?place LIMIT 10""",
    "facts by relation": """SELECT ?p (COUNT(?st) AS ?n) WHERE { ?st a rdf:Statement ; rdf:predicate ?p }
        GROUP BY ?p ORDER BY ?p""",
    "facts by document": """SELECT ?doc (COUNT(?st) AS ?n) WHERE { ?st prov:wasDerivedFrom ?s . ?s kgo:inDocument ?doc }
        GROUP BY ?doc ORDER BY DESC(?n) ?doc LIMIT 10""",
    "projects per company": """SELECT ?type (COUNT(DISTINCT ?c) AS ?companies) (COUNT(?p) AS ?projects) WHERE {
        ?p kgo:operatedBy ?c . ?c a ?type } GROUP BY ?type""",
}


class Writer:
    """Writes N-Triples and counts them."""

    def __init__(self, fh):
        self.fh, self.count = fh, 0

    def iri(self, s: str, p: str, o: str) -> None:
        self.fh.write(f"<{s}> <{p}> <{o}> .\n")
        self.count += 1

    def lit(self, s: str, p: str, value: str, datatype: str = "", lang: str = "") -> None:
        suffix = f"@{lang}" if lang else (f"^^<{datatype}>" if datatype else "")
        self.fh.write(f'<{s}> <{p}> "{value}"{suffix} .\n')
        self.count += 1


def generate(path: Path, target: int, seed: int = 0) -> int:
    """Write about `target` triples of kg-shaped data to `path` (N-Triples); return the exact count."""
    rng = random.Random(seed)
    docs = max(1, target // 400)  # one generated document gives about 400 triples
    places = [f"{ID}place/cn-{i:06d}" for i in range(max(40, docs // 4))]
    companies = [f"{ID}company/c{i}" for i in range(max(10, docs * 2))]
    programs = [f"{ID}program/p{i}" for i in range(max(10, docs // 10))]
    with open(path, "w", encoding="utf-8") as fh:
        w = Writer(fh)
        for i, place in enumerate(places):
            w.iri(place, RDF + "type", KGO + "Place")
            w.lit(place, RDFS + "label", f"地点{i}", lang="zh")
            w.lit(place, KGO + "divisionCode", f"{i:06d}")
            if i >= 31:  # the first 31 are provinces; the others lie in an earlier place: a tree
                _fact(w, place, KGO + "locatedIn", places[rng.randrange(0, min(i, 31 + i // 10))], f"{ID}source/gb-t-2260", "gazetteer")
        for i, company in enumerate(companies):
            w.iri(company, RDF + "type", KGO + "Company")
            w.lit(company, RDFS + "label", f"企业{i}有限公司", lang="zh")
        for i, program in enumerate(programs):
            w.iri(program, RDF + "type", KGO + "Program")
            w.lit(program, RDFS + "label", f"工程{i}", lang="zh")
        d = 0
        while w.count < target:
            _document(w, rng, d, places, companies, programs)
            d += 1
    return w.count


def _fact(w: Writer, s: str, p: str, o: str, source: str, rule: str) -> None:
    w.iri(s, p, o)
    st = f"{ID}fact/{w.count:x}"  # unique: the triple count so far
    w.iri(st, RDF + "type", RDF + "Statement")
    w.iri(st, RDF + "subject", s)
    w.iri(st, RDF + "predicate", p)
    w.iri(st, RDF + "object", o)
    w.iri(st, PROV + "wasDerivedFrom", source)
    w.lit(st, KGO + "rule", rule)


def _document(w: Writer, rng: random.Random, d: int, places, companies, programs) -> None:
    doc = f"{ID}doc/d{d}"
    w.iri(doc, RDF + "type", KGO + "Document")
    w.lit(doc, DCT + "identifier", f"d{d}.txt")
    sentences = []
    for k in range(20):
        s = f"{doc}/s{k}"
        sentences.append(s)
        w.iri(s, RDF + "type", KGO + "Sentence")
        w.iri(s, KGO + "inDocument", doc)
        w.lit(s, KGO + "text", f"第{k}句：项目建设稳步推进。")
        w.lit(s, KGO + "startChar", str(k * 40), XSD + "integer")
        w.lit(s, KGO + "endChar", str(k * 40 + 39), XSD + "integer")
    for j in range(8):
        project = f"{ID}project/d{d}-{j}"
        source = rng.choice(sentences)
        w.iri(project, RDF + "type", KGO + "Project")
        w.lit(project, RDFS + "label", f"项目{d}-{j}", lang="zh")
        w.iri(project, KGO + "mentionedIn", doc)
        _fact(w, project, KGO + "locatedIn", rng.choice(places), source, "located.at")
        _fact(w, project, KGO + "operatedBy", rng.choice(companies), source, "operator.by")
        if j % 2 == 0:
            inv = f"{project}/investment"
            w.iri(project, KGO + "hasInvestment", inv)
            w.iri(inv, RDF + "type", KGO + "Investment")
            w.lit(inv, KGO + "amountYuan", f"{rng.randrange(1, 10_000) * 1_000_000}.0", XSD + "decimal")
            w.lit(inv, KGO + "wording", "总投资")
            w.iri(inv, PROV + "wasDerivedFrom", source)
    for _ in range(4):
        _fact(w, rng.choice(places), KGO + "implements", rng.choice(programs), rng.choice(sentences), "subject.implements")


def resident_mb() -> float:
    """This process's resident memory in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def timed(run) -> tuple[float, object]:
    run()  # warm-up: caches and lazy index building are a one-off cost
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def oxigraph_rows(store: ox.Store, sparql: str) -> list[tuple]:
    result = store.query(PREFIXES + sparql)
    return [tuple(_plain(row[v.value]) for v in result.variables) for row in result]


def rdflib_rows(graph: Graph, sparql: str) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in graph.query(PREFIXES + sparql)]


def _plain(term) -> str:
    value = getattr(term, "value", None) if isinstance(term, (ox.NamedNode, ox.Literal)) else (str(term) if term is not None else "")
    try:
        return str(float(value))  # 1.0E10 and 10000000000.0 are the same sum
    except (TypeError, ValueError):
        return str(value)


def bench(size: int, rdflib_max: int, tmp: Path) -> None:
    nt = tmp / f"g{size}.nt"
    start = time.perf_counter()
    triples = generate(nt, size)
    print(f"\n== {triples:,} triples (generated in {time.perf_counter() - start:.1f} s)", flush=True)
    folder = tmp / f"store{size}"
    start = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    print(f"load      oxigraph (disk) {time.perf_counter() - start:8.2f} s", flush=True)
    graph = None
    if size <= rdflib_max:  # the size asked for; the generator overshoots it by a few triples
        start, rss = time.perf_counter(), resident_mb()
        graph = Graph()
        graph.parse(str(nt), format="nt")
        grown = resident_mb() - rss
        print(f"load      rdflib (memory) {time.perf_counter() - start:8.2f} s, +{grown:,.0f} MB resident "
              f"({grown * 1e6 / triples:,.0f} bytes/triple)", flush=True)
    else:
        print(f"rdflib    not measured: {size:,} triples is above --rdflib-max {rdflib_max:,} "
              "(see the bytes/triple and query times measured at the smaller sizes)", flush=True)
    print(f"{'query':<22} {'oxigraph s':>11} {'rdflib s':>10} {'rdflib/oxigraph':>16}")
    for name, sparql in QUERIES.items():
        ox_time, ox_rows = timed(lambda: oxigraph_rows(store, sparql))
        if graph is None:
            print(f"{name:<22} {ox_time:11.3f} {'-':>10} {'-':>16}", flush=True)
            continue
        rl_time, rl_rows = timed(lambda: rdflib_rows(graph, sparql))
        agree = "" if sorted(ox_rows) == sorted(rl_rows) else "  (ANSWERS DIFFER)"
        print(f"{name:<22} {ox_time:11.3f} {rl_time:10.3f} {rl_time / ox_time:15.1f}x{agree}", flush=True)
    del store, graph
    shutil.rmtree(folder, ignore_errors=True)
    nt.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=[100_000, 1_000_000],
                        help="triple counts to generate (default: 1e5 1e6; add 1e7 for the large run)")
    parser.add_argument("--rdflib-max", type=lambda s: int(float(s)), default=1_000_000,
                        help="largest size also timed on rdflib's memory store (default 1e6)")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the generated files and stores")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-bench-", dir=args.tmp) as tmp:
        for size in args.sizes:
            bench(size, args.rdflib_max, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
