"""What `belkg viz` draws and writes: the view asked for (story, full, a saved CONSTRUCT
query, each optionally cut around one thing) in the format asked for, by option or by
the output file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from belkg.errors import BelkgError

if TYPE_CHECKING:
    import networkx as nx

    from belkg.engines import Engine
    from belkg.project import Project

    NetworkGraph = nx.MultiDiGraph[str]

VIEW_FORMATS = ("png", "svg", "html", "graphml", "gexf", "json")
EXTENSIONS = {
    ".png": "png", ".svg": "svg", ".html": "html", ".htm": "html",
    ".graphml": "graphml", ".gexf": "gexf", ".json": "json",
}  # fmt: skip
# More nodes than this make a picture or a page no one can read: cut the view first.
MOST_DRAWN = 600


def format_for(output: str | None, explicit: str | None, allowed: tuple[str, ...] = VIEW_FORMATS) -> str:
    """The format given, else the one the output file's extension names."""
    if explicit:
        return explicit
    if output and output != "-":
        suffix = Path(output).suffix.lower()
        if EXTENSIONS.get(suffix) in allowed:
            return EXTENSIONS[suffix]
        raise BelkgError(f"cannot tell the format from {suffix or 'no extension'!r}: use {_choices(allowed)}", output)
    raise BelkgError(f"give -o FILE ({_choices(allowed)}) or --format")


def _choices(allowed: tuple[str, ...]) -> str:
    return ", ".join(f".{fmt}" for fmt in allowed)


def choose_view(
    engine: Engine,
    project: Project,
    *,
    full: bool = False,
    query: str | None = None,
    params: dict[str, str] | None = None,
    focus_on: str | None = None,
    depth: int = 1,
    header_cache: Path | None = None,
) -> NetworkGraph:
    """The story view, the full triple graph or a saved query's graph, cut around the
    thing `focus_on` names (any spelling, an IRI or bkd:slug) if given."""
    from belkg.views.network import construct_view, find_node, focus, full_view, story_view

    if full and query:
        raise BelkgError("give --full or --query, not both")
    if params and not query:
        raise BelkgError("-p gives a parameter of a --query; there is no --query")
    if query:
        graph = construct_view(engine, project, query, params, header_cache)
    else:
        graph = full_view(engine) if full else story_view(engine)
    if focus_on is not None:
        graph = focus(graph, find_node(engine, project, graph, focus_on, header_cache), depth)
    return graph


def counted(number: int, noun: str) -> str:
    """ "1 edge", "2 edges", "0 edges": a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def default_title(graph: NetworkGraph) -> str:
    view = str(graph.graph.get("view", "story"))
    focused = graph.graph.get("focus")
    edges = counted(graph.number_of_edges(), "edge")
    counts = f"{counted(graph.number_of_nodes(), 'thing')}, {edges}"
    if focused is not None:
        depth = int(graph.graph.get("depth", 1))
        label = graph.nodes[focused].get("label", focused)
        return f"{label}: everything within {counted(depth, 'step')} ({counts})"
    if view == "story":
        return f"belkg: who took part in what, as the sources tell it ({counts})"
    if view == "full":
        return f"belkg: every triple ({counted(graph.number_of_nodes(), 'node')}, {edges})"
    return f"belkg: {view} ({counts})"


def load_renderer(fmt: str) -> None:
    """Import what making a view and writing it in `fmt` needs (networkx, and matplotlib
    for a picture) in this process, before a child is forked to do it: see
    `belkg.views.drawing.load_matplotlib`."""
    import importlib

    from belkg.views.drawing import PICTURE_FORMATS, load_matplotlib

    for name in ("networkx", "belkg.views.network", "belkg.views.interchange"):
        importlib.import_module(name)
    if fmt in PICTURE_FORMATS:
        load_matplotlib()


def render(graph: NetworkGraph, fmt: str, title: str | None = None) -> bytes:
    """The view as bytes in a format of VIEW_FORMATS."""
    from belkg.views.network import in_order

    graph = in_order(graph)
    title = title or default_title(graph)
    if fmt in ("graphml", "gexf", "json"):
        from belkg.views.interchange import write_graph

        return write_graph(graph, fmt)
    if fmt not in ("png", "svg", "html"):
        raise BelkgError(f"unknown format {fmt!r}; choose one of {', '.join(VIEW_FORMATS)}")
    if graph.number_of_nodes() > MOST_DRAWN:
        raise BelkgError(
            f"the view has {graph.number_of_nodes()} nodes, too many to draw legibly; cut it with --focus, "
            "or write .graphml, .gexf or .json for Gephi or Cytoscape"
        )
    if fmt == "html":
        from belkg.views.interactive import write_page

        return write_page(graph, title)
    from belkg.views.drawing import draw

    return draw(graph, fmt, title=title)
