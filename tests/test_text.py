"""Sentence splitting and quote location: the two text primitives grounding rests on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from belkg.build.quotes import locate_quote
from belkg.sentences import split_sentences


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    text = "Dozens urged U.S. President Donald Trump. The appeal came days after.\n\nShare\n"
    assert [s.text for s in split_sentences(text)] == [
        "Dozens urged U.S. President Donald Trump.",
        "The appeal came days after.",
        "Share",
    ]


def test_sentences_split_after_closing_quotes():
    text = "“We call on them. No one should lose,” the group added. It was published."
    assert [s.text for s in split_sentences(text)] == [
        "“We call on them.",
        "No one should lose,” the group added.",
        "It was published.",
    ]


def test_sentence_offsets_and_lines():
    text = "Title\n\nFirst one. Second one.\n"
    sentences = split_sentences(text)
    assert [(s.line, s.text) for s in sentences] == [(1, "Title"), (3, "First one."), (3, "Second one.")]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_sentence_offsets_always_point_at_their_text(text):
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text


def test_quote_found_once():
    assert locate_quote("a b c", "b").span == (2, 3)


def test_quote_missing():
    location = locate_quote("Alice was freed", "Alice was released")
    assert location.span is None
    assert location.problem == "the quote is not in the seed"


def test_quote_ambiguous_needs_occurrence():
    location = locate_quote("x said. x said.", "x said")
    assert location.span is None
    assert location.problem == "the quote occurs 2 times in the seed"
    assert location.hint == "lengthen the quote, or add bk:occurrence 1..2 to the evidence"


@pytest.mark.parametrize(("occurrence", "span"), [(1, (0, 6)), (2, (8, 14))])
def test_quote_occurrence_picks_one(occurrence, span):
    assert locate_quote("x said. x said.", "x said", occurrence).span == span


def test_quote_occurrence_out_of_range():
    location = locate_quote("x said. x said.", "x said", 3)
    assert location.problem == "occurrence 3 asked for, but the quote occurs 2 time(s)"


def test_quote_empty():
    assert locate_quote("abc", "  ").problem == "the quote is empty"


def test_quote_is_exact_about_typography():
    assert locate_quote("Lukashenko’s regime", "Lukashenko's regime").span is None
