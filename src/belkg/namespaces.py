"""The project's namespaces and the names of the graphs a build produces."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

__all__ = [
    "BK",
    "BKD",
    "DCTERMS",
    "DERIVED_GRAPHS",
    "EDGES_GRAPH",
    "ENTITIES_GRAPH",
    "GROUNDING_GRAPH",
    "INFERRED_GRAPH",
    "OA",
    "ONTOLOGY_GRAPH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "TIME",
    "XSD",
    "document_iri",
]

BK = Namespace("https://w3id.org/belkg/ontology#")
BKD = Namespace("https://w3id.org/belkg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

GRAPH_BASE = "https://w3id.org/belkg/graph/"
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
ENTITIES_GRAPH = URIRef(GRAPH_BASE + "entities")
GROUNDING_GRAPH = URIRef(GRAPH_BASE + "grounding")
EDGES_GRAPH = URIRef(GRAPH_BASE + "edges")
INFERRED_GRAPH = URIRef(GRAPH_BASE + "inferred")

# Graphs computed by the build, as opposed to the hand-written (asserted) ones.
DERIVED_GRAPHS = (GROUNDING_GRAPH, EDGES_GRAPH, INFERRED_GRAPH)

PREFIXES: dict[str, str] = {
    "bk": str(BK),
    "bkd": str(BKD),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
}


def document_iri(stem: str) -> URIRef:
    """The IRI of a seed's document node, and of the named graph holding its claims."""
    return BKD[f"doc-{stem}"]
