"""Talk to a SPARQL server: queries by the SPARQL 1.1 Protocol, uploads by the SPARQL 1.1
Graph Store Protocol. Only the standard library's HTTP client is used."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from belkg.engines import QueryResult, from_oxigraph
from belkg.errors import BelkgError
from belkg.terms import Term

RESULT_TYPES = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
DEFAULT_TIMEOUT = 60.0


def _refusal(error: urllib.error.HTTPError, url: str, what: str) -> BelkgError:
    try:
        body = error.read(2000).decode("utf-8", "replace")
    except OSError:
        body = ""
    detail = " ".join(body.split())[:200]
    return BelkgError(
        f"the server refused the {what}: HTTP {error.code} {error.reason}" + (f": {detail}" if detail else ""), url
    )


def _request(request: urllib.request.Request, url: str, what: str, timeout: float) -> tuple[str, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        raise _refusal(error, url, what) from None
    except urllib.error.URLError as error:
        raise BelkgError(f"cannot reach the server: {error.reason}", url) from None
    except TimeoutError:
        raise BelkgError(f"the server did not answer within {timeout:g} s", url) from None
    except OSError as error:
        raise BelkgError(f"cannot reach the server: {error}", url) from None


def _check_url(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise BelkgError("an endpoint must be an http:// or https:// URL", url)


def _term(data: dict[str, Any]) -> Term:
    kind = data.get("type")
    if kind == "uri":
        return Term.iri(data["value"])
    if kind == "bnode":
        return Term("bnode", data["value"])
    if kind in ("literal", "typed-literal"):
        return Term.literal(data["value"], data.get("datatype"), data.get("xml:lang"))
    raise BelkgError(f"the server sent a term of unknown type {kind!r}")


def _ntriples_terms(data: bytes) -> list[tuple[Term, Term, Term]]:
    import pyoxigraph

    return [
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
        for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]


class EndpointEngine:
    """Runs queries on a SPARQL 1.1 Protocol endpoint (POST, form-encoded).

    Saved queries expect the union of the named graphs as the default graph: serve the
    data that way (Oxigraph: --union-default-graph; Fuseki: unionDefaultGraph).
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        _check_url(url)
        self.url = url
        self.timeout = timeout

    def run(self, text: str, where: str | None = None) -> QueryResult:
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULT_TYPES},
        )
        content_type, data = _request(request, self.url, "query", self.timeout)
        if content_type in ("application/n-triples", "text/plain"):
            return QueryResult("graph", triples=_ntriples_terms(data))
        if content_type == "text/turtle":
            import pyoxigraph

            converted = pyoxigraph.serialize(
                pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE), format=pyoxigraph.RdfFormat.N_TRIPLES
            )
            return QueryResult("graph", triples=_ntriples_terms(converted or b""))
        try:
            document = json.loads(data)
        except ValueError:
            raise BelkgError(f"the server answered with {content_type}, not SPARQL results", self.url) from None
        if "boolean" in document:
            return QueryResult("ask", boolean=bool(document["boolean"]))
        variables = list(document.get("head", {}).get("vars", []))
        rows = [
            {name: _term(value) for name, value in binding.items()}
            for binding in document.get("results", {}).get("bindings", [])
        ]
        return QueryResult("select", variables=variables, rows=rows)


def push_graph(store_url: str, graph: str, ntriples: bytes, *, replace: bool, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Upload one named graph by the Graph Store Protocol: PUT replaces it, POST adds to it."""
    _check_url(store_url)
    separator = "&" if "?" in store_url else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        url,
        data=ntriples,
        method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples"},
    )
    _request(request, store_url, f"upload of <{graph}>", timeout)
