"""`belkg serve`: the application on uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from belkg.build.cache import QUERY_CHECKS, QUERY_HEADERS, VIEWS, CacheEntry
from belkg.project import Project
from belkg.web.app import Limits, create_app
from belkg.web.pages import Pages

LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


def exposure_warning(host: str) -> str | None:
    """What to tell the user when the server listens beyond this machine."""
    if host in LOCAL_HOSTS:
        return None
    return (
        f"listening on {host}, not only 127.0.0.1: anyone who can reach this machine on the port can read "
        "the graph and run queries (read-only, within the limits)"
    )


def open_pages(project: Project, entry: CacheEntry, cache_root: Path) -> Pages:
    """Pages over an in-memory copy of the build's store (queries 3-8x faster than on disk),
    reading and keeping slow answers beside the cache as the command line does."""
    from belkg.querying import open_engine

    views = cache_root / VIEWS
    engine = open_engine(entry, in_memory=True, checks_cache=cache_root / QUERY_CHECKS, kept=views)
    return Pages(engine, project, entry, cache_root / QUERY_HEADERS, views=views)


def serve(pages: Pages, host: str, port: int, limits: Limits, say: Callable[[str], None]) -> None:
    import uvicorn

    from belkg.limits import one_shot

    one_shot(False)  # a server lives on: a query over its limit must end its child, not the server
    app = create_app(pages, limits)
    shown = f"[{host}]" if ":" in host else host
    say(f"serving the graph at http://{shown}:{port}/ (SPARQL endpoint: /sparql); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, limit_concurrency=64)
