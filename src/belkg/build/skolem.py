"""Replace the build's blank nodes by stable IRIs (RDF 1.1 skolemization).

Evidence and date nodes are written as blank nodes, and the grounding graph annotates
the same nodes from another named graph. A blank node cannot cross a file or a request:
a store loading one named graph at a time (the Graph Store Protocol) would split it in
two. Each blank node therefore becomes an IRI under /.well-known/genid/ named by a hash
of what the node says and who points to it, so the same input always gives the same
IRIs, and exports are diff-stable.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

GENID = "https://w3id.org/belkg/.well-known/genid/"

Quad = tuple[Node, Node, Node, URIRef]


def _plain(term: Node) -> str:
    if isinstance(term, Literal):
        return f"L{term}|{term.datatype or ''}|{term.language or ''}"
    return f"I{term}" if isinstance(term, URIRef) else "B"


def skolem_map(quads: Iterable[Quad]) -> dict[BNode, URIRef]:
    """A stable IRI for every blank node of the quads (subject, predicate, object, graph)."""
    # What each blank node says of terms that are not blank ("out|graph|predicate|term")
    # and who points to it ("in|graph|subject|predicate") are written out as they are
    # read; what it says of other blank nodes waits for their signatures.
    said: dict[BNode, list[str]] = defaultdict(list)
    said_of_blanks: dict[BNode, list[tuple[str, BNode]]] = defaultdict(list)
    pointed: dict[BNode, list[str]] = defaultdict(list)
    is_blank: dict[type, bool] = {}  # isinstance on rdflib's terms goes through ABCMeta
    for subject, predicate, obj, graph in quads:
        subject_type, object_type = type(subject), type(obj)
        subject_blank = is_blank.get(subject_type)
        if subject_blank is None:
            subject_blank = is_blank[subject_type] = issubclass(subject_type, BNode)
        object_blank = is_blank.get(object_type)
        if object_blank is None:
            object_blank = is_blank[object_type] = issubclass(object_type, BNode)
        if subject_blank:
            if object_blank:
                said_of_blanks[subject].append((f"out|{graph}|{predicate}|", obj))  # type: ignore[index, arg-type]
            else:
                said[subject].append(f"out|{graph}|{predicate}|{_plain(obj)}")  # type: ignore[index]
        if object_blank:
            pointed[obj].append(f"in|{graph}|{_plain(subject)}|{predicate}")  # type: ignore[index]

    signatures = _Signatures(said, said_of_blanks, pointed)
    by_signature: dict[str, list[BNode]] = defaultdict(list)
    for node in set(said) | set(said_of_blanks) | set(pointed):
        by_signature[signatures.of(node)].append(node)
    mapping = {}
    for digest, nodes in by_signature.items():
        # Nodes with one signature are indistinguishable; number them in a fixed order.
        for index, node in enumerate(sorted(nodes)):
            mapping[node] = URIRef(GENID + digest + (f"-{index}" if index else ""))
    return mapping


class _Signatures:
    """The hash of what each blank node says and who points to it, a blank node it speaks
    of standing for its own signature."""

    def __init__(
        self,
        said: dict[BNode, list[str]],
        said_of_blanks: dict[BNode, list[tuple[str, BNode]]],
        pointed: dict[BNode, list[str]],
    ) -> None:
        self.said, self.said_of_blanks, self.pointed = said, said_of_blanks, pointed
        self.known: dict[BNode, str] = {}

    def of(self, node: BNode, seen: frozenset[BNode] = frozenset()) -> str:
        if node in self.known:
            return self.known[node]
        if node in seen:
            return "cycle"
        parts = self.said.get(node, [])
        if node in self.said_of_blanks:
            inner = seen | {node}
            parts = parts + [head + self.of(obj, inner) for head, obj in self.said_of_blanks[node]]
        parts = sorted(parts)
        parts += sorted(self.pointed.get(node, ()))
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        if not seen:
            self.known[node] = digest
        return digest
