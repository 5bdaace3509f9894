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
    outgoing: dict[BNode, list[tuple[str, Node]]] = defaultdict(list)
    incoming: dict[BNode, list[str]] = defaultdict(list)
    for subject, predicate, obj, graph in quads:
        if isinstance(subject, BNode):
            outgoing[subject].append((f"{graph}|{predicate}", obj))
        if isinstance(obj, BNode):
            incoming[obj].append(f"{graph}|{_plain(subject)}|{predicate}")

    signatures: dict[BNode, str] = {}

    def signature(node: BNode, seen: frozenset[BNode]) -> str:
        if node in signatures:
            return signatures[node]
        if node in seen:
            return "cycle"
        parts = sorted(
            f"out|{key}|{signature(obj, seen | {node}) if isinstance(obj, BNode) else _plain(obj)}"
            for key, obj in outgoing[node]
        )
        parts += sorted(f"in|{item}" for item in incoming[node])
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        if not seen:
            signatures[node] = digest
        return digest

    by_signature: dict[str, list[BNode]] = defaultdict(list)
    for node in set(outgoing) | set(incoming):
        by_signature[signature(node, frozenset())].append(node)
    mapping = {}
    for digest, nodes in by_signature.items():
        # Nodes with one signature are indistinguishable; number them in a fixed order.
        for index, node in enumerate(sorted(nodes)):
            mapping[node] = URIRef(GENID + digest + (f"-{index}" if index else ""))
    return mapping
