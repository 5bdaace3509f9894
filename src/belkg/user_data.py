"""The user's own RDF files, queried beside the build for one command (`query --data`).

Each file is checked for syntax (a bad one is `FILE:LINE:COL: message`) and becomes a
named graph named by the file's URI; quads (N-Quads, TriG) keep the graphs they name,
and only their default-graph statements go to the file's graph. Nothing is written into
the build cache: engines load these statements beside the build, in memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from belkg.errors import BelkgError

# extension -> (pyoxigraph format name, what to call it)
DATA_FORMATS = {
    ".ttl": ("TURTLE", "Turtle"),
    ".nt": ("N_TRIPLES", "N-Triples"),
    ".nq": ("N_QUADS", "N-Quads"),
    ".trig": ("TRIG", "TriG"),
}
_PARSER_PREFIX = re.compile(r"^Parser error (?:at line \d+ between columns \d+ and \d+|between .*? column \d+)?: ?")


@dataclass(frozen=True)
class UserData:
    """The statements of the user's files as N-Quads, and the graphs they fill."""

    nquads: bytes
    graphs: tuple[str, ...]
    files: tuple[str, ...]


def graph_of(path: Path) -> str:
    """The name of a file's graph: its file: URI."""
    return path.resolve().as_uri()


def _format_of(path: Path, shown: str) -> tuple[str, str]:
    found = DATA_FORMATS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(DATA_FORMATS)
        raise BelkgError(f"cannot tell the RDF format from the extension {path.suffix!r}; use {known}", shown)
    return found


def read_file(path: Path, shown: str | None = None) -> list[object]:
    """The quads of one file (pyoxigraph Quads), its default graph named by the file."""
    import pyoxigraph as ox

    shown = shown or str(path)
    format_name, described = _format_of(path, shown)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BelkgError(f"cannot read: {error.strerror}", shown) from None
    graph = ox.NamedNode(graph_of(path))
    quads: list[object] = []
    try:
        for quad in ox.parse(data, format=getattr(ox.RdfFormat, format_name), base_iri=graph.value):
            if isinstance(quad, ox.Triple) or isinstance(quad.graph_name, ox.DefaultGraph):
                quad = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
            quads.append(quad)
    except SyntaxError as error:
        words = _PARSER_PREFIX.sub("", " ".join(str(error.msg).split())) or "cannot be read"
        where = f"{shown}:{error.lineno}:{error.offset}" if error.lineno else shown
        raise BelkgError(f"{described} syntax error: {words}", where) from None
    except UnicodeDecodeError as error:
        raise BelkgError(f"not UTF-8 text (byte {error.start})", shown) from None
    return quads


def read_user_data(paths: Sequence[str]) -> UserData | None:
    """The statements of every file given (None if none), each file checked."""
    if not paths:
        return None
    import pyoxigraph as ox

    quads: list[object] = []
    for name in paths:
        quads.extend(read_file(Path(name), name))
    graphs = sorted({quad.graph_name.value for quad in quads})  # type: ignore[attr-defined]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[arg-type]
    return UserData(data, tuple(graphs), tuple(paths))
