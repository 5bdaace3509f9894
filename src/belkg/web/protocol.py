"""The SPARQL 1.1 Protocol's side of /sparql: which query a request carries (GET, POST
form, POST direct) and which result format it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from belkg.errors import BelkgError

# Every format belkg writes, by media type (the first of each format is the one sent).
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
MEDIA_OF = {
    "select": {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"},
    "graph": {"ttl": "text/turtle", "nt": "application/n-triples", "xml": "application/rdf+xml",
              "jsonld": "application/ld+json"},
}  # fmt: skip
# The short names clients put in a `format` or `output` parameter.
SHORT_NAMES = {
    "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
    "turtle": "ttl", "ttl": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "rdf": "xml",
    "rdfxml": "xml", "jsonld": "jsonld", "json-ld": "jsonld",
}  # fmt: skip


class ProtocolError(BelkgError):
    """A request the protocol does not allow: HTTP 400 (or the status given)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Request:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None


def read_request(method: str, content_type: str, params: list[tuple[str, str]], body: bytes | None) -> Request:
    """The query of a GET (?query=), a form POST or a direct POST (application/sparql-query);
    an update, or a request with none or two queries, is refused."""
    media = content_type.split(";")[0].strip().lower()
    fields = list(params)
    query: str | None = None
    if method == "POST":
        if media == "application/sparql-update":
            raise ProtocolError("updates are refused: this endpoint is read-only")
        if media == "application/sparql-query":
            try:
                query = (body or b"").decode("utf-8")
            except UnicodeDecodeError as error:
                raise ProtocolError(f"the query is not UTF-8 text (byte {error.start})") from None
        elif media == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qsl

            try:
                fields += parse_qsl((body or b"").decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError as error:
                raise ProtocolError(f"the form is not UTF-8 text (byte {error.start})") from None
        else:
            raise ProtocolError(
                f"a POST must be application/x-www-form-urlencoded or application/sparql-query, not {media or 'none'}",
                415,
            )
    elif method != "GET":
        raise ProtocolError(f"{method} is not allowed: use GET or POST", 405)
    if any(name == "update" for name, _ in fields):
        raise ProtocolError("updates are refused: this endpoint is read-only")
    queries = [value for name, value in fields if name == "query"]
    if query is not None:
        queries.append(query)
    if not queries:
        raise ProtocolError("no query: give it as ?query=, a form field `query`, or an application/sparql-query body")
    if len(queries) > 1:
        raise ProtocolError("more than one query in the request")
    chosen = next((value for name, value in fields if name in ("format", "output")), None)
    fmt = None
    if chosen:
        fmt = SHORT_NAMES.get(chosen.lower()) or SELECT_TYPES.get(chosen.lower()) or GRAPH_TYPES.get(chosen.lower())
        if fmt is None:
            raise ProtocolError(f"unknown result format {chosen!r}; use json, xml, csv, tsv, ttl, nt or jsonld", 406)
    return Request(
        queries[0],
        tuple(value for name, value in fields if name == "default-graph-uri"),
        tuple(value for name, value in fields if name == "named-graph-uri"),
        fmt,
    )


def _accepted(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for index, part in enumerate(accept.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        if not pieces[0]:
            continue
        weight = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranges.append((pieces[0].lower(), weight, -index))
    ranges.sort(key=lambda item: (-item[1], -item[2]))
    return [(media, weight) for media, weight, _ in ranges if weight > 0]


def negotiate(accept: str | None, kind: str, chosen: str | None = None) -> tuple[str, str]:
    """(format, media type) for a result of kind "select"/"ask" or "graph", from an
    explicit format, else the Accept header; 406 if nothing the client accepts fits."""
    family = "graph" if kind == "graph" else "select"
    media_of = MEDIA_OF[family]
    if chosen is not None:
        if chosen not in media_of:
            what = "a CONSTRUCT/DESCRIBE result" if family == "graph" else "a SELECT/ASK result"
            raise ProtocolError(f"format {chosen!r} does not fit {what}; use one of {', '.join(media_of)}", 406)
        return chosen, media_of[chosen]
    table = GRAPH_TYPES if family == "graph" else SELECT_TYPES
    ranges = _accepted(accept or "*/*")
    for media, _ in ranges:
        if media in table:
            return table[media], media_of[table[media]]
        if media in ("*/*", "application/*", "text/*"):
            default = next(iter(media_of)) if media != "text/*" else ("ttl" if family == "graph" else "csv")
            return default, media_of[default]
    offered = ", ".join(media_of.values())
    raise ProtocolError(f"none of the accepted types ({accept}) fits this result; this endpoint writes {offered}", 406)
