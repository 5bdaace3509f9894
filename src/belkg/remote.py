"""Talk to a SPARQL server: queries by the SPARQL 1.1 Protocol, uploads by the SPARQL 1.1
Graph Store Protocol. Only the standard library's HTTP client is used.

Every exchange is bounded: it must finish within `timeout` seconds in all (connecting,
sending and the whole answer, however slowly the server trickles it), the answer may be
at most `max_bytes` long, and a redirect is followed only to the same server (scheme,
host and port), repeating the same request; a redirect elsewhere is an error. Only a 2xx
answer counts as success.
"""

from __future__ import annotations

import base64
import html
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from belkg.credentials import Credentials
from belkg.engines import QueryResult, from_oxigraph
from belkg.errors import BelkgError
from belkg.limits import DEFAULT_RESPONSE_MIB, within
from belkg.safety import Gate
from belkg.sparql_text import LEXEMES, query_form
from belkg.terms import XSD, Term

SOLUTION_TYPES = ("application/sparql-results+json", "application/json")
GRAPH_TYPES = ("application/n-triples", "text/turtle", "text/plain")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
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


def _reason(body: str) -> str:
    """The server's words in an error answer: an HTML page's text without its head, its
    tags or a repeated status line, on one line, at most 300 characters."""
    if re.search(r"<(html|body|h1|p|pre|xmp)\b", body, re.IGNORECASE):
        body = re.sub(r"(?is)<head\b.*?</head>", " ", body)
        body = html.unescape(re.sub(r"(?s)<[^>]*>", " ", body))
    text = " ".join(body.split())
    text = re.sub(r"^HTTP/\d(\.\d)? \d{3}( [A-Za-z ]*?)?(?= [A-Z]|$)", "", text).strip()
    return text[:300]


def _refusal(error: urllib.error.HTTPError, url: str, what: str) -> BelkgError:
    if 300 <= error.code < 400 and "redirect" in str(error.reason):
        return BelkgError(f"the server redirected the {what} too many times (HTTP {error.code})", url)
    try:
        body = error.read(4000).decode("utf-8", "replace")
    except OSError:
        body = ""
    detail = _reason(body)
    message = f"the server refused the {what}: HTTP {error.code} {' '.join(str(error.reason).split())}"
    if detail:
        message += f": {detail}"
    if error.code == 401:
        message += (
            "; it asks for credentials: give --user and --password, or set BELKG_USER and BELKG_PASSWORD, "
            "or add the host to ~/.netrc (wrong ones are refused the same way)"
        )
    return BelkgError(message, url)


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """Follows redirects within the server only; offers the credentials, if any, to a
    server that asks for them by HTTP Basic or Digest authentication."""
    handlers: list[urllib.request.BaseHandler] = [_SameServerRedirects()]
    if credentials is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _authorization(challenge: str, request: urllib.request.Request, credentials: Credentials) -> str | None:
    """The Authorization header answering a WWW-Authenticate challenge (Basic or
    Digest) for this request, or None for a scheme belkg does not speak."""
    scheme, _, rest = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
        return f"Basic {token}"
    if scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, credentials.user, credentials.password)
        fields = urllib.request.parse_keqv_list([part for part in urllib.request.parse_http_list(rest) if part])
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        return f"Digest {answer}" if answer else None
    return None


def _sign(request: urllib.request.Request, credentials: Credentials, timeout: float) -> None:
    """Before an upload, ask with an empty body whether the server wants credentials,
    and add the answer to the request: a server that refuses a request with a body
    closes the connection before the body is sent, so the challenge never arrives. The
    probe is a POST even for a PUT: adding nothing changes no graph, where an empty PUT
    would empty it on a server that asks for no credentials."""
    probe = urllib.request.Request(request.full_url, data=b"", method="POST", headers=dict(request.header_items()))
    try:
        with urllib.request.build_opener(_SameServerRedirects()).open(probe, timeout=timeout):
            return
    except urllib.error.HTTPError as error:
        challenges = (error.headers.get_all("WWW-Authenticate") or []) if error.code == 401 else []
        error.close()
    for challenge in challenges:
        header = _authorization(challenge, request, credentials)
        if header is not None:
            request.add_unredirected_header("Authorization", header)
            return


def _exchange(
    request: urllib.request.Request,
    url: str,
    what: str,
    timeout: float,
    max_bytes: int,
    credentials: Credentials | None = None,
) -> tuple[str, bytes]:
    opener = _opener(request.full_url, credentials)
    try:
        if credentials is not None and request.get_header("Content-type") == "application/n-triples":
            _sign(request, credentials, timeout)
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
    request: urllib.request.Request,
    url: str,
    what: str,
    timeout: float,
    max_bytes: int,
    left: float | None = None,
    credentials: Credentials | None = None,
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
    return within(
        lambda: _exchange(request, url, what, seconds, max_bytes, credentials), seconds, None, url, timeout_error=late
    )


def _check_url(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise BelkgError("an endpoint must be an http:// or https:// URL", url)


def ascii_strings(text: str) -> str:
    """The query with every non-ASCII character of its string literals written as a
    SPARQL codepoint escape (\\uXXXX or \\UXXXXXXXX): the same query to every store, and
    Virtuoso 7.2 reads characters outside Latin-1 in a literal as "?" otherwise."""

    def escape(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] not in "\"'" or token.isascii():
            return token
        return "".join(
            char if char.isascii() else f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}"
            for char in token
        )

    return LEXEMES.sub(escape, text)


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
        value = data["value"]
        if datatype == XSD + "boolean" and value in ("1", "0"):  # Virtuoso: the same value, not canonical
            value = "true" if value == "1" else "false"
        return Term.literal(value, datatype, language)
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


def accept_for(form: str) -> str:
    """The Accept header for a query form: SPARQL JSON results for SELECT and ASK, a
    graph format for CONSTRUCT and DESCRIBE (N-Triples first: every store writes it)."""
    if form in GRAPH_FORMS:
        return "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
    return "application/sparql-results+json"


def parse_answer(content_type: str, data: bytes, url: str, form: str = "SELECT") -> QueryResult:
    """A server's answer to a query of the given form as a QueryResult; an answer in a
    format the form does not call for, or a malformed one, is a BelkgError."""
    import pyoxigraph

    if form in GRAPH_FORMS and content_type not in GRAPH_TYPES:
        raise BelkgError(
            f"the server's answer ({content_type}) is not an RDF graph, which a {form} query needs "
            "(belkg asked for N-Triples or Turtle)",
            url,
        )
    if form not in GRAPH_FORMS and content_type not in SOLUTION_TYPES:
        raise BelkgError(
            f"the server's answer ({content_type}) is not SPARQL JSON results, which a {form} query needs "
            "(belkg asked for application/sparql-results+json)",
            url,
        )

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

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_RESPONSE_MIB << 20,
        credentials: Credentials | None = None,
    ) -> None:
        """`timeout` bounds all the engine's requests together, from the first: a
        command's query and its label lookup share it."""
        _check_url(url)
        self.credentials = credentials
        self.url = url
        self.timeout = timeout or DEFAULT_TIMEOUT
        self.max_bytes = max_bytes
        self.gate = Gate(remote=True)
        self._deadline: float | None = None

    def run(self, text: str, where: str | None = None) -> QueryResult:
        checked = self.gate.check(text, where)
        form = query_form(checked.text)
        body = urllib.parse.urlencode({"query": ascii_strings(checked.text)}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": accept_for(form)},
        )
        if self._deadline is None:
            self._deadline = time.monotonic() + self.timeout
        left = self._deadline - time.monotonic()
        content_type, data = _request(request, self.url, "query", self.timeout, self.max_bytes, left, self.credentials)
        return parse_answer(content_type, data, self.url, form)


def push_graph(
    store_url: str,
    graph: str,
    ntriples: bytes,
    *,
    replace: bool,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_RESPONSE_MIB << 20,
    credentials: Credentials | None = None,
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
    _request(request, store_url, f"upload of <{graph}>", timeout or DEFAULT_TIMEOUT, max_bytes, credentials=credentials)
