"""SPARQL syntax errors as a person reads them: where (line:column of the query as
written), what in words, and the line with a caret under the place.

The parsers' own accounts are lists of the grammar's alternatives ("expected one of
LATERAL, SERVICE, [_]") or of Unicode ranges; the common mistakes are found here
instead, on the text: a prefix no one declared, brackets that do not balance, a triple
pattern that stops before its object. For the rest the place is the parser's, and the
words say only that the query cannot be read from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from belkg.errors import BelkgError
from belkg.predeclared import BEYOND_LATIN1, PrefixedText, code_only, undeclared_prefix

_PAIRS = {")": "(", "}": "{", "]": "["}
_CLOSER = {opener: closer for closer, opener in _PAIRS.items()}
CHECKER_CANNOT_READ = "belkg cannot check this query, as its checker does not read it"
_POSITION = re.compile(r"^error at (\d+):(\d+): ")

# Terms and punctuation of a triple pattern, for reading one where the parser stopped.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|\^\^|@[A-Za-z]+(?:-[A-Za-z0-9]+)*"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    rf"|[?$](?:[\w\u00B7]|{BEYOND_LATIN1})+"
    rf"|(?:[\w\-.:%]|{BEYOND_LATIN1})*(?:[\w\-:%]|{BEYOND_LATIN1})|[+-]?\d*\.?\d+(?:[eE][+-]?\d+)?"
    r"|[{}()\[\].;,]|\S"
)


@dataclass(frozen=True)
class Place:
    """A 1-based line and column of the query as written, and its offset."""

    line: int
    column: int


def place_of(text: str, offset: int) -> Place:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return Place(line, offset - start + 1)


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column (clamped to the text)."""
    lines = text.split("\n")
    line = max(1, min(line, len(lines)))
    return min(sum(len(previous) + 1 for previous in lines[: line - 1]) + column - 1, len(text))


def caret(text: str, place: Place) -> str:
    """The line of the place and a caret under its column (tabs shown as spaces)."""
    line = text.split("\n")[place.line - 1].rstrip("\r") if text else ""
    shown = line.replace("\t", " ")
    return f"  {shown}\n  {' ' * (place.column - 1)}^"


def syntax_error(text: str, where: str | None, message: str, offset: int) -> BelkgError:
    """An error at an offset of the query as written: `WHERE:LINE:COL: message`, and
    the line with a caret as its detail."""
    place = place_of(text, offset)
    return BelkgError(message, f"{where or 'query'}:{place.line}:{place.column}", detail=caret(text, place))


def unbalanced(text: str) -> tuple[str, int] | None:
    """The first bracket ({, (, [) that closes nothing, closes the wrong one, or is never
    closed, said in words, with its offset."""
    blanked = code_only(text)
    stack: list[tuple[str, int]] = []
    for match in re.finditer(r"[{}()\[\]]", blanked):
        token, offset = match.group(0), match.start()
        if token in _CLOSER:
            stack.append((token, offset))
        elif not stack:
            return f"'{token}' closes nothing: no '{_PAIRS[token]}' is open here", offset
        elif stack[-1][0] != _PAIRS[token]:
            opener, at = stack[-1]
            place = place_of(text, at)
            return (
                f"'{token}' where '{_CLOSER[opener]}' was expected: the '{opener}' at "
                f"{place.line}:{place.column} is not closed",
                offset,
            )
        else:
            stack.pop()
    if stack:
        opener, at = stack[-1]
        return f"'{opener}' is never closed: add '{_CLOSER[opener]}'", at
    return None


_SEPARATORS = {".", "}", ";", ","}
_TERM_START = re.compile(r"[?$<\"'\w:]|[+-]?\d")


def _triple_start(text: str, offset: int) -> int:
    """The start of the triple pattern that offset is in: just after the last '{' or
    '.' (not a decimal point) before it."""
    blanked = code_only(text[:offset])
    ends = [match.end() for match in re.finditer(r"\{|\.(?!\d)", blanked)]
    return ends[-1] if ends else offset


def short_triple(text: str, offset: int) -> tuple[str, int] | None:
    """A triple pattern around offset that ends before its object (or its predicate),
    or runs on to a fourth term, said in words, with the offset of the mistake."""
    terms = 0
    offset = _triple_start(text, offset)
    for match in _TOKEN.finditer(text, offset):
        token = match.group(0)
        if token.startswith("#"):
            continue
        if token == "^^" or (token.startswith("@") and terms):
            continue  # a literal's datatype or language tag belongs to it
        if token in _SEPARATORS or token in ("]", ")"):
            if terms == 1:
                return "this triple pattern has a subject but no predicate or object", match.start()
            if terms == 2:
                return "this triple pattern has no object: a triple needs a subject, a predicate and an object", (
                    match.start()
                )
            if token == ";":
                terms = 1
                continue
            if token == ",":
                terms = 2
                continue
            return None
        if token in ("{", "(", "[") or not _TERM_START.match(token) or token.upper() in _KEYWORDS:
            return None
        terms += 1
        if terms == 4:
            return "a fourth term in a triple pattern: end the triple with '.' first", match.start()
    return None


_KEYWORDS = {
    "FILTER", "OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "SELECT", "WHERE",
    "CONSTRUCT", "ASK", "DESCRIBE", "PREFIX", "BASE", "LIMIT", "OFFSET", "ORDER", "GROUP", "HAVING", "FROM",
}  # fmt: skip


def _rdflib_offset(text: str) -> int | None:
    """Where rdflib's parser stops reading the text, or None if it reads it all."""
    from pyparsing import ParseException

    from belkg.safety import parse_canonical

    try:
        parse_canonical(text)
    except ParseException as error:
        return int(error.loc)
    except RecursionError:
        return None
    return None


def _oxigraph_words(message: str) -> tuple[tuple[int, int] | None, str | None]:
    """The position Oxigraph gives, and any sentence in its list of alternatives (its
    semantic checks, "The SELECT contains a variable that is unbound")."""
    found = _POSITION.match(message)
    position = (int(found.group(1)), int(found.group(2))) if found else None
    rest = message[found.end() :] if found else message
    rest = rest.removeprefix("expected one of ").removeprefix("expected ")
    sentences = [item for item in rest.split(", ") if len(item.split()) >= 3 and item[:1].isupper()]
    return position, (sentences[0] if sentences else None)


def explain(written: str, prefixed: PrefixedText, where: str | None, parser_message: str) -> BelkgError:
    """The error to show for a query the parsers refuse: `written` is the query as the
    user wrote it (its escapes written out), `prefixed` what the engines were given."""
    if not code_only(written).strip():
        return BelkgError("invalid SPARQL: the query is empty", where)
    if parser_message.startswith(CHECKER_CANNOT_READ):  # Oxigraph reads it: no mistake to name
        return BelkgError(f"invalid SPARQL: {parser_message}", where)
    unknown = undeclared_prefix(written)
    if unknown is not None:
        prefix, offset = unknown
        return syntax_error(
            written, where, f"unknown prefix '{prefix}:'; declare it with PREFIX or see `belkg prefixes`", offset
        )
    brackets = unbalanced(written)
    if brackets is not None:
        return syntax_error(written, where, *brackets)
    stop = _rdflib_offset(prefixed.text)
    if stop is not None:
        stop = max(0, stop - prefixed.added)
        triple = short_triple(written, stop)
        if triple is not None:
            return syntax_error(written, where, *triple)
    position, sentence = _oxigraph_words(parser_message)
    if sentence is not None:
        return BelkgError(f"invalid SPARQL: {sentence[0].lower()}{sentence[1:]}", where)
    if stop is None and position is not None:
        line, column = position
        stop = offset_of(prefixed.text, line, column) - prefixed.added
    if stop is None:
        return BelkgError(f"invalid SPARQL: {parser_message}", where)
    stop = max(0, min(stop, len(written)))
    near = re.match(r"\s*(\S{1,20})", written[stop:])
    if near is None:
        return syntax_error(written, where, "invalid SPARQL: the query ends too soon", len(written.rstrip()))
    stop += near.start(1)
    return syntax_error(written, where, f"invalid SPARQL: cannot read the query from '{near.group(1)}' on", stop)
