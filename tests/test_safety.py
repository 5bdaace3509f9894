"""Unsafe queries are refused, local work cannot reach the network, runaway queries stop."""

from __future__ import annotations

import socket
import threading
import urllib.request

import pytest
from click.testing import CliRunner

from belkg.cli import cli
from belkg.errors import BelkgError
from belkg.safety import check_query, no_network


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(0.5)
                try:
                    received.append(connection.recv(4096))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=2)
    server.close()


GRAPHS = {"https://w3id.org/belkg/graph/entities"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT is refused: belkg queries are read-only"),
        ("PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "DELETE is refused: belkg queries are read-only"),
        ("LOAD <http://example.org/data.ttl>", "LOAD is refused: belkg queries are read-only"),
        ("CLEAR ALL", "CLEAR is refused: belkg queries are read-only"),
        ("DROP GRAPH <http://x>", "DROP is refused: belkg queries are read-only"),
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
            "SERVICE is refused: it would query another server; use --allow-network to allow it",
        ),
        (
            "select * where { service silent <http://x/> { ?s ?p ?o } }",
            "SERVICE is refused: it would query another server; use --allow-network to allow it",
        ),
        (
            "SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }",
            "FROM <http://example.org/remote> is refused: the build has no such graph, and fetching it would use "
            "the network; use --allow-network to allow it",
        ),
        (
            "PREFIX ex: <http://example.org/> SELECT * FROM NAMED ex:g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "FROM <http://example.org/g> is refused: the build has no such graph, and fetching it would use "
            "the network; use --allow-network to allow it",
        ),
        (  # the '#' of an IRI is not a comment hiding the rest of the line
            "PREFIX bk: <https://w3id.org/belkg/ontology#> SELECT * FROM <http://example.org/remote> { ?s ?p ?o }",
            "FROM <http://example.org/remote> is refused: the build has no such graph, and fetching it would use "
            "the network; use --allow-network to allow it",
        ),
    ],
    ids=[
        "insert",
        "delete",
        "load",
        "clear",
        "drop",
        "service",
        "service-silent",
        "from",
        "from-named",
        "from-after-an-iri-with-hash",
    ],
)
def test_unsafe_queries_are_refused(query, message):
    with pytest.raises(BelkgError) as caught:
        check_query(query, GRAPHS)
    assert caught.value.message == message


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://x/>",
        "SELECT * FROM <https://w3id.org/belkg/graph/entities> WHERE { ?s ?p ?o }",
        "SELECT ?insert WHERE { ?insert ?p ?o }",
    ],
)
def test_look_alikes_are_not_refused(query):
    check_query(query, GRAPHS)


def test_service_is_refused_by_the_cli_and_nothing_is_sent(belkg, listener):
    port, received = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    for engine in ("oxigraph", "rdflib"):
        result = belkg("query", "-e", query, "--engine", engine)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "Error: -e: SERVICE is refused: it would query another server; use --allow-network to allow it"
        )
    assert received == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_allow_network_lets_service_through(project, session_cache, built, listener, engine):
    port, received = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    base = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", "--allow-network"]
    result = CliRunner().invoke(cli, [*base, "query", "-e", query, "--engine", engine, "--timeout", "10"])
    assert "refused" not in result.stderr
    assert received, "the listener got no connection"
    assert received[0].startswith(b"POST ") or received[0].startswith(b"GET ")


def test_the_audit_hook_refuses_python_network_access(listener):
    port, received = listener
    with no_network(), pytest.raises(BelkgError, match=r"network access refused \(urllib.Request"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
    with no_network(), pytest.raises(BelkgError, match=r"network access refused \(socket"):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert received == []


def test_a_runaway_query_is_stopped(belkg):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for engine in ("oxigraph", "rdflib"):
        result = belkg("query", "-e", runaway, "--timeout", "1", "--engine", engine)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "Error: -e: the query ran longer than 1 s and was stopped; raise --timeout or narrow the query"
        )
