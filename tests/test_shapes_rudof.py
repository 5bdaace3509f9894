"""belkg's SHACL evaluator against an independent engine, rudof (Rust, through pyrudof), on
every bad fixture of test_shapes: the same results, counted by constraint component and
focus node (each engine names blank nodes its own way)."""

from __future__ import annotations

from collections import Counter

import pyrudof
import pytest
from rdflib import BNode, Graph
from rdflib.term import Node

from belkg.build import shacl_core
from belkg.build.loading import load_project, parse_turtle
from test_shapes import _fixture_names, make_project

from conftest import TinyProject

pytestmark = pytest.mark.slow


def _result(component: object, focus: object) -> tuple[str, str]:
    """A result as (component, focus), a blank focus node by its kind only."""
    name = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    blank = isinstance(focus, BNode) or str(focus).startswith("_:")
    return name, "blank node" if blank else str(focus)


def _rudof_results(data: Graph, shapes_file: str) -> Counter[tuple[str, str]]:
    rudof = pyrudof.Rudof()
    strict = pyrudof.ReaderMode.Strict
    rudof.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples, reader_mode=strict)
    rudof.read_shacl(shapes_file, format=pyrudof.ShaclFormat.Turtle, reader_mode=strict)
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    assert report.conforms == (len(report) == 0)
    return Counter(_result(entry.constraint_component, entry.focus_node) for entry in report)


@pytest.mark.parametrize("name", _fixture_names())
def test_rudof_reports_what_the_fast_validator_reports(tiny_project: TinyProject, name: str) -> None:
    project = make_project(tiny_project, name)
    loaded = load_project(project)
    triples: list[tuple[Node, Node, Node]] = list(loaded.triples())
    fast = shacl_core.validate(triples, parse_turtle(project.shapes_file, "shapes.ttl"))
    data = Graph()
    for triple in triples:
        data.add(triple)
    expected = Counter(_result(violation.component, violation.focus) for violation in fast)
    assert expected
    assert _rudof_results(data, str(project.shapes_file)) == expected
