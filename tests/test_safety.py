"""Unsafe queries are refused by one gate on every path, local work cannot reach the
network, FROM means what SPARQL says, and runaway queries stop."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from belkg.build.pipeline import build
from belkg.catalogue import load_catalogue
from belkg.cli import cli
from belkg.errors import BelkgError
from belkg.project import Project
from belkg.safety import MAX_NESTING, Gate, analyse, check_query, no_network, oxigraph_syntax_error

from conftest import GOOD_CLAIM, ROOT, TINY_ENTITIES, TINY_SEED, TINY_SEED_NAME, sweep, tiny_document


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(0.5)
                try:
                    received.append(connection.recv(4096))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=2)
    server.close()


ENTITIES = "https://w3id.org/belkg/graph/entities"
GRAPHS = {ENTITIES}
SERVICE_REFUSED = "SERVICE is refused: it would query another server; use --allow-network to allow it"


def _from_refused(iri: str) -> str:
    return f"FROM <{iri}> is refused: the build has no such graph, and belkg does not fetch graphs"


# --- the gate, on every spelling the grammar allows ----------------------------------------

UPDATES = [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
    ("PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DELETE DATA { <http://a> <http://b> <http://c> }", "DELETE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("load silent <file:///etc/passwd> into graph <http://g>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <http://x>", "DROP"),
    ("CREATE GRAPH <http://x>", "CREATE"),
    ("ADD <http://a> TO <http://b>", "ADD"),
    ("MOVE DEFAULT TO <http://b>", "MOVE"),
    ("COPY <http://a> TO DEFAULT", "COPY"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE"),
    ("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT"),
    ("# a comment first\nBASE <http://x/> PREFIX : <http://y/> INSERT DATA { :a :b :c }", "INSERT"),
    ("CLEAR DEFAULT ; LOAD <http://x>", "CLEAR"),
]


@pytest.mark.parametrize(("query", "keyword"), UPDATES, ids=[f"update-{i}" for i in range(len(UPDATES))])
def test_updates_are_refused(query, keyword):
    for allow in (False, True):  # even with --allow-network
        with pytest.raises(BelkgError) as caught:
            check_query(query, GRAPHS, allow_network=allow)
        assert caught.value.message == f"{keyword} is refused: belkg queries are read-only"


_S = "SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }"
SERVICES = [
    f"SELECT * WHERE {{ {_S} }}",
    "select * where { service silent <http://x/> { ?s ?p ?o } }",
    "PREFIX ex: <http://127.0.0.1:1/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } VALUES ?where { <http://127.0.0.1:1/> } }",
    f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {_S} }} }}",
    f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {_S} }} }}",
    f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {_S} }} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ {_S} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c FILTER (NOT EXISTS {{ {_S} }}) }}",
    f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {_S} }} }}",
    f"SELECT * WHERE {{ GRAPH ?g {{ {_S} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c BIND (EXISTS {{ {_S} }} AS ?x) }}",
    f"ASK {{ {_S} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_S} }}",
    f"DESCRIBE ?s WHERE {{ {_S} }}",
    f"SELECT ?a (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c }} GROUP BY ?a HAVING (EXISTS {{ {_S} }})",
    "SELECT * WHERE { SERVICE#comment\n<http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:1/>{?s ?p ?o}}",
    "SELECT * WHERE { sErViCe <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ervice <http://127.0.0.1:1/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICES, ids=[f"service-{i}" for i in range(len(SERVICES))])
def test_service_is_refused_anywhere(query):
    with pytest.raises(BelkgError) as caught:
        check_query(query, GRAPHS)
    assert caught.value.message == SERVICE_REFUSED
    check_query(query, GRAPHS, allow_network=True)


FROMS = [
    ("SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }", "http://example.org/remote"),
    ("SELECT * FROM<file:///etc/passwd> WHERE { ?s ?p ?o }", "file:///etc/passwd"),
    ("SELECT * FROM NAMED<file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "file:///etc/passwd"),
    (
        "PREFIX ex: <http://example.org/> SELECT * FROM NAMED ex:g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "http://example.org/g",
    ),
    ("PREFIX ex: <http://example.org/> SELECT * FROM ex:g WHERE { ?s ?p ?o }", "http://example.org/g"),
    ("PREFIX : <http://example.org/> SELECT * FROM : WHERE { ?s ?p ?o }", "http://example.org/"),
    ("BASE <http://example.org/dir/> SELECT * FROM <g.ttl> WHERE { ?s ?p ?o }", "http://example.org/dir/g.ttl"),
    ("select * from#comment\n<http://example.org/x> where { ?s ?p ?o }", "http://example.org/x"),
    (f"SELECT * FROM <{ENTITIES}> FROM <http://example.org/extra> WHERE {{ ?s ?p ?o }}", "http://example.org/extra"),
    (
        "PREFIX bk: <https://w3id.org/belkg/ontology#> SELECT * FROM <http://example.org/remote> { ?s ?p ?o }",
        "http://example.org/remote",
    ),
    ("ASK FROM <http://example.org/a> { ?s ?p ?o }", "http://example.org/a"),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://example.org/a> WHERE { ?s ?p ?o }", "http://example.org/a"),
    ("CONSTRUCT FROM <http://example.org/a> WHERE { ?s ?p ?o }", "http://example.org/a"),
    ("DESCRIBE <http://x> FROM <http://example.org/a>", "http://example.org/a"),
    (f"SELECT * FROM <{ENTITIES}/../../../etc> WHERE {{ ?s ?p ?o }}", f"{ENTITIES}/../../../etc"),
]


@pytest.mark.parametrize(("query", "iri"), FROMS, ids=[f"from-{i}" for i in range(len(FROMS))])
def test_from_a_graph_not_in_the_build_is_refused(query, iri):
    for allow in (False, True):  # belkg never fetches a graph
        with pytest.raises(BelkgError) as caught:
            check_query(query, GRAPHS, allow_network=allow)
        assert caught.value.message == _from_refused(iri)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE" }',
        'SELECT * WHERE { ?s ?p """FROM <http://x> SERVICE <http://y> { }""" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://x/>",
        "SELECT * WHERE { ?s ?p ?o } # FROM <http://x/>\n",
        f"SELECT * FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}",
        "PREFIX g: <https://w3id.org/belkg/graph/> SELECT * FROM g:entities FROM NAMED g:entities { ?s ?p ?o }",
        "SELECT ?insert ?service ?from WHERE { ?insert ?service ?from }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:from ?o }",
    ],
)
def test_look_alikes_are_not_refused(query):
    check_query(query, GRAPHS)


def test_escapes_are_read_once_and_alike_by_the_gate_and_the_engines(engines, listener):
    """rdflib writes out \\u escapes before it parses, Oxigraph only inside strings: a
    text that hid SERVICE from one of them in a string or comment must not reach the other."""
    port, received = listener
    hidden = (
        "SELECT * WHERE { ?s ?p ?o # \\u000A FILTER (?o = \\u0022\\u0022\\u0022\n"
        f"SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }}\n"
        "# \\u0022\\u0022\\u0022) } LIMIT 1"
    )
    for engine in engines.values():
        assert engine.run(hidden).rows == []
    threading.Event().wait(0.5)
    assert received == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ASK { ?s ?p "\\uD800" }', "invalid SPARQL: \\uD800 is not the escape of a character"),
        ('ASK { ?s ?p "\\U00110000" }', "invalid SPARQL: \\U00110000 is not the escape of a character"),
        ('ASK { ?s ?p "\\u005Cu0041" }', "invalid SPARQL: \\u005C writes a backslash; write \\\\ instead"),
        (  # Oxigraph ends a comment at a lone CR and would run the SERVICE; rdflib reads on
            "ASK {\n ?s ?p ?o # c\rSERVICE <http://127.0.0.1:1/> { ?a ?b ?c }\n}",
            "invalid SPARQL: a carriage return without a line feed (line 2); end lines with \\n or \\r\\n",
        ),
        (
            "ASK {\n ?s ?p ?o # c\\u000DSERVICE <http://127.0.0.1:1/> { ?a ?b ?c }\n}",
            "invalid SPARQL: a carriage return without a line feed (line 2); end lines with \\n or \\r\\n",
        ),
    ],
    ids=["surrogate", "beyond-unicode", "escaped-backslash", "lone-carriage-return", "escaped-carriage-return"],
)
def test_texts_the_parsers_would_read_differently(text, message):
    with pytest.raises(BelkgError) as caught:
        check_query(text, GRAPHS)
    assert caught.value.message == message


@pytest.mark.parametrize(
    "value", ["\\u0041", "\\U00000041", "a\\\\u0041", '"', "\\", "\n\r\t", "é\u2028", "#", "} SERVICE <x> {"]
)
def test_a_parameter_value_comes_back_exactly_on_both_engines(engines, value):
    """Values are bound as escaped terms; the gate writes out escapes once, and both
    engines read the value the user gave."""
    from belkg.catalogue import parse_saved_query
    from belkg.querying import run

    header = "#+ summary: echo\n#+ description: The value given.\n#+ params:\n#+   v: {type: literal}\n"
    query = parse_saved_query(header + "SELECT ?v WHERE { BIND (?_v AS ?v) }\n", "echo")
    for engine in engines.values():
        assert [row["v"].value for row in run(engine, query, {"v": value}).rows] == [value]


def test_windows_line_ends_are_read(engines):
    text = "ASK {\r\n  ?s ?p ?o # a comment\r\n}\r\n"
    for engine in engines.values():
        assert engine.run(text).boolean is True


def test_the_gate_reports_syntax_errors_in_words():
    with pytest.raises(BelkgError) as caught:
        check_query("SELECT ?x WHERE { ?x }", GRAPHS, where="-e")
    assert str(caught.value) == "-e:1:22: this triple pattern has a subject but no predicate or object"
    assert caught.value.detail == "  SELECT ?x WHERE { ?x }\n                       ^"
    with pytest.raises(BelkgError, match=r"^invalid SPARQL: the query is empty$"):
        check_query("", GRAPHS)


def test_a_query_oxigraph_reads_and_rdflib_does_not_is_refused():
    with pytest.raises(BelkgError) as caught:
        check_query("SELECT * WHERE { ?s ?p <<?a ?b ?c>> }", GRAPHS)
    assert caught.value.message.startswith(
        "invalid SPARQL: belkg cannot check this query, as its checker does not read it: error at 1:"
    )


def test_oxigraph_only_parses_when_asked_for_its_syntax_error(listener):
    """The gate takes Oxigraph's syntax errors from a call that parses but must never
    evaluate: a pyoxigraph that evaluated it would send this SERVICE request."""
    port, received = listener
    assert oxigraph_syntax_error(f"ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}") is None
    assert oxigraph_syntax_error("ASK {") is not None
    threading.Event().wait(0.5)
    assert received == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{ " * (MAX_NESTING + 1) + "?s ?p ?o" + " }" * (MAX_NESTING + 1),
        "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,  # Oxigraph itself would crash
        "SELECT * WHERE { BIND (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",
        "SELECT * WHERE { ?s ?p " + "[ <http://p> " * 200 + "1" + " ]" * 200 + " }",
    ],
    ids=["groups", "groups-5000", "parentheses-5000", "blank-nodes"],
)
def test_deep_nesting_is_an_error_not_a_crash(text):
    with pytest.raises(
        BelkgError, match=rf"^the query nests groups \d+ deep; belkg reads queries nested up to {MAX_NESTING} deep$"
    ):
        check_query(text, GRAPHS)


def test_nesting_up_to_the_limit_is_read():
    depth = MAX_NESTING - 1
    check_query("SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth, GRAPHS)


def test_the_gate_parses_without_the_memo_matplotlib_switches_on():
    """matplotlib's mathtext switches pyparsing's packrat memo on for every grammar in the
    process, which makes rdflib's SPARQL parser two to three times slower: the gate's
    parser does not consult it, and leaves it on for matplotlib."""
    from pyparsing import ParserElement

    from belkg.safety import parse_canonical

    was_on = ParserElement._packratEnabled
    ParserElement.enable_packrat()
    try:
        memo, counts = ParserElement.packrat_cache, sum(ParserElement.packrat_cache_stats)
        analyse("SELECT * WHERE { ?s ?p ?o }")
        parse_canonical("ASK { ?s ?p ?o }")
        assert sum(ParserElement.packrat_cache_stats) <= counts  # no hit or miss counted
        assert ParserElement._packratEnabled and ParserElement.packrat_cache is memo
        assert ParserElement._parse == ParserElement._parseCache
    finally:
        if not was_on:
            ParserElement.disable_memoization()


def test_the_gate_parses_with_a_pyparsing_that_lacks_the_memo_s_internals(monkeypatch):
    """The memo is switched off through pyparsing's private attributes; a pyparsing that
    renamed them still gets the gate's verdicts, with the memo left as it is."""
    import pyparsing

    monkeypatch.setattr(pyparsing, "ParserElement", type("ParserElement", (), {}))
    assert analyse("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }").service
    assert analyse("SELECT * FROM <https://w3id.org/belkg/graph/edges> WHERE { ?s ?p ?o }").default_graphs == (
        "https://w3id.org/belkg/graph/edges",
    )


def test_a_huge_query_is_refused_before_it_is_parsed():
    text = 'SELECT * WHERE { ?s ?p "' + "x" * (50 << 20) + '" }'
    with pytest.raises(BelkgError, match=r"^the query is 50\.0 MiB; belkg reads queries of up to 1 MiB"):
        check_query(text, GRAPHS)


def test_verdicts_are_cached_and_a_damaged_cache_is_reparsed(tmp_path):
    text = "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }"
    gate = Gate(GRAPHS, cache_dir=tmp_path)
    with pytest.raises(BelkgError):
        gate.check(text)
    (cached,) = [path for path in tmp_path.iterdir() if not path.name.startswith("run-")]
    (run,) = tmp_path.glob("run-*.json")
    assert Gate(GRAPHS, cache_dir=tmp_path).analysis(text) == analyse(text)
    cached.write_text("{not json")
    run.write_text("{not json")
    with pytest.raises(BelkgError):
        Gate(GRAPHS, cache_dir=tmp_path).check(text)


def test_the_text_run_is_kept_and_a_kept_one_is_the_query_itself_or_is_not_used(tmp_path):
    """Gate.run_text keeps the text an engine runs (the query with the predeclared
    prefixes it lacks) beside the verdicts; a kept text that is not the query with at most
    a line before it is made again, and whatever it holds the gate decides on."""
    text = "SELECT ?x WHERE { ?x a bk:Person }"
    expected = Gate().check(text).text
    assert expected.startswith("PREFIX bk: ") and expected.endswith(text)
    assert Gate(cache_dir=tmp_path).check(text).text == expected
    (run,) = tmp_path.glob("run-*.json")
    assert json.loads(run.read_text()) == {"text": expected}
    assert Gate(cache_dir=tmp_path).check(text).text == expected
    for damaged in (
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX a: <x:>\nDELETE WHERE { ?s ?p ?o } ;\n" + text,
        "x" + text[1:],
    ):
        run.write_text(json.dumps({"text": damaged}))
        assert Gate(cache_dir=tmp_path).check(text).text == expected
    run.write_text(json.dumps({"text": "DELETE WHERE { ?s ?p ?o } ;\n" + text}))
    with pytest.raises(BelkgError):
        Gate(cache_dir=tmp_path).check(text)


def test_a_text_vouched_for_is_not_kept_on_disk(tmp_path):
    """A saved query's text bound to values (Gate.vouch) is one of many: its run text is
    not kept beside the verdicts, the template's is."""
    template = "SELECT ?x WHERE { ?x bk:name ?_name }"
    gate = Gate(cache_dir=tmp_path)
    for value in ("a", "b", "c"):
        bound = template.replace("WHERE { ", f'WHERE {{ VALUES (?_name) {{ ("{value}") }} ', 1)
        gate.vouch(bound, template)
        assert gate.check(bound).text == Gate().check(bound).text
    (run,) = tmp_path.glob("run-*.json")
    assert json.loads(run.read_text())["text"].endswith(template)


# --- engines cannot be used around the gate --------------------------------------------------


# Literal values written to break out of their term, were they spliced in as text.
BREAKOUTS = ('x" } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #', "x\\u0022 } SERVICE <http://127.0.0.1:9/> {",
             "x\n} INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # fmt: skip


WITH_PARAMETERS = [query.name for query in load_catalogue(ROOT / "queries") if query.params]


@pytest.mark.parametrize("name", sweep(WITH_PARAMETERS, ["find-by-spelling", "negotiators"]))
def test_binding_values_changes_no_verdict(name):
    """The gate takes a saved query's verdict for the text with its values bound
    (Gate.vouch, so the parser reads each saved query once): for every saved query with
    parameters, with its defaults, its examples and literals written to break out, the
    bound text has the verdict of the query as written."""
    from belkg.catalogue import find_saved_query
    from belkg.predeclared import with_prefixes
    from belkg.querying import prepare

    gate = Gate()
    query = find_saved_query(ROOT / "queries", name)
    assert query.params
    verdict = analyse(with_prefixes(gate.canonical(query.text)).text)
    trials = [{}, {p.name: p.example for p in query.params if p.example}]
    trials += [{p.name: value} for p in query.params if p.type == "literal" for value in BREAKOUTS]
    bound = {with_prefixes(gate.canonical(prepare(query, values))).text for values in trials}
    for text in bound:  # each text parsed once: a query without a value is its template
        assert analyse(text) == verdict, text


def test_a_saved_query_is_parsed_once_for_all_its_values(engines, monkeypatch):
    from belkg import safety
    from belkg.catalogue import find_saved_query
    from belkg.querying import run

    parsed: list[str] = []
    real = safety.analyse
    monkeypatch.setattr(safety, "analyse", lambda text: parsed.append(text) or real(text))
    query = find_saved_query(ROOT / "queries", "sources-of-event")
    engine = engines["oxigraph"]
    for event in ("release-of-52", "release-of-14", "release-of-all-political-prisoners"):
        run(engine, query, {"event": "https://w3id.org/belkg/id/" + event})
    assert len(parsed) <= 1


def test_every_engine_runs_through_the_gate(engines):
    from belkg.remote import EndpointEngine
    from belkg.views.network import DatasetEngine

    for engine in engines.values():
        with pytest.raises(BelkgError, match=r"^SERVICE is refused"):
            engine.run(f"SELECT * WHERE {{ {_S} }}")
        with pytest.raises(BelkgError, match=r"^FROM <file:///etc/passwd> is refused"):
            engine.run("SELECT * FROM<file:///etc/passwd> WHERE { ?s ?p ?o }")
    from rdflib import Dataset

    with pytest.raises(BelkgError, match=r"^SERVICE is refused"):
        DatasetEngine(Dataset()).run(f"SELECT * WHERE {{ {_S} }}")
    with pytest.raises(BelkgError, match=r"^LOAD is refused"):  # before any request is made
        EndpointEngine("http://127.0.0.1:1/sparql").run("LOAD <http://x>")


# --- FROM and FROM NAMED mean what SPARQL says, on both engines -------------------------------

DATASET_QUERIES = {
    "from": f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}",
    "from-named-only": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ENTITIES}> WHERE {{ ?s ?p ?o }}",
    "graphs-of-from-named": (
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED<{ENTITIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    ),
    "graphs-of-from": f"SELECT ?g FROM <{ENTITIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "two-froms": (
        "PREFIX g: <https://w3id.org/belkg/graph/> "
        "SELECT (COUNT(*) AS ?n) FROM g:entities FROM g:ontology WHERE { ?s ?p ?o }"
    ),
    "from-and-named": (
        "PREFIX g: <https://w3id.org/belkg/graph/> SELECT ?g (COUNT(*) AS ?n) FROM g:ontology FROM NAMED g:entities "
        "WHERE { { ?s ?p ?o BIND ('default' AS ?g) } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g ORDER BY ?g"
    ),
}


def _rows(result):
    return sorted(tuple(sorted((k, v.value) for k, v in row.items())) for row in result.rows)


@pytest.mark.parametrize("name", DATASET_QUERIES)
def test_from_restricts_the_dataset_alike_on_both_engines(engines, built, name):
    text = DATASET_QUERIES[name]
    oxigraph, rdflib = (_rows(engines[engine].run(text)) for engine in ("oxigraph", "rdflib"))
    assert oxigraph == rdflib
    entities = built.entry.manifest["triples_per_graph"][ENTITIES]
    if name == "from":
        assert oxigraph == [(("n", str(entities)),)]
    if name == "from-named-only":
        assert oxigraph == [(("n", "0"),)]
    if name == "graphs-of-from":
        assert oxigraph == []


def test_from_in_the_cli_counts_the_graph_on_both_engines(belkg, built):
    entities = built.entry.manifest["triples_per_graph"][ENTITIES]
    for engine in ("oxigraph", "rdflib"):
        result = belkg("query", "-e", DATASET_QUERIES["from"], "--engine", engine, "--format", "csv")
        assert result.stdout_bytes == f"n\r\n{entities}\r\n".encode()


# --- every command goes through the gate -----------------------------------------------------


class Tiny:
    """A tiny project with the real saved queries, built once for this module."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "project"
        shutil.copytree(ROOT / "ontology", self.root / "ontology")
        shutil.copytree(ROOT / "queries", self.root / "queries")
        (self.root / "kg").mkdir()
        (self.root / "seeds").mkdir()
        (self.root / "seeds" / f"{TINY_SEED_NAME}.txt").write_text(TINY_SEED, encoding="utf-8")
        (self.root / "kg" / "entities.ttl").write_text(TINY_ENTITIES, encoding="utf-8")
        (self.root / "kg" / f"{TINY_SEED_NAME}.ttl").write_text(tiny_document(GOOD_CLAIM), encoding="utf-8")
        self.cache = base / "cache"
        build(Project(self.root), self.cache)

    def copy(self, target: Path, edits: dict[str, str]) -> Path:
        """A copy of the project with some saved queries rewritten; its build is in the
        shared cache (saved queries are not inputs of the build)."""
        shutil.copytree(self.root, target)
        for name, text in edits.items():
            (target / "queries" / f"{name}.rq").write_text(text, encoding="utf-8")
        return target

    def run(self, root: Path, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--project", str(root), "--cache-dir", str(self.cache), "-q", *args])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("safety"))


def _inject(name: str, pattern: str) -> str:
    """A saved query with a pattern added at the start of its WHERE group."""
    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    where = re.search(r"\bWHERE\s*\{", text)
    assert where is not None
    return text[: where.end()] + f" {pattern} " + text[where.end() :]


PATTERNS = {
    "optional": "OPTIONAL { SERVICE <{url}> { ?s_ ?p_ ?o_ } }",
    "union": "{ SERVICE SILENT <{url}> { ?s_ ?p_ ?o_ } } UNION { }",
    "exists": "FILTER (!EXISTS { SERVICE<{url}>{ ?s_ ?p_ ?o_ } })",
    "subquery": "{ SELECT ?s_ WHERE { SERVICE <{url}> { ?s_ ?p_ ?o_ } } LIMIT 1 }",
}

# The commands and the saved query each reads: editing it is how a user's query reaches them.
COMMANDS = {
    "query-saved": (["query", "negotiators"], "negotiators"),
    "entity": (["entity", "Alice Example"], "find-by-spelling"),
    "entity-card": (["entity", "Alice Example"], "entity-card"),
    "viz-focus": (["viz", "--focus", "Alice Example", "--format", "json"], "find-by-spelling"),
    "timeline": (["timeline", "--format", "svg"], "timeline"),
    "timeline-undated": (["timeline", "--format", "svg"], "undated-events"),
}


# Every command with one pattern, and every pattern with one command: the commands share
# the one gate, whose reading of each pattern does not depend on who calls it.
COMMAND_PATTERNS = [(command, "optional") for command in COMMANDS] + [
    ("query-saved", pattern) for pattern in PATTERNS if pattern != "optional"
]


@pytest.mark.parametrize(("command", "pattern"), sweep(COMMAND_PATTERNS, [("query-saved", "optional")], ids="-".join))
def test_service_in_a_saved_query_is_refused_by_every_command(tiny, tmp_path, listener, command, pattern):
    port, received = listener
    args, name = COMMANDS[command]
    url = f"http://127.0.0.1:{port}/sparql"
    root = tiny.copy(tmp_path / "project", {name: _inject(name, PATTERNS[pattern].replace("{url}", url))})
    result = tiny.run(root, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"Error: {root / 'queries' / name}.rq: {SERVICE_REFUSED}"]
    assert received == []


GATED_TEXTS = {
    "service": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "optional-service": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }}",
    "from": "CONSTRUCT {{ ?s ?p ?o }} FROM<file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "from-named": "CONSTRUCT {{ ?s ?p ?o }} FROM NAMED<file:///etc/passwd> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
}
GATED_CASES = [(engine, command, name) for engine in ("oxigraph", "rdflib") for command in ("query", "viz")
               for name in GATED_TEXTS]  # fmt: skip
# Each text once in the quick loop, each command and engine twice.
QUICK_GATED = [("oxigraph", "query", "service"), ("rdflib", "viz", "optional-service"),
               ("rdflib", "query", "from"), ("oxigraph", "viz", "from-named")]  # fmt: skip


@pytest.mark.parametrize(("engine", "command", "name"), sweep(GATED_CASES, QUICK_GATED, ids="-".join))
def test_a_query_file_is_gated_in_every_command(tiny, tmp_path, listener, engine, command, name):
    port, received = listener
    text = GATED_TEXTS[name]
    query = tmp_path / "mine.rq"
    query.write_text(text.format(url=f"http://127.0.0.1:{port}/"), encoding="utf-8")
    args = ["query", str(query)] if command == "query" else ["viz", "--query", str(query), "--format", "json"]
    result = tiny.run(tiny.root, *args, "--engine", engine)
    assert result.exit_code == 2, result.output
    expected = SERVICE_REFUSED if "SERVICE" in text else _from_refused("file:///etc/passwd")
    assert result.stderr.splitlines() == [f"Error: {query}: {expected}"]
    assert received == []


def test_service_is_refused_by_the_cli_and_nothing_is_sent(belkg, listener):
    port, received = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    for engine in ("oxigraph", "rdflib"):
        result = belkg("query", "-e", query, "--engine", engine)
        assert result.exit_code == 2
        assert result.stderr.strip() == f"Error: -e: {SERVICE_REFUSED}"
    assert received == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_allow_network_lets_service_through(project, session_cache, built, listener, engine):
    port, received = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    base = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", "--allow-network"]
    result = CliRunner().invoke(cli, [*base, "query", "-e", query, "--engine", engine, "--timeout", "10"])
    assert "refused" not in result.stderr
    assert received, "the listener got no connection"
    assert received[0].startswith(b"POST ") or received[0].startswith(b"GET ")


def test_the_audit_hook_refuses_python_network_access(listener):
    port, received = listener
    with no_network(), pytest.raises(BelkgError, match=r"network access refused \(urllib.Request"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
    with no_network(), pytest.raises(BelkgError, match=r"network access refused \(socket"):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert received == []


def test_the_rules_verdicts_are_kept_beside_the_build_cache(tiny_project, tmp_path, monkeypatch):
    """A build keeps the gate's verdict on each rule in the cache's query-checks/, so a
    later build (a later process) does not parse the rules again; the edges are the same."""
    from belkg import safety
    from belkg.build.cache import QUERY_CHECKS

    project = tiny_project()
    cache = tmp_path / "cache"
    first = build(project, cache)
    assert len(list((cache / QUERY_CHECKS).glob("*.json"))) >= len(project.rule_files())
    parsed: list[str] = []
    real = safety.analyse
    monkeypatch.setattr(safety, "_ANALYSED", {})  # as in a new process
    monkeypatch.setattr(safety, "analyse", lambda text: parsed.append(text) or real(text))
    again = build(project, cache, force=True)
    assert parsed == []
    assert again.entry.dataset_file.read_bytes() == first.entry.dataset_file.read_bytes()


def test_a_rule_with_service_is_refused_when_its_verdict_is_kept(tiny_project, tmp_path, monkeypatch):
    from belkg import safety

    project = tiny_project()
    (project.root / "ontology" / "rules" / "mentions.rq").write_text(
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    parsed: list[str] = []
    real = safety.analyse
    monkeypatch.setattr(safety, "analyse", lambda text: parsed.append(text) or real(text))
    for _ in range(2):  # parsed, then from the kept verdict
        monkeypatch.setattr(safety, "_ANALYSED", {})
        with pytest.raises(BelkgError) as refused:
            build(project, cache)
        assert str(refused.value) == (
            "ontology/rules/mentions.rq: SERVICE is refused: it would query another server; "
            "use --allow-network to allow it"
        )
    assert len([text for text in parsed if "SERVICE" in text]) == 1  # the second build read the kept verdict
