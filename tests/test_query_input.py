"""What a query may be given as input: predeclared prefixes, syntax errors in words with
their place, queries from stdin and files, the user's own data beside the build."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from belkg.errors import BelkgError
from belkg.predeclared import PREDECLARED, listing, missing_prefixes, with_prefixes
from belkg.safety import check_query
from test_remote import ASK_TRUE, Server, answer, server  # noqa: F401  (server: a fixture)

from conftest import sweep

BK = "https://w3id.org/belkg/ontology#"


# --- predeclared prefixes -------------------------------------------------------------------


def test_only_the_prefixes_used_and_not_declared_are_added():
    text = (
        'PREFIX bk: <http://example.org/own#>\nSELECT * WHERE { ?s bk:x "skos:no"^^xsd:string ; '
        "<http://a.example/rdfs:no> ?o } # owl:no"
    )
    assert missing_prefixes(text) == ["xsd"]
    prefixed = with_prefixes(text)
    assert prefixed.text == "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + text
    assert prefixed.added == len("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")


def test_a_query_that_declares_everything_is_left_as_it_is():
    text = "PREFIX bk: <http://example.org/own#> SELECT * WHERE { ?s bk:x ?o . _:b ?p ?o }"
    assert with_prefixes(text).text == text


def test_the_listing_has_the_project_and_w3c_prefixes():
    assert listing("text").splitlines()[:2] == [
        "bk:       https://w3id.org/belkg/ontology#",
        "bkd:      https://w3id.org/belkg/id/",
    ]
    assert "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n" in listing("ttl")
    assert "PREFIX prov: <http://www.w3.org/ns/prov#>\n" in listing("sparql")
    assert {"rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "schema", "time", "oa", "foaf"} <= set(PREDECLARED)


def test_prefixes_command(belkg):
    result = belkg("prefixes", "--format", "json")
    assert result.exit_code == 0
    import json

    assert json.loads(result.stdout) == PREDECLARED


ASK_COALE = "ASK { bkd:release-of-52 bk:negotiatedBy bkd:john-coale }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_inline_queries_use_the_predeclared_prefixes(belkg, engine):
    result = belkg("query", "-e", ASK_COALE, "--engine", engine)
    assert (result.exit_code, result.stdout) == (0, "yes\n")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_overrides_a_predeclared_prefix(belkg, engine):
    text = "PREFIX bk: <http://example.org/other#> " + ASK_COALE
    result = belkg("query", "-e", text, "--engine", engine)
    assert (result.exit_code, result.stdout) == (0, "no\n")


def test_a_query_file_uses_the_predeclared_prefixes(belkg, tmp_path):
    path = tmp_path / "coale.rq"
    path.write_text(ASK_COALE + "\n", encoding="utf-8")
    result = belkg("query", str(path))
    assert (result.exit_code, result.stdout) == (0, "yes\n")


def test_the_gate_reads_the_predeclared_prefixes():
    """The gate parses the text with its prefixes: a SERVICE behind them is still seen."""
    with pytest.raises(BelkgError, match="SERVICE is refused"):
        check_query("ASK { SERVICE <http://example.org/sparql> { ?s bk:x ?o } }", set())


def test_an_endpoint_gets_standard_sparql(belkg, server):  # noqa: F811
    server.routes["/sparql"] = answer(ASK_TRUE)
    result = belkg("query", "-e", ASK_COALE, "--endpoint", server.url())
    assert (result.exit_code, result.stdout) == (0, "yes\n")
    sent = urllib.parse.parse_qs(server.requests[0][2].decode())["query"]
    assert sent == [f"PREFIX bkd: <https://w3id.org/belkg/id/> PREFIX bk: <{BK}>\n{ASK_COALE}"]


# --- syntax errors in words, with their place -----------------------------------------------

SYNTAX_ERRORS = [
    pytest.param(
        "SELECT ?x WHERE { ?x a foo:Person }",
        "-e:1:24: unknown prefix 'foo:'; declare it with PREFIX or see `belkg prefixes`",
        "  SELECT ?x WHERE { ?x a foo:Person }\n                         ^",
        id="unknown-prefix",
    ),
    pytest.param(
        "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p\n}",
        "-e:4:1: this triple pattern has no object: a triple needs a subject, a predicate and an object",
        "  }\n  ^",
        id="no-object",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p }",
        "-e:1:24: this triple pattern has no object: a triple needs a subject, a predicate and an object",
        "  SELECT * WHERE { ?s ?p }\n                         ^",
        id="no-object-one-line",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o ; ?q }",
        "-e:1:32: this triple pattern has no object: a triple needs a subject, a predicate and an object",
        "  SELECT * WHERE { ?s ?p ?o ; ?q }\n                                 ^",
        id="no-object-after-semicolon",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o ?x }",
        "-e:1:27: a fourth term in a triple pattern: end the triple with '.' first",
        "  SELECT * WHERE { ?s ?p ?o ?x }\n                            ^",
        id="four-terms",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o ",
        "-e:1:16: '{' is never closed: add '}'",
        "  SELECT * WHERE { ?s ?p ?o \n                 ^",
        id="unclosed-brace",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o }}",
        "-e:1:28: '}' closes nothing: no '{' is open here",
        "  SELECT * WHERE { ?s ?p ?o }}\n                             ^",
        id="extra-brace",
    ),
    pytest.param(
        "SELECT * WHERE { FILTER(?s = 1 }",
        "-e:1:32: '}' where ')' was expected: the '(' at 1:24 is not closed",
        "  SELECT * WHERE { FILTER(?s = 1 }\n                                 ^",
        id="unclosed-parenthesis",
    ),
    pytest.param(
        "SELEC * WHERE { ?s ?p ?o }",
        "-e:1:1: invalid SPARQL: cannot read the query from 'SELEC' on",
        "  SELEC * WHERE { ?s ?p ?o }\n  ^",
        id="misspelt-keyword",
    ),
    pytest.param(
        "SELECT ?x (1 AS ?x) WHERE { ?x ?p ?o }",
        "-e: invalid SPARQL: the SELECT overrides an existing variable using an expression",
        None,
        id="oxigraph-semantic-check",
    ),
]


@pytest.mark.parametrize(("text", "message", "detail"), SYNTAX_ERRORS)
def test_syntax_errors_say_what_and_where(text, message, detail):
    with pytest.raises(BelkgError) as caught:
        check_query(text, set(), where="-e")
    assert (str(caught.value), caught.value.detail) == (message, detail)


def test_no_error_lists_the_grammar():
    for case in SYNTAX_ERRORS:
        with pytest.raises(BelkgError) as caught:
            check_query(case.values[0], set(), where="-e")
        assert "expected one of" not in caught.value.message and "[_]" not in caught.value.message


def test_a_syntax_error_after_the_predeclared_prefixes_keeps_its_column(belkg):
    result = belkg("query", "-e", "SELECT ?x WHERE { ?x bk:negotiatedBy }")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: -e:1:38: this triple pattern has no object: a triple needs a subject, a predicate and an object",
        "  SELECT ?x WHERE { ?x bk:negotiatedBy }",
        "                                       ^",
    ]


# --- queries from stdin and files; the user's own data --------------------------------------


@pytest.fixture
def belkg_in(project, session_cache, built):
    """belkg(*args, input=...): the CLI with text on standard input."""
    from click.testing import CliRunner

    from belkg.cli import cli

    def invoke(*args: str, input: str = "") -> object:
        base = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q"]
        return CliRunner().invoke(cli, [*base, *args], input=input, catch_exceptions=False)

    return invoke


def test_a_query_from_stdin(belkg_in):
    result = belkg_in("query", "-", input=ASK_COALE)
    assert (result.exit_code, result.stdout) == (0, "yes\n")


def test_a_query_from_stdin_with_a_header_takes_parameters(belkg_in):
    text = (
        "#+ summary: Was this one negotiated by Coale?\n#+ description: test\n"
        "#+ params:\n#+   release: {type: iri}\n"
        "ASK WHERE { ?_release_iri bk:negotiatedBy bkd:john-coale }\n"
    )
    yes = belkg_in("query", "-", "-p", "release", "bkd:release-of-52", input=text)
    assert (yes.exit_code, yes.stdout) == (0, "yes\n")
    no = belkg_in("query", "-", "-p", "release", "bkd:doc-000", input=text)
    assert (no.exit_code, no.stdout) == (0, "no\n")


def test_a_syntax_error_on_stdin_names_stdin(belkg_in):
    result = belkg_in("query", "-", input="ASK {\n  ?s ?p\n}\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "Error: stdin:3:1: this triple pattern has no object: a triple needs a subject, a predicate and an object"
    )


@pytest.mark.parametrize("option", ["--file", "-f"])
def test_a_query_from_file_option(belkg, tmp_path, option):
    path = tmp_path / "no-extension"
    path.write_text(ASK_COALE, encoding="utf-8")
    result = belkg("query", option, str(path))
    assert (result.exit_code, result.stdout) == (0, "yes\n")


def test_one_query_only(belkg, tmp_path):
    result = belkg("query", "negotiators", "-e", ASK_COALE)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: give one query: a name, a file (or --file), - for stdin, or -e TEXT\n",
    )


TTL = """@prefix bk: <https://w3id.org/belkg/ontology#> .
@prefix bkd: <https://w3id.org/belkg/id/> .
bkd:release-of-52 bk:negotiatedBy bkd:someone-new .
"""
TRIG = """@prefix ex: <http://example.org/> .
ex:a ex:says "in the file's graph" .
ex:g { ex:a ex:says "in ex:g" . }
"""
GRAPHS_OF_SAYS = "SELECT ?g ?o WHERE { GRAPH ?g { <http://example.org/a> <http://example.org/says> ?o } } ORDER BY ?o"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_data_files_are_named_graphs_beside_the_build(belkg, tmp_path, engine):
    mine, quads = tmp_path / "mine.ttl", tmp_path / "more.trig"
    mine.write_text(TTL, encoding="utf-8")
    quads.write_text(TRIG, encoding="utf-8")
    data = ["--data", str(mine), "--data", str(quads), "--engine", engine, "--format", "csv"]
    found = belkg(
        "query", "-e", "SELECT ?g WHERE { GRAPH ?g { bkd:release-of-52 bk:negotiatedBy bkd:someone-new } }", *data
    )
    assert (found.exit_code, found.stdout) == (0, f"g\n{mine.resolve().as_uri()}\n")
    kept = belkg("query", "-e", GRAPHS_OF_SAYS, *data)
    assert kept.stdout == f"g,o\nhttp://example.org/g,in ex:g\n{quads.resolve().as_uri()},in the file's graph\n"
    # the build's own statements are still there, and the files leave no trace in the cache
    assert belkg("query", "-e", ASK_COALE, *data[:4]).stdout == "yes\n"
    after = belkg("query", "-e", "ASK { bkd:release-of-52 bk:negotiatedBy bkd:someone-new }", "--engine", engine)
    assert after.stdout == "no\n"


def test_a_data_file_with_a_syntax_error_is_one_line(belkg, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(TTL + 'bkd:x bk:label "unterminated .\n', encoding="utf-8")
    result = belkg("query", "-e", ASK_COALE, "--data", str(bad))
    assert (result.exit_code, result.stderr) == (2, f"Error: {bad}:4:16: Turtle syntax error: Unexpected end of file\n")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.nt", "<http://a> <http://b> .\n", "N-Triples syntax error: "),
        ("x.rdf", "", "cannot tell the RDF format from the extension '.rdf'; use .ttl, .nt, .nq, .trig"),
        ("missing.ttl", None, "cannot read: No such file or directory"),
    ],
)
def test_bad_data_files(belkg, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = belkg("query", "-e", ASK_COALE, "--data", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_data_is_refused_with_an_endpoint(belkg, tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(TTL, encoding="utf-8")
    result = belkg("query", "-e", ASK_COALE, "--data", str(mine), "--endpoint", "http://127.0.0.1:9/sparql")
    assert result.stderr == (
        "Error: --data works on the local build only; load the files into the endpoint's store instead\n"
    )


# --- hints: an IRI the graph does not hold ---------------------------------------------------


@pytest.fixture
def belkg_loud(project, session_cache, built):
    """belkg(*args) without -q: notes and warnings shown."""
    from click.testing import CliRunner

    from belkg.cli import cli

    def invoke(*args: str) -> object:
        base = ["--project", str(project.root), "--cache-dir", str(session_cache)]
        return CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)

    return invoke


def test_an_iri_parameter_naming_nothing_gets_a_note(belkg_loud):
    result = belkg_loud("query", "negotiators", "-p", "release", "bkd:release-of-5", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == "release,releaseLabel,agent,agentLabel,role,roleLabel,source,quote,hedge,hedgeLabel\n"
    assert result.stderr == (
        "note: bkd:release-of-5 is not in the graph; "
        "did you mean bkd:release-of-52, bkd:release-of-250 or bkd:release-of-14-june?\n"
    )


def test_an_iri_parameter_outside_the_project_gets_a_note_without_guesses(belkg_loud):
    result = belkg_loud("query", "negotiators", "-p", "release", "https://example.org/x", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "note: <https://example.org/x> is not in the graph\n")


def test_an_iri_parameter_in_the_graph_gets_no_note(belkg_loud, belkg):
    result = belkg_loud("query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    quiet = belkg("query", "negotiators", "-p", "release", "bkd:release-of-5")
    assert (quiet.exit_code, quiet.stderr) == (0, "")


# --- --no-inference says what it leaves out ----------------------------------------------------

SAVED = sorted(path.stem for path in (Path(__file__).parent.parent / "queries").glob("*.rq"))
LEAVES_OUT = "note: --no-inference leaves out inferred and derived statements, so answers may be missing: "


def test_no_inference_names_what_a_query_misses(belkg_loud):
    result = belkg_loud("query", "negotiators", "--no-inference", "--format", "csv")
    assert (result.exit_code, result.stdout.splitlines()[1:]) == (0, [])
    assert result.stderr == LEAVES_OUT + "they add things of the type bk:SourceDocument\n"
    assert belkg_loud("query", "negotiators", "--format", "csv").stderr == ""


@pytest.fixture(scope="module")
def asserted_engine(built):
    from belkg.querying import open_engine

    return open_engine(built.entry, inference=False)


def _rows(result):
    return sorted(sorted((name, term.value) for name, term in row.items()) for row in result.rows)


@pytest.mark.parametrize("name", sweep(SAVED, ["negotiators"]))
def test_every_saved_query_without_inference_answers_the_same_or_says_what_it_leaves_out(
    project, engines, asserted_engine, name
):
    from belkg.catalogue import find_saved_query
    from belkg.querying import inference_notes, run

    query = find_saved_query(project.queries_dir, name)
    notes = inference_notes(engines["oxigraph"], query)
    if not notes:
        assert _rows(run(asserted_engine, query)) == _rows(run(engines["oxigraph"], query))
        return
    [note] = notes
    assert note.startswith(LEAVES_OUT)
    named = re.findall(r"\b(\w+:[\w-]+)", note.removeprefix(LEAVES_OUT))
    assert named and all(term in query.text for term in named), named
