"""Turtle is read by Oxigraph's parser into rdflib terms, and by rdflib's parser where
Oxigraph's refuses the text: both give the same graph, term for term."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from belkg.build.loading import _parse_turtle_with_oxigraph, _parse_turtle_with_rdflib, as_written, parse_turtle

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = sorted([*ROOT.glob("ontology/*.ttl"), *ROOT.glob("kg/*.ttl")])

# Literals and blank nodes written every way Turtle allows, and a relative IRI.
EVERY_FORM = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:plain "x" ; ex:tagged "x"@en-gb ; ex:typed "x"^^ex:type ;
     ex:integer 7 ; ex:decimal 1.50 ; ex:double 1e3 ; ex:boolean true ; ex:illTyped "yes"^^xsd:boolean ;
     ex:long \"\"\"two
lines\"\"\" ; ex:escaped "tab\\there \\u00e9" ; ex:relative <other> ;
     ex:anonymous [ ex:inside "y" ] ; ex:labelled _:b1 ; ex:list ( 1 "two" ex:three ) .
_:b1 ex:back ex:a .
"""


Described = tuple[tuple[str, str, str | None, str | None], ...]


def _described(triple: tuple[object, ...], blank: bool = False) -> Described:
    return tuple(
        (
            type(term).__name__,
            "_" if blank and isinstance(term, BNode) else str(term),
            getattr(term, "datatype", None),
            getattr(term, "language", None),
        )
        for term in triple
    )


def _terms(graph: Graph) -> set[Described]:
    """Every triple, term by term, its blank nodes named canonically (slow: small graphs)."""
    with as_written():
        canonical = to_canonical_graph(graph)
    return {_described(triple) for triple in canonical}


def _terms_up_to_blank_nodes(graph: Graph) -> Counter[tuple[Described, str, str]]:
    """Every triple, term by term, each blank node written as what it says itself
    (its statements whose object is not a blank node): the canonical form's check, in
    linear time, for the large graphs."""
    said: dict[BNode, list[Described]] = {}
    for triple in graph:
        if isinstance(triple[0], BNode) and not isinstance(triple[2], BNode):
            said.setdefault(triple[0], []).append(_described(triple[1:]))

    def blank(term: object) -> str:
        return repr(sorted(said.get(term, []))) if isinstance(term, BNode) else ""

    return Counter((_described(triple, blank=True), blank(triple[0]), blank(triple[2])) for triple in graph)


def _both(path: Path, text: str) -> tuple[Graph, Graph]:
    fast = _parse_turtle_with_oxigraph(path, text)
    assert fast is not None
    return fast, _parse_turtle_with_rdflib(path, text, str(path))


@pytest.mark.parametrize("path", PROJECT_FILES, ids=[path.name for path in PROJECT_FILES])
def test_every_project_file_reads_the_same_with_both_parsers(path: Path) -> None:
    fast, reference = _both(path, path.read_text(encoding="utf-8"))
    assert len(fast) == len(reference) > 0
    assert _terms_up_to_blank_nodes(fast) == _terms_up_to_blank_nodes(reference)
    assert dict(fast.namespaces()) == dict(reference.namespaces())


def test_every_literal_and_node_form_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "forms.ttl"
    fast, reference = _both(path, EVERY_FORM)
    assert _terms(fast) == _terms(reference)
    (ill_typed,) = [obj for _, predicate, obj in fast if str(predicate).endswith("illTyped")]
    assert isinstance(ill_typed, Literal)
    assert str(ill_typed) == "yes"  # as written, not rewritten as "false"


def test_blank_nodes_are_fresh_per_text_and_named_as_rdflib_names_them(tmp_path: Path) -> None:
    path = tmp_path / "blank.ttl"
    text = "@prefix ex: <http://example.org/> .\n_:b1 ex:p [ ex:q 1 ] .\n"
    first = _parse_turtle_with_oxigraph(path, text)
    second = _parse_turtle_with_oxigraph(path, text)
    assert first is not None and second is not None
    nodes = {term for graph in (first, second) for triple in graph for term in triple if isinstance(term, BNode)}
    assert len(nodes) == 4  # a label is the file's own: two texts, two nodes each
    assert all(re.fullmatch(r"n[0-9a-f]{32}b\d+", str(node)) for node in nodes)


def test_a_text_oxigraph_refuses_is_read_or_reported_by_rdflibs_parser(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "c" ;\n ex:d .\n', encoding="utf-8")
    assert _parse_turtle_with_oxigraph(path, path.read_text(encoding="utf-8")) is None
    from belkg.errors import BelkgError

    with pytest.raises(BelkgError) as raised:
        parse_turtle(path, "bad.ttl")
    assert str(raised.value).startswith("bad.ttl:3:")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.mark.parametrize(
    ("literal", "language", "datatype"),
    [('"x"@en-GB', "en-GB", None), ('"x"^^xsd:string', None, XSD_STRING), (f'"x"^^<{XSD_STRING}>', None, XSD_STRING)],
)
def test_terms_oxigraph_would_rewrite_are_kept_as_written(
    tmp_path: Path, literal: str, language: str | None, datatype: str | None
) -> None:
    """Oxigraph lower-cases language tags and reads "x"^^xsd:string as "x"; rdflib's
    parser keeps both as written, and reads these texts."""
    path = tmp_path / "kept.ttl"
    text = (
        "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"ex:a ex:b {literal} .\n"
    )
    path.write_text(text, encoding="utf-8")
    assert _parse_turtle_with_oxigraph(path, text) is None
    (obj,) = parse_turtle(path).objects()
    assert isinstance(obj, Literal)
    assert (obj.language, str(obj.datatype) if obj.datatype else None) == (language, datatype)


def _every_pattern(graph: Graph) -> list[tuple[object, object, object]]:
    """Every pattern of bound and unbound places over the graph's terms, and a term it
    does not hold in each place."""
    absent = URIRef("http://example.org/absent")
    patterns: list[tuple[object, object, object]] = [(None, None, None)]
    for subject, predicate, obj in [*graph, (absent, absent, absent)]:
        for mask in range(1, 8):
            patterns.append((subject if mask & 4 else None, predicate if mask & 2 else None, obj if mask & 1 else None))
    return patterns


def test_a_parsed_graph_matches_every_pattern_as_rdflibs_store_does(tmp_path: Path) -> None:
    path = tmp_path / "every-form.ttl"
    path.write_text(EVERY_FORM, encoding="utf-8")
    parsed = parse_turtle(path)
    reference = Graph()
    for triple in parsed:
        reference.add(triple)
    parsed.remove((None, URIRef("http://example.org/back"), None))  # leaves empty indexes behind
    reference.remove((None, URIRef("http://example.org/back"), None))
    for pattern in _every_pattern(reference):
        assert Counter(parsed.triples(pattern)) == Counter(reference.triples(pattern)), pattern
    path_pattern = (None, URIRef("http://example.org/list") / RDF.rest / RDF.first, None)
    assert sorted(parsed.triples(path_pattern)) == sorted(reference.triples(path_pattern))
    assert len(list(parsed.triples(path_pattern))) == 1


def test_letting_go_of_the_parsed_graphs_keeps_those_the_parse_cache_holds(tmp_path: Path) -> None:
    from belkg.build.loading import LoadedGraph

    text = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c , ex:d ; ex:e [ ex:f 1 ] .\n"
    small = tmp_path / "small.ttl"
    small.write_text(text, encoding="utf-8")
    cached = parse_turtle(small)
    loaded = LoadedGraph()
    loaded.graphs[URIRef("urn:cached")] = cached
    own = _parse_turtle_with_oxigraph(small, text)
    assert own is not None
    loaded.graphs[URIRef("urn:own")] = own
    size = len(cached)
    loaded.let_go()
    assert loaded.graphs == {}
    assert len(own) == 0
    assert list(own.triples((None, None, None))) == []
    assert parse_turtle(small) is cached
    assert len(cached) == size == len(list(cached)) == 4


@pytest.mark.parametrize(
    ("written", "error"),
    [
        ("<http://example.org/a{b}>", "bad.ttl:2:12: not a valid IRI: <http://example.org/a{b}>"),
        ("<http://example.org/a\\u0020b>", "bad.ttl:2:12: not a valid IRI: <http://example.org/a b>"),
        ('"x"^^<http://example.org/d|t>', "bad.ttl:2:17: not a valid IRI: <http://example.org/d|t>"),
        ('"x"@En-1', "bad.ttl:2:14: not a valid language tag: @En-1"),
    ],
)
def test_terms_no_store_holds_are_refused_with_their_place(tmp_path: Path, written: str, error: str) -> None:
    """Oxigraph's parser refuses these, and rdflib's, which then reads the text, lets them
    through: the check after it names the term and where it is."""
    from belkg.errors import BelkgError

    path = tmp_path / "bad.ttl"
    path.write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:b {written} .\n", encoding="utf-8")
    assert _parse_turtle_with_oxigraph(path, path.read_text(encoding="utf-8")) is None
    with pytest.raises(BelkgError) as raised:
        parse_turtle(path, "bad.ttl")
    assert str(raised.value) == error


def test_short_literals_read_are_one_object_as_written(tmp_path: Path) -> None:
    """Two files' equal short literals are one object (rdflib makes literals slowly, and
    identical objects are found without its Python-level __eq__), kept as written; a long
    one is not kept."""
    long_text = "x" * 1001

    def read(name: str, subject: str) -> dict[str, object]:
        path = tmp_path / f"{name}.ttl"
        path.write_text(
            "@prefix ex: <http://example.org/> .\n"
            f'ex:{subject} ex:n "01"^^<http://www.w3.org/2001/XMLSchema#integer> ; ex:l "Minsk"@en ; '
            f'ex:s "Minsk" ; ex:q "{long_text}" .\n',
            encoding="utf-8",
        )
        graph = _parse_turtle_with_oxigraph(path, path.read_text(encoding="utf-8"))
        assert graph is not None
        return {str(p).rsplit("/", 1)[1]: o for _, p, o in graph}

    first, second = read("one", "a"), read("two", "b")
    for name in ("n", "l", "s"):
        assert first[name] is second[name], name
    assert str(first["n"]) == "01"
    assert first["l"] == Literal("Minsk", lang="en") and first["s"] == Literal("Minsk")
    assert first["q"] == second["q"] and first["q"] is not second["q"]
