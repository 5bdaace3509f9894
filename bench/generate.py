"""Synthetic belkg projects of any size, in the project's own ontology, that conform to
its shapes and pass the grounding check: every claim quotes a sentence of a generated
seed, every label appears in a seed.

People take part in events with a realistic skew (a few people in many events, most in
one or two: a Zipf-like choice), each event reported by one to several documents.

    python bench/generate.py OUT_DIR --triples 100000 [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIPLES_PER_CLAIM = 10  # a claim's own triples (type, 3 fields, link) and its evidence's (4)
PREFIXES = """\
@prefix bk:      <https://w3id.org/belkg/ontology#> .
@prefix bkd:     <https://w3id.org/belkg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""
ROLES = [("released", "bk:Released"), ("negotiated", "bk:Negotiator"), ("was not released in", "bk:NotReleased"),
         ("mediated", "bk:Mediator"), ("signed", "bk:Signatory")]  # fmt: skip
FIRST = ["Ales", "Maria", "Mikola", "Siarhei", "Viktar", "Andrei", "Yelena", "Paweł", "Henadz", "Olga", "Ihar", "Nina"]
LAST = ["Kavalenka", "Novik", "Šarapa", "Müller", "Zhuk", "Lis", "Bialou", "Karpovich", "Tsikhan", "Sokal"]


@dataclass(frozen=True)
class Size:
    people: int
    events: int
    documents: int
    claims: int


def plan(triples: int) -> Size:
    """How many of each thing make about `triples` triples in the documents."""
    claims = max(20, triples // TRIPLES_PER_CLAIM)
    return Size(
        people=max(10, claims // 8),
        events=max(5, claims // 40),
        documents=max(2, claims // 200),
        claims=claims,
    )


def _person_label(index: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]} {index}"


def _zipf(rng: random.Random, count: int) -> int:
    """An index in range(count), small indexes much more likely (a few people in many events)."""
    return min(count - 1, int(count ** rng.random()) - 1)


def generate(out: Path, triples: int, seed: int = 1) -> Size:
    """Write a project folder of about `triples` triples of claims into `out`."""
    rng = random.Random(seed)
    size = plan(triples)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "ontology", out / "ontology")
    shutil.copytree(ROOT / "queries", out / "queries")
    (out / "kg").mkdir()
    (out / "seeds").mkdir()

    entities = [PREFIXES]
    for person in range(size.people):
        entities.append(f'bkd:p{person} a bk:Person ; skos:prefLabel "{_person_label(person)}"@en .\n')
    for event in range(size.events):
        entities.append(
            f'bkd:e{event} a bk:Release ; skos:prefLabel "release number {event}"@en ; bk:labelIsNormalised true .\n'
        )
    (out / "kg" / "entities.ttl").write_text("".join(entities), encoding="utf-8")

    per_document = size.claims // size.documents
    mentioned: set[int] = set()
    for document in range(size.documents):
        stem = f"{document:06d}_synthetic"
        lines = [f"Synthetic report {document}", ""]
        claims = []
        people = [_zipf(rng, size.people) for _ in range(per_document)]
        if document == size.documents - 1:  # every person is named somewhere
            people += sorted(set(range(size.people)) - mentioned - set(people))
        for number, person in enumerate(people, start=1):
            mentioned.add(person)
            event = _zipf(rng, size.events)
            words, role = ROLES[(person + event) % len(ROLES)]
            sentence = f"Line {number}: {_person_label(person)} {words} release number {event}."
            lines.append(sentence)
            claims.append(
                f"bkd:c{document}-{number} a bk:ParticipationClaim ;\n"
                f"    bk:event bkd:e{event} ; bk:participant bkd:p{person} ; bk:role {role} ;\n"
                f"    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-{document:06d} ;\n"
                f'        oa:exact "{sentence}" ] .\n'
            )
        text = "\n".join(lines) + "\n"
        seed_file = out / "seeds" / f"{stem}.txt"
        seed_file.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        head = (
            f"{PREFIXES}\nbkd:doc-{document:06d} a bk:NewsReport ;\n"
            f'    dcterms:title "Synthetic report {document}" ;\n'
            f'    bk:seedFile "{stem}.txt" ;\n    bk:sha256 "{digest}" .\n\n'
        )
        (out / "kg" / f"{stem}.ttl").write_text(head + "\n".join(claims), encoding="utf-8")
    # The title line of each report is page furniture for coverage purposes.
    skips = [f"{d:06d}_synthetic\tSynthetic report {d}\ta generated title\n" for d in range(size.documents)]
    (out / "kg" / "coverage-skip.txt").write_text("".join(skips), encoding="utf-8")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    size = generate(arguments.out, arguments.triples, arguments.seed)
    print(
        f"{arguments.out}: {size.people} people, {size.events} events, {size.documents} documents, {size.claims} claims"
    )


if __name__ == "__main__":
    main()
