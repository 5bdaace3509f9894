"""Work done in a forked child beside the parent's own.

A big build's SHACL validation reads the parsed graphs and nothing the other checks make,
so it runs in a child forked once the files are loaded, while the parent checks quotes,
labels and cues: on two cores the two take the time of the longer. The child shares the
parsed graphs with the parent (copy-on-write, its collector frozen so it does not touch
them), sends back its result pickled, writes nothing to the terminal and dies with the
parent. Without fork (Windows), or with other threads running (a lock one of them holds
at the fork would stay held in the child for ever), the work runs in the process, when
its result is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from belkg.errors import BelkgError
from belkg.limits import fork_child, result_of

T = TypeVar("T")


def other_threads_running() -> bool:
    import threading

    return threading.active_count() > 1


@contextmanager
def beside(work: Callable[[], T], what: str) -> Iterator[Callable[[], T]]:
    """Start work() in a child; inside, the function given waits for its result (an error
    the work raised comes back as the BelkgError it was). Leaving before asking for the
    result, as an error in the parent does, stops the child."""
    if not hasattr(os, "fork") or other_threads_running():
        yield work
        return
    import pickle
    import signal

    child, read_end = fork_child(work, None, None)
    stream = os.fdopen(read_end, "rb")
    reaped = False

    def result() -> T:
        nonlocal reaped
        answer = stream.read()
        _, status = os.waitpid(child, 0)
        reaped = True
        if not answer:
            how = f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else "ended"
            raise BelkgError(f"the process running {what} {how} without an answer")
        value: T = result_of(pickle.loads(answer), None, None)
        return value

    try:
        yield result
    finally:
        stream.close()
        if not reaped:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
