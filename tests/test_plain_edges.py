"""What becomes a plain edge: only a claim the source makes in its own voice, unhedged,
with no modality, condition or opinion. No plain edge, and nothing the reasoner draws,
comes from a qualified claim."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, URIRef

from belkg.build.pipeline import read_dataset, run_build
from belkg.namespaces import BK, BKD, EDGES_GRAPH, INFERRED_GRAPH, PROV, RDF
from belkg.project import Project

from conftest import ROOT

QUALIFIERS = (BK.hedge, BK.statedBy, BK.modality, BK.condition)


def _claims(dataset: Dataset) -> set[URIRef]:
    return {
        claim
        for claim in dataset.subjects(PROV.wasDerivedFrom, None)
        if isinstance(claim, URIRef) and str(claim).startswith(str(BKD) + "claim-")
    }


def _qualified(dataset: Dataset) -> set[URIRef]:
    return {claim for claim in _claims(dataset) if any((claim, q, None) in dataset for q in QUALIFIERS)}


def _edge_of(dataset: Dataset, claim: URIRef) -> tuple[URIRef, URIRef, URIRef] | None:
    """The plain edge a participation or relation claim would make."""
    if (claim, RDF.type, BK.ParticipationClaim) in dataset:
        role = dataset.value(claim, BK.role)
        edge = dataset.value(role, BK.edgeProperty)
        return dataset.value(claim, BK.event), edge, dataset.value(claim, BK.participant)  # type: ignore[return-value]
    if (claim, RDF.type, BK.EventRelationClaim) in dataset:
        edge = dataset.value(dataset.value(claim, BK.relation), BK.edgeProperty)
        return dataset.value(claim, BK.fromEvent), edge, dataset.value(claim, BK.toEvent)  # type: ignore[return-value]
    return None


def test_no_plain_edge_comes_from_a_qualified_claim(built):
    dataset = built.dataset
    edges = dataset.graph(EDGES_GRAPH)
    plain = _claims(dataset) - _qualified(dataset)
    made_by_plain = {_edge_of(dataset, claim) for claim in plain}
    leaked = []
    for claim in sorted(_qualified(dataset)):
        edge = _edge_of(dataset, claim)
        if edge is not None and edge in edges and edge not in made_by_plain:
            leaked.append((claim, edge))
    assert leaked == []
    assert len(_qualified(dataset)) > 100  # the seeds hedge, attribute and qualify a great deal


def test_the_examples_of_qualified_claims_make_no_edge(built):
    edges = built.dataset.graph(EDGES_GRAPH)
    inferred = built.dataset.graph(INFERRED_GRAPH)
    candidate = URIRef(BK + "candidate")
    # 003: people who "wanted to ... run in the 2020 presidential election"
    assert (BKD["belarus-presidential-election-2020"], candidate, BKD["siarhei-tsikhanouski"]) not in edges
    # 000: "This action forced Lukashenko to make significant concessions" is the author's opinion
    suspension = BKD["poland-transport-suspension-2024"]
    for graph in (edges, inferred):
        for effect in (BKD["release-of-250"], BKD["migration-crisis-reduction"]):
            assert not list(graph.triples((effect, None, suspension)))
    # 004: relief Washington "will grant" in return for the release: no order either way
    relief = BKD["us-sanctions-relief-belavia"]
    for graph in (edges, inferred):
        assert not list(graph.triples((relief, None, BKD["release-of-52"])))
        assert not list(graph.triples((BKD["release-of-52"], None, relief)))


def _world(dataset: Dataset, graph: URIRef, claims: set[URIRef]) -> set[tuple[object, object, object]]:
    """A derived graph's statements about the world: not about claims, their evidence, or
    the documents that mention things (a qualified claim still mentions what it names)."""

    def about_sources(term: object) -> bool:
        return (
            isinstance(term, BNode)
            or term in claims
            or "/.well-known/genid/" in str(term)
            or str(term).startswith(str(BKD) + "doc-")
        )

    return {(s, p, o) for s, p, o in dataset.graph(graph) if not about_sources(s) and not about_sources(o)}


@pytest.mark.slow
def test_the_reasoner_draws_nothing_from_qualified_claims(built, tmp_path: Path):
    """Build again without the qualified claims: the plain edges and everything the
    reasoner inferred about the world stay the same."""
    from rdflib import Graph

    dataset = built.dataset
    qualified = _qualified(dataset)
    root = tmp_path / "project"
    for folder in ("ontology", "kg", "seeds", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    for path in sorted((root / "kg").glob("0*.ttl")):
        graph = Graph().parse(path, format="turtle")
        for claim in qualified & set(graph.subjects()):
            for evidence in graph.objects(claim, PROV.wasDerivedFrom):
                graph.remove((evidence, None, None))
            graph.remove((claim, None, None))
        graph.serialize(path, format="turtle")
    nquads, _, _, _ = run_build(Project(root))
    (tmp_path / "without.nq").write_bytes(nquads)
    without = read_dataset(tmp_path / "without.nq")
    claims = _claims(dataset)
    assert _world(without, EDGES_GRAPH, claims) == _world(dataset, EDGES_GRAPH, claims)
    assert _world(without, INFERRED_GRAPH, claims) == _world(dataset, INFERRED_GRAPH, claims)
