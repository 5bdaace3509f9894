"""A fast OWL 2 RL closure for the constructs belkg's ontology uses.

owlrl applies every rule to every triple of the graph, cycle after cycle, until a cycle
adds nothing: at 100k triples that takes minutes. Here the same rules run in two phases:

1. the schema: the scm-* rules close the class and property hierarchy (a few thousand
   triples at most), exactly as owlrl states them, inequality conditions included;
2. the instances: every other triple is pushed once through a worklist, where each
   property's consequences (super-properties, inverses, symmetry, domains, ranges) and
   each class's super-classes are looked up in tables compiled from the closed schema.
   Only transitive properties join with other triples.

If the second phase derives a schema triple, both phases run again, so the result is
the fixpoint of the same rules owlrl applies. Constructs outside those rules (sameAs,
functional properties, restrictions, property chains, keys) raise `Unsupported`: for
them owlrl is the reasoner to use. A test compares this closure with owlrl's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import BNode, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

TYPE = RDF.type
SUBCLASS = RDFS.subClassOf
SUBPROPERTY = RDFS.subPropertyOf
DOMAIN = RDFS.domain
RANGE = RDFS.range
EQUIVALENT_CLASS = OWL.equivalentClass
EQUIVALENT_PROPERTY = OWL.equivalentProperty
INVERSE = OWL.inverseOf

_PROPERTY_CLASSES = {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}
_CHARACTERISTICS = {OWL.SymmetricProperty, OWL.TransitiveProperty}
_SCHEMA_PREDICATES = {SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, INVERSE}
_SCHEMA_TYPES = {OWL.Class} | _PROPERTY_CLASSES | _CHARACTERISTICS
_UNSUPPORTED_PREDICATES = {
    OWL.propertyChainAxiom,
    OWL.hasKey,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.oneOf,
}
_UNSUPPORTED_TYPES = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty}
_SAME_AS = OWL.sameAs
# "predicate in _IS_TYPE", not "predicate == TYPE", on every triple: a set compares
# hashes in C, where == calls rdflib's Python-level __eq__ for every other predicate.
_IS_TYPE = frozenset({TYPE})
_IS_SAME_AS = frozenset({_SAME_AS})


class Unsupported(Exception):
    """The graph uses an OWL construct these rules do not cover."""


def is_schema(triple: Triple) -> bool:
    _, predicate, obj = triple
    return predicate in _SCHEMA_PREDICATES or (predicate in _IS_TYPE and obj in _SCHEMA_TYPES)


def _check_supported(triple: Triple) -> None:
    subject, predicate, obj = triple
    if predicate in _UNSUPPORTED_PREDICATES:
        raise Unsupported(f"{predicate} is not covered by the fast rules")
    if predicate in _IS_TYPE and obj in _UNSUPPORTED_TYPES:
        raise Unsupported(f"{obj} is not covered by the fast rules")
    if predicate in _IS_SAME_AS and subject != obj:
        raise Unsupported("owl:sameAs is not covered by the fast rules")


def _axioms(asserted: set[Triple]) -> set[Triple]:
    """owlrl's one-time rules: cls-thing, cls-nothing, prp-ap and the datatype rules
    (dt-type1 and the disjointness of the datatypes in use). Triples typing each
    literal are left out: their subject is a literal, and no rule of this ontology
    takes them further (checked in `_check_skipped_triples_are_inert`)."""
    from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
    from owlrl.OWLRL import OWLRL_Annotation_properties
    from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

    axioms: set[Triple] = {(OWL.Thing, TYPE, OWL.Class), (OWL.Nothing, TYPE, OWL.Class)}
    axioms |= {(prop, TYPE, OWL.AnnotationProperty) for prop in OWLRL_Annotation_properties}
    datatypes = set(OWL_RL_Datatypes)
    used: set[Node] = set()
    typed_as_datatype: dict[Node, set[Node]] = defaultdict(set)
    for subject, predicate, obj in asserted:
        if isinstance(obj, Literal) and obj.datatype is not None and obj.datatype in datatypes:
            used.add(obj.datatype)
        elif predicate in _IS_TYPE and obj in datatypes:
            used.add(obj)
            if not isinstance(subject, Literal):
                typed_as_datatype[subject].add(obj)
    axioms |= {(datatype, TYPE, RDFS.Datatype) for datatype in datatypes}
    for datatype in list(used):
        for wider in OWL_Datatype_Subsumptions.get(datatype, ()):
            axioms.add((wider, TYPE, RDFS.Datatype))
            used.add(wider)
    for resource, types in typed_as_datatype.items():
        for datatype in types:
            for wider in OWL_Datatype_Subsumptions.get(datatype, ()):
                axioms |= {(resource, TYPE, wider), (wider, TYPE, RDFS.Datatype)}
                used.add(wider)
    axioms |= {triple for triple in OWLRL_Datatypes_Disjointness if triple[0] in used and triple[2] in used}
    return axioms


# Schemas closed before in this process: a server or the tests rebuild over the same ontology.
_CLOSED: dict[frozenset[Triple], frozenset[Triple]] = {}
_CLOSED_KEPT = 8


def _close_schema(triples: set[Triple]) -> set[Triple]:
    """The scm-* rules, as owlrl states them, to a fixpoint over the schema triples."""
    key = frozenset(triples)
    if key not in _CLOSED:
        if len(_CLOSED) >= _CLOSED_KEPT:
            del _CLOSED[next(iter(_CLOSED))]
        _CLOSED[key] = frozenset(_schema_fixpoint(triples))
    return set(_CLOSED[key])


def _schema_fixpoint(triples: set[Triple]) -> set[Triple]:
    closed = set(triples)
    while True:
        added = _schema_step(closed) - closed
        if not added:
            return closed
        closed |= added


def _schema_step(schema: set[Triple]) -> set[Triple]:
    out: set[Triple] = set()
    supers: dict[Node, set[Node]] = defaultdict(set)
    subs: dict[Node, set[Node]] = defaultdict(set)
    super_props: dict[Node, set[Node]] = defaultdict(set)
    sub_props: dict[Node, set[Node]] = defaultdict(set)
    for subject, predicate, obj in schema:
        if predicate == SUBCLASS:
            supers[subject].add(obj)
            subs[obj].add(subject)
        elif predicate == SUBPROPERTY:
            super_props[subject].add(obj)
            sub_props[obj].add(subject)
    for subject, predicate, obj in schema:
        if predicate == TYPE and obj == OWL.Class:  # scm-cls
            out |= {
                (subject, SUBCLASS, subject),
                (subject, EQUIVALENT_CLASS, subject),
                (subject, SUBCLASS, OWL.Thing),
                (OWL.Nothing, SUBCLASS, subject),
            }
        elif predicate == TYPE and obj in _PROPERTY_CLASSES:  # scm-op, scm-dp
            out |= {(subject, SUBPROPERTY, subject), (subject, EQUIVALENT_PROPERTY, subject)}
        elif predicate == SUBCLASS:
            if subject != obj:  # scm-sco
                out |= {(subject, SUBCLASS, wider) for wider in supers[obj] if wider != subject}
            if subject in supers[obj]:  # scm-eqc2
                out.add((subject, EQUIVALENT_CLASS, obj))
        elif predicate == EQUIVALENT_CLASS and subject != obj:  # scm-eqc1
            out |= {(subject, SUBCLASS, obj), (obj, SUBCLASS, subject)}
        elif predicate == SUBPROPERTY and subject != obj:
            out |= {(subject, SUBPROPERTY, wider) for wider in super_props[obj] if wider != subject}  # scm-spo
            if subject in super_props[obj]:  # scm-eqp2
                out.add((subject, EQUIVALENT_PROPERTY, obj))
        elif predicate == EQUIVALENT_PROPERTY and subject != obj:  # scm-eqp1
            out |= {(subject, SUBPROPERTY, obj), (obj, SUBPROPERTY, subject)}
        elif predicate in (DOMAIN, RANGE):  # scm-dom1, scm-dom2, scm-rng1, scm-rng2
            out |= {(subject, predicate, wider) for wider in supers[obj] if wider != obj}
            out |= {(narrower, predicate, obj) for narrower in sub_props[subject] if narrower != subject}
    return out


class _InstanceRules:
    """Tables compiled from a closed schema: what one triple implies by itself."""

    def __init__(self, schema: set[Triple]) -> None:
        self.super_classes: dict[Node, set[Node]] = defaultdict(set)
        self.implied: dict[Node, list[tuple[Node, bool]]] = defaultdict(list)  # property → (property, swapped)
        self.domains: dict[Node, set[Node]] = defaultdict(set)
        self.ranges: dict[Node, set[Node]] = defaultdict(set)
        self.transitive: set[Node] = set()
        for subject, predicate, obj in schema:
            if predicate == SUBCLASS and subject != obj:  # cax-sco
                self.super_classes[subject].add(obj)
            elif predicate == EQUIVALENT_CLASS and subject != obj:  # cax-eqc1, cax-eqc2
                self.super_classes[subject].add(obj)
                self.super_classes[obj].add(subject)
            elif predicate == SUBPROPERTY:  # prp-spo1
                self.implied[subject].append((obj, False))
            elif predicate == EQUIVALENT_PROPERTY and subject != obj:  # prp-eqp1, prp-eqp2
                self.implied[subject].append((obj, False))
                self.implied[obj].append((subject, False))
            elif predicate == INVERSE:  # prp-inv1, prp-inv2
                self.implied[subject].append((obj, True))
                self.implied[obj].append((subject, True))
            elif predicate == TYPE and obj == OWL.SymmetricProperty:  # prp-symp
                self.implied[subject].append((subject, True))
            elif predicate == TYPE and obj == OWL.TransitiveProperty:
                self.transitive.add(subject)
            elif predicate == DOMAIN:  # prp-dom
                self.domains[subject].add(obj)
            elif predicate == RANGE:  # prp-rng
                self.ranges[subject].add(obj)

    def consequences(self, triple: Triple) -> Iterator[Triple]:
        subject, predicate, obj = triple
        if predicate in _IS_TYPE:
            for wider in self.super_classes.get(obj, ()):
                yield (subject, TYPE, wider)
        for other, swapped in self.implied.get(predicate, ()):
            yield (obj, other, subject) if swapped else (subject, other, obj)
        for kind in self.domains.get(predicate, ()):
            yield (subject, TYPE, kind)
        for kind in self.ranges.get(predicate, ()):
            yield (obj, TYPE, kind)


def _close_instances(triples: set[Triple], rules: _InstanceRules, pending: Iterable[Triple]) -> set[Triple]:
    """Push triples through the instance rules until nothing new appears, adding them
    to `triples`; return the new schema triples among them."""
    known = triples
    new_schema: set[Triple] = set()
    # Transitive properties need joins: index their triples both ways.
    forward: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    backward: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for subject, predicate, obj in known:
        if predicate in rules.transitive:
            forward[(predicate, subject)].add(obj)
            backward[(predicate, obj)].add(subject)
    work = list(pending)
    while work:
        triple = work.pop()
        subject, predicate, obj = triple
        produced = list(rules.consequences(triple))
        if predicate in rules.transitive:  # prp-trp, joined from both ends
            produced += [(subject, predicate, far) for far in list(forward.get((predicate, obj), ()))]
            produced += [(near, predicate, obj) for near in list(backward.get((predicate, subject), ()))]
        for new in produced:
            if new in known or isinstance(new[1], Literal):
                continue
            known.add(new)
            if is_schema(new):
                new_schema.add(new)
            if new[1] in rules.transitive:
                forward[(new[1], new[0])].add(new[2])
                backward[(new[1], new[2])].add(new[0])
            work.append(new)
    return new_schema


def closure(asserted_triples: Iterable[Triple]) -> set[Triple]:
    """Every triple the OWL 2 RL closure adds to the given ones (raw: literal subjects,
    which owlrl also emits, are the caller's to drop; the reflexive owl:sameAs owlrl
    gives every resource is not made at all)."""
    asserted = set(asserted_triples)
    for triple in asserted:
        _check_supported(triple)
    known = asserted | _axioms(asserted)
    schema = {triple for triple in known if is_schema(triple)}
    while True:
        schema = _close_schema(schema)
        known |= schema
        rules = _InstanceRules(schema)
        _check_skipped_triples_are_inert(rules)
        derived_schema = _close_instances(known, rules, list(known))
        if derived_schema <= schema:
            break
        schema |= derived_schema  # the schema grew: run both phases again
    return {triple for triple in known - asserted if not isinstance(triple[1], BNode)}


def _check_skipped_triples_are_inert(rules: _InstanceRules) -> None:
    """owlrl also types every literal by its datatype (dt-type2) and makes every
    resource owl:sameAs itself (eq-ref). Those triples are skipped here, which is only
    right while no rule applies to them."""
    from owlrl.XsdDatatypes import OWL_RL_Datatypes

    for predicate in (TYPE, OWL.sameAs):
        if rules.domains.get(predicate) or rules.ranges.get(predicate) or rules.implied.get(predicate):
            raise Unsupported(f"rules about {predicate} itself are not covered by the fast rules")
    if OWL.sameAs in rules.transitive:
        raise Unsupported(f"rules about {OWL.sameAs} itself are not covered by the fast rules")
    if any(rules.super_classes.get(datatype) for datatype in OWL_RL_Datatypes):
        raise Unsupported("sub-classes of datatypes are not covered by the fast rules")
