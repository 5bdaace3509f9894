"""Claim IRIs follow their file: bkd:claim-<stem>-<nnn>, numbered 1, 2, 3… without gaps.

A gap usually means a claim was deleted or renumbered by hand. (A claim written in two
files is the duplicate-claim check's.)
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.build.loading import LoadedGraph, seed_stem
from belkg.build.locating import finding_about, short_name
from belkg.namespaces import BK, BKD, RDF
from belkg.project import Project

_CLAIM_IRI = re.compile(re.escape(str(BKD)) + r"claim-(?P<stem>[^-]+)-(?P<number>\d+)$")


def check_claim_numbers(project: Project, loaded: LoadedGraph) -> list[Finding]:
    """Every claim named for its own file, and numbered without gaps."""
    findings: list[Finding] = []
    classes = loaded.subclasses_of(BK.Claim)

    def report(document: URIRef, node: Node, message: str, hint: str) -> None:
        graph = loaded.graph(document)
        findings.append(finding_about(project, loaded.file_of(document), graph, node, "claim-number", message, hint))

    claims_in: dict[URIRef, set[Node]] = {}
    for kind in classes:
        for claim, _, _, document in loaded.quads((None, RDF.type, kind)):
            claims_in.setdefault(document, set()).add(claim)

    for document, seed in sorted(loaded.seeds.items()):
        stem = seed_stem(seed)
        claims = sorted(claims_in.get(document, set()), key=str)
        numbers: dict[int, Node] = {}
        for claim in claims:
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
    return findings
