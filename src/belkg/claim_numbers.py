"""Claim IRIs follow their file: bkd:claim-<stem>-<nnn>, numbered 1, 2, 3… without gaps,
each claim written in one document file only.

A gap usually means a claim was deleted or renumbered by hand; a claim written in two files
is two claims under one name, which would silently merge their evidence and qualifiers.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import URIRef
from rdflib.term import Node

from belkg.findings import Finding
from belkg.loading import LoadedGraph, seed_stem
from belkg.locating import describe, line_of, short_name
from belkg.namespaces import BK, BKD, RDF
from belkg.project import Project

_CLAIM_IRI = re.compile(re.escape(str(BKD)) + r"claim-(?P<stem>[^-]+)-(?P<number>\d+)$")


def check_claim_numbers(project: Project, loaded: LoadedGraph) -> list[Finding]:
    """Every claim named for its own file, numbered without gaps, written in one file."""
    findings: list[Finding] = []
    classes = loaded.subclasses_of(BK.Claim)
    files_of: dict[Node, list[URIRef]] = defaultdict(list)

    def report(document: URIRef, node: Node, message: str, hint: str) -> None:
        path = loaded.file_of(document)
        findings.append(
            Finding(
                rule="claim-number",
                message=message,
                file=project.relative(path) if path else None,
                line=line_of(path, node),
                node=short_name(node),
                label=describe(loaded.dataset.graph(document), node),
                hint=hint,
            )
        )

    for document, seed in sorted(loaded.seeds.items()):
        graph = loaded.dataset.graph(document)
        stem = seed_stem(seed)
        claims = sorted({claim for kind in classes for claim in graph.subjects(RDF.type, kind)}, key=str)
        numbers: dict[int, Node] = {}
        for claim in claims:
            files_of[claim].append(document)
            match = _CLAIM_IRI.match(str(claim))
            if match is None or match["stem"] != stem:
                report(
                    document,
                    claim,
                    f"a claim of this file is named {short_name(claim)}",
                    f"name the claims of this file bkd:claim-{stem}-NNN",
                )
                continue
            numbers[int(match["number"])] = claim
        if numbers:
            missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
            if missing:
                shown = ", ".join(f"{stem}-{n:03d}" for n in missing[:5]) + ("…" if len(missing) > 5 else "")
                after = numbers[max(n for n in numbers if n < missing[0])] if missing[0] > 1 else claims[0]
                report(
                    document,
                    after,
                    f"claim numbers skip {shown} ({len(missing)} missing of {max(numbers)})",
                    "number the claims 1, 2, 3… in the order of the text, or add the claims that were left out",
                )
    for claim, documents in sorted(files_of.items(), key=lambda item: str(item[0])):
        if len(documents) > 1:
            others = ", ".join(project.relative(path) for d in documents[1:] if (path := loaded.file_of(d)))
            report(
                documents[0],
                claim,
                f"the same claim is also written in {others}",
                "give each claim one IRI of its own file; move or rename the other",
            )
    return findings
