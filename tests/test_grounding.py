"""The grounding check: quotes in their seed, literals in their quotes, labels in some
seed, seeds unedited, every seed mapped."""

from __future__ import annotations

import hashlib

from belkg.build.pipeline import check

from conftest import GOOD_CLAIM, TINY_ENTITIES, TINY_SEED, tiny_document


def _findings(project):
    _, _, findings = check(project)
    # some cases number their claims freely; numbering has its own tests (test_identities.py)
    return [(f.rule, f.node, f.message) for f in findings if f.rule != "claim-number"]


def test_good_project_grounds(tiny_project):
    _, grounding, findings = check(tiny_project())
    assert findings == []
    (citation,) = grounding.citations
    assert (citation.start, citation.end) == (0, len("Alice Example was freed"))
    assert TINY_SEED[citation.start : citation.end] == "Alice Example was freed"


def test_wrong_quote(tiny_project):
    claims = GOOD_CLAIM.replace("Alice Example was freed", "Alice Example was released")
    assert _findings(tiny_project(claims)) == [
        ("quote", "bkd:claim-900-001", "the quote is not in the seed: “Alice Example was released”")
    ]


def test_ambiguous_quote(tiny_project):
    claims = GOOD_CLAIM.replace('"Alice Example was freed"', '"Alice Example"')
    assert _findings(tiny_project(claims)) == [
        ("quote", "bkd:claim-900-001", "the quote occurs 2 times in the seed: “Alice Example”")
    ]


def test_ambiguous_quote_with_occurrence_is_located(tiny_project):
    claims = GOOD_CLAIM.replace('"Alice Example was freed" ]', '"Alice Example" ; bk:occurrence 2 ]')
    _, grounding, findings = check(tiny_project(claims))
    assert findings == []
    assert [(c.start, c.end) for c in grounding.citations] == [(50, 63)]


def test_edited_seed(tiny_project):
    edited = TINY_SEED.replace("thanked", "praised")
    project = tiny_project(document=tiny_document(GOOD_CLAIM), seed=edited)
    actual = hashlib.sha256(edited.encode()).hexdigest()
    recorded = hashlib.sha256(TINY_SEED.encode()).hexdigest()
    assert _findings(project) == [
        (
            "seed-hash",
            "bkd:doc-900",
            f"seeds/900_tiny.txt has changed since it was mapped (SHA-256 {actual[:12]}…, recorded {recorded[:12]}…)",
        )
    ]


def test_edited_seed_also_breaks_its_quotes(tiny_project):
    edited = TINY_SEED.replace("was freed", "was let go")
    rules = [rule for rule, _, _ in _findings(tiny_project(seed=edited))]
    assert rules == ["seed-hash", "quote"]


def test_quoted_words_must_be_in_the_claims_own_quote(tiny_project):
    claims = """
bkd:claim-900-002 a bk:QuotationClaim ;
    bk:speaker bkd:alice-example ; bk:words "thanked him warmly" ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "Alice Example thanked him" ] .
"""
    assert _findings(tiny_project(claims)) == [
        ("verbatim", "bkd:claim-900-002", "bk:words “thanked him warmly” is not inside the claim's evidence quote")
    ]


def test_label_not_in_any_seed(tiny_project):
    entities = TINY_ENTITIES + 'bkd:carol a bk:Person ; skos:prefLabel "Carol Invented"@en .\n'
    assert _findings(tiny_project(entities=entities)) == [
        ("label", "bkd:carol", "the preferred label “Carol Invented” is not found in any seed")
    ]


def test_alt_label_not_in_any_seed(tiny_project):
    entities = TINY_ENTITIES.replace(
        'skos:prefLabel "Bob Example"@en .', 'skos:prefLabel "Bob Example"@en ; skos:altLabel "Robert"@en .'
    )
    assert _findings(tiny_project(entities=entities)) == [
        ("label", "bkd:bob-example", "the alternative label “Robert” is not found in any seed")
    ]


def test_labels_match_ignoring_case_and_typography(tiny_project):
    entities = TINY_ENTITIES.replace('"Bob Example"@en', '"BOB   example"@en')
    assert _findings(tiny_project(entities=entities)) == []


def test_evidence_citing_another_document(tiny_project):
    claims = GOOD_CLAIM.replace("oa:hasSource bkd:doc-900", "oa:hasSource bkd:doc-000")
    found = _findings(tiny_project(claims))
    assert (
        "evidence-source",
        "bkd:claim-900-001",
        "the evidence cites bkd:doc-000, but it sits in the graph of bkd:doc-900",
    ) in found


def test_seed_without_claims_file(tiny_project):
    project = tiny_project()
    (project.seeds_dir / "901_other.txt").write_text("Another text.\n", encoding="utf-8")
    assert _findings(project) == [
        ("unmapped-seed", "bkd:doc-901", "no claims file for this seed (expected kg/901_other.ttl)")
    ]


def test_finding_names_file_and_line(tiny_project):
    claims = GOOD_CLAIM.replace("Alice Example was freed", "Alice was freed")
    _, _, (finding,) = check(tiny_project(claims))
    assert finding.file == "kg/900_tiny.ttl"
    lines = (tiny_project(claims).kg_dir / "900_tiny.ttl").read_text().splitlines()
    assert lines[finding.line - 1].startswith("bkd:claim-900-001 ")
    assert finding.format().startswith(
        f"kg/900_tiny.ttl:{finding.line}: bkd:claim-900-001 (“Alice was freed”): [quote]"
    )
