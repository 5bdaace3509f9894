"""The console script: a plain `belkg query` runs without click, and prints, writes and
exits exactly as the click command does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from belkg.console import QUERY_FORMATS, plain_query

from conftest import sweep

# The console script, and the same process made to read every command line with click.
CONSOLE = "import sys\nfrom belkg.console import main\nsys.argv[0] = 'belkg'\nmain()\n"
CLICK = (
    "import sys\nfrom belkg.limits import one_shot\nfrom belkg.cli import cli\n"
    "sys.argv[0] = 'belkg'\none_shot()\ncli(prog_name='belkg')\n"
)


@pytest.mark.parametrize(
    ("arguments", "state", "query"),
    [
        (["query", "negotiators"], {}, {"target": "negotiators"}),
        (
            ["-q", "--project", "p", "query", "negotiators", "--cache-dir", "c"],
            {"project": "p", "cache_dir": "c", "quiet": True},
            {"target": "negotiators"},
        ),
        (
            ["query", "-p", "release", "bkd:release-of-52", "x.rq", "--format", "json", "-o", "out.json", "--quiet"],
            {"quiet": True},
            {"target": "x.rq", "fmt": "json", "output": "out.json", "params": (("release", "bkd:release-of-52"),)},
        ),
        (["--project", "a", "query", "n", "--project", "b"], {"project": "b"}, {"target": "n"}),
    ],
)
def test_a_plain_query_is_read_without_click(monkeypatch, arguments, state, query):
    monkeypatch.delenv("BELKG_CACHE_DIR", raising=False)
    read = plain_query(arguments)
    assert read is not None
    assert read[0] == {"project": None, "cache_dir": None, "quiet": False, **state}
    assert read[1] == {"target": None, "fmt": None, "output": None, "params": (), **query}


def test_the_cache_folder_comes_from_the_environment_as_in_click(monkeypatch):
    monkeypatch.setenv("BELKG_CACHE_DIR", "/somewhere")
    read = plain_query(["query", "negotiators"])
    assert read is not None and read[0]["cache_dir"] == "/somewhere"
    monkeypatch.setenv("BELKG_CACHE_DIR", "")
    read = plain_query(["query", "negotiators"])
    assert read is not None and read[0]["cache_dir"] is None


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["query"],
        ["--help"],
        ["query", "--help"],
        ["query", "-h"],
        ["--version"],
        ["queries"],
        ["stats"],
        ["query", "a", "b"],
        ["query", "-"],
        ["query", "-e", "ASK {}"],
        ["query", "n", "--data", "x.ttl"],
        ["query", "n", "--engine", "rdflib"],
        ["query", "n", "--no-inference"],
        ["query", "n", "--timeout", "5"],
        ["query", "n", "--endpoint", "http://x"],
        ["query", "n", "--allow-network"],
        ["query", "n", "--format", "yaml"],
        ["query", "n", "--format=json"],
        ["query", "n", "--format"],
        ["query", "n", "-o", "-"],
        ["query", "n", "-p", "release"],
        ["query", "n", "-p", "count", "-1"],
        ["query", "n", "--project"],
        ["query", "n", "--"],
        ["-qp", "x", "query", "n"],
        ["--format", "json", "query", "n"],
        ["-o", "x.csv", "query", "n"],
        ["entity", "query"],
    ],
)
def test_any_other_command_line_goes_to_click(arguments):
    assert plain_query(arguments) is None


def test_the_formats_are_the_click_options():
    from belkg.cli import cli

    command = cli.commands["query"]
    option = next(param for param in command.params if param.name == "fmt")
    assert tuple(option.type.choices) == QUERY_FORMATS  # type: ignore[attr-defined]
    names = {name for param in command.params for name in getattr(param, "opts", [])}
    assert {"--project", "--cache-dir", "-q", "--quiet", "-p", "--param", "--format", "-o", "--output"} <= names


def _run(script: str, arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, check=False, cwd=cwd)


PLAIN_PATH_CASES = [
        ["-q", "query", "negotiators"],
        ["query", "negotiators"],
        ["query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "json"],
        ["query", "negotiators", "--format", "csv", "-q"],
        ["query", "negotiators", "-p", "release", "bkd:release-of-fifty-two"],
        ["query", "no-such-query"],
        ["query", "negotiators", "-p", "release", "bkd:a", "-p", "release", "bkd:b"],
        ["query", "negotiators", "-p", "nothing", "x"],
        ["query", "missing.rq"],
        ["query", "negotiators", "-o", "out.csv"],
        ["query", "negotiators", "-o", "out.unknown"],
        ["query", "negotiators", "-o", "folder"],
]  # fmt: skip
QUICK_PLAIN_PATH_CASES = [
    ["query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "json"],
    ["query", "no-such-query"],
    ["query", "negotiators", "-o", "out.csv"],
]


@pytest.mark.parametrize("arguments", sweep(PLAIN_PATH_CASES, QUICK_PLAIN_PATH_CASES))
def test_the_plain_path_answers_as_click_does(project, session_cache, built, tmp_path, arguments):
    assert plain_query(arguments) is not None
    base = ["--project", str(project.root), "--cache-dir", str(session_cache)]
    answers = []
    for name, script in (("console", CONSOLE), ("click", CLICK)):
        folder = tmp_path / name
        (folder / "folder").mkdir(parents=True)
        done = _run(script, [*base, *arguments], folder)
        written = (folder / "out.csv").read_bytes() if (folder / "out.csv").exists() else None
        answers.append((done.returncode, done.stdout, done.stderr, written))
    assert answers[0] == answers[1]
    assert answers[0][0] in (0, 2)


def test_the_plain_path_loads_no_click_rdflib_or_dataclasses(project, session_cache, built):
    """What keeps a cold `belkg query` near a bare pyoxigraph process (bench/query_cold.py),
    once the query's header and the gate's verdict on it are kept in the cache (the
    first run parses them)."""
    script = (
        "import atexit, sys\n"
        "heavy = ('click', 'rdflib', 'dataclasses', 'inspect', 'yaml', 'pyshacl')\n"
        "atexit.register(lambda: sys.stderr.write(str(sorted(m for m in heavy if m in sys.modules))))\n" + CONSOLE
    )
    arguments = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", "query", "negotiators"]
    _run(CONSOLE, arguments, project.root)
    done = _run(script, arguments, project.root)
    assert done.returncode == 0
    assert b"John Coale" in done.stdout
    assert done.stderr.decode() == "[]"


def test_a_reader_that_goes_away_ends_both_paths_alike(project, session_cache, built):
    """`belkg query NAME | head`: exit code 1 and no traceback, as click's own handling."""
    arguments = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", "query", "negotiators"]
    outcomes = []
    for script in (CONSOLE, CLICK):
        process = subprocess.Popen(
            [sys.executable, "-c", script, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        process.stdout.close()  # before the answer is written
        _, errors = process.communicate(timeout=120)
        outcomes.append((process.returncode, errors))
    assert outcomes[0] == outcomes[1] == (1, b"")


def test_shell_completion_is_left_to_click(project, session_cache, built):
    arguments = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", "query", "negotiators"]
    environment = {**os.environ, "_BELKG_COMPLETE": "bash_source"}
    done = subprocess.run(
        [sys.executable, "-c", CONSOLE, *arguments], capture_output=True, check=False, env=environment
    )
    assert done.returncode == 0
    assert b"_belkg_completion" in done.stdout and b"John Coale" not in done.stdout


@pytest.mark.parametrize(
    ("arguments", "code"),
    [(["query", "negotiators"], 0), (["stats"], 0), (["query", "no-such-query"], 2)],
    ids=["plain query", "click command", "error"],
)
def test_the_objects_left_at_the_end_are_frozen_out_of_the_last_collections(
    project, session_cache, built, arguments, code
):
    """The interpreter's last collections would walk every object still alive (a second
    after a build of 100,000 triples): every way out of the console script freezes them
    first, and the command's output and exit code are as before."""
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'frozen: {gc.get_freeze_count() > 0}'))\n" + CONSOLE
    )
    done = _run(
        script, ["--project", str(project.root), "--cache-dir", str(session_cache), "-q", *arguments], project.root
    )
    assert done.returncode == code
    assert done.stderr.decode().endswith("frozen: True")
