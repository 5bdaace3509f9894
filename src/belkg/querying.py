"""Run a query against a build: a saved one by name, a .rq file, or inline text."""

from __future__ import annotations

from pathlib import Path

from belkg.binding import apply_bindings, bind_parameters
from belkg.build.cache import CacheEntry
from belkg.catalogue import SavedQuery, find_saved_query, parse_saved_query
from belkg.engines import ENGINES, Engine, OxigraphEngine, QueryResult, RdflibEngine
from belkg.errors import BelkgError, check_utf8
from belkg.limits import DEFAULT_MEMORY_MIB, within
from belkg.prefixes import PREFIXES
from belkg.project import Project
from belkg.records import TYPE_CHECKING
from belkg.results import Labels

if TYPE_CHECKING:
    from typing import BinaryIO

    from belkg.user_data import UserData

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
    extra: UserData | None = None,
    in_memory: bool = False,
    kept: Path | None = None,
) -> Engine:
    """An engine over a build, its queries passed by a gate that allows the network only
    if asked (and keeps its verdicts in checks_cache, if given); with `extra`, the
    user's own statements beside the build's graphs (see belkg.user_data); Oxigraph's
    store copied into memory if asked; slow queries' results kept in the folder `kept`
    and read back (Oxigraph, without `extra`; see belkg.kept_results)."""
    if name == "oxigraph":
        return OxigraphEngine(
            entry.store_dir,
            inference=inference,
            allow_network=allow_network,
            checks_cache=checks_cache,
            extra=extra,
            nquads=entry.dataset_file,
            in_memory=in_memory,
            kept=kept,
        )
    if name == "rdflib":
        return RdflibEngine(
            entry.dataset_file,
            inference=inference,
            allow_network=allow_network,
            checks_cache=checks_cache,
            extra=extra,
        )
    raise BelkgError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


STDIN = "stdin"


def resolve_query(
    project: Project,
    target: str | None,
    inline: str | None,
    header_cache: Path | None = None,
    *,
    file: str | None = None,
    stdin: BinaryIO | None = None,
) -> SavedQuery:
    """The query to run: inline text (-e), a file (--file, or a NAME ending in .rq or
    naming a file), standard input (NAME `-`, read from `stdin`), or a saved query's
    name (its parsed header kept in header_cache, if given). A file's or stdin's `#+`
    header, if it has one, is read as a saved query's."""
    given = [choice for choice in (target, inline, file) if choice is not None]
    if len(given) > 1:
        raise BelkgError("give one query: a name, a file (or --file), - for stdin, or -e TEXT")
    if inline is not None:
        return SavedQuery(name="-e", summary="", description="", text=check_utf8(inline, "-e"))
    if file is None and target is None:
        raise BelkgError("which query? give a saved query's name, a .rq file, - for stdin, or -e TEXT")
    if file is None and target == "-":
        data = stdin.read() if stdin is not None else b""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BelkgError(f"not UTF-8 text (byte {error.start})", STDIN) from None
        return _query_text(text, STDIN, None)
    name = file if file is not None else target
    assert name is not None
    path = Path(name)
    if file is not None or name.endswith(".rq") or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise BelkgError(f"not UTF-8 text (byte {error.start})", name) from None
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", name) from None
        return _query_text(text, name, path)
    return find_saved_query(project.queries_dir, name, cache_dir=header_cache)


def _query_text(text: str, shown: str, path: Path | None) -> SavedQuery:
    """A query read from a file or stdin: a saved query if it has a `#+` header."""
    name = path.stem if path is not None else shown
    if any(line.startswith("#+") for line in text.splitlines()):
        return parse_saved_query(text, name, path, shown)
    return SavedQuery(name=name, summary="", description="", text=text, path=path)


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
    if text != query.text:
        engine.gate.vouch(text, query.text, where)
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


def build_warning(entry: CacheEntry) -> str | None:
    """A warning line for a query on a build that failed validation, else None."""
    try:
        count = len(entry.findings())
    except (OSError, ValueError):
        return None
    if not count:
        return None
    return f"warning: the build does not conform ({count} finding{'s' if count != 1 else ''}); run belkg validate"


def _mentioned(engine: Engine, iri: str) -> bool:
    term = f"<{iri}>"
    patterns = (f"{term} ?p ?o", f"?s ?p {term}", f"?s {term} ?o", f"GRAPH {term} {{ ?a ?b ?c }}")
    text = "ASK { " + " UNION ".join(f"{{ {pattern} }}" for pattern in patterns) + " }"
    return bool(engine.run(text).boolean)


def _nearest(engine: Engine, iri: str) -> list[str]:
    """The IRIs of the graph in the same namespace whose names are closest to iri's."""
    import difflib

    namespace = next((ns for ns in sorted(PREFIXES.values(), key=len, reverse=True) if iri.startswith(ns)), None)
    if namespace is None:
        return []
    text = (
        "SELECT DISTINCT ?thing WHERE { ?thing ?p ?o FILTER (isIRI(?thing) && "
        f'STRSTARTS(STR(?thing), "{namespace}")) }}'
    )
    names = {row["thing"].value[len(namespace) :]: row["thing"].value for row in engine.run(text).rows}
    close = difflib.get_close_matches(iri[len(namespace) :], list(names), n=3, cutoff=0.5)
    return [names[name] for name in close]


def parameter_notes(engine: Engine, query: SavedQuery, params: dict[str, str]) -> list[str]:
    """A note for each IRI parameter given a value that the graph does not mention,
    with the closest names it does."""
    from belkg.binding import parse_value
    from belkg.prefixes import shorten

    notes = []
    for name, raw in params.items():
        param = query.param(name)
        if param is None or param.type != "iri":
            continue
        iri = parse_value(param, raw).value
        if _mentioned(engine, iri):
            continue
        nearest = _nearest(engine, iri)
        shown = [shorten(other) for other in nearest]
        hint = f"; did you mean {' or '.join([', '.join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)}?"
        notes.append(f"note: {shorten(iri)} is not in the graph{hint if shown else ''}")
    return notes


def inference_notes(whole: Engine, query: SavedQuery) -> list[str]:
    """For a query run without inference: a note naming the types and properties it
    uses that only the derived graphs hold (found on `whole`, an engine with them)."""
    from belkg.inference_gaps import inference_gap

    note = inference_gap(whole, query.text).note()
    return [note] if note else []


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
