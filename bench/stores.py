"""When to move to a server: load time and saved-query times on the Oxigraph server and
Virtuoso against the local engine, on one generated graph, side by side in one run.

    python bench/stores.py --triples 100000 [--timeout 60] [--out bench/results/stores.md]
    python bench/stores.py --triples 1000000 --project DIR --cache-dir DIR [--timeout 30] [--compare-push BELKG]

It generates a project (bench/generate.py) and builds it, or takes a project already
generated (with --triples, the size it was generated at) and its cache (--project,
--cache-dir: a build that is current is used as it is). It starts each store on
127.0.0.1 with a throwaway database (the same starters as the tests, tests/stores.py),
pushes the build into it with `belkg push` (timed: the load), then runs every saved
query with its defaults once on each (after one untimed warm-up run) and writes a
Markdown table. A query over --timeout seconds is shown as "> N s" (one whose warm-up
went over is not run again). With --compare-push, another belkg command (an older
version, say) is timed pushing the same build into a fresh store of each kind first,
for a before/after ratio in the same run.

The output file holds one section per graph size: a run replaces its own size's section
and keeps the others.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from belkg.build.pipeline import build  # noqa: E402
from belkg.catalogue import load_catalogue  # noqa: E402
from belkg.errors import BelkgError  # noqa: E402
from belkg.project import Project  # noqa: E402
from belkg.querying import open_engine, run  # noqa: E402
from belkg.remote import EndpointEngine  # noqa: E402
from stores import STARTERS, Store  # noqa: E402

STORES = ("oxigraph", "virtuoso")
TITLE = "# When to move to a server"
INTRO = """\
Made by bench/stores.py: each section is one run of it on one generated graph. Every store
is started on 127.0.0.1 with a throwaway database by the test starters (tests/stores.py),
loaded with `belkg push` (one Graph Store Protocol request per named graph), and asked
every saved query with its defaults: one timed run per cell after one untimed warm-up;
seconds, and the ratio to the local engine. The local engine is belkg's Oxigraph engine
over the build cache (opened once, each query in a child process with the time limit)."""


def timed(action: Callable[[], Any], timeout: float) -> float | str:
    """Seconds the action took, or why there are none: "timeout" (over the limit) or
    "error" (any other failure)."""
    started = time.perf_counter()
    try:
        action()
    except BelkgError as error:
        seconds = time.perf_counter() - started
        words = ("longer than", "within", "did not answer")
        over = seconds >= timeout or any(word in error.message for word in words)
        print(f"  {error.message[:300]}", file=sys.stderr)
        return "timeout" if over else "error"
    seconds = time.perf_counter() - started
    return seconds if seconds <= timeout else "timeout"


def cell(outcome: float | str, local: float | str, timeout: float, rows: int | None = None,
         local_rows: int | None = None) -> str:  # fmt: skip
    """A store's time and its ratio to the local engine's, and its row count where it
    differs from the local engine's."""
    if outcome == "timeout":
        return f"> {timeout:g} s"
    if outcome == "crashed":
        return "crashed the store"
    if isinstance(outcome, str):
        return outcome
    text = f"{outcome:.3f}"
    if isinstance(local, float):
        text += f" ({outcome / local:.1f}×)"
    if rows is not None and local_rows is not None and rows != local_rows:
        text += f" **{rows} rows**"
    return text


def alive(store: Store) -> bool:
    try:
        EndpointEngine(store.query_url, timeout=10).run("ASK {}")
    except BelkgError:
        return False
    return True


def checkpoint(store: Store) -> None:
    """Virtuoso writes what it loaded to its database file (else a restart after a crash
    replays the whole load from its transaction log)."""
    if store.name == "virtuoso":
        command = ["isql-vt", str(store.sql_port), "dba", "dba", "exec=checkpoint;"]
        subprocess.run(command, capture_output=True, check=True, timeout=600)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def distinct_quads(dataset_file: Path) -> int:
    with dataset_file.open("rb") as stream:
        return len({line for line in stream if line.endswith(b" .\n")})


def push(belkg: str, project_dir: Path, cache: Path, store: Store) -> float:
    """Seconds `belkg push --replace` took to load the whole build into the store."""
    command = [belkg, "--project", str(project_dir), "--cache-dir", str(cache), "-q", "push"]
    command += ["--endpoint", store.store_url, "--replace", "--timeout", "1800"]
    if store.user:
        command += ["--user", store.user, "--password", str(store.password)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{belkg} push into {store.name} failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def start(name: str, folder: Path, timeout: float) -> Any:
    """A store's starter. The Oxigraph server stops a query a little after the client
    gives up on it (Virtuoso stops any after 120 s: tests/stores.py), so that a query
    over the limit does not run on beside the next ones."""
    if name == "oxigraph":
        return STARTERS[name](folder, query_seconds=timeout + 5)
    return STARTERS[name](folder)


def merge_section(path: Path, heading: str, body: list[str], order: int) -> str:
    """The results file with this run's section (keyed by its heading, ordered by graph
    size) in place of an older one of the same size."""
    sections: dict[str, tuple[int, str]] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        for part in re.split(r"(?m)^(?=## )", text)[1:]:
            title = part.split("\n", 1)[0]
            size = re.search(r"([\d,]+) triples", title)
            sections[title] = (int(size.group(1).replace(",", "")) if size else 0, part.rstrip("\n") + "\n")
    sections[heading] = (order, "\n".join([heading, "", *body]).rstrip("\n") + "\n")
    ordered = [part for _, part in sorted(sections.values(), key=lambda item: item[0])]
    return "\n".join([TITLE, "", INTRO, "", *ordered])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--triples", type=int, required=True, help="Generate a project of this size (or: --project's size)."
    )
    parser.add_argument("--project", type=Path, help="A project already generated, of --triples size.")
    parser.add_argument("--cache-dir", type=Path, help="Its build cache (with --project).")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds each query may take.")
    parser.add_argument("--compare-push", metavar="BELKG", help="Also time this belkg command's push, first.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stores.md")
    args = parser.parse_args()
    if (args.project is None) != (args.cache_dir is None):
        parser.error("--project and --cache-dir go together")

    with tempfile.TemporaryDirectory() as temporary, ExitStack() as stack:
        base = Path(temporary)
        if args.project is None:
            project_dir, cache = base / "project", base / "cache"
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "generate.py"), str(project_dir), "--triples", str(args.triples)],
                check=True,
                capture_output=True,
            )
            command = f"python bench/stores.py --triples {args.triples}"
        else:
            project_dir, cache = args.project.resolve(), args.cache_dir.resolve()
            command = f"python bench/stores.py --triples {args.triples} --project {args.project}"
            command += f" --cache-dir {args.cache_dir}"
        command += f" --timeout {args.timeout:g}" + (" --compare-push BELKG" if args.compare_push else "")
        project = Project(project_dir)
        started = time.perf_counter()
        built = build(project, cache)
        build_seconds = time.perf_counter() - started
        if built.from_cache:
            how = f"built before this run (the cache manifest: {built.seconds.get('total', 0):.1f} s)"
        else:
            how = f"built in this run with the default fast path in {build_seconds:.1f} s"
        quads = distinct_quads(built.entry.dataset_file)
        local = open_engine(built.entry, "oxigraph")
        loads_at_start = load_average()
        print(f"{quads:,} quads; load average {loads_at_start}", file=sys.stderr)

        belkg = str(Path(sys.executable).with_name("belkg"))
        before: dict[str, float] = {}
        if args.compare_push:
            for name in STORES:
                folder = base / f"{name}-before"
                folder.mkdir()
                with start(name, folder, args.timeout) as store:
                    before[name] = push(args.compare_push, project_dir, cache, store)
                print(f"loaded {name} with {args.compare_push} in {before[name]:.1f} s", file=sys.stderr)

        stores: dict[str, Store] = {}
        running: dict[str, ExitStack] = {}
        loads: dict[str, float] = {}
        for name in STORES:
            folder = base / name
            folder.mkdir()
            running[name] = stack.enter_context(ExitStack())
            store = running[name].enter_context(start(name, folder, args.timeout))
            loads[name] = push(belkg, project_dir, cache, store)
            checkpoint(store)
            stores[name] = store
            print(f"loaded {name} in {loads[name]:.1f} s", file=sys.stderr)
        loads_after_push = load_average()

        def restart(name: str) -> None:
            """A store that crashed, started again on its database (which keeps the load)."""
            running[name].close()
            for lock in (base / name).glob("*.lck"):
                lock.unlink()
            stores[name] = running[name].enter_context(start(name, base / name, args.timeout))
            print(f"restarted {name}", file=sys.stderr)

        rows = []
        for query in load_catalogue(project.queries_dir):
            times: dict[str, float | str] = {}
            counts: dict[str, int | None] = {}
            for name in ["local", *stores]:

                def once(name: str = name, query: Any = query, counts: dict[str, int | None] = counts) -> None:
                    if name == "local":
                        result = run(local, query, {}, timeout=args.timeout)
                    else:  # a new engine each run: one engine's requests share one time limit
                        result = run(EndpointEngine(stores[name].query_url, timeout=args.timeout), query, {})
                    counts[name] = len(result.rows) if result.kind == "select" else None

                # The warm-up fills the store's caches and the gate's verdict; a query
                # that went over the limit then is not run again.
                times[name] = timed(once, args.timeout)
                if isinstance(times[name], float):
                    times[name] = timed(once, args.timeout)
                if name != "local" and not isinstance(times[name], float) and not alive(stores[name]):
                    times[name] = "crashed"
                    restart(name)
            rows.append((query.name, times, counts))
            print(query.name, times, counts, file=sys.stderr)
        loads_at_end = load_average()

    heading = f"## {args.triples:,} triples ({quads:,} quads built)"
    body = [
        f"`{command}`, finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"The project: bench/generate.py --triples {args.triples}; {how}; the build holds {quads:,} quads.",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" {os.cpu_count()} cores shared with other work; load average (1, 5, 15 min) {loads_at_start} at the"
        f" start, {loads_after_push} after the loads, {loads_at_end} at the end.",
        f"Stores: {', '.join(f'{s.name} ({s.version})' for s in stores.values())}.",
        "",
        "| step | local | rows | " + " | ".join(stores) + " |",
        "|---|---|---|" + "---|" * len(stores),
    ]
    if before:
        body.append(
            "| load with the other belkg (`--compare-push`) | | | "
            + " | ".join(f"{before[name]:.1f} s" for name in stores)
            + " |"
        )
    body.append(
        "| load (`belkg push`, whole build) | (build above) | | "
        + " | ".join(
            f"{loads[name]:.1f} s" + (f" ({loads[name] / before[name]:.2f}× the other)" if name in before else "")
            for name in stores
        )
        + " |"
    )
    for name, times, counts in rows:
        local_time, local_rows = times["local"], counts.get("local")
        body.append(
            f"| query {name} | {cell(local_time, '', args.timeout)} | {'' if local_rows is None else local_rows} | "
            + " | ".join(
                cell(times[store], local_time, args.timeout, counts.get(store), local_rows) for store in stores
            )
            + " |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(merge_section(args.out, heading, body, args.triples), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
