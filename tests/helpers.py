"""Comparisons the tests share."""

from __future__ import annotations

from rdflib import Dataset
from rdflib.compare import isomorphic


def graph_names(dataset: Dataset) -> set[str]:
    return {str(graph.identifier) for graph in dataset.graphs() if len(graph)}


def same_dataset(first: Dataset, second: Dataset) -> bool:
    """The same named graphs, each isomorphic to its counterpart."""
    if graph_names(first) != graph_names(second):
        return False
    return all(
        isomorphic(first.graph(graph.identifier), second.graph(graph.identifier))
        for graph in first.graphs()
        if len(graph)
    )
