"""Time every saved query with its defaults on a build, the engine opened once.

    python bench/queries_1m.py --project /tmp/scale/p1m --cache-dir /tmp/scale/cache1m \
        [--queries queries] [--timeout 60] [--runs 1] [--engine oxigraph] [--in-memory] [--kept] [NAME ...]

Each query runs in a child process under the time limit (belkg.limits.within); the
time is taken in the child around the engine's run alone, so neither the fork nor the
limit's set-up is counted. The queries are this checkout's texts (--queries), run on
the given build's store, so an edited query can be timed without a rebuild. Prints one
line per query (median of --runs) and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from belkg.build.cache import VIEWS
from belkg.catalogue import load_catalogue
from belkg.errors import BelkgError
from belkg.keeper import keeper_of, running
from belkg.limits import within
from belkg.project import Project
from belkg.querying import open_engine, prepare
from belkg.session import current_entry

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--engine", default="oxigraph")
    parser.add_argument("--in-memory", action="store_true", help="copy the store into memory first, as the server does")
    parser.add_argument(
        "--kept", action="store_true", help="read and keep slow answers in views/, as the CLI (after a keeper at work)"
    )
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()

    entry = current_entry(Project(args.project), args.cache_dir)
    began = time.perf_counter()
    kept = args.cache_dir / VIEWS if args.kept else None
    if kept is not None:  # answers a keeper is still finding would be timed live
        keeper = keeper_of(kept, entry.folder.name)
        while (pid := running(keeper)) is not None:
            print(f"waiting for the keeper of this build (process {pid})", flush=True)
            time.sleep(2)
    engine = open_engine(entry, args.engine, in_memory=args.in_memory, kept=kept)
    print(f"opened in {time.perf_counter() - began:.1f} s ({'in memory' if args.in_memory else 'on disk'})")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    for query in load_catalogue(args.queries):
        if args.names and query.name not in args.names:
            continue
        text = prepare(query, {})
        engine.gate.check(text, query.name)  # the parse and safety check, once

        def timed(text: str = text, where: str = query.name) -> tuple[float, int]:
            start = time.perf_counter()
            result = engine.run(text, where)
            return time.perf_counter() - start, len(result.rows)

        times: list[float] = []
        rows = 0
        shown = ""
        for _ in range(args.runs):
            try:
                seconds, rows = within(timed, args.timeout, 8192, query.name)
            except BelkgError as error:
                shown = f"> {args.timeout:g} s ({error.message.split(':')[0]})"
                break
            times.append(seconds)
        if not shown:
            shown = f"{statistics.median(times):8.3f} s {rows:8} rows"
        print(f"{query.name:24} {shown}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)


if __name__ == "__main__":
    main()
