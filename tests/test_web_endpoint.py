"""belkg serve's /sparql against the local engine: every saved query gives the same rows
through `belkg query --endpoint` and through an independent client (SPARQLWrapper)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pytest

from belkg.catalogue import read_saved_query
from belkg.querying import prepare, run
from belkg.remote import EndpointEngine

from helpers import belkg_server

# One server per module: its tests stay on one worker.
pytestmark = [pytest.mark.xdist_group("web-endpoint"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SAVED = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def endpoint(project, session_cache, built, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with belkg_server(project.root, session_cache, log) as base:
        yield f"{base}/sparql"


def _unordered(value: str) -> str:
    """A GROUP_CONCAT of quotes (conflicts.rq) with its parts sorted: SPARQL leaves their
    order to the store, and an in-memory store orders them otherwise than one on disk."""
    return " … ".join(sorted(value.split(" … ")))


def _rows(result) -> list[list[tuple[str, str, str | None, str | None]]]:
    return sorted(
        sorted((name, _unordered(term.value), term.datatype, term.language) for name, term in row.items())
        for row in result.rows
    )


def _variants(query) -> list[dict[str, str]]:
    variants: list[dict[str, str]] = [{}]
    example = {p.name: p.example for p in query.params if p.example is not None}
    if example:
        variants.append(example)
    return variants


@pytest.mark.parametrize("path", SAVED, ids=[p.stem for p in SAVED])
def test_every_saved_query_gives_the_local_rows(path, endpoint, engines):
    query = read_saved_query(path)
    remote = EndpointEngine(endpoint)
    for params in _variants(query):
        assert _rows(run(remote, query, params)) == _rows(run(engines["oxigraph"], query, params))


@pytest.mark.parametrize("path", SAVED, ids=[p.stem for p in SAVED])
def test_sparqlwrapper_gets_the_local_rows(path, endpoint, engines):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    query = read_saved_query(path)
    local = run(engines["oxigraph"], query, {})
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(prepare(query, {}))
    client.setReturnFormat(JSON)
    if local.kind == "graph":
        pytest.skip("a CONSTRUCT query: SPARQLWrapper's JSON is for SELECT and ASK")
    with warnings.catch_warnings():
        # SPARQLWrapper reads the query form from the text, comments included: a comment
        # that says "describe" makes it warn that it sends Accept */* (and then it does).
        warnings.filterwarnings("ignore", "Sending Accept header", RuntimeWarning)
        answer = client.query().convert()
    assert isinstance(answer, dict)
    if local.kind == "ask":
        assert answer["boolean"] == local.boolean
        return
    remote = sorted(
        sorted((name, _unordered(cell["value"])) for name, cell in binding.items())
        for binding in answer["results"]["bindings"]
    )
    assert remote == sorted(sorted((name, _unordered(term.value)) for name, term in row.items()) for row in local.rows)


def test_query_command_with_this_endpoint(endpoint, belkg):
    local = belkg("query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "tsv")
    remote = belkg(
        "query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "tsv", "--endpoint", endpoint
    )
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert len(local.stdout.splitlines()) > 1


def _get(url: str, accept: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_a_refused_query_is_one_line_and_the_server_keeps_serving(endpoint, belkg):
    result = belkg(
        "query", "-e", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", "--endpoint", endpoint
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {endpoint}: the server refused the query: HTTP 400 Bad Request")
    assert len(result.stderr.strip().splitlines()) == 1
    status, _, body = _get(f"{endpoint}?query={urllib.parse.quote('ASK {}')}", "application/sparql-results+json")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})


def test_a_query_over_the_time_limit_is_stopped(project, session_cache, tmp_path):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    # 5 s: time enough for the ASK after it on a loaded machine
    with belkg_server(project.root, session_cache, tmp_path / "log", "--timeout", "5") as base:
        status, media, body = _get(f"{base}/sparql?query={urllib.parse.quote(slow)}", "application/json")
        assert status == 400
        assert media == "application/json"
        assert json.loads(body) == {
            "error": "query: the query ran longer than 5 s and was stopped; raise --timeout or narrow the query",
            "status": 400,
        }
        assert _get(f"{base}/sparql?query={urllib.parse.quote('ASK {}')}", "text/csv")[:2] == (
            200,
            "text/csv; charset=utf-8",
        )


def test_listening_beyond_this_machine_is_said(project, session_cache, tmp_path):
    log = tmp_path / "log"
    with belkg_server(project.root, session_cache, log, "--host", "0.0.0.0") as base:
        assert _get(f"{base}/sparql?query={urllib.parse.quote('ASK {}')}", "text/csv")[0] == 200
    assert log.read_text().splitlines()[0] == (
        "Warning: listening on 0.0.0.0, not only 127.0.0.1: anyone who can reach this machine on the port can "
        "read the graph and run queries (read-only, within the limits)"
    )
