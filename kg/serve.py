"""The `oxigraph` server adapter: a SPARQL 1.1 Protocol endpoint over a graph file or a store folder.

The `oxigraph` command (PyPI package `oxigraph`, same version line as pyoxigraph, so both read the
same store folders) serves /query (SPARQL 1.1 Protocol: JSON, XML, CSV, TSV results), /update when
writable, /store (Graph Store Protocol) and its query UI at /. It supports a per-query timeout
(--timeout-s); it has no option to cap the size of a result, so a client should use LIMIT.
"""
from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import store
from .errors import GraphError, InputError

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30  # seconds a query may run


def oxigraph_command() -> str:
    """The `oxigraph` executable: beside this Python (a virtualenv's bin/) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise InputError("the `oxigraph` command is missing: pip install oxigraph")
    return found


def load_command(location: Path | str, files: list[Path | str]) -> list[str]:
    """`oxigraph load`: the server's own bulk loader (what a bigger deployment uses for N-Quads dumps)."""
    return [oxigraph_command(), "load", "--location", str(location), "--file", *map(str, files)]


def serve_command(location: Path | str, port: int, *, writable: bool = False, timeout: int = DEFAULT_TIMEOUT,
                  union: bool = True) -> list[str]:
    """The server command line: 127.0.0.1 only; with `union`, queries see all named graphs (one per
    document) as one — not needed when the default graph already holds their union (a kg build)."""
    mode = "serve" if writable else "serve-read-only"
    return [oxigraph_command(), mode, "--location", str(location), "--bind", f"127.0.0.1:{port}",
            *(["--union-default-graph"] if union else []), "--timeout-s", str(timeout)]


def serve(source: Path | str, port: int = DEFAULT_PORT, *, writable: bool = False, timeout: int = DEFAULT_TIMEOUT,
          on_ready: Callable[[str, Path], None] | None = None) -> int:
    """Serve a store folder, or a graph file loaded into a temporary store, until Ctrl-C; return 0.

    Ctrl-C (SIGINT) or SIGTERM stops the server child and removes the temporary store.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(f"{source}: no such graph file or store folder")
    # Ctrl-C and a service manager's stop both end in the same clean exit; SIGINT is set explicitly
    # because a shell starts background jobs with it ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    with _location(source) as location:
        with store.opened(location, read_only=True) as db:
            union = not store.holds_union(db)
        child = subprocess.Popen(serve_command(location, port, writable=writable, timeout=timeout, union=union))
        if on_ready:
            on_ready(f"http://127.0.0.1:{port}/", location)
        try:
            code = child.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            _stop(child)
    return code


@contextlib.contextmanager
def _location(source: Path):
    if store.is_store(source):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        if source.suffix.lower() not in store.FORMATS:
            raise GraphError(f"{source}: unknown RDF file type; use one of {', '.join(store.FORMATS)}")
        done = subprocess.run(load_command(tmp, [source]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise GraphError(f"{source}: oxigraph load failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
        yield Path(tmp)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
