"""Numbers about the built graph: triples per graph, things per class, claims per source,
kind and hedge, corroboration and conflicts."""

from __future__ import annotations

from typing import Any

from belkg.conflicts import Conflict, count_by_kind
from belkg.engines import Engine
from belkg.prefixes import ENTITIES_GRAPH, PREFIXES, shorten

_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())

QUERIES = {
    "triples per graph": """
        SELECT ?graph (COUNT(*) AS ?count) WHERE { GRAPH ?graph { ?s ?p ?o } }
        GROUP BY ?graph ORDER BY ?graph""",
    "things per class": f"""
        SELECT ?class (COUNT(DISTINCT ?thing) AS ?count)
        WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?thing a ?class }} }}
        GROUP BY ?class ORDER BY DESC(?count) ?class""",
    "claims per source": """
        SELECT ?source (COUNT(DISTINCT ?claim) AS ?count)
        WHERE { GRAPH ?source { ?claim prov:wasDerivedFrom ?evidence ; a ?kind } ?kind rdfs:subClassOf* bk:Claim }
        GROUP BY ?source ORDER BY ?source""",
    "claims per kind": """
        SELECT ?kind (COUNT(DISTINCT ?claim) AS ?count)
        WHERE { GRAPH ?source { ?claim prov:wasDerivedFrom ?evidence ; a ?kind } ?kind rdfs:subClassOf* bk:Claim }
        GROUP BY ?kind ORDER BY DESC(?count) ?kind""",
    "claims per hedge": """
        SELECT ?hedge (COUNT(DISTINCT ?claim) AS ?count)
        WHERE { ?claim prov:wasDerivedFrom ?evidence ; a ?kind . ?kind rdfs:subClassOf* bk:Claim .
                OPTIONAL { ?claim bk:hedge ?h } BIND (COALESCE(?h, "none") AS ?hedge) }
        GROUP BY ?hedge ORDER BY DESC(?count) ?hedge""",
    "events per number of reporting sources": """
        SELECT ?sources (COUNT(?event) AS ?count) WHERE {
          { SELECT ?event (COUNT(DISTINCT ?source) AS ?sources) WHERE {
              ?event a ?class . ?class rdfs:subClassOf* bk:Event .
              GRAPH ?source { ?claim prov:wasDerivedFrom ?evidence ; ?property ?event } }
            GROUP BY ?event } }
        GROUP BY ?sources ORDER BY DESC(?sources)""",
}


CONFLICTS = "conflicts (pairs of claims that disagree, by kind)"

# Each section's columns, as the text report labels them: (what is counted, what by).
COLUMNS = {
    "triples per graph": ("triples", "graph"),
    "things per class": ("things", "class"),
    "claims per source": ("claims", "source"),
    "claims per kind": ("claims", "kind"),
    "claims per hedge": ("claims", "hedge"),
    "events per number of reporting sources": ("events", "sources"),
    CONFLICTS: ("pairs", "kind"),
}


def _value(term: Any) -> Any:
    if term is None:
        return None
    if term.is_iri:
        return shorten(term.value)
    if term.datatype and term.datatype.endswith("#integer"):
        return int(term.value)
    return term.value


def collect(engine: Engine, conflicts: list[Conflict] | None = None) -> dict[str, list[tuple[Any, int]]]:
    """Each statistic as (key, count) pairs; the conflicts (by kind) as the saved query
    conflicts lists them, when given."""
    report = {}
    for title, text in QUERIES.items():
        result = engine.run(_PROLOGUE + text)
        key, count = result.variables
        report[title] = [(_value(row.get(key)), int(row[count].value)) for row in result.rows if count in row]
    if conflicts is not None:
        report[CONFLICTS] = count_by_kind(conflicts)
    return report


def format_text(report: dict[str, list[tuple[Any, int]]]) -> str:
    """The report for reading: each section a title and a two-column table with a
    header line (the count, right-aligned, and what it counts by)."""
    lines = []
    for title, pairs in report.items():
        counted, by = COLUMNS.get(title, ("count", "value"))
        width = max([7, len(counted)] + [len(str(count)) for _, count in pairs])
        lines.append(f"{title}:")
        lines.append(f"  {counted:>{width}}  {by}")
        lines.append(f"  {'-' * width}  {'-' * max(len(by), max((len(str(key)) for key, _ in pairs), default=0))}")
        lines += [f"  {count:>{width}}  {key}" for key, count in pairs]
    return "\n".join(lines) + "\n"
