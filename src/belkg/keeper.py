"""The keeper: after a big build, a process of its own runs the saved queries and keeps
their slow answers (what `belkg build --precompute` does), so that `belkg build` returns
as soon as the build is done and every saved query answers from the shelf soon after.

One keeper at a time works on a build: it holds `keeper-<build>.lock` (its process id,
created exclusively) while it runs. Whoever runs every saved query on a build without an
error, a keeper or `--precompute`, writes `keeper-<build>.done` (a digest of the saved
queries' texts), so that the next `belkg build` starts no keeper while the build and the
saved queries are the same. A keeper's output goes to `keeper-<build>.log`. All three
live in the cache's views/ folder, beside the answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from belkg.build.cache import key_tag, process_alive
from belkg.records import NamedTuple

KEEP_IN_BACKGROUND_FROM_TRIPLES = 100_000  # smaller builds answer every saved query quickly
NICENESS = 10  # the keeper gives way to the commands a person is waiting for
STALE_LOCK_SECONDS = 24 * 3600


class Keeper(NamedTuple):
    """The files of the keeper of one build."""

    lock: Path
    done: Path
    log: Path


def keeper_of(views: Path, build: str) -> Keeper:
    stem = views / f"keeper-{key_tag(build)}"
    return Keeper(stem.with_suffix(".lock"), stem.with_suffix(".done"), stem.with_suffix(".log"))


def queries_digest(runs: Sequence[tuple[str, str]]) -> str:
    """A digest of the saved queries' default runs (belkg.kept_results.default_runs)."""
    from belkg.digests import sha256_hex

    return sha256_hex(chr(0).join(part for run in runs for part in run).encode("utf-8"))


def running(keeper: Keeper) -> int | None:
    """The process id of the keeper at work on this build, if one is (a lock a day old is
    taken for one left by a keeper that died, its process id since given to another)."""
    import time

    try:
        pid = int(keeper.lock.read_text(encoding="ascii").strip())
        if time.time() - keeper.lock.stat().st_mtime > STALE_LOCK_SECONDS:
            return None
    except (OSError, ValueError):
        return None
    return pid if process_alive(pid) else None


def finished(keeper: Keeper, digest: str) -> bool:
    """Whether a keeper (or `--precompute`) has run these saved queries on this build."""
    try:
        return keeper.done.read_text(encoding="ascii").strip() == digest
    except OSError:
        return False


def start(keeper: Keeper, arguments: Sequence[str]) -> int:
    """Start `python -m belkg ARGUMENTS` as a process of its own, its output to the log,
    and return its process id. A short-lived launcher starts it, in a session of its own,
    and ends: so the keeper is nobody's child to wait for, it goes on after this process
    ends, and the terminal's Ctrl-C does not reach it."""
    keeper.log.parent.mkdir(parents=True, exist_ok=True)
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(keeper.log), sys.executable, "-m", "belkg", *arguments],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if launched.returncode != 0 or not launched.stdout.strip().isdigit():
        raise OSError(launched.stderr.strip().splitlines()[-1] if launched.stderr.strip() else "the launcher failed")
    return int(launched.stdout)


_LAUNCHER = """
import subprocess, sys
with open(sys.argv[1], "wb") as log:
    keeper = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
print(keeper.pid)
"""


def claim(keeper: Keeper) -> bool:
    """Take the lock for this process; False if another live keeper holds it (a lock
    left by a keeper that died is taken over)."""
    keeper.lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            descriptor = os.open(keeper.lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if running(keeper) is not None:
                return False
            keeper.lock.unlink(missing_ok=True)
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as lock:
            lock.write(f"{os.getpid()}\n")
        return True
    return False


def mark_finished(keeper: Keeper, digest: str) -> None:
    """Record that these saved queries were all run on this build."""
    from belkg.atomic import write_atomically

    keeper.done.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(keeper.done, f"{digest}\n".encode("ascii"))


def release(keeper: Keeper) -> None:
    """Give the lock up."""
    keeper.lock.unlink(missing_ok=True)


def give_way() -> None:
    """Lower this process's priority, where the system allows it."""
    with suppress(OSError):
        os.nice(NICENESS)


def start_if_needed(keeper: Keeper, digest: str, arguments: Sequence[str]) -> int | None:
    """The process id of this build's keeper: the one at work, or one started now with
    `belkg ARGUMENTS`; None if these saved queries were all run on the build already.
    OSError if a keeper cannot be started."""
    if finished(keeper, digest):
        return None
    return running(keeper) or start(keeper, arguments)


@contextmanager
def at_work(keeper: Keeper) -> Iterator[bool]:
    """Work as this build's keeper, at a lower priority: True while this process holds
    the lock, which it gives up after; False, and nothing held, if another keeper
    holds it."""
    if not claim(keeper):
        yield False
        return
    give_way()
    try:
        yield True
    finally:
        release(keeper)
