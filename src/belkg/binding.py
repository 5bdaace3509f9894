"""Bind saved-query parameters as RDF terms.

Values are parsed by the parameter's type into terms and given to the query as a SPARQL
VALUES block placed first in the query's WHERE group, so every engine (and any SPARQL
endpoint) sees the same query and a value can never change its shape: it is written as
one escaped term, not spliced into the text. A subquery or a UNION branch that names a
parameter's variable gets the same VALUES block first in its own group: the parameter
means the same value everywhere in the query, as grlc's substitution does, and the
group starts from it instead of computing its answer for the whole graph.
"""

from __future__ import annotations

import re

from belkg.catalogue import Param, SavedQuery
from belkg.errors import BelkgError, check_utf8
from belkg.prefixes import expand
from belkg.terms import XSD, Term, is_valid_iri


def parse_value(param: Param, raw: str) -> Term:
    """A parameter's value, as typed text from the user, as an RDF term."""
    import datetime
    from decimal import Decimal, InvalidOperation

    kind = param.type
    try:
        if kind == "iri":
            iri = expand(raw.strip())
            if not is_valid_iri(iri):
                raise ValueError
            return Term.iri(iri)
        if kind == "integer":
            return Term.literal(str(int(raw.strip())), XSD + "integer")
        if kind == "decimal":
            return Term.literal(str(Decimal(raw.strip())), XSD + "decimal")
        if kind == "date":
            return Term.literal(datetime.date.fromisoformat(raw.strip()).isoformat(), XSD + "date")
        if kind == "boolean":
            lowered = raw.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError
            return Term.literal(lowered, XSD + "boolean")
    except (ValueError, InvalidOperation):
        expected = {
            "iri": "an IRI (https://... or bkd:slug)",
            "integer": "an integer",
            "decimal": "a decimal number",
            "date": "a date (YYYY-MM-DD)",
            "boolean": "true or false",
        }[kind]
        raise BelkgError(f"parameter {param.name!r} expects {expected}, got {raw!r}") from None
    return Term.literal(raw)


def bind_parameters(query: SavedQuery, given: dict[str, str]) -> dict[str, Term]:
    """The terms for the query's variables: given values, else defaults; unknown or
    missing required parameters are errors."""
    unknown = sorted(set(given) - {param.name for param in query.params})
    if unknown:
        known = ", ".join(param.name for param in query.params) or "none"
        raise BelkgError(f"query {query.name!r} has no parameter {unknown[0]!r} (its parameters: {known})")
    for name, value in given.items():
        check_utf8(value, f"-p {name}")
    bindings = {}
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw is None:
            if param.required:
                raise BelkgError(f"query {query.name!r} needs parameter {param.name!r}: use -p {param.name} VALUE")
            continue
        bindings[param.variable] = parse_value(param, raw)
    return bindings


def _where_brace(text: str) -> int | None:
    """The offset just after the opening brace of the query's top-level WHERE group."""
    from belkg.sparql_text import lexemes, mask

    depth = 0
    after_where = False
    first_top_brace = None
    for match in lexemes(text):
        token = match.group(0)
        if token == "{":
            if depth == 0:
                if after_where:
                    return match.end()
                if first_top_brace is None:
                    first_top_brace = match.end()
            depth += 1
        elif token == "}":
            depth -= 1
        elif token.upper() == "WHERE" and depth == 0:
            after_where = True
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", mask(text), re.IGNORECASE)
    if form and form.group(1).upper() != "CONSTRUCT":
        return first_top_brace
    return None


def _values(bindings: dict[str, Term]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f" VALUES ({names}) {{ ({values}) }}"


def _code_only(text: str) -> str:
    """The text with comments, strings and IRIs blanked, offsets kept: keywords and
    variables are then found by a plain search."""
    from belkg.sparql_text import lexemes

    code = list(text)
    for match in lexemes(text):
        token = match.group(0)
        if token not in ("{", "}") and token.upper() != "WHERE":
            code[match.start() : match.end()] = " " * len(token)
    return "".join(code)


def _inner_groups(text: str, names: list[str]) -> dict[int, list[str]]:
    """For each subquery, and each branch of a UNION, whose group names some of the
    variables: the offset just after the group's opening brace, and those variables.
    (Oxigraph evaluates both on their own, before joining them with what binds them.)"""
    code = _code_only(text)
    closing: dict[int, int] = {}
    opened: list[int] = []
    for index, char in enumerate(code):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            closing[opened.pop()] = index
    groups = set()
    subqueries = set()
    for select in re.finditer(r"\bSELECT\b", code, re.IGNORECASE):
        brace = code.find("{", select.end())
        if brace in closing and any(start < select.start() < end for start, end in closing.items()):
            subqueries.add(brace)
    groups |= subqueries
    for start, end in closing.items():
        before = code[:start].rstrip()
        after = code[end + 1 :].lstrip()
        if re.search(r"\bUNION$", before, re.IGNORECASE) or re.match(r"UNION\b", after, re.IGNORECASE):
            groups.add(start)
    found: dict[int, list[str]] = {}
    for brace in groups:
        # the group's own patterns: a subquery inside it gets its own block (and a join
        # with an ordered subquery could lose the order a GROUP_CONCAT relies on)
        group = code[brace : closing[brace]]
        for inner in subqueries:
            if brace < inner < closing[brace]:
                group = group[: inner - brace] + " " * (closing[inner] - inner) + group[closing[inner] - brace :]
        named = [name for name in names if re.search(rf"[?$]{re.escape(name)}\b", group)]
        if named:
            found[brace + 1] = named
    return found


def apply_bindings(text: str, bindings: dict[str, Term]) -> str:
    """The query text with a VALUES block of the bindings opening its WHERE group, and
    opening the group of every subquery and UNION branch that names one of them."""
    if not bindings:
        return text
    position = _where_brace(text)
    if position is None:
        raise BelkgError("cannot bind parameters: the query has no WHERE group")
    inserts = {position: _values(bindings)}
    for brace, named in _inner_groups(text, list(bindings)).items():
        inserts.setdefault(brace, _values({name: bindings[name] for name in named}))
    for offset in sorted(inserts, reverse=True):
        text = text[:offset] + inserts[offset] + text[offset:]
    return text
