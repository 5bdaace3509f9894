"""Derive the simple edges from the claims by the SPARQL CONSTRUCT rules in ontology/rules/."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from belkg.errors import BelkgError
from belkg.loading import read_text


def derive_edges(dataset: Dataset, rule_files: list[Path], shown: dict[Path, str] | None = None) -> Graph:
    """Run every rule over the union of the dataset's graphs; return the edges they build."""
    edges = Graph()
    for path in rule_files:
        text = read_text(path, (shown or {}).get(path, str(path)))
        try:
            result = dataset.query(text)
        except Exception as error:  # pyparsing and rdflib raise several types for bad SPARQL
            name = (shown or {}).get(path, str(path))
            raise BelkgError(f"rule is not a valid SPARQL CONSTRUCT query: {error}", name) from None
        if result.graph is None:
            raise BelkgError("a rule must be a CONSTRUCT query", (shown or {}).get(path, str(path)))
        for triple in result.graph:
            edges.add(triple)
    return edges
