"""The OWL 2 RL closure (owlrl), kept apart from the asserted triples."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import OWL


def infer(graphs: Iterable[Graph]) -> Graph:
    """Return the triples the OWL 2 RL closure of the given graphs adds to them.

    Dropped: triples with a literal subject (owlrl emits them; RDF forbids them) and the
    reflexive owl:sameAs every resource gets, which tell a reader nothing.
    """
    import owlrl  # imported here: only a build needs it, and it is slow to import

    union = Graph()
    for graph in graphs:
        for triple in graph.triples((None, None, None)):  # a Dataset's union, a Graph's triples
            union.add(triple)
    asserted = set(union)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(union)
    inferred = Graph()
    for subject, predicate, obj in union:
        if isinstance(subject, Literal):
            continue
        if predicate == OWL.sameAs and subject == obj:
            continue
        if (subject, predicate, obj) not in asserted:
            inferred.add((subject, predicate, obj))
    return inferred
