"""Comparisons the tests share, and a belkg server to test against."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic


def graph_names(dataset: Dataset) -> set[str]:
    return {str(graph.identifier) for graph in dataset.graphs() if len(graph)}


def same_graph(first: Graph, second: Graph) -> bool:
    """Isomorphic: for graphs without blank nodes, the same set of triples (what
    rdflib's isomorphic() decides too, at a fraction of its cost)."""
    if any(isinstance(term, BNode) for graph in (first, second) for triple in graph for term in triple):
        return isomorphic(first, second)
    return len(first) == len(second) and set(first) == set(second)


def same_dataset(first: Dataset, second: Dataset) -> bool:
    """The same named graphs, each isomorphic to its counterpart."""
    if graph_names(first) != graph_names(second):
        return False
    return all(
        same_graph(first.graph(graph.identifier), second.graph(graph.identifier))
        for graph in first.graphs()
        if len(graph)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(
    command: list[str], log: Path, ready_url: str, seconds: float, what: str, cwd: Path | None = None
) -> Iterator[None]:
    """A server process, its output in `log`, from the moment `ready_url` answers until
    the block ends; then stopped (killed if it does not stop)."""
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=cwd, stdout=stream, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start: {log.read_text(errors='replace')[-800:]}") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def belkg_server(project: Path, cache: Path, log: Path, *extra: str) -> Iterator[str]:
    """`belkg serve` on a free port of 127.0.0.1, in its own process: its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "belkg.cli", "--project", str(project), "--cache-dir", str(cache), "-q",
               "serve", "--port", str(port), *extra]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with running(command, log, f"{base}/sparql?query=ASK%7B%7D", 60, "belkg serve"):
        yield base
