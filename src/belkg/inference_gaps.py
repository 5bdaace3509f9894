"""What `--no-inference` leaves out of a query's answers.

Without inference a query reads the hand-written graphs only: the register, the
documents, the ontology (and the user's --data). The derived graphs (the simple edges,
the OWL 2 RL closure) are left out, so a query that asks for an inferred type
(`?doc a bk:SourceDocument`, where documents are typed bk:NewsReport) or a derived
property (`bk:negotiatedBy`) finds less, or nothing. The saved queries are written for
the whole graph; rather than answer less in silence, belkg names the types and
properties of the query that the derived graphs add statements of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from belkg.engines import Engine
from belkg.predeclared import PREDECLARED, code_only
from belkg.prefixes import DERIVED_GRAPHS, shorten
from belkg.sparql_text import LEXEMES

_OWN_PREFIX = re.compile(r"\bPREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:([\w\-]+(?:\.[\w\-]+)*)")


@dataclass(frozen=True)
class InferenceGap:
    """The types and properties a query uses that the derived graphs add statements of."""

    types: tuple[str, ...]
    properties: tuple[str, ...]

    def note(self) -> str | None:
        """One line for the user, or None if the query needs nothing derived."""
        if not self.types and not self.properties:
            return None
        parts = []
        if self.types:
            parts.append(f"they add things of the type {_either(self.types)}")
        if self.properties:
            parts.append(f"they add statements of {_either(self.properties)}")
        return "note: --no-inference leaves out inferred and derived statements, so answers may be missing: " + (
            "; ".join(parts)
        )


def _either(iris: tuple[str, ...]) -> str:
    shown = [shorten(iri) for iri in iris]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def query_iris(text: str, *, types: bool = False) -> list[str]:
    """Every IRI a query names, written out or prefixed (its own prefixes, then the
    predeclared ones), in order of first use; with `types`, only those after `a` or
    rdf:type."""
    prefixes = dict(PREDECLARED)
    prefixes.update(_OWN_PREFIX.findall(text))
    declared = {iri for _, iri in _OWN_PREFIX.findall(text)}
    iris = code_only(text)
    found: dict[str, None] = {}
    for match in LEXEMES.finditer(text):  # written-out IRIs: code_only blanks them
        token = match.group(0)
        if token.startswith("<") and (not types or _after_type(iris, match.start())):
            found.setdefault(token[1:-1], None)
    for match in _PNAME.finditer(iris):
        prefix = match.group(1) or ""
        if prefix in prefixes and prefix != "_" and (not types or _after_type(iris, match.start())):
            found.setdefault(prefixes[prefix] + match.group(2), None)
    return [iri for iri in found if iri not in declared]


_TYPE_BEFORE = re.compile(r"(?:(?<![\w?$:])a|rdf:type|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)\s+$")


def _after_type(code: str, offset: int) -> bool:
    """Whether the term at offset follows `a` or rdf:type (the object of a type)."""
    return bool(_TYPE_BEFORE.search(code[max(0, offset - 60) : offset]))


def _derived_more(engine: Engine, iris: list[str], pattern: str) -> tuple[str, ...]:
    """The IRIs for which the derived graphs hold a statement of the pattern that the
    hand-written graphs do not: without inference, answers that use them shrink."""
    values = " ".join(f"<{iri}>" for iri in iris)
    derived = ", ".join(f"<{graph}>" for graph in DERIVED_GRAPHS)
    text = (
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ {pattern} }} FILTER (?g IN ({derived})) "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ {pattern} }} FILTER (!(?h IN ({derived}))) }} }}"
    )
    return tuple(sorted(row["x"].value for row in engine.run(text).rows))


def inference_gap(engine: Engine, text: str) -> InferenceGap:
    """The types and properties of a query that the derived graphs add to, found on
    an engine over the whole build (with inference)."""
    iris = [iri for iri in query_iris(text) if iri.startswith(("http://", "https://"))]
    types = [iri for iri in query_iris(text, types=True) if iri in iris]
    properties = _derived_more(engine, iris, "?s ?x ?o") if iris else ()
    return InferenceGap(_derived_more(engine, types, "?s a ?x") if types else (), properties)
