"""Prefixes every query may use without declaring them, as Wikidata's query service
does: the project's (bk:, bkd:) and the common W3C ones.

`with_prefixes` gives a query the PREFIX declarations it uses and does not declare, so
the text every engine (and any SPARQL endpoint) runs is standard SPARQL. They are
written on one line before the query (rdflib misreads a SERVICE group that shares its
line with the prologue), so a place in the text run is one line below its place in the
query as written (`PrefixedText.added` characters further). A query's own PREFIX
declarations win over these.
"""

from __future__ import annotations

import re

from belkg.prefixes import PREFIXES
from belkg.records import NamedTuple
from belkg.sparql_text import LEXEMES

# The project's prefixes first, then the W3C and other common vocabularies.
PREDECLARED: dict[str, str] = {
    **PREFIXES,
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "ldp": "http://www.w3.org/ns/ldp#",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

# A prefixed name's prefix (PN_PREFIX), not inside a variable, a blank node label or
# another name; strings, IRIs and comments are masked before the search.
# U+00C0 to U+FFFF, as a negated class: Python compiles "[\u00C0-\uFFFF]" about thirty
# times as slowly, and every command that reads a query would pay for it at start-up.
BEYOND_LATIN1 = r"[^\x00-\xbf\U00010000-\U0010FFFF]"
_PNAME = re.compile(
    rf"(?<![\w?$:.\-\u00B7]|{BEYOND_LATIN1})((?:[A-Za-z]|{BEYOND_LATIN1})(?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:"
)
_DECLARED = re.compile(r"\bPREFIX\s+([^\s:]*):", re.IGNORECASE)


class PrefixedText(NamedTuple):
    """A query with the declarations it lacked written on a line before it."""

    text: str
    added: int  # characters written before the query's own first character


def used_prefixes(text: str) -> list[tuple[str, int]]:
    """Each prefix the text uses in a prefixed name (outside strings, IRIs and
    comments), with the offset of its first use, in order of first use."""
    seen: dict[str, int] = {}
    for match in _PNAME.finditer(code_only(text)):
        prefix = match.group(1) or ""
        if prefix == "_":
            continue
        seen.setdefault(prefix, match.start())
    return list(seen.items())


def code_only(text: str) -> str:
    """The text with strings, IRIs and comments blanked, offsets kept: their colons are
    no prefixes."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token in "{}" or token.upper() == "WHERE" else " " * len(token)

    return LEXEMES.sub(blank, text)


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query declares itself."""
    return set(_DECLARED.findall(code_only(text)))


def missing_prefixes(text: str) -> list[str]:
    """Predeclared prefixes the text uses without declaring them."""
    declared = declared_prefixes(text)
    return [prefix for prefix, _ in used_prefixes(text) if prefix not in declared and prefix in PREDECLARED]


def with_prefixes(text: str) -> PrefixedText:
    """The text with a PREFIX declaration for each predeclared prefix it uses and does
    not declare, all on one line before it."""
    missing = missing_prefixes(text)
    if not missing:
        return PrefixedText(text, 0)
    prologue = " ".join(f"PREFIX {prefix}: <{PREDECLARED[prefix]}>" for prefix in missing) + "\n"
    return PrefixedText(prologue + text, len(prologue))


def undeclared_prefix(text: str) -> tuple[str, int] | None:
    """The first prefix the text uses that is neither declared nor predeclared, with the
    offset of its use."""
    declared = declared_prefixes(text)
    for prefix, offset in used_prefixes(text):
        if prefix not in declared and prefix not in PREDECLARED:
            return prefix, offset
    return None


LISTING_FORMATS = ("text", "json", "sparql", "ttl")


def listing(fmt: str = "text") -> str:
    """The predeclared prefixes: a table (text), a JSON object, SPARQL PREFIX lines or
    Turtle @prefix lines."""
    if fmt == "json":
        import json

        return json.dumps(PREDECLARED, indent=2) + "\n"
    if fmt == "sparql":
        return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREDECLARED.items())
    if fmt == "ttl":
        return "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREDECLARED.items())
    width = max(len(prefix) for prefix in PREDECLARED) + 1
    return "".join(f"{prefix + ':':<{width}}  {iri}\n" for prefix, iri in PREDECLARED.items())
