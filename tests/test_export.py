"""Every export format: round trips, two independent parsers, diff-stable bytes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from belkg.export import FORMATS, keeps_graphs, select_graphs, serialize

from conftest import sweep

ALL_FORMATS = list(FORMATS)
OXIGRAPH_FORMATS = {"nq": "N_QUADS", "trig": "TRIG", "jsonld": "JSON_LD", "ttl": "TURTLE", "nt": "N_TRIPLES",
                    "xml": "RDF_XML"}  # fmt: skip
RAPPER_SYNTAX = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "ntriples", "xml": "rdfxml"}


@pytest.fixture(scope="module")
def exports(built) -> dict[str, bytes]:
    return {fmt: serialize(built.dataset, fmt) for fmt in ALL_FORMATS}


@pytest.fixture(scope="module")
def built_quads(built) -> set:
    """The build's statements as Oxigraph reads them from the cache's N-Quads: what every
    export must give back."""
    import pyoxigraph

    return set(pyoxigraph.parse(path=str(built.entry.dataset_file), format=pyoxigraph.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def statements(built_quads) -> dict[bool, int]:
    """How many statements an export holds: by whether its format keeps the graphs."""
    return {True: len(built_quads), False: len({quad.triple for quad in built_quads})}


@pytest.fixture(scope="module")
def selected(built) -> dict[str, object]:
    """select_graphs of the build for each selection, made once: the tests only read them."""
    from belkg.export import GRAPH_SELECTIONS

    return {selection: select_graphs(built.dataset, selection) for selection in GRAPH_SELECTIONS}


def _quad_count(dataset) -> int:
    return len(list(dataset.quads((None, None, None, None))))


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_export_then_import_is_isomorphic(built_quads, exports, fmt):
    """Every export, read by another parser (Oxigraph, as the stores users load it into),
    gives back the build's statements exactly: the same terms, and the same graphs where
    the format keeps graphs. (The build has no blank nodes: see below; so isomorphic is
    equal. rdflib's reading of every format is tested in tests/test_roundtrip.py.)"""
    import pyoxigraph

    reread = list(pyoxigraph.parse(exports[fmt], format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[fmt])))
    if keeps_graphs(fmt):
        assert len(reread) == len(built_quads)
        assert set(reread) == built_quads
    else:
        assert all(quad.graph_name == pyoxigraph.DefaultGraph() for quad in reread)
        triples = {quad.triple for quad in built_quads}
        assert len(reread) == len(triples)
        assert {quad.triple for quad in reread} == triples


def test_the_oxigraph_comparison_sees_one_changed_or_missing_statement(built_quads, exports):
    """The comparison above can fail: a statement dropped, or a literal changed, is seen."""
    import pyoxigraph

    lines = exports["nq"].decode().splitlines(keepends=True)
    at = next(index for index, line in enumerate(lines) if '"' in line)
    missing = lines[:at] + lines[at + 1 :]
    changed = [*lines[:at], lines[at].replace('"', '" ', 1), *lines[at + 1 :]]
    for edited in (missing, changed):
        reread = set(pyoxigraph.parse("".join(edited).encode(), format=pyoxigraph.RdfFormat.N_QUADS))
        assert reread != built_quads


def _rapper() -> str:
    found = shutil.which("rapper")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (Debian package raptor2-utils) is missing; .ci/run installs it")
        pytest.skip("rapper (Debian package raptor2-utils) is not installed")
    return found


@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_reads_the_same_number_of_statements(exports, statements, fmt, tmp_path):
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(exports[fmt])
    result = subprocess.run(
        [_rapper(), "-i", RAPPER_SYNTAX[fmt], "-c", str(path)], capture_output=True, text=True, check=True
    )
    count = int(re.search(r"returned (\d+) (?:triples|statements)", result.stderr).group(1))
    assert count == statements[keeps_graphs(fmt)]


def test_graph_selections_split_the_dataset(selected, statements):
    asserted, inferred = selected["asserted"], selected["inferred"]
    names = {str(g.identifier) for g in inferred.graphs() if len(g)}
    assert names == {
        "https://w3id.org/belkg/graph/grounding",
        "https://w3id.org/belkg/graph/edges",
        "https://w3id.org/belkg/graph/inferred",
    }
    assert _quad_count(asserted) + _quad_count(inferred) == statements[True]


def test_the_build_has_no_blank_nodes(built):
    from rdflib import BNode

    assert not [q for q in built.dataset.quads((None, None, None, None)) if any(isinstance(t, BNode) for t in q[:3])]


@pytest.mark.slow
def test_exports_are_byte_identical_across_processes(project, session_cache, built, tmp_path):
    """Two processes with different hash seeds write the same bytes, in every format that
    goes through the serializers (N-Quads and N-Triples are the cache's sorted lines)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from belkg.build.pipeline import build\n"
        "from belkg.export import serialize\n"
        "from belkg.project import Project\n"
        "dataset = build(Project(Path(sys.argv[1])), Path(sys.argv[2])).dataset\n"
        "for fmt in ('ttl', 'trig', 'jsonld', 'xml'):\n"
        "    Path(sys.argv[3], fmt).write_bytes(serialize(dataset, fmt))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(project.root), str(session_cache), str(folder)],
            check=True, env=environment,
        )  # fmt: skip
        outputs.append({path.name: path.read_bytes() for path in sorted(folder.iterdir())})
    assert sorted(outputs[0]) == ["jsonld", "trig", "ttl", "xml"]
    assert outputs[0] == outputs[1]


def test_turtle_is_stable_across_rebuilds(tiny_project, tmp_path):
    from belkg.build.pipeline import build

    project = tiny_project()
    first = serialize(build(project, tmp_path / "a").dataset, "ttl")
    second = serialize(build(project, tmp_path / "b").dataset, "ttl")
    assert first == second
    assert Graph().parse(data=first, format="turtle")


def test_export_file_is_written_atomically_and_says_so(project, session_cache, built, tmp_path):
    from click.testing import CliRunner

    from belkg.cli import cli

    target = tmp_path / "belkg.trig"
    result = CliRunner().invoke(
        cli, ["--project", str(project.root), "--cache-dir", str(session_cache), "export", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert result.stderr == f"wrote {target} ({target.stat().st_size} bytes)\n"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["belkg.trig"]


LINE_CASES = [(fmt, selection) for fmt in ("nq", "nt") for selection in ("all", "asserted", "inferred")]


@pytest.mark.parametrize(("fmt", "selection"), sweep(LINE_CASES, [("nq", "all"), ("nt", "inferred")], ids="-".join))
def test_line_exports_stream_the_serializers_bytes(built, selected, fmt, selection):
    """`belkg export` writes N-Quads and N-Triples from the cache's lines, without rdflib:
    byte for byte what the rdflib serializers write for the same graphs."""
    from belkg.export_lines import export_lines

    expected = serialize(selected[selection], fmt)
    assert export_lines(built.entry.dataset_file, fmt, selection) == expected


@pytest.mark.parametrize("selection", sweep(["all", "asserted", "inferred"], ["asserted"]))
def test_turtle_is_rdflib_s_byte_for_byte(selected, selection):
    """The Turtle writer works out each prefixed name once; rdflib's own writer gives the
    same bytes."""
    from belkg.export import _turtle, union_of

    union = union_of(selected[selection])
    assert _turtle(union) == union.serialize(format="turtle")


@pytest.mark.parametrize("selection", ["all", "asserted", "inferred"])
def test_push_payloads_from_the_lines_are_the_serializers_bytes(built, selected, selection):
    """`belkg push` takes each graph's N-Triples from the cache's lines: per graph, the
    same IRI, bytes and triple count as rdflib's serializer gives, in the same order."""
    from belkg.export import graph_payloads
    from belkg.export_lines import graph_lines

    expected = graph_payloads(selected[selection])
    got = list(graph_lines(built.entry.dataset_file, selection))
    assert [graph for graph, _, _ in got] == [graph for graph, _, _ in expected]
    for (graph, data, count), (_, want, want_count) in zip(got, expected, strict=True):
        assert count == want_count, graph
        assert data == want, graph
    assert got and sum(count for _, _, count in got) == sum(n for _, _, n in expected)


def test_export_nq_loads_no_rdflib(project, session_cache, built):
    script = (
        "import sys\n"
        "from belkg.cli import main\n"
        "sys.argv = ['belkg', '--project', sys.argv[1], '--cache-dir', sys.argv[2], '-q', 'export', '-o', '-']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(project.root), str(session_cache)], capture_output=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout == serialize(built.dataset, "nq")
    assert done.stderr.decode() == "[]"


def test_serialising_leaves_the_dataset_out_of_collections_and_then_unfreezes(built, monkeypatch):
    """While a format is written, the collector's passes skip the objects alive before
    (the dataset: at a million triples, walking it again and again is most of the
    collector's cost); afterwards nothing stays frozen."""
    import gc

    from belkg import export

    frozen_while_writing: list[int] = []
    writing_turtle = export._turtle

    def watched_turtle(graph):  # type: ignore[no-untyped-def]
        frozen_while_writing.append(gc.get_freeze_count())
        return writing_turtle(graph)

    monkeypatch.setattr(export, "_turtle", watched_turtle)
    assert gc.get_freeze_count() == 0
    assert serialize(built.dataset, "ttl") == writing_turtle(export.union_of(built.dataset)).encode("utf-8")
    assert len(frozen_while_writing) == 1
    assert frozen_while_writing[0] > len(built.dataset)  # every term of the dataset, at least
    assert gc.get_freeze_count() == 0


def test_serialising_where_objects_are_frozen_already_leaves_them_frozen(built):
    """A forked worker freezes its parent's objects (belkg.limits.enter_child), so that its
    collections do not copy the parent's pages: serialising must not unfreeze them."""
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        serialize(built.dataset, "nt")
        assert gc.get_freeze_count() >= frozen * 0.9  # less only by the frozen objects that died
    finally:
        gc.unfreeze()
