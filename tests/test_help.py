"""Help: a plain `belkg` shows the overview; whole summaries; every command's examples run."""

from __future__ import annotations

import shlex

import click
import pytest
from click.testing import CliRunner

from belkg.cli import cli, summary
from test_readme import COMMANDS as README_COMMANDS
from test_readme import assert_ran

from conftest import sweep


def _paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _paths(command, (*prefix, name))
    return found


PATHS = _paths(cli)


def _help(*path: str) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _examples(text: str) -> list[str]:
    """The lines under 'Examples:' in a help text."""
    if "\nExamples:" not in text and "\n  Examples:" not in text:
        return []
    tail = text.split("Examples:", 1)[1]
    return [line.strip() for line in tail.splitlines() if line.strip().startswith("belkg ")]


EXAMPLES = [(path, example) for path in PATHS for example in _examples(_help(*path))]
# examples the README's tour also shows run in tests/test_readme.py, with the same checks
RUN_HERE = [(path, example) for path, example in EXAMPLES if shlex.split(example)[1:] not in README_COMMANDS]


def test_plain_belkg_prints_the_overview_and_exits_0():
    result = CliRunner().invoke(cli, [], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == _help()
    assert result.stdout.startswith("Usage: belkg [OPTIONS] [COMMAND] [ARGS]...\n")


def test_the_overview_gives_every_summary_whole():
    text = _help()
    listing = text.split("Commands:", 1)[1]
    assert "..." not in listing
    commands = " ".join(listing.split())
    for name, command in cli.commands.items():
        assert f"{name} {summary(command.help or '')}" in commands


def test_summary_is_the_first_paragraph_on_one_line():
    assert summary("Run a query\n    against the graph.\n\n    More detail.") == "Run a query against the graph."


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(path) for path in PATHS])
def test_every_command_shows_examples(path):
    examples = _examples(_help(*path))
    assert 1 <= len(examples) <= 2
    assert all(
        example.startswith(f"belkg {' '.join(path)} ") or example == f"belkg {' '.join(path)}" for example in examples
    )


def test_the_readme_runs_some_examples_and_this_file_the_rest():
    assert 0 < len(RUN_HERE) < len(EXAMPLES)


# Examples that build, export or draw the whole graph run under .ci/run; the quick loop
# runs the rest (a build, an export and pictures run in it elsewhere).
HEAVY = ("--precompute", "build --force", "--format ttl", "-o release-of-52.svg", "timeline -o timeline.html")
QUICK_EXAMPLES = [(path, example) for path, example in RUN_HERE if not any(part in example for part in HEAVY)]


@pytest.mark.parametrize("path,example", sweep(RUN_HERE, QUICK_EXAMPLES, ids=lambda case: case[1]))
def test_help_example_works(path, example, project, session_cache, built, tmp_path, monkeypatch):
    words = shlex.split(example)[1:]
    # needs a server, serves until stopped, or writes every page: check that it parses
    # (tests/test_server.py runs push; tests/test_web*.py run serve and site)
    if "--endpoint" in words or path[0] in ("serve", "site"):
        command = cli
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        command.make_context(" ".join(path), words[len(path) :])
        return
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache" if "--force" in words else session_cache  # keep the session's build
    base = ["--project", str(project.root), "--cache-dir", str(cache)]
    assert_ran(CliRunner().invoke(cli, [*base, *words], catch_exceptions=False), words, tmp_path)
