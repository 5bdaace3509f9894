"""The one error type the library raises for problems a user can fix."""

from __future__ import annotations

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2


class BelkgError(Exception):
    """An error whose message is fit to show the user as one line.

    `location` is "FILE" or "FILE:LINE" or "FILE:LINE:COL" when the problem has a place;
    `detail`, lines to show below it (the line of a query with a caret under the place).
    """

    exit_code = EXIT_INPUT_ERROR

    def __init__(self, message: str, location: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.detail = detail

    def __str__(self) -> str:
        if self.location:
            return f"{self.location}: {self.message}"
        return self.message


def check_utf8(text: str, where: str | None = None) -> str:
    """The text, if it is UTF-8: a command-line argument with bytes that are not arrives
    with those bytes as lone surrogates, which no engine or file accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        offset = len(text[: error.start].encode("utf-8", "surrogateescape"))
        raise BelkgError(f"not UTF-8 text (byte {offset})", where) from None
    return text


def printable(text: str) -> str:
    """A message as one printable line: any such surrogate shown as U+FFFD, line breaks
    (from a library's or a server's words) as spaces."""
    import re

    return re.sub(r"\s*[\r\n]+\s*", " ", text.strip()).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def printable_lines(text: str) -> str:
    """Lines to show as they are (indentation kept), any surrogate shown as U+FFFD."""
    lines = text.splitlines()
    return "\n".join(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for line in lines)
