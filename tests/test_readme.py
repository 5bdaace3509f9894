"""The README's commands work as shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from belkg.cli import cli

from conftest import sweep

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(with_endpoint: bool = False) -> list[list[str]]:
    commands = []
    for line in README.splitlines():
        if not line.startswith("$ belkg "):
            continue
        text = re.sub(r"\s+#.*$", "", line[len("$ belkg ") :]).replace(">", " >")
        try:
            words = shlex.split(text)
        except ValueError:  # a command continued on the next line
            continue
        for end in (">", "&&", "&"):
            if end in words:
                words = words[: words.index(end)]
        if any(word.endswith(".rq") for word in words):  # the reader's own query file
            continue
        if ("--endpoint" in words) != with_endpoint:  # a server's: tests/test_server.py runs Oxigraph's
            continue
        commands.append(words)
    return commands


COMMANDS = _commands()


def test_the_readme_shows_commands():
    assert len(COMMANDS) >= 10
    assert ["query", "negotiators", "-p", "release", "bkd:release-of-52"] in COMMANDS


def test_the_setup_command_runs_a_saved_query(project):
    (setup,) = [line for line in README.splitlines() if line.startswith("python3 -m venv") and "belkg query" in line]
    name = setup.split("belkg query ", 1)[1].split()[0]
    assert (project.queries_dir / f"{name}.rq").is_file()


# The README's pictures and its rdflib exports of the whole graph run under .ci/run; the
# quick loop runs its other commands, and draws and exports in tests/test_network.py and
# tests/test_export.py.
def _heavy(words: list[str]) -> bool:
    written = words[words.index("-o") + 1] if "-o" in words else ""
    return written.endswith((".png", ".html", ".trig", ".ttl")) or words[-2:] == ["--format", "ttl"]


@pytest.mark.parametrize("words", sweep(COMMANDS, [c for c in COMMANDS if not _heavy(c)], ids=" ".join))
def test_readme_command_works(words, project, session_cache, built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["--project", str(project.root), "--cache-dir", str(session_cache)]
    assert_ran(CliRunner().invoke(cli, [*base, *words], catch_exceptions=False), words, tmp_path)


def assert_ran(result: Result, words: list[str], folder: Path) -> None:
    """A command ran: exit code 0, and the file it names with -o written in the folder,
    or something said (validate says "conforms" on stderr)."""
    assert result.exit_code == 0, result.output
    written = [words[words.index("-o") + 1]] if "-o" in words else []
    for name in written:
        assert (folder / name).stat().st_size > 0
    if not written:
        assert result.stdout or result.stderr


def _shown_output(command: str) -> str:
    """The lines the README shows under `$ belkg COMMAND`, up to the next command or the
    end of the block."""
    lines = README.split(f"$ belkg {command}\n", 1)[1].split("```", 1)[0].splitlines(keepends=True)
    shown = []
    for line in lines:
        if line.startswith("$ "):
            break
        shown.append(line)
    return "".join(shown)


def test_the_tour_shows_the_negotiators_table_as_printed(belkg):
    """The first table a reader sees is the command's output, row for row."""
    command = "query negotiators -p release bkd:release-of-52"
    result = belkg(*shlex.split(command))
    assert result.exit_code == 0, result.output
    assert _shown_output(command) == result.stdout
