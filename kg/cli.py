"""The `kg` command: a thin layer that parses arguments, calls the library and turns errors into messages."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .documents import MAX_BYTES
from .errors import InputError, KGError

EXIT_ERROR = 2
EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130  # the shell's code for a SIGINT
EXIT_BUG = 70  # EX_SOFTWARE: kg itself failed; exit 1 is kg validate's alone
# set when a `kg build` has put every output in place: the `kg` process may then leave at once (run())
_BUILT = False
# `kg build` writes where its wall time went (BuildResult.timings) as JSON to this file when set (bench/whole.py)
TIMINGS_ENV = "KG_TIMINGS"


def _fail(exc: KGError) -> None:
    click.echo(f"kg: error: {exc}", err=True)
    sys.exit(EXIT_ERROR)


class _Commands(click.Group):
    """kg's command group: whatever a command lets through becomes one line and its exit code, never a
    traceback, and never exit 1 (which means "kg validate found violations" and nothing else)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KGError as exc:
            _fail(exc)
        except OSError as exc:  # a path that cannot be written or read, met outside kg's own checks
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kg: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)
        except (KeyboardInterrupt, click.Abort):
            click.echo("kg: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: said in one line; KG_DEBUG=1 shows the traceback
            import os
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"kg: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                       "(a bug in kg; run with KG_DEBUG=1 for the traceback)", err=True)
            sys.exit(EXIT_BUG)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--strict", is_flag=True, help="Any file that cannot be read is an error (exit 2, no output written).")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="Read with this model folder (made by kg train) instead of the shipped one.")
@click.option("--rules-only", is_flag=True, help="Read with the rules alone, without the learned model.")
@click.option("--max-bytes", default=MAX_BYTES, show_default=True, type=click.IntRange(1), help="Skip files larger than this.")
@click.option("--store/--no-store", "load_store", default=None,
              help="Load store/ during the build, or leave it to the build's first query, serve, validate, view or export "
                   "(from the shards).  [default: during the build when a core is free for it (fewer --jobs than cores, "
                   "a --scheduler) and with --update; else on first use]")
def build(paths: tuple[Path, ...], out_dir: Path, no_html: bool, jobs: int, engine: str, scheduler: str | None,
          limit: int | None, update_dir: Path | None, quiet: bool, strict: bool, max_bytes: int,
          model_dir: Path | None, rules_only: bool, load_store: bool | None) -> None:
    """Build the graph of the .txt reports in PATHS (files or folders).

    Writes OUT/graph.ttl, OUT/store/ (an Oxigraph store of the graph; with --no-store, or with as
    many --jobs as cores, loaded on the build's first use instead), OUT/graph.html,
    OUT/extract/<doc>.json and OUT/shards/<doc>.nq (each document's named graph). A file that cannot be read
    is named with the reason and skipped (exit code 3). Ctrl-C stops the build and leaves the
    previous outputs as they were (exit 130).

    \b
    Example:
      kg build seeds/ --out build --jobs 2
      kg build --update build new-reports/2024.txt
      kg build reports/ --out build --strict
      kg build corpus/ --out big --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from .builder import build as run_build
    from .documents import find_sources
    from .errors import SkippedError

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if update_dir is not None:
        if not paths:
            raise click.UsageError("--update OUT needs the documents to add")
        if load_store is False:
            raise click.UsageError("--update writes graph.ttl from the build's store: leave out --no-store")
        out_dir = update_dir
    try:
        files = find_sources(paths or [Path("seeds")], limit)
        with _progress(len(files), quiet) as progress:
            result = run_build(files, out_dir, html=not no_html, jobs=jobs, engine=engine, scheduler=scheduler,
                               update=update_dir is not None, on_document=progress, strict=strict, max_bytes=max_bytes,
                               extractor=_extractor(model_dir, rules_only), load_store=load_store)
    except SkippedError as exc:
        for skipped in exc.skipped:
            click.echo(f"kg: skipped {skipped.reason}", err=True)
        _fail(exc)
    except KGError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; the previous outputs are as they were", err=True)
        sys.exit(EXIT_INTERRUPTED)
    _write_timings(result.timings)
    global _BUILT
    _BUILT = True
    click.echo(summary(result))
    for skipped in result.skipped:
        click.echo(f"kg: skipped {skipped.reason}", err=True)
    if result.skipped:
        sys.exit(EXIT_SKIPPED)


def _write_timings(timings: dict[str, float]) -> None:
    import json

    from .writing import write_text_atomic

    if os.environ.get(TIMINGS_ENV):
        write_text_atomic(os.environ[TIMINGS_ENV], json.dumps(timings, indent=1) + "\n")


class _progress:
    """A progress bar of documents with characters per second and an ETA; silent when quiet or not on a terminal."""

    def __init__(self, total: int, quiet: bool):
        from tqdm import tqdm

        # no monitor thread: a build with --jobs forks its workers only from a process without other threads
        tqdm.monitor_interval = 0
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


def _extractor(model_dir: Path | None, rules_only: bool):
    """None for the shipped model (the build's own, loaded once per process), else an extractor reading with the one asked for."""
    if model_dir is None and not rules_only:
        return None
    from .extractor import Extractor

    if rules_only and model_dir is not None:
        raise click.UsageError("--model and --rules-only exclude each other")
    return Extractor(model=None if rules_only else model_dir)


def summary(result) -> str:
    """The build summary a user reads: documents, entities and relations by type, triples, outputs."""
    skipped = f" ({len(result.skipped)} skipped)" if result.skipped else ""
    if result.updated:  # the counts below are the whole build's, not the updated documents'
        lines = [f"documents  {result.documents} added or replaced{skipped}; {result.in_build} in the build (the counts below are the whole build's)"]
    else:
        lines = [f"documents  {result.documents}{skipped}"]
    lines.append("entities   " + ", ".join(f"{t} {n}" for t, n in sorted(result.entities.items())) + f" (total {sum(result.entities.values())})")
    lines.append("relations  " + ", ".join(f"{r} {n}" for r, n in sorted(result.relations.items())) + f" (total {sum(result.relations.values())})")
    lines.append(f"triples    {result.triples}")
    lines.append(f"years      {result.in_build - result.without_year} documents with a year, {result.without_year} without (a year the report does not state is left out)")
    lines.append(refused_line(result.refused))
    for kind, path in result.outputs.items():
        lines.append(f"wrote      {path}")
    if not result.stored:
        lines.append("store      not loaded during the build (--store loads it): the first kg query, serve, validate, view or export of the build loads it")
    return "\n".join(lines)


def refused_line(refused) -> str:
    """How many locatedIn facts were not written: those the gazetteer contradicts, and the others."""
    from .consistency import CONTRADICTIONS

    against = sum(n for reason, n in refused.items() if reason in CONTRADICTIONS)
    others = sum(refused.values()) - against
    return f"refused    {against} contradicting the gazetteer, {others} breaking the place tree (see refused.tsv)"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for one JSON per document.")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="A model folder made by kg train (default: the shipped one).")
@click.option("--rules-only", is_flag=True, help="The rules alone, without the learned model.")
def extract(files: tuple[Path, ...], out_dir: Path, model_dir: Path | None, rules_only: bool) -> None:
    """Extract entities and relations of FILES (files or folders) into OUT/<doc>.json (the gold-annotation format).

    A document in a sub-folder of a folder given is named by its path in it (a/r.txt, written
    OUT/a%2Fr.json); two files that would share a name are an error. Prints a one-line summary.
    The learned model kg ships reads with the rules (kg train makes another; --rules-only leaves it out).

    \b
    Example:
      kg extract seeds/*.txt --out pred
      python3 ../shared/gold/score.py ../shared/gold pred
    """
    from .annotation import to_annotation
    from .builder import write_annotation
    from .documents import Skipped, iter_documents
    from .extractor import Extractor

    from .learn.model import DEFAULT_MODEL

    documents = entities = relations = skipped = 0
    try:
        extractor = Extractor(model=None if rules_only else model_dir or DEFAULT_MODEL)
        for item in iter_documents(files):
            if isinstance(item, Skipped):
                click.echo(f"kg: skipped {item.reason}", err=True)
                skipped += 1
                continue
            extraction = extractor.extract(item)
            write_annotation(extraction, out_dir)
            annotation = to_annotation(extraction)
            documents, entities, relations = documents + 1, entities + len(annotation["entities"]), relations + len(annotation["relations"])
    except KGError as exc:
        _fail(exc)
    click.echo(f"extracted  {documents} document{'s' if documents != 1 else ''}{f' ({skipped} skipped)' if skipped else ''}: "
               f"{entities} entity names, {relations} relations; wrote {out_dir}/")
    if skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("source")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="A model folder made by kg train (default: the shipped one).")
@click.option("--rules-only", is_flag=True, help="The rules alone, without the learned model.")
def explain(source: str, model_dir: Path | None, rules_only: bool) -> None:
    """Show how SOURCE (a .txt file, or the text itself) was read, sentence by sentence.

    Each name a finder proposed is listed as kept or dropped, with its rule id and finder;
    a dropped name says why (another rule found the same span first, it stands inside a
    longer name, …). Then the facts read, with their rule ids, and what each rule reads.

    \b
    Example:
      kg explain seeds/000_932c32fca1e9e5ab.txt
      kg explain '重点推进总投资136亿元的晋钢智造科技产业园建设。'
    """
    from .documents import read_document
    from .explain import explain as explain_document, format_explanation
    from .extractor import Extractor
    from .model import Document

    path = Path(source)
    try:
        if path.is_file():
            doc = read_document(path)
        elif source.endswith(".txt") or path.exists():
            raise InputError(f"{source}: not a readable .txt file (give a file, or the text itself)")
        else:
            doc = Document("text", source)
        extractor = _extractor(model_dir, rules_only) or Extractor()
        click.echo("\n".join(format_explanation(explain_document(doc, extractor), extractor.knowledge.rules)))
    except KGError as exc:
        _fail(exc)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("pred_dir", required=False, type=click.Path(path_type=Path))
@click.option("--summary", "only_summary", is_flag=True, help="Only the figures, not the names missed and spurious per document.")
@click.option("--cv", "folds", type=click.IntRange(2), metavar="K",
              help="Cross-validate the learned extractor on GOLD_DIR instead: K folds (GOLD_DIR/folds.tsv's when it has one).")
@click.option("--texts", "text_dirs", multiple=True, type=click.Path(path_type=Path),
              help="With --cv: a folder holding the gold's documents, when they are not beside the gold files.")
@click.option("--train-also", "also_dirs", multiple=True, type=click.Path(path_type=Path), metavar="GOLD_DIR",
              help="With --cv: annotated documents every fold trains on and none is scored on (annotations/silver); repeatable.")
def eval_command(gold_dir: Path, pred_dir: Path | None, only_summary: bool, folds: int | None, text_dirs: tuple[Path, ...],
                 also_dirs: tuple[Path, ...]) -> None:
    """Score PRED_DIR (from kg extract) against the gold annotations in GOLD_DIR.

    Prints precision, recall and F1 per entity type and relation, then the names
    missed and spurious in each document; the last line matches score.py's.

    With --cv K, trains the entity model K times, each time without one fold's
    documents, and scores it on that fold alone (nothing is scored by a model
    made with its own gold); prints each fold, the mean over the folds, the
    pooled table per type and relation, errors by kind, and the rules alone.

    \b
    Example:
      kg extract seeds/*.txt --out pred
      kg eval ../shared/gold pred
      kg eval --cv 5 ../shared/gold/corpus
      kg eval --cv 5 ../shared/gold/corpus --train-also annotations/silver --texts /tmp/silver-texts
    """
    from .evaluate import evaluate, format_report

    try:
        if also_dirs and not folds:
            raise click.UsageError("--train-also adds training documents to --cv's folds: give --cv K too")
        if folds:
            if pred_dir is not None:
                raise click.UsageError("--cv trains and scores its own predictions: give GOLD_DIR alone")
            _cross_validate(gold_dir, text_dirs, folds, only_summary, also_dirs)
            return
        if pred_dir is None:
            raise click.UsageError("give PRED_DIR (the output of kg extract), or --cv K")
        click.echo(format_report(evaluate(gold_dir, pred_dir), details=not only_summary))
    except KGError as exc:
        _fail(exc)


def _cross_validate(gold_dir: Path, text_dirs: tuple[Path, ...], folds: int, only_summary: bool,
                    also_dirs: tuple[Path, ...] = ()) -> None:
    from .evaluate import format_report, mean_scores, merge_reports
    from .knowledge import default_knowledge
    from .learn.gold import load_gold
    from .learn.train import cross_validate

    docs = load_gold(gold_dir, text_dirs, folds=folds)
    examples = _prepared(docs)
    also = _prepared([doc for folder in also_dirs for doc in load_gold(folder, text_dirs)]) if also_dirs else []
    results = cross_validate(examples, default_knowledge(), also=also, progress=lambda line: click.echo(f"kg: {line}", err=True))
    for r in results:
        e, rel = r.report.entities, r.report.relations
        click.echo(f"fold {r.fold} ({len(r.documents)} documents)  entity P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f}"
                   f" | relation P {rel.precision:.3f} R {rel.recall:.3f} F1 {rel.f1:.3f}"
                   f"   rules alone: entity F1 {r.rules.entities.f1:.3f} | relation F1 {r.rules.relations.f1:.3f}")
    pooled, rules = merge_reports([r.report for r in results]), merge_reports([r.rules for r in results])
    click.echo("all folds pooled (learned):")
    click.echo(format_report(pooled, details=not only_summary))
    click.echo("errors by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(pooled.errors.items())))
    click.echo("rules alone, pooled: " + format_report(rules, details=False).splitlines()[-1])
    ent, rel = mean_scores([r.report for r in results])
    click.echo(f"mean over {len(results)} folds: entity F1 {ent:.3f} | relation F1 {rel:.3f}")


def _prepared(docs):
    from .extractor import Extractor
    from .learn.train import prepare

    with click.progressbar(docs, label="kg: reading the gold documents", file=sys.stderr) as bar:
        return prepare(bar, Extractor(model=None))


@main.command()
@click.argument("gold_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="The model folder to write (replaced whole).")
@click.option("--texts", "text_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A folder holding gold documents that are not beside their gold files (the seeds); repeatable.")
def train(gold_dirs: tuple[Path, ...], out_dir: Path, text_dirs: tuple[Path, ...]) -> None:
    """Train the entity model on the gold annotations of GOLD_DIRS and write it to OUT.

    Each GOLD_DIR holds <id>.json gold files (../shared/gold/GUIDE.md's format) with their <id>.txt
    documents beside them or in a --texts folder. The same gold gives the same bytes. kg ships the
    model `kg train ../shared/gold ../shared/gold/corpus --texts seeds --out kg/data/model` makes.

    \b
    Example:
      kg train ../shared/gold ../shared/gold/corpus --texts seeds --out kg/data/model
      kg extract some/report.txt --out pred --model kg/data/model
    """
    from .learn.gold import load_gold
    from .learn.train import train_model

    try:
        docs = [doc for folder in gold_dirs for doc in load_gold(folder, text_dirs)]
        examples = _prepared(docs)
        click.echo(f"kg: training on {len(examples)} documents", err=True)
        train_model(examples, out_dir, sources=[str(Path(d).resolve().name) for d in gold_dirs])
        placed = sum(ex.unplaced for ex in examples)
        click.echo(f"model {out_dir}: {len(examples)} documents, {sum(len(ex.doc.entities) for ex in examples)} gold names"
                   f" ({placed} not found in their text)")
    except KGError as exc:
        _fail(exc)


@main.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a .rq file.")
@click.option("--name", help="Run a named query from ontology/queries (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE (a string, or <IRI>); repeatable. Bound as an RDF term, never pasted into the query.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph: Path | None, sparql: str | None, query_file: Path | None, name: str | None, params: tuple[str, ...],
          list_queries: bool, fmt: str) -> None:
    """Run a SPARQL query over GRAPH (a graph file, a store folder such as build/store, or a build folder).

    Files and stores are answered alike, by Oxigraph. kg's prefixes need no PREFIX line: kgo: rdf:
    rdfs: xsd: owl: prov: skos: schema: dcterms: (kg serve accepts the same queries).

    \b
    Example:
      kg query build/graph.ttl "SELECT ?n WHERE { ?p a kgo:Project ; rdfs:label ?n }"
      kg query build/graph.ttl --name projects-by-investment --format csv
      kg query build/graph.ttl --name facts-about-place --param name=云冈区
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
        columns, rows = run_query(graph, sparql, _parse_params(params))
    except KGError as exc:
        _fail(exc)
    click.echo(format_rows(columns, rows, fmt))


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param {item!r}: write KEY=VALUE")
        parsed[key] = value
    return parsed


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0), help="Show at most this many violations (0: all).")
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "sparql"]), default="auto", show_default=True,
              help="pySHACL, or the same shapes as SPARQL queries run by Oxigraph (auto: pySHACL for a graph file "
                   "of at most 60,000 triples, SPARQL for bigger ones and for a store).")
def validate(graph: Path, limit: int, engine: str) -> None:
    """Check GRAPH (a graph file, store or build folder) against the SHACL shapes in ontology/shapes.ttl.

    Prints 'conforms', or each violation with the node, its label, the property and why.
    Exit code 0 when the graph conforms, 1 when it does not, 2 on an error. Both engines report
    the same violations; the SPARQL one checks the whole corpus's store in a few minutes.

    \b
    Example:
      kg validate build/graph.ttl
      kg validate build/store
    """
    from .validate import check

    try:
        report = check(graph, engine)
    except KGError as exc:
        _fail(exc)
    click.echo(report.text(limit))
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (a graph file is served from a temporary copy).")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1), help="Seconds a query may run.")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(1),
              help="Largest result sent: a bigger one is refused (413) or cut off.")
@click.option("--max-query-bytes", default=1_000_000, show_default=True, type=click.IntRange(1),
              help="Largest request body (or query string) accepted; bigger is refused (413).")
def serve(graph: Path, port: int, writable: bool, timeout: int, max_result_bytes: int, max_query_bytes: int) -> None:
    """Serve GRAPH (a graph file, store or build folder) as a SPARQL 1.1 endpoint on 127.0.0.1 until Ctrl-C.

    Runs the `oxigraph` server behind a small proxy that caps request and result sizes:
    read-only unless --writable; queries at /query, the query UI at /. Queries may use kg's
    prefixes without PREFIX lines (kgo: rdf: rdfs: xsd: owl: prov: skos: schema: dcterms:), as with
    kg query; a malformed query is answered 400 with one line saying where.

    \b
    Example:
      kg serve build/graph.ttl --port 7878 --max-result-bytes 10000000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' http://127.0.0.1:7878/query
    """
    from .serve import serve as run_serve

    def ready(url: str, location: Path) -> None:
        mode = "read-write" if writable else "read-only"
        click.echo(f"SPARQL endpoint {url}query ({mode}; store {location}); query UI {url}; Ctrl-C stops", err=True)

    try:
        code = run_serve(graph, port, writable=writable, timeout=timeout, max_result_bytes=max_result_bytes,
                         max_query_bytes=max_query_bytes, on_ready=ready)
    except KGError as exc:
        _fail(exc)
    sys.exit(code)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nquads", "jsonld", "trig"]), default="turtle", show_default=True)
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path), help="File to write.")
def export(graph: Path, fmt: str, out_file: Path) -> None:
    """Export GRAPH (a graph file, store or build folder) in another RDF format.

    From a store, N-Quads and TriG keep the named graphs it holds (a build's store holds their
    union; its documents' graphs are its shards/*.nq); JSON-LD has a compact @context (kgo, rdf,
    rdfs, xsd, skos, prov, dcterms).

    \b
    Example:
      kg export build/graph.ttl --format jsonld --out build/graph.jsonld
      kg export build/graph.ttl --format nquads --out build/graph.nq
    """
    from . import rdf, store

    try:
        graph = store.graph_source(graph)  # a build folder stands for its store
        if store.is_store(graph) and fmt in ("nquads", "trig"):
            store.dump(graph, out_file, store.FORMATS[".nq" if fmt == "nquads" else ".trig"])
        else:
            rdf.serialize(store.load_any(graph), out_file, fmt)
    except KGError as exc:
        _fail(exc)
    click.echo(f"wrote {out_file}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@click.option("--around", metavar="ENTITY", help="Only ENTITY (a name, alias or IRI) and its neighbourhood.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0), help="Relations to follow from --around.")
@click.option("--types", metavar="T1,T2", help="Only these entity types (Company, Project, Place, Program, Organization).")
@click.option("--document", metavar="NAME", help="Only entities cited by this document (e.g. 大同市政府工作报告2023.txt).")
@click.option("--top", type=click.IntRange(1), metavar="N", help="Only the N most connected entities (highest degree).")
@click.option("--max-nodes", default=2000, show_default=True, type=click.IntRange(1),
              help="Draw at most this many nodes (highest degree first); the page says what it left out.")
def view(graph: Path, out_file: Path, around: str | None, depth: int, types: str | None, document: str | None,
         top: int | None, max_nodes: int) -> None:
    """Write the interactive HTML view of GRAPH (a graph file, store or build folder); it works offline.

    \b
    Example:
      kg view build/graph.ttl --out build/graph.html
      kg view build/graph.ttl --out around.html --around 新荣区 --depth 2
      kg view build/graph.ttl --out firms.html --types Company,Project --top 300
    """
    from .graphview import ambiguity_note, networkx_from_rdf, select_view
    from .store import load_any
    from .view import MAIN_TYPES, render_html

    try:
        wanted = [t.strip() for t in (types or "").split(",") if t.strip()]
        unknown = [t for t in wanted if t not in MAIN_TYPES]
        if unknown:
            raise click.BadParameter(f"{', '.join(unknown)} (choose from {', '.join(MAIN_TYPES)})", param_hint="--types")
        full = networkx_from_rdf(load_any(graph))
        if around and (note := ambiguity_note(full, around)):
            click.echo(f"kg: {note}", err=True)
        shown, selection = select_view(full, around=around, depth=depth, types=wanted, document=document, top=top)
        render_html(shown, out_file, title=graph.name, max_nodes=max_nodes, selection=selection,
                    total=full.number_of_nodes())
    except KGError as exc:
        _fail(exc)
    drawn = min(shown.number_of_nodes(), max_nodes)
    click.echo(f"wrote {out_file} ({drawn} of {full.number_of_nodes()} nodes)")


def run() -> None:
    """The `kg` command (the console script, and `python -m kg.cli`).

    A finished `kg build` leaves without Python's teardown, which frees the dictionaries' millions of
    objects one by one (0.3-0.8 s, for nothing: every output is written, synced and in place, the
    store closed, the workers gone); anything else ends as usual.
    """
    try:
        main()
    except SystemExit as stop:
        if _BUILT:
            code = stop.code
            if code is not None and not isinstance(code, int):  # as Python itself does with a message
                print(code, file=sys.stderr)
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code or 0)
        raise


if __name__ == "__main__":
    run()
