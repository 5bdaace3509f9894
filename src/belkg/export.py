"""Write the built dataset in the RDF formats, diff-stable where the format allows.

Formats with named graphs (N-Quads, TriG, JSON-LD) keep every graph; the others
(Turtle, N-Triples, RDF/XML) get the union of the selected graphs. Every format comes
out byte-identical for the same input: lines, graphs
and node lists are written in a fixed order (the build has no blank nodes, see skolem.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belkg.collector import existing_objects_spared
from belkg.errors import BelkgError

if TYPE_CHECKING:  # rdflib is loaded by the formats that need it, not by `export nq`
    from rdflib import Dataset, Graph
    from rdflib.term import Node

# format -> (what it is called, whether it keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    "nq": ("N-Quads", True),
    "trig": ("TriG", True),
    "jsonld": ("JSON-LD", True),
    "ttl": ("Turtle", False),
    "nt": ("N-Triples", False),
    "xml": ("RDF/XML", False),
}
EXTENSIONS = {
    "nq": "nq", "nquads": "nq", "trig": "trig", "jsonld": "jsonld", "json": "jsonld",
    "ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt", "rdf": "xml", "xml": "xml", "owl": "xml",
}  # fmt: skip
MEDIA_TYPES = {
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}
GRAPH_SELECTIONS = ("all", "asserted", "inferred")


def format_for(path: str | None, explicit: str | None) -> str:
    """The export format: as given, else from the output file's extension, else N-Quads."""
    if explicit:
        if explicit not in FORMATS:
            raise BelkgError(f"unknown export format {explicit!r}; choose one of {', '.join(FORMATS)}")
        return explicit
    if path and path != "-":
        extension = Path(path).suffix.lstrip(".").lower()
        if extension in EXTENSIONS:
            return EXTENSIONS[extension]
        raise BelkgError(
            f"cannot tell the format from the extension {Path(path).suffix!r}; use --format ({', '.join(FORMATS)})",
            path,
        )
    return "nq"


def keeps_graphs(fmt: str) -> bool:
    return FORMATS[fmt][1]


def select_graphs(dataset: Dataset, selection: str) -> Dataset:
    """asserted: the hand-written graphs; inferred: the ones the build derived; all: both.
    For "all" with no empty graph, the dataset itself: read it, do not change it."""
    if selection not in GRAPH_SELECTIONS:
        raise BelkgError(f"unknown graph selection {selection!r}; choose one of {', '.join(GRAPH_SELECTIONS)}")
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from belkg.namespaces import DERIVED_GRAPHS, new_dataset

    if selection == "all" and all(
        len(graph) for graph in dataset.graphs() if graph.identifier != DATASET_DEFAULT_GRAPH_ID
    ):
        return dataset  # nothing to leave out
    chosen = new_dataset()
    for graph in dataset.graphs():
        derived = graph.identifier in DERIVED_GRAPHS
        if len(graph) and (selection == "all" or (selection == "inferred") == derived):
            target = chosen.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    return chosen


def plain_graph(triples: Iterable[tuple[Node, Node, Node]] = (), *, prefixes: bool = True) -> Graph:
    """A graph of the triples (with the project's prefixes bound), in rdflib's store
    without contexts: a graph that is written out once needs no per-graph index, and
    filling it takes half the time of the default store (the same bytes come out)."""
    from rdflib import Graph

    from belkg.namespaces import PREFIXES

    graph = Graph(store="SimpleMemory")
    if prefixes:
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def union_of(dataset: Dataset) -> Graph:
    """Every triple of every graph of the dataset, once."""
    return plain_graph(dataset.triples((None, None, None)))


def _sorted_lines(data: bytes) -> bytes:
    # Split on newlines only: str.splitlines() also breaks at U+2028, U+0085 and other
    # characters that N-Triples allows raw inside literals.
    lines = sorted(set(data.decode("utf-8").split("\n")) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _turtle(graph: Graph) -> str:
    """rdflib's Turtle, with each IRI's prefixed name worked out once: rdflib works it out
    again at every occurrence, most of its time on a large graph. The same bytes."""
    from io import BytesIO

    from rdflib.plugins.serializers.turtle import TurtleSerializer

    class OncePerName(TurtleSerializer):
        def reset(self) -> None:
            super().reset()
            self._pnames: dict[tuple[Node, bool], str | None] = {}

        def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
            key = (uri, gen_prefix)
            if key not in self._pnames:
                self._pnames[key] = super().get_pname(uri, gen_prefix)
            return self._pnames[key]

    stream = BytesIO()
    OncePerName(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def _trig(dataset: Dataset) -> bytes:
    """TriG assembled from each graph's Turtle (whose output order is fixed), graphs in
    IRI order, prefixes once."""
    from belkg.namespaces import PREFIXES

    prologue = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(PREFIXES.items()))
    parts = [prologue]
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        named = plain_graph(graph)
        # Not indented: a long string literal may span lines, and its lines are data.
        body = "\n".join(line for line in _turtle(named).split("\n") if not line.startswith("@prefix")).strip("\n")
        parts.append(f"\n<{graph.identifier}> {{\n{body}\n}}\n")
    return "".join(parts).encode("utf-8")


def _stable_json(value: Any, in_list: bool = False) -> Any:
    """JSON-LD with every array that stands for a set sorted (an @list keeps its order)."""
    if isinstance(value, dict):
        return {key: _stable_json(item, key == "@list") for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_stable_json(item) for item in value]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _jsonld(dataset: Dataset) -> bytes:
    raw = dataset.serialize(format="json-ld", encoding="utf-8")
    document = _stable_json(json.loads(raw))
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one format; formats without named graphs get the union."""
    with existing_objects_spared():
        return _serialize(dataset, fmt)


def _serialize(dataset: Dataset, fmt: str) -> bytes:
    if fmt == "nq":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"))
    if fmt == "trig":
        return _trig(dataset)
    if fmt == "jsonld":
        return _jsonld(dataset)
    union = union_of(dataset)
    if fmt == "ttl":
        return _turtle(union).encode("utf-8")
    if fmt == "nt":
        return _sorted_lines(union.serialize(format="nt", encoding="utf-8"))
    return _rdf_xml(union)


def _rdf_xml(graph: Graph) -> bytes:
    """RDF/XML with subjects, and each subject's properties, in N-Triples order: rdflib's
    writer takes them in the store's order, which changes with the hash seed."""
    from rdflib import Graph

    class InOrder(Graph):
        def subjects(self, *args: Any, **kwargs: Any) -> Any:
            return iter(sorted(set(super().subjects(*args, **kwargs)), key=lambda subject: subject.n3()))

        def predicate_objects(self, *args: Any, **kwargs: Any) -> Any:
            pairs = super().predicate_objects(*args, **kwargs)
            return iter(sorted(pairs, key=lambda pair: (pair[0].n3(), pair[1].n3())))

    ordered = InOrder(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
    return ordered.serialize(format="xml", encoding="utf-8")


def parse_export(data: bytes, fmt: str) -> Dataset:
    """Read an export back (the round-trip tests and `belkg push` use it)."""
    from rdflib import Dataset

    from belkg.build.loading import as_written

    dataset = Dataset(default_union=True)
    rdflib_format = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt", "xml": "xml"}
    with as_written():
        dataset.parse(data=data, format=rdflib_format[fmt])
    return dataset


def graph_payloads(dataset: Dataset) -> list[tuple[str, bytes, int]]:
    """Each non-empty named graph as N-Triples, in IRI order: (graph IRI, bytes, triples).
    The reference for `belkg.export_lines.graph_lines`, which `belkg push` uses."""
    payloads = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        named = plain_graph(graph, prefixes=False)
        payloads.append(
            (str(graph.identifier), _sorted_lines(named.serialize(format="nt", encoding="utf-8")), len(named))
        )
    return payloads


def union_note(format_name: str, graphs: str, needing_named_graphs: list[str]) -> str:
    """What a user is told when a format without named graphs gets the union of them,
    with the saved queries that then find nothing."""
    which = "all the" if graphs == "all" else f"the {graphs}"
    note = f"note: {format_name} has no named graphs; wrote the union of {which} graphs"
    if needing_named_graphs:
        names = ", ".join(needing_named_graphs)
        note += f"; saved queries that read the per-document graphs find nothing in it ({names})"
    return note
