"""Writes notebooks/explore.ipynb (no outputs) from the cells below: python3 tools/make_notebook.py"""
from pathlib import Path

import nbformat

FOLLOW_CITY = """import matplotlib.pyplot as plt

plt.rcParams['font.sans-serif'] = ['WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'DejaVu Sans']  # Chinese names in the title

_, cities = kg.run_query(OUT, '''
SELECT ?city (COUNT(DISTINCT ?doc) AS ?reports) WHERE {
  ?doc dcterms:spatial ?c ; dcterms:date ?year . ?c rdfs:label ?city .
} GROUP BY ?city ORDER BY DESC(?reports) ?city''')
CITY = os.environ.get('KG_CITY') or (cities[0][0] if cities else None)
if CITY is None:
    print('no report of this build states its year and issuer: no city to follow')
else:
    columns, counts = kg.run_query(OUT, '''
    SELECT ?year ?type (COUNT(DISTINCT ?e) AS ?n) ?city WHERE {
      ?doc dcterms:spatial ?c ; dcterms:date ?year . ?c rdfs:label ?label . FILTER(STR(?label) = ?city)
      ?e kgo:mentionedIn ?doc ; a ?cls .
      VALUES (?cls ?type) { (kgo:Company "Company") (kgo:Project "Project") (kgo:Place "Place")
                            (kgo:Program "Program") (kgo:Organization "Organization") }
    } GROUP BY ?year ?type ?city ORDER BY ?year ?type''', {'city': CITY})
    print(format_rows(columns, counts))
    years = sorted({int(year) for year, *_ in counts})
    fig, axis = plt.subplots(figsize=(8, 4))
    for kind in sorted({kind for _, kind, *_ in counts}):
        by_year = {int(year): n for year, k, n, _ in counts if k == kind}
        axis.plot(years, [by_year.get(y, 0) for y in years], marker='o', label=kind)
    axis.set(xlabel='report year', ylabel='entities named', xticks=years,
             title=f'{CITY}: entities named in each report, by type')
    axis.legend()
    plt.show()"""

CITY_QUERIES = """if CITY is not None:
    for name in ('planned-then-done', 'projects-by-year'):
        columns, rows = kg.run_query(OUT, kg.queries.query_text(name), {'name': CITY})
        print(f'{name}: {len(rows)} rows')
        print(format_rows(columns, rows[:5]))"""

CELLS = [
    ("md", "# Exploring a knowledge graph of reports\n\nThis notebook uses kg's public API, as a user would: build the graph of a folder of reports (`seeds/` unless told otherwise), ask it questions in SPARQL, measure it with networkx, and look at the HTML view.\n\nWhich folder: set the environment variable `KG_INPUT` (a folder or a `.txt` file) before starting Jupyter, or edit `INPUT` in the next cell; `KG_OUT` is where the build goes (`build/` by default). `python tools/run_notebook.py` runs it without Jupyter (see the README)."),
    ("code", "import os\nfrom pathlib import Path\n\nimport networkx as nx\n\nimport kg\nfrom kg.queries import format_rows\n\nROOT = Path(os.environ.get('KG_ROOT', Path.cwd().parent))\nINPUT = Path(os.environ.get('KG_INPUT', ROOT / 'seeds'))  # the reports to build: a folder (searched recursively) or a .txt file\nOUT = Path(os.environ.get('KG_OUT', ROOT / 'build'))\nresult = kg.build([INPUT], OUT)\nprint(result.documents, 'documents,', result.triples, 'triples')\nprint(dict(result.entities))"),
    ("code", "GRAPH = OUT / 'graph.ttl'\n\ndef ask(sparql):\n    columns, rows = kg.run_query(GRAPH, sparql)\n    print(format_rows(columns, rows))\n    return rows"),
    ("md", "## 1. Which companies and projects does each district have?"),
    ("code", "rows = ask('''\nSELECT ?district ?type ?name WHERE {\n  ?thing kgo:locatedIn+ ?d ; a ?cls ; rdfs:label ?name .\n  ?d kgo:placeType \"District\" ; rdfs:label ?district .\n  VALUES (?cls ?type) { (kgo:Company \"Company\") (kgo:Project \"Project\") }\n} ORDER BY ?district ?type ?name''')"),
    ("md", "## 2. Projects with a stated investment, largest first"),
    ("code", "rows = ask(kg.queries.query_text('projects-by-investment'))"),
    ("md", "## 3. Which programs does each place carry out?"),
    ("code", "rows = ask('''\nSELECT ?place (COUNT(?prog) AS ?programs) (GROUP_CONCAT(?name; separator=\"、\") AS ?names) WHERE {\n  ?p a kgo:Place ; kgo:implements ?prog ; rdfs:label ?place . ?prog rdfs:label ?name .\n} GROUP BY ?place ORDER BY DESC(?programs)''')"),
    ("md", "## 4. Places and their parents (administrative chain, with GB/T 2260 codes)"),
    ("code", "rows = ask('''\nSELECT ?place ?code ?parent WHERE {\n  ?p kgo:divisionCode ?code ; rdfs:label ?place ; kgo:locatedIn ?q . ?q rdfs:label ?parent .\n} ORDER BY ?code''')"),
    ("md", "## 5. The most connected entities (networkx degree)"),
    ("code", "from kg.graphview import networkx_from_rdf\nfrom kg.rdf import load_graph\n\ngraph = networkx_from_rdf(load_graph(GRAPH))\ntop = sorted(graph.degree, key=lambda item: (-item[1], item[0]))[:10]\nfor node, degree in top:\n    print(degree, graph.nodes[node]['type'], graph.nodes[node]['label'])"),
    ("md", "## 6. Where does a fact come from?"),
    ("code", "rows = ask('''\nSELECT ?project ?company ?sentence WHERE {\n  ?st rdf:subject ?p ; rdf:predicate kgo:operatedBy ; rdf:object ?c ; prov:wasDerivedFrom ?s .\n  ?p rdfs:label ?project . ?c rdfs:label ?company . ?s kgo:text ?sentence .\n} ORDER BY ?project LIMIT 5''')"),
    ("md", "## 7. Following one city across its reports\n\nEach report's year and issuing government are read from the report itself (`dcterms:date`, `dcterms:spatial`). The city followed is the one with the most reports of a known year (or `KG_CITY`); the plot counts the entities each year's report names, by type; then what it planned and later reported done, and its projects by year (two of the named queries)."),
    ("code", FOLLOW_CITY),
    ("code", CITY_QUERIES),
    ("md", "## The HTML view\n\nThe page is self-contained and works offline; open `build/graph.html` in a browser, or see it inline below."),
    ("code", "from IPython.display import IFrame\nIFrame(src=os.path.relpath(OUT / 'graph.html'), width='100%', height=600)"),
]


def main() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src) for kind, src in CELLS]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    path = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"
    nbformat.write(nb, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
