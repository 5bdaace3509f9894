"""Identity judgements (the mapping's decisions that mentions in several documents are one
thing) and the numbering of claims."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from belkg.build.pipeline import check
from belkg.project import Project

from conftest import GOOD_CLAIM, ROOT

BKD = "https://w3id.org/belkg/id/"


@pytest.fixture
def real_copy(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    for folder in ("ontology", "kg", "seeds", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return Project(root)


def _findings(project: Project, rule: str) -> list[str]:
    _, _, findings = check(project)
    return [f.format() for f in findings if f.rule == rule]


def _judgement(project: Project, slug: str) -> tuple[str, int, int]:
    text = project.identities_file.read_text(encoding="utf-8")
    start = text.index(f"bkd:identity-{slug} a ")
    return text, start, text.index(" .\n", start) + 3


def test_a_thing_several_documents_describe_needs_a_judgement(real_copy):
    text, start, end = _judgement(real_copy, "release-of-52")
    real_copy.identities_file.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _findings(real_copy, "identity") == [
        "kg/entities.ttl:188: bkd:release-of-52 (release of 52 political prisoners): [identity] 2 documents "
        "describe it (bkd:doc-002, bkd:doc-004), but no identity judgement gives the words of bkd:doc-002, "
        "bkd:doc-004. Fix: add to kg/identities.ttl a bk:IdentityJudgement that bk:identifies bkd:release-of-52, "
        "with a bk:basis quote from each document and a bk:reason"
    ]


def test_a_person_spelt_differently_needs_a_judgement(real_copy):
    text, start, end = _judgement(real_copy, "siarhei-tsikhanouski")
    real_copy.identities_file.write_text(text[:start] + text[end:], encoding="utf-8")
    (finding,) = _findings(real_copy, "identity")
    assert finding.startswith(
        "kg/entities.ttl:49: bkd:siarhei-tsikhanouski (Siarhei Tsikhanouski): [identity] 2 documents spell it "
        "differently (bkd:doc-002, bkd:doc-003), but no identity judgement gives the words of bkd:doc-002, bkd:doc-003"
    )


def test_a_basis_quote_must_be_in_its_documents_seed(real_copy):
    text = real_copy.identities_file.read_text(encoding="utf-8")
    edited = text.replace(
        "Belarus has released 52 political prisoners following mediation efforts by the United States.",
        "Belarus has freed 52 political prisoners following mediation efforts by the United States.",
    )
    assert edited != text
    real_copy.identities_file.write_text(edited, encoding="utf-8")
    findings = _findings(real_copy, "identity")
    assert findings[0] == (
        "kg/identities.ttl:219: bkd:identity-release-of-52: [identity] the quote is not in the seed of bkd:doc-004: "
        "“Belarus has freed 52 political prisoners following mediation efforts by the Unit”. Fix: copy the words "
        "from the seed exactly (quotes, apostrophes, dashes and line breaks included)"
    )
    # with 004's words gone, 004 is no longer covered
    assert "no identity judgement gives the words of bkd:doc-004" in findings[1]


def test_a_basis_from_a_document_that_does_not_name_the_thing(real_copy):
    text = real_copy.identities_file.read_text(encoding="utf-8")
    extra = """
bkd:identity-wrong a bk:IdentityJudgement ;
    bk:identifies bkd:release-of-52 ;
    prov:wasAttributedTo bk:TheMapping ;
    bk:reason "A test." ;
    bk:basis
        [ a bk:Evidence ; oa:hasSource bkd:doc-002 ; oa:exact "A total of 52 political prisoners" ] ,
        [ a bk:Evidence ; oa:hasSource bkd:doc-001 ; oa:exact "Dozens of Nobel laureates" ] .
"""
    real_copy.identities_file.write_text(text + extra, encoding="utf-8")
    (finding,) = _findings(real_copy, "identity")
    assert "[identity] the basis quotes bkd:doc-001, but no claim of that document names bkd:release-of-52" in finding


def test_a_judgement_must_be_the_mappings(real_copy):
    text = real_copy.identities_file.read_text(encoding="utf-8")
    real_copy.identities_file.write_text(
        text.replace("prov:wasAttributedTo bk:TheMapping ;", "prov:wasAttributedTo bkd:belta ;", 1), encoding="utf-8"
    )
    _, _, findings = check(real_copy)
    assert [(f.rule, f.node, f.message) for f in findings] == [
        (
            "identity judgement: HasValue",
            "bkd:identity-belarus-presidential-election-2020",
            "an identity judgement is the mapping's: prov:wasAttributedTo bk:TheMapping",
        )
    ]


def test_the_identifications_query_lists_every_judgement(run_saved, project):
    rows = run_saved("identifications")
    judged = {row["thing"].removeprefix(BKD) for row in rows}
    assert {"release-of-52", "nobel-appeal-february-2025", "siarhei-tsikhanouski", "maria-kalesnikava"} <= judged
    release = [row for row in rows if row["thing"] == BKD + "release-of-52"]
    assert {(row["source"].removeprefix(BKD), row["judgedBy"]) for row in release} == {
        ("doc-002", "https://w3id.org/belkg/ontology#TheMapping"),
        ("doc-004", "https://w3id.org/belkg/ontology#TheMapping"),
    }
    assert all(row["reason"] for row in rows)
    text = project.identities_file.read_text(encoding="utf-8")
    assert len(judged) == text.count(" a bk:IdentityJudgement")


def test_entity_card_shows_the_mappings_identification(belkg):
    result = belkg("entity", "Tsikhanovsky")
    assert result.exit_code == 0
    card = result.stdout
    assert "\nidentity:\n  - identified as one thing by the mapping: " in card
    assert "“run in the 2020 presidential election Siarhei Tsikhanovsky”  [bkd:doc-003]" in card


# Claim numbering


def test_a_gap_in_claim_numbers_is_a_finding(tiny_project):
    claims = GOOD_CLAIM + GOOD_CLAIM.replace("claim-900-001", "claim-900-004")
    assert _findings(tiny_project(claims), "claim-number") == [
        "kg/900_tiny.ttl:16: bkd:claim-900-001 (“Alice Example was freed”): [claim-number] claim numbers skip "
        "900-002, 900-003 (2 missing of 4). Fix: number the claims 1, 2, 3… in the order of the text, or add the "
        "claims that were left out"
    ]


def test_a_claim_named_for_another_file_is_a_finding(tiny_project):
    claims = GOOD_CLAIM + GOOD_CLAIM.replace("claim-900-001", "claim-901-002")
    assert _findings(tiny_project(claims), "claim-number") == [
        "kg/900_tiny.ttl:21: bkd:claim-901-002 (“Alice Example was freed”): [claim-number] a claim of this file "
        "is named bkd:claim-901-002. Fix: name the claims of this file bkd:claim-900-NNN"
    ]


def test_the_same_claim_in_two_files_is_a_finding(real_copy):
    path = real_copy.kg_dir / "004_af0b9cd941955a96.ttl"
    path.write_text(
        path.read_text(encoding="utf-8")
        + """
bkd:claim-002-001 a bk:RoleClaim ;
    bk:holder bkd:belavia ; bk:roleName "Belarus’s national airline" ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-004 ; oa:exact "Belarus’s national airline Belavia" ;
        bk:occurrence 1 ] .
""",
        encoding="utf-8",
    )
    (misnamed,) = _findings(real_copy, "claim-number")
    assert misnamed.split(": [claim-number] ")[1] == (
        "a claim of this file is named bkd:claim-002-001. Fix: name the claims of this file bkd:claim-004-NNN"
    )
    (duplicate,) = _findings(real_copy, "duplicate-claim")
    assert duplicate.startswith("kg/004_af0b9cd941955a96.ttl:")
    assert "[duplicate-claim] bkd:claim-002-001 is already a claim of kg/002_1faf1219e99a8cb9.ttl" in duplicate
