"""The ontology documents itself and avoids the OWL RL traps."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from belkg.namespaces import BK


@pytest.fixture(scope="module")
def ontology(project) -> Graph:
    return Graph().parse(project.ontology_file)


def _terms(ontology: Graph) -> set:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.ConceptScheme)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    concepts = {s for s, o in ontology.subject_objects(RDF.type) if str(o).startswith(str(BK))}
    return {term for term in declared | concepts if str(term).startswith(str(BK))}


def test_every_term_has_an_english_label_and_comment(ontology):
    terms = _terms(ontology)
    assert len(terms) > 200
    missing = sorted(
        str(term)
        for term in terms
        if not any(label.language == "en" for label in ontology.objects(term, RDFS.label))
        or not any(comment.language == "en" for comment in ontology.objects(term, RDFS.comment))
    )
    assert missing == []


def test_every_term_used_is_declared(ontology):
    used = {t for triple in ontology for t in triple if str(t).startswith(str(BK))}
    assert used - set(ontology.subjects()) == set()


def test_no_functional_properties_cardinalities_live_in_shacl(ontology):
    assert list(ontology.subjects(RDF.type, OWL.FunctionalProperty)) == []
    assert list(ontology.subjects(RDF.type, OWL.InverseFunctionalProperty)) == []
    assert list(ontology.subjects(OWL.maxCardinality, None)) == []


def test_every_role_names_the_edge_it_derives(ontology):
    roles = set(ontology.subjects(RDF.type, BK.Role))
    assert {BK.Negotiator, BK.Mediator, BK.Released, BK.NotReleased, BK.ReleasingAuthority} <= roles
    for role in roles:
        edge = ontology.value(role, BK.edgeProperty)
        assert (edge, RDF.type, OWL.ObjectProperty) in ontology, role
