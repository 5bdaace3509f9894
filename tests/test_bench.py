"""bench/run.py end to end in its tiny mode: the report has its sections, a row for every
saved query on each engine, and numbers for the baselines. Nothing here asserts a timing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from belkg.catalogue import list_queries

ROOT = Path(__file__).resolve().parent.parent
# One worker runs the whole module, so the report (a minute of work) is made once.
pytestmark = [pytest.mark.xdist_group("bench"), pytest.mark.slow]
NUMBER = r"≥? ?\d[\d,]*(\.\d+)?"
BASELINES = (
    "baseline: plain rdflib script: parse the Turtle + every saved query",
    "baseline: owlrl OWL 2 RL closure",
    "baseline: pyshacl validation",
    "peer: plain pyoxigraph script: load the Turtle into memory + every saved query",
    "peer: reasonable OWL 2 RL closure",
    "belkg fast SHACL evaluator alone, on pyshacl's input",
    "peer: pyrudof SHACL validation",
    "peer: Oxigraph CLI: `oxigraph load` the build's N-Quads + `oxigraph query` every saved query",
)


@pytest.fixture(scope="session")  # a module fixture is made again when its worker switches modules
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("bench")
    notes = folder / "why.md"
    notes.write_text("The *reasons* for the misses, written by hand.\n", encoding="utf-8")
    output = folder / "RESULTS.md"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--tiny", "--timeout", "20"]
    command += ["--work", str(folder / "work"), "--output", str(output), "--notes", str(notes)]
    ran = subprocess.run(command, timeout=180, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    return output.read_text(encoding="utf-8")


def rows(report: str) -> list[list[str]]:
    """The cells of every table row."""
    lines = [line for line in report.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def cells(report: str, first_cell: str) -> list[list[str]]:
    """The cells of every table row whose first cell is `first_cell`."""
    return [row for row in rows(report) if row[0] == first_cell]


def test_report_has_its_sections(report):
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings == ["## Machine", "## How it was measured", "## 2,000 triples", "## Targets", "## Why"]
    assert "The *reasons* for the misses, written by hand." in report
    assert "build of the seed graph ≤ 3 s" in report
    assert "every saved query at 1,000,000 triples ≤ 1 s (Oxigraph)" in report


def test_one_row_per_saved_query_per_engine(report):
    for name in list_queries(ROOT / "queries"):
        rows = cells(report, name)
        assert [row[1] for row in rows] == ["oxigraph", "rdflib"], name
        assert all(re.fullmatch(NUMBER, row[2]) or row[2].startswith("over") for row in rows), rows


@pytest.mark.parametrize("baseline", BASELINES)
def test_baselines_have_numbers(report, baseline):
    [row] = cells(report, baseline)
    assert re.fullmatch(NUMBER, row[1]), row
    assert re.fullmatch(NUMBER, row[2]), row


def test_the_fast_build_has_a_total_and_its_ratio_to_the_baselines(report):
    [row] = [row for row in rows(report) if row[0].startswith("belkg build, fast (default): total")]
    assert re.fullmatch(NUMBER, row[1]), row
    assert "rdflib parse + owlrl + pyshacl" in row[3]


@pytest.mark.parametrize(
    "engine",
    [
        "baseline: pyshacl validation",
        "belkg fast SHACL evaluator alone, on pyshacl's input",
        "peer: pyrudof SHACL validation",
    ],
)
def test_each_shacl_engine_says_whether_the_graph_conforms(report, engine):
    [row] = cells(report, engine)
    assert row[3].startswith("conforms, 0 results"), row  # the generated graph is valid


def test_the_cold_query_is_compared_with_oxigraphs_own_cli(report):
    [row] = [row for row in rows(report) if row[0].startswith("cold `belkg query")]
    assert "than `oxigraph query negotiators`" in row[3], row
    [cli] = cells(report, "… every saved query, one `oxigraph query` process each")
    assert re.fullmatch(NUMBER, cli[1]) and re.fullmatch(NUMBER, cli[2]), cli


def test_the_engines_safety_checks_are_timed_apart_from_its_queries(report):
    for title in ("… the safety gate's first check of every saved query", "… every saved query, checked already"):
        [row] = cells(report, title)
        assert re.fullmatch(NUMBER, row[1]), row
