"""Run a query against a build: a saved one by name, a .rq file, or inline text."""

from __future__ import annotations

from pathlib import Path

from belkg.binding import apply_bindings, bind_parameters
from belkg.cache import CacheEntry
from belkg.catalogue import SavedQuery, find_saved_query, parse_saved_query
from belkg.engines import ENGINES, Engine, OxigraphEngine, QueryResult, RdflibEngine
from belkg.errors import BelkgError, check_utf8
from belkg.limits import DEFAULT_MEMORY_MIB, within
from belkg.prefixes import PREFIXES
from belkg.project import Project
from belkg.results import Labels

_LABEL_PROPERTIES = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label")
# One text for every lookup (not a VALUES block of the result's IRIs), so the gate's
# verdict on it is cached and its cost does not grow with the result.
_LABELS = (
    "SELECT ?thing ?property ?label WHERE { "
    f"VALUES ?property {{ {' '.join(f'<{p}>' for p in _LABEL_PROPERTIES)} }} "
    "?thing ?property ?label . FILTER (isIRI(?thing)) "
    'FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }'
)


def open_engine(
    entry: CacheEntry,
    name: str = "oxigraph",
    *,
    inference: bool = True,
    allow_network: bool = False,
    checks_cache: Path | None = None,
) -> Engine:
    """An engine over a build, its queries passed by a gate that allows the network only
    if asked (and keeps its verdicts in checks_cache, if given)."""
    if name == "oxigraph":
        return OxigraphEngine(
            entry.store_dir, inference=inference, allow_network=allow_network, checks_cache=checks_cache
        )
    if name == "rdflib":
        return RdflibEngine(
            entry.dataset_file, inference=inference, allow_network=allow_network, checks_cache=checks_cache
        )
    raise BelkgError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def resolve_query(
    project: Project, target: str | None, inline: str | None, header_cache: Path | None = None
) -> SavedQuery:
    """The query to run: inline text (-e), a .rq file, or a saved query's name (its
    parsed header kept in header_cache, if given)."""
    if inline is not None:
        if target is not None:
            raise BelkgError("give either a query name or file, or -e TEXT, not both")
        return SavedQuery(name="-e", summary="", description="", text=check_utf8(inline, "-e"))
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
    stopped when the time is up (see belkg.limits)."""
    text = prepare(query, params or {})
    where = str(query.path) if query.path else query.name
    if timeout is None:
        return engine.run(text, where)
    return within(lambda: engine.run(text, where), timeout, DEFAULT_MEMORY_MIB, where)


def answer(engine: Engine, query: SavedQuery, params: dict[str, str], *, labels: bool) -> tuple[QueryResult, Labels]:
    """A query's result and, if asked, the labels of the IRIs in it: the work of `belkg
    query`, to be run under one limit."""
    result = run(engine, query, params)
    return result, labels_for(engine, result) if labels and result.kind == "select" else {}


def labels_for(engine: Engine, result: QueryResult) -> Labels:
    """The preferred label (else rdfs:label) of every IRI in a SELECT result."""
    iris = sorted({term.value for row in result.rows for term in row.values() if term.is_iri})
    if not iris:
        return {}
    if isinstance(engine, OxigraphEngine):
        return _looked_up_labels(engine, iris)
    wanted = set(iris)
    text = _LABELS
    if engine.name == "endpoint":  # a server's graph may be big: ask for these IRIs only
        values = " ".join(f"<{iri}>" for iri in iris)
        text = text.replace("WHERE { ", f"WHERE {{ VALUES ?thing {{ {values} }} ", 1)
    found: dict[str, dict[str, str]] = {}
    for row in engine.run(text).rows:
        if row["thing"].value in wanted:
            found.setdefault(row["thing"].value, {})[row["property"].value] = row["label"].value
    return {iri: next(props[p] for p in _LABEL_PROPERTIES if p in props) for iri, props in found.items()}


def _looked_up_labels(engine: OxigraphEngine, iris: list[str]) -> Labels:
    """labels_for by index lookups, one subject at a time: at a million triples the one
    query over every label costs more than the query whose result it labels."""
    labels: Labels = {}
    for iri in iris:
        for prop in _LABEL_PROPERTIES:
            found = sorted(
                term.value
                for term in engine.values(iri, prop)
                if term.kind == "literal" and (not term.language or term.language.lower().split("-")[0] == "en")
            )
            if found:
                labels[iri] = found[-1]
                break
    return labels
