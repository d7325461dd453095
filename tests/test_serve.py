"""kg serve: a real SPARQL 1.1 Protocol endpoint (the oxigraph server behind kg's size-capping proxy) that answers
over HTTP and stops on Ctrl-C."""
import csv
import http.client
import http.server
import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg import proxy, store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PLACES = ("SELECT ?name WHERE { ?p a <https://kg.example.org/ontology#Place> ; "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name")


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
    status, body = _request(f"{base}/query", {"query": PLACES}, "text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert status == 200 and rows[0] == ["name"] and ["大同市"] in rows
    assert rows[1:] == [[str(name)] for (name,) in store.query(seed_build[0] / "store", PLACES)[1]]  # as the store answers
    status, body = _request(f"{base}/update", {"update": "DROP ALL"})
    assert status == 403 and "read-only" in body  # refused by the proxy
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


@pytest.mark.parametrize("server", [["--max-result-bytes", "4000", "--max-query-bytes", "300"]], indirect=True)
def test_serve_refuses_big_results_and_big_queries_and_keeps_answering(server, seed_build):
    base, process = server
    status, body = _request(f"{base}/query", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "application/n-triples")
    assert status == 413 and "--max-result-bytes=4000" in body
    status, body = _request(f"{base}/query", {"query": COUNT + " #" + "x" * 300}, "application/sparql-results+json")
    assert status == 413 and "--max-query-bytes=300" in body
    status, body = _request(f"{base}/query", {"query": COUNT}, "application/sparql-results+json")  # still answering
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == seed_build[1].triples
    assert _stop(process) == 0
    assert process.stderr.read().count("refused (413) at --max-result-bytes=4000") == 1


@pytest.fixture
def big_upstream():
    """A stand-in SPARQL server whose every answer is 3 MB of CSV, sent chunked (as oxigraph streams results)."""
    class Big(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            row = b"123456789\n" * 10_000  # 100 kB a chunk
            for _ in range(30):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(row), row))
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("limit, complete", [(2_000_000, False), (4_000_000, True)])
def test_proxy_streams_a_result_and_cuts_it_at_the_limit(big_upstream, limit, complete):
    lines = []
    front = proxy.proxy_server(0, big_upstream, max_result_bytes=limit, log=lines.append)
    threading.Thread(target=front.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", front.server_address[1], timeout=10)
        connection.request("GET", "/query?query=SELECT")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/csv; charset=utf-8"
        if complete:
            assert len(response.read()) == 3_000_000 and lines == []
        else:  # streaming had begun: the connection is closed without the final chunk
            with pytest.raises(http.client.IncompleteRead) as cut:
                response.read()
            assert 1_000_000 < len(cut.value.partial) <= limit
            assert len(lines) == 1 and "--max-result-bytes=2000000" in lines[0]
        connection.close()
    finally:
        front.shutdown()
        front.server_close()
