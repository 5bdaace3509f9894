"""The saved queries about people, words, time and sources (competency questions CQ8-CQ15
and two browsing queries), each checked against the answer read off the seeds: exact
sets, so a missing or an extra row fails; order only where the question asks for one."""

from __future__ import annotations

import datetime

import pytest

BKD = "https://w3id.org/belkg/id/"
BK = "https://w3id.org/belkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

D0, D1, D2, D3, D4 = (BKD + f"doc-00{n}" for n in range(5))
R52 = BKD + "release-of-52"
JUNE = BKD + "release-of-14-june"
ELECTION = BKD + "belarus-presidential-election-2020"
FEB_APPEAL = BKD + "nobel-appeal-february-2025"


def short(value: str | None) -> str | None:
    """bkd:slug and bk:Term as short names, to keep expected sets readable."""
    if value is None:
        return None
    return value.removeprefix(BKD).removeprefix(BK)


# CQ8: find a thing by any spelling the seeds use


@pytest.mark.parametrize(
    ("spelling", "things"),
    [
        ("Tsikhanovsky", {"siarhei-tsikhanouski"}),
        ("Tsikhanouski", {"siarhei-tsikhanouski"}),
        ("tsikhanovsky", {"siarhei-tsikhanouski"}),
        ("Siarhei Tsikhanovsky", {"siarhei-tsikhanouski"}),
        ("Kalesnikava", {"maria-kalesnikava"}),
        ("Kolesnikova", {"maria-kalesnikava"}),
        ("Maria Kolesnikova", {"maria-kalesnikava"}),
        ("Mikalai Statkevich", {"mikola-statkevich"}),
        ("Mikola Statkevich", {"mikola-statkevich"}),
        ("Statkevich", {"mikola-statkevich"}),
        ("Bolunets", {"dmitry-bolkunets"}),
        ("Bolkunets", {"dmitry-bolkunets"}),
        ("Dmitry Bolunets", {"dmitry-bolkunets"}),
        ("Bolkunets.org", {"bolkunets-org"}),
        # no whole label matches: whole words of a label do
        ("Tsikhanouskaya", {"sviatlana-tsikhanouskaya"}),
        ("Horta", {"jose-ramos-horta"}),
        ("Ramos Horta", {"jose-ramos-horta"}),
        ("Siarhei", {"siarhei-tsikhanouski"}),
        # never a piece of a word
        ("Tsikhanousk", set()),
        ("Bolkun", set()),
        ("Nobody Atall", set()),
    ],
)
def test_find_by_spelling(run_saved, spelling, things):
    rows = run_saved("find-by-spelling", spelling=spelling)
    assert {short(r["thing"]) for r in rows} == things


def test_find_by_spelling_reports_the_label_that_matched_and_the_type(run_saved):
    rows = run_saved("find-by-spelling")  # the default spelling: Tsikhanovsky
    assert [
        (short(r["thing"]), r["prefLabel"], r["matchedLabel"], r["match"], short(r["type"]), r["typeLabel"])
        for r in rows
    ] == [
        ("siarhei-tsikhanouski", "Siarhei Tsikhanouski", "Tsikhanovsky", "whole label", "Person", "person"),
    ]
    outlet = run_saved("find-by-spelling", spelling="bolkunets.org")
    assert [(r["matchedLabel"], short(r["type"])) for r in outlet] == [("Bolkunets.org", "MediaOutlet")]
    words = run_saved("find-by-spelling", spelling="Siarhei")
    assert {(r["matchedLabel"], r["match"]) for r in words} == {
        ("Siarhei Tsikhanouski", "whole words"),
        ("Siarhei Tsikhanovsky", "whole words"),
    }


# CQ9: Nobel laureates named as signatories of the February 2025 appeal

LAUREATES = {
    ("svetlana-alexievich", "Svetlana Alexievich", "Nobel Prize in Literature", "2015", "belarus"),
    ("herta-muller", "Herta Müller", "Nobel Prize in Literature", "2009", "germany"),
    ("jose-ramos-horta", "José Ramos-Horta", "Nobel Peace Prize", "1996", "east-timor"),
    ("jody-williams", "Jody Williams", "Nobel Peace Prize", "1997", "united-states"),
    ("dmitry-muratov", "Dmitry Muratov", "Nobel Peace Prize", "2021", "russia"),
    ("oleksandra-matviichuk", "Oleksandra Matviichuk", "Nobel Peace Prize", "2022", "ukraine"),
}


def test_nobel_signatories_of_the_february_2025_appeal(run_saved):
    rows = run_saved("nobel-signatories")
    assert {
        (short(r["laureate"]), r["laureateLabel"], r["prizeLabel"], r["year"], short(r["country"])) for r in rows
    } == LAUREATES
    assert len(rows) == len(LAUREATES)  # one row per laureate
    assert {r["appeal"] for r in rows} == {FEB_APPEAL}
    assert {r["source"] for r in rows} == {D0}
    # the quote is the award claim's evidence that names the laureate
    assert all(r["laureateLabel"] in r["quote"] for r in rows)
    williams = next(r for r in rows if short(r["laureate"]) == "jody-williams")
    assert (williams["countryLabel"], williams["quote"]) == ("United States", "Jody Williams (1997, USA)")


def test_nobel_signatories_of_the_joint_appeals_include_their_parts(run_saved):
    rows = run_saved("nobel-signatories", appeal=BKD + "nobel-laureates-appeals")
    assert {(short(r["laureate"]), r["year"]) for r in rows} == {(t[0], t[3]) for t in LAUREATES}
    assert {r["appeal"] for r in rows} == {FEB_APPEAL}
    # the July 2024 appeal names no laureate
    assert run_saved("nobel-signatories", appeal=BKD + "nobel-appeal-july-2024") == []


# CQ10: who holds which office or role, according to which source


def offices_of(run_saved, holder: str) -> set[tuple]:
    rows = run_saved("offices", holder=BKD + holder)
    assert all(r["holder"] == BKD + holder and r["quote"] and r["source"] for r in rows)
    return {(r["roleName"], short(r.get("roleIn")), r.get("former"), short(r["source"]), r["quote"]) for r in rows}


def test_offices_of_zalewski_and_nauseda(run_saved):
    assert offices_of(run_saved, "pawel-zalewski") == {
        ("Polish deputy defence minister", "poland", None, "doc-002", "Polish deputy defence minister Paweł Zalewski"),
    }
    assert offices_of(run_saved, "gitanas-nauseda") == {
        ("Lithuanian President", "lithuania", None, "doc-004", "Lithuanian President Gitanas Nauseda"),
    }


def test_offices_of_lukashenko_in_every_wording(run_saved):
    assert offices_of(run_saved, "alexander-lukashenko") == {
        ("Belarusian President", "belarus", None, "doc-001", "Belarusian President Alexander Lukashenko"),
        ("Belarusian President", "belarus", None, "doc-002", "Belarusian President Alexander Lukashenko has agreed"),
        ("Belarusian President", "belarus", None, "doc-004", "Belarusian President Alexander Lukashenko"),
        ("Belarusian leader", "belarus", None, "doc-002", "the Belarusian leader had acted"),
        ("has led Belarus", "belarus", None, "doc-004", "who has led Belarus through more than three decades"),
    }


def test_offices_of_statkevich_mark_the_former_candidacy(run_saved):
    assert {(name, former) for name, _, former, _, _ in offices_of(run_saved, "mikola-statkevich")} == {
        ("Belarusian veteran dissident", None),
        ("opposition figure", None),
        ("presidential candidate", "true"),
    }


def test_offices_include_the_other_office_holders(run_saved):
    rows = run_saved("offices")
    found = {(short(r["holder"]), r["roleName"], short(r.get("roleIn")), short(r["source"])) for r in rows}
    assert {
        ("kaja-kallas", "EU’s foreign policy chief", "european-union", "doc-004"),
        ("christopher-smith", "Deputy Assistant Secretary of State", "united-states", "doc-001"),
        ("sviatlana-tsikhanouskaya", "leader of the exiled Belarus opposition", "belarusian-opposition", "doc-004"),
        ("sviatlana-tsikhanouskaya", "opposition leader", None, "doc-002"),
        ("dmitry-bolkunets", "co-founder", "belarus-democratic-forum", "doc-000"),
        ("dmitry-bolkunets", "exiled Belarusian journalist", None, "doc-001"),
        ("john-coale", "US envoy", "united-states", "doc-004"),
        ("jose-ramos-horta", "president of East Timor", "east-timor", "doc-000"),
        ("donald-trump", "U.S. President", "united-states", "doc-001"),
        ("donald-trump", "US President", "united-states", "doc-004"),
    } <= found
    assert len(rows) == len({r["claim"] for r in rows})  # one row per role claim
    journalists = next(r for r in rows if short(r["holder"]) == "freed-belarusian-journalists")
    assert short(journalists["statedBy"]) == "polish-foreign-ministry"


# CQ11: what did each person say, in which source


def test_quotations_of_tsikhanouskaya_and_coale(run_saved):
    rows = run_saved("quotations")
    tsikhanouskaya = [r for r in rows if short(r["speaker"]) == "sviatlana-tsikhanouskaya"]
    assert [(short(r["occasion"]), short(r["about"]), short(r["source"])) for r in tsikhanouskaya] == [
        ("tsikhanouskaya-statement", "release-of-52", "doc-004"),
    ]
    assert "a trade in human lives" in tsikhanouskaya[0]["words"]
    coale = run_saved("quotations", speaker=BKD + "john-coale")
    assert {(r["words"], short(r["occasion"]), short(r["source"])) for r in coale} == {
        ("Our mission is to get them all out now", "coale-statement", "doc-004"),
        ("Eventually, hopefully within a short period of time everybody will be out.", "coale-statement", "doc-004"),
    }


def test_quotations_every_speaker_and_the_second_hand_ones(run_saved):
    rows = run_saved("quotations")
    # one row per quotation claim and agent it is stated by
    assert len(rows) == len({(r["claim"], r.get("statedBy")) for r in rows})
    assert {short(r["speaker"]) for r in rows} == {
        "alexander-lukashenko",
        "donald-trump",
        "john-coale",
        "kaja-kallas",
        "lukashenko-spokesperson",
        "nobel-laureates-february-2025",
        "sviatlana-tsikhanouskaya",
    }
    relayed = {(short(r["claim"]), short(r.get("hedge")), short(r.get("statedBy"))) for r in rows if "statedBy" in r}
    assert relayed == {
        ("claim-001-036", "Reportedly", "christopher-smith"),  # "scale back repression"
        ("claim-002-047", "Described", "lukashenko-spokesperson"),
        ("claim-002-047", "Described", "belsat"),  # the spokesperson's words, "cited by ... Belsat"
        ("claim-002-044", None, "belsat"),  # "principles of humanitarianism"
    }
    lukashenko = {r["words"] for r in run_saved("quotations", speaker=BKD + "alexander-lukashenko")}
    assert "scale back\n\nrepression" in lukashenko


# CQ12: everything about one entity


def card(run_saved, thing: str) -> list[dict[str, str]]:
    rows = run_saved("entity-card", thing=BKD + thing)
    sections = [r["section"] for r in rows]
    others, documents = "other claims naming it", "documents it wrote or published"
    order = ["label", "type", "role", "event", "quote", others, documents, "identity"]
    assert sections == sorted(sections, key=order.index), "sections out of order"
    for row in rows:
        if "claim" in row:
            assert row["source"] and row["quote"], row
    return rows


def test_entity_card_of_coale(run_saved):
    rows = card(run_saved, "john-coale")  # the default
    assert rows == card(run_saved, "john-coale")
    assert {(r["property"], r["value"]) for r in rows if r["section"] == "label"} == {
        (SKOS + "prefLabel", "John Coale"),
        (SKOS + "altLabel", "Coale"),
    }
    assert [(short(r["value"]), r["valueLabel"]) for r in rows if r["section"] == "type"] == [("Person", "person")]
    assert {
        (r["value"], short(r["context"]), short(r["claim"]), short(r["source"]), r["quote"])
        for r in rows
        if r["section"] == "role"
    } == {
        ("US envoy", "united-states", "claim-004-050", "doc-004", "US envoy John Coale"),
    }
    assert [r["valueLabel"] for r in rows if r["section"] == "role"] == ["US envoy (United States)"]
    assert all(r["property"] == r["context"] for r in rows if r["section"] == "event")
    assert {(short(r["value"]), short(r["context"]), r.get("qualifier")) for r in rows if r["section"] == "event"} == {
        ("coale-statement", "Speaker", None),
        ("us-delegation-mission", "DelegationLeader", None),
        ("us-belarus-negotiations", "Participant", None),
        ("release-of-52", "Negotiator", None),
        ("release-of-all-political-prisoners", "Participant", "hoped for, stated by John Coale"),
    }
    assert {(r["value"], short(r["context"])) for r in rows if r["section"] == "quote"} == {
        ("Our mission is to get them all out now", "coale-statement"),
        ("Eventually, hopefully within a short period of time everybody will be out.", "coale-statement"),
    }
    # other claims, by kind: the kind in context, the property naming him in valueLabel
    assert [
        (short(r["claim"]), short(r["property"]), r["contextLabel"], r["valueLabel"], r.get("qualifier"))
        for r in rows
        if r["section"] == "other claims naming it"
    ] == [
        ("claim-004-055", "statedBy", "count claim", "stated by", "described as, stated by John Coale"),
        ("claim-004-054", "demander", "demand claim", "demander", "hoped for"),
        ("claim-004-060", "statedBy", "participation claim", "stated by", "hoped for, stated by John Coale"),
    ]
    assert {short(r["context"]) for r in rows if r["section"] == "other claims naming it"} == {
        "CountClaim", "DemandClaim", "ParticipationClaim",
    }  # fmt: skip


def test_entity_card_of_statkevich(run_saved):
    rows = card(run_saved, "mikola-statkevich")
    assert {r["value"] for r in rows if r["section"] == "label"} == {
        "Mikola Statkevich",
        "Mikalai Statkevich",
        "Statkevich",
    }
    assert {(r["value"], r.get("qualifier")) for r in rows if r["section"] == "role"} == {
        ("Belarusian veteran dissident", None),
        ("opposition figure", None),
        ("presidential candidate", "former"),
    }
    assert {
        (short(r["value"]), short(r["context"]), r.get("qualifier"), short(r["source"]))
        for r in rows
        if r["section"] == "event"
    } == {
        ("release-of-52", "Released", "reportedly", "doc-002"),
        ("release-of-52", "Released", None, "doc-004"),
        ("transfer-to-lithuania", "Transferee", "reportedly, refused", "doc-002"),
        # 003: "Courageous people who wanted to ... run in the 2020 presidential election"
        ("belarus-presidential-election-2020", "Candidate", "intended", "doc-003"),
        # the sentence claims (003 and 004), in the sentencings, with their terms
        ("sentencing-of-2020-candidates", "Convict", None, "doc-003"),
        ("statkevich-sentencing", "Convict", None, "doc-004"),
    }
    sentenced = [
        (short(r["claim"]), r["valueLabel"])
        for r in rows
        if r["section"] == "event" and r["value"] == BKD + "sentencing-of-2020-candidates"
    ]
    # the participation as convict and the sentence read as one fact
    assert {label for _, label in sentenced} == {
        "sentencing of the 2020 presidential hopefuls: 10 to 20 years in prison"
    }
    assert {claim for claim, _ in sentenced} == {"claim-003-022", "claim-003-026"}
    assert not [r for r in rows if r["section"] == "quote"]
    assert {(short(r["claim"]), short(r["property"])) for r in rows if r["section"] == "other claims naming it"} == {
        ("claim-002-079", "agent"),  # one of those who reportedly refused to leave
        ("claim-002-095", "locatedAgent"),  # stuck in the border region
        ("claim-003-014", "about"),
        ("claim-004-036", "about"),
        ("claim-004-038", "national"),
    }


def test_entity_card_labels_the_preferred_first_then_the_fuller_spellings(run_saved):
    rows = card(run_saved, "donald-trump")
    assert [(r["contextLabel"], r["value"]) for r in rows if r["section"] == "label"] == [
        ("preferred label", "Donald Trump"),
        ("other spelling", "Mr Trump"),
        ("other spelling", "Donald"),
        ("other spelling", "Trump"),
    ]


def test_entity_card_text_shows_a_sentencing_once_with_the_words_of_both_claims(belkg):
    result = belkg("entity", "Mikola Statkevich")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.count("sentencing of the 2020 presidential hopefuls") == 1
    (start,) = [i for i, line in enumerate(text.splitlines()) if "sentencing of the 2020" in line]
    assert text.splitlines()[start : start + 3] == [
        "  - convict: sentencing of the 2020 presidential hopefuls: 10 to 20 years in prison  [bkd:doc-003]",
        "      “Mikola Statkevich, etc were sentenced to 10 to 20 years in prison.”",
        "      “Mikola Statkevich, etc were sentenced”",
    ]
    assert "\nother claims naming it:\n  - assessment claim: about  [bkd:doc-003]\n" in text
    assert "\nsource:\n" not in text
    assert text.index("preferred label: Mikola Statkevich") < text.index("other spelling: Mikalai Statkevich")


def test_entity_card_lists_the_documents_a_person_wrote(run_saved):
    rows = card(run_saved, "dmitry-bolkunets")
    documents = [r for r in rows if r["section"] == "documents it wrote or published"]
    assert [(r["value"], r["property"], r["source"]) for r in documents] == [
        (D0, "http://purl.org/dc/terms/creator", D0),
    ]
    assert {r["value"] for r in rows if r["section"] == "label"} == {
        "Dmitry Bolkunets",
        "Dmitry Bolunets",
        "Bolkunets",
        "Bolunets",
    }


def test_entity_card_of_an_event(run_saved):
    rows = card(run_saved, "release-of-52")
    assert [short(r["value"]) for r in rows if r["section"] == "type"] == ["Release"]
    assert {r["section"] for r in rows} == {"label", "type", "other claims naming it", "identity"}
    assert {short(r["source"]) for r in rows if r["section"] == "other claims naming it"} == {"doc-002", "doc-004"}
    # that 002 and 004 report one release is the mapping's judgement, shown with each document's words
    identity = {(short(r["value"]), short(r["source"])) for r in rows if r["section"] == "identity"}
    assert identity == {("identity-release-of-52", "doc-002"), ("identity-release-of-52", "doc-004")}


# CQ13: all dated events in chronological order; the undated ones with their clues


def test_timeline_is_chronological_and_complete(run_saved):
    rows = run_saved("timeline")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert [(r["date"], r["precision"], short(r["event"]), short(r["source"])) for r in rows] == [
        ("2020", "year", "belarus-presidential-election-2020", "doc-002"),
        ("2020", "year", "belarus-presidential-election-2020", "doc-003"),
        ("2020", "year", "belarus-presidential-election-2020", "doc-004"),
        ("2020-08", "month", "belarus-presidential-election-2020", "doc-001"),
        ("2021", "year", "poczobut-arrest", "doc-002"),
        ("2024-07", "month", "nobel-appeal-july-2024", "doc-001"),
        ("2024-07", "month", "poland-transport-suspension-2024", "doc-000"),
        ("2025-02", "month", "release-february-2025", "doc-000"),
        ("2025-02", "month", "nobel-appeal-february-2025", "doc-000"),
        ("2025-02-14", "day", "un-experts-statement", "doc-001"),
        ("2025-02-15", "day", "nyt-report", "doc-001"),
        ("2025-02-17", "day", "nobel-appeal-february-2025", "doc-001"),
    ]


def test_timeline_keeps_the_phrase_and_basis_of_resolved_dates(run_saved):
    rows = run_saved("timeline")
    resolved = {
        (r["date"], short(r["event"]), r["phrase"], short(r["resolvedAgainst"])) for r in rows if "resolvedAgainst" in r
    }
    assert resolved == {
        ("2024-07", "nobel-appeal-july-2024", "last July", "doc-001"),
        ("2025-02", "release-february-2025", "In February", "doc-000"),
        ("2025-02", "nobel-appeal-february-2025", "In mid-February", "doc-000"),
        ("2025-02-14", "un-experts-statement", "Friday", "doc-001"),
        ("2025-02-15", "nyt-report", "Saturday", "doc-001"),
        ("2025-02-17", "nobel-appeal-february-2025", "on Monday", "doc-001"),
    }
    # dates the documents state outright have no phrase and no basis
    assert all("phrase" not in r for r in rows if "resolvedAgainst" not in r)


def test_no_date_is_invented_for_the_releases_of_52_and_of_14(run_saved):
    dated = {r["event"] for r in run_saved("timeline")}
    assert R52 not in dated and JUNE not in dated
    assert run_saved("timeline", event=R52) == []
    assert run_saved("timeline", event=JUNE) == []
    releases = {short(r["event"]): r.get("date") for r in run_saved("events-by-kind")}
    assert releases["release-of-52"] is None and releases["release-of-14-june"] is None


def test_undated_events_the_june_release(run_saved):
    rows = run_saved("undated-events", event=JUNE)
    assert {
        (r["clue"], r.get("phrase"), r.get("relation"), short(r.get("otherEvent")), short(r["source"])) for r in rows
    } == {
        ("date phrase", "In June", None, None, "doc-002"),
        ("relation", None, "before", "release-of-52", "doc-002"),
        ("relation", None, "in the same year as", "release-of-52", "doc-002"),
    }


def test_undated_events_the_release_of_52(run_saved):
    rows = [r for r in run_saved("undated-events") if r["event"] == R52]
    assert {
        (
            r["clue"],
            r.get("phrase"),
            r.get("relation"),
            short(r.get("otherEvent")),
            r.get("gapPhrase"),
            short(r["source"]),
        )
        for r in rows
    } == {
        ("date phrase", "yesterday", None, None, None, "doc-002"),
        ("relation", None, "after", "release-of-14-june", None, "doc-002"),
        ("relation", None, "in the same year as", "release-of-14-june", None, "doc-002"),
        ("relation", None, "after", "trump-hostages-call", None, "doc-002"),
        ("relation", None, "after", "trump-hostages-call", None, "doc-004"),
        ("relation", None, "after", "poland-shoots-down-drones", "a day", "doc-004"),
        ("relation", None, "before", "russia-belarus-military-exercises", "on the eve", "doc-004"),
        # 002: "That came following Trump’s decision to relax some sanctions"; 004's relief "in return for"
        # the release says nothing of which came first
        ("relation", None, "after", "us-decision-to-relax-sanctions", None, "doc-002"),
    }


def test_undated_events_are_exactly_the_undated_ones_with_clues(run_saved):
    rows = run_saved("undated-events")
    dated = {r["event"] for r in run_saved("timeline")}
    assert not dated & {r["event"] for r in rows}
    assert {short(r["event"]) for r in rows} == {
        "release-of-52",
        "release-of-14-june",
        "release-of-250",
        "release-after-july-2024-appeal",
        "release-nicaragua",
        "pardon-iran",
        "polish-foreign-ministry-statement",
        "zalewski-radio-interview",
        "trump-hostages-call",
        "us-decision-to-relax-sanctions",
        "us-special-operation",
        "poland-shoots-down-drones",
        "russia-belarus-military-exercises",
        "protests-2020",
        "imprisonment-of-political-prisoners",
        "statkevich-sentencing",
        "poczobut-sentencing",
        "political-repression-in-belarus",
        "humanitarian-catastrophe",
        "migration-crisis-reduction",
        "smith-briefing",
    }
    # an ordering against a dated event carries that event's most precise date
    after_appeal = next(r for r in rows if short(r["event"]) == "release-after-july-2024-appeal")
    assert (after_appeal["relation"], after_appeal["otherDate"], after_appeal["gapPhrase"]) == (
        "after",
        "2024-07",
        "shortly",
    )
    protests = {
        (r["relation"], short(r["otherEvent"]), r.get("otherDate"))
        for r in rows
        if short(r["event"]) == "protests-2020"
    }
    assert ("after", "belarus-presidential-election-2020", "2020-08") in protests


# CQ14: the documents in the graph


def test_documents(run_saved):
    rows = run_saved("documents")
    found = {
        short(r["document"]): (
            r["kindLabel"],
            r["title"],
            r.get("publisherLabel"),
            r.get("authorLabel"),
            r.get("issued"),
            r.get("url"),
        )
        for r in rows
    }
    assert found == {
        "doc-000": (
            "opinion piece",
            "What will Trump do about the 1,400 hostages in Belarus?",
            "Independent",
            "Dmitry Bolkunets",
            "2025-02-25T13:00:00Z",
            None,
        ),
        "doc-001": (
            "news report",
            "Nobel Laureates Urge Trump, EU to Secure Release of Belarusian Political Prisoners",
            None,
            None,
            "2025-02-18",
            "https://www.themoscowtimes.com/2025/02/18/"
            "nobel-laureates-urge-trump-eu-to-secure-release-of-belarusian-political-prisoners-a88059",
        ),
        "doc-002": (
            "news report",
            "Trump secures release of 52 political prisoners from Belarus",
            None,
            None,
            None,
            None,
        ),
        "doc-003": (
            "open letter",
            "We urge the immediate release of political prisoners in Belarus",
            None,
            "The undersigned",
            None,
            None,
        ),
        "doc-004": ("news report", "Belarus frees 52 political prisoners after US mediation", None, None, None, None),
    }
    assert [r["document"] for r in rows] == [D0, D1, D2, D3, D4]
    issued = datetime.datetime.fromisoformat(found["doc-000"][4])
    assert issued == datetime.datetime(2025, 2, 25, 13, 0, tzinfo=datetime.UTC)
    assert run_saved("documents", document=D1)[0]["seedFile"] == "001_e2ad8a0a6ce2cfb9.txt"


# CQ15: which facts rest on a single source, and which on several


def test_corroboration_counts_the_documents_behind_each_event(run_saved):
    rows = run_saved("corroboration")
    by_event = {short(r["event"]): (int(r["sourceCount"]), set(r["sources"].split())) for r in rows}
    assert by_event["release-of-52"] == (2, {D2, D4})
    assert by_event["belarus-presidential-election-2020"] == (4, {D1, D2, D3, D4})
    assert by_event["nobel-appeal-february-2025"] == (2, {D0, D1})
    assert by_event["release-february-2025"] == (2, {D0, D1})
    assert by_event["release-of-14-june"] == (1, {D2})
    assert by_event["nobel-appeal-july-2024"] == (1, {D1})
    # ordered by the number of documents, most first, then by label
    keys = [(-int(r["sourceCount"]), r["eventLabel"]) for r in rows]
    assert keys == sorted(keys)
    assert all(int(r["sourceCount"]) == len(r["sources"].split()) for r in rows)
    assert run_saved("corroboration", event=R52) == [r for r in rows if r["event"] == R52]


def test_single_source_participations_in_the_release_of_52(run_saved):
    rows = run_saved("single-source-claims", event=R52)
    assert {(short(r["participant"]), short(r["role"]), short(r["source"])) for r in rows} == {
        ("john-coale", "Negotiator", "doc-004"),
        ("united-states", "Mediator", "doc-004"),
        ("belarus", "ReleasingAuthority", "doc-004"),
        ("eu-staff-member", "Released", "doc-004"),
        ("united-states", "Broker", "doc-002"),
        ("trump-administration", "Broker", "doc-002"),
        ("donald-trump", "Broker", "doc-002"),
        ("belarusian-authorities", "Participant", "doc-002"),
        ("ales-bialiatski", "NotReleased", "doc-002"),
        ("maria-kalesnikava", "NotReleased", "doc-002"),
        ("andrzej-poczobut", "NotReleased", "doc-002"),
        ("uladzimir-matskevich", "Released", "doc-002"),
        ("maksim-viniarski", "Released", "doc-002"),
        ("henadz-fiadynich", "Released", "doc-002"),
        ("freed-polish-nationals", "Released", "doc-002"),
        ("freed-belarusian-journalists", "Released", "doc-002"),
        ("freed-non-citizens", "Released", "doc-002"),
        ("freed-lithuanians", "Released", "doc-002"),
        ("freed-latvians", "Released", "doc-002"),
        ("freed-germans", "Released", "doc-002"),
        ("freed-french-national", "Released", "doc-002"),
        ("freed-uk-national", "Released", "doc-002"),
        ("freed-who-refused-to-leave", "Released", "doc-002"),
    }
    # both documents say that Lukashenko freed the 52, and that Statkevich was among them
    pairs = {(short(r["participant"]), short(r["role"])) for r in rows}
    assert ("alexander-lukashenko", "ReleasingAuthority") not in pairs
    assert ("freed-52", "Released") not in pairs
    assert ("mikola-statkevich", "Released") not in pairs
    poczobut = next(r for r in rows if short(r["participant"]) == "andrzej-poczobut")
    assert set(poczobut["claims"].split()) == {BKD + "claim-002-100", BKD + "claim-002-121"}


def test_single_source_claims_in_all_events_leave_out_corroborated_ones(run_saved):
    rows = run_saved("single-source-claims")
    triples = {(short(r["event"]), short(r["participant"]), short(r["role"])) for r in rows}
    # the February appeal's addressee Trump is named in doc-000 and doc-001
    assert ("nobel-appeal-february-2025", "donald-trump", "Addressee") not in triples
    assert ("nobel-appeal-february-2025", "svetlana-alexievich", "Signatory") in triples
    assert len(triples) == len(rows)


# People and groups by nationality; events by kind


def test_people_by_nationality(run_saved):
    polish = run_saved("people-by-nationality")  # the default: Poland
    assert {(short(r["national"]), short(r["type"]), short(r.get("statedBy")), short(r["source"])) for r in polish} == {
        ("andrzej-poczobut", "Person", None, "doc-002"),
        ("freed-polish-nationals", "PersonGroup", "polish-foreign-ministry", "doc-002"),
    }
    belarusian = run_saved("people-by-nationality", country=BKD + "belarus")
    assert {(short(r["national"]), short(r["source"])) for r in belarusian} == {
        ("maxim-znak", "doc-001"),
        ("maria-kalesnikava", "doc-001"),
        ("andrei-kuznechyk", "doc-001"),
        ("dmitry-bolkunets", "doc-001"),
        ("ales-bialiatski", "doc-002"),
        ("andrzej-poczobut", "doc-002"),
        ("freed-belarusian-journalists", "doc-002"),
        ("mikola-statkevich", "doc-004"),
        ("political-prisoners-in-belarus", "doc-004"),
    }
    assert all(r["quote"] for r in belarusian)


def test_events_by_kind_releases(run_saved):
    rows = run_saved("events-by-kind")  # the default: bk:Release
    assert {short(r["event"]) for r in rows} == {
        "release-of-52",
        "release-february-2025",
        "release-of-14-june",
        "release-of-250",
        "release-after-july-2024-appeal",
        "release-nicaragua",
        "pardon-iran",
        "release-of-all-political-prisoners",
        "further-release-in-exchange-for-sanctions-relief",
        "future-release-including-poczobut",
        "release-of-detainees-called-for-by-trump",
    }
    assert {(short(r["event"]), r["date"], r["precision"]) for r in rows if "date" in r} == {
        ("release-february-2025", "2025-02", "month"),
    }


def test_events_by_kind_follows_subclasses(run_saved):
    appeals = run_saved("events-by-kind", kind=BK + "Appeal")
    assert {(short(r["event"]), r.get("date"), short(r.get("dateSource"))) for r in appeals} == {
        ("nobel-appeal-february-2025", "2025-02", "doc-000"),
        ("nobel-appeal-february-2025", "2025-02-17", "doc-001"),
        ("nobel-appeal-july-2024", "2024-07", "doc-001"),
        ("open-letter-free-belarus", None, None),
    }
    rows = run_saved("events-by-kind", kind=BK + "Communication")
    communications = {short(r["event"]): short(r["type"]) for r in rows}
    assert communications["nobel-appeal-july-2024"] == "Appeal"
    assert communications["nyt-report"] == "Report"
    assert communications["trump-letter-to-lukashenko"] == "Letter"
    assert communications["proposed-collective-ultimatum"] == "Ultimatum"
    assert communications["coale-statement"] == "Statement"
    diplomacy = {short(r["type"]) for r in run_saved("events-by-kind", kind=BK + "DiplomaticActivity")}
    assert diplomacy == {"Negotiation", "Mission", "Meeting"}
