"""The real graph, built once: it conforms, every sentence is cited, and the build's
derived graphs say what the ontology promises."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS

from belkg.coverage import project_coverage
from belkg.namespaces import (
    BK,
    BKD,
    EDGES_GRAPH,
    ENTITIES_GRAPH,
    GROUNDING_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    document_iri,
)

DOCUMENTS = [document_iri(stem) for stem in ("000", "001", "002", "003", "004")]


def test_the_graph_conforms(built):
    assert [finding.format() for finding in built.findings] == []


def test_every_sentence_is_cited_or_skipped(built):
    report, stale = project_coverage(built.project, built.dataset)
    assert [seed.seed.split("_")[0] for seed in report] == ["000", "001", "002", "003", "004"]
    assert {seed.seed: seed.count("uncited") for seed in report} == {seed.seed: 0 for seed in report}
    assert stale == []


def test_each_document_is_its_own_named_graph_with_many_claims(built):
    for document in DOCUMENTS:
        graph = built.dataset.graph(document)
        claims = set(graph.subjects(PROV.wasDerivedFrom, None)) - {document}
        assert len(claims) >= 60, document
        assert (document, BK.sha256, None) in graph


def test_asserted_and_inferred_are_apart(built):
    inferred = built.dataset.graph(INFERRED_GRAPH)
    assert len(inferred) > 1000
    asserted = set()
    for name in [ONTOLOGY_GRAPH, ENTITIES_GRAPH, *DOCUMENTS]:
        asserted |= set(built.dataset.graph(name))
    assert not asserted & set(inferred)
    assert not [s for s, _, _ in inferred if isinstance(s, Literal)]


def test_no_two_things_are_merged(built):
    assert [(s, o) for s, o in built.dataset.subject_objects(OWL.sameAs) if s != o] == []


def test_every_quote_has_offsets(built):
    grounding = built.dataset.graph(GROUNDING_GRAPH)
    evidence = set(built.dataset.subjects(URIRef("http://www.w3.org/ns/oa#exact"), None))
    assert evidence == set(grounding.subjects(URIRef("http://www.w3.org/ns/oa#start"), None))


def test_the_release_of_52_is_one_event_in_two_documents(built):
    mentions = set(built.dataset.subjects(BK.mentions, BKD["release-of-52"]))
    assert mentions == {document_iri("002"), document_iri("004")}


def test_edges_come_from_roles_and_their_inverses_from_reasoning(built):
    edges = built.dataset.graph(EDGES_GRAPH)
    inferred = built.dataset.graph(INFERRED_GRAPH)
    assert (BKD["release-of-52"], BK.negotiatedBy, BKD["john-coale"]) in edges
    assert (BKD["release-of-52"], BK.mediatedBy, BKD["united-states"]) in edges
    assert (BKD["release-of-52"], BK.intermediary, BKD["john-coale"]) in inferred
    assert (BKD["john-coale"], BK.negotiated, BKD["release-of-52"]) in inferred
    assert (BKD["release-of-52"], BK.releasedBy, BKD["alexander-lukashenko"]) in edges
    assert (BKD["release-of-52"], BK.negotiatedBy, BKD["alexander-lukashenko"]) not in edges


def test_claims_only_planned_or_demanded_yield_no_edge(built):
    edges = built.dataset.graph(EDGES_GRAPH)
    assert (BKD["release-of-all-political-prisoners"], BK.freed, None) not in edges


def test_every_spelling_is_an_alias_of_one_thing(built):
    pairs = {
        "siarhei-tsikhanouski": {"Siarhei Tsikhanouski", "Siarhei Tsikhanovsky"},
        "maria-kalesnikava": {"Maria Kalesnikava", "Maria Kolesnikova"},
        "mikola-statkevich": {"Mikola Statkevich", "Mikalai Statkevich"},
        "dmitry-bolkunets": {"Dmitry Bolkunets", "Dmitry Bolunets"},
    }
    for slug, spellings in pairs.items():
        labels = {str(o) for o in built.dataset.objects(BKD[slug], SKOS.prefLabel | SKOS.altLabel)}
        assert spellings <= labels, slug


def test_the_unnamed_us_citizen_is_a_person_with_no_invented_name(built):
    person = BKD["unidentified-us-citizen"]
    assert (person, RDF.type, BK.Person) in built.dataset
    assert {str(o) for o in built.dataset.objects(person, SKOS.prefLabel)} == {"unidentified U.S. citizen"}
