"""/sparql under load: belkg serve against `oxigraph serve` on the same data, side by side.

Both servers run at once. After an untimed warm-up, each round has 8 client threads run
every saved query (with its defaults) once against each server in turn, over 127.0.0.1,
the order of the two servers alternating from round to round, so that other work on the
machine weighs on both alike. The report gives requests per second and p50/p99 latency
for each server over all rounds, the ratio per round, and the requests that failed (an
HTTP error or no answer in time), which count in the latencies too.
Usage: python bench/web.py [--project DIR] [--cache-dir DIR] [--rounds N] [--warm-up N]
[--start-timeout SECONDS]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from belkg.catalogue import load_catalogue  # noqa: E402
from belkg.project import Project  # noqa: E402
from belkg.querying import prepare  # noqa: E402
from belkg.session import current_entry  # noqa: E402

from helpers import free_port, running  # noqa: E402

CLIENTS = 8


def _load(url: str, queries: list[tuple[str, str]], rounds: int) -> tuple[float, list[float], dict[str, list[str]]]:
    latencies: list[float] = []
    failed: dict[str, list[str]] = {}  # query name: why each failed request failed
    lock = threading.Lock()

    def client(offset: int) -> None:
        for index in range(rounds * len(queries)):
            name, text = queries[(index + offset) % len(queries)]
            body = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(
                url, data=body, headers={"Accept": "application/sparql-results+json, text/turtle"}
            )
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
            except OSError as error:  # an HTTP error (a query over the server's limits), or no answer
                why = f"HTTP {error.code}" if isinstance(error, urllib.error.HTTPError) else type(error).__name__
                with lock:
                    failed.setdefault(name, []).append(why)
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, failed


def _report(name: str, elapsed: float, latencies: list[float], failed: dict[str, list[str]]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    count = sum(len(whys) for whys in failed.values())
    line = (
        f"{name:16} {len(latencies) / elapsed:8.1f} req/s   p50 {statistics.median(ordered) * 1000:7.1f} ms   "
        f"p99 {p99 * 1000:7.1f} ms   ({len(latencies)} requests, {count} failed, {CLIENTS} clients)"
    )
    for query, whys in sorted(failed.items()):
        line += f"\n    failed: {query} " + ", ".join(f"{why} x{whys.count(why)}" for why in sorted(set(whys)))
    return line


def _load_average() -> str:
    import os

    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _oxigraph(binary: str, work: Path, dataset: Path) -> Iterator[str]:
    """`oxigraph serve-read-only` over the dataset, loaded into a store on disk: its /query URL."""
    subprocess.run([binary, "load", "--location", str(work / "ox"), "--file", str(dataset)],
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    command = [binary, "serve-read-only", "--location", str(work / "ox"), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    with running(command, work / "oxigraph.log", f"{url}?query=ASK%7B%7D", 60, "oxigraph"):
        yield url


Run = tuple[float, list[float], dict[str, list[str]]]  # seconds, latencies, why requests failed


def _merged(runs: list[Run]) -> Run:
    failed: dict[str, list[str]] = {}
    for _, _, whys in runs:
        for name, why in whys.items():
            failed.setdefault(name, []).extend(why)
    return sum(run[0] for run in runs), [latency for run in runs for latency in run[1]], failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default=str(ROOT))
    parser.add_argument("--cache-dir", default=None, help="the build cache (default: belkg's)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="rounds; in each, each client runs every saved query once against each server, "
                        "the servers' order alternating")  # fmt: skip
    parser.add_argument("--warm-up", type=int, default=1, help="untimed rounds against each server first")
    parser.add_argument("--start-timeout", type=float, default=900.0, help="seconds belkg serve may take to start")
    options = parser.parse_args()
    project = Project(Path(options.project))
    entry = current_entry(project, Path(options.cache_dir) if options.cache_dir else None)
    queries = [(query.name, prepare(query, {})) for query in load_catalogue(project.queries_dir)]
    work = Path(tempfile.mkdtemp(prefix="belkg-bench-web-"))
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "belkg.cli", "--project", str(project.root), "--cache-dir",
                   str(entry.folder.parent), "-q", "serve", "--port", str(port)]  # fmt: skip
        binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        began = time.perf_counter()
        with running(command, work / "belkg.log", f"{base}/sparql?query=ASK%7B%7D", options.start_timeout, "belkg"):
            print(f"belkg serve started in {time.perf_counter() - began:.1f} s; load average {_load_average()}")
            began = time.perf_counter()
            with contextmanager(_oxigraph)(binary, work, entry.dataset_file) as oxigraph_url:
                print(f"oxigraph loaded and started in {time.perf_counter() - began:.1f} s")
                servers = {"belkg serve": f"{base}/sparql", "oxigraph serve": oxigraph_url}
                for _ in range(options.warm_up):
                    for url in servers.values():
                        _load(url, queries, 1)
                runs: dict[str, list[Run]] = {name: [] for name in servers}
                for number in range(options.rounds):
                    order = list(servers) if number % 2 == 0 else list(reversed(servers))
                    for name in order:
                        runs[name].append(_load(servers[name], queries, 1))
                print(f"load average after the rounds: {_load_average()}")
        results = {name: _merged(made) for name, made in runs.items()}
        for name, result in results.items():
            print(_report(name, *result))
        belkg, oxigraph = results["belkg serve"], results["oxigraph serve"]
        print(f"belkg / oxigraph throughput: {(len(belkg[1]) / belkg[0]) / (len(oxigraph[1]) / oxigraph[0]):.2f}")
        pairs = zip(runs["belkg serve"], runs["oxigraph serve"], strict=True)
        each = [(len(b[1]) / b[0]) / (len(o[1]) / o[0]) for b, o in pairs]
        print("per round: " + ", ".join(f"{ratio:.2f}" for ratio in each))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
