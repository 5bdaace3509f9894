"""The keeper: after a big build, a process of its own keeps the saved queries' answers,
once per build and set of saved queries, one keeper at a time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from belkg import cli as cli_module
from belkg import keeper as keepers
from belkg.build.cache import VIEWS
from belkg.catalogue import load_catalogue
from belkg.cli import cli
from belkg.keeper import Keeper, claim, finished, keeper_of, mark_finished, queries_digest, release, running
from belkg.kept_results import default_runs

STARTED = re.compile(r"keeping the saved queries' answers in the background \(process (\d+), log (.+)\);")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build counts as big enough for a keeper."""
    monkeypatch.setattr(cli_module, "KEEP_IN_BACKGROUND_FROM_TRIPLES", 0)


@pytest.fixture(autouse=True)
def _keeps_its_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    """A keeper run in the test's own process must not lower the test's priority."""
    monkeypatch.setattr(keepers, "give_way", lambda: None)


def run(project, cache: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project.root), "--cache-dir", str(cache), *args])


def the_key(cache: Path) -> str:
    (folder,) = [path for path in cache.iterdir() if path.is_dir() and len(path.name) == 64]
    return folder.name


def the_keeper(project, cache: Path) -> Keeper:
    return keeper_of(cache / VIEWS, the_key(cache))


def saved_queries_digest(project) -> str:
    return queries_digest(default_runs(load_catalogue(project.queries_dir)))


def wait_until_done(keeper: Keeper) -> None:
    deadline = time.monotonic() + 180
    while keeper.lock.exists() or not keeper.done.exists():
        assert time.monotonic() < deadline, keeper.log.read_text(encoding="utf-8")
        time.sleep(0.2)


def a_dead_process_id() -> int:
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    return gone.pid


@pytest.mark.slow  # a real keeper process runs every saved query
def test_a_big_build_keeps_the_saved_queries_answers_in_the_background(project, cache, big):
    result = run(project, cache, "build")
    assert result.exit_code == 0, result.output
    started = STARTED.search(result.stderr)
    assert started is not None, result.stderr
    keeper = the_keeper(project, cache)
    assert Path(started[2]) == keeper.log
    assert int(started[1]) > 0
    wait_until_done(keeper)

    assert finished(keeper, saved_queries_digest(project))
    log = keeper.log.read_text(encoding="utf-8")
    assert re.search(r"^precomputed: 23 saved queries in \d+\.\d\d s", log, re.M), log
    assert "triples in all" not in log  # the keeper's log tells what it did
    again = run(project, cache, "build")  # the same build, the same saved queries
    assert again.exit_code == 0 and "keeping" not in again.stderr


def test_a_small_build_starts_no_keeper(project, cache):
    result = run(project, cache, "build")
    assert result.exit_code == 0 and "keeping" not in result.stderr
    assert not (cache / VIEWS).exists()


def test_no_precompute_starts_no_keeper(project, cache, big):
    result = run(project, cache, "build", "--no-precompute")
    assert result.exit_code == 0 and "keeping" not in result.stderr
    assert not (cache / VIEWS).exists()


def test_a_build_with_a_keeper_at_work_starts_no_other(project, cache, big):
    assert run(project, cache, "build", "--no-precompute").exit_code == 0
    keeper = the_keeper(project, cache)
    assert claim(keeper)  # this process is the keeper at work
    result = run(project, cache, "build")
    assert f"in the background (process {os.getpid()}, log {keeper.log})" in result.stderr
    assert not keeper.log.exists()


def test_a_keeper_leaves_a_build_to_the_keeper_at_work(project, cache):
    assert run(project, cache, "build", "--no-precompute").exit_code == 0
    keeper = the_keeper(project, cache)
    assert claim(keeper)
    result = run(project, cache, "build", "--keeper-of", the_key(cache))
    assert result.exit_code == 0
    assert f"another keeper is at work on this build (process {os.getpid()})" in result.stderr
    assert not keeper.done.exists() and keeper.lock.exists()


def test_a_keeper_takes_over_the_lock_of_one_that_died(project, cache):
    assert run(project, cache, "build", "--no-precompute").exit_code == 0
    keeper = the_keeper(project, cache)
    keeper.lock.parent.mkdir(parents=True, exist_ok=True)
    keeper.lock.write_text(f"{a_dead_process_id()}\n", encoding="ascii")
    result = run(project, cache, "build", "--keeper-of", the_key(cache))
    assert result.exit_code == 0, result.output
    assert finished(keeper, saved_queries_digest(project))
    assert not keeper.lock.exists()


def test_precompute_in_the_foreground_leaves_nothing_for_a_keeper(project, cache, big):
    assert run(project, cache, "build", "--precompute", "-j", "1").exit_code == 0
    assert finished(the_keeper(project, cache), saved_queries_digest(project))
    assert "keeping" not in run(project, cache, "build").stderr


def test_an_edited_saved_query_is_kept_again(project, tmp_path):
    keeper = keeper_of(tmp_path / VIEWS, "0" * 64)
    mark_finished(keeper, saved_queries_digest(project))
    assert finished(keeper, saved_queries_digest(project))
    assert not finished(keeper, queries_digest([("everything", "SELECT * WHERE { ?s ?p ?o }")]))


def test_one_lock_at_a_time(tmp_path):
    keeper = keeper_of(tmp_path / VIEWS, "0" * 64)
    assert claim(keeper) and running(keeper) == os.getpid()
    assert not claim(keeper)
    release(keeper)
    assert running(keeper) is None and not keeper.done.exists()
    assert claim(keeper)


def test_a_keeper_that_fails_gives_its_lock_up(project, cache, monkeypatch):
    from belkg import kept_results
    from belkg.errors import BelkgError

    def fail(*args, **kwargs):
        raise BelkgError("the store went away")

    assert run(project, cache, "build", "--no-precompute").exit_code == 0
    monkeypatch.setattr(kept_results, "precompute", fail)
    result = run(project, cache, "build", "--keeper-of", the_key(cache))
    assert result.exit_code == 2 and "the store went away" in result.stderr
    keeper = the_keeper(project, cache)
    assert not keeper.lock.exists() and not keeper.done.exists()


def test_a_keeper_whose_query_failed_leaves_the_build_to_a_later_one(project, cache, monkeypatch):
    from belkg import kept_results
    from belkg.kept_results import Precomputed

    assert run(project, cache, "build", "--no-precompute").exit_code == 0
    failed = [Precomputed("negotiators", 0.1, False, "negotiators: the store went away")]
    monkeypatch.setattr(kept_results, "precompute", lambda *args, **kwargs: failed)
    result = run(project, cache, "build", "--keeper-of", the_key(cache))
    assert result.exit_code == 0 and "warning: negotiators: the store went away" in result.stderr
    keeper = the_keeper(project, cache)
    assert not keeper.lock.exists() and not keeper.done.exists()


def test_a_keeper_works_on_its_build_and_never_builds_anew(project, cache, tiny_project):
    tiny = tiny_project()
    assert run(tiny, cache, "build", "--no-precompute").exit_code == 0
    key = the_key(cache)
    edited = tiny.kg_dir / "900_tiny.ttl"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited since\n", encoding="utf-8")
    result = run(tiny, cache, "build", "--keeper-of", key)
    assert result.exit_code == 0, result.output
    assert the_key(cache) == key  # nothing was built
    assert finished(keeper_of(cache / VIEWS, key), saved_queries_digest(tiny))


def test_a_keeper_of_a_build_gone_from_the_cache_does_nothing(project, cache):
    result = run(project, cache, "build", "--keeper-of", "0" * 64)
    assert result.exit_code == 0
    assert "the build 000000000000 is no longer in the cache: nothing to keep" in result.stderr
    assert not (cache / VIEWS).exists()


def test_a_lock_a_day_old_is_taken_over(tmp_path):
    keeper = keeper_of(tmp_path / VIEWS, "0" * 64)
    assert claim(keeper)  # held by this process, which is alive
    long_ago = time.time() - 25 * 3600
    os.utime(keeper.lock, (long_ago, long_ago))
    assert running(keeper) is None
    assert claim(keeper) and running(keeper) == os.getpid()


def test_a_keeper_of_something_not_a_key_is_refused(project, cache):
    result = run(project, cache, "build", "--keeper-of", "../../elsewhere")
    assert result.exit_code == 2
    assert "Invalid value for '--keeper-of': not a build's key (64 hexadecimal digits)" in result.stderr
    assert not (cache / VIEWS).exists()
