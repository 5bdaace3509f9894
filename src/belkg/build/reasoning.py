"""The OWL 2 RL closure, kept apart from the asserted triples.

Two reasoners give the same triples: "fast" (the default, `rl_rules`) and "owlrl", the
reference implementation, which is much slower. A test holds them equal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from belkg.build import rl_rules

REASONERS = ("fast", "owlrl")
_OWLRL_ERRORS = "http://www.daml.org/2002/03/agents/agent-ont#"

Triple = tuple[Node, Node, Node]


def infer(triples: Iterable[Triple], reasoner: str = "fast") -> list[Triple]:
    """Return the triples the OWL 2 RL closure of the given triples adds to them.

    Dropped: triples with a literal subject (owlrl emits them; RDF forbids them), the
    reflexive owl:sameAs every resource gets, literals owlrl makes up by re-typing an
    asserted one to its property's range (52 as "52"^^xsd:decimal: they say nothing new,
    and Turtle writers print such a decimal as 52.0, another literal), and owlrl's
    inconsistency messages (the shapes report problems, in words a person can act on).

    The fast reasoner raises `rl_rules.Unsupported` for OWL it does not cover.
    """
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}")
    asserted = set(triples)
    added = rl_rules.closure(asserted) if reasoner == "fast" else _owlrl_closure(asserted)
    known_literals = {obj for _, _, obj in asserted if isinstance(obj, Literal)}
    same_as = frozenset({OWL.sameAs})  # compared by hash first, not by rdflib's Python-level __eq__
    return [
        (subject, predicate, obj)
        for subject, predicate, obj in added
        if not isinstance(subject, Literal)
        and not str(predicate).startswith(_OWLRL_ERRORS)
        and not (isinstance(obj, URIRef) and obj.startswith(_OWLRL_ERRORS))
        and not (predicate in same_as and subject == obj)
        and not (isinstance(obj, Literal) and obj not in known_literals)
    ]


def _owlrl_closure(asserted: set[Triple]) -> set[Triple]:
    import owlrl  # imported here: only the reference reasoner needs it, and it is slow to import

    union = Graph()
    for triple in asserted:
        union.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(union)
    return {triple for triple in union if triple not in asserted}
