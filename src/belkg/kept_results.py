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
from collections.abc import Callable
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
        from belkg.digests import sha256_hex

        parts = (_FORMAT, __version__, self.build, "inferred" if self.inference else "asserted", text)
        return self.folder / f"result-{sha256_hex(chr(0).join(parts).encode())[:40]}.json"

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
    engine: Engine, queries: list[SavedQuery], progress: Callable[[str], None] | None = None
) -> list[Precomputed]:
    """Run each saved query with its defaults on an engine that keeps results, so that
    later runs of the same texts read them: what `belkg build --precompute` does. A query
    with a required parameter has no default run, and is left out; a query that fails is
    reported, not raised (the build stands)."""
    from belkg.querying import prepare

    shelf = getattr(engine, "shelf", None)
    done: list[Precomputed] = []
    for query in queries:
        if any(param.required and not param.default for param in query.params):
            continue
        if progress is not None:
            progress(f"precomputing {query.name}")
        text = prepare(query, {})
        began = time.perf_counter()
        try:
            engine.run(text, query.name)
        except BelkgError as error:
            done.append(Precomputed(query.name, time.perf_counter() - began, False, str(error)))
            continue
        seconds = time.perf_counter() - began
        kept = shelf is not None and shelf.holds(engine.gate.check(text, query.name).text)
        done.append(Precomputed(query.name, seconds, kept))
    return done
