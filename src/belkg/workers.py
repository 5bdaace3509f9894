"""A pool of forked workers that answer requests under the time and memory limits.

`belkg.limits.within` forks a child for each piece of work. For a server answering many
short queries the fork costs more than the query (on the seed graph, a saved query takes
about 6 ms and a fork that does nothing 12 ms). A pool forks its workers once, when it is
made (after the store is loaded, so they share it with the parent); each answers one
request at a time with the same handler, under the same limits as `within`:

- a worker that passes the time limit is killed, and a new one forked in its place;
- a worker is capped at the memory limit, and one that fails an allocation or ends is
  replaced too;
- a worker is replaced after `recycle` requests, so memory a worker keeps cannot add up.

Requests and answers cross the pipes pickled; the handler itself is inherited by the fork,
so it may be any callable. Only what does not change after the pool is made belongs in it:
a worker sees the parent's state as it was when the worker was forked.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import queue
import select
import signal
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from belkg.errors import BelkgError
from belkg.limits import ended_error, enter_child, outcome_of, over_time_error, pickled, result_of

_HEADER = 8  # bytes of the length before each pickled message


@dataclass
class _Worker:
    pid: int
    requests: int  # the pipe the worker reads requests from
    answers: int  # the pipe it writes answers to
    served: int = 0
    reaped: bool = False  # its exit status is collected


class _Ended(Exception):
    """The worker closed its pipe or died before answering."""


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    """`size` bytes from fd, or TimeoutError at the deadline, or _Ended at end of file."""
    chunks: list[bytes] = []
    while size:
        remaining = None if deadline is None else deadline - time.monotonic()
        if (remaining is not None and remaining <= 0) or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise _Ended
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_message(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(_HEADER, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _serve(handle: Callable[[Any], Any], requests: int, answers: int, memory: int | None, where: str | None) -> None:
    """A worker's life: answer requests until the pipe closes."""
    while True:
        try:
            size = int.from_bytes(_read_exactly(requests, _HEADER, None), "big")
            request = pickle.loads(_read_exactly(requests, size, None))
        except _Ended:
            return
        _write_message(answers, pickled(outcome_of(functools.partial(handle, request), memory, where), where))


def _stop(worker: _Worker) -> None:
    for fd in (worker.requests, worker.answers):
        with contextlib.suppress(OSError):
            os.close(fd)
    if worker.reaped:  # its process id may be another process's by now
        return
    try:
        os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class _Forker:
    """Forks the workers, all from one thread that lives as long as the pool: Linux sends
    a child its parent-death signal when the *thread* that forked it ends, and a server's
    request threads come and go."""

    def __init__(self, handle: Callable[[Any], Any], memory: int | None, where: str | None) -> None:
        self.handle = handle
        self.memory = memory
        self.where = where
        self.workers: list[_Worker] = []  # every live worker, idle or busy
        self.lock = threading.Lock()
        self._asks: queue.Queue[queue.Queue[_Worker | BaseException] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._serve_asks, name="belkg-forker", daemon=True)
        self._thread.start()

    def _serve_asks(self) -> None:
        while (reply := self._asks.get()) is not None:
            try:
                reply.put(self._fork())
            except BaseException as error:  # the asker raises it
                reply.put(error)

    def fork(self) -> _Worker:
        reply: queue.Queue[_Worker | BaseException] = queue.Queue()
        self._asks.put(reply)
        made = reply.get()
        if isinstance(made, BaseException):
            raise made
        return made

    def _fork(self) -> _Worker:
        parent = os.getpid()
        to_worker_read, to_worker_write = os.pipe()
        from_worker_read, from_worker_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the worker
            try:
                os.close(to_worker_write)
                os.close(from_worker_read)
                for other in self.workers:  # the other workers' pipes are not this one's
                    os.close(other.requests)
                    os.close(other.answers)
                enter_child(parent, self.memory)
                _serve(self.handle, to_worker_read, from_worker_write, self.memory, self.where)
            finally:
                os._exit(0)
        os.close(to_worker_read)
        os.close(from_worker_write)
        worker = _Worker(pid, to_worker_write, from_worker_read)
        with self.lock:
            self.workers.append(worker)
        return worker

    def forget(self, worker: _Worker) -> None:
        with self.lock:
            self.workers.remove(worker)

    def stop(self) -> None:
        """Stop every worker, and the forking thread."""
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            _stop(worker)
        self._asks.put(None)


class WorkerPool:
    """`size` forked workers that run handle(request), one request each at a time, under
    `seconds` (None: no limit) and `memory` MiB (None: no cap)."""

    def __init__(
        self,
        handle: Callable[[Any], Any],
        size: int,
        seconds: float | None,
        memory: int | None,
        where: str | None = None,
        *,
        recycle: int = 1000,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self._seconds = seconds or None
        self._memory = memory or None
        self._where = where
        self._recycle = recycle
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._forker = _Forker(handle, self._memory, where)
        self._closed = False
        self._finalizer = weakref.finalize(self, self._forker.stop)
        for _ in range(size):
            self._idle.put(self._forker.fork())

    def _replace(self, worker: _Worker) -> _Worker:
        self._forker.forget(worker)
        _stop(worker)
        return self._forker.fork()

    def run(self, request: Any) -> Any:
        """handle(request)'s result from an idle worker (waiting for one if all are busy);
        the error it raised as a BelkgError; or the time or memory limit's error."""
        if self._closed:
            raise BelkgError("the query workers have stopped", self._where)
        worker = self._idle.get()
        deadline = None if self._seconds is None else time.monotonic() + self._seconds
        outcome: tuple[object, ...] = ()
        try:
            _write_message(worker.requests, pickle.dumps(request))
            size = int.from_bytes(_read_exactly(worker.answers, _HEADER, deadline), "big")
            outcome = pickle.loads(_read_exactly(worker.answers, size, deadline))
        except TimeoutError:
            raise over_time_error(self._seconds or 0, self._where) from None
        except (_Ended, BrokenPipeError):
            _, status = os.waitpid(worker.pid, 0)
            worker.reaped = True
            raise ended_error(status, self._memory, self._where) from None
        finally:
            if not self._closed:
                worker.served += 1
                # A worker that did not answer is replaced whatever stopped it (its answer
                # could still come, to the next request); so is one whose allocation failed,
                # as what it holds since is unknown.
                if not outcome or outcome[0] == "memory" or worker.served >= self._recycle:
                    worker = self._replace(worker)
                self._idle.put(worker)
        return result_of(outcome, self._memory, self._where)

    def pids(self) -> list[int]:
        """The workers' process ids (for tests and diagnostics)."""
        with self._forker.lock:
            return [worker.pid for worker in self._forker.workers]

    def close(self) -> None:
        """Stop every worker; run() refuses from then on."""
        self._closed = True
        self._finalizer()
