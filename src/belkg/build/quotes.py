"""Find an evidence quote in its seed's text: exactly once, or at a stated occurrence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote was found, or why it was not: exactly one of span and problem is set."""

    span: tuple[int, int] | None
    problem: str | None = None
    hint: str | None = None


def occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of exact in text."""
    starts: list[int] = []
    position = text.find(exact)
    while position != -1:
        starts.append(position)
        position = text.find(exact, position + 1)
    return starts


def locate_quote(text: str, exact: str, occurrence: int | None = None) -> QuoteLocation:
    """Locate exact in text; a quote found several times needs its occurrence (1-based)."""
    if not exact.strip():
        return QuoteLocation(None, "the quote is empty", "quote the words of the seed that support the claim")
    starts = occurrences(text, exact)
    if not starts:
        return QuoteLocation(
            None,
            "the quote is not in the seed",
            "copy the words from the seed exactly (quotes, apostrophes, dashes and line breaks included)",
        )
    if occurrence is None:
        if len(starts) > 1:
            return QuoteLocation(
                None,
                f"the quote occurs {len(starts)} times in the seed",
                f"lengthen the quote, or add bk:occurrence 1..{len(starts)} to the evidence",
            )
        start = starts[0]
    else:
        if not 1 <= occurrence <= len(starts):
            return QuoteLocation(
                None,
                f"occurrence {occurrence} asked for, but the quote occurs {len(starts)} time(s)",
                f"use an occurrence from 1 to {len(starts)}",
            )
        start = starts[occurrence - 1]
    return QuoteLocation((start, start + len(exact)))
