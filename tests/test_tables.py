"""Tables for reading: the terminal's width, fair shrinking, Markdown labels once."""

from __future__ import annotations

import io

import pytest

from belkg.engines import QueryResult
from belkg.results import (
    display_width,
    fit_widths,
    needs_labels,
    render,
    size_of,
    table_width,
    to_markdown,
    to_table,
)
from belkg.terms import Term

BK = "https://w3id.org/belkg/id/"


def _iri(slug: str) -> Term:
    return Term("uri", BK + slug)


def _text(value: str) -> Term:
    return Term("literal", value)


def _select(variables: list[str], rows: list[dict[str, Term]]) -> QueryResult:
    return QueryResult(kind="select", variables=variables, rows=rows)


LABELLED = _select(
    ["who", "whoLabel", "said"],
    [{"who": _iri("john-coale"), "whoLabel": _text("John Coale"), "said": _text("a long sentence " * 4)}],
)


def test_fit_widths_leaves_a_table_that_fits():
    assert fit_widths([5, 10, 20], 80) == [5, 10, 20]
    assert fit_widths([5, 10, 20], None) == [5, 10, 20]


def test_fit_widths_shrinks_only_the_wide_columns_and_shares_fairly():
    # 40 columns, 2 gaps of 2: 36 to share; 5 stays, the two wide ones get 16 and 15
    assert fit_widths([5, 50, 60], 40) == [5, 16, 15]
    assert sum(fit_widths([5, 50, 60], 40)) + 4 == 40


def test_fit_widths_keeps_a_minimum_column():
    assert fit_widths([10, 10, 10, 10], 8) == [3, 3, 3, 3]


def test_table_within_a_width_clips_with_an_ellipsis():
    text = to_table(LABELLED, {BK + "john-coale": "John Coale"}, width=30)
    assert text.splitlines() == [
        "who             said",
        "--------------  --------------",
        "John Coale (b…  a long senten…",
        "(1 row)",
    ]
    assert max(len(line) for line in text.splitlines()) <= 30


def test_table_without_a_width_keeps_whole_cells_up_to_70():
    text = to_table(LABELLED, {BK + "john-coale": "John Coale"})
    assert text.splitlines()[2] == "John Coale (bkd:john-coale)  " + ("a long sentence " * 4).strip()


def test_markdown_shows_each_label_once():
    assert to_markdown(LABELLED, {BK + "john-coale": "John Coale"}) == (
        "| who | said |\n|---|---|\n| John Coale (bkd:john-coale) | " + ("a long sentence " * 4).strip() + " |\n"
    )


def test_wide_and_combining_characters_are_measured_as_a_terminal_shows_them():
    assert display_width("Лукашэнка") == 9
    assert display_width("e\u0301") == 1  # e + combining acute
    assert display_width("明斯克") == 6
    wide = _select(["city", "n"], [{"city": _text("明斯克明斯克明斯克"), "n": _text("1")}])
    lines = to_table(wide, {}, width=12).splitlines()
    assert lines[2] == "明斯克明…  1"
    assert [display_width(line) for line in lines[:3]] == [12, 12, 12]


def test_the_narrow_blocks_hold_no_wide_or_combining_character():
    """display_width counts the characters of a text made of these blocks without
    unicodedata: each must be one column wide."""
    import unicodedata

    from belkg.results import _narrow

    narrow = [chr(code) for code in range(0x2100) if _narrow(chr(code))]
    assert len(narrow) == 0x300 + 0x83 + 0x65
    wrong = [c for c in narrow if unicodedata.combining(c) or unicodedata.east_asian_width(c) in "WF"]
    assert wrong == []
    assert display_width("Статкевіч “special operation” – …") == len("Статкевіч “special operation” – …")


def test_table_is_an_alias_of_text():
    assert render(LABELLED, "table", {}, 30) == render(LABELLED, "text", {}, 30)
    assert needs_labels("table") and needs_labels("text") and needs_labels("md")
    assert not needs_labels("csv")


def test_size_of_counts_rows_triples_and_answers():
    assert size_of(LABELLED) == "1 row"
    assert size_of(_select(["x"], [])) == "0 rows"
    assert size_of(QueryResult(kind="ask", boolean=True)) == "answer: yes"
    triple = (_iri("a"), _iri("b"), _iri("c"))
    assert size_of(QueryResult(kind="graph", triples=[triple, triple])) == "2 triples"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no real terminal here")


def test_table_width_from_columns_else_the_terminal_else_none():
    assert table_width({"COLUMNS": "80"}, io.StringIO()) == 80
    assert table_width({"COLUMNS": "0"}, io.StringIO()) is None
    assert table_width({"COLUMNS": "wide"}, io.StringIO()) is None
    assert table_width({}, io.StringIO()) is None  # a file or a pipe: no limit
    assert table_width({}, _Terminal()) is None  # a terminal whose size cannot be read


@pytest.mark.parametrize("columns", ["80", "60"])
def test_query_table_fits_columns(belkg, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = belkg("query", "negotiators")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) == int(columns)
    assert lines[0].split() == ["release", "agent", "role", "source", "quote", "hedge"]
    assert "…" in lines[2]


def test_query_table_to_a_pipe_is_not_cut(belkg, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = belkg("query", "negotiators").stdout.splitlines()
    assert max(len(line) for line in lines) > 200
    assert "Trump administration (bkd:trump-administration)" in "\n".join(lines)


def test_query_markdown_shows_each_label_once(belkg):
    lines = belkg("query", "negotiators", "-p", "release", "bkd:release-of-52", "--format", "md").stdout.splitlines()
    assert lines[0] == "| release | agent | role | source | quote | hedge |"
    assert lines[2].startswith("| release of 52 political prisoners (bkd:release-of-52) | ")
    assert lines[2].split(" | ")[1] == "Donald Trump (bkd:donald-trump)"  # not the label again


def test_entity_table_fits_columns(belkg, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = belkg("entity", "Tsikhanovsky", "--format", "table")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
