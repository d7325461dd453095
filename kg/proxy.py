"""The reverse proxy in front of `kg serve`'s oxigraph server: caps query and result sizes, refuses writes when read-only.

The oxigraph server limits query time but not result size, so the public port is this proxy (standard
library only); the server listens on a private 127.0.0.1 port that only the proxy talks to. Responses
are streamed: a result is held back until it is known to fit in HOLD bytes (then sent whole, with its
Content-Length) or to be bigger; one that passes the limit before anything was sent is answered 413,
one that passes it while streaming (chunked) has its connection closed without the final chunk, so the
client sees a truncated, not a complete, result.
"""
from __future__ import annotations

import http.client
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import InputError
from .sparql import builtin_header, explain

DEFAULT_MAX_RESULT_BYTES = 50_000_000
DEFAULT_MAX_QUERY_BYTES = 1_000_000
HOLD = 1 << 20  # bytes of a result held back before streaming starts: smaller results get a Content-Length
CHUNK = 1 << 16
# headers that belong to one connection, not to the message (RFC 9110 §7.6.1): never forwarded
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "host"}


def proxy_server(port: int, upstream_port: int, *, writable: bool = False,
                 max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
                 timeout: float = 60, log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """A bound (not yet serving) proxy on 127.0.0.1:`port` to the server on 127.0.0.1:`upstream_port`."""
    handler = type("Handler", (_Handler,), {
        "upstream_port": upstream_port, "writable": writable, "max_result_bytes": max_result_bytes,
        "max_query_bytes": max_query_bytes, "upstream_timeout": timeout, "log": staticmethod(log or _stderr)})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise InputError(f"127.0.0.1:{port}: cannot listen ({exc.strerror}); choose another --port") from None
    server.daemon_threads = True  # a slow client never holds up Ctrl-C
    return server


def is_write(method: str, path: str) -> bool:
    """Requests that change the store: SPARQL Update, and the Graph Store Protocol's PUT/POST/DELETE."""
    return path.startswith("/update") or method in ("PUT", "DELETE", "PATCH") or (method == "POST" and path != "/query")


def with_prefixes(method: str, path: str, content_type: str, body: bytes) -> tuple[str, bytes, str | None, int]:
    """A /query or /update request with kg's built-in prefixes declared in front of its SPARQL (as
    `kg query` declares them), so both accept the same queries: the new path and body, the user's
    SPARQL and the length of what was put in front of it (None and 0 for any other request)."""
    url = urlsplit(path)
    if url.path not in ("/query", "/update"):
        return path, body, None, 0
    field = url.path[1:]
    kind = content_type.split(";")[0].strip().lower()
    if method == "POST" and kind in ("application/sparql-query", "application/sparql-update"):
        sparql = body.decode("utf-8", "replace")
        header = builtin_header(sparql)
        return path, (header + sparql).encode(), sparql, len(header)
    if method == "POST" and kind == "application/x-www-form-urlencoded":
        form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        form, sparql, header = _prefixed_field(form, field)
        return path, urlencode(form).encode(), sparql, header
    if method in ("GET", "HEAD") and url.query:
        form, sparql, header = _prefixed_field(parse_qsl(url.query, keep_blank_values=True), field)
        return urlunsplit(url._replace(query=urlencode(form))), body, sparql, header
    return path, body, None, 0


def _prefixed_field(form: list[tuple[str, str]], field: str) -> tuple[list[tuple[str, str]], str | None, int]:
    sparql = next((value for key, value in form if key == field), None)
    if sparql is None:
        return form, None, 0
    header = builtin_header(sparql)
    return [(key, header + value if key == field else value) for key, value in form], sparql, len(header)


def _read_upto(response: http.client.HTTPResponse, size: int) -> bytes:
    """Up to `size` bytes of the body: fewer only at its end (one read may return less)."""
    parts, got = [], 0
    while got < size:
        part = response.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked responses, so a cut result is visibly incomplete
    upstream_port: int
    writable: bool
    max_result_bytes: int
    max_query_bytes: int
    upstream_timeout: float
    log: Callable[[str], None]

    def version_string(self) -> str:  # the Server header: ours, not "BaseHTTP/0.6 Python/3.x"
        return "kg-serve"

    def do_GET(self):
        self._forward()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format, *args):  # noqa: A002 — quiet per request; limits hit are logged in _forward
        pass

    def _forward(self) -> None:
        url = urlsplit(self.path)
        if not self.writable and is_write(self.command, url.path):
            return self._refuse(403, "read-only endpoint: updates are refused (kg serve --writable accepts them)")
        if len(url.query) > self.max_query_bytes:
            return self._refuse(413, f"query string over --max-query-bytes={self.max_query_bytes}")
        body = self._request_body()
        if body is None:
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        path, body, sparql, header = with_prefixes(self.command, self.path, self.headers.get("Content-Type", ""), body)
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=self.upstream_timeout)
        try:
            upstream.request(self.command, path, body=body, headers=headers)
            response = upstream.getresponse()
            if response.status == 400 and sparql is not None:
                return self._refuse(400, "SPARQL query failed: " + explain(_read_upto(response, HOLD).decode("utf-8", "replace"), sparql, header))
            self._relay(response)
        except OSError as exc:  # the server died or did not answer in time
            self._refuse(502, f"the SPARQL server did not answer: {exc}")
        finally:
            upstream.close()

    def _request_body(self) -> bytes | None:
        """The request body (within --max-query-bytes), b"" when there is none; None once refused."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "send the query with a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._refuse(400, "bad Content-Length")
            return None
        if length > self.max_query_bytes:
            self._refuse(413, f"request body of {length} bytes is over --max-query-bytes={self.max_query_bytes}")
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _relay(self, response: http.client.HTTPResponse) -> None:
        limit = self.max_result_bytes
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            return self._too_big(f"result of {declared} bytes")
        held = b""
        if self.command != "HEAD":
            held = _read_upto(response, min(limit, HOLD) + 1)
        if len(held) > limit:
            return self._too_big(f"result over {limit} bytes")
        ended = self.command == "HEAD" or len(held) <= min(limit, HOLD)
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() not in ("server", "date"):  # send_response wrote ours
                self.send_header(key, value)
        if ended:  # the whole body is known: sent with its length
            self.send_header("Content-Length", declared if self.command == "HEAD" and declared else str(len(held)))
            self.end_headers()
            self.wfile.write(held)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        while held:
            if sent + len(held) > limit:
                self.log(f"kg serve: result cut at --max-result-bytes={limit} ({self.command} {self.path[:80]})")
                self.close_connection = True  # no final chunk: the client knows the result is incomplete
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(held), held))
            sent += len(held)
            held = response.read1(CHUNK)
        self.wfile.write(b"0\r\n\r\n")

    def _too_big(self, what: str) -> None:
        self.log(f"kg serve: {what} refused (413) at --max-result-bytes={self.max_result_bytes} "
                 f"({self.command} {self.path[:80]})")
        self._refuse(413, f"{what} is over --max-result-bytes={self.max_result_bytes}; add LIMIT to the query")

    def _refuse(self, status: int, line: str) -> None:
        body = (line + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        # the request body may be unread, so the connection cannot be reused
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
