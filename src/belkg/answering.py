"""One query answered for the command line: the engine it runs on (the local build or a
SPARQL endpoint), its rendered bytes, and the notes that go with them."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from belkg.catalogue import SavedQuery
from belkg.errors import BelkgError
from belkg.limits import within
from belkg.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any


class Answer(NamedTuple):
    data: bytes  # the result in the chosen format
    size: str  # "N rows", "N triples" or "answer: yes/no", for the `wrote` line
    notes: list[str]  # hints for stderr: unknown IRI parameters, what --no-inference leaves out


def endpoint_runner(
    endpoint: str, timeout: float, max_response_mib: int, *, no_inference: bool, has_data: bool
) -> tuple[Any, AbstractContextManager[None]]:
    """An engine for a SPARQL endpoint, and the context its requests run in (the network
    allowed). Local-only options are refused."""
    from belkg.remote import EndpointEngine
    from belkg.safety import network_allowed

    if no_inference:
        raise BelkgError("--no-inference works on the local build only; the endpoint decides its default graph")
    if has_data:
        raise BelkgError("--data works on the local build only; load the files into the endpoint's store instead")
    return EndpointEngine(endpoint, timeout, max_response_mib << 20), network_allowed()


def answer_query(
    runner: Any,
    query: SavedQuery,
    params: dict[str, str],
    *,
    output: str | None,
    fmt: str | None,
    timeout: float | None,
    memory: int | None,
    notes: bool = True,
    whole: Any = None,
    guard: AbstractContextManager[None] | None = None,
) -> Answer:
    """Run the query under the limits and render it in the format asked for (or the one
    the output file's extension names). With `notes`, hints for parameters that name
    nothing; with `whole` (an engine with inference, for a run without), what the run
    leaves out."""
    from belkg.querying import inference_notes, labels_for, parameter_notes, run
    from belkg.results import format_for, needs_labels, render, render_graph, size_of, table_width

    width = table_width()
    where = str(query.path) if query.path else query.name

    def work() -> Answer:
        result = run(runner, query, params)
        found = parameter_notes(runner, query, params) if notes else []
        if whole is not None:
            found += inference_notes(whole, query)
        chosen = format_for(output, fmt, result.kind)
        if result.kind == "graph":
            return Answer(render_graph(result, chosen), size_of(result), found)
        labels = labels_for(runner, result) if needs_labels(chosen) else {}
        return Answer(render(result, chosen, labels, width).encode("utf-8"), size_of(result), found)

    with guard or nullcontext():
        return within(work, timeout, memory, where)
