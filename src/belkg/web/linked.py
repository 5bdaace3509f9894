"""Linked data: what the graph says of one IRI, or the ontology, as RDF."""

from __future__ import annotations

from belkg.engines import Engine, QueryResult
from belkg.prefixes import ONTOLOGY_GRAPH
from belkg.results import render_graph
from belkg.web.pages import NotFound, about

# The RDF formats a thing's page also answers in: extension -> (format, media type).
RDF_EXTENSIONS = {
    "ttl": ("ttl", "text/turtle; charset=utf-8"),
    "jsonld": ("jsonld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "rdf": ("xml", "application/rdf+xml"),
}
RDF_MEDIA = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}


def wants_rdf(accept: str | None) -> str | None:
    """The extension of the RDF format an Accept header prefers over HTML, if any."""
    from belkg.web.protocol import _accepted

    for media, _ in _accepted(accept or ""):
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return None
        if media in RDF_MEDIA:
            return RDF_MEDIA[media]
    return None


_DESCRIBE = "CONSTRUCT { ?iri ?p ?o . ?s ?q ?iri } WHERE { { ?iri ?p ?o } UNION { ?s ?q ?iri } }"


def described(engine: Engine, iri: str) -> QueryResult:
    """Every triple with the IRI as subject or object."""
    result = about(engine, _DESCRIBE, iri)
    if not result.triples:
        raise NotFound(f"nothing in the graph is called <{iri}>")
    return result


def describe(engine: Engine, iri: str, ext: str) -> bytes:
    """Every triple with the IRI as subject or object, in the format of an extension."""
    return render_graph(described(engine, iri), RDF_EXTENSIONS[ext][0])


def ontology(engine: Engine, ext: str) -> bytes:
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    return render_graph(engine.run(text), RDF_EXTENSIONS[ext][0])
