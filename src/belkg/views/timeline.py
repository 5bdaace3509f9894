"""Events on a time axis, each date drawn at its precision: a day as a point, a month as a
bar across the month, a year as a bar across the year. Events that no source dates are
placed by their bounds where an ordering claim ties them to a dated event ("after the
July 2024 suspension": an arrow from the end of July 2024 on), and listed apart, with the
words and orderings the sources give, where nothing bounds them.

The data come from the saved queries timeline and undated-events, so the picture shows
what those queries answer, with each date's source and quote.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belkg.conflicts import Conflict
from belkg.errors import BelkgError
from belkg.prefixes import shorten

if TYPE_CHECKING:
    from belkg.engines import Engine
    from belkg.project import Project

TIMELINE_FORMATS = ("png", "svg", "html")
PRECISION_COLOURS = {"day": "#08519C", "month": "#3182BD", "year": "#9ECAE1"}


@dataclass(frozen=True)
class Mention:
    """A date a document gives an event."""

    date: str
    precision: str
    phrase: str
    source: str
    claim: str
    quote: str


@dataclass(frozen=True)
class Clue:
    """What a document says of an undated event's time: its words ("yesterday"), or an
    ordering against another event, with that event's date if it has one."""

    kind: str
    phrase: str
    relation: str
    other: str
    other_label: str
    other_date: str
    gap: str
    source: str
    claim: str
    quote: str

    def describe(self) -> str:
        if self.kind == "date phrase":
            return f"“{self.phrase}”"
        when = f", {self.other_date}" if self.other_date else ""
        gap = f" ({self.gap})" if self.gap else ""
        return f"{self.relation}{gap} {self.other_label}{when}"


@dataclass
class TimelineEvent:
    iri: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    clues: list[Clue] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def display_label(self) -> str:
        """Its label, marked where the sources disagree about it."""
        return f"{self.label} (sources disagree)" if self.conflicts else self.label

    @property
    def start(self) -> dt.date | None:
        """The earliest day its dates or bounds allow, for ordering."""
        if self.mentions:
            return min(span(m.date, m.precision)[0] for m in self.mentions)
        bound = self.bounds()
        return bound[0][1] if bound else None

    def bounds(self) -> list[tuple[str, dt.date, Clue]]:
        """("after"|"before"|"same year", date, clue) for each ordering against a dated event."""
        found = []
        for clue in self.clues:
            if clue.kind != "relation" or not clue.other_date:
                continue
            first, last = span(clue.other_date, _precision_of(clue.other_date))
            if clue.relation == "after":
                found.append(("after", last, clue))
            elif clue.relation == "before":
                found.append(("before", first, clue))
            else:
                found.append(("same year", dt.date(first.year, 1, 1), clue))
        return sorted(found, key=lambda item: (item[1], item[0]))


# The kinds of conflict that are about events (the others are about counts and spellings).
EVENT_CONFLICTS = ("account", "contrary role", "order")


@dataclass
class Timeline:
    events: list[TimelineEvent]
    documents: dict[str, str]
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def dated(self) -> list[TimelineEvent]:
        return sorted((e for e in self.events if e.mentions), key=lambda e: (e.start or dt.date.max, e.label))

    @property
    def bounded(self) -> list[TimelineEvent]:
        return sorted(
            (e for e in self.events if not e.mentions and e.bounds()), key=lambda e: (e.start or dt.date.max, e.label)
        )

    @property
    def unplaced(self) -> list[TimelineEvent]:
        return sorted((e for e in self.events if not e.mentions and not e.bounds()), key=lambda e: e.label.lower())


def _precision_of(iso: str) -> str:
    return {4: "year", 7: "month"}.get(len(iso), "day")


def span(iso: str, precision: str) -> tuple[dt.date, dt.date]:
    """The first day of an ISO date ("2020", "2024-07", "2025-02-17") and the first day
    after it, at the given precision."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not match:
        raise BelkgError(f"not an ISO date: {iso!r}")
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    if precision == "year" or match.group(2) is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if precision == "month" or match.group(3) is None:
        return dt.date(year, month, 1), dt.date(year + (month == 12), month % 12 + 1, 1)
    first = dt.date(year, month, day)
    return first, first + dt.timedelta(days=1)


def _value(row: dict[str, Any], name: str) -> str:
    term = row.get(name)
    return str(term.value) if term is not None else ""


def collect(
    engine: Engine, project: Project, header_cache: Path | None = None, conflicts: list[Conflict] | None = None
) -> Timeline:
    """The events with dates (saved query timeline) and the undated ones with their clues
    (saved query undated-events), each with its source quote, and the conflicts about
    them (`conflicts`: the list already found, else the saved query's)."""
    from belkg.catalogue import find_saved_query
    from belkg.conflicts import find_conflicts
    from belkg.querying import run

    dated = run(engine, find_saved_query(project.queries_dir, "timeline", cache_dir=header_cache)).rows
    undated = run(engine, find_saved_query(project.queries_dir, "undated-events", cache_dir=header_cache)).rows
    claims = sorted({_value(row, "claim") for row in (*dated, *undated) if "claim" in row})
    quotes = _quotes(engine, claims)
    documents = _titles(engine)
    events: dict[str, TimelineEvent] = {}
    for row in dated:
        event = events.setdefault(_value(row, "event"), TimelineEvent(_value(row, "event"), _value(row, "eventLabel")))
        mention = Mention(
            _value(row, "date"),
            _value(row, "precision") or _precision_of(_value(row, "date")),
            _value(row, "phrase"),
            _value(row, "source"),
            _value(row, "claim"),
            quotes.get((_value(row, "claim"), _value(row, "source")), ""),
        )
        if mention not in event.mentions:
            event.mentions.append(mention)
    for row in undated:
        event = events.setdefault(_value(row, "event"), TimelineEvent(_value(row, "event"), _value(row, "eventLabel")))
        clue = Clue(
            _value(row, "clue"), _value(row, "phrase"), _value(row, "relation"), _value(row, "otherEvent"),
            _value(row, "otherEventLabel"), _value(row, "otherDate"), _value(row, "gapPhrase"),
            _value(row, "source"), _value(row, "claim"),
            quotes.get((_value(row, "claim"), _value(row, "source")), ""),
        )  # fmt: skip
        if clue not in event.clues:
            event.clues.append(clue)
    found = find_conflicts(engine, project, header_cache) if conflicts is None else conflicts
    about_events = [c for c in found if c.kind in EVENT_CONFLICTS]
    for conflict in about_events:
        if conflict.subject in events:
            events[conflict.subject].conflicts.append(conflict)
    return Timeline(list(events.values()), documents, about_events)


def _quotes(engine: Engine, claims: list[str]) -> dict[tuple[str, str], str]:
    if not claims:
        return {}
    values = " ".join(f"<{claim}>" for claim in claims)
    text = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> "
        f"SELECT ?claim ?source ?quote WHERE {{ VALUES ?claim {{ {values} }} "
        "?claim prov:wasDerivedFrom ?evidence . ?evidence oa:hasSource ?source ; oa:exact ?quote } "
        "ORDER BY ?claim ?source ?quote"
    )
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in engine.run(text).rows:
        found[(row["claim"].value, row["source"].value)].append(row["quote"].value)
    return {key: " … ".join(quotes) for key, quotes in found.items()}


def _titles(engine: Engine) -> dict[str, str]:
    text = (
        "PREFIX bk: <https://w3id.org/belkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?document ?title WHERE { GRAPH ?document { ?document a ?class ; dcterms:title ?title } "
        "?class rdfs:subClassOf* bk:SourceDocument }"
    )
    return {row["document"].value: row["title"].value for row in engine.run(text).rows}


# ---------------------------------------------------------------------------------------
# The picture
# ---------------------------------------------------------------------------------------


def draw(timeline: Timeline, fmt: str, *, title: str = "belkg: when things happened") -> bytes:
    """The timeline as PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if fmt not in ("png", "svg"):
        raise BelkgError(f"a timeline picture is PNG or SVG, not {fmt!r}")
    rows = [*timeline.dated, *timeline.bounded]
    if not rows:
        raise BelkgError("no event has a date or a dated bound: nothing to put on a time axis")
    days = [d for e in rows for m in e.mentions for d in span(m.date, m.precision)]
    days += [bound[1] for e in rows for bound in e.bounds()]
    first, last = min(days), max(days)
    reach = max((last - first).days, 365)
    arrow = dt.timedelta(days=reach * 0.07)
    left = first - dt.timedelta(days=reach * 0.03)
    right = last + dt.timedelta(days=reach * 0.5)

    unplaced_lines = []
    for event in timeline.unplaced:
        clues = "; ".join(dict.fromkeys(clue.describe() for clue in event.clues))
        unplaced_lines.extend(textwrap.wrap(f"• {event.display_label}: {clues}", 160, subsequent_indent="    "))
    # Every length below is in inches: a label column, the plot, the legend, the list.
    width, label_column, row_height = 16.0, 4.4, 0.46
    plot_height = row_height * (len(rows) + 1)
    title_height, axis_height, legend_height = 0.6, 0.45, 0.75
    note_height = 0.45 + 0.2 * len(unplaced_lines) if unplaced_lines else 0.0
    height = title_height + plot_height + axis_height + legend_height + note_height + 0.2
    figure = plt.figure(figsize=(width, height), dpi=100)
    plot_bottom = height - title_height - plot_height
    axes = figure.add_axes(
        (label_column / width, plot_bottom / height, (width - label_column - 0.25) / width, plot_height / height)
    )
    figure.text(0.15 / width, 1 - 0.2 / height, title, fontsize=15, fontweight="bold", va="top", family="DejaVu Sans")

    def number(day: dt.date) -> float:
        """Days since 1970-01-01, matplotlib's default date axis."""
        return float((day - dt.date(1970, 1, 1)).days)

    def note(x: float, y: float, text: str, colour: str) -> None:
        lines = textwrap.wrap(text, 46)[:2]
        if len(textwrap.wrap(text, 46)) > 2:
            lines[-1] = lines[-1][:44] + "…"
        axes.text(x + reach * 0.008, y, "\n".join(lines), va="center", fontsize=9, color=colour, linespacing=1.1)

    for index, event in enumerate(rows):
        y = len(rows) - index
        if event.mentions:
            shown: set[tuple[str, str]] = set()
            for mention in sorted(event.mentions, key=lambda m: (len(m.date), m.date)):
                start, end = span(mention.date, mention.precision)
                colour = PRECISION_COLOURS.get(mention.precision, "#3182BD")
                if mention.precision == "day":
                    axes.plot([number(start)], [y], marker="D", markersize=7, color=colour, zorder=3)
                else:
                    axes.broken_barh(
                        [(number(start), number(end) - number(start))], (y - 0.22, 0.44),
                        facecolors=colour, edgecolors="#08306B", linewidth=0.6, zorder=2,
                    )  # fmt: skip
                shown.add((mention.date, mention.phrase))
            latest = max(span(m.date, m.precision)[1] for m in event.mentions)
            text = ", ".join(f"{date} “{phrase}”" if phrase else date for date, phrase in sorted(shown))
            note(number(latest), y, text, "#333333")
        else:
            notes = []
            for relation, day, clue in event.bounds():
                if relation == "after":
                    tail, head = day, day + arrow
                elif relation == "before":
                    tail, head = day, day - arrow
                else:
                    tail, head = day, dt.date(day.year, 12, 31)
                axes.annotate(
                    "", xy=(number(head), y), xytext=(number(tail), y),
                    arrowprops={"arrowstyle": "-|>", "linestyle": (0, (4, 2)), "color": "#CB6D00", "linewidth": 1.6},
                )  # fmt: skip
                axes.plot([number(tail)], [y], marker="|", markersize=12, color="#CB6D00")
                notes.append(f"{relation} {clue.other_label} ({clue.other_date})")
            far = max(max(day, day + arrow) for _, day, _ in event.bounds())
            note(number(far), y, "undated: " + "; ".join(dict.fromkeys(notes)), "#8A4A00")
    labels = [textwrap.fill(textwrap.shorten(event.display_label, 100, placeholder="…"), 44) for event in rows]
    axes.set_yticks(range(len(rows), 0, -1), labels, fontsize=10, linespacing=1.0)
    axes.set_ylim(0.4, len(rows) + 0.6)
    axes.set_xlim(number(left), number(right))
    years = range(first.year, last.year + 2)
    axes.set_xticks([number(dt.date(year, 1, 1)) for year in years], [str(year) for year in years])
    axes.set_xticks(
        [number(dt.date(year, month, 1)) for year in range(first.year, last.year + 1) for month in range(2, 13)],
        minor=True,
    )
    axes.tick_params(axis="x", labelsize=10)
    axes.grid(axis="x", which="major", color="#CCCCCC")
    axes.grid(axis="x", which="minor", color="#F0F0F0")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if timeline.bounded:
        axes.axhline(len(rows) - len(timeline.dated) + 0.5, color="#999999", linewidth=0.8, linestyle=":")
    handles = [
        Line2D([], [], marker="D", linestyle="none", color=PRECISION_COLOURS["day"], label="a day"),
        Patch(facecolor=PRECISION_COLOURS["month"], edgecolor="#08306B", label="a month (the bar spans it)"),
        Patch(facecolor=PRECISION_COLOURS["year"], edgecolor="#08306B", label="a year (the bar spans it)"),
        Line2D([], [], color="#CB6D00", linestyle=(0, (4, 2)), label="undated: after or before a dated event"),
    ]
    figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.15 / width, (plot_bottom - axis_height) / height),
        ncols=4, frameon=False, fontsize=10, title="dates, at the precision the sources give", title_fontsize=10,
        alignment="left",
    )  # fmt: skip
    if unplaced_lines:
        figure.text(
            0.15 / width, (note_height + 0.1) / height,
            "Not placed in time by any source (their words, and orderings against other undated events):\n"
            + "\n".join(unplaced_lines), va="top", ha="left", fontsize=9.5, family="DejaVu Sans", linespacing=1.3,
        )  # fmt: skip
    stream = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: searchable, selectable
        figure.savefig(stream, format=fmt, dpi=100, metadata=metadata)
    plt.close(figure)
    return stream.getvalue()


def write_page(timeline: Timeline, title: str = "belkg: when things happened") -> bytes:
    """One self-contained HTML page: the timeline as inline SVG, then every date and clue
    with its source and quote."""
    svg = draw(timeline, "svg", title=title).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    rows = []
    for event in timeline.dated:
        for m in sorted(event.mentions, key=lambda m: (m.date, m.source)):
            rows.append(
                [event.label, m.date, m.precision, m.phrase, _source(timeline, m.source), m.quote, shorten(m.claim)]
            )
    clue_rows = []
    for event in [*timeline.bounded, *timeline.unplaced]:
        for clue in event.clues:
            clue_rows.append(
                [event.label, clue.describe(), _source(timeline, clue.source), clue.quote, shorten(clue.claim)]
            )
    conflict_rows = [
        [c.subject_label or shorten(c.subject), c.kind, f"{c.value_a} [{_source(timeline, c.source_a)}]", c.quote_a,
         f"{c.value_b} [{_source(timeline, c.source_b)}]", c.quote_b]
        for c in timeline.conflicts
    ]  # fmt: skip
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n"
        "body { font-family: 'DejaVu Sans', Verdana, sans-serif; font-size: 14px; margin: 16px; color: #222; }\n"
        "svg { max-width: 100%; height: auto; }\n"
        "table { border-collapse: collapse; margin: 8px 0 24px; }\n"
        "th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }\n"
        "td.quote { font-style: italic; max-width: 520px; }\n.muted { color: #666; }\n</style>\n</head>\n<body>\n",
        svg,
        "\n<h2>Dates the sources give</h2>\n",
        _table(["event", "date", "precision", "the source's words", "source", "quote", "claim"], rows, quote=5),
        "<h2>Events no source dates, and what the sources say of their time</h2>\n",
        _table(["event", "clue", "source", "quote", "claim"], clue_rows, quote=3),
        "<h2>Where the sources disagree about these events</h2>\n",
        _table(["event", "kind", "one account", "its words", "the other", "its words"], conflict_rows, quote=(3, 5)),
        "</body>\n</html>\n",
    ]
    return "".join(parts).encode("utf-8")


def _source(timeline: Timeline, iri: str) -> str:
    title = timeline.documents.get(iri)
    return f"{shorten(iri)}: {title}" if title else shorten(iri)


def _table(header: list[str], rows: list[list[str]], quote: int | tuple[int, ...]) -> str:
    quotes = (quote,) if isinstance(quote, int) else quote
    lines = ["<table>", "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in header) + "</tr>"]
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            text = html.escape(value)
            cells.append(f'<td class="quote">“{text}”</td>' if index in quotes and value else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>\n")
    return "\n".join(lines)


def render(timeline: Timeline, fmt: str) -> bytes:
    if fmt == "html":
        return write_page(timeline)
    if fmt in ("png", "svg"):
        return draw(timeline, fmt)
    raise BelkgError(f"a timeline is {', '.join(TIMELINE_FORMATS)}, not {fmt!r}")
