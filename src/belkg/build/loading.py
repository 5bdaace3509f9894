"""Parse the hand-written Turtle, one graph per file, loaded under the name of its graph."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from belkg.errors import BelkgError
from belkg.namespaces import ENTITIES_GRAPH, IDENTITIES_GRAPH, ONTOLOGY_GRAPH, document_iri
from belkg.project import Project
from belkg.terms import XSD_STRING, is_valid_iri

_Triple = tuple[Node, Node, Node]

# Oxigraph reads one statement of at most 16 MiB (with its subject, predicate and graph).
MAX_LITERAL_BYTES = (16 << 20) - (64 << 10)
MAX_LITERAL_CHARACTERS = MAX_LITERAL_BYTES // 4  # below this, no literal can be too large


@dataclass
class LoadedGraph:
    """The hand-written graphs of a project, each as its file was parsed, by the name it
    is loaded under, and which file each named graph came from. The checks ask one file's
    graph at a time (rdflib's store of many named graphs answers a question about one of
    them by reading them all); their union is made only when asked for."""

    graphs: dict[URIRef, Graph] = field(default_factory=dict)
    files: dict[URIRef, Path] = field(default_factory=dict)
    seeds: dict[URIRef, Path] = field(default_factory=dict)
    _union: Graph | None = None

    def file_of(self, graph: URIRef) -> Path | None:
        return self.files.get(graph)

    def graph(self, name: URIRef) -> Graph:
        """The graph loaded under a name (empty for a name not loaded); read it only."""
        graph = self.graphs.get(name)
        return Graph() if graph is None else graph

    def quads(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """The triples matching a pattern in every graph, each with the name of its graph."""
        for name, graph in self.graphs.items():
            for subject, predicate, obj in graph.triples(pattern):
                yield subject, predicate, obj, name

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple of every graph (a triple two graphs hold comes twice)."""
        for graph in self.graphs.values():
            yield from graph

    @property
    def union(self) -> Graph:
        """One graph of every triple loaded, made on first use."""
        if self._union is None:
            self._union = _parsed_graph()
            store = self._union.store
            for triple in self.triples():
                store.add(triple, self._union, quoted=False)
        return self._union

    def let_go(self) -> None:
        """Empty the parsed graphs that nothing else holds (the parse cache keeps some for
        the next build), so their memory is freed now: rdflib's graphs sit in reference
        cycles, which only the cyclic garbage collector frees, by walking every object."""
        kept = {id(graph) for graph in _PARSED.values()}
        for graph in [*self.graphs.values(), self._union]:
            if graph is not None and id(graph) not in kept and isinstance(graph.store, _ParsedStore):
                graph.store.empty()
        self.graphs.clear()
        self._union = None

    def subclasses_of(self, *roots: URIRef) -> set[Node]:
        """The classes of the ontology that are the roots or under them (rdfs:subClassOf*)."""
        ontology = self.graph(ONTOLOGY_GRAPH)
        classes: set[Node] = set(roots)
        grew = True
        while grew:
            grew = False
            for sub, _, sup in ontology.triples((None, RDFS.subClassOf, None)):
                if sup in classes and sub not in classes:
                    classes.add(sub)
                    grew = True
        return classes


def seed_stem(path: Path) -> str:
    """The short stem naming a seed's document: "001" for 001_e2ad8a0a6ce2cfb9.txt."""
    return path.stem.split("_", 1)[0]


def read_text(path: Path, shown: str) -> str:
    """A text file's content; unreadable or non-UTF-8 files are one-line errors."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BelkgError("file not found", shown) from None
    except UnicodeDecodeError as error:
        raise BelkgError(f"not UTF-8 text (byte {error.start})", shown) from None
    except OSError as error:
        raise BelkgError(f"cannot read: {error.strerror}", shown) from None


@contextmanager
def as_written() -> Iterator[None]:
    """Keep literals as the file writes them: rdflib would otherwise rewrite an
    ill-typed "yes"^^xsd:boolean as "false" (and warn about it), and the shapes could
    only report the rewritten value."""
    import warnings

    import rdflib

    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)
            yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


# Texts parsed before in this process, by SHA-256, whose graphs do not depend on where
# the file lies (no relative IRI resolved against its file: URI). A process that builds
# again and again (a server, the tests) parses the unchanged files once: the project's
# files, and the ontology and shapes a small project shares with others. The least
# recently used go first, when the graphs kept pass a number of triples (a bigger graph is
# not kept: it would double a large project's memory for nothing).
_PARSED: dict[bytes, Graph] = {}
_PARSED_TRIPLES = 100_000


def parse_turtle(path: Path, shown_as: str | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes a BelkgError at FILE:LINE:COL. The
    graph may be shared with other callers: read it, do not change it."""
    shown = shown_as or str(path)
    text = read_text(path, shown)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    if key in _PARSED:
        _PARSED[key] = _PARSED.pop(key)  # now the most recently used
        return _PARSED[key]
    graph = _parse_turtle_text(path, text, shown)
    size = len(graph)
    if size <= _PARSED_TRIPLES and not any(str(term).startswith("file:") for triple in graph for term in triple):
        kept = sum(len(other) for other in _PARSED.values())
        while _PARSED and kept + size > _PARSED_TRIPLES:
            kept -= len(_PARSED.pop(next(iter(_PARSED))))
        _PARSED[key] = graph
    return graph


def _parse_turtle_text(path: Path, text: str, shown: str) -> Graph:
    graph = _parse_turtle_with_oxigraph(path, text)
    if graph is not None:
        _check_literal_sizes(graph, text, shown)  # its parser refused bad IRIs and language tags
        return graph
    return _parse_turtle_with_rdflib(path, text, shown)


# Where the two parsers' terms differ, rdflib's reads the text, as it always did:
# Oxigraph writes a language tag in lower case ("en-GB" as "en-gb") and reads
# "x"^^xsd:string as the simple literal "x", which rdflib keeps apart.
_OXIGRAPH_WOULD_CHANGE = re.compile(r"@[A-Za-z0-9-]*[A-Z]|\^\^\s*(?:<[^>]*#string>|[\w.-]*:string\b)")


# One URIRef per IRI across the files parsed: rdflib checks each IRI it makes, and the
# build's sets and dicts of terms find an identical object without calling rdflib's
# Python-level __eq__. Emptied when it grows past a bound, so a long-running process does
# not keep every IRI it ever read.
_IRIS: dict[str, URIRef] = {}
_IRIS_KEPT = 2_000_000


def shared_iri(value: str) -> URIRef:
    """The URIRef of an IRI, the same object for the same IRI."""
    made = _IRIS.get(value)
    if made is None:
        if len(_IRIS) >= _IRIS_KEPT:
            _IRIS.clear()
        made = _IRIS[value] = URIRef(value)
    return made


# One Literal per literal as written, across the files parsed: rdflib makes a literal
# slowly, dates, numbers, names and roles recur, and the checks' sets and dicts find an
# identical object without calling rdflib's Python-level __eq__. Made only while literals
# are kept as written (as_written), the one way the parse makes them. A long literal is
# not kept, and all are dropped past a bound, as the IRIs are, so a long-running process
# does not keep every literal it ever read.
_LITERALS: dict[tuple[str, str | None, str], Literal] = {}
_LITERALS_KEPT = 200_000
_LITERAL_KEPT_CHARACTERS = 1000


def _literal_as_written(value: str, language: str | None, datatype: str) -> Literal:
    key = (value, language, datatype)
    made = _LITERALS.get(key)
    if made is not None:
        return made
    if language:
        made = Literal(value, lang=language)
    elif datatype == XSD_STRING:
        made = Literal(value)
    else:
        made = Literal(value, datatype=shared_iri(datatype))
    if len(value) <= _LITERAL_KEPT_CHARACTERS:
        if len(_LITERALS) >= _LITERALS_KEPT:
            _LITERALS.clear()
        _LITERALS[key] = made
    return made


def _parse_turtle_with_oxigraph(path: Path, text: str) -> Graph | None:
    """The graph as rdflib's parser would give it, read by Oxigraph's parser (the whole
    read, rdflib's store included, about twice as fast); None for a text Oxigraph does
    not read, which rdflib's parser then reads or reports, so the errors stay as they are
    written below."""
    import pyoxigraph

    if _OXIGRAPH_WOULD_CHANGE.search(text):
        return None
    try:
        parser = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        quads = list(parser)
    except (SyntaxError, ValueError, MemoryError):  # MemoryError: a statement over 16 MiB
        return None
    graph = _parsed_graph()
    # labels are the file's own: fresh nodes, named as rdflib's parser names them
    blanks: dict[str, BNode] = {}
    label_stem = f"n{uuid.uuid4().hex}b"

    def node(term: object) -> Node:
        if isinstance(term, pyoxigraph.NamedNode):
            return shared_iri(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            if term.value not in blanks:
                blanks[term.value] = BNode(f"{label_stem}{len(blanks) + 1}")
            return blanks[term.value]
        if isinstance(term, pyoxigraph.Literal) and getattr(term, "direction", None) is None:
            return _literal_as_written(term.value, term.language, term.datatype.value)
        raise _NotInRdflib

    try:
        with as_written():
            triples = [(node(q.subject), node(q.predicate), node(q.object)) for q in quads]
    except _NotInRdflib:  # a triple term or a directional literal: RDF 1.2, which rdflib's parser refuses
        return None
    for triple in triples:  # to the store directly: Graph.add would check each term again
        graph.store.add(triple, graph, quoted=False)
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=False)
    return graph


class _ParsedStore(SimpleMemory):
    """rdflib's store of one graph without the bookkeeping of contexts (its default store
    records, for every triple it adds or yields, the graphs holding it), counting its
    triples once instead of on every len(), and matching patterns straight off its
    indexes (`match`)."""

    def __init__(self) -> None:
        super().__init__()
        self._size: int | None = None
        self._take_indexes()

    def _take_indexes(self) -> None:
        # SimpleMemory's three indexes (subject → predicate → object, and its rotations),
        # which it keeps under private names.
        self._spo: dict[Node, dict[Node, dict[Node, int]]] = self._SimpleMemory__spo  # type: ignore[attr-defined]
        self._pos: dict[Node, dict[Node, dict[Node, int]]] = self._SimpleMemory__pos  # type: ignore[attr-defined]
        self._osp: dict[Node, dict[Node, dict[Node, int]]] = self._SimpleMemory__osp  # type: ignore[attr-defined]

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self._size = None
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self._size = None
        super().remove(triple_pattern, context)

    def empty(self) -> None:
        """Drop every triple at once (remove() would look each one up)."""
        SimpleMemory.__init__(self)
        self._size = None
        self._take_indexes()

    def __len__(self, context: Any = None) -> int:
        if self._size is None:
            self._size = super().__len__(context)
        return self._size

    def match(self, subject: Node | None, predicate: Node | None, obj: Node | None) -> Iterator[_Triple]:
        """The triples matching a pattern (None matches anything), as SimpleMemory.triples
        finds them, without its per-triple generator of contexts and its comparisons
        through rdflib's Python-level __eq__."""
        if subject is not None:
            by_predicate = self._spo.get(subject)
            if not by_predicate:
                return iter(())
            if predicate is not None:
                objects = by_predicate.get(predicate)
                if not objects:
                    return iter(())
                if obj is not None:
                    return iter(((subject, predicate, obj),) if obj in objects else ())
                return ((subject, predicate, o) for o in objects)
            if obj is not None:
                return ((subject, p, obj) for p, objects in by_predicate.items() if obj in objects)
            return ((subject, p, o) for p, objects in by_predicate.items() for o in objects)
        if predicate is not None:
            by_object = self._pos.get(predicate)
            if not by_object:
                return iter(())
            if obj is not None:
                return ((s, predicate, obj) for s in by_object.get(obj, ()))
            return ((s, predicate, o) for o, subjects in by_object.items() for s in subjects)
        if obj is not None:
            by_subject = self._osp.get(obj)
            if not by_subject:
                return iter(())
            return ((s, p, obj) for s, predicates in by_subject.items() for p in predicates)
        everything = self._spo.items()
        return ((s, p, o) for s, by_predicate in everything for p, objects in by_predicate.items() for o in objects)


class _ParsedGraph(Graph):
    """A graph over a _ParsedStore, whose plain patterns are matched by the store directly
    (rdflib's Graph.triples wraps each match in a generator of its contexts)."""

    def triples(self, triple: Any) -> Any:
        subject, predicate, obj = triple
        store = self.store
        # exact types first: isinstance on rdflib's terms and paths goes through ABCMeta
        plain = predicate is None or type(predicate) is URIRef or not isinstance(predicate, PropertyPath)
        if plain and (type(store) is _ParsedStore or isinstance(store, _ParsedStore)):
            return store.match(subject, predicate, obj)
        return super().triples(triple)


def _parsed_graph() -> Graph:
    return _ParsedGraph(store=_ParsedStore())


class _NotInRdflib(Exception):
    """A term rdflib's parser would not make."""


def _parse_turtle_with_rdflib(path: Path, text: str, shown: str) -> Graph:
    graph = _parsed_graph()
    try:
        with as_written():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as error:
        line = error.lines + 1
        column = error._i - error._str.rfind(b"\n", 0, error._i)
        if "unterminated string" in str(error._why):
            # rdflib points past the end of the file; the opening quotes are more use.
            opening = max(text.rfind('"""'), text.rfind("'''"))
            if opening >= 0:
                line, column = _position(text, opening)
        raise BelkgError(f"Turtle syntax error: {error._why}", f"{shown}:{line}:{column}") from None
    except Exception as error:  # rdflib raises bare AssertionErrors and others for some bad input
        empty_datatype = re.search(r"\^\^\s*(?=[.;,\]]|$)", text)
        if empty_datatype is not None:
            line, column = _position(text, empty_datatype.start())
            raise BelkgError(
                "Turtle syntax error: a datatype IRI is missing after ^^", f"{shown}:{line}:{column}"
            ) from None
        message = str(error).split(" at ^ in", 1)[0].strip() or type(error).__name__
        raise BelkgError(f"Turtle syntax error: {message}", shown) from None
    _check_terms(graph, text, shown)
    return graph


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _line_containing(text: str, fragment: str) -> str:
    """ ":LINE:COL" of the first place the text holds the fragment, or nothing."""
    for number, line in enumerate(text.split("\n"), start=1):
        if fragment in line:
            return f":{number}:{line.index(fragment) + 1}"
    return ""


def _check_literal_sizes(graph: Graph, text: str, shown: str) -> None:
    """Refuse a literal too large for the query store."""
    for _, _, obj in graph:
        if isinstance(obj, Literal) and len(obj) > MAX_LITERAL_CHARACTERS:
            size = len(str(obj).encode("utf-8", "surrogatepass"))
            if size > MAX_LITERAL_BYTES:
                raise BelkgError(
                    f"a literal of {size / (1 << 20):.1f} MiB; the query store holds literals of up to "
                    f"{MAX_LITERAL_BYTES / (1 << 20):.0f} MiB",
                    shown + _line_containing(text, str(obj)[:40]),
                )


def _check_terms(graph: Graph, text: str, shown: str) -> None:
    """Refuse IRIs and language tags that rdflib's parser lets through but RDF (and so
    Oxigraph, and any other store) does not allow, and literals too large for the query
    store. (A text Oxigraph's parser read needs only the last: it refuses the others.)"""
    import pyoxigraph

    _check_literal_sizes(graph, text, shown)
    checked: set[object] = set()
    for triple in graph:
        for term in triple:
            if term in checked:
                continue
            checked.add(term)
            iris = [str(term)] if isinstance(term, URIRef) else []
            if isinstance(term, Literal) and term.datatype is not None:
                iris.append(str(term.datatype))
            for iri in iris:
                try:
                    pyoxigraph.NamedNode(iri)
                except ValueError:
                    raise BelkgError(
                        f"not a valid IRI: <{iri}>",
                        shown + _line_containing(text, iri.split()[0] if iri.split() else iri),
                    ) from None
            if isinstance(term, Literal) and term.language:
                try:
                    pyoxigraph.Literal("x", language=term.language)
                except ValueError:
                    raise BelkgError(
                        f"not a valid language tag: @{term.language}",
                        shown + _line_containing(text, f"@{term.language}"),
                    ) from None


def load_project(project: Project) -> LoadedGraph:
    """Load the ontology, the register and every document file as named graphs.

    Each document file kg/<seed-stem>.ttl needs its seed seeds/<seed-stem>.txt and
    becomes the graph named by its document IRI (bkd:doc-<stem>).
    """
    loaded = LoadedGraph()
    for name, path in ((ONTOLOGY_GRAPH, project.ontology_file), (ENTITIES_GRAPH, project.entities_file)):
        loaded.graphs[name] = parse_turtle(path, project.relative(path))
        loaded.files[name] = path
    if project.identities_file.exists():
        path = project.identities_file
        loaded.graphs[IDENTITIES_GRAPH] = parse_turtle(path, project.relative(path))
        loaded.files[IDENTITIES_GRAPH] = path
    seeds = {path.stem: path for path in project.seed_files()}
    for path in project.document_files():
        seed = seeds.get(path.stem)
        if seed is None:
            raise BelkgError(f"no seed for this document file: expected seeds/{path.stem}.txt", project.relative(path))
        name = document_iri(seed_stem(path))
        if not is_valid_iri(str(name)):
            raise BelkgError(
                f"the file name before its first '_' ({seed_stem(path)!r}) names the document <{name}>, "
                "which is not a valid IRI: use letters, digits and '-' there",
                project.relative(path),
            )
        if name in loaded.files:
            raise BelkgError(
                f"two document files for {name}: {project.relative(loaded.files[name])} and this one",
                project.relative(path),
            )
        loaded.graphs[name] = parse_turtle(path, project.relative(path))
        loaded.files[name] = path
        loaded.seeds[name] = seed
    return loaded
