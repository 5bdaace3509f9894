"""Against a real Oxigraph server: push the export by the Graph Store Protocol, then run
every saved query through --endpoint and get the local engine's rows."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from belkg.catalogue import read_saved_query
from belkg.querying import run
from belkg.remote import EndpointEngine
from stores import missing

from helpers import free_port, running

ROOT = Path(__file__).resolve().parent.parent
SAVED = sorted((ROOT / "queries").glob("*.rq"))


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        missing("the oxigraph server (PyPI package oxigraph)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server on a free port of 127.0.0.1, its data in a temporary folder."""
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    log = folder.parent / f"{folder.name}.log"
    command = [_oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with running(command, log, f"{base}/query?query=ASK%7B%7D", 20, "oxigraph"):
        yield base


@pytest.fixture(scope="module")
def pushed(server, belkg):
    result = belkg("push", "--endpoint", f"{server}/store", "--replace")
    assert result.exit_code == 0, result.output
    return server


def _count(endpoint: str) -> int:
    result = EndpointEngine(f"{endpoint}/query").run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(result.rows[0]["n"].value)


def test_push_uploads_every_graph(pushed, built):
    assert _count(pushed) == len(list(built.dataset.quads((None, None, None, None))))
    names = EndpointEngine(f"{pushed}/query").run("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {row["g"].value for row in names.rows} == {str(g.identifier) for g in built.dataset.graphs() if len(g)}


def test_push_replace_is_idempotent(pushed, belkg, built):
    assert belkg("push", "--endpoint", f"{pushed}/store", "--replace").exit_code == 0
    assert _count(pushed) == len(list(built.dataset.quads((None, None, None, None))))


def _rows(result) -> list[list[tuple[str, str, str | None, str | None]]]:
    return sorted(
        sorted((name, term.value, term.datatype, term.language) for name, term in row.items()) for row in result.rows
    )


@pytest.mark.parametrize("path", SAVED, ids=[p.stem for p in SAVED])
def test_every_saved_query_gives_the_local_rows_on_the_server(path, pushed, engines):
    query = read_saved_query(path)
    remote = EndpointEngine(f"{pushed}/query")
    variants = [{}]
    example = {p.name: p.example for p in query.params if p.example is not None}
    if example:
        variants.append(example)
    for params in variants:
        local = run(engines["oxigraph"], query, params)
        assert _rows(run(remote, query, params)) == _rows(local)


def test_query_command_with_endpoint_and_parameter(pushed, belkg):
    local = belkg("query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "tsv")
    remote = belkg(
        "query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "tsv",
        "--endpoint", f"{pushed}/query",
    )  # fmt: skip
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_refused_query_is_one_line(pushed, belkg):
    result = belkg("query", "-e", "SELECT ?x WHERE { ?x }", "--endpoint", f"{pushed}/query")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {pushed}/query: the server refused the query: HTTP 400 Bad Request")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_server(belkg):
    port = free_port()
    result = belkg("push", "--endpoint", f"http://127.0.0.1:{port}/store")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: http://127.0.0.1:{port}/store: cannot reach the server: [Errno 111] Connection refused"
    )


def test_not_an_http_endpoint(belkg):
    result = belkg("query", "negotiators", "--endpoint", "file:///etc/passwd")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: file:///etc/passwd: an endpoint must be an http:// or https:// URL"


def test_the_readme_oxigraph_commands_work(pushed, belkg):
    from test_readme import _commands

    commands = [words for words in _commands(with_endpoint=True) if any("127.0.0.1:7878" in w for w in words)]
    assert len(commands) >= 3
    port = pushed.rsplit(":", 1)[1]
    for words in commands:
        result = belkg(*[word.replace("127.0.0.1:7878", f"127.0.0.1:{port}") for word in words])
        assert result.exit_code == 0, (words, result.output)
