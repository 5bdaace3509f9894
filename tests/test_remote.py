"""--endpoint and push against HTTP servers on 127.0.0.1 that misbehave: redirects to
another server, answers too big or too slow, malformed answers, refusals."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
SELECT_ONE = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}
).encode()
RESULTS = "application/sparql-results+json"

Behaviour = Callable[[BaseHTTPRequestHandler, bytes], None]


@dataclass
class Server:
    """An HTTP server on 127.0.0.1: `routes` maps a path to what it does; every request
    is recorded as (method, path, body)."""

    port: int = 0
    routes: dict[str, Behaviour] = field(default_factory=dict)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    def url(self, path: str = "/sparql") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _serve() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            state.requests.append((self.command, self.path, body))
            behaviour = state.routes.get(path)
            if behaviour is None:
                self.send_error(404)
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                behaviour(self, body)

        do_GET = do_POST = do_PUT = _any

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    # A short poll keeps shutdown() from waiting half a second per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serve()


@pytest.fixture
def other() -> Iterator[Server]:
    """A second server: another origin (another port)."""
    yield from _serve()


def answer(body: bytes, content_type: str = RESULTS, status: int = 200) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behave


def redirect(location: str, status: int) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return behave


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_server_is_not_followed(belkg, server, other, status):
    other.routes["/elsewhere"] = answer(ASK_TRUE)
    server.routes["/sparql"] = redirect(other.url("/elsewhere"), status)
    result = belkg("query", "-e", "ASK {}", "--endpoint", server.url())
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {server.url()}: the server redirected (HTTP {status}) to another server, {other.url('/elsewhere')}; "
        "belkg follows redirects within the same server only: use that URL if you trust it"
    ]
    assert other.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_within_the_server_repeats_the_query(belkg, server, status):
    server.routes["/sparql"] = redirect("/moved", status)
    server.routes["/moved"] = answer(ASK_TRUE)
    result = belkg("query", "-e", "ASK {}", "--endpoint", server.url())
    assert result.exit_code == 0, result.output
    assert result.stdout == "yes\n"
    assert [(method, path) for method, path, _ in server.requests] == [("POST", "/sparql"), ("POST", "/moved")]
    assert server.requests[1][2] == server.requests[0][2] == b"query=ASK+%7B%7D"


def test_endless_redirects_stop(belkg, server):
    server.routes["/sparql"] = redirect("/sparql", 307)
    result = belkg("query", "-e", "ASK {}", "--endpoint", server.url())
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {server.url()}: the server redirected the query too many times (HTTP 307)"
    ]


# --- push reports only what the server took -----------------------------------------------------


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny project and its build: push reads the whole dataset, so keep it small."""
    import shutil

    from belkg.build.pipeline import build
    from belkg.project import Project

    from conftest import GOOD_CLAIM, ROOT, TINY_ENTITIES, TINY_SEED, TINY_SEED_NAME, tiny_document

    base = tmp_path_factory.mktemp("push")
    root = base / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "kg").mkdir()
    (root / "seeds").mkdir()
    (root / "seeds" / f"{TINY_SEED_NAME}.txt").write_text(TINY_SEED, encoding="utf-8")
    (root / "kg" / "entities.ttl").write_text(TINY_ENTITIES, encoding="utf-8")
    (root / "kg" / f"{TINY_SEED_NAME}.ttl").write_text(tiny_document(GOOD_CLAIM), encoding="utf-8")
    build(Project(root), base / "cache")
    return root, base / "cache"


def _push(tiny_build: tuple[Path, Path], url: str, *extra: str, quiet: bool = True) -> Any:
    from click.testing import CliRunner

    from belkg.cli import cli

    root, cache = tiny_build
    args = ["--project", str(root), "--cache-dir", str(cache), *(["-q"] if quiet else [])]
    args += ["push", "--endpoint", url, "--graphs", "inferred"]
    return CliRunner().invoke(cli, [*args, *extra], catch_exceptions=False)


def test_push_succeeds_on_2xx_answers(tiny_build, server):
    server.routes["/store"] = answer(b"", "text/plain", 204)
    result = _push(tiny_build, server.url("/store"), "--replace", quiet=False)
    assert result.exit_code == 0, result.output
    puts = [request for request in server.requests if request[0] == "PUT"]
    assert len(puts) == 3  # grounding, edges, inferred
    assert result.stderr.splitlines()[-1].startswith("pushed 3 graphs, ")


def test_push_to_a_redirect_to_another_server_fails(tiny_build, server, other):
    other.routes["/store"] = answer(b"ok", "text/plain")
    server.routes["/store"] = redirect(other.url("/store"), 303)
    result = _push(tiny_build, server.url("/store"))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "the server redirected (HTTP 303) to another server" in result.stderr
    assert "pushed" not in result.stderr
    assert other.requests == []


def test_push_through_a_redirect_within_the_server_uploads(tiny_build, server):
    server.routes["/store"] = redirect("/data", 301)
    server.routes["/data"] = answer(b"", "text/plain", 201)
    result = _push(tiny_build, server.url("/store"))
    assert result.exit_code == 0, result.output
    uploads = [request for request in server.requests if request[1].startswith("/data")]
    assert [method for method, _, _ in uploads] == ["POST"] * 3
    assert all(body for _, _, body in uploads)


@pytest.mark.parametrize("status", [500, 404, 304, 100])
def test_push_fails_on_anything_but_2xx(tiny_build, server, status):
    server.routes["/store"] = answer(b"no", "text/plain", status) if status >= 200 else _informational_only
    result = _push(tiny_build, server.url("/store"), "--timeout", "5")
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "pushed" not in result.stderr


def _informational_only(handler: BaseHTTPRequestHandler, _: bytes) -> None:
    handler.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    handler.wfile.flush()
    handler.close_connection = True


# --- size and time -------------------------------------------------------------------------------


def _big(declared: bool) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", RESULTS)
        if declared:
            handler.send_header("Content-Length", str(3 << 20))
        handler.end_headers()
        for _ in range(3 << 4):
            handler.wfile.write(b" " * (1 << 16))

    return behave


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "unannounced"])
def test_an_answer_too_big_is_refused(belkg, server, declared):
    server.routes["/sparql"] = _big(declared)
    result = belkg("query", "-e", "ASK {}", "--endpoint", server.url(), "--max-response", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {server.url()}: the server's answer is larger than 1 MiB; raise --max-response or narrow the query"
    ]


def _drip(handler: BaseHTTPRequestHandler, _: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", RESULTS)
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def _slow_headers(handler: BaseHTTPRequestHandler, _: bytes) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 50:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


@pytest.mark.parametrize("behaviour", [_drip, _slow_headers], ids=["slow-body", "slow-headers"])
def test_a_server_that_trickles_is_stopped_at_the_timeout(belkg, server, behaviour):
    server.routes["/sparql"] = behaviour
    started = time.monotonic()
    result = belkg("query", "-e", "ASK {}", "--endpoint", server.url(), "--timeout", "1")
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {server.url()}: the server did not finish answering within 1 s"]


def test_a_push_to_a_server_that_trickles_is_stopped(tiny_build, server):
    server.routes["/store"] = _drip
    started = time.monotonic()
    result = _push(tiny_build, server.url("/store"), "--timeout", "1")
    assert time.monotonic() - started < 10
    assert result.stderr.splitlines() == [
        f"Error: {server.url('/store')}: the server did not finish answering within 1 s"
    ]


def test_the_label_lookup_shares_the_timeout(belkg, server):
    """The table format asks the server for labels too: both requests within --timeout."""
    rows = json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "http://x/1"}}]}}
    ).encode()

    def slow(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        time.sleep(1.2)
        answer(rows)(handler, body)

    server.routes["/sparql"] = slow
    started = time.monotonic()
    result = belkg("query", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url(), "--timeout", "2")
    assert time.monotonic() - started < 4
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {server.url()}: the server did not finish answering within 2 s"]


# --- malformed answers ----------------------------------------------------------------------------

MALFORMED = [
    (b"{", RESULTS, "is not valid SPARQL results: Expecting property name enclosed in double quotes: line 1 column 2"),
    (b"[]", RESULTS, "is not valid SPARQL results: not a JSON object"),
    (
        b"<html>hi</html>",
        "text/html",
        "is not SPARQL JSON results, which a SELECT query needs (belkg asked for application/sparql-results+json)",
    ),
    (b'{"boolean": "yes"}', RESULTS, "is not valid SPARQL results: 'boolean' is not true or false"),
    (b'{"head": {"vars": ["x"]}}', RESULTS, "is not valid SPARQL results: no 'head' and 'results' objects"),
    (b'{"head": {"vars": 1}, "results": {"bindings": []}}', RESULTS, "'vars' is not a list of names"),
    (b'{"head": {}, "results": {"bindings": {}}}', RESULTS, "'bindings' is not a list of objects"),
    (b'{"head": {}, "results": {"bindings": [1]}}', RESULTS, "'bindings' is not a list of objects"),
    (
        b'{"head": {}, "results": {"bindings": [{"x": {"type": "weird", "value": "1"}}]}}',
        RESULTS,
        "is not valid SPARQL results: a term of unknown type 'weird'",
    ),
    (
        b'{"head": {}, "results": {"bindings": [{"x": {"type": "uri", "value": 3}}]}}',
        RESULTS,
        "a term is not an object with a string value",
    ),
    (
        b'{"head": {}, "results": {"bindings": [{"x": "plain"}]}}',
        RESULTS,
        "a term is not an object with a string value",
    ),
    (
        b'{"head": {}, "results": {"bindings": [{"x": {"type": "literal", "value": "1", "xml:lang": 5}}]}}',
        RESULTS,
        "a literal's datatype or language is not a string",
    ),
    (b'{"boolean": true, "x": "\xff"}', RESULTS, "is not valid SPARQL results: 'utf-8' codec can't decode byte 0xff"),
    (b"[" * 100000 + b"]" * 100000, RESULTS, "is not valid SPARQL results: maximum recursion depth exceeded"),
]


@pytest.mark.parametrize(("body", "content_type", "message"), MALFORMED, ids=[f"m{i}" for i in range(len(MALFORMED))])
def test_a_malformed_answer_is_one_line(belkg, server, body, content_type, message):
    server.routes["/sparql"] = answer(body, content_type)
    result = belkg("query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", server.url(), "--format", "json")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {server.url()}: the server's answer ({content_type}) ")
    assert message in line


GRAPH_ANSWERS = [
    (b"<http://a> <http://b> .\n", "application/n-triples", "is not valid application/n-triples"),
    (b"@prefix : <x> . :a :b", "text/turtle", "is not valid text/turtle"),
    (
        SELECT_ONE,
        RESULTS,
        "is not an RDF graph, which a CONSTRUCT query needs (belkg asked for N-Triples or Turtle)",
    ),
    (b"<html>s p o</html>", "text/html", "is not an RDF graph, which a CONSTRUCT query needs"),
]


@pytest.mark.parametrize(("body", "content_type", "message"), GRAPH_ANSWERS, ids=["nt", "ttl", "json", "html"])
def test_a_construct_answered_in_the_wrong_format_is_one_line(belkg, server, body, content_type, message):
    server.routes["/sparql"] = answer(body, content_type)
    result = belkg("query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", server.url(), "--format", "nt")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {server.url()}: the server's answer ({content_type}) ")
    assert message in line


GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"


@pytest.mark.parametrize(
    ("query", "accept", "fmt"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", "json"),
        ("ASK { ?s ?p ?o }", "application/sparql-results+json", "json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", GRAPH_ACCEPT, "nt"),
        ("DESCRIBE <http://a>", GRAPH_ACCEPT, "nt"),
        ("# SELECT in a comment\nCONSTRUCT { ?s ?p 'ASK' } WHERE { ?s ?p ?o }", GRAPH_ACCEPT, "nt"),
    ],
    ids=["select", "ask", "construct", "describe", "construct-after-comment"],
)
def test_accept_fits_the_query_form(belkg, server, query, accept, fmt):
    seen = []
    body, content_type = (b"<http://a> <http://b> <http://c> .\n", "application/n-triples")
    if fmt == "json":
        body, content_type = (ASK_TRUE if query.startswith("ASK") else SELECT_ONE), RESULTS

    def record(handler: BaseHTTPRequestHandler, request: bytes) -> None:
        seen.append(handler.headers["Accept"])
        answer(body, content_type)(handler, request)

    server.routes["/sparql"] = record
    result = belkg("query", "-e", query, "--endpoint", server.url(), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert seen == [accept]
    if fmt == "nt":
        assert result.stdout == "<http://a> <http://b> <http://c> .\n"


def test_non_ascii_in_string_literals_is_sent_as_escapes(belkg, server):
    server.routes["/sparql"] = answer(SELECT_ONE)
    result = belkg(
        "query", "-e", 'SELECT * WHERE { ?s ?p "Müller — 😀" }', "--endpoint", server.url(), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    sent = urllib.parse.parse_qs(server.requests[0][2].decode("ascii"))["query"]
    assert sent == ['SELECT * WHERE { ?s ?p "M\\u00FCller \\u2014 \\U0001F600" }']


def test_a_boolean_one_is_true(belkg, server):
    rows = {"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}},
        {"x": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "0"}},
    ]}}  # fmt: skip
    server.routes["/sparql"] = answer(json.dumps(rows).encode())
    result = belkg("query", "-e", "SELECT ?x WHERE { ?s ?p ?x }", "--endpoint", server.url(), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["x", "true", "false"]


@pytest.mark.parametrize(
    "raw",
    [b"HELLO\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", b"HTTP/1.1 abc OK\r\n\r\n", b""],
    ids=["not-http", "cut-short", "bad-status", "nothing"],
)
def test_a_malformed_http_answer_is_one_line(belkg, raw):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(raw)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = belkg("query", "-e", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "5")
    finally:
        thread.join(timeout=5)
        listener.close()
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: http://127.0.0.1:{port}/sparql: ")
    assert "Traceback" not in result.output


# --- push with credentials -----------------------------------------------------------------------

SECRET = "s3cret-Pa55"


def basic_only(user: str, password: str) -> Behaviour:
    """A store that takes an upload only with HTTP Basic credentials; it refuses (and
    closes) before reading a body, as Virtuoso does."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def behave(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if handler.headers.get("Authorization") != expected:
            handler.send_response(401)
            handler.send_header("WWW-Authenticate", 'Basic realm="store"')
            handler.send_header("Content-Type", "text/html")
            page = (
                b"<html><head><title>x</title></head><body><h1>HTTP/1.1 401 Unauthorized</h1>Bad password</body></html>"
            )
            handler.send_header("Content-Length", str(len(page)))
            handler.end_headers()
            handler.wfile.write(page)
            return
        answer(b"", "text/plain", 201)(handler, body)

    return behave


def digest_only(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    """A store that asks for HTTP Digest credentials and takes any Digest answer for alice."""
    sent = handler.headers.get("Authorization") or ""
    if sent.startswith("Digest ") and 'username="alice"' in sent and "response=" in sent:
        answer(b"", "text/plain", 201)(handler, body)
        return
    handler.send_response(401)
    handler.send_header("WWW-Authenticate", 'Digest realm="SPARQL", nonce="abc123", qop="auth", algorithm="MD5"')
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _authorized(server: Server) -> list[tuple[str, int]]:
    """(method, body length) of each request the store took: the probes have no body."""
    return [(method, len(body)) for method, _, body in server.requests]


def test_push_with_basic_credentials_from_options(tiny_build, server):
    server.routes["/store"] = basic_only("alice", SECRET)
    result = _push(tiny_build, server.url("/store"), "--replace", "--user", "alice", "--password", SECRET)
    assert result.exit_code == 0, result.output
    methods = _authorized(server)
    assert len(methods) == 6  # for each of the 3 graphs: a probe without a body, then the upload
    assert [(method, length == 0) for method, length in methods] == [("POST", True), ("PUT", False)] * 3
    assert SECRET not in result.output


def test_credentials_for_a_store_that_asks_none_never_send_an_empty_put(tiny_build, server):
    """An empty PUT would empty the graph: the probe adds nothing (an empty POST)."""
    server.routes["/store"] = answer(b"", "text/plain", 204)
    result = _push(tiny_build, server.url("/store"), "--replace", "--user", "alice", "--password", SECRET)
    assert result.exit_code == 0, result.output
    puts = [length for method, length in _authorized(server) if method == "PUT"]
    assert len(puts) == 3 and all(puts)


def test_push_with_basic_credentials_from_the_environment(tiny_build, server, monkeypatch):
    server.routes["/store"] = basic_only("alice", SECRET)
    monkeypatch.setenv("BELKG_USER", "alice")
    monkeypatch.setenv("BELKG_PASSWORD", SECRET)
    result = _push(tiny_build, server.url("/store"))
    assert result.exit_code == 0, result.output


def test_push_with_credentials_from_netrc(tiny_build, server, monkeypatch, tmp_path):
    server.routes["/store"] = basic_only("alice", SECRET)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.delenv("BELKG_USER", raising=False)
    monkeypatch.delenv("BELKG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    result = _push(tiny_build, server.url("/store"))
    assert result.exit_code == 0, result.output


def test_push_with_digest_credentials(tiny_build, server):
    server.routes["/store"] = digest_only
    result = _push(tiny_build, server.url("/store"), "--user", "alice", "--password", SECRET)
    assert result.exit_code == 0, result.output
    uploads = [body for _, _, body in server.requests if body]
    assert len(uploads) == 3


def test_wrong_credentials_are_refused_with_the_servers_words_and_no_password(tiny_build, server):
    server.routes["/store"] = basic_only("alice", SECRET)
    result = _push(tiny_build, server.url("/store"), "--user", "alice", "--password", "wrong-one")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {server.url('/store')}: the server refused the upload of ")
    assert line.endswith(
        ": HTTP 401 Unauthorized: Bad password; it asks for credentials: give --user and --password, or set "
        "BELKG_USER and BELKG_PASSWORD, or add the host to ~/.netrc (wrong ones are refused the same way)"
    )
    assert "wrong-one" not in result.output


def test_a_password_without_a_user_is_a_usage_error(tiny_build, server):
    result = _push(tiny_build, server.url("/store"), "--password", SECRET)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: a password is given without a user name: give --user or set BELKG_USER"
    ]
    assert server.requests == []


def test_a_user_without_a_password_is_a_usage_error(tiny_build, server, monkeypatch, tmp_path):
    monkeypatch.delenv("BELKG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    result = _push(tiny_build, server.url("/store"), "--user", "alice")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: no password for 'alice': give --password, set BELKG_PASSWORD, or add the host to ~/.netrc"
    ]
