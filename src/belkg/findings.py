"""Findings of validation: what is wrong, where, and how to fix it, in words a person reads."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from belkg.namespaces import BK, OA, PREFIXES, PROV, SKOS

_LABEL_WIDTH = 60


@dataclass(frozen=True)
class Finding:
    """One problem found in the graph."""

    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    node: str | None = None
    label: str | None = None
    hint: str | None = None
    path: str | None = None

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "-"

    def format(self) -> str:
        """One line for the terminal: FILE:LINE: node (label): [rule] message. Fix: hint"""
        parts = [f"{self.location()}:"]
        if self.node:
            parts.append(self.node + (f" ({self.label})" if self.label else "") + ":")
        parts.append(f"[{self.rule}]")
        parts.append(self.message.rstrip("."))
        text = " ".join(parts)
        if self.path:
            text += f" (property {self.path})"
        if self.hint:
            text += f". Fix: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def short_name(term: Node) -> str:
    """An IRI in prefixed form where a project prefix fits, else in angle brackets."""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if text.startswith(namespace) and re.fullmatch(r"[\w.-]*", text[len(namespace) :]):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
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
