"""Comparisons the tests share, and a belkg server to test against."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset
from rdflib.compare import isomorphic


def graph_names(dataset: Dataset) -> set[str]:
    return {str(graph.identifier) for graph in dataset.graphs() if len(graph)}


def same_dataset(first: Dataset, second: Dataset) -> bool:
    """The same named graphs, each isomorphic to its counterpart."""
    if graph_names(first) != graph_names(second):
        return False
    return all(
        isomorphic(first.graph(graph.identifier), second.graph(graph.identifier))
        for graph in first.graphs()
        if len(graph)
    )


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def belkg_server(project: Path, cache: Path, log: Path, *extra: str) -> Iterator[str]:
    """`belkg serve` on a free port of 127.0.0.1, in its own process: its base URL."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    command = [sys.executable, "-m", "belkg.cli", "--project", str(project), "--cache-dir", str(cache), "-q",
               "serve", "--port", str(port), *extra]  # fmt: skip
    with log.open("wb") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"belkg serve did not start: {log.read_text()[:500]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
