"""`belkg site`: every page as a static file with relative links, so the folder opens
from disk and can be published as it is. What needs a server (search, running a
query, a query form run with other values) is replaced by what a file can hold: a page of
every name, each saved query's results for its defaults, and the editor's prefixes and
examples to read."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from belkg.errors import BelkgError
from belkg.prefixes import BKD
from belkg.web.linked import RDF_EXTENSIONS, described, ontology
from belkg.web.links import path_of
from belkg.web.pages import DOWNLOAD_FORMATS, Pages
from belkg.web.render import Renderer


def _things(pages: Pages) -> list[str]:
    """The slugs of every IRI of the graph's own (bkd:) that the graph says something
    about: things, documents, claims, the mapping's identity judgements; the pages a
    site holds, so that every link from one page to another finds its file."""
    text = (
        "SELECT DISTINCT ?thing WHERE { ?thing ?property ?value "
        f'FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), "{BKD}")) }} ORDER BY ?thing'
    )
    found = [row["thing"].value for row in pages.engine.run(text).rows]
    return [iri[len(BKD) :] for iri in found if path_of(iri) is not None]


def write_site(pages: Pages, folder: Path, progress: Callable[[str], None] = lambda _: None) -> int:
    """Write the site into folder; the number of files written."""
    from belkg.querying import run
    from belkg.results import render, render_graph

    renderer = Renderer(static=True)
    written = 0
    pages.settle()  # a static site shows the conflicts and pictures, so it finds them first

    def write(path: str, data: str | bytes) -> None:
        nonlocal written
        target = folder / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as error:
            raise BelkgError(f"cannot write here: {error.strerror}", str(target)) from None
        written += 1

    for name in ("style.css", "belkg.js"):
        write(f"static/{name}", (resources.files("belkg.web") / "assets" / name).read_bytes())
    progress("writing the home page, the saved queries, the timeline and the graph")
    write("index.html", renderer.render(pages.home(), ""))
    write("names.html", renderer.render(pages.names(), "names"))
    write("queries.html", renderer.render(pages.queries(), "queries"))
    write("editor.html", renderer.render(pages.editor(None), "editor"))
    for query in pages.queries().values["queries"]:
        write(f"queries/{query.name}.html", renderer.render(pages.query(query.name, {}), f"queries/{query.name}"))
        values = {p.name: p.default for p in query.params if p.default}
        result = run(pages.engine, query, values)
        for fmt in DOWNLOAD_FORMATS[result.kind]:
            if result.kind == "graph":
                write(f"queries/{query.name}.{fmt}", render_graph(result, fmt))
            else:
                write(f"queries/{query.name}.{fmt}", render(result, fmt, {}))
    write("conflicts.html", renderer.render(pages.conflicts(None), "conflicts"))
    write("ontology.html", renderer.render(pages.ontology(), "ontology"))
    for ext in RDF_EXTENSIONS:
        write(f"ontology.{ext}", ontology(pages.engine, ext))
    for name, draw in (("timeline", pages.timeline_page), ("graph", pages.graph_page)):
        try:
            write(f"{name}.html", draw())
        except BelkgError as error:  # nothing dated to draw, or too much to draw legibly
            write(f"{name}.html", renderer.error(error.message, name.capitalize(), name))
    slugs = _things(pages)
    progress(f"writing {len(slugs)} pages of things and documents")
    story = pages.story()
    for slug in slugs:
        write(f"id/{slug}.html", renderer.render(pages.thing(slug), f"id/{slug}"))
        triples = described(pages.engine, BKD + slug)  # one query for the three formats
        for ext in ("ttl", "jsonld", "nt"):
            write(f"id/{slug}.{ext}", render_graph(triples, RDF_EXTENSIONS[ext][0]))
        if pages.pictures and BKD + slug in story:
            write(f"id/{slug}/neighbourhood.svg", pages.neighbourhood(slug))
    return written
