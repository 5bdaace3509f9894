"""Query results in the W3C formats (JSON, XML, CSV, TSV) and as a table or Markdown.

SELECT and ASK results use the formats of the SPARQL 1.1 Query Results specifications;
CONSTRUCT and DESCRIBE results are RDF (Turtle, N-Triples, RDF/XML, JSON-LD).
"""

from __future__ import annotations

import csv
import io
import json

from belkg.engines import QueryResult
from belkg.errors import BelkgError
from belkg.prefixes import PREFIXES, shorten
from belkg.terms import Term, to_rdflib

TABLE_FORMATS = ("table", "json", "xml", "csv", "tsv", "md")
GRAPH_FORMATS = ("ttl", "nt", "xml", "jsonld")
EXTENSIONS = {
    ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml", ".csv": "csv", ".tsv": "tsv",
    ".md": "md", ".txt": "table", ".ttl": "ttl", ".nt": "nt", ".rdf": "xml", ".jsonld": "jsonld",
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
        chosen = explicit
    elif output and output != "-" and "." in output:
        suffix = output[output.rindex(".") :].lower()
        if suffix not in EXTENSIONS:
            raise BelkgError(f"cannot tell the format from the extension {suffix!r}; use --format", output)
        chosen = EXTENSIONS[suffix]
    else:
        chosen = "ttl" if result_kind == "graph" else "table"
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


TABLE_CELL_WIDTH = 70


def _shown_columns(result: QueryResult) -> list[str]:
    """The table's columns: a `xLabel` column is left out beside an `x` column, whose
    cells already show the label."""
    names = set(result.variables)
    return [name for name in result.variables if not (name.endswith("Label") and name[: -len("Label")] in names)]


def _clip(text: str) -> str:
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


def to_table(result: QueryResult, labels: Labels) -> str:
    """A table for reading: IRIs shortened and labelled, long values clipped (the other
    formats give every value whole)."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    header = _shown_columns(result)
    rows = [[_clip(cell(row.get(name), labels)) for name in header] for row in result.rows]
    widths = [max([len(name)] + [len(values[i]) for values in rows]) for i, name in enumerate(header)]
    rule = "  ".join("-" * width for width in widths)
    lines = ["  ".join(name.ljust(width) for name, width in zip(header, widths, strict=True)).rstrip(), rule]
    lines += ["  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip() for values in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(result: QueryResult, labels: Labels) -> str:
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"

    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(md(name) for name in result.variables) + " |"]
    lines.append("|" + "|".join("---" for _ in result.variables) + "|")
    for row in result.rows:
        lines.append("| " + " | ".join(md(cell(row.get(name), labels)) for name in result.variables) + " |")
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: str, labels: Labels | None = None) -> str:
    """A SELECT or ASK result in one of TABLE_FORMATS."""
    labels = labels or {}
    renderers = {
        "json": lambda: to_json(result),
        "xml": lambda: to_xml(result),
        "csv": lambda: to_csv(result),
        "tsv": lambda: to_tsv(result),
        "md": lambda: to_markdown(result, labels),
        "table": lambda: to_table(result, labels),
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
