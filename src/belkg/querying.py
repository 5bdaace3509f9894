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
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", target) from None
        if any(line.startswith("#+") for line in text.splitlines()):
            return parse_saved_query(text, path.stem, path, target)
        return SavedQuery(name=path.stem, summary="", description="", text=text, path=path)
    return find_saved_query(project.queries_dir, target, cache_dir=header_cache)


def prepare(query: SavedQuery, params: dict[str, str]) -> str:
    """The query text with its parameters bound."""
    return apply_bindings(query.text, bind_parameters(query, params))


def run(engine: Engine, query: SavedQuery, params: dict[str, str] | None = None) -> QueryResult:
    text = prepare(query, params or {})
    where = str(query.path) if query.path else query.name
    return engine.run(text, where)  # type: ignore[call-arg]


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
