"""The synthetic-graph generator makes projects that conform, cite every sentence of their
seeds, and have the size, the kinds of things and claims, the spellings and the skew
asked for."""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, RDF, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import NAME_CAPACITY, Size, belarusian_name, generate

from belkg.build.findings import Finding
from belkg.build.grounding import Grounding
from belkg.build.loading import LoadedGraph
from belkg.build.pipeline import check
from belkg.coverage import compute_coverage, read_skip_list, seeds_of, unused_skips
from belkg.namespaces import BK, ENTITIES_GRAPH, OA
from belkg.project import Project

CLAIM_KINDS = {"ParticipationClaim", "NationalityClaim", "RoleClaim", "DateClaim", "CountClaim", "SentenceClaim",
               "EventRelationClaim", "QuotationClaim"}  # fmt: skip


@dataclass
class Checked:
    size: Size
    project: Project
    loaded: LoadedGraph
    grounding: Grounding
    findings: list[Finding]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Checked]:
    """checked(triples): a generated project of that size, loaded and checked once."""
    made: dict[int, Checked] = {}

    def make(triples: int) -> Checked:
        if triples not in made:
            out = tmp_path_factory.mktemp("synthetic") / "project"
            size = generate(out, triples)
            project = Project(out)
            made[triples] = Checked(size, project, *check(project))
        return made[triples]

    return make


def asserted_triples(root: Path) -> int:
    """The triples of kg/ (register and documents), parsed by another parser than the build's."""
    turtle = pyoxigraph.RdfFormat.TURTLE
    return sum(sum(1 for _ in pyoxigraph.parse(path=str(path), format=turtle)) for path in (root / "kg").glob("*.ttl"))


def subjects_of_kind(checked: Checked, kind: str) -> list[URIRef]:
    return [s for s in checked.loaded.union.subjects(RDF.type, BK[kind]) if isinstance(s, URIRef)]


@pytest.mark.parametrize("triples", [2_000, 6_000])
def test_generated_project_conforms_and_cites_every_sentence(checked, triples):
    project = checked(triples)
    assert [finding.format() for finding in project.findings] == []
    skips = read_skip_list(project.project.skip_list_file, "kg/coverage-skip.txt")
    report = compute_coverage(seeds_of(project.project), project.grounding.citations, skips)
    uncited = [
        (seed.seed, item.sentence.text) for seed in report for item in seed.sentences if item.status == "uncited"
    ]
    assert uncited == []
    assert unused_skips(report, skips) == []
    assert len(report) == project.size.documents


@pytest.mark.parametrize("triples", [2_000, 6_000, 60_000])
def test_generated_project_has_the_size_asked(tmp_path, triples):
    size = generate(tmp_path / "project", triples)
    assert asserted_triples(tmp_path / "project") == size.triples
    assert 0.85 * triples <= size.triples <= 1.15 * triples


def test_every_kind_of_claim_and_thing_is_generated(checked):
    project = checked(6_000)
    graph = project.loaded.union
    assert set(project.size.claim_kinds) == CLAIM_KINDS
    for kind in [*CLAIM_KINDS, "Release", "Arrest", "Sentencing", "Negotiation", "NewsReport", "Person",
                 "PersonGroup", "Country", "GovernmentBody", "MediaOutlet", "CivilSocietyOrganisation"]:  # fmt: skip
        assert subjects_of_kind(project, kind), kind
    countries = set(subjects_of_kind(project, "Country"))
    assert {graph.value(claim, BK.country) for claim in subjects_of_kind(project, "NationalityClaim")} <= countries
    organisations = {o for k in ("GovernmentBody", "MediaOutlet", "CivilSocietyOrganisation")
                     for o in subjects_of_kind(project, k)}  # fmt: skip
    assert {graph.value(claim, BK.roleIn) for claim in subjects_of_kind(project, "RoleClaim")} & organisations
    authorities = {
        graph.value(claim, BK.participant)
        for claim in subjects_of_kind(project, "ParticipationClaim")
        if graph.value(claim, BK.role) in (BK.ReleasingAuthority, BK.ArrestingAuthority, BK.Organiser)
    }
    assert authorities and authorities <= organisations
    assert project.size.people == len(subjects_of_kind(project, "Person"))
    assert project.size.claims == sum(project.size.claim_kinds.values())


def test_other_spellings_of_names_are_used_by_the_seeds(checked):
    project = checked(6_000)
    register = project.loaded.graph(ENTITIES_GRAPH)
    seeds = "\n".join(path.read_text(encoding="utf-8") for path in project.project.seed_files())
    aliases = defaultdict(set)
    for person in subjects_of_kind(project, "Person"):
        aliases[person] = {str(label) for label in register.objects(person, SKOS.altLabel)}
    assert sum(1 for labels in aliases.values() if labels) >= 3
    assert all(label in seeds for labels in aliases.values() for label in labels)
    graph = project.loaded.union
    spelt = 0
    for claim, evidence in graph.subject_objects(PROV.wasDerivedFrom):
        spelling = graph.value(evidence, BK.spelling)
        subject = graph.value(claim, BK.participant) or graph.value(claim, BK.national)
        if spelling is not None and subject in aliases:
            assert str(spelling) in aliases[subject]
            assert str(spelling) in str(graph.value(evidence, OA.exact))
            spelt += 1
    assert spelt >= 3


def test_a_few_people_take_part_in_many_events(checked):
    project = checked(6_000)
    graph = project.loaded.union
    events = defaultdict(set)
    people = set(subjects_of_kind(project, "Person"))
    for claim in subjects_of_kind(project, "ParticipationClaim"):
        if graph.value(claim, BK.participant) in people:
            events[graph.value(claim, BK.participant)].add(graph.value(claim, BK.event))
    counts = sorted((len(found) for found in events.values()), reverse=True)
    assert statistics.median(counts) <= 2
    assert counts[0] >= 5 * statistics.median(counts)


def test_generation_is_deterministic(tmp_path):
    generate(tmp_path / "a", 2_000, seed=7)
    generate(tmp_path / "b", 2_000, seed=7)
    generate(tmp_path / "c", 2_000, seed=8)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    register = Path("kg", "entities.ttl")
    assert (tmp_path / "a" / register).read_bytes() != (tmp_path / "c" / register).read_bytes()


def test_every_name_is_one_persons_and_other_spellings_are_nobodys_name():
    names = [belarusian_name(index) for index in range(NAME_CAPACITY)]
    labels = {label for label, _ in names}
    assert len(labels) == NAME_CAPACITY
    assert not labels & {variant for _, variants in names for variant in variants}
