"""Shared fixtures: the real project built once per session, and tiny projects to break."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from belkg.build.cache import QUERY_CHECKS
from belkg.build.pipeline import Build, build
from belkg.project import Project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

TINY_SEED = "Alice Example was freed by Bob Example on Monday. Alice Example thanked him.\n"

# The tests' folders go to memory where the machine has room there: every build writes
# its cache's Oxigraph store, which RocksDB syncs to disk file by file (about 0.2 s of
# waiting per build on this project's machine, a hundred builds in the quick loop).
# A TMPDIR or --basetemp the developer gives is kept.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_FOLDER_ROOM = 2 << 30


def pytest_configure(config: pytest.Config) -> None:
    if "TMPDIR" in os.environ or config.option.basetemp or not MEMORY_FOLDER.is_dir():
        return
    try:
        status = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return
    if status.f_bavail * status.f_frsize < MEMORY_FOLDER_ROOM or not os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        return
    os.environ["TMPDIR"] = str(MEMORY_FOLDER)  # for the processes the tests start (xdist's workers too)
    tempfile.tempdir = str(MEMORY_FOLDER)


# Under -n, xdist hands out whole modules (--dist=loadfile) in collection order
# (--no-loadscope-reorder): the modules that took longest last time go first, so that
# the workers end on short modules, close together. A test's time is its setup, call and
# teardown, kept in pytest's cache (.pytest_cache) after each run; without it (a fresh
# clone, -p no:cacheprovider) the modules with the most tests go first, as xdist would.
TEST_SECONDS = "belkg/test-seconds"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: the files' own order
        return
    cache = getattr(config, "cache", None)
    seconds: dict[str, float] = cache.get(TEST_SECONDS, {}) if cache is not None else {}
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    cost = {name: sum(seconds.get(item.nodeid, 0.0) for item in tests) for name, tests in modules.items()}
    order = sorted(modules, key=lambda name: (-cost[name], -len(modules[name])))
    items[:] = [item for name in order for item in modules[name]]


class _TestSeconds:
    """Collects each test's time in the controlling process and keeps it in the cache."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None or not self.seconds:
            return
        kept = cache.get(TEST_SECONDS, {})
        kept.update({nodeid: round(value, 3) for nodeid, value in self.seconds.items()})
        cache.set(TEST_SECONDS, kept)


def pytest_sessionstart(session: pytest.Session) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        session.config.pluginmanager.register(_TestSeconds(), "belkg-test-seconds")


def sweep(values: list[Any], quick: list[Any], ids: Callable[[Any], str] | None = None) -> list[Any]:
    """The parameters of a check repeated over every saved query or command: the cases in
    `quick` run in the quick loop, the others are marked slow (.ci/run runs them all)."""
    missing = [value for value in quick if value not in values]
    assert not missing, f"no such case: {missing}"
    return [
        pytest.param(
            *(value if isinstance(value, tuple) else (value,)),
            id=ids(value) if ids else None,
            marks=() if value in quick else pytest.mark.slow,
        )
        for value in values
    ]


TINY_ENTITIES = """\
@prefix bk:   <https://w3id.org/belkg/ontology#> .
@prefix bkd:  <https://w3id.org/belkg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

bkd:alice-example a bk:Person ; skos:prefLabel "Alice Example"@en .
bkd:bob-example a bk:Person ; skos:prefLabel "Bob Example"@en .
bkd:the-release a bk:Release ; skos:prefLabel "release of Alice"@en ; bk:labelIsNormalised true .
"""

TINY_PREFIXES = """\
@prefix bk:      <https://w3id.org/belkg/ontology#> .
@prefix bkd:     <https://w3id.org/belkg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

TINY_SEED_NAME = "900_tiny"


def tiny_document(claims: str = "", sha256: str | None = None) -> str:
    """The document file of the tiny seed: its node and the given claims (Turtle)."""
    import hashlib

    digest = sha256 or hashlib.sha256(TINY_SEED.encode()).hexdigest()
    return (
        TINY_PREFIXES
        + f"""
bkd:doc-900 a bk:NewsReport ;
    dcterms:title "Alice Example was freed" ;
    bk:seedFile "{TINY_SEED_NAME}.txt" ;
    bk:sha256 "{digest}" .
"""
        + claims
    )


GOOD_CLAIM = """
bkd:claim-900-001 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:Released ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ;
        oa:exact "Alice Example was freed" ] .
"""

TinyProject = Callable[..., Project]


def make_tiny_project(
    root: Path,
    claims: str = GOOD_CLAIM,
    *,
    document: str | None = None,
    entities: str = TINY_ENTITIES,
    seed: str = TINY_SEED,
) -> Project:
    """A small project in root (replaced if it exists): the real ontology, shapes and
    rules, one tiny seed, a small register and the given claims."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "kg").mkdir()
    (root / "seeds").mkdir()
    (root / "seeds" / f"{TINY_SEED_NAME}.txt").write_text(seed, encoding="utf-8")
    (root / "kg" / "entities.ttl").write_text(entities, encoding="utf-8")
    text = document if document is not None else tiny_document(claims)
    (root / "kg" / f"{TINY_SEED_NAME}.ttl").write_text(text, encoding="utf-8")
    return Project(root)


@pytest.fixture
def tiny_project(tmp_path: Path) -> TinyProject:
    """Make a small project (make_tiny_project) in the test's folder. Any file can be
    replaced to break it."""

    return functools.partial(make_tiny_project, tmp_path / "project")


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables fit $COLUMNS: a width exported in the developer's shell must not change
    what the tests read. A test that wants a width sets it."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's build cache. Under -n each worker has its own, but the safety gate's
    verdicts (`query-checks/`, one file per query text, keyed by belkg's version and the
    text, written atomically) are shared by the workers: a saved query that one worker's
    parser has read (seconds for the longest) is not read again by the other."""
    cache = tmp_path_factory.mktemp("cache")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / QUERY_CHECKS
        shared.mkdir(exist_ok=True)
        (cache / QUERY_CHECKS).symlink_to(shared, target_is_directory=True)
    return cache


@pytest.fixture(scope="session")
def built(project: Project, session_cache: Path) -> Build:
    """The real graph, built once for the whole session."""
    return build(project, session_cache)


Rows = list[dict[str, str]]


def _plain_rows(result) -> Rows:  # type: ignore[no-untyped-def]
    return [{name: term.value for name, term in row.items()} for row in result.rows]


@pytest.fixture(scope="session")
def engines(built: Build, session_cache: Path) -> dict[str, object]:
    """Both query engines over the session's build (rdflib is slow to open: once), with
    the gate's verdicts in the session's cache, as the command line keeps them."""
    from belkg.querying import open_engine

    checks = session_cache / QUERY_CHECKS
    return {name: open_engine(built.entry, name, checks_cache=checks) for name in ("oxigraph", "rdflib")}


@pytest.fixture(scope="session")
def run_saved(project: Project, engines: dict[str, object]) -> Callable[..., Rows]:
    """run_saved(name, **params): a saved query's rows on the default engine, each row a
    dict from variable to the term's string value (full IRIs, lexical literals)."""
    from belkg.catalogue import find_saved_query
    from belkg.querying import run

    def run_saved_query(name: str, engine: str = "oxigraph", **params: str) -> Rows:
        query = find_saved_query(project.queries_dir, name)
        return _plain_rows(run(engines[engine], query, params))  # type: ignore[arg-type]

    return run_saved_query


@pytest.fixture(scope="session")
def belkg(project: Project, session_cache: Path, built: Build) -> Callable[..., object]:
    """belkg(*args): run the CLI in-process on the real project with the session's
    (already built) cache."""
    from click.testing import CliRunner

    from belkg.cli import cli

    def invoke(*args: str, quiet: bool = True) -> object:
        base = ["--project", str(project.root), "--cache-dir", str(session_cache), *(["-q"] if quiet else [])]
        return CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)

    return invoke
