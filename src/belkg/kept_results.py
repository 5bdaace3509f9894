"""Query results kept beside the build, so that a query already answered on a build is
read back, not run again.

A build never changes once written (its folder is named by the hash of its inputs), so
a result stays true as long as the build, belkg's version, whether the engine infers and
the exact query text (its parameters bound) are the same: the kept file's name is a hash
of all of them, and a change to any finds the result anew. Only results that took at
least `keep_after` seconds to find are kept (a quick query is cheaper to run than to
read), and none over MAX_BYTES. The safety gate still decides on every run, kept or not,
before anything is read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from belkg.engines import QueryResult
from belkg.errors import BelkgError
from belkg.records import TYPE_CHECKING, NamedTuple
from belkg.terms import Term

if TYPE_CHECKING:  # not imported on a query's path: `belkg query` starts fast
    from typing import Any

    from belkg.catalogue import SavedQuery
    from belkg.engines import Engine

KEEP_AFTER = 0.25  # seconds: a result found faster is not kept
MAX_BYTES = 64 << 20
_FORMAT = "belkg-result-2"


class Shelf:
    """Where the results of queries on one build are kept: `folder` (the cache's views/)."""

    def __init__(self, folder: Path, build: str, inference: bool, keep_after: float | None = None) -> None:
        self.folder = folder
        self.build = build
        self.inference = inference
        self.keep_after = KEEP_AFTER if keep_after is None else keep_after

    def path(self, text: str) -> Path:
        from belkg import __version__
        from belkg.build.cache import key_tag
        from belkg.digests import sha256_hex

        parts = (_FORMAT, __version__, self.build, "inferred" if self.inference else "asserted", text)
        return self.folder / f"result-{key_tag(self.build)}-{sha256_hex(chr(0).join(parts).encode())[:40]}.json"

    def holds(self, text: str) -> bool:
        """Whether a result is kept for text."""
        return self.path(text).is_file()

    def read(self, text: str) -> QueryResult | None:
        """The result kept for text, or None if there is none (or it is damaged)."""
        try:
            return _decoded(json.loads(self.path(text).read_bytes()), text)
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def keep(self, text: str, result: QueryResult, seconds: float) -> None:
        """Keep result if finding it took keep_after seconds or more, whole or not at all;
        a result that cannot be written is only found again next time."""
        if seconds < self.keep_after:
            return
        from belkg.atomic import write_atomically

        data = json.dumps(_encoded(result, text), separators=(",", ":")).encode("utf-8")
        if len(data) > MAX_BYTES:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path(text), data)
        except (OSError, BelkgError):
            pass


class _Terms:
    """Each distinct term of a result once, referred to by its number: a big result
    repeats the same IRIs many times, and reading one back builds each term once."""

    def __init__(self) -> None:
        self.numbers: dict[Term, int] = {}

    def number(self, term: Term) -> int:
        found = self.numbers.get(term)
        if found is None:
            found = self.numbers[term] = len(self.numbers)
        return found

    def table(self) -> list[list[str | None]]:
        return [[term.kind, term.value, term.datatype, term.language] for term in self.numbers]


def _encoded(result: QueryResult, text: str) -> dict[str, Any]:
    terms = _Terms()
    variables = result.variables
    rows = [[terms.number(row[name]) if name in row else -1 for name in variables] for row in result.rows]
    triples = [[terms.number(term) for term in triple] for triple in result.triples]
    return {
        "text": text,
        "kind": result.kind,
        "variables": variables,
        "boolean": result.boolean,
        "terms": terms.table(),
        "rows": rows,
        "triples": triples,
    }


def _term(fields: list[Any]) -> Term:
    kind, value, datatype, language = fields
    if kind not in ("uri", "bnode", "literal") or not isinstance(value, str):
        raise ValueError("not a term")
    return Term(kind, value, datatype, language)


def _decoded(data: dict[str, Any], text: str) -> QueryResult | None:
    if data["text"] != text:  # a hash collision, or a file from elsewhere
        return None
    terms = [_term(fields) for fields in data["terms"]]
    variables = [str(name) for name in data["variables"]]
    rows = [
        {name: terms[number] for name, number in zip(variables, row, strict=True) if number >= 0}
        for row in data["rows"]
    ]
    triples = [(terms[s], terms[p], terms[o]) for s, p, o in data["triples"]]
    return QueryResult(data["kind"], variables=variables, rows=rows, boolean=data["boolean"], triples=triples)


class Precomputed(NamedTuple):
    name: str
    seconds: float
    kept: bool  # its answer is on the shelf (found slow enough now, or kept before)
    error: str | None = None  # why the query failed, if it did


def precompute(
    engine: Engine,
    queries: list[SavedQuery],
    progress: Callable[[str], None] | None = None,
    *,
    reopen: Callable[[], Engine] | None = None,
    jobs: int = 1,
) -> list[Precomputed]:
    """Run each saved query with its defaults on an engine that keeps results, so that
    later runs of the same texts read them: what `belkg build --precompute` does. A query
    with a required parameter has no default run, and is left out; a query that fails is
    reported, not raised (the build stands). With `reopen` (a picklable callable that
    opens an engine like `engine`) and `jobs` over 1, the queries run in that many new
    processes, each with its own engine, keeping their results on the same shelf."""
    shelf = getattr(engine, "shelf", None)
    todo = default_runs(queries)
    runs: Iterable[_Run]
    if reopen is None or jobs <= 1 or len(todo) <= 1:
        runs = (_run(engine, name, text, progress) for name, text in todo)
    else:
        runs = _run_in_processes(reopen, shelf.keep_after if shelf else KEEP_AFTER, todo, jobs, progress)
    done: list[Precomputed] = []
    for name, text, seconds, error in runs:
        kept = error is None and shelf is not None and shelf.holds(engine.gate.check(text, name).text)
        done.append(Precomputed(name, seconds, kept, error))
    return done


def default_runs(queries: list[SavedQuery]) -> list[tuple[str, str]]:
    """The name and text, its defaults bound, of each saved query that runs with its
    defaults (a query with a required parameter has no default run)."""
    from belkg.querying import prepare

    return [
        (query.name, prepare(query, {}))
        for query in queries
        if not any(param.required and not param.default for param in query.params)
    ]


_Run = tuple[str, str, float, "str | None"]  # name, text, seconds, error


def _run(engine: Engine, name: str, text: str, progress: Callable[[str], None] | None = None) -> _Run:
    if progress is not None:
        progress(f"precomputing {name}")
    began = time.perf_counter()
    try:
        engine.run(text, name)
    except BelkgError as error:
        return name, text, time.perf_counter() - began, str(error)
    return name, text, time.perf_counter() - began, None


def _run_in_processes(
    reopen: Callable[[], Engine],
    keep_after: float,
    todo: list[tuple[str, str]],
    jobs: int,
    progress: Callable[[str], None] | None,
) -> list[_Run]:
    """The runs of `todo` in `jobs` new processes (spawned: a fork would share the open
    store's handles and threads), in the order of `todo`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    runs = []
    try:
        with ProcessPoolExecutor(min(jobs, len(todo)), context, _open_worker_engine, (reopen, keep_after)) as pool:
            futures = [pool.submit(_run_in_worker, name, text) for name, text in todo]
            for future in futures:
                runs.append(future.result())
                name, _, seconds, _ = runs[-1]
                if progress is not None:
                    progress(f"precomputed {name} in {seconds:.2f} s")
    except BrokenProcessPool:
        raise BelkgError("a process precomputing the saved queries stopped; try --jobs 1") from None
    return runs


_WORKER_ENGINE: list[Engine] = []  # the engine of this worker process, once opened


def _open_worker_engine(reopen: Callable[[], Engine], keep_after: float) -> None:
    engine = reopen()
    shelf = getattr(engine, "shelf", None)
    if shelf is not None:
        shelf.keep_after = keep_after
    _WORKER_ENGINE.append(engine)


def _run_in_worker(name: str, text: str) -> _Run:
    return _run(_WORKER_ENGINE[0], name, text)
