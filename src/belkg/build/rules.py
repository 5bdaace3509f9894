"""Derive the simple edges from the claims by the SPARQL CONSTRUCT rules in ontology/rules/.

The rules run on an in-memory Oxigraph store of the asserted quads, whose default graph
is the union of the named graphs (rdflib's SPARQL engine picks slow join orders at scale).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from belkg.build.loading import read_text
from belkg.errors import BelkgError

_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def _rule_error(error: Exception, shown: str) -> BelkgError:
    message = " ".join(str(error).split())
    where = shown
    position = _POSITION.match(message)
    if position:
        where = f"{shown}:{position[1]}:{position[2]}"
        message = message[position.end() :]
    message = message.split(", ['", 1)[0]  # drop the long list of allowed character ranges
    return BelkgError(f"rule is not a valid SPARQL CONSTRUCT query: {message}", where)


def derive_edges(
    store: Any, rule_files: list[Path], shown: dict[Path, str] | None = None, checks_cache: Path | None = None
) -> list[Any]:
    """Run every rule over the union of the store's graphs; return the pyoxigraph
    triples they build, without repeats, in a fixed order. The gate's verdicts are kept
    in `checks_cache`: a rule is read by rdflib's parser only when its text is new."""
    import pyoxigraph

    from belkg.safety import Gate

    gate = Gate((graph.value for graph in store.named_graphs()), cache_dir=checks_cache)
    edges: set[Any] = set()
    for path in rule_files:
        name = (shown or {}).get(path, str(path))
        text = read_text(path, name)
        analysis = gate.analysis(gate.canonical(text, name), name)
        if analysis.syntax_error:
            raise _rule_error(SyntaxError(analysis.syntax_error), name)
        checked = gate.check(text, name)
        try:
            result = store.query(checked.text, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise _rule_error(error, name) from None
        if not isinstance(result, pyoxigraph.QueryTriples):
            raise BelkgError("a rule must be a CONSTRUCT query", name)
        edges.update(result)
    return sorted(edges, key=str)
