"""The duplicate-claim check: a claim belongs to the one document that makes it.

Each document file is its own named graph, so the same claim IRI written as a claim in
two files would merge two statements into one node (and be counted once): the second
file has to mint its own IRI. Reported once per file that repeats the claim.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import RDF, URIRef
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.build.loading import LoadedGraph
from belkg.build.locating import finding_about, short_name
from belkg.namespaces import BK
from belkg.project import Project

RULE = "duplicate-claim"


def duplicate_claims(project: Project, loaded: LoadedGraph) -> list[Finding]:
    """A finding for each document file, after the first, that types an IRI already
    typed as a claim in another document file."""
    classes = loaded.subclasses_of(BK.Claim)
    documents = sorted(loaded.seeds, key=lambda name: str(loaded.files[name]))
    claims_in: dict[URIRef, set[Node]] = defaultdict(set)
    for subject, _, kind, document in loaded.quads((None, RDF.type, None)):
        if kind in classes:
            claims_in[document].add(subject)
    owners: dict[Node, list[URIRef]] = defaultdict(list)
    for name in documents:
        for claim in sorted(claims_in.get(name, set()), key=str):
            if isinstance(claim, URIRef):
                owners[claim].append(name)
    findings = []
    for claim, names in owners.items():
        if len(names) < 2:
            continue
        first = project.relative(loaded.files[names[0]])
        for name in names[1:]:
            message = f"{short_name(claim)} is already a claim of {first}; a claim IRI belongs to one document"
            hint = "give this document's claim its own IRI (numbered for this document)"
            graph = loaded.graph(name)
            findings.append(finding_about(project, loaded.files[name], graph, claim, RULE, message, hint))
    return findings
