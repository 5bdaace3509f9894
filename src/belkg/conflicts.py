"""Where the sources disagree, as the saved query `conflicts` finds it: one list that the
query command, stats, entity cards and the timeline all show, so their counts agree."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import astuple, dataclass
from pathlib import Path

from belkg.build.cache import CacheEntry, key_tag
from belkg.engines import Engine
from belkg.errors import BelkgError
from belkg.project import Project

CONFLICTS_QUERY = "conflicts"
_COLUMNS = (
    *("kind", "subject", "subjectLabel", "sourceA", "valueA", "sourceB", "valueB"),
    *("claimA", "claimB", "quoteA", "quoteB"),
)


@dataclass(frozen=True)
class Conflict:
    """Two claims (or two spellings, or a claim and the reasoner) that disagree."""

    kind: str
    subject: str
    subject_label: str
    source_a: str
    value_a: str
    source_b: str
    value_b: str
    claim_a: str
    claim_b: str
    quote_a: str
    quote_b: str


def find_conflicts(engine: Engine, project: Project, header_cache: Path | None = None) -> list[Conflict]:
    from belkg.catalogue import find_saved_query
    from belkg.querying import run

    query = find_saved_query(project.queries_dir, CONFLICTS_QUERY, cache_dir=header_cache)

    def value(row: Mapping[str, object], name: str) -> str:
        term = row.get(name)
        return str(getattr(term, "value", "")) if term is not None else ""

    names = _COLUMNS
    return [Conflict(*(value(row, name) for name in names)) for row in run(engine, query, {}).rows]


def kept_file(
    engine: Engine, project: Project, entry: CacheEntry, views: Path, header_cache: Path | None = None
) -> Path:
    """Where kept_conflicts keeps the list: the name holds belkg's version, the build, the
    engine, whether it infers and the query's text, so any change finds the list anew."""
    from belkg import __version__
    from belkg.catalogue import find_saved_query

    text = find_saved_query(project.queries_dir, CONFLICTS_QUERY, cache_dir=header_cache).text
    parts = (__version__, entry.folder.name, engine.name, str(getattr(engine, "inference", True)), text)
    digest = hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:32]
    return views / f"{CONFLICTS_QUERY}-{key_tag(entry.folder.name)}-{digest}.json"


def read_kept(kept: Path) -> list[Conflict] | None:
    """The list kept in a file, or None if there is none or it is damaged."""
    try:
        return [Conflict(*row) for row in json.loads(kept.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return None


def keep(kept: Path, conflicts: list[Conflict]) -> None:
    """Keep the list in a file, whole or not at all; if it cannot be written, it is only
    found again next time."""
    from belkg.atomic import write_atomically

    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(kept, json.dumps([astuple(c) for c in conflicts]).encode("utf-8"))
    except (OSError, BelkgError):
        pass


def kept_conflicts(
    engine: Engine, project: Project, entry: CacheEntry, views: Path, header_cache: Path | None = None
) -> list[Conflict]:
    """find_conflicts, kept in `views` between runs (see kept_file), for the commands that
    read the list whole (stats, entity cards, the timeline, the server): on a large graph
    the query takes a minute, the file a moment."""
    kept = kept_file(engine, project, entry, views, header_cache)
    found = read_kept(kept)
    if found is None:
        found = find_conflicts(engine, project, header_cache)
        keep(kept, found)
    return found


def count_by_kind(conflicts: list[Conflict]) -> list[tuple[str, int]]:
    counts = Counter(conflict.kind for conflict in conflicts)
    return sorted(counts.items())


def concerning(conflicts: list[Conflict], iri: str, claims: Collection[str] = ()) -> list[Conflict]:
    """The conflicts about a thing: it is their subject, or one of their claims names it."""
    return [c for c in conflicts if c.subject == iri or c.claim_a in claims or c.claim_b in claims]
