"""Limits that hold: the whole command within --timeout, memory capped, no child left
behind, and limits that are not numbers refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from belkg.errors import BelkgError
from belkg.limits import within

from conftest import sweep

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _stopped(where: str, seconds: str = "1") -> str:
    return f"Error: {where}: the query ran longer than {seconds} s and was stopped; raise --timeout or narrow the query"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_query_is_stopped(belkg, engine):
    result = belkg("query", "-e", RUNAWAY, "--timeout", "0.5", "--engine", engine)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [_stopped("-e", "0.5")]


def _command(project: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """belkg as its own process (the console script's entry point), as users run it."""
    script = "import sys\nfrom belkg.cli import main\nsys.argv[0] = 'belkg'\nmain()\n"
    base = ["--project", str(project), "--cache-dir", str(cache), "-q"]
    return subprocess.run(
        [sys.executable, "-c", script, *base, *args], capture_output=True, text=True, check=False, timeout=60
    )


def test_a_one_shot_command_stops_itself_at_the_time_limit(project, session_cache, built):
    """The console script runs the query in its own process (no child) under a watchdog
    that ends the process with the same line and exit code."""
    started = time.monotonic()
    done = _command(project.root, session_cache, "query", "-e", RUNAWAY, "--timeout", "1")
    assert time.monotonic() - started < 20
    assert (done.returncode, done.stdout, done.stderr.splitlines()) == (2, "", [_stopped("-e")])


def test_a_one_shot_command_stops_itself_at_the_memory_limit(project, session_cache, built):
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
    done = _command(project.root, session_cache, "query", "-e", cartesian, "--memory", "512", "--format", "csv")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "Error: -e: the query needed more than 512 MiB of memory and was stopped; raise --memory or narrow the query"
    ]


def test_a_one_shot_command_forks_no_child(project, session_cache, built):
    script = (
        "import os, sys\n"
        "from belkg.cli import main\n"
        "os.fork = None  # a child would fail loudly\n"
        "sys.argv = ['belkg', '--project', sys.argv[1], '--cache-dir', sys.argv[2], '-q', 'query', 'negotiators',"
        " '--format', 'csv']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(project.root), str(session_cache)], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0].startswith("release,releaseLabel,agent,")


def _sleep(*_: object, **__: object) -> object:
    time.sleep(60)
    raise AssertionError("not stopped")


# Each command, and the library function whose time it must include.
SLOW_PARTS = {
    "query-labels": (["query", "negotiators"], "belkg.querying.labels_for", "queries/negotiators.rq"),
    "query-file": (["query", "-e", "ASK {}", "--format", "json"], "belkg.querying.run", "-e"),
    "entity": (["entity", "Tsikhanovsky"], "belkg.entity.card", "entity"),
    "entity-labels": (["entity", "Tsikhanovsky"], "belkg.querying.labels_for", "entity"),
    "viz-query": (["viz", "--query", "story", "--format", "json"], "belkg.views.network.construct_view", "viz"),
    "viz-focus": (["viz", "--focus", "Tsikhanovsky", "--format", "json"], "belkg.views.network.find_node", "viz"),
    "timeline": (["timeline", "--format", "svg"], "belkg.views.timeline.collect", "timeline"),
    "stats": (["stats"], "belkg.stats.collect", "stats"),
    "stats-network": (["stats", "--network"], "belkg.views.network.network_measures", "stats"),
}


@pytest.mark.parametrize("part", sweep(list(SLOW_PARTS), ["query-labels", "viz-focus"]))
def test_the_whole_command_runs_within_the_timeout(belkg, project, monkeypatch, part):
    args, target, where = SLOW_PARTS[part]
    monkeypatch.setattr(target, _sleep)
    started = time.monotonic()
    result = belkg(*args, "--timeout", "0.5")
    assert time.monotonic() - started < 20
    assert result.exit_code == 2, result.output
    shown = str(project.root / where) if where.startswith("queries/") else where
    assert result.stderr.splitlines() == [_stopped(shown, "0.5")]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e999"])
@pytest.mark.parametrize(
    "command",
    [
        ["query", "-e", "ASK {}"],
        ["entity", "Tsikhanovsky"],
        ["viz", "--format", "json"],
        ["timeline", "--format", "svg"],
        ["stats"],
        ["push", "--endpoint", "http://127.0.0.1:1/store"],
    ],
    ids=lambda command: command[0],
)
def test_a_timeout_that_is_not_a_finite_number_is_a_usage_error(belkg, command, value):
    result = belkg(*command, "--timeout", value)
    assert result.exit_code == 2
    shown = {"1e999": "inf"}.get(value, value)
    assert result.stderr.splitlines() == [
        "Error: Invalid value for '--timeout': must be a finite number of seconds, 0 or more (0: no limit), "
        f"not {shown}"
    ]


def test_a_negative_memory_limit_is_a_usage_error(belkg):
    result = belkg("query", "-e", "ASK {}", "--memory", "-1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: Invalid value for '--memory': -1 is not in the range x>=0."]


def test_a_query_that_needs_too_much_memory_is_stopped(belkg):
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
    result = belkg("query", "-e", cartesian, "--memory", "512", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: -e: the query needed more than 512 MiB of memory and was stopped; raise --memory or narrow the query"
    ]


def test_memory_is_capped_in_python_code_too():
    with pytest.raises(BelkgError) as caught:
        within(lambda: len(bytearray(1 << 30)), 30, 256, "here")
    assert str(caught.value) == (
        "here: the query needed more than 256 MiB of memory and was stopped; raise --memory or narrow the query"
    )
    assert within(lambda: len(bytearray(1 << 20)), 30, 256) == 1 << 20


def test_errors_in_the_child_come_back_as_they_were():
    def fail() -> None:
        raise BelkgError("a message", "a place")

    with pytest.raises(BelkgError) as caught:
        within(fail, 10, None)
    assert (caught.value.message, caught.value.location) == ("a message", "a place")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended; only its entry waits for its parent
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_no_child_outlives_its_parent(tmp_path):
    """A process runs a query-like busy loop under `within` and is killed; its child must die too."""
    record = tmp_path / "child.pid"
    script = textwrap.dedent(
        f"""
        import os
        from belkg.limits import within

        def work():
            with open({str(record)!r}, "w") as stream:
                stream.write(str(os.getpid()))
            while True:
                pass

        within(work, None, None)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while not (record.exists() and record.read_text()):
            assert time.monotonic() < deadline, "the child did not start"
            time.sleep(0.05)
        child = int(record.read_text())
        assert _alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(child):
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_gates_analysis_made_in_the_child_is_kept_by_the_parent():
    """A server or a test run forks a child per query: the query text is parsed there
    once, and the parent does not parse it again."""
    from belkg import safety
    from belkg.safety import Gate

    text = "SELECT ?s WHERE { ?s ?p 'learned in a child' }"
    assert text not in safety.analysed_texts()
    assert within(lambda: Gate().check(text).text == text, 30, None)
    assert text in safety.analysed_texts()
