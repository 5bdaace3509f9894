"""The web server's application: pages, /sparql and linked data over one in-memory
build, with every user query under the time and memory limits of the CLI.

Starlette is the ASGI framework (small, typed, no ORM or template layer of its own to
work around) and uvicorn the server (`belkg.web.server`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from belkg.errors import BelkgError, printable
from belkg.limits import DEFAULT_MEMORY_MIB, within
from belkg.results import render, render_graph
from belkg.terms import is_valid_iri
from belkg.web.linked import RDF_EXTENSIONS, describe, ontology, wants_rdf
from belkg.web.pages import NotFound, Pages, StoryNotReady
from belkg.web.protocol import ProtocolError, negotiate, read_request
from belkg.web.render import Renderer
from belkg.workers import WorkerPool

# The pages ask for nothing from another host, and run only the package's own script.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The timeline and graph pages carry their style and script inline (they also work as
# files): their own policy, as strict as that allows.
INLINE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:"
ASSETS = {"style.css": "text/css; charset=utf-8", "belkg.js": "text/javascript; charset=utf-8"}


@dataclass(frozen=True)
class Limits:
    """What one request may take."""

    timeout: float = 30.0  # seconds a query (or a page's queries) may run
    memory: int = DEFAULT_MEMORY_MIB  # MiB for the process that runs a user's query
    max_body: int = 1 << 20  # bytes of a request body (a query over 1 MiB is refused anyway)
    concurrent: int = 4  # queries running at once
    wait: float = 10.0  # seconds a request waits for a free slot before a 503
    conflicts: float = 1800.0  # seconds the search for conflicts may run, in the background (0: no limit)
    story: float = 1800.0  # the same for the story view (28 s at 1M triples in one process, on its own)


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 406: "Not acceptable",
          413: "Request too large", 415: "Unsupported media type", 500: "Server error", 503: "Busy"}  # fmt: skip


def _asset(name: str) -> bytes:
    return (resources.files("belkg.web") / "assets" / name).read_bytes()


def _kept(work: Callable[[], Any]) -> tuple[Any, ...]:
    """work's result, or the HTTP error it raised, as a value that crosses a process
    boundary (belkg.limits.within passes a BelkgError on, but not its kind)."""
    try:
        return ("ok", work())
    except NotFound as error:
        return ("missing", error.message)
    except ProtocolError as error:
        return ("protocol", error.message, error.status)


def _niced(work: Callable[[], Any]) -> Any:
    """work(), in a child process that yields the processor to the requests' children."""
    import os

    os.nice(10)
    return work()


def _in_background(
    name: str,
    work: Callable[[], Any],
    seconds: float | None,
    memory: int | None,
    found: Callable[[Any], None],
    failed: Callable[[str], None],
    timeout_error: Callable[[], BelkgError] | None = None,
) -> threading.Thread:
    """Run work() in a child process (niced, under the limits) from a thread, and hand its
    result to found(), or why it failed to failed(): the server keeps serving either way."""

    def run() -> None:
        try:
            result = within(lambda: _niced(work), seconds, memory, name, timeout_error=timeout_error)
        except BelkgError as error:
            failed(error.message)
        except Exception as error:  # the pages say what happened
            failed(f"{type(error).__name__}: {error}")
        else:
            found(result)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def find_conflicts_in_background(pages: Pages, limits: Limits) -> threading.Thread | None:
    """Start finding the conflicts in a child process (under the memory limit and the
    conflicts' time limit), unless they are known or kept from an earlier run; the pages
    say that the check is running until it ends, and that it failed if it does."""
    if pages.conflict_state == "known" or pages.read_kept_conflicts():
        return None
    pages.conflict_state = "pending"
    seconds = limits.conflicts or None

    def stopped() -> BelkgError:
        return BelkgError(f"it ran longer than {seconds:g} s and was stopped; see belkg serve --conflicts-timeout")

    return _in_background(
        "conflicts", pages.find_conflicts, seconds, limits.memory or None, pages.conflicts_found,
        pages.conflicts_failed, stopped,
    )  # fmt: skip


def prepare_story_in_background(pages: Pages, limits: Limits) -> threading.Thread:
    """Find the story view (the pictures' graph) in a child process, as the conflicts: the
    server listens meanwhile, and pages say the pictures are being prepared."""
    pages.story_state = "pending"
    return _in_background(
        "story view", pages.story_view, limits.story or None, limits.memory or None, pages.story_found,
        pages.story_failed,
    )  # fmt: skip


def _answer_query(pages: Pages, text: str, accept: str | None, fmt: str | None) -> tuple[bytes, str]:
    """A /sparql request's answer: the result in the negotiated format, and its media type."""
    result = pages.engine.run(text, "query")
    fmt, media = negotiate(accept, result.kind, fmt)
    if result.kind == "graph":
        return render_graph(result, fmt), media
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return render(result, fmt, {}).encode("utf-8"), media + charset


def _download(pages: Pages, name: str, given: dict[str, str], ext: str) -> tuple[bytes, str]:
    """A saved query's results as a file in the format of ext."""
    from belkg.querying import run

    saved = pages.saved(name)
    values = {p.name: given.get(p.name, p.default or "") for p in saved.params}
    result = run(pages.engine, saved, {k: v for k, v in values.items() if v})
    fmt, media = negotiate(None, result.kind, ext)
    if result.kind == "graph":
        return render_graph(result, fmt), media
    return render(result, fmt, {}).encode("utf-8"), media


def query_workers(pages: Pages, limits: Limits) -> WorkerPool:
    """The workers that run what depends on the store alone (the /sparql endpoint, saved
    queries' downloads, linked data), forked once: a fork per request would cost more
    than most queries. A request is the name of one of the calls below and its arguments."""
    calls: dict[str, Callable[..., Any]] = {
        "sparql": lambda *args: _answer_query(pages, *args),
        "download": lambda *args: _download(pages, *args),
        "describe": lambda *args: describe(pages.engine, *args),
        "ontology": lambda *args: ontology(pages.engine, *args),
    }

    def handle(request: tuple[Any, ...]) -> tuple[Any, ...]:
        return _kept(lambda: calls[request[0]](*request[1:]))

    return WorkerPool(handle, limits.concurrent, limits.timeout or None, limits.memory or None, "query")


def create_app(pages: Pages, limits: Limits | None = None, *, background: bool = True) -> Starlette:
    """The application over a Pages (its engine holding the build). It listens before the
    conflicts and the story view are known: with `background`, it finds them in child
    processes meanwhile (find_conflicts_in_background, prepare_story_in_background);
    without, they stay unknown (the pages say so) unless kept or found already."""
    limits = limits or Limits()
    renderer = Renderer()
    # pyoxigraph's query results must be freed by the thread that made them, and they sit
    # in reference cycles that the collector frees on whichever thread it runs: so every
    # query runs in a child process (under the limits), none in the server's threads. The
    # story view (the pictures' graph) and the conflicts are found in the background, in
    # children, and the pages' modules and templates loaded here, so that no child loads
    # them again.
    # Imports first, then the children: a child forked while another thread imports a
    # module inherits that module's import lock, held for ever, and hangs at its first
    # import of it (networkx, for the story view).
    pages.warm()
    renderer.warm()
    gc.collect()
    workers = query_workers(pages, limits)
    if background:
        find_conflicts_in_background(pages, limits)
        if pages.pictures and not pages.has_story():
            prepare_story_in_background(pages, limits)
    else:
        if pages.conflict_state == "lazy" and not pages.read_kept_conflicts():
            pages.conflict_state = "pending"
        if not pages.has_story():
            pages.story_state = "pending"
    slots = asyncio.Semaphore(limits.concurrent)
    story_lock = threading.Lock()

    def wants_json(request: Request) -> bool:
        accept = request.headers.get("accept", "")
        return (request.url.path == "/sparql" and "text/html" not in accept) or (
            "application/json" in accept and "text/html" not in accept
        )

    def error_response(
        request: Request, status: int, message: str, headers: dict[str, str] | None = None, title: str = ""
    ) -> Response:
        message = printable(message)
        if wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
        title = title or TITLES.get(status, "Error")
        page = renderer.error(message, f"{status} {title}", request.url.path.lstrip("/"))
        return HTMLResponse(page, status, headers=headers)

    async def limited(work: Callable[[], Any], *, fork: bool = True) -> Any:
        """Run work in a thread, at most `concurrent` at once; with fork (for all work
        that queries), in a child process under the time and memory limits."""
        if not fork:
            return await in_slot(work)
        return unkept(await in_slot(lambda: within(lambda: _kept(work), limits.timeout or None,
                                                   limits.memory or None, "query")))  # fmt: skip

    async def pooled(*request: Any) -> Any:
        """A request to the query workers, in a slot as `limited`."""
        return unkept(await in_slot(lambda: workers.run(request)))

    async def in_slot(work: Callable[[], Any]) -> Any:
        try:
            await asyncio.wait_for(slots.acquire(), limits.wait)
        except TimeoutError:
            raise HTTPError(503, f"{limits.concurrent} queries are running; try again in a moment") from None
        try:
            return await run_in_threadpool(work)
        finally:
            slots.release()

    def unkept(outcome: tuple[Any, ...]) -> Any:
        if outcome[0] == "missing":
            raise NotFound(outcome[1])
        if outcome[0] == "protocol":
            raise ProtocolError(outcome[1], outcome[2])
        return outcome[1]

    def html(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status)

    async def home(request: Request) -> Response:
        return html(await limited(lambda: renderer.render(pages.home(), "")))

    async def search(request: Request) -> Response:
        spelling = request.query_params.get("q", "")
        if len(spelling) > 200:
            raise HTTPError(400, "a search of over 200 characters; give a name or part of one")
        return html(await limited(lambda: renderer.render(pages.search(spelling), "search")))

    async def names(request: Request) -> Response:
        return html(await limited(lambda: renderer.render(pages.names(), "names")))

    async def queries(request: Request) -> Response:
        return html(await limited(lambda: renderer.render(pages.queries(), "queries")))

    def page_number(request: Request) -> int:
        value = request.query_params.get("page", "1")
        if not value.isdigit() or not 1 <= int(value) <= 1_000_000:
            raise HTTPError(400, f"page must be a whole number from 1, not {value!r}")
        return int(value)

    async def query(request: Request) -> Response:
        name, _, ext = request.path_params["name"].partition(".")
        given = {k: v for k, v in request.query_params.items() if k != "page"}
        if not ext:
            number = page_number(request)
            here = f"queries/{name}"
            return html(await limited(lambda: renderer.render(pages.query(name, given, number), here)))

        data, media = await pooled("download", name, given, ext)
        return Response(data, media_type=media)

    async def editor(request: Request) -> Response:
        text = request.query_params.get("query")
        if text is not None and len(text.encode("utf-8")) > limits.max_body:
            raise HTTPError(413, f"a query of over {limits.max_body} bytes")
        number = page_number(request)
        return html(
            await limited(
                lambda: renderer.render(pages.editor(text, number), "editor"),
            )
        )

    async def thing(request: Request) -> Response:
        slug, _, ext = request.path_params["slug"].partition(".")
        ext = ext or wants_rdf(request.headers.get("accept")) or ""
        iri = "https://w3id.org/belkg/id/" + slug
        if ext:
            if ext not in RDF_EXTENSIONS:
                raise HTTPError(404, f"no .{ext} here: use .ttl, .jsonld, .nt or .rdf")
            data = await pooled("describe", iri, ext)
            return Response(data, media_type=RDF_EXTENSIONS[ext][1], headers={"Vary": "Accept"})
        part = request.query_params.get("part", "")
        number = page_number(request)
        text = await limited(lambda: renderer.render(pages.thing(slug, part, number), f"id/{slug}"))
        return HTMLResponse(text, headers={"Vary": "Accept"})

    async def neighbourhood(request: Request) -> Response:
        slug = request.path_params["slug"]

        def draw() -> bytes:
            with story_lock:  # matplotlib draws one picture at a time
                return pages.neighbourhood(slug)

        return Response(await limited(draw, fork=False), media_type="image/svg+xml")

    async def ontology_page(request: Request) -> Response:
        ext = request.path_params.get("ext") or wants_rdf(request.headers.get("accept")) or ""
        if ext:
            if ext not in RDF_EXTENSIONS:
                raise HTTPError(404, f"no .{ext} here: use .ttl, .jsonld, .nt or .rdf")
            data = await pooled("ontology", ext)
            return Response(data, media_type=RDF_EXTENSIONS[ext][1], headers={"Vary": "Accept"})
        text = await limited(lambda: renderer.render(pages.ontology(), "ontology"))
        return HTMLResponse(text, headers={"Vary": "Accept"})

    async def conflicts(request: Request) -> Response:
        number = page_number(request)
        if pages.known_conflicts() is None:
            if pages.conflict_state == "pending":
                return error_response(request, 503, pages.conflict_check(), {"Retry-After": "30"}, "Not ready yet")
            return error_response(request, 503, pages.conflict_check(), None, "Conflicts unknown")
        about = request.query_params.get("about", "")
        if about and not is_valid_iri(about):
            raise HTTPError(400, f"about must be an IRI, not {about!r}")
        return html(await limited(lambda: renderer.render(pages.conflicts(number, about), "conflicts")))

    async def timeline(request: Request) -> Response:
        if not pages.has_timeline():
            events = await limited(pages.timeline_events)

            def draw() -> bytes:
                with story_lock:
                    return pages.timeline_page(events)

            await limited(draw, fork=False)
        data = pages.timeline_page()
        return Response(data, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": INLINE_CSP})

    async def graph(request: Request) -> Response:
        data = await limited(pages.graph_page, fork=False)
        return Response(data, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": INLINE_CSP})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            raise HTTPError(404, f"no file /static/{name}")
        return Response(_asset(name), media_type=ASSETS[name], headers={"Cache-Control": "max-age=3600"})

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limits.max_body):
            raise HTTPError(413, f"a request body of over {limits.max_body} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limits.max_body:
                raise HTTPError(413, f"a request body of over {limits.max_body} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def sparql(request: Request) -> Response:
        body = await body_of(request) if request.method == "POST" else None
        if request.method == "GET" and "query" not in request.query_params:
            return RedirectResponse("/editor", 303) if "text/html" in request.headers.get("accept", "") else (
                error_response(request, 400, "no query: give it as ?query=, a form field `query`, "
                               "or an application/sparql-query body"))  # fmt: skip
        parsed = read_request(
            request.method, request.headers.get("content-type", ""), list(request.query_params.multi_items()), body
        )
        if parsed.default_graphs or parsed.named_graphs:
            raise ProtocolError("default-graph-uri and named-graph-uri are not supported; use FROM in the query")
        data, media = await pooled("sparql", parsed.query, request.headers.get("accept"), parsed.format)
        return Response(data, media_type=media, headers={"Vary": "Accept"})

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/names", names),
        Route("/queries", queries),
        Route("/queries/{name}", query),
        Route("/editor", editor),
        Route("/id/{slug}/neighbourhood.svg", neighbourhood),
        Route("/id/{slug}", thing),
        Route("/ontology", ontology_page),
        Route("/ontology.{ext}", ontology_page),
        Route("/conflicts", conflicts),
        Route("/timeline", timeline),
        Route("/graph", graph),
        Route("/static/{name}", asset),
        Route("/sparql", sparql, methods=["GET", "POST"]),
    ]

    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            if request.method not in ("GET", "HEAD", "POST"):
                raise HTTPError(405, f"{request.method} is not allowed: this server is read-only")
            if request.method == "POST" and request.url.path != "/sparql":
                raise HTTPError(405, "POST is for /sparql only")
            response = await call_next(request)
        except HTTPError as error:
            response = error_response(request, error.status, error.message)
        except ProtocolError as error:
            response = error_response(request, error.status, error.message)
        except NotFound as error:
            response = error_response(request, 404, str(error))
        except StoryNotReady as error:
            retry = {"Retry-After": "30"} if pages.story_state == "pending" else None
            response = error_response(request, 503, str(error), retry, "Not ready yet")
        except BelkgError as error:
            response = error_response(request, 400, str(error))
        except Exception as error:  # never a traceback in the browser; the server keeps serving
            response = error_response(request, 500, f"the server failed on this request ({type(error).__name__})")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    async def missing(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, f"no page at {request.url.path}")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error_response(request, 405, f"{request.method} is not allowed at {request.url.path}")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            workers.close()

    return Starlette(
        routes=routes,
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=guard)],
        exception_handlers={404: missing, 405: not_allowed},
        lifespan=lifespan,
    )
