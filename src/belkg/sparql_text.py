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
