"""The pool of forked workers: answers and errors as `within` gives them, the limits, and
a worker replaced whenever one is stopped, ends or has served its share."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from belkg.errors import BelkgError
from belkg.workers import WorkerPool


def _handle(request: tuple[str, Any]) -> Any:
    kind, value = request
    if kind == "pid":
        return os.getpid()
    if kind == "sleep":
        time.sleep(value)
        return os.getpid()
    if kind == "allocate":
        return len(bytearray(value))
    if kind == "refuse":
        raise BelkgError(value, "a place")
    if kind == "fail":
        raise ValueError(value)
    if kind == "exit":
        os._exit(3)
    if kind == "lock":
        return threading.Lock()
    return value


@pytest.fixture
def pool():
    made = WorkerPool(_handle, 2, 1.0, 256, "query", recycle=5)
    yield made
    made.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").split(")")[-1].split()[0] != "Z"


def test_the_work_is_done_in_a_worker_and_its_answer_comes_back(pool):
    assert pool.run(("echo", {"rows": [1, 2, 3]})) == {"rows": [1, 2, 3]}
    assert pool.run(("pid", None)) in pool.pids()
    assert os.getpid() not in pool.pids()


def test_errors_come_back_as_they_were_and_the_worker_stays(pool):
    before = pool.pids()
    with pytest.raises(BelkgError) as caught:
        pool.run(("refuse", "no SERVICE here"))
    assert (caught.value.message, caught.value.location) == ("no SERVICE here", "a place")
    with pytest.raises(BelkgError) as caught:
        pool.run(("fail", "bad value"))
    assert str(caught.value) == "query: failed: ValueError: bad value"
    assert pool.pids() == before


def test_a_request_over_the_time_limit_is_stopped_and_its_worker_replaced(pool):
    before = set(pool.pids())
    with pytest.raises(BelkgError) as caught:
        pool.run(("sleep", 30))
    assert str(caught.value) == (
        "query: the query ran longer than 1 s and was stopped; raise --timeout or narrow the query"
    )
    after = set(pool.pids())
    assert len(after) == 2
    stopped = before - after
    assert len(stopped) == 1 and not _alive(stopped.pop())
    assert pool.run(("echo", 7)) == 7


def test_a_request_over_the_memory_limit_fails_and_the_pool_goes_on(pool):
    with pytest.raises(BelkgError) as caught:
        pool.run(("allocate", 1 << 30))
    assert str(caught.value) == (
        "query: the query needed more than 256 MiB of memory and was stopped; raise --memory or narrow the query"
    )
    assert pool.run(("allocate", 1 << 20)) == 1 << 20


def test_a_worker_that_dies_is_replaced(pool):
    with pytest.raises(BelkgError) as caught:
        pool.run(("exit", None))
    assert str(caught.value) == "query: the query process ended without a result"
    assert len(pool.pids()) == 2
    assert pool.run(("echo", "still here")) == "still here"


def test_requests_at_once_go_to_different_workers(pool):
    pids: list[int] = []
    threads = [threading.Thread(target=lambda: pids.append(pool.run(("sleep", 0.3)))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(pids)) == 2
    assert set(pids) == set(pool.pids())


def test_a_worker_is_replaced_after_its_share_of_requests(pool):
    served: dict[int, int] = {}
    for _ in range(24):
        pid = pool.run(("pid", None))
        served[pid] = served.get(pid, 0) + 1
    assert max(served.values()) == 5
    assert len(served) > 2


def test_a_closed_pool_stops_its_workers_and_refuses():
    pool = WorkerPool(_handle, 2, 2.0, None)
    pids = pool.pids()
    pool.close()
    for pid in pids:
        assert not _alive(pid)
    with pytest.raises(BelkgError) as caught:
        pool.run(("echo", 1))
    assert str(caught.value) == "the query workers have stopped"


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError):
        WorkerPool(_handle, 0, 2.0, None)


def test_a_worker_replaced_from_a_thread_outlives_that_thread(pool):
    """Linux kills a child whose forking *thread* ends (the parent-death signal): a
    worker replaced while a short-lived request thread waited must live on."""
    stopped: list[str] = []

    def request() -> None:
        try:
            pool.run(("sleep", 30))
        except BelkgError as error:
            stopped.append(str(error))

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert len(stopped) == 1
    time.sleep(0.2)
    assert all(_alive(pid) for pid in pool.pids())
    assert [pool.run(("echo", n)) for n in range(4)] == [0, 1, 2, 3]


def test_an_answer_that_cannot_cross_the_pipe_is_an_error(pool):
    with pytest.raises(BelkgError) as caught:
        pool.run(("lock", None))
    assert str(caught.value).startswith("query: failed: TypeError: cannot pickle")
    assert pool.run(("echo", 1)) == 1
