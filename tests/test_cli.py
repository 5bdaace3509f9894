"""The command line, in-process with CliRunner: output, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from belkg.cli import cli

from conftest import GOOD_CLAIM, TINY_PREFIXES
from helpers import same_dataset


@pytest.fixture
def run(tmp_path):
    """Run belkg with a private cache; returns the click Result."""

    def invoke(*args: str, project: Path | None = None, quiet: bool = True):
        prefix = ["--cache-dir", str(tmp_path / "cache"), *(["-q"] if quiet else [])]
        if project is not None:
            prefix += ["--project", str(project)]
        return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("belkg, version ")


def test_build_then_up_to_date(tiny_project, run):
    project = tiny_project()
    first = run("build", project=project.root, quiet=False)
    assert first.exit_code == 0, first.output
    assert "triples in all" in first.stdout
    assert "built:" in first.stderr
    second = run("build", project=project.root, quiet=False)
    assert second.exit_code == 0
    assert "up to date" in second.stderr


@pytest.mark.slow
def test_reference_reasoner_and_validator_rebuild_and_agree(tiny_project, run, tmp_path):
    project = tiny_project(GOOD_CLAIM.replace("bk:role bk:Released ;", ""))
    fast = run("validate", project=project.root)
    reference = run("validate", "--reasoner", "owlrl", "--validator", "pyshacl", project=project.root)
    assert fast.exit_code == reference.exit_code == 1
    assert fast.stdout == reference.stdout
    assert "participation claim: MinCount" in fast.stdout
    (manifest,) = (tmp_path / "cache").glob("*/manifest.json")
    assert json.loads(manifest.read_text())["made_with"] == {"reasoner": "owlrl", "validator": "pyshacl"}
    again = run("build", "--reasoner", "owlrl", "--validator", "pyshacl", project=project.root, quiet=False)
    assert "up to date" in again.stderr


def test_unknown_reasoner_is_a_usage_error(tiny_project, run):
    result = run("build", "--reasoner", "hermit", project=tiny_project().root)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: Invalid value for '--reasoner': 'hermit' is not one of 'fast', 'owlrl'."
    )


def test_validate_conforms(tiny_project, run):
    result = run("validate", project=tiny_project().root, quiet=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "conforms" in result.stderr


def test_validate_reports_findings_with_exit_1(tiny_project, run):
    project = tiny_project(GOOD_CLAIM.replace("Alice Example was freed", "Alice was freed"))
    result = run("validate", project=project.root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "kg/900_tiny.ttl:16: bkd:claim-900-001 (“Alice was freed”): [quote] the quote is not in the seed: "
        "“Alice was freed”. Fix: copy the words from the seed exactly (quotes, apostrophes, dashes and "
        "line breaks included)"
    ]
    assert "does not conform: 1 finding(s) in 1 file(s)" in result.stderr


def test_validate_json(tiny_project, run):
    project = tiny_project(GOOD_CLAIM.replace("bk:role bk:Released ;", ""))
    result = run("validate", "--format", "json", project=project.root)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    (finding,) = report["findings"]
    assert finding["rule"] == "participation claim: MinCount"
    assert finding["path"] == "bk:role"
    assert finding["node"] == "bkd:claim-900-001"
    assert finding["file"] == "kg/900_tiny.ttl"


def test_build_exits_1_on_findings(tiny_project, run):
    project = tiny_project(GOOD_CLAIM.replace("Alice Example was freed", "Alice was freed"))
    result = run("build", project=project.root)
    assert result.exit_code == 1
    assert "1 finding(s): run `belkg validate` to see them" in result.stderr


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            TINY_PREFIXES + "bkd:doc-900 a bk:NewsReport \n bkd:x bkd:y .\n",
            "Error: kg/900_tiny.ttl:11:2: Turtle syntax error: expected '.' or '}' or ']' at end of statement",
        ),
        (
            TINY_PREFIXES + "bkd:doc-900 a foo:NewsReport .\n",
            'Error: kg/900_tiny.ttl:10:15: Turtle syntax error: Prefix "foo:" not bound',
        ),
        (
            TINY_PREFIXES + 'bkd:doc-900 dcterms:title "unterminated .\n',
            "Error: kg/900_tiny.ttl:10:42: Turtle syntax error: newline found in string literal",
        ),
    ],
    ids=["syntax", "unknown-prefix", "unterminated-string"],
)
def test_bad_turtle_is_one_line_with_exit_2(tiny_project, run, document, message):
    result = run("validate", project=tiny_project(document=document).root)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert "Traceback" not in result.output


def test_not_a_project(run, tmp_path):
    result = run("validate", project=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {tmp_path}: not a belkg project (it needs kg/ and ontology/ folders)"


def test_coverage_lists_uncited_sentences_and_exits_1(tiny_project, run):
    result = run("coverage", project=tiny_project().root)
    assert result.exit_code == 1
    assert "seeds/900_tiny.txt:1: [uncited] 'Alice Example thanked him.' <- UNCITED" in result.stdout
    assert "1 sentence(s) cited by no claim and not on the skip list" in result.stderr


def test_coverage_honours_the_skip_list(tiny_project, run):
    project = tiny_project()
    project.skip_list_file.write_text(
        "# test\n900_tiny\tAlice Example thanked him.\tpleasantry\n900_tiny\tNot there\tstale\n", encoding="utf-8"
    )
    result = run("coverage", "--all", project=project.root)
    assert result.exit_code == 0, result.output
    assert "[cited] 'Alice Example was freed by Bob Example on Monday.' <- bkd:claim-900-001" in result.stdout
    assert "[skipped] 'Alice Example thanked him.' <- skipped: pleasantry" in result.stdout
    assert "kg/coverage-skip.txt:3: skip entry matches no uncited sentence of seed 900_tiny: 'Not there'" in (
        result.stderr
    )


def test_coverage_bad_skip_list_line(tiny_project, run):
    project = tiny_project()
    project.skip_list_file.write_text("900_tiny only two fields\n", encoding="utf-8")
    result = run("coverage", project=project.root)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: kg/coverage-skip.txt:1: expected three tab-separated fields: seed stem, sentence, reason"
    )


def test_coverage_json(tiny_project, run):
    result = run("coverage", "--format", "json", project=tiny_project().root)
    (seed,) = json.loads(result.stdout)
    assert (seed["seed"], seed["sentences"], seed["cited"], seed["uncited"]) == ("900_tiny", 2, 1, 1)
    assert seed["items"][0]["claims"] == ["bkd:claim-900-001"]


@pytest.mark.parametrize(("name", "fmt"), [("out.nq", "nquads"), ("out.trig", "trig")])
def test_export_keeps_named_graphs_and_round_trips(tiny_project, run, tmp_path, name, fmt):
    project = tiny_project()
    target = tmp_path / name
    result = run("export", "-o", str(target), project=project.root)
    assert result.exit_code == 0, result.output
    reread = Dataset()
    reread.parse(target, format=fmt)
    nquads = run("export", project=project.root).stdout_bytes
    original = Dataset()
    original.parse(data=nquads, format="nquads")
    assert same_dataset(original, reread)
    assert "https://w3id.org/belkg/id/doc-900" in {str(g.identifier) for g in reread.graphs()}


def test_export_turtle_is_the_union_and_says_so(tiny_project, run):
    result = run("export", "--format", "ttl", "--graphs", "asserted", project=tiny_project().root, quiet=False)
    assert result.exit_code == 0
    assert "note: Turtle has no named graphs; wrote the union of the asserted graphs" in result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 1000


def test_export_graph_selections_partition_the_dataset(tiny_project, run):
    project = tiny_project()
    counts = {}
    for selection in ("all", "asserted", "inferred"):
        dataset = Dataset()
        dataset.parse(data=run("export", "--graphs", selection, project=project.root).stdout_bytes, format="nquads")
        counts[selection] = len(list(dataset.quads((None, None, None, None))))
    assert counts["asserted"] > 0 and counts["inferred"] > 0
    assert counts["asserted"] + counts["inferred"] == counts["all"]


def test_export_unknown_extension(tiny_project, run, tmp_path):
    result = run("export", "-o", str(tmp_path / "out.xyz"), project=tiny_project().root)
    assert result.exit_code == 2
    assert "cannot tell the format from the extension '.xyz'" in result.stderr


def test_export_to_missing_folder(tiny_project, run, tmp_path):
    target = tmp_path / "no" / "such" / "out.nq"
    result = run("export", "-o", str(target), project=tiny_project().root)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {target}: cannot write here: No such file or directory"


def test_failed_export_leaves_earlier_file_untouched(tiny_project, run, tmp_path, monkeypatch):
    target = tmp_path / "out.nq"
    target.write_text("earlier export\n")

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("belkg.atomic.os.replace", refuse)
    result = run("export", "-o", str(target), project=tiny_project().root)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {target}: cannot write: No space left on device"
    assert target.read_text() == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.nq")] == []
