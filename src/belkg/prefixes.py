"""The project's prefixes and graph names as plain strings, for code that must not import
rdflib (the fast query path)."""

from __future__ import annotations

BK = "https://w3id.org/belkg/ontology#"
BKD = "https://w3id.org/belkg/id/"

PREFIXES: dict[str, str] = {
    "bk": BK,
    "bkd": BKD,
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

GRAPH_BASE = "https://w3id.org/belkg/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
ENTITIES_GRAPH = GRAPH_BASE + "entities"
IDENTITIES_GRAPH = GRAPH_BASE + "identities"
GROUNDING_GRAPH = GRAPH_BASE + "grounding"
EDGES_GRAPH = GRAPH_BASE + "edges"
INFERRED_GRAPH = GRAPH_BASE + "inferred"

# Graphs computed by the build, as opposed to the hand-written (asserted) ones.
DERIVED_GRAPHS = (GROUNDING_GRAPH, EDGES_GRAPH, INFERRED_GRAPH)


# Longest namespace first, so that the most specific prefix wins.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def shorten(iri: str) -> str:
    """An IRI in prefixed form where a project prefix fits (longest namespace first)."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-." for c in local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(name: str) -> str:
    """A prefixed name (bkd:x) as a full IRI; anything else is returned as it is."""
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name
