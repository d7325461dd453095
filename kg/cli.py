"""The `kg` command: a thin layer that parses arguments, calls the library and turns errors into messages."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import KGError

EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130  # the shell's code for a SIGINT


def _fail(exc: KGError) -> None:
    click.echo(f"kg: error: {exc}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build knowledge graphs of Chinese regional-development reports.

    \b
    Example:
      kg build seeds/ --out build
      kg query build/graph.ttl --name projects-by-investment
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--no-html", is_flag=True, help="Skip the HTML view.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1), help="Extract in this many processes (Dask workers with a local cluster).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Where to extract: here, or on a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask); a local cluster when not given.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents (a quick look).")
@click.option("--update", "update_dir", metavar="OUT", type=click.Path(path_type=Path),
              help="Add PATHS to the existing build in OUT (replacing documents of the same name); the rest are not re-extracted.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(paths: tuple[Path, ...], out_dir: Path, no_html: bool, jobs: int, engine: str, scheduler: str | None,
          limit: int | None, update_dir: Path | None, quiet: bool) -> None:
    """Build the graph of the .txt reports in PATHS (files or folders).

    Writes OUT/graph.ttl, OUT/store/ (an Oxigraph store, one named graph per document),
    OUT/graph.html, OUT/extract/<doc>.json and OUT/shards/<doc>.nq. Ctrl-C stops the build and
    leaves the previous outputs as they were (exit 130).

    \b
    Example:
      kg build seeds/ --out build --jobs 2
      kg build --update build new-reports/2024.txt
      kg build corpus/ --out big --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from .build import build as run_build
    from .documents import find_files

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if update_dir is not None:
        if not paths:
            raise click.UsageError("--update OUT needs the documents to add")
        out_dir = update_dir
    try:
        files = find_files(paths or [Path("seeds")])[:limit]
        with _progress(len(files), quiet) as progress:
            result = run_build(files, out_dir, html=not no_html, jobs=jobs, engine=engine, scheduler=scheduler,
                               update=update_dir is not None, on_document=progress)
    except KGError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; the previous outputs are as they were", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(summary(result))
    for skipped in result.skipped:
        click.echo(f"kg: skipped {skipped.reason}", err=True)
    if result.skipped:
        sys.exit(EXIT_SKIPPED)


class _progress:
    """A progress bar of documents with characters per second and an ETA; silent when quiet or not on a terminal."""

    def __init__(self, total: int, quiet: bool):
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)
        self.chars = 0

    def __call__(self, output) -> None:
        self.chars += getattr(output, "chars", 0)
        elapsed = self.bar.format_dict["elapsed"] or 1e-9
        self.bar.set_postfix_str(f"{self.chars / elapsed:,.0f} chars/s", refresh=False)
        self.bar.update(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.bar.close()


def summary(result) -> str:
    """The build summary a user reads: documents, entities and relations by type, triples, outputs."""
    lines = [f"documents  {result.documents}" + (f" ({len(result.skipped)} skipped)" if result.skipped else "")]
    lines.append("entities   " + ", ".join(f"{t} {n}" for t, n in sorted(result.entities.items())) + f" (total {sum(result.entities.values())})")
    lines.append("relations  " + ", ".join(f"{r} {n}" for r, n in sorted(result.relations.items())) + f" (total {sum(result.relations.values())})")
    lines.append(f"triples    {result.triples}")
    for kind, path in result.outputs.items():
        lines.append(f"wrote      {path}")
    return "\n".join(lines)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for one JSON per document.")
def extract(files: tuple[Path, ...], out_dir: Path) -> None:
    """Extract entities and relations of FILES into OUT/<doc>.json (the gold-annotation format).

    \b
    Example:
      kg extract seeds/*.txt --out pred
      python3 ../shared/gold/score.py ../shared/gold pred
    """
    from .build import write_annotation
    from .documents import Skipped, iter_documents
    from .extract import Extractor

    try:
        extractor = Extractor()
        skipped = 0
        for item in iter_documents(files):
            if isinstance(item, Skipped):
                click.echo(f"kg: skipped {item.reason}", err=True)
                skipped += 1
                continue
            write_annotation(extractor.extract(item), out_dir)
    except KGError as exc:
        _fail(exc)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("pred_dir", type=click.Path(path_type=Path))
@click.option("--summary", "only_summary", is_flag=True, help="Only the figures, not the names missed and spurious per document.")
def eval_command(gold_dir: Path, pred_dir: Path, only_summary: bool) -> None:
    """Score PRED_DIR (from kg extract) against the gold annotations in GOLD_DIR.

    Prints precision, recall and F1 per entity type and relation, then the names
    missed and spurious in each document; the last line matches score.py's.

    \b
    Example:
      kg extract seeds/*.txt --out pred
      kg eval ../shared/gold pred
    """
    from .evaluate import evaluate, format_report

    try:
        click.echo(format_report(evaluate(gold_dir, pred_dir), details=not only_summary))
    except KGError as exc:
        _fail(exc)


@main.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a .rq file.")
@click.option("--name", help="Run a named query from ontology/queries (see --list).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph: Path | None, sparql: str | None, query_file: Path | None, name: str | None, list_queries: bool, fmt: str) -> None:
    """Run a SPARQL query over GRAPH (a Turtle file).

    \b
    Example:
      kg query build/graph.ttl "SELECT ?n WHERE { ?p a kgo:Project ; rdfs:label ?n }"
      kg query build/graph.ttl --name projects-by-investment --format csv
    """
    from .queries import format_rows, named_queries, query_text, run_query

    try:
        if list_queries:
            for qname, path in named_queries().items():
                first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
                click.echo(f"{qname:<28} {first}")
            return
        if graph is None:
            raise click.UsageError("GRAPH is required")
        sources = [s for s in (sparql, query_file, name) if s]
        if len(sources) != 1:
            raise click.UsageError("give exactly one of QUERY, --file or --name")
        if query_file:
            if not query_file.is_file():
                raise click.UsageError(f"{query_file}: no such query file")
            sparql = query_file.read_text(encoding="utf-8")
        elif name:
            sparql = query_text(name)
        columns, rows = run_query(graph, sparql)
    except KGError as exc:
        _fail(exc)
    click.echo(format_rows(columns, rows, fmt))


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "trig"]), default="turtle", show_default=True)
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path), help="File to write.")
def export(graph: Path, fmt: str, out_file: Path) -> None:
    """Export GRAPH in another RDF format.

    \b
    Example:
      kg export build/graph.ttl --format jsonld --out build/graph.jsonld
    """
    from . import rdf

    try:
        rdf.serialize(rdf.load_graph(graph), out_file, fmt)
    except KGError as exc:
        _fail(exc)
    click.echo(f"wrote {out_file}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@click.option("--max-nodes", default=2000, show_default=True, help="Keep at most this many nodes (highest degree first).")
def view(graph: Path, out_file: Path, max_nodes: int) -> None:
    """Write the interactive HTML view of GRAPH (a Turtle file); it works offline.

    \b
    Example:
      kg view build/graph.ttl --out build/graph.html
    """
    from . import rdf
    from .graphview import networkx_from_rdf
    from .view import render_html

    try:
        nx_graph = networkx_from_rdf(rdf.load_graph(graph))
        render_html(nx_graph, out_file, title=graph.name, max_nodes=max_nodes)
    except KGError as exc:
        _fail(exc)
    click.echo(f"wrote {out_file} ({nx_graph.number_of_nodes()} nodes)")


if __name__ == "__main__":
    main()
