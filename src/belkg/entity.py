"""Everything about one thing, found by any spelling the sources use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from belkg.catalogue import find_saved_query
from belkg.conflicts import Conflict
from belkg.engines import Engine, QueryResult
from belkg.errors import BelkgError, check_utf8
from belkg.prefixes import ENTITIES_GRAPH, expand, shorten
from belkg.project import Project
from belkg.querying import run
from belkg.results import cell
from belkg.terms import Term, is_valid_iri

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


def _by_iri(engine: Engine, iri: str) -> list[Match]:
    """The thing an IRI names, if the graph has a label for it."""
    text = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT ?label ?typeLabel WHERE {{ <{iri}> skos:prefLabel ?label . "
        f"OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ <{iri}> a ?type }} ?type rdfs:label ?typeLabel }} }} LIMIT 1"
    )
    return [
        Match(iri, row["label"].value, row["typeLabel"].value if "typeLabel" in row else "")
        for row in engine.run(text).rows
    ]


def resolve(engine: Engine, project: Project, spelling: str, header_cache: Path | None = None) -> Match:
    """The one thing a spelling (or an IRI, or bkd:slug) names; none or several is an
    error listing them."""
    iri = expand(check_utf8(spelling, "entity").strip())
    if is_valid_iri(iri) and iri.startswith(("http://", "https://")):
        matches = _by_iri(engine, iri)
    else:
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


def _text(row: dict[str, Term], name: str, labels: dict[str, str]) -> str:
    """A column's value as text: its label column if the query gives one, else the term."""
    label = row.get(f"{name}Label")
    if label is not None:
        return label.value
    return cell(row.get(name), labels)


def claims_of(result: QueryResult) -> set[str]:
    return {row["claim"].value for row in result.rows if "claim" in row}


def render_card(match: Match, result: QueryResult, labels: dict[str, str], conflicts: Sequence[Conflict] = ()) -> str:
    """The card as text: one section per kind of fact; each fact once, with its qualifiers
    (hedge, modality, condition, attribution), its source and the source's words (each
    quote once, its document named where it changes); then where the sources disagree
    about it."""
    lines = [f"{match.label}  ({match.kind or 'thing'}, {match.iri})"]
    section = None
    previous = None
    quoted: set[str] = set()
    cited = ""
    for row in result.rows:
        name = row["section"].value if "section" in row else ""
        if name != section:
            section = name
            lines += ["", f"{name}:"]
        how = _text(row, "context", labels) or cell(row.get("property"), labels)
        fact = f"{how}: {_text(row, 'value', labels)}" if how else _text(row, "value", labels)
        if "qualifier" in row:
            fact += f"  ({row['qualifier'].value})"
        source = f"  [{cell(row['source'], labels)}]" if "source" in row else ""
        quote = f"      “{' '.join(row['quote'].value.split())}”" if "quote" in row else ""
        if (section, fact) == previous:
            # the same fact, cited again (another quote, or another document's words; two
            # claims of one document, such as a sentence and the participation as convict
            # in its sentencing, often quote the same words: shown once)
            if quote and quote not in quoted:
                lines.append(quote + (source if source != cited else ""))
                quoted.add(quote)
                cited = source
            continue
        previous = (section, fact)
        lines.append(f"  - {fact}{source}")
        quoted, cited = {quote}, source
        if quote:
            lines.append(quote)
    if conflicts:
        lines += ["", "the sources disagree:"]
    for conflict in conflicts:
        lines.append(
            f"  - {conflict.kind}: {conflict.value_a} [{shorten(conflict.source_a)}]"
            f" against {conflict.value_b} [{shorten(conflict.source_b)}]"
        )
        for quote in (conflict.quote_a, conflict.quote_b):
            if quote:
                lines.append(f"      “{' '.join(quote.split())}”")
    return "\n".join(lines) + "\n"
