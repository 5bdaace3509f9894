"""What a query may be given as input: predeclared prefixes, syntax errors in words with
their place, queries from stdin and files, the user's own data beside the build."""

from __future__ import annotations

import urllib.parse

import pytest

from belkg.errors import BelkgError
from belkg.predeclared import PREDECLARED, listing, missing_prefixes, with_prefixes
from belkg.safety import check_query
from test_remote import ASK_TRUE, Server, answer, server  # noqa: F401  (server: a fixture)

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
