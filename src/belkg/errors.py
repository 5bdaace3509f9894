"""The one error type the library raises for problems a user can fix."""

from __future__ import annotations

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2


class BelkgError(Exception):
    """An error whose message is fit to show the user as one line.

    `location` is "FILE" or "FILE:LINE" or "FILE:LINE:COL" when the problem has a place.
    """

    exit_code = EXIT_INPUT_ERROR

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location:
            return f"{self.location}: {self.message}"
        return self.message
