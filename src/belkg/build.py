"""The build: load ▸ ground ▸ validate ▸ derive edges ▸ reason ▸ cache.

A build's result is one dataset holding the asserted graphs (ontology, register, one per
document) and the derived ones (grounding offsets, simple edges, OWL 2 RL inferences),
plus the findings of validation. It is cached under a hash of all inputs, so later
commands load it instead of re-running the reasoner.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from belkg.cache import CacheEntry, default_cache_root, input_key, open_entry, write_entry
from belkg.findings import Finding
from belkg.grounding import Grounding, ground
from belkg.loading import LoadedGraph, as_written, load_project, parse_turtle
from belkg.namespaces import EDGES_GRAPH, GROUNDING_GRAPH, INFERRED_GRAPH, new_dataset
from belkg.project import Project
from belkg.reasoning import infer
from belkg.rules import derive_edges
from belkg.skolem import skolemize
from belkg.validation import validate_shapes

Progress = Callable[[str], None]


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


def read_dataset(path: Path) -> Dataset:
    dataset = new_dataset()
    with as_written():
        dataset.parse(path, format="nquads")
    return dataset


def _silent(_: str) -> None:
    pass


def _copy_into(dataset: Dataset, name: URIRef, graph: Graph) -> None:
    target = dataset.graph(name)
    for triple in graph:
        target.add(triple)


def check(project: Project, progress: Progress = _silent) -> tuple[LoadedGraph, Grounding, list[Finding]]:
    """Load and validate the project without reasoning or caching: quotes, labels, seed
    hashes and SHACL shapes. Input errors (bad Turtle, missing files) raise BelkgError."""
    progress("loading ontology, register and documents")
    loaded = load_project(project)
    shapes = parse_turtle(project.shapes_file, project.relative(project.shapes_file))
    progress("checking quotes, labels and seed hashes")
    grounding = ground(project, loaded)
    progress("validating against the SHACL shapes")
    findings = grounding.findings + validate_shapes(project, loaded, shapes)
    return loaded, grounding, findings


def run_build(project: Project, progress: Progress = _silent) -> tuple[Dataset, list[Finding], dict[str, float]]:
    """Build from the project's files, without the cache."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    loaded, grounding, findings = check(project, progress)
    seconds["check"] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    progress("deriving simple edges from the claims")
    shown = {path: project.relative(path) for path in project.rule_files()}
    edges = derive_edges(loaded.dataset, project.rule_files(), shown)
    seconds["edges"] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    progress("computing the OWL 2 RL closure (owlrl)")
    inferred = infer([loaded.dataset, edges])
    seconds["reason"] = round(time.perf_counter() - started, 3)

    dataset = new_dataset()
    for quad in loaded.dataset.quads((None, None, None, None)):
        dataset.add(quad)  # type: ignore[arg-type]
    _copy_into(dataset, GROUNDING_GRAPH, grounding.offsets)
    _copy_into(dataset, EDGES_GRAPH, edges)
    _copy_into(dataset, INFERRED_GRAPH, inferred)
    return skolemize(dataset), findings, seconds


def build(
    project: Project,
    cache_root: Path | None = None,
    *,
    force: bool = False,
    progress: Progress = _silent,
) -> Build:
    """The project's build: from the cache when its inputs are unchanged, else fresh."""
    quiet_rdflib_logging()
    root = cache_root or default_cache_root()
    key = input_key(project)
    entry = None if force else open_entry(root, key)
    if entry is not None:
        try:
            findings = [Finding(**item) for item in entry.findings()]
        except TypeError:  # findings written by another version, or damaged: build again
            entry = None
        else:
            return Build(project, key, entry, findings, from_cache=True, seconds=entry.manifest.get("seconds", {}))
    total = time.perf_counter()
    dataset, findings, seconds = run_build(project, progress)
    progress("writing the build cache")
    started = time.perf_counter()
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    seconds["total"] = round(time.perf_counter() - total, 3)
    counts = {str(graph.identifier): len(graph) for graph in dataset.graphs() if len(graph)}
    entry = write_entry(
        root,
        key,
        nquads,
        [finding.as_dict() for finding in findings],
        {"seconds": seconds, "triples_per_graph": counts, "project": str(project.root)},
        replace=force,
    )
    seconds["cache"] = round(time.perf_counter() - started, 3)
    return Build(project, key, entry, findings, from_cache=False, seconds=seconds, _dataset=dataset)
