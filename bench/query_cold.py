"""Cold-start cost of `belkg query NAME` with a warm build cache, measured side by side.

Three commands, each a fresh process, run in turn N times (interleaved, so machine load
hits all three alike):

  belkg   the real command: `belkg query NAME` (table output, with labels)
  floor   a bare Python process that opens the cached Oxigraph store and runs the same
          query text: the least any Oxigraph-based tool can do
  rdflib  a plain rdflib script that parses the project's Turtle and runs the same query

Reports the median wall time of each and the ratios belkg/floor and rdflib/belkg.

    python bench/query_cold.py [--query negotiators] [--runs 15] [--project DIR]
                               [--cache-dir DIR] [--no-rdflib] [--output FILE.md]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = """
import sys, pyoxigraph
store = pyoxigraph.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
rows = list(store.query(text, use_default_graph_as_union=True))
print(len(rows))
"""

RDFLIB = """
import sys
from pathlib import Path
from rdflib import Dataset, URIRef
root = Path(sys.argv[1])
dataset = Dataset(default_union=True)
files = [root / "ontology" / "belkg.ttl", root / "kg" / "entities.ttl"]
files += sorted(p for p in (root / "kg").glob("[0-9]*.ttl"))
for path in files:
    dataset.graph(URIRef(path.resolve().as_uri())).parse(path, format="turtle")
rows = list(dataset.query(open(sys.argv[2], encoding="utf-8").read()))
print(len(rows))
"""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(query: str, runs: int, cache: Path, root: Path = ROOT, rdflib: bool = True) -> dict[str, float]:
    from belkg.catalogue import find_saved_query
    from belkg.project import Project
    from belkg.querying import prepare
    from belkg.session import current_entry

    project = Project(root)
    entry = current_entry(project, cache)  # warm the cache (builds it if needed)
    saved = find_saved_query(project.queries_dir, query)
    text_file = cache / "query.rq"
    text_file.write_text(prepare(saved, {}), encoding="utf-8")
    belkg = shutil.which("belkg") or str(Path(sys.executable).parent / "belkg")
    commands = {
        "belkg": [belkg, "-q", "--project", str(root), "--cache-dir", str(cache), "query", query],
        "floor": [sys.executable, "-c", FLOOR, str(entry.store_dir), str(text_file)],
    }
    if rdflib:
        commands["rdflib"] = [sys.executable, "-c", RDFLIB, str(root), str(text_file)]
    # As an installed package would, run from compiled bytecode (PYTHONDONTWRITEBYTECODE
    # may be set, and an editable install compiles nothing).
    import belkg

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(belkg.__file__).parent)], check=True)
    for command in commands.values():  # one untimed run each: page cache
        timed(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(query: str, runs: int, medians: dict[str, float]) -> str:
    lines = [
        f"Cold `belkg query {query}` with a warm cache; median of {runs} runs each, interleaved.",
        "",
        "| command | median (ms) |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds * 1000:.0f} |" for name, seconds in medians.items()]
    lines += ["", f"- belkg / floor: {medians['belkg'] / medians['floor']:.2f}x (target: at most 2x)"]
    if "rdflib" in medians:
        lines.append(f"- rdflib / belkg: {medians['rdflib'] / medians['belkg']:.1f}x faster (target: at least 8x)")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="negotiators")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--project", type=Path, default=ROOT, help="The project (default: this repository).")
    parser.add_argument("--cache-dir", type=Path, default=None, help="A build cache to reuse (default: a new one).")
    parser.add_argument("--no-rdflib", action="store_true", help="Leave out the plain rdflib script.")
    parser.add_argument("--output", type=Path, default=None, help="Also write the report (Markdown) here.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belkg-bench-") as folder:
        cache = arguments.cache_dir or Path(folder)
        medians = measure(arguments.query, arguments.runs, cache, arguments.project.resolve(), not arguments.no_rdflib)
    text = report(arguments.query, arguments.runs, medians)
    print(text, end="")
    if arguments.output:
        arguments.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
