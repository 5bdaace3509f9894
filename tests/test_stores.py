"""The same answers on every real store: push the build into Virtuoso and Jena TDB2 (each
started here, on 127.0.0.1, with a throwaway database), run every saved query with its
defaults and its example through --endpoint, and compare the rows with the local run
term by term: kind, value, datatype and language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from belkg.catalogue import read_saved_query
from belkg.engines import QueryResult
from belkg.querying import run
from belkg.remote import EndpointEngine
from stores import STARTERS, Store

ROOT = Path(__file__).resolve().parent.parent
SAVED = sorted((ROOT / "queries").glob("*.rq"))
STORES = ("virtuoso", "jena")


@pytest.fixture(scope="module", params=STORES)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with STARTERS[request.param](tmp_path_factory.mktemp(request.param)) as started:
        yield started


@pytest.fixture(scope="module")
def loaded(store: Store, belkg: Any) -> Store:
    args = ["push", "--endpoint", store.store_url, "--replace"]
    if store.user:
        args += ["--user", store.user, "--password", str(store.password)]
    result = belkg(*args)
    assert result.exit_code == 0, result.output
    return store


def typed_rows(result: QueryResult) -> list[list[tuple[str, str, list[str], str | None, str | None]]]:
    """Rows as sorted lists of (variable, kind, value, datatype, language). SPARQL leaves
    the order of GROUP_CONCAT's parts to the engine, so a value is its sorted words."""
    return sorted(
        sorted((name, t.kind, sorted(t.value.split()), t.datatype, t.language) for name, t in row.items())
        for row in result.rows
    )


def cases() -> list[tuple[Path, dict[str, str]]]:
    found = []
    for path in SAVED:
        query = read_saved_query(path)
        found.append((path, {}))
        example = {p.name: p.example for p in query.params if p.example is not None}
        if example:
            found.append((path, example))
    return found


CASES = cases()


def test_push_loads_every_triple(loaded: Store, built: Any) -> None:
    count = EndpointEngine(loaded.query_url).run(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/belkg/')) }"
    )
    assert int(count.rows[0]["n"].value) == len(list(built.dataset.quads((None, None, None, None))))


@pytest.mark.parametrize(
    ("path", "params"), CASES, ids=[f"{p.stem}{'-example' if params else ''}" for p, params in CASES]
)
def test_every_saved_query_gives_the_local_terms_on_the_store(
    path: Path, params: dict[str, str], loaded: Store, engines: dict[str, Any]
) -> None:
    query = read_saved_query(path)
    local = typed_rows(run(engines["oxigraph"], query, params))
    remote = typed_rows(run(EndpointEngine(loaded.query_url), query, params))
    assert remote == local
