"""The project's namespaces and graph names as rdflib terms."""

from __future__ import annotations

from rdflib import Dataset, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from belkg import prefixes

__all__ = [
    "BK", "BKD", "DCTERMS", "DERIVED_GRAPHS", "EDGES_GRAPH", "ENTITIES_GRAPH", "GROUNDING_GRAPH",
    "IDENTITIES_GRAPH", "INFERRED_GRAPH", "OA", "ONTOLOGY_GRAPH", "OWL", "PREFIXES", "PROV", "RDF", "RDFS",
    "SCHEMA", "SH", "SKOS", "TIME", "XSD", "document_iri", "new_dataset",
]  # fmt: skip


class _TermsKept(Namespace):
    """A namespace that makes each of its terms once. rdflib's makes, and checks, a new
    URIRef on every attribute access (BK.occurrence), and the build's checks ask for
    some ten of them per claim; here the first access keeps the term as an attribute."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)  # raises AttributeError for Python's own __names__
        self.__dict__[name] = term
        return term


BK = _TermsKept(prefixes.BK)
BKD = _TermsKept(prefixes.BKD)
OA = _TermsKept(prefixes.PREFIXES["oa"])
SCHEMA = _TermsKept(prefixes.PREFIXES["schema"])
SH = _TermsKept("http://www.w3.org/ns/shacl#")
PREFIXES = prefixes.PREFIXES

ONTOLOGY_GRAPH = URIRef(prefixes.ONTOLOGY_GRAPH)
ENTITIES_GRAPH = URIRef(prefixes.ENTITIES_GRAPH)
IDENTITIES_GRAPH = URIRef(prefixes.IDENTITIES_GRAPH)
GROUNDING_GRAPH = URIRef(prefixes.GROUNDING_GRAPH)
EDGES_GRAPH = URIRef(prefixes.EDGES_GRAPH)
INFERRED_GRAPH = URIRef(prefixes.INFERRED_GRAPH)
DERIVED_GRAPHS = (GROUNDING_GRAPH, EDGES_GRAPH, INFERRED_GRAPH)


def document_iri(stem: str) -> URIRef:
    """The IRI of a seed's document node, and of the named graph holding its claims."""
    return BKD[f"doc-{stem}"]


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs, with the
    project's prefixes bound."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset
