"""Where a node is written and what to call it, for findings a person can act on."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.namespaces import BK, OA, PROV, SKOS
from belkg.prefixes import shorten
from belkg.project import Project

_LABEL_WIDTH = 60


def short_name(term: Node) -> str:
    """An IRI in prefixed form where a project prefix fits, else in angle brackets."""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        return repr(str(term))
    return str(term)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_WIDTH else text[: _LABEL_WIDTH - 1] + "…"


def describe(graph: Graph | Dataset, node: Node) -> str | None:
    """A few words a person recognises a node by: its label, or a claim's first quote."""
    label = graph.value(node, SKOS.prefLabel)
    if label is not None:
        return str(label)
    exact = graph.value(node, OA.exact)
    if exact is None:
        evidence = graph.value(node, PROV.wasDerivedFrom)
        if evidence is not None:
            exact = graph.value(evidence, OA.exact)
    if exact is not None:
        return f"“{_shorten(str(exact))}”"
    title = graph.value(node, URIRef("http://purl.org/dc/terms/title"))
    if title is not None:
        return str(title)
    value = graph.value(node, BK.roleName)
    return str(value) if value is not None else None


def line_of(path: Path | None, node: Node) -> int | None:
    """The line where a file first writes a node as a subject (or at all)."""
    if path is None or not isinstance(node, URIRef):
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    names = [short_name(node), f"<{node}>"]
    for pattern in (r"^\s*{}(?=[\s;,.]|$)", r"(?<![\w:-]){}(?=[\s;,.\]\)]|$)"):
        for number, text in enumerate(lines, start=1):
            if any(re.search(pattern.format(re.escape(name)), text) for name in names):
                return number
    return None


def finding_about(
    project: Project, path: Path | None, graph: Graph | Dataset, node: Node, rule: str, message: str, hint: str
) -> Finding:
    """A finding about a node of a hand-written file: the file and the line that writes the
    node, its short name and the words a person knows it by (from the graph given)."""
    return Finding(
        rule=rule,
        message=message,
        file=project.relative(path) if path else None,
        line=line_of(path, node),
        node=short_name(node),
        label=describe(graph, node),
        hint=hint,
    )
