"""A fast evaluator of the SHACL Core constraints belkg's shapes use.

pyshacl walks the data graph through rdflib once per shape and constraint, and takes
seconds per hundred thousand triples. Here the data is indexed once (values by subject
and predicate, instances by class) and each shape is compiled to a list of checks.

The checks follow pyshacl's behaviour, not only the specification's, so both give the
same results (a test holds them equal on every bad fixture): sh:pattern matches at the
start or anywhere, sh:datatype rejects ill-typed literals, comparisons of strings with
non-strings fail. A shape using anything else raises `Unsupported`; pyshacl is then the
validator to use. Messages are the shapes' own sh:message: one is required.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

SH = "http://www.w3.org/ns/shacl#"
Triple = tuple[Node, Node, Node]

# rdflib looks up each term of its defined namespaces through Python-level code.
_TYPE, _LITERAL, _DATATYPE, _STRING, _LANG_STRING = RDF.type, RDFS.Literal, RDFS.Datatype, XSD.string, RDF.langString


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


class Unsupported(Exception):
    """The shapes use a SHACL feature this evaluator does not cover."""


@dataclass(frozen=True)
class Violation:
    """One validation result, as pyshacl reports it."""

    focus: Node
    path: Node | None
    component: URIRef
    source_shape: Node
    message: str
    value: Node | None


def _reachable(start: Node, neighbours: Callable[[Node], Iterable[Node]]) -> set[Node]:
    """The start and every node reachable from it by following `neighbours`."""
    found = {start}
    todo = [start]
    while todo:
        for neighbour in neighbours(todo.pop()):
            if neighbour not in found:
                found.add(neighbour)
                todo.append(neighbour)
    return found


class Data:
    """The data graph, indexed for the lookups the checks make."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.values: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self.subjects_of: dict[Node, set[Node]] = defaultdict(set)
        self.objects_of: dict[Node, set[Node]] = defaultdict(set)
        for subject, predicate, obj in set(triples):
            self.values[(subject, predicate)].append(obj)
            self.subjects_of[predicate].add(subject)
            self.objects_of[predicate].add(obj)
        self.instances: dict[Node, set[Node]] = defaultdict(set)
        for subject in self.subjects_of[RDF.type]:
            for kind in self.values[(subject, RDF.type)]:
                self.instances[kind].add(subject)
        self.narrower_of: dict[Node, list[Node]] = defaultdict(list)
        for subject in self.subjects_of[RDFS.subClassOf]:
            for wider in self.objects(subject, RDFS.subClassOf):
                self.narrower_of[wider].append(subject)
        self._supers: dict[Node, set[Node]] = {}

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.values.get((subject, predicate), [])

    def super_classes(self, kind: Node) -> set[Node]:
        """The class and every class it is a sub-class of, through any chain."""
        if kind not in self._supers:
            self._supers[kind] = _reachable(kind, lambda node: self.objects(node, RDFS.subClassOf))
        return self._supers[kind]

    def sub_classes(self, kind: Node) -> set[Node]:
        """The class and every class that is a sub-class of it, through any chain."""
        return _reachable(kind, lambda node: self.narrower_of.get(node, []))

    def is_instance(self, node: Node, kind: Node) -> bool:
        return any(kind in self.super_classes(own) for own in self.objects(node, _TYPE))


# A check takes the data, the focus node and its value nodes, and yields the failing
# value nodes (None for a failure of the whole set, such as a count).
Check = Callable[[Data, Node, list[Node]], Iterator[Node | None]]


@dataclass
class Shape:
    node: Node
    path: URIRef | None
    checks: list[tuple[URIRef, Check]]
    properties: list[Shape]
    message: str | None

    def value_nodes(self, data: Data, focus: Node) -> list[Node]:
        return data.objects(focus, self.path) if self.path is not None else [focus]

    def results(self, data: Data, focus: Node) -> Iterator[Violation]:
        values = self.value_nodes(data, focus)
        for component, check in self.checks:
            for value in check(data, focus, values):
                yield Violation(focus, self.path, component, self.node, self.message or "", value)
        for prop in self.properties:
            yield from prop.results(data, focus)

    def conforms(self, data: Data, focus: Node) -> bool:
        return next(self.results(data, focus), None) is None


_CONTROL = {
    _sh("path"), _sh("message"), _sh("description"), _sh("name"), _sh("order"), _sh("group"),
    RDFS.label, RDFS.comment, RDF.type, _sh("targetClass"), _sh("targetSubjectsOf"), _sh("targetObjectsOf"),
    _sh("targetNode"), _sh("property"),
}  # fmt: skip


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.compiled: dict[Node, Shape] = {}

    def one(self, node: Node, predicate: URIRef) -> Node:
        values = list(self.shapes.objects(node, predicate))
        if len(values) != 1:
            raise Unsupported(f"{node} has {len(values)} values of {predicate}")
        return values[0]

    def items(self, node: Node) -> list[Node]:
        return list(self.shapes.items(node))

    def shape(self, node: Node, top_level: bool = False) -> Shape:
        if node in self.compiled:
            return self.compiled[node]
        path = next(iter(self.shapes.objects(node, _sh("path"))), None)
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported(f"{node}: only predicate paths are covered")
        message = self.shapes.value(node, _sh("message"))
        shape = Shape(node, path, [], [], str(message) if message is not None else None)
        self.compiled[node] = shape
        for predicate in set(self.shapes.predicates(node)):
            if predicate in _CONTROL:
                continue
            if not isinstance(predicate, URIRef) or not predicate.startswith(SH):
                continue
            shape.checks.extend(self._checks(node, predicate))
        for prop in self.shapes.objects(node, _sh("property")):
            shape.properties.append(self.shape(prop, top_level=top_level))
        if top_level and (shape.checks and shape.message is None):
            raise Unsupported(f"{node} has no sh:message")
        return shape

    def _checks(self, node: Node, predicate: URIRef) -> Iterator[tuple[URIRef, Check]]:
        name = predicate[len(SH) :]
        builder = getattr(self, f"_{name}", None)
        if builder is None:
            raise Unsupported(f"sh:{name} is not covered")
        for parameter in self.shapes.objects(node, predicate):
            yield builder(node, parameter)

    @staticmethod
    def _component(name: str) -> URIRef:
        return _sh(name[0].upper() + name[1:] + "ConstraintComponent")

    def _each_value(self, name: str, accepts: Callable[[Data, Node], bool]) -> tuple[URIRef, Check]:
        """A constraint on each value node by itself: the values it does not accept fail."""

        def check(data: Data, focus: Node, values: list[Node]) -> Iterator[Node | None]:
            return (value for value in values if not accepts(data, value))

        return self._component(name), check

    def _class(self, _: Node, kind: Node) -> tuple[URIRef, Check]:
        return self._each_value(
            "class", lambda data, value: not isinstance(value, Literal) and data.is_instance(value, kind)
        )

    def _datatype(self, _: Node, datatype: Node) -> tuple[URIRef, Check]:
        return self._each_value("datatype", lambda data, value: _has_datatype(value, datatype))

    def _nodeKind(self, _: Node, kind: Node) -> tuple[URIRef, Check]:
        kinds: dict[Node, tuple[type, ...]] = {
            _sh("IRI"): (URIRef,), _sh("BlankNode"): (BNode,), _sh("Literal"): (Literal,),
            _sh("BlankNodeOrIRI"): (BNode, URIRef), _sh("BlankNodeOrLiteral"): (BNode, Literal),
            _sh("IRIOrLiteral"): (URIRef, Literal),
        }  # fmt: skip
        allowed = kinds[kind]
        return self._each_value("nodeKind", lambda data, value: isinstance(value, allowed))

    def _minCount(self, _: Node, count: Node) -> tuple[URIRef, Check]:
        least = int(count)  # type: ignore[call-overload]

        def check(data: Data, focus: Node, values: list[Node]) -> Iterator[Node | None]:
            if len(values) < least:
                yield None

        return self._component("minCount"), check

    def _maxCount(self, _: Node, count: Node) -> tuple[URIRef, Check]:
        most = int(count)  # type: ignore[call-overload]

        def check(data: Data, focus: Node, values: list[Node]) -> Iterator[Node | None]:
            if len(values) > most:
                yield None

        return self._component("maxCount"), check

    def _pattern(self, node: Node, pattern: Node) -> tuple[URIRef, Check]:
        if self.shapes.value(node, _sh("flags")) is not None:
            raise Unsupported("sh:flags is not covered")
        matcher = re.compile(str(pattern))
        return self._each_value(
            "pattern", lambda data, value: not isinstance(value, BNode) and bool(matcher.search(_as_string(value)))
        )

    def _minLength(self, _: Node, length: Node) -> tuple[URIRef, Check]:
        least = int(length)  # type: ignore[call-overload]
        return self._each_value(
            "minLength",
            lambda data, value: not least or (not isinstance(value, BNode) and len(_as_string(value)) >= least),
        )

    def _minInclusive(self, _: Node, bound: Node) -> tuple[URIRef, Check]:
        assert isinstance(bound, Literal)
        return self._each_value("minInclusive", lambda data, value: _at_least(value, bound))

    def _hasValue(self, _: Node, expected: Node) -> tuple[URIRef, Check]:
        def check(data: Data, focus: Node, values: list[Node]) -> Iterator[Node | None]:
            if expected not in values:
                yield None

        return self._component("hasValue"), check

    def _in(self, _: Node, members: Node) -> tuple[URIRef, Check]:
        allowed = self.items(members)
        return self._each_value("in", lambda data, value: value in allowed)

    def _pair(self, name: str, other: Node, holds: Callable[[object, object], bool]) -> tuple[URIRef, Check]:
        def check(data: Data, focus: Node, values: list[Node]) -> Iterator[Node | None]:
            for value in values:
                for bound in data.objects(focus, other):
                    if not _compares(value, bound, holds):
                        yield value

        return self._component(name), check

    def _lessThan(self, _: Node, other: Node) -> tuple[URIRef, Check]:
        return self._pair("lessThan", other, lambda a, b: a < b)  # type: ignore[operator]

    def _lessThanOrEquals(self, _: Node, other: Node) -> tuple[URIRef, Check]:
        return self._pair("lessThanOrEquals", other, lambda a, b: a <= b)  # type: ignore[operator]

    def _or(self, _: Node, members: Node) -> tuple[URIRef, Check]:
        shapes = [self.shape(member) for member in self.items(members)]
        return self._each_value("or", lambda data, value: any(shape.conforms(data, value) for shape in shapes))

    def _xone(self, _: Node, members: Node) -> tuple[URIRef, Check]:
        shapes = [self.shape(member) for member in self.items(members)]
        return self._each_value("xone", lambda data, value: sum(shape.conforms(data, value) for shape in shapes) == 1)

    def _not(self, _: Node, member: Node) -> tuple[URIRef, Check]:
        shape = self.shape(member)
        return self._each_value("not", lambda data, value: not shape.conforms(data, value))


_STRINGS = (None, RDF.langString, XSD.string)
_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}  # fmt: skip


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
    elif datatype == _LITERAL or (datatype == _DATATYPE and value.datatype):
        return True
    elif not (
        (value.datatype is None and value.language is None and datatype == _STRING)
        or (datatype == _LANG_STRING and value.language)
    ):
        return False
    expected = _VALUE_TYPES.get(datatype)
    return expected is None or isinstance(value.value, expected)


def _as_string(value: Node) -> str:
    if isinstance(value, Literal) and value.value is not None and value.datatype in _STRINGS:
        return str(value.value)
    return str(value)


def _at_least(value: Node, bound: Literal) -> bool:
    if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        if value.eq(bound):
            return True
        if isinstance(value.value, (datetime, time)):
            return bool(value.value > bound.value)
        return bool(value > bound)
    except (TypeError, NotImplementedError):
        return False


def _compares(value: Node, bound: Node, holds: Callable[[object, object], bool]) -> bool:
    if isinstance(value, BNode) or isinstance(bound, BNode):
        raise Unsupported("sh:lessThan on a blank node")
    left, left_is_string = _comparable(value)
    right, right_is_string = _comparable(bound)
    if left_is_string != right_is_string:
        return False
    return holds(left, right)


def _comparable(node: Node) -> tuple[object, bool]:
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def compile_shapes(shapes: Graph) -> list[tuple[Shape, list[Node], list[Node], list[Node]]]:
    """Each shape with targets, and its target classes, subjects-of and objects-of."""
    compiler = _Compiler(shapes)
    targeted = []
    heads = set(shapes.subjects(_sh("targetClass"), None))
    heads |= set(shapes.subjects(_sh("targetSubjectsOf"), None))
    heads |= set(shapes.subjects(_sh("targetObjectsOf"), None))
    if next(shapes.subjects(_sh("targetNode"), None), None) is not None:
        raise Unsupported("sh:targetNode is not covered")
    for head in sorted(heads, key=str):
        targeted.append(
            (
                compiler.shape(head, top_level=True),
                list(shapes.objects(head, _sh("targetClass"))),
                list(shapes.objects(head, _sh("targetSubjectsOf"))),
                list(shapes.objects(head, _sh("targetObjectsOf"))),
            )
        )
    return targeted


# Shapes compiled in this process, by the graph they were compiled from (the same object,
# with as many triples): belkg.build.loading hands out one graph for one text, so a process that
# validates again and again (the tests, a server) compiles unchanged shapes once.
_COMPILED: dict[int, tuple[Graph, int, list[tuple[Shape, list[Node], list[Node], list[Node]]]]] = {}
_COMPILED_KEPT = 4


def _compiled(shapes: Graph) -> list[tuple[Shape, list[Node], list[Node], list[Node]]]:
    kept = _COMPILED.get(id(shapes))
    if kept is not None and kept[0] is shapes and kept[1] == len(shapes):
        return kept[2]
    compiled = compile_shapes(shapes)
    if len(_COMPILED) >= _COMPILED_KEPT:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[id(shapes)] = (shapes, len(shapes), compiled)
    return compiled


def validate(triples: Iterable[Triple], shapes: Graph) -> list[Violation]:
    """Every violation of the shapes by the data, as pyshacl would report them. The
    shapes graph must not change once validated against: its compiled form is kept."""
    compiled = _compiled(shapes)
    data = Data(triples)
    violations: set[Violation] = set()
    for shape, classes, subjects_of, objects_of in compiled:
        focus_nodes: set[Node] = set()
        for kind in classes:
            for narrower in data.sub_classes(kind):
                focus_nodes |= data.instances.get(narrower, set())
        for predicate in subjects_of:
            focus_nodes |= data.subjects_of.get(predicate, set())
        for predicate in objects_of:
            focus_nodes |= data.objects_of.get(predicate, set())
        for focus in focus_nodes:
            violations.update(shape.results(data, focus))
    return sorted(violations, key=str)
