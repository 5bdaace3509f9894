"""Write the built dataset in an RDF format, atomically."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from belkg.errors import BelkgError
from belkg.namespaces import DERIVED_GRAPHS, PREFIXES

# format name -> (rdflib serializer, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    "nq": ("nquads", True),
    "trig": ("trig", True),
    "ttl": ("turtle", False),
}
EXTENSIONS = {"nq": "nq", "nquads": "nq", "trig": "trig", "ttl": "ttl", "turtle": "ttl"}
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


def select_graphs(dataset: Dataset, selection: str) -> Dataset:
    """asserted: the hand-written graphs; inferred: the ones the build derived; all: both."""
    if selection not in GRAPH_SELECTIONS:
        raise BelkgError(f"unknown graph selection {selection!r}; choose one of {', '.join(GRAPH_SELECTIONS)}")
    chosen = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        chosen.bind(prefix, namespace)
    for graph in dataset.graphs():
        derived = graph.identifier in DERIVED_GRAPHS
        if selection == "all" or (selection == "inferred") == derived:
            target = chosen.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    return chosen


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one format; formats without named graphs get the union."""
    serializer, keeps_graphs = FORMATS[fmt]
    if keeps_graphs:
        return dataset.serialize(format=serializer, encoding="utf-8")
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    return union.serialize(format=serializer, encoding="utf-8")


def keeps_graphs(fmt: str) -> bool:
    return FORMATS[fmt][1]


def write_stream(stream: BinaryIO, data: bytes) -> None:
    stream.write(data)
    stream.flush()
