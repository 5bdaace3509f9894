"""Global options before or after the command name; -q leaves only data and errors."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from belkg.cli import cli

SELECT_ONE = 'SELECT ?x WHERE { VALUES ?x { "one" } }'


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(path) for path, _ in COMMANDS])
def test_every_command_takes_the_global_options(path, command):
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert {"-q", "--quiet", "--project", "--cache-dir", "--allow-network"} <= options


@pytest.fixture
def invoke(tmp_path, monkeypatch):
    """Run belkg with exactly these arguments (no options added), in an empty folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BELKG_CACHE_DIR", raising=False)

    def run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run


def test_options_after_the_command_name(tiny_project, invoke, tmp_path):
    project = tiny_project()
    cache = tmp_path / "after-cache"
    result = invoke("build", "--project", str(project.root), "--cache-dir", str(cache), "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "triples in all" in result.stdout
    assert len(list(cache.glob("*/manifest.json"))) == 1


def test_options_after_override_those_before(tiny_project, invoke, tmp_path):
    project = tiny_project()
    before, after = tmp_path / "before", tmp_path / "after"
    result = invoke("--cache-dir", str(before), "build", "--project", str(project.root), "--cache-dir", str(after))
    assert result.exit_code == 0, result.output
    assert not before.exists()
    assert len(list(after.glob("*/manifest.json"))) == 1


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_build_prints_only_data(tiny_project, invoke, tmp_path, where):
    project = tiny_project()
    common = ["--project", str(project.root), "--cache-dir", str(tmp_path / "cache")]
    args = ["-q", *common, "build"] if where == "before" else ["build", *common, "-q"]
    first, second = invoke(*args), invoke(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stderr == second.stderr == ""  # no progress, no built:, no up to date:
    assert first.stdout == second.stdout
    assert first.stdout.splitlines()[-1].endswith("triples in all")
    loud = invoke("build", *common)
    assert loud.stderr.startswith("up to date: cache ")


def test_quiet_validate_export_query_viz_print_no_messages(tiny_project, invoke, tmp_path):
    project = tiny_project()
    common = ["--project", str(project.root), "--cache-dir", str(tmp_path / "cache")]
    assert invoke("build", *common).exit_code == 0
    loud = {
        "validate": invoke("validate", *common),
        "export": invoke("export", *common, "-o", str(tmp_path / "x.ttl")),
        "query": invoke("query", "-e", SELECT_ONE, *common, "-o", str(tmp_path / "x.csv")),
        "viz": invoke("viz", *common, "-o", str(tmp_path / "x.graphml")),
    }
    assert loud["validate"].stderr.startswith("conforms: ")
    assert loud["export"].stderr.splitlines() == [
        "note: Turtle has no named graphs; wrote the union of the all graphs",
        f"wrote {tmp_path / 'x.ttl'} ({(tmp_path / 'x.ttl').stat().st_size} bytes)",
    ]
    assert loud["query"].stderr == f"wrote {tmp_path / 'x.csv'} (1 row)\n"
    assert loud["viz"].stderr.splitlines()[-1].startswith(f"wrote {tmp_path / 'x.graphml'} (graphml, ")
    quiet = {
        "validate": invoke("validate", *common, "-q"),
        "export": invoke("export", *common, "-o", str(tmp_path / "y.ttl"), "-q"),
        "query": invoke("query", "-e", SELECT_ONE, "-q", *common, "-o", str(tmp_path / "y.csv")),
        "viz": invoke("viz", *common, "--quiet", "-o", str(tmp_path / "y.graphml")),
    }
    for name, result in quiet.items():
        assert result.exit_code == 0, (name, result.output)
        assert result.stderr == "", name
    assert (tmp_path / "y.csv").read_bytes() == b"x\r\none\r\n"


def test_quiet_keeps_errors(tiny_project, invoke, tmp_path):
    project = tiny_project()
    result = invoke("query", "nonexistent", "--project", str(project.root), "--cache-dir", str(tmp_path / "c"), "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no saved query named 'nonexistent'")


def test_allow_network_after_the_command_lifts_the_service_refusal(tiny_project, invoke, tmp_path):
    project = tiny_project()
    common = ["--project", str(project.root), "--cache-dir", str(tmp_path / "cache"), "-q"]
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = invoke("query", "-e", service, *common)
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: -e: SERVICE is refused: it would query another server; use --allow-network to allow it\n"
    )
    allowed = invoke("query", "-e", service, *common, "--allow-network")
    assert allowed.exit_code == 2
    assert "SERVICE is refused" not in allowed.stderr
    assert allowed.stderr.startswith("Error: -e: failed: ")


def test_queries_subcommand_takes_global_options_after(invoke, project, session_cache, built):
    result = invoke("queries", "show", "negotiators", "--project", str(project.root), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("#+ summary: Who negotiated")
    listed = invoke("queries", "--project", str(project.root), "-q", "--tag", "people")
    assert listed.exit_code == 0, listed.output
    assert "offices" in listed.stdout
