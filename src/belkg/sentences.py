"""Split a seed's text into the sentences that coverage reports on."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket)
# followed by white space and something that can start a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=\S)")
_SENTENCE_START = set('"“‘([*0123456789')
# Abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = ("U.S.", "Mr.", "Mrs.", "Dr.", "St.", "e.g.", "i.e.")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a seed: its position (character offsets, end exclusive) and text."""

    number: int
    start: int
    end: int
    text: str
    line: int


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences: every non-blank line, then at sentence ends within it."""
    sentences: list[Sentence] = []
    offset = 0
    # Lines end at \n only (str.splitlines() would also break at U+2028 and friends).
    for line_number, line in enumerate(text.split("\n"), start=1):
        body = line.rstrip("\r\n")
        cut = 0
        pieces: list[tuple[int, int]] = []
        for match in _SENTENCE_END.finditer(body):
            following = body[match.end()]
            if not (following.isupper() or following in _SENTENCE_START):
                continue
            candidate = body[cut : match.start()].rstrip('"”’)')
            if candidate.endswith(_ABBREVIATIONS):
                continue
            pieces.append((cut, match.end()))
            cut = match.end()
        pieces.append((cut, len(body)))
        for start, end in pieces:
            chunk = body[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            absolute = offset + start + lead
            sentences.append(
                Sentence(
                    number=len(sentences) + 1,
                    start=absolute,
                    end=absolute + len(stripped),
                    text=stripped,
                    line=line_number,
                )
            )
        offset += len(line) + 1
    return sentences
