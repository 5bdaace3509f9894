"""A big build's SHACL validation runs in a forked process beside the other checks: the
same findings and errors as in the process, and no process left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from belkg.build import beside as beside_module
from belkg.build import pipeline as building
from belkg.build.beside import beside
from belkg.errors import BelkgError

from conftest import TINY_ENTITIES


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests of the forked path fork even if an earlier test in this process left a
    thread of its own running (a daemon server thread, say)."""
    monkeypatch.setattr(beside_module, "other_threads_running", lambda: False)


def _children() -> set[str]:
    folder = Path(f"/proc/{os.getpid()}/task")
    return {pid for task in folder.iterdir() for pid in (task / "children").read_text().split()}


def test_the_work_runs_in_another_process_and_its_result_comes_back(forking):
    with beside(lambda: (os.getpid(), [1, "two", None]), "a sum") as result:
        pid, value = result()
    assert pid != os.getpid()
    assert value == [1, "two", None]


def test_an_error_of_the_work_comes_back_as_it_was(forking):
    def failing() -> None:
        raise BelkgError("the shapes are not valid SHACL: missing )", "ontology/shapes.ttl")

    with beside(failing, "the SHACL validation") as result, pytest.raises(BelkgError) as raised:
        result()
    assert str(raised.value) == "ontology/shapes.ttl: the shapes are not valid SHACL: missing )"


def test_a_process_that_dies_is_one_clear_error(forking):
    dying = beside(lambda: os.kill(os.getpid(), signal.SIGKILL), "the SHACL validation")
    with dying as result, pytest.raises(BelkgError) as raised:
        result()
    assert str(raised.value) == "the process running the SHACL validation was killed by signal 9 without an answer"


def test_leaving_before_the_result_stops_the_process(forking):
    before = _children()
    started = time.monotonic()
    with pytest.raises(RuntimeError), beside(lambda: time.sleep(60), "a nap"):
        raise RuntimeError("an error in the parent's own checks")
    assert time.monotonic() - started < 30
    assert _children() == before


def _side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(building, "VALIDATION_BESIDE_FROM_TRIPLES", 0)


@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
def test_a_big_projects_validation_beside_finds_what_it_finds_in_the_process(
    tiny_project, tmp_path, monkeypatch, forking, validator
):
    project = tiny_project(entities=TINY_ENTITIES + "bkd:carol-example a bk:Person .\n")
    in_process = building.check(project, validator=validator)[2]
    _side_by_side(monkeypatch)
    validating = building._shape_findings
    where = tmp_path / "validated-in"

    def noted_shape_findings(*arguments):  # type: ignore[no-untyped-def]
        where.write_text(str(os.getpid()), encoding="utf-8")
        return validating(*arguments)

    monkeypatch.setattr(building, "_shape_findings", noted_shape_findings)
    said: list[str] = []
    beside_it = building.check(project, said.append, validator=validator)[2]
    assert beside_it == in_process
    assert int(where.read_text(encoding="utf-8")) != os.getpid()
    assert any(finding.rule == "thing of the register: MinCount" for finding in beside_it)
    assert f"validating against the SHACL shapes ({validator}) in a second process, beside the other checks" in said


def test_shapes_that_are_not_shacl_are_the_same_error_beside(tiny_project, monkeypatch, forking):
    project = tiny_project()
    shapes = project.shapes_file.read_text(encoding="utf-8")
    project.shapes_file.write_text(
        shapes + "\nbk:XShape a sh:NodeShape ; sh:targetClass bk:Person ; sh:property [ sh:path skos:prefLabel ; "
        'sh:pattern "(" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(BelkgError) as in_process:
        building.check(project)
    _side_by_side(monkeypatch)
    with pytest.raises(BelkgError) as beside_it:
        building.check(project)
    assert str(beside_it.value) == str(in_process.value)
    assert str(in_process.value) == (
        "ontology/shapes.ttl: the shapes are not valid SHACL: missing ), unterminated subpattern at position 0"
    )


def test_with_other_threads_running_the_work_runs_in_this_process():
    """A lock another thread holds at the fork would stay held in the child for ever."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with beside(os.getpid, "a look at the process id") as result:
            assert result() == os.getpid()
    finally:
        stop.set()
        other.join()
