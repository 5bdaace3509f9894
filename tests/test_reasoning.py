"""The fast reasoner gives owlrl's OWL 2 RL closure: on the real graph, on a synthetic
one, on random small ontologies, and by falling back to owlrl where it cannot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, XSD

from belkg.build.pipeline import build
from belkg.build.reasoning import infer
from belkg.build.rl_rules import Unsupported, closure
from belkg.namespaces import GROUNDING_GRAPH, INFERRED_GRAPH
from belkg.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate

EX = Namespace("https://example.org/")


def _sorted_lines(path: Path) -> list[bytes]:
    return sorted(path.read_bytes().splitlines())


@pytest.mark.slow
def test_fast_closure_of_the_real_graph_is_owlrls(built):
    asserted = [
        triple
        for graph in built.dataset.graphs()
        if graph.identifier not in (GROUNDING_GRAPH, INFERRED_GRAPH)
        for triple in graph
    ]
    fast = set(infer(asserted, "fast"))
    assert len(fast) > 5000
    assert fast == set(infer(asserted, "owlrl"))
    assert fast == set(built.dataset.graph(INFERRED_GRAPH))


@pytest.mark.slow
def test_builds_by_either_reasoner_are_identical_on_a_synthetic_graph(tmp_path):
    generate(tmp_path / "synthetic", 7_000)  # the smallest size with every claim kind
    project = Project(tmp_path / "synthetic")
    fast = build(project, tmp_path / "fast")
    reference = build(project, tmp_path / "owlrl", reasoner="owlrl", validator="pyshacl")
    assert fast.entry.manifest["made_with"] == {"reasoner": "fast", "validator": "fast"}
    assert reference.entry.manifest["made_with"] == {"reasoner": "owlrl", "validator": "pyshacl"}
    assert fast.findings == reference.findings == []
    assert fast.entry.manifest["triples_per_graph"][str(INFERRED_GRAPH)] > 5000
    assert _sorted_lines(fast.entry.dataset_file) == _sorted_lines(reference.entry.dataset_file)


CLASSES = [EX[f"C{i}"] for i in range(4)]
PROPERTIES = [EX[f"p{i}"] for i in range(4)]
INDIVIDUALS = [EX[f"x{i}"] for i in range(4)]

schema_axioms = st.one_of(
    st.tuples(
        st.sampled_from(CLASSES), st.sampled_from([RDFS.subClassOf, OWL.equivalentClass]), st.sampled_from(CLASSES)
    ),
    st.tuples(
        st.sampled_from(PROPERTIES),
        st.sampled_from([RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf]),
        st.sampled_from(PROPERTIES),
    ),
    st.tuples(st.sampled_from(PROPERTIES), st.sampled_from([RDFS.domain, RDFS.range]), st.sampled_from(CLASSES)),
    st.tuples(
        st.sampled_from(PROPERTIES),
        st.just(RDF.type),
        st.sampled_from([OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty, OWL.TransitiveProperty]),
    ),
    st.tuples(st.sampled_from(CLASSES), st.just(RDF.type), st.just(OWL.Class)),
)
facts = st.one_of(
    st.tuples(st.sampled_from(INDIVIDUALS), st.just(RDF.type), st.sampled_from(CLASSES)),
    st.tuples(st.sampled_from(INDIVIDUALS), st.sampled_from(PROPERTIES), st.sampled_from(INDIVIDUALS)),
    st.tuples(
        st.sampled_from(INDIVIDUALS),
        st.sampled_from(PROPERTIES),
        st.sampled_from([Literal("a"), Literal(3), Literal("x", lang="en"), Literal("2025-01-01", datatype=XSD.date)]),
    ),
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(st.lists(schema_axioms, max_size=10), st.lists(facts, max_size=12))
def test_fast_closure_equals_owlrl_on_random_ontologies(schema, data):
    triples = schema + data
    assert set(infer(triples, "fast")) == set(infer(triples, "owlrl"))


def test_a_construct_outside_the_fast_rules_is_refused():
    triples = [(EX.p, RDF.type, OWL.FunctionalProperty), (EX.x, EX.p, EX.y)]
    try:
        closure(triples)
    except Unsupported as error:
        assert str(error) == "http://www.w3.org/2002/07/owl#FunctionalProperty is not covered by the fast rules"
    else:
        raise AssertionError("owl:FunctionalProperty was not refused")


@pytest.mark.slow
def test_build_falls_back_to_owlrl_for_what_the_fast_rules_do_not_cover(tiny_project, tmp_path):
    project = tiny_project()
    with project.ontology_file.open("a", encoding="utf-8") as ontology:
        ontology.write(
            "\nbk:onlyOne a owl:ObjectProperty , owl:FunctionalProperty ;"
            ' rdfs:label "only one"@en ; rdfs:comment "A property with one value."@en .\n'
        )
    said: list[str] = []
    fallback = build(project, tmp_path / "fast", progress=said.append)
    reference = build(project, tmp_path / "owlrl", reasoner="owlrl")
    assert (
        "http://www.w3.org/2002/07/owl#FunctionalProperty is not covered by the fast rules: using owlrl instead" in said
    )
    assert _sorted_lines(fallback.entry.dataset_file) == _sorted_lines(reference.entry.dataset_file)
