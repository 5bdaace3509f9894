"""Everything about one thing, found by any spelling the sources use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from belkg.catalogue import find_saved_query
from belkg.engines import Engine, QueryResult
from belkg.errors import BelkgError
from belkg.project import Project
from belkg.querying import run
from belkg.results import cell

FIND_QUERY = "find-by-spelling"
CARD_QUERY = "entity-card"


@dataclass(frozen=True)
class Match:
    iri: str
    label: str
    kind: str


def find(engine: Engine, project: Project, spelling: str, header_cache: Path | None = None) -> list[Match]:
    """The things whose labels match the spelling (by the saved query find-by-spelling)."""
    query = find_saved_query(project.queries_dir, FIND_QUERY, cache_dir=header_cache)
    matches: dict[str, Match] = {}
    for row in run(engine, query, {"spelling": spelling}).rows:
        iri = row["thing"].value
        kind = row["typeLabel"].value if "typeLabel" in row else ""
        matches.setdefault(iri, Match(iri, row["prefLabel"].value, kind))
    return list(matches.values())


def resolve(engine: Engine, project: Project, spelling: str, header_cache: Path | None = None) -> Match:
    """The one thing a spelling names; none or several is an error listing them."""
    matches = find(engine, project, spelling, header_cache)
    if not matches:
        raise BelkgError(f"nothing in the graph is called {spelling!r}; try part of a name, or another spelling")
    if len(matches) > 1:
        listed = "; ".join(f"{m.label} ({m.kind or 'thing'}, {m.iri})" for m in matches)
        raise BelkgError(f"{len(matches)} things match {spelling!r}: {listed}. Use a fuller spelling or the IRI")
    return matches[0]


def card(engine: Engine, project: Project, iri: str, header_cache: Path | None = None) -> QueryResult:
    query = find_saved_query(project.queries_dir, CARD_QUERY, cache_dir=header_cache)
    return run(engine, query, {"thing": iri})


def render_card(match: Match, result: QueryResult, labels: dict[str, str]) -> str:
    """The card as text: one section per kind of fact, each fact with its source and quote."""
    lines = [f"{match.label}  ({match.kind or 'thing'}, {match.iri})"]
    section = None
    for row in result.rows:
        name = row["section"].value if "section" in row else ""
        if name != section:
            section = name
            lines += ["", f"{name}:"]
        fact = " ".join(
            part
            for part in (
                cell(row.get("property"), labels),
                cell(row.get("value"), labels) if "valueLabel" not in row else row["valueLabel"].value,
            )
            if part
        )
        source = f"  [{cell(row.get('source'), labels)}]" if "source" in row else ""
        lines.append(f"  - {fact}{source}")
        if "quote" in row:
            lines.append(f"      “{' '.join(row['quote'].value.split())}”")
    return "\n".join(lines) + "\n"
