"""belkg.records.NamedTuple behaves as typing.NamedTuple for the records declared on it."""

from __future__ import annotations

import pickle
import subprocess
import sys
import typing

import pytest

from belkg import records
from belkg.catalogue import Param
from belkg.safety import Checked
from belkg.terms import Term


def _declare(base: type) -> type:
    class Point(base):  # type: ignore[misc,valid-type]
        """A point."""

        x: int
        y: int = 0
        label: str | None = None

        @property
        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

        def moved(self, by: int) -> Point:
            return self._replace(x=self.x + by)

    return Point


@pytest.mark.parametrize("check", [
    lambda P: P(1),
    lambda P: P(1, 2, "a"),
    lambda P: P(x=3, label="b"),
    lambda P: P(1, 2).norm,
    lambda P: P(1).moved(2),
    lambda P: P(1, 2)._asdict(),
    lambda P: P._fields,
    lambda P: P._field_defaults,
    lambda P: P._make([4, 5, None]),
    lambda P: repr(P(1)),
    lambda P: P.__doc__,
    lambda P: P(1) == (1, 0, None),
    lambda P: tuple(P(7, 8)),
    lambda P: isinstance(P(1), tuple),
    lambda P: list(P.__annotations__),
])  # fmt: skip
def test_a_record_behaves_as_typing_namedtuple(check):
    assert check(_declare(records.NamedTuple)) == check(_declare(typing.NamedTuple))


def test_a_record_refuses_what_typing_refuses():
    with pytest.raises(TypeError):

        class Wrong(records.NamedTuple):  # type: ignore[misc]
            x: int = 0
            y: int

    with pytest.raises(AttributeError):

        class Clash(records.NamedTuple):
            x: int

            def _asdict(self) -> dict[str, int]:  # type: ignore[override]
                return {}


def test_records_pickle_and_compare():
    term = Term.literal("a", None, "EN")
    assert term == Term("literal", "a", None, "en")
    assert pickle.loads(pickle.dumps(term)) == term
    assert pickle.loads(pickle.dumps(Checked("ASK {}"))) == Checked("ASK {}", None, None)
    assert Param("release", type="iri").variable == "_release_iri"


def test_a_plain_query_imports_neither_typing_nor_threading_nor_hashlib(project, session_cache, built):
    """What a cold `belkg query` of a saved query loads, once its header, the gate's
    verdict and the inputs' stamps are kept, is what it needs (see belkg.records)."""
    script = (
        "import atexit, sys\n"
        "names = ('typing', 'threading', 'hashlib')\n"
        "atexit.register(lambda: sys.stderr.write(repr([name for name in names if name in sys.modules])))\n"
        "from belkg.console import main\n"
        "sys.argv = ['belkg', '--project', sys.argv[1], '--cache-dir', sys.argv[2], '-q', 'query', 'negotiators']\n"
        "main()\n"
    )
    command = [sys.executable, "-c", script, str(project.root), str(session_cache)]
    subprocess.run(command, capture_output=True, check=True)  # keeps what a first run finds
    done = subprocess.run(command, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "[]")
    assert done.stdout.endswith(" rows)\n")
