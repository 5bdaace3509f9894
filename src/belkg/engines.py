"""Query engines over a build: pyoxigraph (the default, fast) and rdflib (the reference).

Both return the same QueryResult of plain terms. With inference, a query's default graph
is the union of every graph of the build; without, only the hand-written (asserted)
graphs: ontology, register and documents. A query with FROM or FROM NAMED reads exactly
the graphs it names, as SPARQL says. Every query passes the safety gate first
(`belkg.safety.Gate`): `run` is the only way in.
"""

from __future__ import annotations

import time
from pathlib import Path

from belkg.errors import BelkgError
from belkg.prefixes import DERIVED_GRAPHS
from belkg.records import TYPE_CHECKING
from belkg.safety import Checked, Gate
from belkg.terms import Term

if TYPE_CHECKING:
    from typing import Any, Protocol

    from belkg.kept_results import Shelf
    from belkg.user_data import UserData
else:
    Protocol = object  # Engine is the type checker's protocol; at run time typing is not loaded

ENGINES = ("oxigraph", "rdflib")


class QueryResult:
    """The result of a SELECT (variables, rows), ASK (boolean) or CONSTRUCT/DESCRIBE (triples).

    A plain class, as the other records on the query path are named tuples: the
    dataclasses module (and the inspect module it loads) would cost a one-shot `belkg
    query` more than its query does."""

    __slots__ = ("boolean", "kind", "rows", "triples", "variables")

    def __init__(
        self,
        kind: str,
        variables: list[str] | None = None,
        rows: list[dict[str, Term]] | None = None,
        boolean: bool | None = None,
        triples: list[tuple[Term, Term, Term]] | None = None,
    ) -> None:
        self.kind = kind
        self.variables: list[str] = [] if variables is None else variables
        self.rows: list[dict[str, Term]] = [] if rows is None else rows
        self.boolean = boolean
        self.triples: list[tuple[Term, Term, Term]] = [] if triples is None else triples

    def _fields(self) -> tuple[object, ...]:
        return (self.kind, self.variables, self.rows, self.boolean, self.triples)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass without frozen=True

    def __repr__(self) -> str:
        return (
            f"QueryResult(kind={self.kind!r}, variables={self.variables!r}, rows={self.rows!r}, "
            f"boolean={self.boolean!r}, triples={self.triples!r})"
        )


class Engine(Protocol):
    name: str
    gate: Gate

    def run(self, text: str, where: str | None = None) -> QueryResult: ...


def _syntax_error(error: Exception, where: str | None) -> BelkgError:
    message = " ".join(str(error).split())
    return BelkgError(f"invalid SPARQL: {message}", where)


def from_oxigraph(term: Any) -> Term:
    """A pyoxigraph term as a plain Term."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return Term.iri(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term.literal(term.value, term.datatype.value, term.language)
    raise BelkgError(f"unsupported term in result: {term!r}")  # RDF-star triples


class OxigraphEngine:
    """Queries the Oxigraph store the build cache holds, opened read-only."""

    name = "oxigraph"

    def __init__(
        self,
        store_dir: Path,
        *,
        inference: bool = True,
        allow_network: bool = False,
        checks_cache: Path | None = None,
        extra: UserData | None = None,
        nquads: Path | None = None,
        in_memory: bool = False,
        kept: Path | None = None,
    ) -> None:
        """With `extra` (the user's own statements), the build's N-Quads (`nquads`) and
        those are loaded into a store in memory, for this engine only. With `kept` (a
        folder), slow queries' results are kept there and read back (belkg.kept_results);
        not with `extra`, which is this engine's alone."""
        import pyoxigraph

        self._ox = pyoxigraph
        if extra is None or nquads is None:
            self._store = pyoxigraph.Store.read_only(str(store_dir))
            if in_memory:  # a long-running server: queries 3-8x faster than on disk
                memory = pyoxigraph.Store()
                memory.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
                self._store = memory
        else:
            self._store = pyoxigraph.Store()
            self._store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
            self._store.bulk_load(extra.nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        self.inference = inference
        self.graphs = [graph for graph in self._store.named_graphs() if inference or graph.value not in DERIVED_GRAPHS]
        self.gate = Gate((graph.value for graph in self.graphs), allow_network=allow_network, cache_dir=checks_cache)
        self.shelf: Shelf | None = None
        if kept is not None and extra is None:
            from belkg.kept_results import Shelf

            self.shelf = Shelf(kept, store_dir.parent.name, inference)

    def values(self, subject: str, predicate: str) -> list[Term]:
        """The objects of one subject and predicate in the graphs a query reads by default
        (all, or the asserted ones without inference): an index lookup, not a query, so
        its cost follows the answer, not the size of the graph."""
        ox = self._ox
        graphs = None if self.inference else set(self.graphs)
        found = {
            quad.object
            for quad in self._store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
            if graphs is None or quad.graph_name in graphs
        }
        return [from_oxigraph(term) for term in found]

    def run(self, text: str, where: str | None = None) -> QueryResult:
        checked = self.gate.check(text, where)
        if self.shelf is None:
            return self._run(checked, where)
        kept = self.shelf.read(checked.text)
        if kept is not None:
            return kept
        began = time.perf_counter()
        result = self._run(checked, where)
        self.shelf.keep(checked.text, result, time.perf_counter() - began)
        return result

    def _run(self, checked: Checked, where: str | None) -> QueryResult:
        ox = self._ox
        options: dict[str, Any] = {}
        if checked.default_graphs is not None and checked.named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(iri) for iri in checked.default_graphs]
            options["named_graphs"] = [ox.NamedNode(iri) for iri in checked.named_graphs]
        elif self.inference:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = self.graphs
            options["named_graphs"] = self.graphs
        try:
            result = self._store.query(checked.text, **options)
        except SyntaxError as error:
            raise _syntax_error(error, where) from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [variable.value for variable in result.variables]
            rows = []
            for solution in result:
                row = {}
                for name in variables:
                    value = solution[name]
                    if value is not None:
                        row[name] = from_oxigraph(value)
                rows.append(row)
            return QueryResult("select", variables=variables, rows=rows)
        assert isinstance(result, ox.QueryTriples)
        triples = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in result]
        return QueryResult("graph", triples=triples)


def _never_load_graphs() -> None:
    """rdflib would fetch a FROM graph it lacks from the web or a file; the gate refuses
    those, and with this rdflib takes FROM from the dataset only."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


class RdflibEngine:
    """The reference engine: rdflib over the cached N-Quads (slow to load; exact)."""

    name = "rdflib"

    def __init__(
        self,
        nquads: Path,
        *,
        inference: bool = True,
        allow_network: bool = False,
        checks_cache: Path | None = None,
        extra: UserData | None = None,
    ) -> None:
        from rdflib import Dataset

        from belkg.build.pipeline import quiet_rdflib_logging, read_dataset

        quiet_rdflib_logging()
        _never_load_graphs()
        from belkg.build.loading import as_written

        if extra is None:
            full = read_dataset(nquads)  # shared in this process: read only
        else:
            full = Dataset(default_union=True)
            with as_written():
                full.parse(nquads, format="nquads")
                full.parse(data=extra.nquads, format="nquads")
        self.inference = inference
        if inference:
            self._dataset = full
        else:
            self._dataset = Dataset(default_union=True)
            for graph in full.graphs():
                if str(graph.identifier) not in DERIVED_GRAPHS:
                    target = self._dataset.graph(graph.identifier)
                    for triple in graph:
                        target.add(triple)
        self.gate = self.gate_for(self._dataset, allow_network=allow_network, checks_cache=checks_cache)

    @staticmethod
    def gate_for(dataset: Any, *, allow_network: bool = False, checks_cache: Path | None = None) -> Gate:
        graphs = (str(graph.identifier) for graph in dataset.graphs() if len(graph))
        return Gate(graphs, allow_network=allow_network, cache_dir=checks_cache)

    @staticmethod
    def _term(term: Any) -> Term:
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, URIRef):
            return Term.iri(str(term))
        if isinstance(term, BNode):
            return Term("bnode", str(term))
        if isinstance(term, Literal):
            datatype = str(term.datatype) if term.datatype else None
            return Term.literal(str(term), datatype, term.language)
        raise BelkgError(f"unsupported term in result: {term!r}")

    def run(self, text: str, where: str | None = None) -> QueryResult:
        from rdflib.plugins.sparql.algebra import translateQuery

        from belkg.safety import parse_canonical

        checked = self.gate.check(text, where)
        try:
            # The parse the gate read: given as text, rdflib would write out escapes again.
            result = self._dataset.query(translateQuery(parse_canonical(checked.text)))
        except Exception as error:  # pyparsing and rdflib raise many types for bad SPARQL
            raise _syntax_error(error, where) from None
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            return QueryResult(
                "graph", triples=[(self._term(s), self._term(p), self._term(o)) for s, p, o in result.graph]
            )
        variables = [str(variable) for variable in result.vars or []]
        rows = []
        for solution in result:
            row = {}
            for name, value in zip(variables, solution, strict=True):  # type: ignore[arg-type]
                if value is not None:
                    row[name] = self._term(value)
            rows.append(row)
        return QueryResult("select", variables=variables, rows=rows)
