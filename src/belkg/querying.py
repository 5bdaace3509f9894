"""Run a query against a build: a saved one by name, a .rq file, or inline text."""

from __future__ import annotations

from pathlib import Path

from belkg.binding import apply_bindings, bind_parameters
from belkg.cache import CacheEntry
from belkg.catalogue import SavedQuery, find_saved_query, parse_saved_query
from belkg.engines import ENGINES, Engine, OxigraphEngine, QueryResult, RdflibEngine
from belkg.errors import BelkgError
from belkg.prefixes import PREFIXES
from belkg.project import Project
from belkg.results import Labels

_LABEL_PROPERTIES = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label")


def open_engine(entry: CacheEntry, name: str = "oxigraph", *, inference: bool = True) -> Engine:
    if name == "oxigraph":
        return OxigraphEngine(entry.store_dir, inference=inference)
    if name == "rdflib":
        return RdflibEngine(entry.dataset_file, inference=inference)
    raise BelkgError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def resolve_query(
    project: Project, target: str | None, inline: str | None, header_cache: Path | None = None
) -> SavedQuery:
    """The query to run: inline text (-e), a .rq file, or a saved query's name (its
    parsed header kept in header_cache, if given)."""
    if inline is not None:
        if target is not None:
            raise BelkgError("give either a query name or file, or -e TEXT, not both")
        return SavedQuery(name="-e", summary="", description="", text=inline)
    if target is None:
        raise BelkgError("which query? give a saved query's name, a .rq file, or -e TEXT")
    path = Path(target)
    if target.endswith(".rq") or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise BelkgError(f"not UTF-8 text (byte {error.start})", target) from None
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", target) from None
        if any(line.startswith("#+") for line in text.splitlines()):
            return parse_saved_query(text, path.stem, path, target)
        return SavedQuery(name=path.stem, summary="", description="", text=text, path=path)
    return find_saved_query(project.queries_dir, target, cache_dir=header_cache)


def prepare(query: SavedQuery, params: dict[str, str]) -> str:
    """The query text with its parameters bound."""
    return apply_bindings(query.text, bind_parameters(query, params))


def run(
    engine: Engine, query: SavedQuery, params: dict[str, str] | None = None, *, timeout: float | None = None
) -> QueryResult:
    """Run a query with its parameters bound; with a timeout, in a child process that is
    stopped when the time is up."""
    text = prepare(query, params or {})
    where = str(query.path) if query.path else query.name
    if timeout is None:
        return engine.run(text, where)  # type: ignore[call-arg]
    return run_limited(engine, text, timeout, where)


def run_limited(engine: Engine, text: str, seconds: float, where: str | None = None) -> QueryResult:
    """Run the query in a forked child and kill it after `seconds`: neither engine can
    be interrupted from Python while it evaluates. Without fork, run it directly."""
    import os

    if not hasattr(os, "fork") or getattr(engine, "name", "") == "endpoint":
        return engine.run(text, where)  # type: ignore[call-arg]
    import pickle
    import select
    import signal
    import time

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        os.close(read_end)
        try:
            try:
                outcome: tuple[object, ...] = ("ok", engine.run(text, where))  # type: ignore[call-arg]
            except BelkgError as error:
                outcome = ("error", error.message, error.location)
            except BaseException as error:  # the child must always report and exit
                outcome = ("error", f"the query failed: {type(error).__name__}: {error}", where)
            with os.fdopen(write_end, "wb") as stream:
                stream.write(pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + seconds
    with os.fdopen(read_end, "rb", buffering=0) as stream:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
                raise BelkgError(
                    f"the query ran longer than {seconds:g} s and was stopped; raise --timeout or narrow the query",
                    where,
                )
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(child, 0)
    if not chunks:
        raise BelkgError("the query process ended without a result", where)
    outcome = pickle.loads(b"".join(chunks))
    if outcome[0] == "error":
        raise BelkgError(str(outcome[1]), None if outcome[2] is None else str(outcome[2]))
    assert isinstance(outcome[1], QueryResult)
    return outcome[1]


def labels_for(engine: Engine, result: QueryResult) -> Labels:
    """The preferred label (else rdfs:label) of every IRI in a SELECT result."""
    iris = sorted({term.value for row in result.rows for term in row.values() if term.is_iri})
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris)
    text = (
        f"SELECT ?thing ?property ?label WHERE {{ VALUES ?thing {{ {values} }} "
        f"VALUES ?property {{ {' '.join(f'<{p}>' for p in _LABEL_PROPERTIES)} }} "
        "?thing ?property ?label . "
        'FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }'
    )
    found: dict[str, dict[str, str]] = {}
    for row in engine.run(text).rows:
        found.setdefault(row["thing"].value, {})[row["property"].value] = row["label"].value
    return {iri: next(props[p] for p in _LABEL_PROPERTIES if p in props) for iri, props in found.items()}
