"""`belkg site`: every page as a static file with relative links, so the folder opens
from disk and can be published as it is. What needs a server (search, the editor, a
query form run with other values) is replaced by what a file can hold: a page of every
name, and each saved query's results for its defaults."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from belkg.errors import BelkgError
from belkg.prefixes import BKD
from belkg.web.linked import RDF_EXTENSIONS, describe, ontology
from belkg.web.pages import DOWNLOAD_FORMATS, Pages
from belkg.web.render import Renderer


def _things(pages: Pages) -> list[str]:
    """The slugs of every labelled thing, document and claim: the pages a site holds."""
    text = (
        "SELECT DISTINCT ?thing WHERE { { ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } "
        "UNION { ?thing <https://w3id.org/belkg/ontology#seedFile> ?seed } "
        "UNION { ?thing <http://www.w3.org/ns/prov#wasDerivedFrom> ?evidence } } ORDER BY ?thing"
    )
    found = [row["thing"].value for row in pages.engine.run(text).rows]
    return [iri[len(BKD) :] for iri in found if iri.startswith(BKD) and "/" not in iri[len(BKD) :]]


def write_site(pages: Pages, folder: Path, progress: Callable[[str], None] = lambda _: None) -> int:
    """Write the site into folder; the number of files written."""
    from belkg.querying import run
    from belkg.results import render, render_graph

    renderer = Renderer(static=True)
    written = 0

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
    for query in pages.queries().values["queries"]:
        write(f"queries/{query.name}.html", renderer.render(pages.query(query.name, {}), f"queries/{query.name}"))
        values = {p.name: p.default for p in query.params if p.default}
        result = run(pages.engine, query, values)
        for fmt in DOWNLOAD_FORMATS[result.kind]:
            if result.kind == "graph":
                write(f"queries/{query.name}.{fmt}", render_graph(result, fmt))
            else:
                write(f"queries/{query.name}.{fmt}", render(result, fmt, {}))
    write("conflicts.html", renderer.render(pages.conflicts(), "conflicts"))
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
        for ext in ("ttl", "jsonld", "nt"):
            write(f"id/{slug}.{ext}", describe(pages.engine, BKD + slug, ext))
        if pages.pictures and BKD + slug in story:
            write(f"id/{slug}/neighbourhood.svg", pages.neighbourhood(slug))
    return written
