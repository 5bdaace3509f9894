"""A network view as a file for other tools: GraphML and GEXF (Gephi, Cytoscape, yEd) and
Cytoscape.js JSON (which networkx reads back with `cytoscape_graph`).

GraphML and GEXF hold plain values only: a list becomes one string, its items joined by
" | " (sources, claims, quotes, aliases, dates), with a count beside it (`claim_count`,
`source_count`); the per-quote `evidence` records are left out (their quotes, sources and
claims are there). The JSON keeps every attribute as it is, lists and records included.
"""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING, Any

from belkg.errors import BelkgError

if TYPE_CHECKING:
    import networkx as nx

    NetworkGraph = nx.MultiDiGraph[str]

FILE_FORMATS = ("graphml", "gexf", "json")
SEPARATOR = " | "


def _plain(attributes: dict[str, Any]) -> dict[str, str | int | float]:
    plain: dict[str, str | int | float] = {}
    for name, value in attributes.items():
        if value is None or name == "evidence":
            continue
        if isinstance(value, bool):
            plain[name] = str(value).lower()
        elif isinstance(value, int | float | str):
            plain[name] = value
        elif isinstance(value, list | tuple):
            plain[name] = SEPARATOR.join(str(item) for item in value)
            if name in ("claims", "sources"):
                plain[f"{name[:-1]}_count"] = len(value)
        else:
            plain[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return plain


def flattened(graph: NetworkGraph) -> NetworkGraph:
    """A copy of the view whose attributes are all strings or numbers."""
    import networkx as nx

    flat: NetworkGraph = nx.MultiDiGraph()
    flat.graph.update({name: value for name, value in _plain(graph.graph).items() if name != "documents"})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_plain(data))
    for start, end, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(start, end, key, **_plain(data))
    return flat


def cytoscape_json(graph: NetworkGraph) -> dict[str, Any]:
    """The view as Cytoscape.js elements ({"elements": {"nodes": [...], "edges": [...]}}),
    each node named by its label."""
    import networkx as nx

    data: dict[str, Any] = nx.cytoscape_data(graph, name="label")
    # networkx gives the graph's attributes as a list of pairs; Cytoscape reads an object.
    data["data"] = dict(graph.graph)
    for index, edge in enumerate(data["elements"]["edges"]):
        edge["data"].setdefault("id", f"e{index}")
    return data


def write_graph(graph: NetworkGraph, fmt: str) -> bytes:
    """The view as GraphML, GEXF or Cytoscape.js JSON bytes."""
    import networkx as nx

    if fmt == "json":
        return (json.dumps(cytoscape_json(graph), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    stream = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flattened(graph), stream, encoding="utf-8", named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(flattened(graph), stream, encoding="utf-8")
        # networkx stamps today's date: left out, so that the same build gives the same bytes.
        return re.sub(rb' lastmodifieddate="[^"]*"', b"", stream.getvalue(), count=1)
    else:
        raise BelkgError(f"unknown graph file format {fmt!r}; choose one of {', '.join(FILE_FORMATS)}")
    return stream.getvalue()
