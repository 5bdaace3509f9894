"""Decisions the commands used to make themselves, now library calls tested directly:
the saved-query listing and the coverage report's choice of seeds."""

from __future__ import annotations

import pytest

from belkg.catalogue import Param, SavedQuery, format_listing, usage
from belkg.coverage import SeedCoverage, select_seeds
from belkg.errors import BelkgError

NEGOTIATORS = SavedQuery(
    "negotiators", "Who negotiated which release", "", "SELECT * {}", params=(Param("release", "iri"),)
)
COUNTS = SavedQuery(
    "counts",
    "Counts",
    "",
    "SELECT * {}",
    params=(Param("group", "iri", required=True), Param("year", "integer")),
)
PLAIN = SavedQuery("conflicts", "Where the sources disagree", "", "SELECT * {}")


def test_usage_brackets_the_optional_parameters():
    assert usage(COUNTS) == "-p group IRI [-p year INTEGER]"
    assert usage(PLAIN) == ""


def test_format_listing_aligns_names():
    assert format_listing([NEGOTIATORS, COUNTS, PLAIN]) == (
        "negotiators  Who negotiated which release  [-p release IRI]\n"
        "counts       Counts  -p group IRI [-p year INTEGER]\n"
        "conflicts    Where the sources disagree\n"
    )
    assert format_listing([]) == ""


def test_format_listing_wraps_within_a_width():
    assert format_listing([NEGOTIATORS, COUNTS, PLAIN], 42) == (
        "negotiators  Who negotiated which release\n"
        "             [-p release IRI]\n"
        "counts       Counts  -p group IRI\n"
        "             [-p year INTEGER]\n"
        "conflicts    Where the sources disagree\n"
    )


def test_queries_listing_fits_columns(belkg, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lines = belkg("queries").stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("claims-by-source ")


REPORT = [SeedCoverage("001_aaaa", "bkd:doc-001", []), SeedCoverage("002_bbbb", "bkd:doc-002", [])]


def test_select_seeds_by_number_or_stem():
    assert select_seeds(REPORT, ()) == REPORT
    assert [seed.seed for seed in select_seeds(REPORT, ("002",))] == ["002_bbbb"]
    assert [seed.seed for seed in select_seeds(REPORT, ["001_aaaa", "002"])] == ["001_aaaa", "002_bbbb"]


def test_select_seeds_refuses_an_unknown_seed():
    with pytest.raises(BelkgError) as caught:
        select_seeds(REPORT, ("999", "002", "000"))
    assert caught.value.message == "no such seed: 000, 999"
