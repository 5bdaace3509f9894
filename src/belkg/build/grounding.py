"""The grounding check: every quote is in its seed, every label in some seed, every seed
unedited. It also computes each quote's character offsets (the grounding graph)."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.build.loading import LoadedGraph, read_text, seed_stem
from belkg.build.locating import finding_about, short_name
from belkg.build.quotes import locate_quote
from belkg.namespaces import BK, ENTITIES_GRAPH, OA, PROV, SKOS, document_iri
from belkg.project import Project

# rdflib looks up each term of its defined namespaces through Python-level code.
_DERIVED_FROM = PROV.wasDerivedFrom
_NON_NEGATIVE_INTEGER = XSD.nonNegativeInteger

# Literals that repeat the source's words and must lie inside one of their claim's quotes.
VERBATIM_PROPERTIES = (BK.words, BK.assessment, BK.demand, BK.charge, BK["term"], BK.condition)  # BK.term is a method


@dataclass(frozen=True)
class Citation:
    """A located evidence quote: which claim cites which characters of which seed."""

    document: URIRef
    claim: Node
    start: int
    end: int


@dataclass
class Grounding:
    offsets: set[tuple[Node, Node, Node]]  # the oa:start and oa:end of each located quote
    findings: list[Finding] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # each document's seed text, as read for its quotes (the later checks read it here)
    texts: dict[URIRef, str] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.lru_cache(maxsize=1 << 16)
def offset_literal(offset: int) -> Literal:
    """A character offset as an xsd:nonNegativeInteger, made once per number: a big
    project's quotes share their offsets, and rdflib makes a literal slowly."""
    return Literal(offset, datatype=_NON_NEGATIVE_INTEGER)


def _fold(text: str) -> str:
    """Case- and typography-insensitive form for finding labels in seeds."""
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    return " ".join(text.translate(table).casefold().split())


def _claims_citing(graph: Graph, evidence: Node) -> Iterator[Node]:
    yield from graph.subjects(_DERIVED_FROM, evidence)


class _Checker:
    def __init__(self, project: Project, loaded: LoadedGraph) -> None:
        self.project = project
        self.loaded = loaded
        self.result = Grounding(set())

    def finding(self, rule: str, message: str, graph_name: URIRef, node: Node, hint: str, graph: Graph) -> None:
        path = self.loaded.file_of(graph_name)
        self.result.findings.append(finding_about(self.project, path, graph, node, rule, message, hint))

    def check_document(self, name: URIRef, seed: Path, uses: dict[Node, list[tuple[Node, Node]]]) -> None:
        """Check one document's hash, quotes and verbatim values; `uses` holds its
        (subject, object) pairs of oa:exact and of each verbatim property."""
        graph = self.loaded.graph(name)
        text = self.result.texts[name] = read_text(seed, self.project.relative(seed))
        recorded = graph.value(name, BK.sha256)
        actual = sha256_of(seed)
        if recorded is None:
            self.finding(
                "seed-hash",
                "the document does not record its seed's SHA-256",
                name,
                name,
                f'add bk:sha256 "{actual}" once the seed is confirmed verbatim',
                graph,
            )
        elif str(recorded) != actual:
            self.finding(
                "seed-hash",
                f"seeds/{seed.name} has changed since it was mapped "
                f"(SHA-256 {actual[:12]}…, recorded {str(recorded)[:12]}…)",
                name,
                name,
                "restore the seed verbatim, or re-check every quote of this document and record the new hash",
                graph,
            )
        seed_file = graph.value(name, BK.seedFile)
        if seed_file is not None and str(seed_file) != seed.name:
            self.finding(
                "seed-file",
                f"bk:seedFile names {seed_file}, but the document's seed is {seed.name}",
                name,
                name,
                f'set bk:seedFile "{seed.name}"',
                graph,
            )
        for evidence, exact in uses[OA.exact]:
            owner = next(_claims_citing(graph, evidence), evidence)
            source = graph.value(evidence, OA.hasSource)
            if source != name:
                self.finding(
                    "evidence-source",
                    f"the evidence cites {short_name(source) if source else 'no source'}, "
                    f"but it sits in the graph of {short_name(name)}",
                    name,
                    owner,
                    f"set oa:hasSource {short_name(name)}, or move the claim to its document's file",
                    graph,
                )
                continue
            occurrence = graph.value(evidence, BK.occurrence)
            location = locate_quote(text, str(exact), int(str(occurrence)) if occurrence is not None else None)
            if location.span is None:
                self.finding(
                    "quote", f"{location.problem}: “{str(exact)[:80]}”", name, owner, location.hint or "", graph
                )
                continue
            start, end = location.span
            self.result.offsets.add((evidence, OA.start, offset_literal(start)))
            self.result.offsets.add((evidence, OA.end, offset_literal(end)))
            for claim in _claims_citing(graph, evidence):
                self.result.citations.append(Citation(name, claim, start, end))
            spelling = graph.value(evidence, BK.spelling)
            if spelling is not None and str(spelling) not in str(exact):
                self.finding(
                    "spelling",
                    f"the spelling “{spelling}” is not in the evidence quote",
                    name,
                    owner,
                    "record the name exactly as the quote writes it",
                    graph,
                )
        for prop in VERBATIM_PROPERTIES:
            for claim, value in uses[prop]:
                quotes = [str(graph.value(e, OA.exact) or "") for e in graph.objects(claim, _DERIVED_FROM)]
                if not any(str(value) in quote for quote in quotes):
                    self.finding(
                        "verbatim",
                        f"{short_name(prop)} “{str(value)[:60]}” is not inside the claim's evidence quote",
                        name,
                        claim,
                        "copy the words from the quote exactly, or widen the quote to include them",
                        graph,
                    )

    def check_labels(self) -> None:
        seeds_text = _fold(
            "\n".join(read_text(path, self.project.relative(path)) for path in self.project.seed_files())
        )
        graph = self.loaded.graph(ENTITIES_GRAPH)
        for node, label in sorted(graph.subject_objects(SKOS.prefLabel | SKOS.altLabel)):
            is_pref = (node, SKOS.prefLabel, label) in graph
            if is_pref and (node, BK.labelIsNormalised, Literal(True)) in graph:
                continue
            if _fold(str(label)) not in seeds_text:
                kind = "preferred label" if is_pref else "alternative label"
                hint = (
                    "mark the thing bk:labelIsNormalised true if this is a descriptive form"
                    if is_pref
                    else "keep only spellings that a seed uses"
                )
                self.finding(
                    "label", f"the {kind} “{label}” is not found in any seed", ENTITIES_GRAPH, node, hint, graph
                )

    def check_terms(self) -> None:
        """Every bk: term the register and the documents use is one the ontology declares."""
        from belkg.namespaces import ONTOLOGY_GRAPH

        declared = set(self.loaded.graph(ONTOLOGY_GRAPH).subjects())
        namespace = str(BK)
        for name in self.loaded.files:
            if name == ONTOLOGY_GRAPH:
                continue
            graph = self.loaded.graph(name)
            if all(
                term in declared or not isinstance(term, URIRef) or not term.startswith(namespace)
                for _, predicate, obj in graph
                for term in (predicate, obj)
            ):
                continue  # the common case, found without sorting the graph
            reported: set[URIRef] = set()
            for subject, predicate, obj in sorted(graph):
                for term in (predicate, obj):
                    if isinstance(term, URIRef) and str(term).startswith(str(BK)) and term not in declared:
                        if term in reported:
                            continue
                        reported.add(term)
                        self.finding(
                            "unknown-term",
                            f"{short_name(term)} is not declared in the ontology",
                            name,
                            subject,
                            "check the spelling against ontology/belkg.ttl, or declare the term there",
                            graph,
                        )

    def check_unmapped_seeds(self) -> None:
        mapped = {seed.stem for seed in self.loaded.seeds.values()}
        for seed in self.project.seed_files():
            if seed.stem not in mapped:
                self.result.findings.append(
                    Finding(
                        rule="unmapped-seed",
                        message=f"no claims file for this seed (expected kg/{seed.stem}.ttl)",
                        file=self.project.relative(seed),
                        node=short_name(document_iri(seed_stem(seed))),
                        hint="map the seed into kg/, or remove it from seeds/",
                    )
                )


def ground(project: Project, loaded: LoadedGraph) -> Grounding:
    """Check every quote, label and seed hash; locate every quote."""
    checker = _Checker(project, loaded)
    uses: dict[Node, dict[Node, list[tuple[Node, Node]]]] = defaultdict(lambda: defaultdict(list))
    for prop in (OA.exact, *VERBATIM_PROPERTIES):
        for subject, _, obj, name in loaded.quads((None, prop, None)):
            uses[name][prop].append((subject, obj))
    for name, seed in sorted(loaded.seeds.items()):
        for pairs in uses[name].values():
            pairs.sort()
        checker.check_document(name, seed, uses[name])
    checker.check_labels()
    checker.check_terms()
    checker.check_unmapped_seeds()
    return checker.result
