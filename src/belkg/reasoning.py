"""The OWL 2 RL closure (owlrl), kept apart from the asserted triples."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import OWL


def infer(graphs: Iterable[Graph]) -> Graph:
    """Return the triples the OWL 2 RL closure of the given graphs adds to them.

    Dropped: triples with a literal subject (owlrl emits them; RDF forbids them), the
    reflexive owl:sameAs every resource gets, and literals owlrl makes up by re-typing
    an asserted one to its property's range (52 as "52"^^xsd:decimal): they say nothing
    new, and Turtle writers print such a decimal as 52.0, another literal.
    """
    import owlrl  # imported here: only a build needs it, and it is slow to import

    union = Graph()
    for graph in graphs:
        for triple in graph.triples((None, None, None)):  # a Dataset's union, a Graph's triples
            union.add(triple)
    asserted = set(union)
    known_literals = {obj for _, _, obj in asserted if isinstance(obj, Literal)}
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(union)
    inferred = Graph()
    for subject, predicate, obj in union:
        if isinstance(subject, Literal):
            continue
        if predicate == OWL.sameAs and subject == obj:
            continue
        if isinstance(obj, Literal) and obj not in known_literals:
            continue
        if (subject, predicate, obj) not in asserted:
            inferred.add((subject, predicate, obj))
    return inferred
