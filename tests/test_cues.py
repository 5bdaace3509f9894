"""The cue check: every hedge, attribution, modality, condition, opinion and quoted word
in a claim's sentence is reflected on the claim, or reviewed with a reason."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from belkg.build.cues import cue_sentences, find_cues, read_lexicon
from belkg.build.pipeline import check
from belkg.cli import cli
from belkg.errors import BelkgError
from belkg.project import Project

from conftest import ROOT, TINY_SEED, tiny_document

LEXICON = ROOT / "ontology" / "cues.txt"


def _tiny(make, claims: str, seed: str = TINY_SEED) -> Project:
    """A tiny project with this seed and these claims, its seed hash recorded."""
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return make(document=tiny_document(claims, sha256=digest), seed=seed)  # type: ignore[no-any-return]


def _cue_findings(project: Project) -> list[tuple[str, str, str]]:
    _, _, findings = check(project)
    return [(f.rule, f.node or "", f.message) for f in findings]


def _claim(quote: str, extra: str = "", role: str = "bk:Released", participant: str = "bkd:alice-example") -> str:
    return f"""
bkd:claim-900-001 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant {participant} ; bk:role {role} ;
    {extra}
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "{quote}" ] .
"""


# One case per cue kind: the seed, the claim's quote, the cue the check must find in the
# sentence, and what reflects it on the claim.
CASES = {
    "hedge": (
        "Alice Example was reportedly freed by Bob Example.\n",
        "Alice Example was reportedly freed",
        "reportedly",
        "bk:hedge bk:Reportedly ;",
    ),
    "attribution": (
        "Alice Example was freed, according to Bob Example.\n",
        "Alice Example was freed",
        "according to",
        "bk:statedBy bkd:bob-example ;",
    ),
    "modality": (
        "Bob Example wanted to free Alice Example.\n",
        "free Alice Example",
        "wanted to",
        "bk:modality bk:Intended ;",
    ),
    "condition": (
        "Alice Example is freed if Bob Example pays.\n",
        "Alice Example is freed if Bob Example pays",
        "if",
        'bk:condition "if Bob Example pays" ;',
    ),
    "opinion": (
        "Brave Alice Example was freed by Bob Example.\n",
        "Alice Example was freed",
        "Brave",
        "bk:hedge bk:Opinion ;",
    ),
    "quoted": (
        "Alice Example was “freed” by Bob Example.\n",
        "Alice Example was “freed”",
        "“freed”",
        "bk:hedge bk:Described ;",
    ),
}


@pytest.mark.parametrize("kind", CASES)
def test_an_unreflected_cue_is_a_finding(tiny_project, kind):
    seed, quote, cue, _ = CASES[kind]
    # the cue with up to 30 characters either side, within its sentence
    excerpt = {"opinion": "Brave Alice Example was freed by Bo…"}.get(kind, seed.strip())
    assert _cue_findings(_tiny(tiny_project, _claim(quote), seed)) == [
        (
            "cue",
            "bkd:claim-900-001",
            f"the sentence has the {kind} cue “{cue}” ({excerpt}), which the claim does not reflect",
        )
    ]


@pytest.mark.parametrize("kind", CASES)
def test_a_reflected_cue_is_no_finding(tiny_project, kind):
    seed, quote, _, reflection = CASES[kind]
    assert _cue_findings(_tiny(tiny_project, _claim(quote, reflection), seed)) == []


@pytest.mark.parametrize("kind", CASES)
def test_a_reviewed_cue_is_no_finding(tiny_project, kind):
    seed, quote, cue, _ = CASES[kind]
    review = f'bk:cueReviewed "{cue}: a test of the review" ;'
    assert _cue_findings(_tiny(tiny_project, _claim(quote, review), seed)) == []


def test_the_finding_names_file_line_cue_and_fix(tiny_project):
    seed, quote, _, _ = CASES["hedge"]
    _, _, findings = check(_tiny(tiny_project, _claim(quote), seed))
    (finding,) = findings
    assert finding.format() == (
        "kg/900_tiny.ttl:16: bkd:claim-900-001 (“Alice Example was reportedly freed”): [cue] the sentence has "
        "the hedge cue “reportedly” (Alice Example was reportedly freed by Bob Example.), which the claim does "
        'not reflect. Fix: add bk:hedge bk:Reportedly; or, if it does not apply to this claim, bk:cueReviewed "'
        'reportedly: why"'
    )


def test_a_hedge_cue_asks_for_its_own_value(tiny_project):
    seed, quote, _, _ = CASES["hedge"]
    claims = _claim(quote, "bk:hedge bk:Believed ;")
    assert [rule for rule, _, _ in _cue_findings(_tiny(tiny_project, claims, seed))] == ["cue"]


def test_a_cue_inside_the_claims_verbatim_words_is_reflected(tiny_project):
    seed = "Bob Example said: “Alice Example will be freed.”\n"
    claims = """
bkd:claim-900-001 a bk:QuotationClaim ;
    bk:speaker bkd:bob-example ; bk:words "Alice Example will be freed." ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ;
        oa:exact "Bob Example said: “Alice Example will be freed.”" ] .
"""
    assert _cue_findings(_tiny(tiny_project, claims, seed)) == []


def test_a_cue_in_another_sentence_does_not_reach_the_claim(tiny_project):
    seed = "Alice Example was freed. Bob Example reportedly paid.\n"
    assert _cue_findings(_tiny(tiny_project, _claim("Alice Example was freed"), seed)) == []


def test_a_sentence_cut_by_a_blank_line_is_read_whole(tiny_project):
    seed = "Bob Example reportedly said that Alice Example was\n\nfreed by him.\n"
    findings = _cue_findings(_tiny(tiny_project, _claim("freed by him"), seed))
    assert [(rule, re.search("“([^”]+)”", message)[1]) for rule, _, message in findings] == [  # type: ignore[index]
        ("cue", "reportedly"),
        ("cue", "said"),
    ]


def test_a_review_naming_no_cue_of_the_sentence_is_a_finding(tiny_project):
    claims = _claim("Alice Example was freed", 'bk:cueReviewed "allegedly: not in this sentence" ;')
    assert _cue_findings(_tiny(tiny_project, claims)) == [
        (
            "cue-review",
            "bkd:claim-900-001",
            "the reviewed-cue note names “allegedly”, but no such cue is in the claim's sentence",
        )
    ]


def test_a_review_without_a_reason_is_a_finding(tiny_project):
    seed, quote, _, _ = CASES["hedge"]
    claims = _claim(quote, 'bk:cueReviewed "reportedly" ;')
    assert (
        "cue-review",
        "bkd:claim-900-001",
        "the reviewed-cue note “reportedly” does not name a cue and a reason",
    ) in (_cue_findings(_tiny(tiny_project, claims, seed)))


# The real graph: remove a qualifier from a real claim and the build must notice.

MUTATIONS = {
    "hedge": (
        "kg/002_1faf1219e99a8cb9.ttl",
        "bkd:claim-002-078",
        "    bk:hedge bk:Reportedly ;\n",
        "kg/002_1faf1219e99a8cb9.ttl:607: bkd:claim-002-078 (“They reportedly included opposition figure and former "
        "presi…”): [cue] the sentence has the hedge cue “reportedly” (They reportedly included opposition figure "
        "an…), which the claim does not reflect. Fix: add bk:hedge bk:Reportedly; or, if it does not apply to this "
        'claim, bk:cueReviewed "reportedly: why"',
    ),
    "attribution": (
        "kg/002_1faf1219e99a8cb9.ttl",
        "bkd:claim-002-050",
        "    bk:statedBy bkd:belta ;\n",
        "kg/002_1faf1219e99a8cb9.ttl:385: bkd:claim-002-050 (“BelTA said 14 of those released were not citizens of "
        "Belarus”): [cue] the sentence has the attribution cue “said” (…usian State news agency BelTA said 14 of "
        "those released were not…), which the claim does not reflect. Fix: add bk:statedBy (who says it inside the "
        'document); or, if it does not apply to this claim, bk:cueReviewed "said: why"',
    ),
    "modality": (
        "kg/003_5fa98e7cde28430b.ttl",
        "bkd:claim-003-015",
        "bk:modality bk:Intended ;",
        "kg/003_5fa98e7cde28430b.ttl:128: bkd:claim-003-015 (“run in the 2020 presidential election Siarhei "
        "Tsikhanovsky”): [cue] the sentence has the modality cue “wanted to” (Courageous people who wanted to "
        "change their country for the…), which the claim does not reflect. Fix: add bk:modality bk:Intended; or, "
        'if it does not apply to this claim, bk:cueReviewed "wanted to: why"',
    ),
}


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "kg", "seeds", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _remove_from_claim(path: Path, claim: str, text: str) -> None:
    """Remove text from a claim's statement, its line ends kept (blank lines), so that
    the lines of the file's other claims do not move."""
    content = path.read_text(encoding="utf-8")
    start = content.index(f"{claim} a ")
    end = content.index(" .\n", start)
    block = content[start:end]
    assert text in block, f"{text!r} is not in {claim}"
    path.write_text(content[:start] + block.replace(text, "\n" * text.count("\n"), 1) + content[end:], encoding="utf-8")


def test_removing_a_qualifier_from_a_real_claim_fails_validation(real_copy, tmp_path):
    """Each kind of qualifier removed from one real claim (three claims, one build of the
    real project): each removal is found, and nothing else is."""
    for file, claim, qualifier, _ in MUTATIONS.values():
        _remove_from_claim(real_copy / file, claim, qualifier)
    result = CliRunner().invoke(
        cli, ["--project", str(real_copy), "--cache-dir", str(tmp_path / "cache"), "-q", "validate"]
    )
    assert result.exit_code == 1
    findings = sorted((finding for *_, finding in MUTATIONS.values()), key=_file_and_line)
    assert result.stdout == "".join(f"{finding}\n" for finding in findings)


def _file_and_line(finding: str) -> tuple[str, int]:
    """Where a finding is: validate reports them in this order."""
    file, line, _ = finding.split(":", 2)
    return file, int(line)


# The lexicon

BAD_LEXICONS = [
    ("hegde  reportedly\n", "unknown cue kind “hegde”; expected one of hedge, attribution, modality, condition, "
     "opinion, quoted"),
    ("hedge\n", "the hedge cue has no phrase: write KIND PHRASE [=> bk:Value]"),
    ("hedge  report(ed\n", "the cue “report(ed” is not valid: “report(ed” is not a word (letters, digits, ' and - "
     "only; * at the end)"),
    ("hedge  /report(ed/\n", "the cue “/report(ed/” is not valid: missing ), unterminated subpattern at position 6"),
    ("hedge  reportedly  => bk:Reportedlyy\n", "bk:Reportedlyy is not a bk:Hedge declared in the ontology"),
    ("modality  will  => bk:Reportedly\n", "bk:Reportedly is not a bk:Modality declared in the ontology"),
    ("attribution  said  => bk:Reportedly\n", "a attribution cue takes no value (only hedge, modality and opinion "
     "cues do)"),
    ("hedge  reportedly  => Reportedly\n", "“Reportedly” is not a bk: term; write => bk:Value"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "message"), BAD_LEXICONS)
def test_a_malformed_lexicon_is_one_line_naming_file_and_line(tiny_project, tmp_path, line, message):
    project = tiny_project()
    project.cues_file.write_text("# a comment\n\n" + line, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--project", str(project.root), "--cache-dir", str(tmp_path / "cache"), "-q", "validate"]
    )
    assert result.exit_code == 2
    assert result.stderr == f"Error: ontology/cues.txt:3: {message}\n"


def test_the_lexicon_reads_and_every_value_is_declared(built):
    from belkg.namespaces import ONTOLOGY_GRAPH

    cues = read_lexicon(LEXICON, "ontology/cues.txt", built.dataset.graph(ONTOLOGY_GRAPH))
    kinds = {cue.kind for cue in cues}
    assert kinds == {"hedge", "attribution", "modality", "condition", "opinion", "quoted"}


def test_a_lexicon_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "cues.txt"
    path.write_bytes(b"hedge  r\xe9ported\n")
    with pytest.raises(BelkgError, match=r"^cues.txt: not UTF-8 text \(byte 8\)$"):
        read_lexicon(path, "cues.txt")


def test_phrases_match_whole_words_and_endings(tmp_path):
    path = tmp_path / "cues.txt"
    path.write_text("hedge  believe*\nmodality  /\\bwill\\b(?<!good will)/\nopinion  forced\n", encoding="utf-8")
    cues = read_lexicon(path, "cues.txt")
    text = "They believed it. People of good will. It will be. A reinforced wall."
    assert [(found.cue.kind, found.text) for found in find_cues(text, cues)] == [
        ("hedge", "believed"),
        ("modality", "will"),
    ]


def test_cue_sentences_join_a_line_break_inside_a_sentence():
    text = "He said it was ready to “scale back\n\nrepression,” while others waited. Next one.\n"
    assert [text[start:end] for start, end in cue_sentences(text)] == [
        "He said it was ready to “scale back\n\nrepression,” while others waited.",
        "Next one.",
    ]


def test_the_real_graph_has_no_cue_findings(built):
    assert [f.format() for f in built.findings if f.rule.startswith("cue")] == []
