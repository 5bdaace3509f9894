"""Property-based round trips: random literals in a dataset of two named graphs go through
every export format and back, and through the build cache and back, and come back
isomorphic (the formats without named graphs are compared as unions)."""

from __future__ import annotations

import functools
import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from belkg.build.cache import write_entry
from belkg.build.pipeline import read_dataset
from belkg.export import FORMATS, keeps_graphs, parse_export, serialize, union_of

from conftest import sweep
from helpers import same_dataset, same_graph

XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: pytest's collection trips over rdflib's XSD namespace
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
GRAPHS = (URIRef("https://w3id.org/belkg/graph/one"), URIRef("https://w3id.org/belkg/id/doc-two"))
PREDICATES = (
    URIRef("https://w3id.org/belkg/ontology#words"),
    URIRef("http://www.w3.org/ns/oa#exact"),
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
)
CUSTOM_DATATYPE = URIRef("https://w3id.org/belkg/ontology#Custom")

# Besides \n and \r, the characters Python's str.splitlines() takes for line ends. The
# RDF serialisers write them raw inside a literal (they are legal there); see
# test_line_separator_characters for what that does to N-Quads, TriG and N-Triples.
LINE_SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Characters that break naive escaping, and scripts the seeds use.
TRICKY = "\"'\\\n\r\t <>&{}@^#;.,:_ ėłüЛ€😀\u00a0\u200b\ufeff\ufffd\U0010ffff" + LINE_SEPARATORS

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    # the autouse no_reasoning fixture is function-scoped; it has nothing to do with these tests
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

FORMAT_NAMES = list(FORMATS)


def is_xml_char(character: str) -> bool:
    """The Char production of XML 1.0: tab, newline and carriage return are the only
    control characters, and U+FFFE and U+FFFF are not characters at all."""
    code = ord(character)
    return character in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def texts(allowed: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Short strings mostly, sometimes a few thousand characters."""
    return st.one_of(
        st.text(allowed, max_size=40),
        st.text(allowed, min_size=1000, max_size=3000),
    )


def characters(fmt: str) -> st.SearchStrategy[str]:
    """Any Unicode but surrogates (which UTF-8 cannot encode), with the tricky ones often.
    (Exclusions are built into the strategies: a .filter() per character is very slow.)"""
    excluded_categories = ["Cs"]
    excluded = ""
    if fmt == "xml":
        # RDF/XML is XML 1.0, which cannot hold most control characters (not even as
        # character references) nor U+FFFE/U+FFFF: those literals have no RDF/XML form.
        # Category Cc goes, and the control characters XML does allow come back below.
        excluded_categories.append("Cc")
        excluded += "\ufffe\uffff"
    tricky = [c for c in TRICKY + "\x7f\x9f" if c not in excluded and (fmt != "xml" or is_xml_char(c))]
    return st.one_of(
        st.characters(exclude_categories=excluded_categories, exclude_characters=excluded),
        st.sampled_from(tricky),
    )


LANGUAGE_TAGS = st.one_of(
    st.sampled_from(["en", "be-Cyrl", "be", "pl", "lt", "de-DE", "ru", "zh-Hant-TW", "sr-Latn-RS", "es-419"]),
    st.from_regex(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?", fullmatch=True),
)
CUSTOM_DATATYPES = st.one_of(
    st.just(CUSTOM_DATATYPE),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True).map(lambda slug: URIRef(f"https://example.org/dt/{slug}")),
)


def literals(fmt: str) -> st.SearchStrategy[Literal]:
    text = texts(characters(fmt))
    return st.one_of(
        text.map(Literal),
        st.builds(lambda value, tag: Literal(value, lang=tag), text, LANGUAGE_TAGS),
        text.map(lambda value: Literal(value, datatype=URIRef(XSD + "string"))),
        st.integers(min_value=-(10**40), max_value=10**40).map(
            lambda number: Literal(str(number), datatype=URIRef(XSD + "integer"))
        ),
        st.dates().map(lambda day: Literal(day.isoformat(), datatype=URIRef(XSD + "date"))),
        st.builds(lambda value, datatype: Literal(value, datatype=datatype), text, CUSTOM_DATATYPES),
    )


@functools.cache
def datasets(fmt: str) -> st.SearchStrategy[Dataset]:
    """A dataset of two non-empty named graphs of random literal statements. (Made once
    per format: Hypothesis validates a strategy the first time it draws from it, and a
    new one for each example cost a tenth of the test's time.)"""
    statement = st.tuples(st.integers(0, 3), st.sampled_from(PREDICATES), literals(fmt))
    graph = st.lists(statement, min_size=1, max_size=5)
    return st.tuples(graph, graph).map(_dataset)


def _dataset(graphs: tuple[list[tuple[int, URIRef, Literal]], ...]) -> Dataset:
    dataset = Dataset(default_union=True)
    for name, statements in zip(GRAPHS, graphs, strict=True):
        target = dataset.graph(name)
        for subject, predicate, value in statements:
            target.add((URIRef(f"https://w3id.org/belkg/id/thing-{subject}"), predicate, value))
    return dataset


def _literal_dataset(values: list[Literal]) -> Dataset:
    return _dataset(([(0, PREDICATES[0], value) for value in values], [(1, PREDICATES[1], Literal("other"))]))


def assert_round_trip(dataset: Dataset, fmt: str) -> None:
    data = serialize(dataset, fmt)
    if currently_in_test_context():
        note(f"{fmt} export:\n{data.decode('utf-8', 'backslashreplace')[:4000]}")
    back = parse_export(data, fmt)
    if keeps_graphs(fmt):
        assert same_dataset(dataset, back)
    else:
        assert same_graph(union_of(dataset), union_of(back))


# Every format is read back in the quick loop by tests/test_export.py (the real build);
# these random literals go through belkg's own TriG and rdflib's Turtle there, and every
# format under .ci/run.
@pytest.mark.parametrize("fmt", sweep(list(FORMATS), ["trig", "ttl"]))
@SETTINGS
@given(data=st.data())
def test_export_round_trip(fmt, data):
    assert_round_trip(data.draw(datasets(fmt), label="dataset"), fmt)


@pytest.mark.parametrize(
    "fmt",
    FORMAT_NAMES,
)
def test_line_separator_characters(fmt):
    """Each character that str.splitlines() takes for a line end, alone and inside a word."""
    separators = [c for c in LINE_SEPARATORS if fmt != "xml" or is_xml_char(c)]
    values = [Literal(c) for c in separators] + [Literal(f"before{c}after", lang="en") for c in separators]
    assert_round_trip(_literal_dataset(values), fmt)


def test_line_separator_characters_through_the_cache(tmp_path):
    values = [Literal(c) for c in LINE_SEPARATORS] + [Literal(f"a{c}b") for c in LINE_SEPARATORS]
    assert_cache_round_trip(_literal_dataset(values), tmp_path)


def _oxigraph_terms(store_dir: Path) -> set[tuple[str, str | None, str]]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_dir))
    try:
        return {
            (quad.object.value, quad.object.language, quad.object.datatype.value)
            for quad in store
            if isinstance(quad.object, pyoxigraph.Literal)
        }
    finally:
        del store


def _rdflib_terms(dataset: Dataset) -> set[tuple[str, str | None, str]]:
    terms = set()
    for _, _, value, _ in dataset.quads((None, None, None, None)):
        assert isinstance(value, Literal)
        language = value.language.lower() if value.language else None  # Oxigraph lower-cases tags
        datatype = RDF_LANG_STRING if language else str(value.datatype or XSD + "string")
        terms.add((str(value), language, datatype))
    return terms


def assert_cache_round_trip(dataset: Dataset, root: Path) -> None:
    """Store the dataset as the build does, read it back as every command does; the
    Oxigraph store the queries read must hold the same literals."""
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    entry = write_entry(root, hashlib.sha256(nquads).hexdigest(), nquads, [], {})
    assert same_dataset(dataset, read_dataset(entry.dataset_file))
    assert _oxigraph_terms(entry.store_dir) == _rdflib_terms(dataset)


@pytest.mark.slow
@SETTINGS
@given(dataset=datasets("cache"))
def test_cache_round_trip(dataset):
    with tempfile.TemporaryDirectory() as folder:
        assert_cache_round_trip(dataset, Path(folder))


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roundtrip-cache")


@pytest.mark.parametrize(
    "fmt",
    FORMAT_NAMES,
)
def test_export_of_a_project_with_a_line_separator_in_a_label(tiny_project, shared_cache, fmt):
    """The same loss end to end: a project that conforms, with U+2028 (common in text
    copied from the web) in an alternative label, exported with `belkg export`."""
    from click.testing import CliRunner

    from belkg.cli import cli

    from conftest import TINY_ENTITIES

    entities = TINY_ENTITIES + 'bkd:alice-example skos:altLabel "Alice\u2028Example"@en .\n'
    project = tiny_project(entities=entities)
    arguments = ["--project", str(project.root), "--cache-dir", str(shared_cache), "-q", "export", "--format", fmt]
    result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    back = parse_export(result.stdout_bytes, fmt)
    labels = {str(label) for label in back.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
    assert "Alice\u2028Example" in labels


def test_the_comparison_sees_one_changed_or_missing_statement():
    """same_graph and same_dataset, which the round trips rely on, can fail: a statement
    missing, a literal changed by one space, a graph named differently."""
    original = _literal_dataset([Literal("Alice"), Literal("Bob", lang="en")])
    assert same_dataset(original, _literal_dataset([Literal("Alice"), Literal("Bob", lang="en")]))
    union = union_of(original)
    subject, predicate = URIRef("https://w3id.org/belkg/id/thing-0"), PREDICATES[0]  # where _literal_dataset puts them
    for value, edited in ((Literal("Alice"), None), (Literal("Bob", lang="en"), Literal("Bob ", lang="en"))):
        changed = union_of(original)
        changed.remove((subject, predicate, value))
        if edited is not None:
            changed.add((subject, predicate, edited))
        assert not same_graph(union, changed)
    assert same_graph(union, union_of(original))
    renamed = Dataset(default_union=True)
    for triple_subject, triple_predicate, triple_object, graph in original.quads((None, None, None, None)):
        renamed.graph(URIRef(f"{graph}-renamed")).add((triple_subject, triple_predicate, triple_object))
    assert not same_dataset(original, renamed)
