"""Reading SPARQL text without a parser: the strings, IRIs and comments a keyword search
must step over, so that `#` inside an IRI or `WHERE` inside a string is not taken for
code."""

from __future__ import annotations

import re
from collections.abc import Iterator

LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r"|#[^\n]*"  # comments
    r"|\bWHERE\b|[{}]",
    re.IGNORECASE,
)


def lexemes(text: str) -> Iterator[re.Match[str]]:
    """Strings, IRIs, comments, the keyword WHERE and braces, in order."""
    return LEXEMES.finditer(text)


def mask(text: str, *, strings: bool = False) -> str:
    """The text with comments blanked (offsets kept) and, with `strings`, every string
    literal replaced by an empty one; IRIs are kept whole."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return " " * len(token)
        if strings and token[0] in "\"'":
            return '""'
        return token

    return LEXEMES.sub(replace, text)


_BRACKETS = re.compile(LEXEMES.pattern.replace(r"|\bWHERE\b|[{}]", r"|[{}()\[\]]"), re.IGNORECASE)


def nesting_depth(text: str) -> int:
    """How deep groups, brackets and parentheses nest (outside strings, IRIs and comments)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group(0)
        if token in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "})]":
            depth -= 1
    return deepest


# SPARQL's codepoint escapes, read as rdflib's parser reads them: before any other
# parsing, anywhere in the text (SPARQL 1.1 § 19.2).
ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)


def expand_escapes(text: str) -> str:
    """The text with every \\uXXXX and \\UXXXXXXXX written out as its character, in
    one pass. An escape of no character (a surrogate, beyond U+10FFFF) raises ValueError,
    and so does an escaped backslash: it could make a new escape of what follows, which
    engines would read differently."""

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"{match.group(0)} is not the escape of a character")
        if code == 0x5C:
            raise ValueError(f"{match.group(0)} writes a backslash; write \\\\ instead")
        return chr(code)

    return ESCAPE.sub(expand, text)


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    """The query's form, upper case (SELECT, ASK, CONSTRUCT or DESCRIBE): its first form
    keyword outside strings and comments; SELECT if none is found."""
    found = _FORM.search(mask(text, strings=True))
    return found.group(1).upper() if found else "SELECT"
