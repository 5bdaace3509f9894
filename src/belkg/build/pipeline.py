"""The build: load ▸ ground ▸ validate ▸ derive edges ▸ reason ▸ cache.

A build's result is one dataset holding the asserted graphs (ontology, register, one per
document) and the derived ones (grounding offsets, simple edges, OWL 2 RL inferences),
plus the findings of validation. It is cached under a hash of all inputs, so later
commands load it instead of re-running the reasoner.

rdflib parses the hand-written files (its errors carry line and column) and the checks
run on its graphs; blank nodes are then skolemized, the rules run on an in-memory
Oxigraph store, and the result is written straight to N-Quads.
"""

from __future__ import annotations

import gc
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from belkg.build.beside import beside
from belkg.build.cache import QUERY_CHECKS, CacheEntry, EntryWriter, default_cache_root, input_key, open_entry
from belkg.build.claim_numbers import check_claim_numbers
from belkg.build.cues import check_cues, read_lexicon
from belkg.build.duplicate_claims import duplicate_claims
from belkg.build.findings import Finding
from belkg.build.grounding import Grounding, ground
from belkg.build.identities import check_identities
from belkg.build.loading import LoadedGraph, as_written, load_project, parse_turtle, shared_iri
from belkg.build.pruning import KEEP_BUILDS, mark_used, prune
from belkg.build.reasoning import REASONERS, infer
from belkg.build.rl_rules import Unsupported
from belkg.build.rules import derive_edges
from belkg.build.skolem import skolem_map
from belkg.build.validation import validate_shapes
from belkg.collector import collector_paused
from belkg.engines import from_oxigraph
from belkg.errors import BelkgError
from belkg.namespaces import EDGES_GRAPH, GROUNDING_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, new_dataset
from belkg.project import Project
from belkg.terms import to_rdflib

Progress = Callable[[str], None]
Quad = tuple[Node, Node, Node, URIRef]


@dataclass
class Build:
    """A finished build, fresh or from the cache."""

    project: Project
    key: str
    entry: CacheEntry
    findings: list[Finding]
    from_cache: bool
    seconds: dict[str, float] = field(default_factory=dict)
    _dataset: Dataset | None = None

    @property
    def conforms(self) -> bool:
        return not self.findings

    @property
    def dataset(self) -> Dataset:
        """The built dataset, parsed from the cache on first use."""
        if self._dataset is None:
            self._dataset = read_dataset(self.entry.dataset_file)
        return self._dataset


def quiet_rdflib_logging() -> None:
    """rdflib logs every ill-typed literal ("Failed to convert Literal lexical form") with
    a traceback; the shapes already report each as a finding, in one line."""
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    # pyshacl logs a broken shape before it raises (the raise becomes belkg's one-line
    # error), to a logger whose level and handler it resets on every call: a filter stays.
    validate_log = logging.getLogger("pyshacl-validate")
    if not validate_log.filters:
        validate_log.addFilter(lambda record: False)


# Datasets read in this process, by the identity of the file read: the tests and a
# process that exports several formats read one build once. Kept few (each is the whole
# build); the one cheapest to read again goes first (the smallest file, the least recently
# used of equals), so a big build is not read again for every small one read in between.
_READ: dict[tuple[str, int, int, int], Dataset] = {}
_READ_KEPT = 3


def file_identity(path: Path) -> tuple[str, int, int, int]:
    """What tells one version of a file from another: a rebuild writes a new file."""
    status = path.stat()
    return (str(path.resolve()), status.st_ino, status.st_size, status.st_mtime_ns)


def read_dataset(path: Path) -> Dataset:
    """The build's N-Quads as an rdflib dataset. The dataset may be shared with other
    callers in this process: read it, do not change it."""
    key = file_identity(path)
    if key in _READ:
        _READ[key] = _READ.pop(key)  # now the most recently used
        return _READ[key]
    dataset = new_dataset()
    with as_written(), collector_paused():
        dataset.parse(path, format="nquads")
    if len(_READ) >= _READ_KEPT:
        recency = {kept: order for order, kept in enumerate(_READ)}
        del _READ[min(_READ, key=lambda kept: (kept[2], recency[kept]))]
    _READ[key] = dataset
    return dataset


# From about 100,000 triples on, a build's freed memory is worth handing back (a full
# collection costs a process that builds small projects again and again, as the tests do).
_BIG_BUILD_BYTES = 32 << 20

# From this many parsed triples on, the SHACL validation runs in a forked process beside
# the other checks (belkg.build.beside); below it, the fork would cost more than it saves.
VALIDATION_BESIDE_FROM_TRIPLES = 100_000


def release_free_memory() -> None:
    """Give the memory of the build's freed objects back to the system (where the C
    library can), before Oxigraph's bulk loader takes its own for the derived quads: the
    peak of that stage is then the larger of the two, not their sum."""
    import ctypes

    gc.collect()
    with suppress(AttributeError, OSError):  # not glibc: the memory stays with the process
        ctypes.CDLL(None).malloc_trim(0)


def _silent(_: str) -> None:
    pass


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds[stage] = round(seconds.get(stage, 0.0) + time.perf_counter() - started, 3)


def _shape_findings(project: Project, loaded: LoadedGraph, shapes: Any, validator: str) -> list[Finding]:
    """The SHACL findings; shapes that are Turtle but not SHACL (a path that is a literal,
    a count that is not a number, a broken pattern) are an input error, not a crash."""
    try:
        return validate_shapes(project, loaded, shapes, validator=validator)
    except BelkgError:
        raise
    except Exception as error:  # pyshacl's load errors, and the fast evaluator's ValueError, re.error…
        text = str(getattr(error, "message", None) or error).strip()
        first = " ".join(text.splitlines()[0].split()) if text else type(error).__name__
        first = re.sub(r"'?\bn[0-9a-f]{32}b\d+\b'?", "a blank node", first)
        shown = project.relative(project.shapes_file)
        raise BelkgError(f"the shapes are not valid SHACL: {first}", shown) from None


def check(
    project: Project, progress: Progress = _silent, *, validator: str = "fast", seconds: dict[str, float] | None = None
) -> tuple[LoadedGraph, Grounding, list[Finding]]:
    """Load and validate the project without reasoning or caching: quotes, labels, seed
    hashes and SHACL shapes. Input errors (bad Turtle, missing files) raise BelkgError."""
    seconds = {} if seconds is None else seconds
    with _timed(seconds, "load"):
        progress("loading ontology, register and documents")
        loaded = load_project(project)
        shapes = parse_turtle(project.shapes_file, project.relative(project.shapes_file))

    def validated() -> list[Finding]:
        return duplicate_claims(project, loaded) + _shape_findings(project, loaded, shapes, validator)

    side_by_side = sum(len(graph) for graph in loaded.graphs.values()) >= VALIDATION_BESIDE_FROM_TRIPLES
    if side_by_side:
        progress(f"validating against the SHACL shapes ({validator}) in a second process, beside the other checks")
    with beside(validated, "the SHACL validation") if side_by_side else nullcontext(validated) as shape_findings:
        with _timed(seconds, "ground"):
            progress("checking quotes, labels and seed hashes")
            grounding = ground(project, loaded)
            if project.cues_file.exists():
                progress("checking each claim against the cues of its sentences")
                lexicon = read_lexicon(
                    project.cues_file, project.relative(project.cues_file), loaded.graph(ONTOLOGY_GRAPH)
                )
                grounding.findings.extend(check_cues(project, loaded, grounding, lexicon))
            progress("checking the mapping's identity judgements and the claims' numbering")
            grounding.findings.extend(check_identities(project, loaded, grounding))
            grounding.findings.extend(check_claim_numbers(project, loaded))
        with _timed(seconds, "validate"):  # side by side: the time waited for the second process
            if not side_by_side:
                progress(f"validating against the SHACL shapes ({validator})")
            findings = grounding.findings + shape_findings()
    return loaded, grounding, findings


def _asserted_quads(loaded: LoadedGraph, grounding: Grounding) -> Iterator[Quad]:
    yield from loaded.quads((None, None, None))
    for subject, predicate, obj in grounding.offsets:
        yield subject, predicate, obj, GROUNDING_GRAPH


def _skolemized(quads: list[Quad], mapping: dict[BNode, URIRef]) -> list[Quad]:
    def term(node: Node) -> Node:
        return mapping.get(node, node) if isinstance(node, BNode) else node

    return [(term(s), p, term(o), g) for s, p, o, g in quads]


def _nquads(quads: Iterable[Quad], counts: Counter[str]) -> bytes:
    """The quads as N-Quads, counting them per graph."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    written: dict[Node, str] = {}  # each IRI and blank node written once: most recur
    is_literal: dict[type, bool] = {}  # isinstance on rdflib's terms goes through ABCMeta
    per_graph: Counter[Node] = Counter()
    lines = []
    for subject, predicate, obj, graph in quads:
        per_graph[graph] += 1
        kind = type(obj)
        literal = is_literal.get(kind)
        if literal is None:
            literal = is_literal[kind] = issubclass(kind, Literal)
        if literal:  # noqa: SIM108 - a ternary would need a cast() call per quad to please mypy
            value = _quoteLiteral(obj)  # type: ignore[arg-type]
        else:
            value = written.get(obj) or written.setdefault(obj, obj.n3())
        lines.append(
            f"{written.get(subject) or written.setdefault(subject, subject.n3())} "
            f"{written.get(predicate) or written.setdefault(predicate, predicate.n3())} {value} "
            f"{written.get(graph) or written.setdefault(graph, graph.n3())} .\n"
        )
    for name, number in per_graph.items():
        counts[str(name)] += number
    return "".join(lines).encode("utf-8")


def _rdflib_term(term: Any) -> Node:
    """A pyoxigraph term as rdflib's; an IRI as the object the parsed files hold for it."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return shared_iri(term.value)
    return to_rdflib(from_oxigraph(term))  # type: ignore[no-any-return]


def run_build(
    project: Project,
    progress: Progress = _silent,
    *,
    reasoner: str = "fast",
    validator: str = "fast",
    checks_cache: Path | None = None,
    asserted_ready: Callable[[bytes], None] | None = None,
) -> tuple[bytes, list[Finding], dict[str, float], dict[str, int]]:
    """Build from the project's files, without the cache: the dataset as N-Quads, the
    findings, the seconds each stage took and the triples in each graph. The safety
    gate's verdicts on the rules are kept in `checks_cache`, if given, as a query's are.
    `asserted_ready` is given the dataset's first part, the asserted quads, as soon as
    they are written out (the cache's store loads them beside the later stages)."""
    import pyoxigraph

    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}")
    seconds: dict[str, float] = {}
    loaded, grounding, findings = check(project, progress, validator=validator, seconds=seconds)

    with _timed(seconds, "edges"):
        progress("deriving simple edges from the claims")
        raw = list(_asserted_quads(loaded, grounding))
        loaded.let_go()  # the parsed graphs are in `raw` now: a big project's memory is freed
        del loaded, grounding
        asserted = _skolemized(raw, skolem_map(raw))
        del raw
        counts: Counter[str] = Counter()
        asserted_text = _nquads(asserted, counts)
        if asserted_ready is not None:
            asserted_ready(asserted_text)
        store = pyoxigraph.Store()
        store.bulk_load(asserted_text, format=pyoxigraph.RdfFormat.N_QUADS)
        shown = {path: project.relative(path) for path in project.rule_files()}
        with as_written():
            edges = [
                (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object))
                for t in derive_edges(store, project.rule_files(), shown, checks_cache)
            ]
        del store

    with _timed(seconds, "reason"):
        progress(f"computing the OWL 2 RL closure ({reasoner})")
        triples = [(s, p, o) for s, p, o, g in asserted if g != GROUNDING_GRAPH] + edges
        try:
            inferred = infer(triples, reasoner)
        except Unsupported as error:
            progress(f"{error}: using owlrl instead")
            inferred = infer(triples, "owlrl")

    with _timed(seconds, "write"):
        derived: list[Quad] = [(s, p, o, EDGES_GRAPH) for s, p, o in edges]
        derived += [(s, p, o, INFERRED_GRAPH) for s, p, o in inferred]
        nquads = asserted_text + _nquads(derived, counts)
    return nquads, findings, seconds, dict(counts)


def build(
    project: Project,
    cache_root: Path | None = None,
    *,
    force: bool = False,
    progress: Progress = _silent,
    reasoner: str = "fast",
    validator: str = "fast",
    keep_builds: int = KEEP_BUILDS,
) -> Build:
    """The project's build: from the cache when its inputs are unchanged (and it was made
    by the same reasoner and validator), else fresh. A fresh build then removes the
    project's older builds from the cache beyond the `keep_builds` most recently used,
    this one included (0 keeps them all: belkg.build.pruning)."""
    quiet_rdflib_logging()
    root = cache_root or default_cache_root()
    key = input_key(project)
    made_with = {"reasoner": reasoner, "validator": validator}
    entry = None if force else open_entry(root, key)
    if entry is None and not force and (root / key).exists():
        progress("the cached build no longer matches the files written for it: building it again")
    if entry is not None and entry.manifest.get("made_with") == made_with:
        try:
            findings = [Finding(**item) for item in entry.findings()]
        except TypeError:  # findings written by another version, or damaged: build again
            pass
        else:
            mark_used(root, key)
            return Build(project, key, entry, findings, from_cache=True, seconds=entry.manifest.get("seconds", {}))
    total = time.perf_counter()
    writer = EntryWriter(root, key)
    try:
        with collector_paused():
            nquads, findings, seconds, counts = run_build(
                project,
                progress,
                reasoner=reasoner,
                validator=validator,
                checks_cache=root / QUERY_CHECKS,
                asserted_ready=writer.begin,
            )
        seconds["total"] = round(time.perf_counter() - total, 3)
        if len(nquads) >= _BIG_BUILD_BYTES:
            release_free_memory()
        progress("writing the build cache")
        with _timed(seconds, "cache"):
            entry = writer.finish(
                nquads,
                [finding.as_dict() for finding in findings],
                {
                    "seconds": seconds,
                    "triples_per_graph": counts,
                    "made_with": made_with,
                    "project": str(project.root.resolve()),
                },
                replace=force or entry is not None,
            )
    finally:
        writer.close()
    removed = prune(root, project.root, key, keep_builds)
    if removed.keys:
        older = "an older build" if len(removed.keys) == 1 else f"{len(removed.keys)} older builds"
        progress(f"removed {older} of this project from the cache ({removed.size / 1e6:,.0f} MB)")
    return Build(project, key, entry, findings, from_cache=False, seconds=seconds)
