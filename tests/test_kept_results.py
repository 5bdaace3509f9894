"""Results kept beside the build: read back equal to the live query, keyed by everything
that decides the answer, never read past the safety gate, never of the user's --data."""

from __future__ import annotations

import json
import os
import re
from functools import partial

import pytest

from belkg import kept_results
from belkg.build.cache import QUERY_CHECKS, VIEWS
from belkg.catalogue import find_saved_query, load_catalogue
from belkg.engines import OxigraphEngine, QueryResult
from belkg.errors import BelkgError
from belkg.kept_results import Shelf, precompute
from belkg.querying import prepare
from belkg.terms import Term

from conftest import ROOT, sweep

ANY_TRIPLE = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
MADE_UP = QueryResult("select", ["s"], [{"s": Term.iri("https://example.org/only-in-the-kept-file")}])


@pytest.fixture
def keeping(built, session_cache, tmp_path):
    """An engine over the session's build that keeps every result, however quick (the
    gate's verdicts shared with the session's other engines)."""
    engine = OxigraphEngine(built.entry.store_dir, kept=tmp_path / "views", checks_cache=session_cache / QUERY_CHECKS)
    assert engine.shelf is not None
    engine.shelf.keep_after = 0
    return engine


SAVED = sorted(path.stem for path in (ROOT / "queries").glob("*.rq"))
OTHER_FORMS = {"ask": "ASK { ?s a <https://w3id.org/belkg/ontology#Release> }",
               "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50"}  # fmt: skip


@pytest.mark.parametrize("name", sweep([*SAVED, *OTHER_FORMS], ["negotiators", "ask", "construct"]))
def test_every_saved_query_read_back_equals_the_live_query(project, built, session_cache, keeping, name):
    live = OxigraphEngine(built.entry.store_dir, checks_cache=session_cache / QUERY_CHECKS)
    text = OTHER_FORMS.get(name) or prepare(find_saved_query(project.queries_dir, name), {})
    expected = live.run(text)
    assert keeping.run(text) == expected  # found, and kept
    assert keeping.shelf.read(keeping.gate.check(text).text) == expected  # read back whole
    assert keeping.run(text) == expected
    assert len(list(keeping.shelf.folder.iterdir())) == 1


def test_a_kept_result_is_read_instead_of_running_the_query(keeping):
    keeping.shelf.keep(ANY_TRIPLE, MADE_UP, seconds=1.0)
    assert keeping.run(ANY_TRIPLE) == MADE_UP
    assert keeping.run(ANY_TRIPLE + " OFFSET 1") != MADE_UP  # another text is run


def test_the_gate_decides_before_a_kept_result_is_read(keeping):
    service = "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"
    keeping.shelf.keep(service, MADE_UP, seconds=1.0)
    with pytest.raises(BelkgError) as caught:
        keeping.run(service)
    assert str(caught.value) == "SERVICE is refused: it would query another server; use --allow-network to allow it"


def test_a_quick_result_is_not_kept_and_a_damaged_file_is_found_again(keeping):
    keeping.shelf.keep_after = 0.25
    keeping.shelf.keep(ANY_TRIPLE, MADE_UP, seconds=0.1)
    assert not keeping.shelf.path(ANY_TRIPLE).exists()
    keeping.shelf.keep_after = 0
    path = keeping.shelf.path(ANY_TRIPLE)
    path.parent.mkdir(parents=True)
    for damaged in (b"{not json", b'{"text": "another query"}', json.dumps({"text": ANY_TRIPLE}).encode()):
        path.write_bytes(damaged)
        assert keeping.shelf.read(ANY_TRIPLE) is None
        found = keeping.run(ANY_TRIPLE)
        assert found.kind == "select" and len(found.rows) == 1
        assert keeping.shelf.read(ANY_TRIPLE) == found  # written anew


def test_the_file_is_named_by_build_inference_and_text(tmp_path):
    one = Shelf(tmp_path, "build-a", inference=True).path(ANY_TRIPLE)
    assert Shelf(tmp_path, "build-a", inference=True).path(ANY_TRIPLE) == one
    others = [
        Shelf(tmp_path, "build-b", inference=True).path(ANY_TRIPLE),
        Shelf(tmp_path, "build-a", inference=False).path(ANY_TRIPLE),
        Shelf(tmp_path, "build-a", inference=True).path(ANY_TRIPLE + " "),
    ]
    assert one not in others and len(set(others)) == 3


def test_precompute_runs_each_saved_query_with_its_defaults(project, keeping):
    queries = load_catalogue(project.queries_dir)
    done = precompute(keeping, queries)
    assert [item.name for item in done] == [query.name for query in queries]
    assert all(item.kept and item.error is None for item in done)
    for query in queries:
        assert keeping.shelf.read(keeping.gate.check(prepare(query, {})).text) is not None


def test_the_command_line_keeps_slow_answers_and_reads_them_back(belkg, session_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(kept_results, "KEEP_AFTER", 0.0)
    text = "SELECT ?release WHERE { ?release a bk:Release } ORDER BY ?release"
    first = belkg("query", "-e", text, "--format", "csv")
    assert first.exit_code == 0 and first.stdout.startswith("release\nhttps://w3id.org/belkg/id/")
    kept = [path for path in (session_cache / VIEWS).glob("result-*.json") if text in path.read_text()]
    assert len(kept) == 1
    data = json.loads(kept[0].read_text())
    data["terms"], data["rows"] = [["uri", "https://example.org/from-the-kept-file", None, None]], [[0]]
    kept[0].write_text(json.dumps(data))
    assert belkg("query", "-e", text, "--format", "csv").stdout == "release\nhttps://example.org/from-the-kept-file\n"
    kept[0].unlink()
    assert belkg("query", "-e", text, "--format", "csv").stdout == first.stdout


def test_the_users_data_is_never_kept(belkg, session_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(kept_results, "KEEP_AFTER", 0.0)
    mine = tmp_path / "mine.ttl"
    mine.write_text("<https://example.org/a> <https://example.org/b> 'only mine' .\n")
    text = "SELECT ?o WHERE { <https://example.org/a> ?p ?o }"
    result = belkg("query", "-e", text, "--data", str(mine), "--format", "csv")
    assert result.stdout == "o\nonly mine\n"
    assert not [path for path in (session_cache / VIEWS).glob("result-*.json") if text in path.read_text()]


def test_precompute_again_reports_the_answers_kept_before(project, keeping):
    queries = load_catalogue(project.queries_dir)
    precompute(keeping, queries)
    keeping.shelf.keep_after = 3600  # nothing new would be kept now
    assert all(item.kept for item in precompute(keeping, queries))


def test_precompute_in_processes_keeps_what_one_process_keeps(project, built, session_cache, keeping, tmp_path):
    queries = load_catalogue(project.queries_dir)
    alone = precompute(keeping, queries)
    reopen = partial(
        OxigraphEngine, built.entry.store_dir, kept=tmp_path / "views-2", checks_cache=session_cache / QUERY_CHECKS
    )
    engine = reopen()
    engine.shelf.keep_after = 0  # carried to the workers: they keep every answer too
    together = precompute(engine, queries, reopen=reopen, jobs=2)
    assert [item.name for item in together] == [item.name for item in alone]
    assert all(item.kept and item.error is None for item in together)
    kept = sorted(path.name for path in (tmp_path / "views-2").iterdir())
    assert kept == sorted(path.name for path in keeping.shelf.folder.iterdir())
    assert len(kept) == len(queries)


def test_build_precompute_runs_the_saved_queries_side_by_side(belkg):
    result = belkg("build", "--precompute", "-j", "2", quiet=False)
    assert result.exit_code == 0
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("precomputed: ")]
    assert re.fullmatch(rf"precomputed: {len(SAVED)} saved queries in \d+\.\d\d s, 2 at a time, \d+ kept", line)
    assert "… precomputed negotiators in " in result.stderr


def test_a_process_that_cannot_open_its_engine_is_one_clear_error(project, keeping, tmp_path):
    queries = load_catalogue(project.queries_dir)[:2]
    with pytest.raises(BelkgError) as caught:
        precompute(keeping, queries, reopen=partial(open, tmp_path / "no-such-store"), jobs=2)
    assert str(caught.value) == "a process precomputing the saved queries stopped; try --jobs 1"


def test_build_precompute_uses_one_process_per_core_up_to_four(belkg, monkeypatch):
    jobs: list[int] = []
    monkeypatch.setattr(kept_results, "precompute", lambda *args, **kwargs: jobs.append(kwargs["jobs"]) or [])
    for cores in (64, 2, None):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        assert belkg("build", "--precompute").exit_code == 0
    assert belkg("build", "--precompute", "-j", "3").exit_code == 0
    assert jobs == [4, 2, 1, 3]
