"""`belkg stats` as text: every section's columns labelled."""

from __future__ import annotations

from belkg.stats import COLUMNS, format_text


def test_format_text_labels_the_columns():
    report = {
        "claims per hedge": [("none", 465), ("bk:Reportedly", 20)],
        "events per number of reporting sources": [(2, 7), (1, 60)],
    }
    assert format_text(report) == (
        "claims per hedge:\n"
        "   claims  hedge\n"
        "  -------  -------------\n"
        "      465  none\n"
        "       20  bk:Reportedly\n"
        "events per number of reporting sources:\n"
        "   events  sources\n"
        "  -------  -------\n"
        "        7  2\n"
        "       60  1\n"
    )


def test_stats_prints_a_header_line_for_every_section(belkg):
    result = belkg("stats")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    titles = [index for index, line in enumerate(lines) if not line.startswith(" ")]
    assert [lines[index].rstrip(":") for index in titles] == list(COLUMNS)
    for index in titles:
        counted, by = COLUMNS[lines[index].rstrip(":")]
        assert lines[index + 1].split() == [counted, by]
        assert set(lines[index + 2].replace(" ", "")) == {"-"}
    assert lines[1:3] == ["  triples  graph", "  -------  -----------------------------------------"]
