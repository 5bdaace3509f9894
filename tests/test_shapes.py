"""Every SHACL node shape of ontology/shapes.ttl, broken on purpose.

Each row of SHAPE_CASES names a small bad fixture in tests/fixtures/shapes/ and the exact
set of violations it produces, as (rule, node, path, message). A fixture is one or more of:

* ``<name>.ttl``           claims (Turtle without prefixes) for the tiny seed's document file;
* ``<name>.entities.ttl``  a whole replacement of the register kg/entities.ttl;
* ``<name>.document.ttl``  a whole replacement of the document file kg/900_tiny.ttl;
* ``<name>.identities.ttl`` the identity judgements kg/identities.ttl.

Claim fixtures run against REGISTER (the tiny register plus a country, an award and a
sentencing); register and document fixtures run with the good claim of the tiny project.
Quotes are unique in the tiny seed and labels are grounded, so the only findings are the
shape violations each fixture is written to produce.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SH

from belkg.build import shacl_core
from belkg.build.findings import Finding
from belkg.build.loading import load_project, parse_turtle
from belkg.build.pipeline import check
from belkg.build.validation import shape_violations
from belkg.project import Project

from conftest import FIXTURES, GOOD_CLAIM, TINY_ENTITIES, TINY_SEED_NAME, TinyProject

ROOT = Path(__file__).resolve().parent.parent
SHAPE_FIXTURES = FIXTURES / "shapes"
DOCUMENT_FILE = f"kg/{TINY_SEED_NAME}.ttl"
ENTITIES_FILE = "kg/entities.ttl"

# The tiny register and the things that claim fixtures point to besides Alice, Bob and the release.
REGISTER = (
    TINY_ENTITIES
    + """
bkd:belarus a bk:Country ; skos:prefLabel "Belarus"@en ; bk:labelIsNormalised true .
bkd:nobel-peace-prize a bk:Award ; skos:prefLabel "Nobel Peace Prize"@en ; bk:labelIsNormalised true .
bkd:the-sentencing a bk:Sentencing ; skos:prefLabel "sentencing of Alice"@en ; bk:labelIsNormalised true .
"""
)

CLAIM = "bkd:claim-900-010"
EVIDENCE = f"{CLAIM} → []"  # a blank node is reported through the claim that points to it
DOC = "bkd:doc-900"
INSTANT_MESSAGE = (
    "a date needs one value with its matching precision (xsd:date with time:unitDay, xsd:gYearMonth with "
    "time:unitMonth, xsd:gYear with time:unitYear), or no value and a bk:datePhrase (found [])"
)
PREF_LABEL_MESSAGE = "needs exactly one skos:prefLabel with a language tag"
VALUE_MESSAGE = "bk:value must be one non-negative number"
MEMBER_COUNT_MESSAGE = "bk:memberCount must be one non-negative integer"
EVIDENCE_QUOTE_MESSAGE = "evidence needs exactly one non-empty oa:exact quote"

Expected = set[tuple[str, str, str | None, str]]


def case(name: str, *expected: tuple[str, str, str | None, str]) -> object:
    return pytest.param(name, set(expected), id=name)


# fmt: off
SHAPE_CASES = [
    # --- thing of the register (LabelledThingShape) ---
    case("person_without_label",
         ("thing of the register: MinCount", "bkd:bob-example", "skos:prefLabel", PREF_LABEL_MESSAGE)),
    case("label_without_language",
         ("thing of the register: Datatype", "bkd:bob-example", "skos:prefLabel",
          f"{PREF_LABEL_MESSAGE} (found 'Bob Example')")),
    case("alt_label_without_language",
         ("thing of the register: Datatype", "bkd:bob-example", "skos:altLabel",
          "skos:altLabel must be a string with a language tag (found 'Bob')")),
    case("label_is_normalised_not_boolean",
         ("thing of the register: Datatype", "bkd:alice-example", "bk:labelIsNormalised",
          "bk:labelIsNormalised must be one boolean (found 'yes')")),
    # --- person, organisation (PersonShape, OrganisationShape) ---
    case("person_is_organisation",
         ("person: Not", "bkd:bob-example", None, "a person cannot also be an organisation (found bkd:bob-example)"),
         ("organisation: Not", "bkd:bob-example", None,
          "an organisation cannot also be a person (found bkd:bob-example)")),
    case("person_with_member_count",
         ("person: MaxCount", "bkd:bob-example", "bk:memberCount", "a person has no member count")),
    # --- group of people (PersonGroupShape) ---
    case("group_negative_member_count",
         ("group of people: MinInclusive", "bkd:freed-people", "bk:memberCount",
          f"{MEMBER_COUNT_MESSAGE} (found '-1')")),
    case("group_member_count_in_words",
         ("group of people: Datatype", "bkd:freed-people", "bk:memberCount", f"{MEMBER_COUNT_MESSAGE} (found 'two')"),
         # a string is not comparable with 0, which sh:minInclusive reports too
         ("group of people: MinInclusive", "bkd:freed-people", "bk:memberCount",
          f"{MEMBER_COUNT_MESSAGE} (found 'two')")),
    # --- place, event, award (PlaceShape, EventShape, AwardShape) ---
    case("place_is_event",
         ("place: Not", "bkd:minsk", None, "a place cannot also be an event (found bkd:minsk)")),
    case("event_is_agent",
         ("event: Not", "bkd:the-release", None, "an event cannot also be an agent (found bkd:the-release)")),
    case("award_is_agent",
         ("award: Not", "bkd:nobel-peace-prize", None,
          "an award cannot also be an agent (found bkd:nobel-peace-prize)")),
    # --- source document (SourceDocumentShape) ---
    case("document_without_title",
         ("source document: MinCount", DOC, "dcterms:title", "needs exactly one dcterms:title")),
    case("document_issued_not_a_date",
         ("source document: Or", DOC, "dcterms:issued",
          "dcterms:issued must be one xsd:date or xsd:dateTime (found 'on Monday')")),
    case("document_publisher_is_person",
         ("source document: Class", DOC, "dcterms:publisher",
          "dcterms:publisher must be one organisation of the register (found bkd:bob-example)")),
    # --- evidence (EvidenceShape) ---
    case("evidence_not_typed",
         ("evidence: Class", EVIDENCE, None, "evidence must be a bk:Evidence node (found [])")),
    case("evidence_two_quotes",
         ("evidence: MaxCount", EVIDENCE, "oa:exact", EVIDENCE_QUOTE_MESSAGE)),
    case("evidence_without_quote",
         ("evidence: MinCount", EVIDENCE, "oa:exact", EVIDENCE_QUOTE_MESSAGE)),
    case("evidence_spelling_with_language",
         ("evidence: Datatype", EVIDENCE, "bk:spelling", "bk:spelling must be one string (found 'Bob')")),
    # --- identity judgements (IdentityJudgementShape, BasisShape) ---
    case("identity_judgement_without_reason",
         ("identity judgement: MinCount", "bkd:identity-the-release", "bk:reason",
          "an identity judgement needs one bk:reason")),
    case("identity_basis_without_source",
         ("identity basis: MinCount", "bkd:identity-the-release → []", "oa:hasSource",
          "a basis needs exactly one oa:hasSource, a source document")),
    # --- claim (ClaimShape) ---
    case("claim_without_evidence",
         ("claim: MinCount", CLAIM, "prov:wasDerivedFrom",
          "a claim needs at least one evidence quote (prov:wasDerivedFrom)")),
    case("claim_hedge_is_modality",
         ("claim: Class", CLAIM, "bk:hedge",
          "bk:hedge must be one of the hedges of the ontology (bk:Reportedly, bk:Allegedly, bk:SeenAs...)"
          " (found bk:Planned)")),
    case("claim_two_modalities",
         ("claim: MaxCount", CLAIM, "bk:modality",
          "bk:modality must be one of the modalities of the ontology (bk:Planned, bk:Demanded...)")),
    case("claim_conflicts_with_person",
         ("claim: Class", CLAIM, "bk:conflictsWith",
          "bk:conflictsWith must point to another claim (found bkd:alice-example)")),
    # --- participation claim ---
    case("participation_without_role",
         ("participation claim: MinCount", CLAIM, "bk:role",
          "a participation claim needs exactly one bk:role from the ontology's roles")),
    case("participation_role_is_hedge",
         ("participation claim: Class", CLAIM, "bk:role",
          "a participation claim needs exactly one bk:role from the ontology's roles (found bk:Reportedly)")),
    case("participation_two_participants",
         ("participation claim: MaxCount", CLAIM, "bk:participant",
          "a participation claim needs exactly one bk:participant, an agent of the register")),
    case("participation_event_is_person",
         ("participation claim: Class", CLAIM, "bk:event",
          "a participation claim needs exactly one bk:event, an event of the register (found bkd:alice-example)")),
    # --- count claim, count with two values (CountClaimShape, RangeCountShape) ---
    case("count_without_value",
         ("count claim: Or", CLAIM, None,
          f"a count needs a bk:value unless its comparator is bk:Several (found {CLAIM})")),
    case("count_value_in_words",
         ("count claim: Or", CLAIM, "bk:value", f"{VALUE_MESSAGE} (found 'one')"),
         # a string is not comparable with 0, which sh:minInclusive reports too
         ("count claim: MinInclusive", CLAIM, "bk:value", f"{VALUE_MESSAGE} (found 'one')")),
    case("count_decimal_without_point",
         ("count claim: Or", CLAIM, "bk:value", f"{VALUE_MESSAGE} (found '1')")),
    case("count_negative_value",
         ("count claim: MinInclusive", CLAIM, "bk:value", f"{VALUE_MESSAGE} (found '-1')")),
    case("count_range_upper_below_value",
         ("count claim: LessThan", CLAIM, "bk:value", "bk:value must be less than bk:upperValue (found '3')")),
    case("count_as_of_literal",
         ("count claim: Class", CLAIM, "bk:asOf", "bk:asOf must be one time:Instant (found '2025-02-17')")),
    case("count_of_literal",
         ("count claim: NodeKind", CLAIM, "bk:countOf",
          "a count claim needs exactly one bk:countOf, the group or event counted (found 'the release')")),
    case("count_either_without_upper_value",
         ("count with two values: Or", CLAIM, None,
          f"a count with comparator bk:Either or bk:Range needs a bk:upperValue (found {CLAIM})")),
    case("count_without_comparator",
         ("count claim: MinCount", CLAIM, "bk:comparator", "a count claim needs exactly one bk:comparator")),
    # --- role claim ---
    case("role_claim_empty_role_name",
         ("role claim: MinLength", CLAIM, "bk:roleName", "a role claim needs exactly one bk:roleName (found '')")),
    case("role_claim_former_in_words",
         ("role claim: Datatype", CLAIM, "bk:former", "bk:former must be one boolean (found 'yes')")),
    # --- quotation claim ---
    case("quotation_without_speaker",
         ("quotation claim: MinCount", CLAIM, "bk:speaker",
          "a quotation needs exactly one bk:speaker, an agent of the register")),
    case("quotation_about_literal",
         ("quotation claim: NodeKind", CLAIM, "bk:about", "bk:about must name things of the register (found 'Bob')")),
    # --- sentence claim ---
    case("sentence_event_not_sentencing",
         ("sentence claim: Class", CLAIM, "bk:event",
          "bk:event of a sentence claim must be one sentencing event (found bkd:the-release)")),
    case("sentence_min_years_above_max",
         ("sentence claim: LessThanOrEquals", CLAIM, "bk:minYears",
          "bk:minYears must not exceed bk:maxYears (found '10')")),
    case("sentence_without_term",
         ("sentence claim: MinCount", CLAIM, "bk:term",
          "a sentence claim needs exactly one bk:term in the seed's words")),
    # --- nationality claim ---
    case("nationality_country_is_person",
         ("nationality claim: Class", CLAIM, "bk:country",
          "a nationality claim needs exactly one bk:country, a country of the register (found bkd:bob-example)")),
    case("nationality_without_national",
         ("nationality claim: MinCount", CLAIM, "bk:national", "a nationality claim needs exactly one bk:national")),
    # --- event relation claim ---
    case("event_relation_is_agent_relation",
         ("event relation claim: Class", CLAIM, "bk:relation",
          "an event relation needs exactly one bk:relation between events (found bk:SpouseOf)")),
    case("event_relation_to_person",
         ("event relation claim: Class", CLAIM, "bk:toEvent",
          "an event relation needs exactly one bk:toEvent, an event (found bkd:bob-example)")),
    # --- date claim ---
    case("date_claim_without_date",
         ("date claim: Or", CLAIM, None, f"a date claim needs a bk:date or a bk:durationPhrase (found {CLAIM})")),
    case("date_claim_date_literal",
         ("date claim: Class", CLAIM, "bk:date", "bk:date must be one time:Instant (found '2025-02-17')")),
    # --- date (time instant) (InstantShape) ---
    case("instant_precision_mismatch",
         ("date (time instant): Xone", EVIDENCE, None, INSTANT_MESSAGE)),
    case("instant_without_value_or_phrase",
         ("date (time instant): Xone", EVIDENCE, None, INSTANT_MESSAGE)),
    case("instant_phrase_in_two_values",
         ("date (time instant): MaxCount", EVIDENCE, "bk:datePhrase", "bk:datePhrase must be one string")),
    case("instant_two_values",
         ("date (time instant): Xone", EVIDENCE, None, INSTANT_MESSAGE)),
    # --- date resolved from a relative phrase (ResolvedDateShape) ---
    case("resolved_date_without_phrase",
         ("date resolved from a relative phrase: MinCount", EVIDENCE, "bk:datePhrase",
          "a date resolved against a document must keep the phrase it was resolved from")),
    # --- location claim ---
    case("location_without_event_or_agent",
         ("location claim: Or", CLAIM, None,
          f"a location claim needs a bk:event or a bk:locatedAgent (found {CLAIM})")),
    case("location_place_is_person",
         ("location claim: Class", CLAIM, "bk:place",
          "a location claim needs exactly one bk:place, a place of the register (found bkd:bob-example)")),
    # --- award claim ---
    case("award_claim_award_is_event",
         ("award claim: Class", CLAIM, "bk:award",
          "an award claim needs exactly one bk:award, an award of the register (found bkd:the-release)")),
    case("award_claim_year_string",
         ("award claim: Datatype", CLAIM, "bk:awardYear", "bk:awardYear must be one xsd:gYear (found '2015')")),
    # --- relationship claim ---
    case("relationship_is_event_relation",
         ("relationship claim: Class", CLAIM, "bk:relation",
          "a relationship claim needs exactly one bk:relation between agents (found bk:InReturnFor)")),
    case("relationship_without_related_agent",
         ("relationship claim: MinCount", CLAIM, "bk:relatedAgent",
          "a relationship claim needs exactly one bk:relatedAgent")),
    # --- assessment claim ---
    case("assessment_without_about",
         ("assessment claim: MinCount", CLAIM, "bk:about",
          "an assessment needs at least one bk:about, a thing of the register")),
    case("assessment_assessor_is_event",
         ("assessment claim: Class", CLAIM, "bk:assessor", "bk:assessor must be one agent (found bkd:the-release)")),
    # --- demand claim ---
    case("demand_without_demanded_event",
         ("demand claim: MinCount", CLAIM, "bk:demandedEvent",
          "a demand needs a bk:demandedEvent, an event of the register")),
    case("demand_addressee_is_event",
         ("demand claim: Class", CLAIM, "bk:addressee", "bk:addressee must be an agent (found bkd:the-release)")),
]
# fmt: on


def _fixture_names() -> list[str]:
    return [param.values[0] for param in SHAPE_CASES]  # type: ignore[attr-defined]


def _fixture_files(name: str) -> dict[str, Path]:
    """The files of one fixture, by kind: claims, entities, document."""
    kinds = {"claims": f"{name}.ttl", "entities": f"{name}.entities.ttl", "document": f"{name}.document.ttl"}
    kinds["identities"] = f"{name}.identities.ttl"
    return {kind: SHAPE_FIXTURES / file for kind, file in kinds.items() if (SHAPE_FIXTURES / file).exists()}


def make_project(tiny_project: TinyProject, name: str) -> Project:
    files = _fixture_files(name)
    assert files, f"no fixture named {name} in {SHAPE_FIXTURES}"
    assert not ("claims" in files and "document" in files), f"{name}: give claims or a whole document, not both"
    text = {kind: path.read_text(encoding="utf-8") for kind, path in files.items()}
    project = tiny_project(
        text.get("claims", GOOD_CLAIM),
        entities=text.get("entities", REGISTER),
        document=text.get("document"),
    )
    if "identities" in text:
        project.identities_file.write_text(text["identities"], encoding="utf-8")
    return project


# check() of one fixture, shared by the tests below: findings and the text of each file of the project.
_CHECKED: dict[str, tuple[list[Finding], dict[str, str]]] = {}


def checked(tiny_project: TinyProject, name: str) -> tuple[list[Finding], dict[str, str]]:
    if name not in _CHECKED:
        project = make_project(tiny_project, name)
        _, _, findings = check(project)
        # the fixtures number their claims freely; numbering has its own tests (test_identities.py)
        findings = [finding for finding in findings if finding.rule != "claim-number"]
        texts = {
            project.relative(path): path.read_text(encoding="utf-8") for path in sorted(project.kg_dir.glob("*.ttl"))
        }
        _CHECKED[name] = (findings, texts)
    return _CHECKED[name]


@pytest.mark.parametrize(("name", "expected"), SHAPE_CASES)
def test_shape_violation(tiny_project: TinyProject, name: str, expected: Expected) -> None:
    findings, _ = checked(tiny_project, name)
    assert {(f.rule, f.node, f.path, f.message) for f in findings} == expected


@pytest.mark.parametrize("name", _fixture_names())
def test_findings_point_at_the_focus_node(tiny_project: TinyProject, name: str) -> None:
    findings, texts = checked(tiny_project, name)
    files = _fixture_files(name)
    expected_file = "kg/identities.ttl" if "identities" in files else ENTITIES_FILE if "entities" in files else None
    for finding in findings:
        assert finding.file == (expected_file or DOCUMENT_FILE), finding.format()
        assert finding.node is not None
        owner = finding.node.split(" → ")[0]
        subject = re.compile(rf"\s*{re.escape(owner)}(?=[\s;,.]|$)")
        lines = texts[finding.file].splitlines()
        written = [number for number, text in enumerate(lines, start=1) if subject.match(text)]
        assert written, f"{owner} is not written as a subject in {finding.file}"
        assert finding.line == written[0], finding.format()


@pytest.mark.slow
@pytest.mark.parametrize("name", _fixture_names())
def test_fast_validator_reports_what_pyshacl_reports(tiny_project: TinyProject, name: str) -> None:
    """The fast evaluator, run without its fallback, against pyshacl: the same raw results
    (focus, path, component, source shape, message, value)."""
    project = make_project(tiny_project, name)
    loaded = load_project(project)
    shapes = parse_turtle(project.shapes_file, "shapes.ttl")
    fast = shacl_core.validate(loaded.triples(), shapes)
    assert fast
    assert set(fast) == set(shape_violations(loaded, shapes, validator="pyshacl"))


def test_tiny_project_has_no_findings(tiny_project: TinyProject) -> None:
    _, _, findings = check(tiny_project())
    assert findings == []


def test_register_of_the_claim_fixtures_has_no_findings(tiny_project: TinyProject) -> None:
    """The larger register the claim fixtures use is clean, so their findings come from the claims."""
    _, _, findings = check(tiny_project(entities=REGISTER))
    assert findings == []


def test_every_node_shape_has_a_fixture() -> None:
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    labels = {str(shapes.value(shape, RDFS.label)) for shape in shapes.subjects(RDF.type, SH.NodeShape)}
    assert len(labels) >= 26, labels
    rules = {rule for param in SHAPE_CASES for rule, *_ in param.values[1]}  # type: ignore[attr-defined]
    untested = sorted(label for label in labels if not any(rule.startswith(f"{label}: ") for rule in rules))
    assert untested == [], f"node shapes without a bad fixture in tests/fixtures/shapes/: {untested}"


def test_every_fixture_file_is_in_the_table() -> None:
    names = set(_fixture_names())
    assert len(names) == len(SHAPE_CASES), "a fixture appears twice in SHAPE_CASES"
    stray = sorted(path.name for path in SHAPE_FIXTURES.glob("*.ttl") if path.name.split(".")[0] not in names)
    assert stray == []


def test_finding_formats_as_one_line(tiny_project: TinyProject) -> None:
    findings, _ = checked(tiny_project, "participation_without_role")
    (finding,) = findings
    text = finding.format()
    assert "\n" not in text
    assert text.startswith(f"{DOCUMENT_FILE}:{finding.line}: {CLAIM} ")
    assert "[participation claim: MinCount]" in text
    assert "(property bk:role)" in text
    assert "Fix: use a bk:Role such as bk:Negotiator" in text
