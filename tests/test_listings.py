"""Decisions the commands used to make themselves, now library calls tested directly:
the saved-query listing and the coverage report's choice of seeds."""

from __future__ import annotations

import pytest

from belkg.catalogue import Param, SavedQuery, format_listing, usage
from belkg.coverage import SeedCoverage, SentenceCoverage, SkipEntry, format_text, select_seeds
from belkg.errors import BelkgError
from belkg.sentences import Sentence

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


def test_coverage_text_lists_the_uncited_and_with_all_every_sentence():
    seed = SeedCoverage(
        "900_tiny",
        "bkd:doc-900",
        [
            SentenceCoverage(Sentence(1, 0, 10, "Alice was freed.", 1), ["bkd:claim-900-001"]),
            SentenceCoverage(Sentence(2, 11, 20, "Read more", 2), [], SkipEntry("900_tiny", "Read more", "a link", 3)),
            SentenceCoverage(Sentence(3, 21, 30, "Bob spoke.", 2)),
        ],
    )
    header = "seed                   sentences  cited skipped uncited coverage"
    summary = "900_tiny                       3      1       1       1    50.0%"
    assert format_text([seed]) == f"{header}\n{summary}\nseeds/900_tiny.txt:2: [uncited] 'Bob spoke.' <- UNCITED\n"
    assert format_text([seed], show_all=True).splitlines()[2:] == [
        "seeds/900_tiny.txt:1: [cited] 'Alice was freed.' <- bkd:claim-900-001",
        "seeds/900_tiny.txt:2: [skipped] 'Read more' <- skipped: a link",
        "seeds/900_tiny.txt:2: [uncited] 'Bob spoke.' <- UNCITED",
    ]
