"""SHACL validation of the hand-written graphs, reported as findings a person understands."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.term import Node

from belkg.build import shacl_core
from belkg.build.findings import Finding
from belkg.build.loading import LoadedGraph
from belkg.build.locating import describe, line_of, short_name
from belkg.build.shacl_core import Violation
from belkg.namespaces import SH
from belkg.project import Project

_RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def _graph_defining(loaded: LoadedGraph, node: Node) -> URIRef | None:
    """The named graph in which a node is a subject (where its author wrote it)."""
    for _, _, _, name in loaded.quads((node, None, None)):
        return name
    return None


def _owner(union: Graph, node: Node) -> Node:
    """A blank node is reported through the named node that points to it."""
    seen = {node}
    while not isinstance(node, URIRef):
        parent = next(iter(union.subjects(None, node)), None)
        if parent is None or parent in seen:
            break
        seen.add(parent)
        node = parent
    return node


VALIDATORS = ("fast", "pyshacl")


def shape_violations(loaded: LoadedGraph, shapes: Graph, validator: str = "fast") -> list[Violation]:
    """The raw SHACL results over the asserted graphs (ontology included, so subclasses
    count), from the fast evaluator or from pyshacl, the reference. Shapes the fast
    evaluator does not cover are run by pyshacl."""
    if validator not in VALIDATORS:
        raise ValueError(f"unknown validator {validator!r}")
    triples = loaded.triples()
    if validator == "fast":
        try:
            return shacl_core.validate(triples, shapes)
        except shacl_core.Unsupported:
            pass
    return _pyshacl_violations(triples, shapes)


def _pyshacl_violations(triples: Iterable[tuple[Node, Node, Node]], shapes: Graph) -> list[Violation]:
    from pyshacl import validate  # imported here: only this validator needs it, and it is slow to import

    data = Graph()
    for triple in triples:
        data.add(triple)
    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    assert isinstance(results, Graph)
    violations = set()
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        component = results.value(result, SH.sourceConstraintComponent)
        source_shape = results.value(result, SH.sourceShape)
        message = results.value(result, SH.resultMessage)
        assert focus is not None and isinstance(component, URIRef) and source_shape is not None
        violations.add(
            Violation(
                focus=focus,
                path=results.value(result, SH.resultPath),
                component=component,
                source_shape=source_shape,
                message=str(message) if message is not None else "",
                value=results.value(result, SH.value),
            )
        )
    return sorted(violations, key=str)


def validate_shapes(project: Project, loaded: LoadedGraph, shapes: Graph, validator: str = "fast") -> list[Finding]:
    """The SHACL violations as findings: file, line, node, label, rule, message, hint."""
    findings = []
    for violation in shape_violations(loaded, shapes, validator):
        focus, path, component = violation.focus, violation.path, violation.component
        source_shape = violation.source_shape
        hint = shapes.value(source_shape, SH.description)
        owner = _owner(loaded.union, focus)
        graph = _graph_defining(loaded, owner)
        file = loaded.file_of(graph) if graph is not None else None
        rule = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        shape_label = None
        node_shape: Node | None = source_shape
        while node_shape is not None and (node_shape, _RDFS_LABEL, None) not in shapes:
            node_shape = next(iter(shapes.subjects(SH.property, node_shape)), None)
        if node_shape is not None:
            shape_label = shapes.value(node_shape, _RDFS_LABEL)
        value = violation.value
        text = violation.message or "does not conform"
        if value is not None and "MinCount" not in str(component):
            text += f" (found {short_name(value)})"
        findings.append(
            Finding(
                rule=f"{shape_label}: {rule}" if shape_label else rule,
                message=text,
                file=project.relative(file) if file else None,
                line=line_of(file, owner),
                node=short_name(owner) if owner == focus else f"{short_name(owner)} → {short_name(focus)}",
                label=describe(loaded.union, owner),
                hint=str(hint) if hint is not None else None,
                path=short_name(path) if path is not None else None,
            )
        )
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.node or "", f.rule, f.message))
