"""Run a command's work under a time and a memory limit, in a child process.

Neither engine can be interrupted from Python while it evaluates, so the work runs in a
forked child that the parent kills when the time is up. The child's address space is
capped (RLIMIT_AS), so a runaway query fails there instead of exhausting the machine,
and the child is tied to its parent (PR_SET_PDEATHSIG on Linux, else a watchdog thread):
it never outlives it. Without fork (Windows) the work runs directly, without limits.

A one-shot process (the `belkg` command itself, see `one_shot`) needs no child: the work
runs in the process, and a watchdog thread ends the whole process with the same one-line
error and exit code 2 when the time is up or its resident memory passes the limit. That
saves the fork, which costs a short query more than the query.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from belkg.errors import BelkgError
from belkg.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MIB = 4096
DEFAULT_RESPONSE_MIB = 256  # the largest answer read from a SPARQL server
_PR_SET_PDEATHSIG = 1
_WATCH_INTERVAL = 0.02  # seconds between the watchdog's looks at the clock and the memory
_one_shot = False


def one_shot(active: bool = True) -> None:
    """Declare this process one-shot: it ends when the command ends, so `within` may end
    it (with the error line and exit code 2) instead of forking a child to stop. Only the
    console script sets it; a caller that lives on (tests, a server) keeps the child."""
    global _one_shot
    _one_shot = active


def check_seconds(value: float, option: str = "--timeout") -> float:
    """A time limit must be a finite number of seconds, 0 or more."""
    import math  # here: a plain `belkg query` takes the default limits

    if math.isnan(value) or math.isinf(value) or value < 0:
        raise BelkgError(f"{option} must be a finite number of seconds, 0 or more (0: no limit), not {value:g}")
    return value


def _die_with(parent: int) -> None:
    """Make the kernel kill this process when its parent dies."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError
    except (OSError, AttributeError):
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def _quiet_stderr() -> None:
    """The child reports through its pipe; what Rust prints when an allocation fails
    ("memory allocation of N bytes failed", a backtrace) would be lines the user did not
    ask for; so would the fault handler's report of the abort that follows."""
    import faulthandler

    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(mebibytes: int) -> None:
    import resource

    limit = mebibytes << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def over_memory_error(memory: int | None, where: str | None) -> BelkgError:
    return BelkgError(
        f"the query needed more than {memory} MiB of memory and was stopped; raise --memory or narrow the query",
        where,
    )


def over_time_error(seconds: float, where: str | None) -> BelkgError:
    return BelkgError(
        f"the query ran longer than {seconds:g} s and was stopped; raise --timeout or narrow the query", where
    )


def within(
    work: Callable[[], T],
    seconds: float | None = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY_MIB,
    where: str | None = None,
    *,
    timeout_error: Callable[[], BelkgError] | None = None,
) -> T:
    """The result of work(), computed in a child process stopped after `seconds` (None or
    0: no time limit) and capped at `memory` MiB (None: no cap). Errors in the child come
    back as the BelkgError they were."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return work()
    if _one_shot:
        return _watched(work, seconds or None, memory or None, where, timeout_error)
    import pickle
    import select
    import signal
    import time

    from belkg import safety

    seconds = seconds or None
    known = safety.analysed_texts()
    # The gate's analyses of new query texts come back with the result, so the parent (a
    # server, a test run) parses each text once.
    child, read_end = fork_child(lambda: (work(), safety.learned_since(known)), memory, where)
    chunks = []
    deadline = None if seconds is None else time.monotonic() + seconds
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=0) as stream:
            while True:
                remaining = None if deadline is None else deadline - time.monotonic()
                if (remaining is not None and remaining <= 0) or not select.select([stream], [], [], remaining)[0]:
                    raise timeout_error() if timeout_error else over_time_error(seconds or 0, where)
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(child, 0)
        finished = True
    finally:
        if not finished:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    if not chunks:
        raise ended_error(status, memory, where)
    value: T
    value, learned = result_of(pickle.loads(b"".join(chunks)), memory, where)
    safety.keep_learned(learned)
    return value


def fork_child(work: Callable[[], object], memory: int | None, where: str | None) -> tuple[int, int]:
    """Fork a child that computes work() (set up by `enter_child`) and writes its
    `outcome_of`, pickled, to a pipe; return the child's process id and the pipe's read
    end, for `result_of` once read. The caller reaps the child."""
    parent = os.getpid()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        os.close(read_end)
        try:
            enter_child(parent, memory)
            outcome = outcome_of(work, memory, where)
            with os.fdopen(write_end, "wb") as stream:
                stream.write(pickled(outcome, where))
        finally:
            os._exit(0)
    os.close(write_end)
    return child, read_end


def enter_child(parent: int, memory: int | None) -> None:
    """Set up a forked child that works for `parent`: dies with it, writes nothing to the
    terminal, and is capped at `memory` MiB."""
    import gc

    # The collector leaves the parent's objects alone: scanning them would write to (and
    # so copy) every page of a server's heap, in each child.
    gc.freeze()
    _die_with(parent)
    _quiet_stderr()
    if memory:
        _limit_memory(memory)


def outcome_of(work: Callable[[], object], memory: int | None, where: str | None) -> tuple[object, ...]:
    """work()'s result or failure, in a child, as a picklable value for `result_of`."""
    try:
        return ("ok", work())
    except BelkgError as error:
        return ("error", error.message, error.location, error.detail)
    except MemoryError:
        return ("memory",)
    except SystemError as error:  # an extension whose allocation failed returned NULL
        failed = memory and "without exception set" in str(error)
        return ("memory",) if failed else ("error", f"failed: SystemError: {error}", where, None)
    except BaseException as error:  # the child must always report
        return ("error", f"failed: {type(error).__name__}: {error}", where, None)


def pickled(outcome: tuple[object, ...], where: str | None) -> bytes:
    """An `outcome_of` as the bytes a child sends its parent: a result that cannot be
    pickled is an error, one too big to pickle a memory failure."""
    import pickle

    try:
        return pickle.dumps(outcome)
    except MemoryError:
        return pickle.dumps(("memory",))
    except Exception as error:  # an answer that cannot cross the pipe
        return pickle.dumps(("error", f"failed: {type(error).__name__}: {error}", where, None))


def result_of(outcome: tuple[object, ...], memory: int | None, where: str | None) -> Any:
    """The value an `outcome_of` carried back from a child, or the error it reported."""
    if outcome[0] == "memory":
        raise over_memory_error(memory, where)
    if outcome[0] == "error":
        location, detail = outcome[2], outcome[3]
        raise BelkgError(
            str(outcome[1]), None if location is None else str(location), None if detail is None else str(detail)
        )
    return outcome[1]


def ended_error(status: int, memory: int | None, where: str | None) -> BelkgError:
    """Why a child that ended without an answer (its exit status from waitpid) did so."""
    if os.WIFSIGNALED(status):
        # A failed allocation in Oxigraph's Rust code aborts the process.
        if memory:
            return over_memory_error(memory, where)
        return BelkgError(f"the query process was killed by signal {os.WTERMSIG(status)}", where)
    return BelkgError("the query process ended without a result", where)


def _resident_mib() -> float:
    """This process's resident memory, MiB (Linux /proc; elsewhere the peak so far)."""
    try:
        from pathlib import Path

        pages = int(Path("/proc/self/statm").read_bytes().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def _watched(
    work: Callable[[], T],
    seconds: float | None,
    memory: int | None,
    where: str | None,
    timeout_error: Callable[[], BelkgError] | None,
) -> T:
    """work() in this process, under a watchdog thread that ends the process (exit code 2,
    the error on stderr as the CLI writes it) when a limit is passed."""
    if seconds is None and memory is None:
        return work()
    # _thread, not threading: a lock with a timeout is all the watchdog needs, and
    # threading's import would cost a short query two milliseconds. A _thread thread
    # does not keep the process alive (a daemon, in threading's words).
    import _thread
    import sys
    import time

    from belkg.errors import printable

    done = _thread.allocate_lock()
    done.acquire()  # released when the work ends
    deadline = None if seconds is None else time.monotonic() + seconds
    allowed = memory

    def stop(error: BelkgError) -> None:
        try:
            sys.stderr.write(f"Error: {printable(str(error))}\n")
            sys.stderr.flush()
        finally:
            os._exit(2)

    def watch() -> None:
        while not done.acquire(timeout=_WATCH_INTERVAL):
            if deadline is not None and time.monotonic() >= deadline:
                stop(timeout_error() if timeout_error else over_time_error(seconds or 0, where))
            if allowed is not None and _resident_mib() > allowed:
                stop(over_memory_error(memory, where))

    _thread.start_new_thread(watch, ())
    try:
        try:
            return work()
        except MemoryError:
            raise over_memory_error(memory, where) from None
    finally:
        done.release()
