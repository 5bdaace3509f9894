"""N-Quads and N-Triples exports written straight from the build cache's N-Quads file.

The build writes every quad as one N-Quads line in the form the exports use (see
`belkg.build.pipeline`), so these two formats need no parsing: the lines of the selected graphs
(graph IRIs need no parser either: an IRI holds no space, so a line's graph is its
last " <"), without their graph for N-Triples, each once, in byte order, which is the
code point order `belkg.export` sorts in. Nothing of rdflib is loaded, and the output is
byte for byte what `belkg.export.serialize` writes for the same build. `belkg push` takes
its per-graph N-Triples from here too (`graph_lines`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from belkg.errors import BelkgError
from belkg.prefixes import DERIVED_GRAPHS

LINE_FORMATS = ("nq", "nt")
_DERIVED = {f"<{iri}>".encode() for iri in DERIVED_GRAPHS}


def _wanted(graph: bytes, selection: str) -> bool:
    if selection == "all":
        return True
    return (graph in _DERIVED) == (selection == "inferred")


def export_lines(dataset_file: Path, fmt: str, selection: str) -> bytes:
    """The build's quads of the selected graphs as sorted N-Quads (fmt "nq") or, as
    their union, sorted N-Triples ("nt")."""
    if fmt not in LINE_FORMATS:
        raise ValueError(f"not a line format: {fmt!r}")
    if selection not in ("all", "asserted", "inferred"):
        raise BelkgError(f"unknown graph selection {selection!r}; choose one of all, asserted, inferred")
    keep_graph = fmt == "nq"
    lines: set[bytes] = set()
    with dataset_file.open("rb") as stream:
        if keep_graph and selection == "all":  # every line as it is: no loop in Python
            lines = set(stream)
            lines.discard(b"\n")
            return b"".join(sorted(lines))
        for line in stream:
            if not line.endswith(b" .\n"):
                continue
            cut = line.rfind(b" <", 0, len(line) - 3)
            graph = line[cut + 1 : -3]
            if not _wanted(graph, selection):
                continue
            lines.add(line if keep_graph else line[:cut] + b" .\n")
    return b"".join(sorted(lines))


def graph_lines(dataset_file: Path, selection: str) -> Iterator[tuple[str, bytes, int]]:
    """Each non-empty named graph of the selection as sorted N-Triples, in IRI order:
    (graph IRI, bytes, triples), byte for byte what `belkg.export.graph_payloads` gives for
    the same build. The lines are grouped in one pass over the file; each graph's body is
    made when it is asked for, and its lines are let go once it is."""
    if selection not in ("all", "asserted", "inferred"):
        raise BelkgError(f"unknown graph selection {selection!r}; choose one of all, asserted, inferred")
    graphs: dict[bytes, list[bytes]] = {}
    with dataset_file.open("rb") as stream:
        for line in stream:
            if not line.endswith(b" .\n"):
                continue
            cut = line.rfind(b" <", 0, len(line) - 3)
            graph = line[cut + 1 : -3]
            if _wanted(graph, selection):
                graphs.setdefault(graph, []).append(line[:cut] + b" .\n")
    # In IRI order, not in the order of "<iri>": ">" sorts after "-", "." and digits.
    for graph in sorted(graphs, key=lambda name: name[1:-1]):
        lines = sorted(set(graphs.pop(graph)))
        yield graph[1:-1].decode("utf-8"), b"".join(lines), len(lines)
