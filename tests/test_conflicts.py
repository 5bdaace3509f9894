"""Conflicts between accounts of events, found by the saved query `conflicts` on small
graphs made to disagree, and shown the same way by stats, entity cards and the timeline."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from belkg.build.cache import VIEWS
from belkg.build.pipeline import build
from belkg.conflicts import find_conflicts
from belkg.querying import open_engine

from conftest import ROOT, TINY_ENTITIES, tiny_document

SEED = (
    "Alice Example was freed after Bob Example was arrested. "
    "Bob Example was arrested after Alice Example was freed. "
    "Bob Example was arrested after the trial. "
    "The trial came after Alice Example was freed. "
    "Alice Example was not freed. "
    "Alice Example was to be freed. "
    "Alice Example refused to be freed.\n"
)
ENTITIES = TINY_ENTITIES + (
    'bkd:the-arrest a bk:Arrest ; skos:prefLabel "arrest of Bob"@en ; bk:labelIsNormalised true .\n'
    'bkd:the-trial a bk:Event ; skos:prefLabel "the trial"@en ; bk:labelIsNormalised true .\n'
)


def _after(number: int, later: str, earlier: str, quote: str) -> str:
    body = f"bk:EventRelationClaim ; bk:fromEvent bkd:{later} ; bk:relation bk:After ; bk:toEvent bkd:{earlier}"
    return _claim(number, body, quote)


def _claim(number: int, body: str, quote: str, occurrence: int | None = None) -> str:
    where = f" ; bk:occurrence {occurrence}" if occurrence else ""
    return f"""
bkd:claim-900-{number:03d} a {body} ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "{quote}"{where} ] .
"""


def _conflicts(tiny_project, tmp_path, claims: str):
    digest = hashlib.sha256(SEED.encode()).hexdigest()
    project = tiny_project(document=tiny_document(claims, sha256=digest), seed=SEED, entities=ENTITIES)
    shutil.copytree(ROOT / "queries", project.queries_dir)
    result = build(project, tmp_path / "cache")
    assert [f.format() for f in result.findings] == []
    return find_conflicts(open_engine(result.entry), project)


def test_two_claims_in_opposite_order(tiny_project, tmp_path):
    claims = _after(1, "the-release", "the-arrest", "Alice Example was freed after Bob Example was arrested")
    claims += _after(2, "the-arrest", "the-release", "Bob Example was arrested after Alice Example was freed")
    rows = [
        (c.kind, c.value_a, c.value_b, c.claim_a[-7:], c.claim_b[-7:])
        for c in _conflicts(tiny_project, tmp_path, claims)
    ]
    assert rows == [
        ("order", "release of Alice after arrest of Bob", "arrest of Bob after release of Alice", "900-001", "900-002")
    ]


def test_an_order_only_the_reasoner_draws(tiny_project, tmp_path):
    """Three claims in a circle: each pair drawn by transitivity contradicts the third claim."""
    claims = _after(1, "the-release", "the-arrest", "Alice Example was freed after Bob Example was arrested")
    claims += _after(2, "the-arrest", "the-trial", "Bob Example was arrested after the trial")
    claims += _after(3, "the-trial", "the-release", "The trial came after Alice Example was freed")
    rows = {(c.kind, c.value_a, c.source_b, c.value_b) for c in _conflicts(tiny_project, tmp_path, claims)}
    inferred = "https://w3id.org/belkg/graph/inferred"
    assert rows == {
        ("order", "release of Alice after arrest of Bob", inferred, "arrest of Bob after release of Alice"),
        ("order", "arrest of Bob after the trial", inferred, "the trial after arrest of Bob"),
        ("order", "the trial after release of Alice", inferred, "release of Alice after the trial"),
    }


def test_released_and_not_released_in_one_release(tiny_project, tmp_path):
    claims = _claim(
        1,
        "bk:ParticipationClaim ; bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:Released",
        "Alice Example was freed after",
    ) + _claim(
        2,
        "bk:ParticipationClaim ; bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:NotReleased",
        "Alice Example was not freed",
    )
    (conflict,) = _conflicts(tiny_project, tmp_path, claims)
    assert (conflict.kind, conflict.value_a, conflict.value_b) == (
        "contrary role",
        "released: Alice Example",
        "not released: Alice Example",
    )
    assert (conflict.quote_a, conflict.quote_b) == ("Alice Example was freed after", "Alice Example was not freed")


@pytest.mark.parametrize("marked", [1, 2])
def test_two_claims_the_mapping_marks_as_conflicting(tiny_project, tmp_path, marked):
    """One row, the lesser claim first, whichever claim carries the mark."""
    other = 3 - marked
    mark = {marked: f" ; bk:conflictsWith bkd:claim-900-{other:03d}", other: ""}
    claims = _claim(
        1,
        "bk:ParticipationClaim ; bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:Released"
        + mark[1],
        "Alice Example was freed after",
    ) + _claim(
        2,
        "bk:ParticipationClaim ; bk:event bkd:the-release ; bk:participant bkd:bob-example ; bk:role bk:Negotiator"
        + mark[2],
        "Bob Example was arrested after the trial",
    )
    rows = [
        (c.kind, c.subject_label, c.value_a, c.value_b, c.claim_a[-7:], c.claim_b[-7:])
        for c in _conflicts(tiny_project, tmp_path, claims)
    ]
    assert rows == [
        (
            "explicit",
            "release of Alice",
            "Alice Example was freed after",
            "Bob Example was arrested after the trial",
            "900-001",
            "900-002",
        )
    ]


@pytest.mark.parametrize(
    ("modality", "quote", "rows"),
    [
        ("bk:Planned", "Alice Example was to be freed", []),
        ("bk:Refused", "Alice Example refused to be freed", [("account", "released: Alice Example (refused)")]),
    ],
)
def test_a_plan_carried_out_in_its_own_source_is_no_disagreement(tiny_project, tmp_path, modality, quote, rows):
    """A refusal always disagrees with the account that it happened; a plan does not when
    its own document also says it was carried out."""
    released = (
        "bk:ParticipationClaim ; bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:Released"
    )
    claims = _claim(1, released, "Alice Example was freed after")
    claims += _claim(2, f"{released} ; bk:modality {modality}", quote)
    assert [(c.kind, c.value_b) for c in _conflicts(tiny_project, tmp_path, claims)] == rows


def test_stats_counts_what_the_query_lists(belkg, run_saved):
    rows = run_saved("conflicts")
    result = belkg("stats", "--format", "json")
    import json

    counted = json.loads(result.stdout)["conflicts (pairs of claims that disagree, by kind)"]
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    assert counted == kinds == {"account": 6, "count": 14, "spelling": 4}


def test_the_timeline_page_marks_the_disputed_transfer(belkg, tmp_path):
    out = tmp_path / "timeline.html"
    result = belkg("timeline", "-o", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<h2>Where the sources disagree about these events</h2>" in page
    assert "<td>transfer of the freed prisoners to Lithuania</td><td>account</td>" in page
    assert "transferee: Mikola Statkevich (refused) [bkd:doc-002: " in page


def test_the_entity_card_shows_where_the_sources_disagree(belkg):
    card = belkg("entity", "Statkevich").stdout
    assert (
        "\nthe sources disagree:\n"
        "  - account: transferee: 52 political prisoners [bkd:doc-004] against transferee: Mikola Statkevich "
        "(refused) [bkd:doc-002]\n"
    ) in card


# The list kept beside the build cache (stats, entity cards, the timeline, the server)


def test_the_kept_list_is_the_query_s_and_is_read_back(project, built, engines, tmp_path):
    import json

    from belkg.conflicts import kept_conflicts

    engine = engines["oxigraph"]
    views = tmp_path / "views"
    found = kept_conflicts(engine, project, built.entry, views)
    assert found == find_conflicts(engine, project) != []
    (kept,) = views.iterdir()
    rows = json.loads(kept.read_text(encoding="utf-8"))
    rows[0][4] = "edited"
    kept.write_text(json.dumps(rows), encoding="utf-8")
    # the next run reads the file, not the store
    assert kept_conflicts(engine, project, built.entry, views)[0].value_a == "edited"


def test_a_damaged_kept_list_is_found_again(project, built, engines, tmp_path):
    from belkg.conflicts import kept_conflicts

    engine = engines["oxigraph"]
    views = tmp_path / "views"
    found = kept_conflicts(engine, project, built.entry, views)
    (kept,) = views.iterdir()
    kept.write_text('[["count", "too few fields"]]', encoding="utf-8")
    assert kept_conflicts(engine, project, built.entry, views) == found
    kept.write_text("not JSON", encoding="utf-8")
    assert kept_conflicts(engine, project, built.entry, views) == found
    assert kept_conflicts(engine, project, built.entry, views) == found  # and written again whole


def test_each_engine_and_inference_keeps_its_own_list(project, built, engines, tmp_path):
    from belkg.conflicts import kept_file
    from belkg.querying import open_engine

    views = tmp_path / "views"
    named = {
        kept_file(engine, project, built.entry, views)
        for engine in (engines["oxigraph"], engines["rdflib"], open_engine(built.entry, inference=False))
    }
    assert len(named) == 3
    assert kept_file(engines["oxigraph"], project, built.entry, views) in named  # the same again


def test_stats_and_entity_cards_keep_the_list_beside_the_cache(belkg, project, built, engines, session_cache):
    from belkg.conflicts import kept_file

    kept = kept_file(engines["oxigraph"], project, built.entry, session_cache / VIEWS)
    kept.unlink(missing_ok=True)
    result = belkg("entity", "Bolunets")
    assert result.exit_code == 0
    assert "Dmitry Bolunets" in result.output
    written = kept.stat().st_mtime_ns
    assert belkg("stats").exit_code == 0
    assert kept.stat().st_mtime_ns == written  # read, not found and written again
