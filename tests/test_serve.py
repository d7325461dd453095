"""kg serve: a real SPARQL 1.1 Protocol endpoint (the oxigraph server) that answers over HTTP and stops on Ctrl-C."""
import csv
import io
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url, data: dict, accept: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.fixture
def server(seed_build, request):
    out, _ = seed_build
    port = _free_port()
    args = [sys.executable, "-m", "kg.cli", "serve", str(out / "graph.ttl"), "--port", str(port), *getattr(request, "param", [])]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _request(f"{base}/query", {"query": "ASK {}"})[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"kg serve did not start: {process.communicate()}")
        time.sleep(0.2)
    yield base, process
    if process.poll() is None:
        process.kill()
        process.wait()


def _stop(process) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=20)


def test_serve_answers_sparql_json_and_csv_and_refuses_updates(server, seed_build):
    base, process = server
    status, body = _request(f"{base}/query", {"query": COUNT}, "application/sparql-results+json")
    assert status == 200
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert n == seed_build[1].triples
    status, body = _request(f"{base}/query", {"query": "SELECT ?name WHERE { ?p a <https://kg.example.org/ontology#Place> ; "
                                                       "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"}, "text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert status == 200 and rows[0] == ["name"] and ["大同市"] in rows
    status, _ = _request(f"{base}/update", {"update": "DROP ALL"})
    assert status in (403, 405)  # read-only: refused
    assert int(json.loads(_request(f"{base}/query", {"query": COUNT}, "application/sparql-results+json")[1])
               ["results"]["bindings"][0]["n"]["value"]) == n
    assert _stop(process) == 0


@pytest.mark.parametrize("server", [["--writable"]], indirect=True)
def test_serve_writable_accepts_updates_and_stops_cleanly(server):
    base, process = server
    status, _ = _request(f"{base}/update", {"update": 'INSERT DATA { <http://e/x> <http://e/p> "new" }'})
    assert status in (200, 204)
    status, body = _request(f"{base}/query", {"query": "SELECT ?o WHERE { <http://e/x> <http://e/p> ?o }"}, "text/csv")
    assert body.splitlines()[1] == "new"
    assert _stop(process) == 0
    stderr = process.stderr.read()
    assert "Traceback" not in stderr
