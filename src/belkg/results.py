"""Query results in the W3C formats (JSON, XML, CSV, TSV) and as a table or Markdown.

SELECT and ASK results use the formats of the SPARQL 1.1 Query Results specifications;
CONSTRUCT and DESCRIBE results are RDF (Turtle, N-Triples, RDF/XML, JSON-LD).
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping, Sequence

from belkg.engines import QueryResult
from belkg.errors import BelkgError
from belkg.prefixes import PREFIXES, shorten
from belkg.records import TYPE_CHECKING
from belkg.terms import Term, to_rdflib

if TYPE_CHECKING:
    from typing import TextIO

TABLE_FORMATS = ("text", "json", "xml", "csv", "tsv", "md")
GRAPH_FORMATS = ("ttl", "nt", "xml", "jsonld")
# `text` is the name of the format for reading in every command (as in Jena's arq);
# `table`, its name in belkg 0.x's `query --format`, still works.
ALIASES = {"table": "text"}
EXTENSIONS = {
    ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml", ".csv": "csv", ".tsv": "tsv",
    ".md": "md", ".txt": "text", ".ttl": "ttl", ".nt": "nt", ".rdf": "xml", ".jsonld": "jsonld",
}  # fmt: skip
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

Labels = dict[str, str]


def format_for(output: str | None, explicit: str | None, result_kind: str) -> str:
    """The output format: as given, else from -o's extension, else a table (or Turtle)."""
    allowed = GRAPH_FORMATS if result_kind == "graph" else TABLE_FORMATS
    if explicit:
        chosen = ALIASES.get(explicit, explicit)
    elif output and output != "-" and "." in output:
        suffix = output[output.rindex(".") :].lower()
        if suffix not in EXTENSIONS:
            raise BelkgError(f"cannot tell the format from the extension {suffix!r}; use --format", output)
        chosen = EXTENSIONS[suffix]
    else:
        chosen = "ttl" if result_kind == "graph" else "text"
    if chosen not in allowed:
        kind = "a CONSTRUCT/DESCRIBE result" if result_kind == "graph" else "a SELECT/ASK result"
        raise BelkgError(f"format {chosen!r} does not fit {kind}; use one of {', '.join(allowed)}")
    return chosen


def _json_term(term: Term) -> dict[str, str]:
    data = {"type": term.kind, "value": term.value}
    if term.language:
        data["xml:lang"] = term.language
    elif term.datatype:
        data["datatype"] = term.datatype
    return data


def to_json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [{name: _json_term(term) for name, term in row.items()} for row in result.rows]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _xml_term(term: Term) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    attributes = ""
    if term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype:
        attributes = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attributes}>{escape(term.value)}</literal>"


def to_xml(result: QueryResult) -> str:
    from xml.sax.saxutils import quoteattr  # imported here: it pulls in urllib

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(name)}/>" for name in result.variables]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            lines.append("    <result>")
            for name in result.variables:
                if name in row:
                    lines.append(f"      <binding name={quoteattr(name)}>{_xml_term(row[name])}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: lossy (no datatypes or languages), CRLF line ends, RFC 4180 quoting."""
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_csv_value(row.get(name)) for name in result.variables])
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: lossless, every value an RDF term in N-Triples syntax."""
    if result.kind == "ask":
        return (
            "?boolean\n"
            + ('"true"' if result.boolean else '"false"')
            + "^^<http://www.w3.org/2001/XMLSchema#boolean>\n"
        )
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    for row in result.rows:
        lines.append("\t".join(row[name].n3() if name in row else "" for name in result.variables))
    return "\n".join(lines) + "\n"


def cell(term: Term | None, labels: Labels) -> str:
    """A term as a person reads it: an IRI shortened and labelled, a literal as its text."""
    if term is None:
        return ""
    if term.kind == "uri":
        short = shorten(term.value)
        label = labels.get(term.value)
        return f"{label} ({short})" if label else short
    if term.kind == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


def needs_labels(fmt: str) -> bool:
    """Whether a format shows labels beside IRIs (the formats for reading), so that the
    labels are worth looking up."""
    return ALIASES.get(fmt, fmt) in ("text", "md")


def size_of(result: QueryResult) -> str:
    """How much a result holds, as `wrote FILE (…)` says it: rows, triples, or the answer."""
    if result.kind == "graph":
        count = len(result.triples)
        return f"{count} triple{'s' if count != 1 else ''}"
    if result.kind == "ask":
        return f"answer: {'yes' if result.boolean else 'no'}"
    count = len(result.rows)
    return f"{count} row{'s' if count != 1 else ''}"


def table_width(environ: Mapping[str, str] | None = None, stream: TextIO | None = None) -> int | None:
    """The width a table must fit: $COLUMNS when it is a positive number, else the
    terminal's width when the output is a terminal, else None: no limit (a file or a
    pipe gets whole lines; each cell is still cut at TABLE_CELL_WIDTH characters)."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (OSError, ValueError, AttributeError):
        pass
    return None


TABLE_CELL_WIDTH = 70
TABLE_GAP = 2
TABLE_MIN_COLUMN = 3


def fit_widths(widths: Sequence[int], total: int | None, gap: int = TABLE_GAP) -> list[int]:
    """Column widths that fit `total` characters with `gap` between columns, shrunk
    fairly: columns narrower than an even share keep their width, the wider ones share
    what is left equally. No column is made narrower than TABLE_MIN_COLUMN (or its own
    width), so a table of very many columns can still be wider than `total`."""
    widths = list(widths)
    if total is None or not widths:
        return widths
    room = total - gap * (len(widths) - 1)
    if sum(widths) <= room:
        return widths
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    fitted = list(widths)
    left = room
    for position, index in enumerate(order):
        share = left // (len(order) - position)
        if widths[index] <= share:
            left -= widths[index]
            continue
        wide = order[position:]
        extra = left - share * len(wide)
        for rank, column in enumerate(sorted(wide)):  # the spare characters go to the leftmost
            fitted[column] = max(min(widths[column], TABLE_MIN_COLUMN), share + (1 if rank < extra else 0))
        break
    return fitted


def _shown_columns(result: QueryResult) -> list[str]:
    """The table's columns: a `xLabel` column is left out beside an `x` column, whose
    cells already show the label."""
    names = set(result.variables)
    return [name for name in result.variables if not (name.endswith("Label") and name[: -len("Label")] in names)]


def _narrow(char: str) -> bool:
    """Whether the character is in a block without wide or combining characters: Latin,
    Cyrillic letters and the seeds' typography (’ “ ” – …). tests/test_tables.py checks
    each against unicodedata."""
    return char < "\u0300" or "\u0400" <= char < "\u0483" or "\u2000" <= char < "\u2065"


def display_width(text: str) -> int:
    """The columns a terminal gives the text: wide (East Asian) characters take two,
    combining marks none."""
    if text.isascii() or all(_narrow(char) for char in text):  # the common case, and cheap
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def _clip(text: str, width: int = TABLE_CELL_WIDTH) -> str:
    """The text in at most `width` columns, cut with an ellipsis."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def to_table(result: QueryResult, labels: Labels, width: int | None = None) -> str:
    """A table for reading: IRIs shortened and labelled, long values clipped (the other
    formats give every value whole); within `width` characters when given (see
    fit_widths)."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    header = _shown_columns(result)
    rows = [[_clip(cell(row.get(name), labels)) for name in header] for row in result.rows]
    natural = [max([display_width(name)] + [display_width(v[i]) for v in rows]) for i, name in enumerate(header)]
    widths = fit_widths(natural, width)
    header = [_clip(name, w) for name, w in zip(header, widths, strict=True)]
    rows = [[_clip(value, w) for value, w in zip(values, widths, strict=True)] for values in rows]
    gap = " " * TABLE_GAP
    rule = gap.join("-" * width for width in widths)
    lines = [gap.join(_pad(name, width) for name, width in zip(header, widths, strict=True)).rstrip(), rule]
    lines += [gap.join(_pad(v, w) for v, w in zip(values, widths, strict=True)).rstrip() for values in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(result: QueryResult, labels: Labels) -> str:
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"

    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    columns = _shown_columns(result)  # each label once: in its IRI's cell
    lines = ["| " + " | ".join(md(name) for name in columns) + " |"]
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in result.rows:
        lines.append("| " + " | ".join(md(cell(row.get(name), labels)) for name in columns) + " |")
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: str, labels: Labels | None = None, width: int | None = None) -> str:
    """A SELECT or ASK result in one of TABLE_FORMATS (or an alias); a `text` table
    within `width` characters when given."""
    labels = labels or {}
    fmt = ALIASES.get(fmt, fmt)
    renderers = {
        "json": lambda: to_json(result),
        "xml": lambda: to_xml(result),
        "csv": lambda: to_csv(result),
        "tsv": lambda: to_tsv(result),
        "md": lambda: to_markdown(result, labels),
        "text": lambda: to_table(result, labels, width),
    }
    return renderers[fmt]()


def render_graph(result: QueryResult, fmt: str) -> bytes:
    """A CONSTRUCT or DESCRIBE result as RDF."""
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for subject, predicate, obj in result.triples:
        graph.add((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj)))
    serializer = {"ttl": "turtle", "nt": "nt", "xml": "xml", "jsonld": "json-ld"}[fmt]
    return graph.serialize(format=serializer, encoding="utf-8")
