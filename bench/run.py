"""belkg against its baselines, side by side in one run, at several graph sizes.

Sizes are the project itself ("seed") and synthetic projects made by generate.py (each
made once into the work folder). At each size every measurement runs N times, each time
in a fresh process, interleaved so machine load hits all alike:

  belkg build        fresh and forced, into an empty cache: the default fast path and the
                     reference path (owlrl + pyshacl), with every phase the build reports
  belkg queries      every saved query on the Oxigraph engine (over the build cache) and
                     on the rdflib engine; opening each engine is timed apart
  belkg export       the build as N-Quads and as Turtle
  cold query         `belkg query NAME` as a fresh process, with a warm build cache
  baselines          a plain rdflib script (parse the Turtle, run the saved queries),
                     owlrl's OWL 2 RL closure, pyshacl validating the asserted graphs
  fast peers         pyoxigraph alone (load the Turtle into memory, run the same queries),
                     the `reasonable` OWL 2 RL reasoner, pyrudof (rudof's SHACL engine) and
                     belkg's own SHACL evaluator on pyshacl's input, and Oxigraph's own CLI
                     (`oxigraph load` of the build's N-Quads, `oxigraph query` of each saved
                     query, one process each)

Peak memory is each process's own (ru_maxrss). A step that runs longer than --timeout is
stopped and reported as "over N s", and ratios against it are bounds; a step over the
time or memory limit is not tried again at larger sizes. Writes a Markdown report: the
machine, a table per size with medians, peak memory and ratios, and the targets.

    python bench/run.py [--sizes seed,10000,100000,1000000] [--runs 3] [--runs-large 1]
                        [--timeout 600] [--max-memory-mb N] [--work bench/out/work]
                        [--output bench/RESULTS.md] [--notes WHY.md] [--tiny]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DEFAULT_SIZES = "seed,10000,100000,1000000"
LARGE = 1_000_000  # sizes from here on get --runs-large runs
GENERATOR_SEED = 1
COLD_QUERY = "negotiators"
EXPORT_FORMATS = {"nq": "N-Quads", "ttl": "Turtle"}
TINY = {"sizes": "2000", "runs": 1, "timeout": 30.0}

SEED_BUILD_TARGET_S = 3.0
BUILD_100K_TARGET_S = 30.0
BUILD_1M_TARGET_MB = 8 * 1024
QUERY_1M_TARGET_S = 1.0

# key -> (what the report calls it, the child that measures it, its arguments);
# the order is the order of the runs and of the report.
FAST = {"reasoner": "fast", "validator": "fast"}
REFERENCE = {"reasoner": "owlrl", "validator": "pyshacl"}
MEASUREMENTS: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "build-fast": ("belkg build, fast (default)", "build", FAST),
    "build-reference": ("belkg build, reference (owlrl + pyshacl)", "build", REFERENCE),
    "oxigraph": ("belkg Oxigraph engine (default)", "engine", {"engine": "oxigraph"}),
    "rdflib": ("belkg rdflib engine (reference)", "engine", {"engine": "rdflib"}),
    "export": ("belkg export", "export", {}),
    "cold-query": (f"cold `belkg query {COLD_QUERY}`, one process", None, {}),
    "rdflib-script": ("baseline: plain rdflib script", "rdflib-script", {}),
    "owlrl": ("baseline: owlrl", "owlrl", {}),
    "pyshacl": ("baseline: pyshacl", "pyshacl", {}),
    "pyoxigraph-script": ("peer: plain pyoxigraph script", "pyoxigraph-script", {}),
    "reasonable": ("peer: reasonable", "reasonable", {}),
    "shacl-fast": ("belkg fast SHACL evaluator, alone", "shacl-fast", {}),
    "pyrudof": ("peer: pyrudof", "pyrudof", {}),
    "oxigraph-cli": ("peer: Oxigraph CLI", "oxigraph-cli", {}),
}
NEEDS_WARM_BUILD = {"oxigraph", "rdflib", "export", "cold-query", "oxigraph-cli"}
RUNS_QUERIES = {"engine", "rdflib-script", "pyoxigraph-script", "oxigraph-cli"}


# ---------------------------------------------------------------- the measured children


class Progress:
    """What a child reports to the parent, one JSON line at a time: each step as it starts
    and ends, and facts about the result. The parent's time limit is per step."""

    def __init__(self, path: Path) -> None:
        self.stream = path.open("a", encoding="utf-8")

    def _write(self, record: dict[str, Any]) -> None:
        self.stream.write(json.dumps(record) + "\n")
        self.stream.flush()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self._write({"start": name})
        started = time.perf_counter()
        yield
        self._write({"done": name, "seconds": time.perf_counter() - started})

    def info(self, **facts: Any) -> None:
        self._write({"info": facts})


def child_build(args: dict[str, Any], progress: Progress) -> None:
    import inspect

    from belkg.build.pipeline import build
    from belkg.project import Project

    options = {"reasoner": args["reasoner"], "validator": args["validator"]}
    notes = []
    if not set(options) <= set(inspect.signature(build).parameters):
        notes.append("build() takes no reasoner or validator yet: measured its default")
        options = {}
    messages: list[str] = []
    with progress.step("build"):
        result = build(
            Project(Path(args["project"])), Path(args["cache"]), force=True, progress=messages.append, **options
        )
    # A fast path that falls back to a slower tool says so in its progress messages.
    notes += [message for message in messages if "instead" in message]
    if result.findings:
        notes.append(f"does not conform: {len(result.findings)} findings")
    progress.info(phases=result.seconds, note="; ".join(notes))


def child_warm_build(args: dict[str, Any], progress: Progress) -> None:
    from belkg.build.pipeline import build
    from belkg.project import Project

    with progress.step("build"):
        result = build(Project(Path(args["project"])), Path(args["cache_root"]))
    progress.info(entry=str(result.entry.folder), triples_per_graph=result.entry.manifest.get("triples_per_graph", {}))


def _warm_entry(args: dict[str, Any]) -> Any:
    from belkg.build.cache import open_entry

    folder = Path(args["entry"])
    entry = open_entry(folder.parent, folder.name, thorough=False)
    if entry is None:
        raise SystemExit(f"the warm build cache at {folder} cannot be opened")
    return entry


def child_engine(args: dict[str, Any], progress: Progress) -> None:
    """Open the engine, pass each saved query through its safety gate (timed apart: a text
    new to the gate is parsed once, by rdflib), then run each one."""
    from belkg.catalogue import find_saved_query
    from belkg.querying import open_engine, prepare, run

    entry = _warm_entry(args)
    queries = [find_saved_query(Path(args["project"]) / "queries", name) for name in args["only"]]
    with progress.step("open"):
        engine = open_engine(entry, args["engine"])
    for query in queries:
        with progress.step(f"check:{query.name}"):
            text = prepare(query, {})
            if text != query.text:
                engine.gate.vouch(text, query.text, query.name)
            engine.gate.check(text, query.name)
    for query in queries:
        with progress.step(f"query:{query.name}"):
            run(engine, query)


def child_export(args: dict[str, Any], progress: Progress) -> None:
    from belkg.build.pipeline import read_dataset
    from belkg.export import select_graphs, serialize

    entry = _warm_entry(args)
    with progress.step("read"):
        dataset = read_dataset(entry.dataset_file)
    for fmt in EXPORT_FORMATS:
        with progress.step(fmt):
            (Path(args["scratch"]) / f"export.{fmt}").write_bytes(serialize(select_graphs(dataset, "all"), fmt))


def _saved_query_texts(args: dict[str, Any]) -> dict[str, str]:
    texts: dict[str, str] = json.loads(Path(args["queries"]).read_text(encoding="utf-8"))
    return {name: texts[name] for name in args["only"]}


def _parse_union(files: list[str]) -> Any:
    from rdflib import Graph

    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def child_rdflib_script(args: dict[str, Any], progress: Progress) -> None:
    from rdflib import Dataset, URIRef

    texts = _saved_query_texts(args)
    dataset = Dataset(default_union=True)
    with progress.step("parse"):
        for path in args["files"]:
            dataset.graph(URIRef(Path(path).as_uri())).parse(path, format="turtle")
    for name, text in texts.items():
        with progress.step(f"query:{name}"):
            list(dataset.query(text))


def child_pyoxigraph_script(args: dict[str, Any], progress: Progress) -> None:
    import pyoxigraph as ox

    texts = _saved_query_texts(args)
    store = ox.Store()
    with progress.step("load"):
        for path in args["files"]:
            store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(Path(path).as_uri()))
    for name, text in texts.items():
        with progress.step(f"query:{name}"):
            result = store.query(text, use_default_graph_as_union=True)
            if not isinstance(result, ox.QueryBoolean):
                list(result)


def child_owlrl(args: dict[str, Any], progress: Progress) -> None:
    import owlrl

    with progress.step("parse"):
        graph = _parse_union(args["files"])
    asserted = len(graph)
    with progress.step("closure"):
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    progress.info(inferred=len(graph) - asserted)


def child_pyshacl(args: dict[str, Any], progress: Progress) -> None:
    from pyshacl import validate
    from rdflib import URIRef

    with progress.step("parse"):
        data = _parse_union(args["files"])
        shapes = _parse_union([args["shapes"]])
    with progress.step("validate"):
        conforms, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    severity = URIRef("http://www.w3.org/ns/shacl#resultSeverity")
    progress.info(conforms=bool(conforms), results=len(set(results.subjects(severity, None))))


def child_shacl_fast(args: dict[str, Any], progress: Progress) -> None:
    """belkg's own SHACL evaluator on pyshacl's input: the union of the Turtle, parsed by rdflib."""
    from belkg.build.shacl_core import validate

    with progress.step("parse"):
        data = _parse_union(args["files"])
        shapes = _parse_union([args["shapes"]])
    with progress.step("validate"):
        violations = validate(data, shapes)
    progress.info(conforms=not violations, results=len(violations))


def child_pyrudof(args: dict[str, Any], progress: Progress) -> None:
    """rudof's SHACL engine (Rust) on the same Turtle files and shapes, read by rudof itself."""
    import pyrudof

    rudof = pyrudof.Rudof()
    strict = pyrudof.ReaderMode.Strict
    with progress.step("parse"):
        for path in args["files"]:
            rudof.read_data(path, format=pyrudof.RDFFormat.Turtle, reader_mode=strict, merge=True)
        rudof.read_shacl(args["shapes"], format=pyrudof.ShaclFormat.Turtle, reader_mode=strict)
    with progress.step("validate"):
        report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    progress.info(conforms=bool(report.conforms), results=len(report))


def oxigraph_cli() -> str:
    """The `oxigraph` binary of this interpreter's environment, else the first on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph") or "oxigraph"


def _run_cli(command: list[str]) -> float:
    """Run a command to its end; its own peak memory in MB. Its output is not kept."""
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as process:
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        lines = errors.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise SystemExit(f"{Path(command[0]).name} {command[1]}: {lines[-1]}")
    return _maxrss_mb(usage)


def child_oxigraph_cli(args: dict[str, Any], progress: Progress) -> None:
    """`oxigraph load` of the build's N-Quads into a new on-disk store, then `oxigraph query`
    of each saved query over the union of the graphs, each command its own process."""
    from belkg.build.cache import DATASET_FILE

    binary = oxigraph_cli()
    store = Path(args["scratch"]) / "store"
    shutil.rmtree(store, ignore_errors=True)
    with progress.step("load"):
        load_peak = _run_cli(
            [binary, "load", "--location", str(store), "--file", str(Path(args["entry"]) / DATASET_FILE)]
        )
    query_peak = 0.0
    for name, text in _saved_query_texts(args).items():
        query_file = Path(args["scratch"]) / f"{name}.rq"
        query_file.write_text(text, encoding="utf-8")
        command = [binary, "query", "--location", str(store), "--query-file", str(query_file)]
        with progress.step(f"query:{name}"):
            peak = _run_cli([*command, "--union-default-graph", "--results-format", "tsv"])
        query_peak = max(query_peak, peak)
    progress.info(load_peak_mb=load_peak, query_peak_mb=query_peak)
    shutil.rmtree(store, ignore_errors=True)


def child_reasonable(args: dict[str, Any], progress: Progress) -> None:
    import reasonable

    with progress.step("parse"):
        graph = _parse_union(args["files"])
    with progress.step("closure"):
        reasoner = reasonable.PyReasoner()
        reasoner.from_graph(graph)
        triples = reasoner.reason()
    progress.info(closure=len(triples))


CHILDREN: dict[str, Callable[[dict[str, Any], Progress], None]] = {
    "build": child_build,
    "warm-build": child_warm_build,
    "engine": child_engine,
    "export": child_export,
    "rdflib-script": child_rdflib_script,
    "pyoxigraph-script": child_pyoxigraph_script,
    "owlrl": child_owlrl,
    "pyshacl": child_pyshacl,
    "reasonable": child_reasonable,
    "shacl-fast": child_shacl_fast,
    "pyrudof": child_pyrudof,
    "oxigraph-cli": child_oxigraph_cli,
}


def run_child_in_this_process(kind: str, progress_file: Path, arguments_file: Path) -> None:
    import logging
    import warnings

    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    args = json.loads(arguments_file.read_text(encoding="utf-8"))
    CHILDREN[kind](args, Progress(progress_file))


# ---------------------------------------------------------------- running a child


@dataclass(frozen=True)
class Limits:
    seconds: float
    megabytes: float
    build_seconds: float = 1800.0  # the default path's build: the measurement the targets are about

    def for_build(self) -> Limits:
        return Limits(max(self.seconds, self.build_seconds), self.megabytes, self.build_seconds)


@dataclass
class Ran:
    """One finished (or stopped) process: its steps, facts, peak memory and fate."""

    steps: dict[str, float]
    info: dict[str, Any]
    wall: float
    peak_mb: float
    stopped: str | None  # "time" or "memory" when the parent stopped it
    step_in_progress: str | None
    failure: str | None


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _maxrss_mb(usage: Any) -> float:
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _read_progress(path: Path | None) -> list[dict[str, Any]]:
    if path is None or not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:  # the last line, half written
            break
    return records


@contextmanager
def _exit_waiter(pid: int) -> Iterator[Callable[[float], None]]:
    """A function that waits up to some seconds, returning early when the process exits."""
    try:
        descriptor = os.pidfd_open(pid)
    except (AttributeError, OSError):
        yield time.sleep
        return
    try:

        def wait(seconds: float) -> None:
            select.select([descriptor], [], [], seconds)

        yield wait
    finally:
        os.close(descriptor)


def _stderr_tail(path: Path) -> str:
    lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def run_process(command: list[str], progress_file: Path | None, limits: Limits, scratch: Path) -> Ran:
    """Run a command in its own session; stop it when a step (the whole command, without
    a progress file) runs longer than the time limit, or it uses more memory than allowed."""
    scratch.mkdir(parents=True, exist_ok=True)
    errors = scratch / "stderr.txt"
    started = time.perf_counter()
    with errors.open("wb") as stream:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stream, start_new_session=True)
    step_started, lines_seen, stopped = started, 0, None
    with _exit_waiter(process.pid) as wait:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            lines = len(_read_progress(progress_file))
            if lines != lines_seen:
                step_started, lines_seen = now, lines
            if now - step_started > limits.seconds:
                stopped = "time"
            elif _rss_mb(process.pid) > limits.megabytes:
                stopped = "memory"
            if stopped:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            wait(min(0.1, max(0.002, (now - started) / 50)))
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    records = _read_progress(progress_file)
    steps = {record["done"]: record["seconds"] for record in records if "done" in record}
    starts = [record["start"] for record in records if "start" in record]
    info: dict[str, Any] = {}
    for record in records:
        info.update(record.get("info", {}))
    in_progress = next((name for name in reversed(starts) if name not in steps), None)
    failure = None if stopped or process.returncode == 0 else _stderr_tail(errors)
    return Ran(steps, info, wall, _maxrss_mb(usage), stopped, in_progress or "start-up", failure)


def run_child(kind: str, args: dict[str, Any], limits: Limits, scratch: Path) -> Ran:
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    arguments_file = scratch / "arguments.json"
    arguments_file.write_text(json.dumps({**args, "scratch": str(scratch)}), encoding="utf-8")
    progress_file = scratch / "progress.jsonl"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(progress_file), str(arguments_file)]
    try:
        return run_process(command, progress_file, limits, scratch)
    finally:
        shutil.rmtree(scratch / "cache", ignore_errors=True)  # a build's, possibly large


# ---------------------------------------------------------------- one measurement, its runs


@dataclass
class Measurement:
    """A measurement's samples over its runs at one size."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    stopped: dict[str, str] = field(default_factory=dict)  # step -> "time", "memory" or "skipped: ..."
    peaks: list[float] = field(default_factory=list)
    peak_is_partial: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None

    @property
    def finished(self) -> bool:
        """Nothing more to run: it failed, or a step other than a query was stopped."""
        return self.failure is not None or any(not step.startswith("query:") for step in self.stopped)

    def add_sample(self, step: str, seconds: float) -> None:
        self.samples.setdefault(step, []).append(seconds)

    def record(self, ran: Ran, *, resumed: bool) -> None:
        for step, seconds in ran.steps.items():
            if not resumed or step.startswith("query:"):
                self.add_sample(step, seconds)
        for phase, seconds in ran.info.pop("phases", {}).items():
            self.add_sample(f"phase:{phase}", seconds)
        for key in [key for key in ran.info if key.endswith("_peak_mb")]:  # a peak over the runs: the largest
            ran.info[key] = max(ran.info[key], self.info.get(key, 0.0))
        self.info.update(ran.info)
        if ran.stopped:
            self.stopped[ran.step_in_progress or "start-up"] = ran.stopped
            self.peak_is_partial = True
        if ran.failure:
            self.failure = ran.failure


@dataclass
class Setup:
    """What the measurements of one size work on."""

    label: str
    triples: int | None  # None: the project itself
    project: Path
    files: list[str]
    shapes: str
    queries_file: Path
    query_names: list[str]
    cache_root: Path
    entry: Path | None = None
    entry_problem: str = ""
    triples_per_graph: dict[str, int] = field(default_factory=dict)

    def child_arguments(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "files": self.files,
            "shapes": self.shapes,
            "queries": str(self.queries_file),
            "only": self.query_names,
            "entry": str(self.entry) if self.entry else None,
            "cache_root": str(self.cache_root),
        }


def belkg_command() -> str:
    """The belkg of this interpreter's environment, else the first on PATH."""
    beside = Path(sys.executable).parent / "belkg"
    return str(beside) if beside.exists() else shutil.which("belkg") or "belkg"


def cold_query_command(setup: Setup) -> list[str]:
    return [belkg_command(), "-q", "--project", str(setup.project), "--cache-dir", str(setup.cache_root)]


def measure_cold_query(setup: Setup, measurement: Measurement, limits: Limits, scratch: Path) -> None:
    ran = run_process([*cold_query_command(setup), "query", COLD_QUERY], None, limits, scratch)
    if not ran.stopped and not ran.failure:
        ran.steps["query"] = ran.wall
    ran.step_in_progress = "query"
    measurement.record(ran, resumed=False)
    measurement.peaks.append(ran.peak_mb)


def measure_once(key: str, setup: Setup, measurement: Measurement, limits: Limits, scratch: Path) -> None:
    """One run of a measurement. A child that runs saved queries and is stopped in one of
    them is started again for the rest (opening and loading are counted once)."""
    if key == "cold-query":
        measure_cold_query(setup, measurement, limits, scratch)
        return
    _, kind, extras = MEASUREMENTS[key]
    assert kind is not None
    if key == "build-fast":
        limits = limits.for_build()
    peak, resumed = 0.0, False
    done: set[str] = set()
    while True:
        remaining = [
            name for name in setup.query_names if name not in done and f"query:{name}" not in measurement.stopped
        ]
        args = {**setup.child_arguments(), **extras, "only": remaining, "cache": str(scratch / "cache")}
        ran = run_child(kind, args, limits, scratch)
        measurement.record(ran, resumed=resumed)
        peak = max(peak, ran.peak_mb)
        done |= {step.removeprefix("query:") for step in ran.steps if step.startswith("query:")}
        if not (ran.stopped and (ran.step_in_progress or "").startswith("query:") and kind in RUNS_QUERIES):
            break
        resumed = True
    measurement.peaks.append(peak)


# ---------------------------------------------------------------- setting up a size


def generator_fingerprint() -> str:
    """A hash of the generator and of what it copies into each project (the ontology,
    the shapes, the rules and the saved queries)."""
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes())
    for path in sorted([*(ROOT / "ontology").rglob("*"), *(ROOT / "queries").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def synthetic_project(work: Path, triples: int) -> Path:
    """The generated project of this size, made again only when the generator changed."""
    folder = work / "projects" / str(triples)
    marker = work / "projects" / f"{triples}.json"
    wanted = {"triples": triples, "seed": GENERATOR_SEED, "generator": generator_fingerprint()}
    if folder.is_dir() and marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return folder
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from generate import generate

    say(f"generating {triples:,} triples into {folder}")
    generate(folder, triples, GENERATOR_SEED)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return folder


def saved_query_texts(project: Path) -> dict[str, str]:
    """Every saved query's text, its parameters at their defaults."""
    from belkg.catalogue import load_catalogue
    from belkg.querying import prepare

    return {query.name: prepare(query, {}) for query in load_catalogue(project / "queries")}


def prepare_size(label: str, triples: int | None, work: Path, limits: Limits) -> Setup:
    """The project of a size, its saved queries, and a warm build cache to query."""
    from belkg.project import Project

    folder = ROOT if triples is None else synthetic_project(work, triples)
    project = Project(folder)
    texts = saved_query_texts(folder)
    queries_file = work / "queries" / f"{label}.json"
    queries_file.parent.mkdir(parents=True, exist_ok=True)
    queries_file.write_text(json.dumps(texts), encoding="utf-8")
    files = [project.ontology_file, project.entities_file, *project.document_files()]
    setup = Setup(
        label=label,
        triples=triples,
        project=folder,
        files=[str(path.resolve()) for path in files],
        shapes=str(project.shapes_file.resolve()),
        queries_file=queries_file,
        query_names=list(texts),
        cache_root=work / "cache",
    )
    say(f"[{label}] warm build cache (built once, reused while the inputs are unchanged)")
    ran = run_child("warm-build", setup.child_arguments(), limits.for_build(), work / "scratch" / "warm-build")
    if ran.stopped or ran.failure or "entry" not in ran.info:
        setup.entry_problem = ran.failure or f"the build ran over the {ran.stopped} limit"
        return setup
    setup.entry = Path(ran.info["entry"])
    setup.triples_per_graph = ran.info.get("triples_per_graph", {})
    run_process([*cold_query_command(setup), "query", COLD_QUERY], None, limits, work / "scratch" / "warm-up")
    return setup


# ---------------------------------------------------------------- the runs at a size


@dataclass
class SizeResult:
    setup: Setup
    runs: int
    measurements: dict[str, Measurement]


def carry_over(measurements: dict[str, Measurement], earlier: dict[str, dict[str, str]]) -> None:
    """Steps over a limit at a smaller size are not tried again: they would be over again."""
    for key, stopped in earlier.items():
        for step, why in stopped.items():
            measurements[key].stopped[step] = f"skipped: {why}"


def remember_stops(result: SizeResult, earlier: dict[str, dict[str, str]]) -> None:
    """Note the steps this size stopped for the sizes after it (the first size that did)."""
    for key, measurement in result.measurements.items():
        for step, why in measurement.stopped.items():
            if not why.startswith("skipped"):
                earlier.setdefault(key, {}).setdefault(step, f"{why} at {size_heading(result.setup).lower()}")


def measure_size(
    setup: Setup, runs: int, limits: Limits, work: Path, earlier: dict[str, dict[str, str]], skip: frozenset[str]
) -> SizeResult:
    measurements = {key: Measurement() for key in MEASUREMENTS}
    carry_over(measurements, earlier)
    for key in skip:
        measurements[key].failure = "not run (--skip)"
    if setup.entry is None:
        for key in NEEDS_WARM_BUILD:
            measurements[key].failure = f"no build cache to measure: {setup.entry_problem}"
    for run in range(1, runs + 1):
        for key, measurement in measurements.items():
            if measurement.finished:
                continue
            say(f"[{setup.label}] run {run}/{runs}: {MEASUREMENTS[key][0]}")
            measure_once(key, setup, measurement, limits, work / "scratch" / key)
    return SizeResult(setup, runs, measurements)


# ---------------------------------------------------------------- values and ratios


@dataclass(frozen=True)
class Value:
    """A median in seconds; `bound` when it is only a lower bound (a step over the limit)."""

    seconds: float | None
    bound: bool = False
    label: str = ""

    def text(self) -> str:
        if self.label:
            return self.label
        if self.seconds is None:
            return "—"
        return f"≥ {seconds_text(self.seconds)}" if self.bound else seconds_text(self.seconds)


def seconds_text(seconds: float) -> str:
    if seconds >= 100:
        return f"{seconds:.0f}"
    if seconds >= 10:
        return f"{seconds:.1f}"
    if seconds >= 0.1:
        return f"{seconds:.2f}"
    return f"{seconds:.4f}"


def step_value(measurement: Measurement, step: str, limits: Limits) -> Value:
    why = measurement.stopped.get(step)
    if why is not None:
        return stopped_value(why, limits)
    samples = measurement.samples.get(step)
    if samples:
        return Value(statistics.median(samples))
    if measurement.failure:
        return Value(None, label=f"failed: {measurement.failure[:100]}".replace("|", "/"))
    return Value(None, label="not reached" if measurement.stopped else "not measured")


def stopped_value(why: str, limits: Limits) -> Value:
    """A step stopped at a limit ("time", "memory"), or skipped as it was at a smaller size."""
    if "time" in why.split(" at ")[0]:
        value = Value(limits.seconds, bound=True, label=f"over {limits.seconds:g} s")
    else:
        value = Value(None, label=f"over {limits.megabytes:,.0f} MB")
    if why.startswith("skipped: "):
        where = why.split(" at ", 1)[1]
        return Value(value.seconds, value.bound, f"{value.label} (not run: over the limit at {where})")
    return value


def total(values: list[Value]) -> Value:
    if not values or any(value.seconds is None for value in values):
        return Value(None, label="incomplete")
    return Value(sum(value.seconds or 0.0 for value in values), bound=any(value.bound for value in values))


def ratio_text(ours: Value, theirs: Value, name: str) -> str:
    """How many times faster (or slower) `ours` is than `theirs`, a bound when either ran over."""
    if ours.seconds is None or theirs.seconds is None or ours.seconds <= 0:
        return f"vs {name}: n/a"
    if ours.bound and theirs.bound:
        return f"vs {name}: n/a (both over the limit)"
    ratio = theirs.seconds / ours.seconds
    # theirs over: the true ratio is larger; ours over: smaller.
    larger, smaller = ("≥ ", "≤ ") if theirs.bound else ("≤ ", "≥ ") if ours.bound else ("", "")
    if ratio >= 1:
        return f"{larger}{ratio:.1f}× faster than {name}"
    return f"{smaller}{1 / ratio:.1f}× slower than {name}"


def peak_text(measurement: Measurement) -> str:
    if not measurement.peaks:
        return ""
    return f"{'≥ ' if measurement.peak_is_partial else ''}{max(measurement.peaks):,.0f}"


# ---------------------------------------------------------------- the report


Row = tuple[str, Value, str, str]  # measurement, median, peak MB, compared with


class SizeView:
    """The values of one size's table, and the comparisons between them."""

    def __init__(self, result: SizeResult, limits: Limits) -> None:
        self.result = result
        self.limits = limits

    def value(self, key: str, step: str) -> Value:
        return step_value(self.result.measurements[key], step, self.limits)

    def peak(self, key: str) -> str:
        return peak_text(self.result.measurements[key])

    def queries_total(self, key: str) -> Value:
        return total([self.value(key, f"query:{name}") for name in self.result.setup.query_names])

    def build_total(self, key: str) -> Value:
        measurement = self.result.measurements[key]
        return self.value(key, "phase:total" if "phase:total" in measurement.samples else "build")

    def baseline_build(self) -> Value:
        """What the build's work costs done with the plain tools: parse, closure, validation."""
        parts = [
            self.value("rdflib-script", "parse"),
            self.value("owlrl", "closure"),
            self.value("pyshacl", "validate"),
        ]
        return total(parts)

    def build_rows(self, key: str) -> list[Row]:
        title = MEASUREMENTS[key][0]
        baseline = ratio_text(self.build_total(key), self.baseline_build(), "rdflib parse + owlrl + pyshacl")
        note = self.result.measurements[key].info.get("note")
        rows: list[Row] = [
            (
                f"{title}: total" + (f" ({note})" if note else "").replace("|", "/"),
                self.build_total(key),
                self.peak(key),
                baseline,
            )
        ]
        for step in self.result.measurements[key].samples:
            phase = step.removeprefix("phase:")
            if step.startswith("phase:") and phase != "total":
                rows.append((f"… {phase}", self.value(key, step), "", self.phase_comparison(key, phase)))
        return rows

    def phase_comparison(self, key: str, phase: str) -> str:
        ours = self.value(key, f"phase:{phase}")
        if phase == "reason":
            owlrl = ratio_text(ours, self.value("owlrl", "closure"), "owlrl")
            return f"{owlrl}; {ratio_text(ours, self.value('reasonable', 'closure'), 'reasonable')}"
        if phase == "validate":
            pyshacl = ratio_text(ours, self.value("pyshacl", "validate"), "pyshacl")
            return f"{pyshacl}; {ratio_text(ours, self.value('pyrudof', 'validate'), 'pyrudof')}"
        return ""

    def main_rows(self) -> list[Row]:
        rows = self.build_rows("build-fast") + self.build_rows("build-reference")
        rows += self.engine_rows() + self.export_rows()
        cold = self.value("cold-query", "query")
        versus_cli = ratio_text(
            cold, self.value("oxigraph-cli", f"query:{COLD_QUERY}"), f"`oxigraph query {COLD_QUERY}`"
        )
        rows.append((MEASUREMENTS["cold-query"][0], cold, self.peak("cold-query"), versus_cli))
        rdflib_script = self.script_total("rdflib-script", "parse")
        pyoxigraph_script = self.script_total("pyoxigraph-script", "load")
        rows += self.script_rows("rdflib-script", "parse", "parse the Turtle", "")
        rows += self.script_rows(
            "pyoxigraph-script",
            "load",
            "load the Turtle into memory",
            ratio_text(pyoxigraph_script, rdflib_script, "the rdflib script"),
        )
        return rows + self.oxigraph_cli_rows() + self.closure_and_validation_rows() + self.shacl_rows()

    def info_peak(self, key: str, name: str) -> str:
        peak = self.result.measurements[key].info.get(name)
        return "" if peak is None else f"{peak:,.0f}"

    def oxigraph_cli_rows(self) -> list[Row]:
        """Oxigraph's own CLI over the build's N-Quads: load once, then one process per query,
        beside belkg's engine (open once, every query) and belkg's own one-process query."""
        load, queries = self.value("oxigraph-cli", "load"), self.queries_total("oxigraph-cli")
        cold = self.value("oxigraph-cli", f"query:{COLD_QUERY}")
        engine_queries = total([self.value("oxigraph", "open"), self.queries_total("oxigraph")])
        checked_first = total([engine_queries, self.checks_total("oxigraph")])
        return [
            (
                "peer: Oxigraph CLI: `oxigraph load` the build's N-Quads + `oxigraph query` every saved query",
                total([load, queries]),
                self.peak("oxigraph-cli"),
                "",
            ),
            ("… `oxigraph load` into a new store", load, self.info_peak("oxigraph-cli", "load_peak_mb"), ""),
            (
                "… every saved query, one `oxigraph query` process each",
                queries,
                self.info_peak("oxigraph-cli", "query_peak_mb"),
                ratio_text(queries, engine_queries, "belkg's Oxigraph engine, opened once")
                + "; "
                + ratio_text(queries, checked_first, "the same with the gate's first checks")
                + "; "
                + ratio_text(queries, self.queries_total("pyoxigraph-script"), "the pyoxigraph script's queries"),
            ),
            (f"… `oxigraph query {COLD_QUERY}`, one process", cold, "", ""),
        ]

    def shacl_rows(self) -> list[Row]:
        """The SHACL engines on one input (the union of the Turtle, the shapes), with what each reports."""
        pyshacl, fast = self.value("pyshacl", "validate"), self.value("shacl-fast", "validate")
        pyrudof = self.value("pyrudof", "validate")
        versus_both = f"{ratio_text(fast, pyshacl, 'pyshacl')}; {ratio_text(fast, pyrudof, 'pyrudof')}"
        return [
            (
                "belkg fast SHACL evaluator alone, on pyshacl's input",
                fast,
                self.peak("shacl-fast"),
                f"{self.verdict('shacl-fast')}; {versus_both}",
            ),
            (
                "peer: pyrudof SHACL validation",
                pyrudof,
                self.peak("pyrudof"),
                f"{self.verdict('pyrudof')}; {ratio_text(pyrudof, pyshacl, 'pyshacl')}",
            ),
            ("… rudof reads the Turtle and the shapes", self.value("pyrudof", "parse"), "", ""),
        ]

    def verdict(self, key: str) -> str:
        info = self.result.measurements[key].info
        if "conforms" not in info:
            return "result not known"
        results = info.get("results")
        counted = "" if results is None else f", {plural(results, 'result')}"
        return ("conforms" if info["conforms"] else "does not conform") + counted

    def engine_rows(self) -> list[Row]:
        oxigraph, rdflib = self.value("oxigraph", "open"), self.value("rdflib", "open")
        versus_rdflib = ratio_text(oxigraph, rdflib, "the rdflib engine")
        return [
            ("belkg Oxigraph engine: open the build cache", oxigraph, self.peak("oxigraph"), versus_rdflib),
            ("… the safety gate's first check of every saved query", self.checks_total("oxigraph"), "", ""),
            ("… every saved query, checked already", self.queries_total("oxigraph"), "", ""),
            ("belkg rdflib engine: load the build cache", rdflib, self.peak("rdflib"), ""),
        ]

    def checks_total(self, key: str) -> Value:
        return total([self.value(key, f"check:{name}") for name in self.result.setup.query_names])

    def export_rows(self) -> list[Row]:
        rows: list[Row] = [("belkg export: read the build", self.value("export", "read"), self.peak("export"), "")]
        return rows + [(f"… write {name}", self.value("export", fmt), "", "") for fmt, name in EXPORT_FORMATS.items()]

    def closure_and_validation_rows(self) -> list[Row]:
        owlrl, reasonable = self.value("owlrl", "closure"), self.value("reasonable", "closure")
        pyshacl = self.value("pyshacl", "validate")
        return [
            ("baseline: owlrl OWL 2 RL closure", owlrl, self.peak("owlrl"), ""),
            ("baseline: pyshacl validation", pyshacl, self.peak("pyshacl"), self.verdict("pyshacl")),
            (
                "peer: reasonable OWL 2 RL closure",
                reasonable,
                self.peak("reasonable"),
                ratio_text(reasonable, owlrl, "owlrl"),
            ),
        ]

    def script_total(self, key: str, first_step: str) -> Value:
        return total([self.value(key, first_step), self.queries_total(key)])

    def script_rows(self, key: str, first_step: str, first_step_title: str, comparison: str) -> list[Row]:
        title = f"{MEASUREMENTS[key][0]}: {first_step_title} + every saved query"
        return [
            (title, self.script_total(key, first_step), self.peak(key), comparison),
            (f"… {first_step_title}", self.value(key, first_step), "", ""),
            ("… every saved query", self.queries_total(key), "", ""),
        ]

    def query_rows(self) -> list[tuple[str, str, Value, str]]:
        rows = []
        for name in self.result.setup.query_names:
            oxigraph, rdflib = self.value("oxigraph", f"query:{name}"), self.value("rdflib", f"query:{name}")
            rows.append((name, "oxigraph", oxigraph, ratio_text(oxigraph, rdflib, "rdflib")))
            rows.append((name, "rdflib", rdflib, ""))
        return rows


def markdown_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def size_heading(setup: Setup) -> str:
    return "Seed graph (the project itself)" if setup.triples is None else f"{setup.triples:,} triples"


def size_summary(result: SizeResult) -> str:
    from belkg.prefixes import DERIVED_GRAPHS

    setup = result.setup
    origin = "The project at the repository root."
    if setup.triples is not None:
        origin = f"Generated by bench/generate.py (seed {GENERATOR_SEED}, asked for {setup.triples:,} triples)."
    counts = setup.triples_per_graph
    asserted = sum(count for graph, count in counts.items() if graph not in DERIVED_GRAPHS)
    built = sum(counts.values())
    sizes = f" {asserted:,} asserted triples; the build holds {built:,}." if counts else ""
    runs = f" Median of {result.runs} run{'s' if result.runs > 1 else ''} per measurement."
    return origin + sizes + runs


def size_section(result: SizeResult, limits: Limits) -> list[str]:
    view = SizeView(result, limits)
    lines = [f"## {size_heading(result.setup)}", "", size_summary(result), ""]
    rows = [[title, value.text(), peak, compared] for title, value, peak, compared in view.main_rows()]
    lines += markdown_table(["measurement", "median s", "peak MB", "compared with"], rows, {1, 2})
    lines += ["", f"Saved queries at {size_heading(result.setup).lower()}: each run after the engine is open.", ""]
    query_rows = [[name, engine, value.text(), compared] for name, engine, value, compared in view.query_rows()]
    lines += markdown_table(["saved query", "engine", "median s", "compared with"], query_rows, {2})
    return [*lines, ""]


def machine_section() -> list[str]:
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = next(
        (line.split(":", 1)[1].strip() for line in _proc_lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    libraries = ", ".join(
        f"{name} {version(name)}"
        for name in ("belkg", "rdflib", "owlrl", "pyshacl", "pyoxigraph", "reasonable", "pyrudof", "oxigraph")
    )
    return [
        "## Machine",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {cpu}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)",
        f"- memory: {memory:.1f} GB",
        f"- system: {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- libraries: {libraries}",
        "",
    ]


def _proc_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def method_section(options: argparse.Namespace, limits: Limits) -> list[str]:
    command = " ".join(["python bench/run.py", *options.command_line])
    return [
        "## How it was measured",
        "",
        f"`{command}`: all the numbers below come from this one run, so the ratios compare measurements taken "
        "side by side.",
        "",
        f"- Every measurement runs in a fresh process, {plural(options.runs, 'time')} at each size below "
        f"{LARGE:,} triples and {plural(options.runs_large, 'time')} from {LARGE:,} on, interleaved with the other "
        "measurements; the tables give the median. Peak MB is the largest resident set size of the measurement's "
        "process over its runs (ru_maxrss), interpreter and imports included.",
        f"- A step running longer than {limits.seconds:g} s (the default build and the warm build: "
        f"{max(limits.seconds, limits.build_seconds):g} s), or a process using more than "
        f"{limits.megabytes:,.0f} MB, is stopped and shown as over the limit; a ratio against it is a bound "
        "(≥ or ≤), and it is not tried again at larger sizes.",
        "- belkg build: `build(project, empty cache, force=True)` on the default fast path "
        '(`reasoner="fast", validator="fast"`) and on the reference path (`reasoner="owlrl", '
        'validator="pyshacl"`), with the phases the build reports itself.',
        "- Queries: every saved query with its parameters at their defaults (on a generated graph a default may name "
        "a node it does not have: the query then still scans what it must), timed after the engine is open: "
        "Oxigraph over the build cache's store, rdflib over the cache's N-Quads. Before the queries run, each "
        "text passes the engine's safety gate once, timed apart (a text new to the gate is parsed by rdflib; "
        "`belkg query` keeps the verdict in the cache folder, so only its first run of a text pays it); the query "
        "rows are then the engine's own work. The plain scripts run the same "
        "texts over the asserted graphs only (no inference), as a script without belkg would.",
        f"- Cold query: `belkg query {COLD_QUERY}` as a new process (wall time), with a warm build cache.",
        "- Baselines parse the project's Turtle (ontology, register, documents) with rdflib, untimed but for the "
        "plain scripts; owlrl runs `DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, "
        "datatype_axioms=False)`, pyshacl validates the asserted union against ontology/shapes.ttl "
        '(`inference="none", advanced=True`), reasonable runs `PyReasoner.from_graph` + `reason()` on the same '
        'triples. "rdflib parse + owlrl + pyshacl" adds the medians of those three steps.',
        "- SHACL peers on pyshacl's input: belkg's own evaluator (`belkg.build.shacl_core.validate`) on the same "
        "rdflib graphs, and pyrudof reading the same Turtle files and shapes itself (`read_data`/`read_shacl` in "
        "strict mode, then `validate_shacl(mode=Native)`); each row gives whether the data conforms and how many "
        "results the engine reported.",
        "- Oxigraph CLI: `oxigraph load --location STORE --file dataset.nq` of the build cache's N-Quads (asserted "
        "and derived graphs) into a new on-disk store, then `oxigraph query --union-default-graph "
        "--results-format tsv` of each saved query as its own process (output discarded), as belkg's Oxigraph "
        "engine sees the same quads. Its peaks are the `oxigraph` processes' own; the total row's peak is the "
        "largest of them and of the Python process that starts them.",
        "",
    ]


def result_at(results: list[SizeResult], triples: int | None) -> SizeResult | None:
    return next((result for result in results if result.setup.triples == triples), None)


def in_seconds(value: Value) -> str:
    return value.label or f"{value.text()} s"


def seconds_target(result: SizeResult | None, limits: Limits, target: float) -> str:
    if result is None:
        return "not measured in this run"
    value = SizeView(result, limits).build_total("build-fast")
    if value.seconds is None:
        return f"not measured: {value.text()}"
    if value.bound:
        return f"missed by more than {value.seconds - target:.0f} s: {in_seconds(value)}"
    if value.seconds <= target:
        return f"met: {in_seconds(value)}"
    return f"missed by {value.seconds - target:.2f} s: {in_seconds(value)} ({value.seconds / target:.1f}× the target)"


def memory_target(result: SizeResult | None, limits: Limits) -> str:
    if result is None:
        return "not measured in this run"
    measurement = result.measurements["build-fast"]
    if not measurement.peaks:
        return f"not measured: {SizeView(result, limits).build_total('build-fast').text()}"
    peak = max(measurement.peaks)
    if measurement.stopped:
        stopped = SizeView(result, limits).build_total("build-fast").text()
        return f"not known: the build was stopped ({stopped}) at a peak of {peak:,.0f} MB"
    if peak <= BUILD_1M_TARGET_MB:
        return f"met: peak {peak:,.0f} MB"
    return f"missed by {peak - BUILD_1M_TARGET_MB:,.0f} MB: peak {peak:,.0f} MB"


def query_target(result: SizeResult | None, limits: Limits) -> str:
    if result is None:
        return "not measured in this run"
    view = SizeView(result, limits)
    values = {name: view.value("oxigraph", f"query:{name}") for name in result.setup.query_names}
    unknown = [name for name, value in values.items() if value.seconds is None]
    if unknown:
        return f"not measured for {', '.join(unknown)}: {values[unknown[0]].text()}"
    misses = {name: value for name, value in values.items() if (value.seconds or 0.0) > QUERY_1M_TARGET_S}
    if not misses:
        slowest = max(values, key=lambda name: values[name].seconds or 0.0)
        return f"met: the slowest is {slowest}, {in_seconds(values[slowest])}"
    listed = ", ".join(
        f"{name} {in_seconds(value)} (over by {'more than ' if value.bound else ''}"
        f"{(value.seconds or 0.0) - QUERY_1M_TARGET_S:.2f} s)"
        for name, value in misses.items()
    )
    return f"missed by {len(misses)} of {len(values)} queries: {listed}"


def targets_section(results: list[SizeResult], limits: Limits) -> list[str]:
    large = result_at(results, LARGE)
    rows = [
        [
            f"build of the seed graph ≤ {SEED_BUILD_TARGET_S:g} s",
            seconds_target(result_at(results, None), limits, SEED_BUILD_TARGET_S),
        ],
        [
            f"build of 100,000 triples ≤ {BUILD_100K_TARGET_S:g} s",
            seconds_target(result_at(results, 100_000), limits, BUILD_100K_TARGET_S),
        ],
        [
            f"build of 1,000,000 triples within {BUILD_1M_TARGET_MB // 1024} GB peak memory",
            memory_target(large, limits),
        ],
        [f"every saved query at 1,000,000 triples ≤ {QUERY_1M_TARGET_S:g} s (Oxigraph)", query_target(large, limits)],
    ]
    lines = ["## Targets", "", "Builds on the default fast path; medians and peaks as in the tables above.", ""]
    return [*lines, *markdown_table(["target", "measured"], rows, set()), ""]


def why_section(notes: Path | None) -> list[str]:
    lines = ["## Why", ""]
    if notes is None:
        return [*lines, "<!-- the reasons for the misses: rerun with --notes FILE to insert them here -->", ""]
    return [*lines, notes.read_text(encoding="utf-8").rstrip(), ""]


def report(results: list[SizeResult], options: argparse.Namespace, limits: Limits) -> str:
    lines = ["# belkg benchmark: belkg and its baselines side by side", ""]
    lines += machine_section() + method_section(options, limits)
    for result in results:
        lines += size_section(result, limits)
    lines += targets_section(results, limits) + why_section(options.notes)
    return "\n".join(lines)


# ---------------------------------------------------------------- the command


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int | None]:
    return [
        None if token.strip() == "seed" else int(token.replace("_", "")) for token in text.split(",") if token.strip()
    ]


def compile_belkg() -> None:
    """Run from compiled bytecode, as an installed package would (PYTHONDONTWRITEBYTECODE may
    be set, and an editable install compiles nothing)."""
    import belkg

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(belkg.__file__).parent)], check=True)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="'seed' (the project itself) and triple counts.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measurement below 1,000,000 triples.")
    parser.add_argument("--runs-large", type=int, default=1, help="Runs per measurement from 1,000,000 triples on.")
    parser.add_argument("--timeout", type=float, default=600.0, help="Seconds a step may run before it is stopped.")
    parser.add_argument(
        "--build-timeout", type=float, default=1800.0, help="Seconds the default build may run (at least --timeout)."
    )
    parser.add_argument("--max-memory-mb", type=float, default=None, help="Default: three quarters of the memory.")
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "work", help="Generated projects and caches.")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--notes", type=Path, default=None, help="Markdown inserted verbatim as the 'Why' section.")
    parser.add_argument("--tiny", action="store_true", help="One small size, one run, a short time limit.")
    parser.add_argument(
        "--skip",
        type=lambda text: frozenset(filter(None, text.split(","))),
        default=frozenset(),
        metavar="KEYS",
        help=f"Measurements not to run, comma separated: {', '.join(MEASUREMENTS)}.",
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PROGRESS", "ARGUMENTS"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.tiny:
        options.sizes, options.runs, options.timeout = TINY["sizes"], TINY["runs"], TINY["timeout"]
    options.command_line = argv
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    if options.child:
        kind, progress_file, arguments_file = options.child
        run_child_in_this_process(kind, Path(progress_file), Path(arguments_file))
        return
    memory = options.max_memory_mb or os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**2 * 0.75
    limits = Limits(options.timeout, memory, options.build_timeout)
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    compile_belkg()
    results: list[SizeResult] = []
    earlier: dict[str, dict[str, str]] = {}
    for triples in parse_sizes(options.sizes):
        label = "seed" if triples is None else str(triples)
        setup = prepare_size(label, triples, work, limits)
        runs = options.runs_large if (triples or 0) >= LARGE else options.runs
        result = measure_size(setup, runs, limits, work, earlier, options.skip)
        remember_stops(result, earlier)
        results.append(result)
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text(report(results, options, limits), encoding="utf-8")
        say(f"wrote {options.output}")


if __name__ == "__main__":
    main()
