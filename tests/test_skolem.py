"""Blank nodes become IRIs named by what they say and who points to them: the same input
gives the same IRIs in every process and every release, whatever the nodes' labels."""

from __future__ import annotations

import random

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from belkg.build.skolem import GENID, skolem_map

EX = "http://example.org/"
DOC = URIRef(EX + "doc")
OTHER = URIRef(EX + "other-graph")


def _quads(evidence: BNode, date: BNode, twin_a: BNode, twin_b: BNode, loop_a: BNode, loop_b: BNode) -> list:
    def iri(name: str) -> URIRef:
        return URIRef(EX + name)

    return [
        (iri("claim"), iri("evidence"), evidence, DOC),
        (evidence, iri("exact"), Literal("the words", lang="en"), DOC),
        (evidence, iri("when"), date, DOC),
        (date, iri("inXSDDate"), Literal("2025-09-11", datatype=XSD.date), DOC),
        (evidence, iri("start"), Literal(12), OTHER),  # the grounding graph speaks of the same node
        (iri("a"), iri("p"), twin_a, DOC),
        (iri("a"), iri("p"), twin_b, DOC),
        (loop_a, iri("next"), loop_b, DOC),
        (loop_b, iri("next"), loop_a, DOC),
    ]


def _labelled(prefix: str) -> list[BNode]:
    return [BNode(f"{prefix}{number}") for number in range(6)]


def test_the_same_quads_get_the_same_iris_whatever_the_labels_and_order():
    first = _labelled("x")
    second = _labelled("y")
    quads_first = _quads(*first)
    quads_second = _quads(*second)
    random.Random(3).shuffle(quads_second)
    mapping_first = skolem_map(quads_first)
    mapping_second = skolem_map(quads_second)
    assert set(mapping_first) == set(first)
    assert [mapping_first[node] for node in first[:3]] == [mapping_second[node] for node in second[:3]]
    assert all(iri.startswith(GENID) for iri in mapping_first.values())
    assert len(set(mapping_first.values())) == 6


def test_signatures_are_what_they_have_always_been():
    """The IRIs these quads were given when skolemization was written: a change here
    would change the IRIs of every export."""
    evidence, date, twin_a, twin_b, loop_a, loop_b = nodes = _labelled("n")
    mapping = skolem_map(_quads(*nodes))
    assert mapping[evidence] == URIRef(GENID + "fc0b344366ad2a18d62f482f")
    assert mapping[date] == URIRef(GENID + "3488cce996e3c6c48a911a35")
    # indistinguishable nodes share a signature and are numbered in the order of their labels
    assert mapping[twin_a] == URIRef(GENID + "e4c38fc732e1b3aa6070f536")
    assert mapping[twin_b] == URIRef(GENID + "e4c38fc732e1b3aa6070f536-1")
    # two nodes pointing at each other end the walk and get IRIs of their own
    assert mapping[loop_a] != mapping[loop_b]


def test_a_node_differing_in_one_place_gets_another_iri():
    nodes = _labelled("n")
    quads = _quads(*nodes)
    changed = [
        (s, p, Literal("the word", lang="en") if o == Literal("the words", lang="en") else o, g) for s, p, o, g in quads
    ]
    before, after = skolem_map(quads), skolem_map(changed)
    assert before[nodes[0]] != after[nodes[0]]
    # a blank node pointing to another is only "a blank node" to it: the date is the same
    assert before[nodes[1]] == after[nodes[1]]
    assert before[nodes[2]] == after[nodes[2]]
