"""Entity and document pages of belkg serve: the wall time of each GET, and the server's
start-up time.

Starts `belkg serve` (its store in memory) on a project, times it until it answers, then
GETs, one at a time, the HTML page of the things named by the most claims, of typical
things (those around the median number of claims), of documents (the one with the most
claims and others spread over the range), and each thing's neighbourhood picture. Reports
the median and the largest time per kind, and every page's time.

Usage: python bench/pages.py --project DIR [--cache-dir DIR] [--sample 5] [--timeout 300]
       [--rounds 2 --settle 120] [--serve-option=--conflicts-timeout --serve-option=60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import free_port, running  # noqa: E402

BKD = "https://w3id.org/belkg/id/"
PREFIXES = (
    "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX bk: <https://w3id.org/belkg/ontology#> "
)
# Things by the number of claims that name them (in any property), and documents by the
# number of claims they make: the sample is drawn from these (not timed).
THINGS = (
    PREFIXES + "SELECT ?thing (COUNT(DISTINCT ?claim) AS ?claims) WHERE { "
    "GRAPH <https://w3id.org/belkg/graph/entities> { ?thing skos:prefLabel ?label } "
    "GRAPH ?document { ?claim prov:wasDerivedFrom ?evidence ; ?naming ?thing } } "
    "GROUP BY ?thing ORDER BY DESC(?claims) ?thing"
)
DOCUMENTS = (
    PREFIXES + "SELECT ?document (COUNT(DISTINCT ?claim) AS ?claims) WHERE { "
    "?document bk:seedFile ?seed . GRAPH ?document { ?claim prov:wasDerivedFrom ?evidence } } "
    "GROUP BY ?document ORDER BY DESC(?claims) ?document"
)


def _get(url: str, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def _select(base: str, text: str, timeout: float) -> list[tuple[str, int]]:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": text})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        bindings = json.load(response)["results"]["bindings"]
    names = list(bindings[0]) if bindings else []
    return [(row[names[0]]["value"], int(row[names[1]]["value"])) for row in bindings]


def _spread(ranked: list[tuple[str, int]], count: int) -> list[tuple[str, int]]:
    """count items evenly spaced over the ranking, its first included."""
    if len(ranked) <= count:
        return ranked
    step = (len(ranked) - 1) / (count - 1) if count > 1 else 0
    return [ranked[round(n * step)] for n in range(count)]


def _around_median(ranked: list[tuple[str, int]], count: int, taken: set[str]) -> list[tuple[str, int]]:
    middle = len(ranked) // 2
    left = [item for item in ranked[max(middle - count, 0) :] if item[0] not in taken]
    return left[:count]


def sample(base: str, count: int, timeout: float) -> dict[str, list[tuple[str, int]]]:
    things = _select(base, THINGS, timeout)
    documents = _select(base, DOCUMENTS, timeout)
    top = things[:count]
    typical = _around_median(things, count, {iri for iri, _ in top})
    return {"entity (most claims)": top, "entity (typical)": typical, "document": _spread(documents, count)}


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _report(times: dict[str, list[float]], lines: list[str], how: str) -> None:
    print(f"load average after: {_load_average()}")
    for kind, values in times.items():
        print(f"{kind:22} median {statistics.median(values) * 1000:8.1f} ms   max {max(values) * 1000:8.1f} ms   "
              f"({len(values)} pages{how})")  # fmt: skip
    print("\n".join(lines))


def _conflicts_status(base: str, timeout: float) -> str:
    """What /conflicts answers now: the server finds the conflicts in the background."""
    try:
        with urllib.request.urlopen(f"{base}/conflicts", timeout=timeout) as response:
            return f"HTTP {response.status} (the conflicts are known)"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code} ({'still running' if error.headers.get('Retry-After') else 'failed'})"


def measure(
    project: Path, cache: Path | None, count: int, timeout: float, options: list[str], rounds: int, settle: float
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "belkg.cli", "--project", str(project), "-q"]
    if cache is not None:
        command += ["--cache-dir", str(cache)]
    command += ["serve", "--port", str(port), "--timeout", str(timeout), *options]
    with tempfile.TemporaryDirectory(prefix="belkg-bench-pages-") as folder:
        began = time.perf_counter()
        with running(command, Path(folder) / "log", f"{base}/sparql?query=ASK%7B%7D", 24 * 3600, "belkg serve"):
            started = time.perf_counter() - began
            print(f"project {project}; load average {_load_average()}")
            print(f"start-up (until /sparql answers): {started:.1f} s; /conflicts: {_conflicts_status(base, timeout)}")
            chosen = sample(base, count, timeout)
            for round_number in range(1, rounds + 1):
                if round_number > 1:
                    time.sleep(settle)
                    print(f"\nround {round_number}, {settle:g} s later; load average {_load_average()}; "
                          f"/conflicts: {_conflicts_status(base, timeout)}")  # fmt: skip
                _pages(base, chosen, timeout)


def _pages(base: str, chosen: dict[str, list[tuple[str, int]]], timeout: float) -> None:
    times: dict[str, list[float]] = {}
    lines: list[str] = []
    for kind, items in chosen.items():
        for iri, claims in items:
            slug = iri[len(BKD) :]
            seconds, size = _get(f"{base}/id/{slug}", timeout)
            times.setdefault(kind, []).append(seconds)
            lines.append(f"  {kind:22} {slug:40} {claims:6} claims  {seconds * 1000:8.1f} ms  {size:8} bytes")
            if kind.startswith("entity"):
                try:
                    seconds, size = _get(f"{base}/id/{slug}/neighbourhood.svg", timeout)
                except urllib.error.HTTPError as error:  # not in the story view, or not yet: no picture
                    lines.append(f"  {'picture':22} {slug:40} {'':6}         HTTP {error.code}")
                    continue
                times.setdefault("neighbourhood picture", []).append(seconds)
                lines.append(f"  {'picture':22} {slug:40} {'':6}         {seconds * 1000:8.1f} ms  {size:8} bytes")
    print(f"/conflicts after the pages: {_conflicts_status(base, timeout)}")
    _report(times, lines, "")


def in_process(project_dir: Path, cache: Path | None, count: int) -> None:
    """The same sample, timed in this process: the calls the server makes for a page
    (gather and render), each also inside a forked child as the server runs them, but
    with no HTTP and without the conflicts list (no disputed marks). For a graph whose
    conflicts take too long to find for the server to start."""
    from belkg.build.cache import default_cache_root, input_key, open_entry
    from belkg.engines import QueryResult
    from belkg.limits import one_shot, within
    from belkg.project import Project
    from belkg.web.render import Renderer
    from belkg.web.server import open_pages

    one_shot(False)
    project = Project(project_dir)
    root = cache or default_cache_root()
    began = time.perf_counter()
    entry = open_entry(root, input_key(project), thorough=False)
    if entry is None:
        raise SystemExit("no build of this project in the cache: run belkg build first")
    pages = open_pages(project, entry, root)
    opened = time.perf_counter() - began
    pages.story()
    storied = time.perf_counter() - began - opened
    pages.conflicts_found([])  # not found: see the docstring
    renderer = Renderer()
    pages.warm()
    renderer.warm()
    print(f"project {project_dir}; load average {_load_average()}")
    print(f"in process: store into memory {opened:.1f} s, story view {storied:.1f} s, conflicts not found")

    def select(text: str) -> list[tuple[str, int]]:
        result: QueryResult = pages.engine.run(text)
        return [(row[result.variables[0]].value, int(row[result.variables[1]].value)) for row in result.rows]

    things, documents = select(THINGS), select(DOCUMENTS)
    top = things[:count]
    chosen = {"entity (most claims)": top, "entity (typical)": _around_median(things, count, {i for i, _ in top}),
              "document": _spread(documents, count)}  # fmt: skip
    forked = []
    for _ in range(3):
        start = time.perf_counter()
        within(lambda: None, None, None, "fork")
        forked.append(time.perf_counter() - start)
    print(f"an empty forked child: median {statistics.median(forked) * 1000:.1f} ms")
    times: dict[str, list[float]] = {}
    lines = []
    for kind, items in chosen.items():
        for iri, claims in items:
            slug = iri[len(BKD) :]
            start = time.perf_counter()
            size = within(lambda slug=slug: len(renderer.render(pages.thing(slug), f"id/{slug}")), None, None, "page")
            seconds = time.perf_counter() - start
            times.setdefault(kind, []).append(seconds)
            lines.append(f"  {kind:22} {slug:40} {claims:6} claims  {seconds * 1000:8.1f} ms  {size:8} chars")
    _report(times, lines, ", in a forked child, no HTTP")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default=str(ROOT))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--sample", type=int, default=5, help="pages of each kind")
    parser.add_argument("--timeout", type=float, default=300.0, help="the server's --timeout, and each GET's")
    parser.add_argument("--in-process", action="store_true", help="no server: see in_process()")
    parser.add_argument("--serve-option", action="append", default=[], metavar="ARG",
                        help="an argument for belkg serve (repeat it for each: --serve-option=--memory)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1, help="times the same pages are fetched")
    parser.add_argument("--settle", type=float, default=120.0, help="seconds between rounds (the server's "
                        "background work, conflicts and pictures, may end meanwhile)")  # fmt: skip
    options = parser.parse_args()
    if options.in_process:
        in_process(Path(options.project), Path(options.cache_dir) if options.cache_dir else None, options.sample)
        return
    measure(Path(options.project), Path(options.cache_dir) if options.cache_dir else None, options.sample,
            options.timeout, options.serve_option, options.rounds, options.settle)  # fmt: skip


if __name__ == "__main__":
    main()
