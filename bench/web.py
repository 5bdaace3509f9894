"""/sparql under load: belkg serve against `oxigraph serve` on the same data, side by side.

Each of 8 client threads runs the saved queries (with their defaults) in a bounded loop
over 127.0.0.1; the report gives requests per second and p50/p99 latency for each
server. Usage: python bench/web.py [--project DIR] [--rounds N]
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import belkg_server, free_port  # noqa: E402

from belkg.catalogue import load_catalogue  # noqa: E402
from belkg.project import Project  # noqa: E402
from belkg.querying import prepare  # noqa: E402
from belkg.session import current_entry  # noqa: E402

CLIENTS = 8


def _load(url: str, queries: list[str], rounds: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        for index in range(rounds * len(queries)):
            text = queries[(index + offset) % len(queries)]
            body = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(
                url, data=body, headers={"Accept": "application/sparql-results+json, text/turtle"}
            )
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies


def _report(name: str, elapsed: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name:16} {len(latencies) / elapsed:8.1f} req/s   p50 {statistics.median(ordered) * 1000:7.1f} ms   "
        f"p99 {p99 * 1000:7.1f} ms   ({len(latencies)} requests, {CLIENTS} clients)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default=str(ROOT))
    parser.add_argument("--rounds", type=int, default=2, help="times each client runs every saved query")
    options = parser.parse_args()
    project = Project(Path(options.project))
    entry = current_entry(project)
    queries = [prepare(query, {}) for query in load_catalogue(project.queries_dir)]
    work = Path(tempfile.mkdtemp(prefix="belkg-bench-web-"))
    try:
        cache = entry.folder.parent
        with belkg_server(project.root, cache, work / "belkg.log") as base:
            belkg = _load(f"{base}/sparql", queries, options.rounds)
        binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        subprocess.run([binary, "load", "--location", str(work / "ox"), "--file", str(entry.dataset_file)],
                       check=True, capture_output=True)  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(work / "ox"), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            oxigraph = _load(f"http://127.0.0.1:{port}/query", queries, options.rounds)
        finally:
            server.terminate()
            server.wait()
        print(_report("belkg serve", *belkg))
        print(_report("oxigraph serve", *oxigraph))
        print(f"belkg / oxigraph throughput: {(len(belkg[1]) / belkg[0]) / (len(oxigraph[1]) / oxigraph[0]):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
