"""A seed's text cut into pieces for its document page: each piece cited by a set of
claims (a passage), or in a sentence no claim cites (uncited, or skipped on purpose)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from belkg.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class Citation:
    """A claim's quote at its offsets in the seed (end exclusive)."""

    claim: str
    start: int
    end: int


@dataclass
class Passage:
    """The characters one set of claims cites; numbered in reading order."""

    number: int
    claims: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True)
class Piece:
    text: str
    status: str  # "cited", "uncited", "skipped" or "plain" (between sentences)
    passage: int | None = None
    reason: str = ""


@dataclass
class MarkedText:
    pieces: list[Piece] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)


def mark(text: str, citations: Iterable[Citation], skipped: dict[str, str]) -> MarkedText:
    """The text in pieces: cut at every sentence edge and quote edge; a piece inside a
    quote belongs to the passage of the claims citing it; a piece outside every quote
    is uncited, or skipped (with the reason) where its sentence is on the skip list."""
    cited = [c for c in citations if 0 <= c.start < c.end <= len(text)]
    sentences = split_sentences(text)
    cuts = {0, len(text)}
    for citation in cited:
        cuts.update((citation.start, citation.end))
    for sentence in sentences:
        cuts.update((sentence.start, sentence.end))
    edges = sorted(cuts)
    sentence_at = _sentence_index(sentences, len(text))
    result = MarkedText()
    numbers: dict[tuple[str, ...], int] = {}
    for start, end in pairwise(edges):
        piece = text[start:end]
        claims = tuple(sorted({c.claim for c in cited if c.start < end and c.end > start}))
        if claims:
            if claims not in numbers:
                numbers[claims] = len(numbers) + 1
                result.passages.append(Passage(numbers[claims], claims))
            passage = result.passages[numbers[claims] - 1]
            passage.text += piece
            result.pieces.append(Piece(piece, "cited", numbers[claims]))
            continue
        index = sentence_at[start]
        if index is None or not piece.strip():
            result.pieces.append(Piece(piece, "plain"))
            continue
        sentence = sentences[index]
        reason = skipped.get(sentence.text)
        sentence_cited = any(c.start < sentence.end and c.end > sentence.start for c in cited)
        if reason is not None and not sentence_cited:
            result.pieces.append(Piece(piece, "skipped", reason=reason))
        elif sentence_cited:
            result.pieces.append(Piece(piece, "plain"))
        else:
            result.pieces.append(Piece(piece, "uncited"))
    return result


def _sentence_index(sentences: Sequence[Sentence], length: int) -> list[int | None]:
    at: list[int | None] = [None] * (length + 1)
    for index, sentence in enumerate(sentences):
        for offset in range(sentence.start, sentence.end):
            at[offset] = index
    return at
