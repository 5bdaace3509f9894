"""Where the sources disagree, as the saved query `conflicts` finds it: one list that the
query command, stats, entity cards and the timeline all show, so their counts agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from belkg.engines import Engine
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


def count_by_kind(conflicts: list[Conflict]) -> list[tuple[str, int]]:
    counts = Counter(conflict.kind for conflict in conflicts)
    return sorted(counts.items())


def concerning(conflicts: list[Conflict], iri: str, claims: Collection[str] = ()) -> list[Conflict]:
    """The conflicts about a thing: it is their subject, or one of their claims names it."""
    return [c for c in conflicts if c.subject == iri or c.claim_a in claims or c.claim_b in claims]
