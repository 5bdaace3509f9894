"""The query command's library half: one query answered, rendered, with its notes."""

from __future__ import annotations

import pytest

from belkg.answering import answer_query, endpoint_runner
from belkg.catalogue import find_saved_query
from belkg.errors import BelkgError


def test_a_saved_query_is_answered_in_the_format_its_output_file_names(project, engines, tmp_path):
    query = find_saved_query(project.queries_dir, "negotiators")
    answer = answer_query(
        engines["oxigraph"],
        query,
        {"release": "bkd:release-of-52"},
        output=str(tmp_path / "x.csv"),
        fmt=None,
        timeout=30,
        memory=None,
    )
    lines = answer.data.decode().splitlines()
    assert lines[0] == "release,releaseLabel,agent,agentLabel,role,roleLabel,source,quote,hedge,hedgeLabel"
    assert len(lines) == 7
    assert (answer.size, answer.notes) == ("6 rows", [])


def test_an_iri_that_names_nothing_comes_back_as_a_note(project, engines):
    query = find_saved_query(project.queries_dir, "negotiators")
    answer = answer_query(
        engines["oxigraph"], query, {"release": "bkd:release-of-5"}, output=None, fmt="csv", timeout=30, memory=None
    )
    assert answer.size == "0 rows"
    assert answer.notes == [
        "note: bkd:release-of-5 is not in the graph; did you mean bkd:release-of-52, bkd:release-of-250 "
        "or bkd:release-of-14-june?"
    ]
    quiet = answer_query(
        engines["oxigraph"],
        query,
        {"release": "bkd:release-of-5"},
        output=None,
        fmt="csv",
        timeout=30,
        memory=None,
        notes=False,
    )
    assert quiet.notes == []


@pytest.mark.parametrize(
    ("no_inference", "has_data", "message"),
    [
        (True, False, "--no-inference works on the local build only; the endpoint decides its default graph"),
        (False, True, "--data works on the local build only; load the files into the endpoint's store instead"),
    ],
)
def test_local_only_options_are_refused_for_an_endpoint(no_inference, has_data, message):
    with pytest.raises(BelkgError) as caught:
        endpoint_runner("http://127.0.0.1:9/sparql", 5, 1, no_inference=no_inference, has_data=has_data)
    assert caught.value.message == message
