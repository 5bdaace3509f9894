"""Talk to a SPARQL server: queries by the SPARQL 1.1 Protocol, uploads by the SPARQL 1.1
Graph Store Protocol. Only the standard library's HTTP client is used.

Every exchange is bounded: it must finish within `timeout` seconds in all (connecting,
sending and the whole answer, however slowly the server trickles it), the answer may be
at most `max_bytes` long, and a redirect is followed only to the same server (scheme,
host and port), repeating the same request; a redirect elsewhere is an error. Only a 2xx
answer counts as success.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from belkg.engines import QueryResult, from_oxigraph
from belkg.errors import BelkgError
from belkg.limits import DEFAULT_RESPONSE_MIB, within
from belkg.safety import Gate
from belkg.terms import Term

RESULT_TYPES = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
DEFAULT_TIMEOUT = 60.0
_MAX_REDIRECTS = 5


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = urllib.parse.urlsplit(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, (parsed.hostname or "").lower(), port


class _SameServerRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port, and repeat the request
    as it was (method and body): urllib would turn a POST into a GET without its query."""

    max_redirections = _MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request:
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _origin(target) != _origin(req.full_url):
            raise BelkgError(
                f"the server redirected (HTTP {code}) to another server, {target}; "
                "belkg follows redirects within the same server only: use that URL if you trust it",
                req.full_url,
            )
        return urllib.request.Request(target, data=req.data, headers=dict(req.header_items()), method=req.get_method())


def _refusal(error: urllib.error.HTTPError, url: str, what: str) -> BelkgError:
    if 300 <= error.code < 400 and "redirect" in str(error.reason):
        return BelkgError(f"the server redirected the {what} too many times (HTTP {error.code})", url)
    try:
        body = error.read(2000).decode("utf-8", "replace")
    except OSError:
        body = ""
    detail = " ".join(body.split())[:200]
    return BelkgError(
        f"the server refused the {what}: HTTP {error.code} {' '.join(str(error.reason).split())}"
        + (f": {detail}" if detail else ""),
        url,
    )


def _exchange(
    request: urllib.request.Request, url: str, what: str, timeout: float, max_bytes: int
) -> tuple[str, bytes]:
    opener = urllib.request.build_opener(_SameServerRedirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            status = getattr(response, "status", 200)
            if not 200 <= status < 300:
                raise BelkgError(f"the server did not accept the {what}: HTTP {status} {response.reason}", url)
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise _too_big(max_bytes, url)
            chunks, size = [], 0
            while True:
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _too_big(max_bytes, url)
                chunks.append(chunk)
            return response.headers.get_content_type(), b"".join(chunks)
    except urllib.error.HTTPError as error:
        raise _refusal(error, url, what) from None
    except urllib.error.URLError as error:
        raise BelkgError(f"cannot reach the server: {error.reason}", url) from None
    except TimeoutError:
        raise BelkgError(f"the server did not answer within {timeout:g} s", url) from None
    except OSError as error:
        raise BelkgError(f"cannot reach the server: {error}", url) from None
    except (ValueError, http.client.HTTPException) as error:  # a malformed status line, header or chunk
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise BelkgError(f"the server sent a malformed HTTP answer: {detail}", url) from None


def _too_big(max_bytes: int, url: str) -> BelkgError:
    return BelkgError(
        f"the server's answer is larger than {max_bytes >> 20} MiB; raise --max-response or narrow the query", url
    )


def _request(
    request: urllib.request.Request, url: str, what: str, timeout: float, max_bytes: int, left: float | None = None
) -> tuple[str, bytes]:
    """The answer's content type and body, within `timeout` seconds in all (or the
    `left` of them): the exchange runs in a child process that is stopped when the time
    is up (a socket timeout alone lets a server that sends a byte now and then hold on
    for ever)."""
    seconds = timeout if left is None else left

    def late() -> BelkgError:
        return BelkgError(f"the server did not finish answering within {timeout:g} s", url)

    if seconds <= 0:
        raise late()
    return within(lambda: _exchange(request, url, what, seconds, max_bytes), seconds, None, url, timeout_error=late)


def _check_url(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise BelkgError("an endpoint must be an http:// or https:// URL", url)


def _term(data: Any) -> Term:
    if not isinstance(data, dict) or not isinstance(data.get("value"), str):
        raise ValueError("a term is not an object with a string value")
    kind = data.get("type")
    if kind == "uri":
        return Term.iri(data["value"])
    if kind == "bnode":
        return Term("bnode", data["value"])
    if kind in ("literal", "typed-literal"):
        datatype, language = data.get("datatype"), data.get("xml:lang")
        if not isinstance(datatype, str | None) or not isinstance(language, str | None):
            raise ValueError("a literal's datatype or language is not a string")
        return Term.literal(data["value"], datatype, language)
    raise ValueError(f"a term of unknown type {kind!r}")


def _solutions(document: Any) -> QueryResult:
    """SPARQL 1.1 JSON results as a QueryResult; anything else raises ValueError."""
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise ValueError("'boolean' is not true or false")
        return QueryResult("ask", boolean=document["boolean"])
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise ValueError("no 'head' and 'results' objects")
    variables = head.get("vars", [])
    bindings = results.get("bindings")
    if not isinstance(variables, list) or not all(isinstance(name, str) for name in variables):
        raise ValueError("'vars' is not a list of names")
    if not isinstance(bindings, list) or not all(isinstance(binding, dict) for binding in bindings):
        raise ValueError("'bindings' is not a list of objects")
    rows = [{str(name): _term(value) for name, value in binding.items()} for binding in bindings]
    return QueryResult("select", variables=list(variables), rows=rows)


def _triples(data: bytes, fmt: Any) -> QueryResult:
    import pyoxigraph

    return QueryResult(
        "graph",
        triples=[
            (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
            for t in pyoxigraph.parse(data, format=fmt)
        ],
    )


def parse_answer(content_type: str, data: bytes, url: str) -> QueryResult:
    """A server's answer to a query as a QueryResult; a malformed one is a BelkgError."""
    import pyoxigraph

    readers: dict[str, Callable[[], QueryResult]] = {
        "application/n-triples": lambda: _triples(data, pyoxigraph.RdfFormat.N_TRIPLES),
        "text/plain": lambda: _triples(data, pyoxigraph.RdfFormat.N_TRIPLES),
        "text/turtle": lambda: _triples(data, pyoxigraph.RdfFormat.TURTLE),
    }
    reader = readers.get(content_type)
    try:
        if reader is not None:
            return reader()
        return _solutions(json.loads(data))
    except (ValueError, SyntaxError, RecursionError, BelkgError) as error:
        kind = "SPARQL results" if reader is None else content_type
        detail = " ".join(str(error).split())[:200]
        raise BelkgError(f"the server's answer ({content_type}) is not valid {kind}: {detail}", url) from None


class EndpointEngine:
    """Runs queries on a SPARQL 1.1 Protocol endpoint (POST, form-encoded).

    Saved queries expect the union of the named graphs as the default graph: serve the
    data that way (Oxigraph: --union-default-graph; Fuseki: unionDefaultGraph).
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_RESPONSE_MIB << 20) -> None:
        """`timeout` bounds all the engine's requests together, from the first: a
        command's query and its label lookup share it."""
        _check_url(url)
        self.url = url
        self.timeout = timeout or DEFAULT_TIMEOUT
        self.max_bytes = max_bytes
        self.gate = Gate(remote=True)
        self._deadline: float | None = None

    def run(self, text: str, where: str | None = None) -> QueryResult:
        checked = self.gate.check(text, where)
        body = urllib.parse.urlencode({"query": checked.text}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULT_TYPES},
        )
        if self._deadline is None:
            self._deadline = time.monotonic() + self.timeout
        left = self._deadline - time.monotonic()
        content_type, data = _request(request, self.url, "query", self.timeout, self.max_bytes, left)
        return parse_answer(content_type, data, self.url)


def push_graph(
    store_url: str,
    graph: str,
    ntriples: bytes,
    *,
    replace: bool,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_RESPONSE_MIB << 20,
) -> None:
    """Upload one named graph by the Graph Store Protocol: PUT replaces it, POST adds to
    it. Returns only when the server answered 2xx."""
    _check_url(store_url)
    separator = "&" if "?" in store_url else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        url,
        data=ntriples,
        method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples"},
    )
    _request(request, store_url, f"upload of <{graph}>", timeout or DEFAULT_TIMEOUT, max_bytes)
