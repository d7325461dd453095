"""The `oxigraph` server adapter: a SPARQL 1.1 Protocol endpoint over a graph file or a store folder.

The `oxigraph` command (PyPI package `oxigraph`, same version line as pyoxigraph, so both read the
same store folders) serves /query (SPARQL 1.1 Protocol: JSON, XML, CSV, TSV results), /update when
writable, /store (Graph Store Protocol) and its query UI at /. It supports a per-query timeout
(--timeout-s); it has no option to cap the size of a result, so it listens on a private port behind
kg/proxy.py, which caps request and result sizes and is the only thing on the public port.
"""
from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import proxy, store
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
          max_result_bytes: int = proxy.DEFAULT_MAX_RESULT_BYTES, max_query_bytes: int = proxy.DEFAULT_MAX_QUERY_BYTES,
          on_ready: Callable[[str, Path], None] | None = None) -> int:
    """Serve a store folder, or a graph file loaded into a temporary store, until Ctrl-C; return 0.

    127.0.0.1:`port` is the size-capping proxy; the oxigraph server behind it is on a private port.
    Ctrl-C (SIGINT) or SIGTERM stops the proxy and the server child and removes the temporary store.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(f"{source}: no such graph file or store folder")
    source = store.graph_source(source)  # a build folder stands for its store
    # Ctrl-C and a service manager's stop both end in the same clean exit; SIGINT is set explicitly
    # because a shell starts background jobs with it ignored
    before = signal.signal(signal.SIGINT, signal.default_int_handler), signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _serve(source, port, writable, timeout, max_result_bytes, max_query_bytes, on_ready)
    finally:  # the caller's handlers back (serve may run inside a longer-lived process)
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])


def _serve(source: Path, port: int, writable: bool, timeout: int, max_result_bytes: int, max_query_bytes: int,
           on_ready: Callable[[str, Path], None] | None) -> int:
    with _location(source) as location:
        with store.opened(location, read_only=True) as db:
            union = not store.holds_union(db)
        private = _free_port()
        # bound before the server starts, so a busy --port fails at once
        front = proxy.proxy_server(port, private, writable=writable, max_result_bytes=max_result_bytes,
                                   max_query_bytes=max_query_bytes, timeout=timeout + 30)
        child = subprocess.Popen(serve_command(location, private, writable=writable, timeout=timeout, union=union),
                                 stderr=subprocess.PIPE, text=True, errors="replace")
        threading.Thread(target=_relay_stderr, args=(child.stderr,), name="kg-serve-stderr", daemon=True).start()
        thread = threading.Thread(target=front.serve_forever, name="kg-serve-proxy", daemon=True)
        try:
            if _wait_listening(private, child):
                thread.start()
                if on_ready:
                    on_ready(f"http://127.0.0.1:{port}/", location)
            code = child.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            if thread.is_alive():
                front.shutdown()
            front.server_close()
            _stop(child)
    return code


def _relay_stderr(stream) -> None:
    """The server's messages, on to ours, but for its "Listening … at" line: that private address is not the endpoint."""
    for line in stream:
        if not line.startswith("Listening for requests at"):
            sys.stderr.write(line)
            sys.stderr.flush()


def _free_port() -> int:
    """A port no one listens on now (the OS picks it), for the private server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, child: subprocess.Popen, within: float = 60) -> bool:
    """True once the server accepts connections on `port`; False if it exited first."""
    deadline = time.monotonic() + within
    while child.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
        time.sleep(0.05)
    return child.poll() is None


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
