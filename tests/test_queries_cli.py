"""`belkg query`, `queries`, `stats` and `entity` on the real graph, every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest

NEGOTIATED = """
PREFIX bk: <https://w3id.org/belkg/ontology#>
SELECT ?release ?who WHERE { ?release bk:negotiatedBy ?who }
"""
ESCAPES = """
SELECT ?text ?iri WHERE {
  VALUES (?text ?iri) {
    ("comma, \\"quote\\"\\nnew line – Paweł Müller Nausėda Лукашэнка" <https://w3id.org/belkg/id/x>)
  }
}
"""


def test_table_shortens_iris_and_shows_labels(belkg):
    result = belkg("query", "-e", NEGOTIATED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["release", "who"]
    assert lines[2].split("  ")[0] == "release of 52 political prisoners (bkd:release-of-52)"
    assert "John Coale (bkd:john-coale)" in lines[2]
    assert lines[-1] == "(1 row)"


def test_json_follows_the_w3c_structure(belkg):
    result = belkg("query", "-e", NEGOTIATED, "--format", "json")
    document = json.loads(result.stdout)
    assert document == {
        "head": {"vars": ["release", "who"]},
        "results": {
            "bindings": [
                {
                    "release": {"type": "uri", "value": "https://w3id.org/belkg/id/release-of-52"},
                    "who": {"type": "uri", "value": "https://w3id.org/belkg/id/john-coale"},
                }
            ]
        },
    }


def test_json_literals_carry_language_and_datatype(belkg):
    query = 'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { ("x"@en 52 "plain") } }'
    bindings = json.loads(belkg("query", "-e", query, "--format", "json").stdout)["results"]["bindings"]
    assert bindings == [
        {
            "a": {"type": "literal", "value": "x", "xml:lang": "en"},
            "b": {"type": "literal", "value": "52", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "c": {"type": "literal", "value": "plain"},
        }
    ]


def test_xml_follows_the_w3c_structure(belkg):
    result = belkg("query", "-e", NEGOTIATED, "--format", "xml")
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    root = ElementTree.fromstring(result.stdout_bytes)
    assert [v.get("name") for v in root.iter(f"{namespace}variable")] == ["release", "who"]
    uris = [uri.text for uri in root.iter(f"{namespace}uri")]
    assert uris == ["https://w3id.org/belkg/id/release-of-52", "https://w3id.org/belkg/id/john-coale"]


def test_csv_is_lossy_with_crlf_and_rfc4180_quoting(belkg):
    result = belkg("query", "-e", ESCAPES, "--format", "csv")
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.startswith("text,iri\r\n")
    assert raw.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows == [
        ["text", "iri"],
        ['comma, "quote"\nnew line – Paweł Müller Nausėda Лукашэнка', "https://w3id.org/belkg/id/x"],
    ]
    assert '"comma, ""quote""\nnew line' in raw


def test_tsv_is_lossless_rdf_terms(belkg):
    result = belkg("query", "-e", ESCAPES, "--format", "tsv")
    assert result.stdout == (
        '?text\t?iri\n"comma, \\"quote\\"\\nnew line – Paweł Müller Nausėda Лукашэнка"\t<https://w3id.org/belkg/id/x>\n'
    )


def test_markdown_escapes_pipes(belkg):
    result = belkg("query", "-e", 'SELECT ?x WHERE { VALUES ?x { "a|b" } }', "--format", "md")
    assert result.stdout == "| x |\n|---|\n| a\\|b |\n"


def test_format_follows_the_output_extension(belkg, tmp_path):
    target = tmp_path / "out.json"
    assert belkg("query", "-e", NEGOTIATED, "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["head"]["vars"] == ["release", "who"]


def test_ask(belkg):
    ask = "PREFIX bk: <https://w3id.org/belkg/ontology#> ASK { ?r bk:negotiatedBy ?w }"
    assert belkg("query", "-e", ask).stdout == "yes\n"
    assert json.loads(belkg("query", "-e", ask, "--format", "json").stdout) == {"head": {}, "boolean": True}


def test_construct_gives_rdf(belkg):
    construct = (
        "PREFIX bk: <https://w3id.org/belkg/ontology#> "
        "CONSTRUCT { ?w bk:negotiated ?r } WHERE { ?r bk:negotiatedBy ?w }"
    )
    result = belkg("query", "-e", construct)
    assert result.exit_code == 0
    assert "bkd:john-coale bk:negotiated bkd:release-of-52 ." in result.stdout
    assert belkg("query", "-e", construct, "--format", "nt").stdout == (
        "<https://w3id.org/belkg/id/john-coale> <https://w3id.org/belkg/ontology#negotiated> "
        "<https://w3id.org/belkg/id/release-of-52> .\n"
    )


def test_construct_refuses_a_table_format(belkg):
    result = belkg("query", "-e", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv")
    assert result.exit_code == 2
    assert "format 'csv' does not fit a CONSTRUCT/DESCRIBE result" in result.stderr


def test_no_inference_sees_only_asserted_graphs(belkg):
    inverse = "PREFIX bk: <https://w3id.org/belkg/ontology#> ASK { ?w bk:negotiated ?r }"
    assert belkg("query", "-e", inverse).stdout == "yes\n"
    assert belkg("query", "-e", inverse, "--no-inference").stdout == "no\n"


def test_rdflib_engine_gives_the_same_table(belkg):
    assert belkg("query", "-e", NEGOTIATED, "--engine", "rdflib").stdout == belkg("query", "-e", NEGOTIATED).stdout


def test_invalid_sparql_is_one_line_and_the_place(belkg):
    result = belkg("query", "-e", "SELECT ?x WHERE {\n  ?x a foo:Person }")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: -e:2:8: unknown prefix 'foo:'; declare it with PREFIX or see `belkg prefixes`",
        "    ?x a foo:Person }",
        "         ^",
    ]


def test_unknown_query_suggests_the_nearest(belkg):
    result = belkg("query", "negotiator")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: no saved query named 'negotiator'; did you mean negotiators?"


def test_unknown_parameter(belkg):
    result = belkg("query", "negotiators", "-p", "relase", "x")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: query 'negotiators' has no parameter 'relase' (its parameters: release)"


def test_ill_typed_parameter(belkg):
    result = belkg("query", "negotiators", "-p", "release", "not an iri")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: parameter 'release' expects an IRI (https://... or bkd:slug), got 'not an iri'"
    )


def test_parameter_accepts_a_prefixed_name(belkg):
    full = belkg("query", "negotiators", "-p", "release", "https://w3id.org/belkg/id/release-of-14-june")
    short = belkg("query", "negotiators", "-p", "release", "bkd:release-of-14-june")
    assert full.exit_code == short.exit_code == 0
    assert full.stdout == short.stdout
    assert "release-of-52" not in short.stdout


def test_queries_lists_every_saved_query(belkg, project):
    result = belkg("queries")
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == sorted(path.stem for path in project.queries_dir.glob("*.rq"))
    assert len(names) >= 20


def test_queries_json(belkg):
    catalogue = json.loads(belkg("queries", "--format", "json").stdout)
    negotiators = next(q for q in catalogue if q["name"] == "negotiators")
    assert set(negotiators) == {"name", "summary", "description", "tags", "params"}
    assert negotiators["params"][0]["name"] == "release"
    assert negotiators["params"][0]["type"] == "iri"


def test_queries_show(belkg, project):
    assert belkg("queries", "show", "negotiators").stdout == (project.queries_dir / "negotiators.rq").read_text()


def test_stats(belkg):
    report = json.loads(belkg("stats", "--format", "json").stdout)
    assert report["claims per source"].keys() == {f"bkd:doc-00{n}" for n in range(5)}
    assert report["things per class"]["bk:Person"] >= 30
    assert report["claims per hedge"]["bk:Reportedly"] >= 5
    assert report["events per number of reporting sources"]["2"] >= 1


def test_entity_by_any_spelling(belkg):
    for spelling in ("Bolunets", "Dmitry Bolkunets"):
        result = belkg("entity", spelling)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Dmitry Bolkunets  (person, https://w3id.org/belkg/id/dmitry-bolkunets)")


def test_entity_several_matches_exit_2(belkg):
    result = belkg("entity", "Polish")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 5 things match 'Polish': ")
    assert "Polish foreign ministry (government body, https://w3id.org/belkg/id/polish-foreign-ministry)" in (
        result.stderr
    )


def test_entity_no_match(belkg):
    result = belkg("entity", "Nobody Atall")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: nothing in the graph is called 'Nobody Atall'; try part of a name, or another spelling"
    )


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt"), ("xml", "xml"), ("jsonld", "json-ld")])
def test_construct_in_every_rdf_format_parses_back(belkg, fmt, parser):
    from rdflib import Graph, URIRef

    construct = (
        "PREFIX bk: <https://w3id.org/belkg/ontology#> "
        "CONSTRUCT { ?w bk:negotiated ?r } WHERE { ?r bk:negotiatedBy ?w }"
    )
    result = belkg("query", "-e", construct, "--format", fmt)
    graph = Graph().parse(data=result.stdout_bytes, format=parser)
    assert set(graph) == {
        (
            URIRef("https://w3id.org/belkg/id/john-coale"),
            URIRef("https://w3id.org/belkg/ontology#negotiated"),
            URIRef("https://w3id.org/belkg/id/release-of-52"),
        )
    }
