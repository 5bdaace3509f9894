"""belkg serve's pages, /sparql and linked data, in-process (starlette's TestClient), and
belkg site's files."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from belkg.build.cache import QUERY_HEADERS
from belkg.build.pipeline import build
from belkg.querying import open_engine
from belkg.web.app import CSP, Limits, create_app, find_conflicts_in_background
from belkg.web.pages import Pages
from belkg.web.server import exposure_warning
from belkg.web.static_site import write_site

from conftest import TINY_ENTITIES, tiny_document


@pytest.fixture(scope="module")
def pages(project, built, session_cache) -> Pages:
    engine = open_engine(built.entry, in_memory=True)
    return Pages(engine, project, built.entry, session_cache / QUERY_HEADERS)


@pytest.fixture(scope="module")
def client(pages) -> TestClient:
    pages.story()  # found here, not in the background: the tests look at the pictures at once
    return TestClient(create_app(pages, Limits(max_body=4096)))


def test_home_lists_the_documents_and_counts(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    for number in range(5):
        assert f'href="/id/doc-00{number}"' in response.text
    assert re.search(r"<strong>5</strong> documents", response.text)
    assert "last build:" in response.text


def test_search_finds_any_spelling(client):
    response = client.get("/search", params={"q": "Tsikhanovsky"})
    link = '<a href="/id/siarhei-tsikhanouski" title="https://w3id.org/belkg/id/siarhei-tsikhanouski">'
    assert f"{link}Siarhei Tsikhanouski</a>" in response.text
    assert "Nothing in the graph is called “Nobody Atall”" in client.get("/search?q=Nobody+Atall").text


def test_a_saved_query_runs_with_its_parameter(client):
    response = client.get("/queries/negotiators", params={"release": "bkd:release-of-52"})
    assert response.status_code == 200
    assert '<p class="count">6 rows</p>' in response.text
    assert (
        '<a href="/id/john-coale" title="https://w3id.org/belkg/id/john-coale">John Coale (bkd:john-coale)</a>'
        in response.text
    )
    assert 'href="/queries/negotiators.csv?release=bkd%3Arelease-of-52"' in response.text


def test_downloads_in_every_result_format(client):
    csv = client.get("/queries/negotiators.csv", params={"release": "bkd:release-of-52"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        csv.text.splitlines()[0] == "release,releaseLabel,agent,agentLabel,role,roleLabel,source,quote,hedge,hedgeLabel"
    )
    assert len(csv.text.splitlines()) == 7
    data = client.get("/queries/negotiators.json?release=bkd:release-of-52").json()
    assert len(data["results"]["bindings"]) == 6
    assert client.get("/queries/negotiators.tsv").text.startswith("?release\t")
    assert client.get("/queries/negotiators.xml").text.startswith('<?xml version="1.0" encoding="utf-8"?>')


def test_a_bad_parameter_is_a_400_page(client):
    response = client.get("/queries/negotiators", params={"release": "not an iri"})
    assert response.status_code == 400
    assert (
        "parameter &#39;release&#39; expects an IRI (https://... or bkd:slug), got &#39;not an iri&#39;"
        in response.text
    )
    assert client.get("/queries/negotiator").status_code == 404


def test_the_editor_runs_a_query_with_the_predeclared_prefixes(client):
    response = client.get("/editor", params={"query": "SELECT ?label WHERE { bkd:john-coale skos:prefLabel ?label }"})
    assert response.status_code == 200
    assert '<td>John Coale<span class="lang">@en</span></td>' in response.text
    refused = client.get("/editor", params={"query": "INSERT DATA { bkd:a bkd:b bkd:c }"})
    assert refused.status_code == 400
    assert "updates are refused" in refused.text or "INSERT is refused" in refused.text


def test_an_editor_syntax_error_points_into_the_text_as_written(client):
    response = client.get("/editor", params={"query": "SELECT * WHERE { ?s }"})
    assert response.status_code == 400
    assert "query:1:21: this triple pattern has a subject but no predicate" in response.text


def test_an_entity_page_shows_claims_with_quotes_and_conflicts(client):
    response = client.get("/id/siarhei-tsikhanouski")
    assert response.status_code == 200
    assert "<h1>Siarhei Tsikhanouski</h1>" in response.text
    assert "other spelling:</span> Siarhei Tsikhanovsky" in response.text
    quote = "the release of 14 political prisoners from Belarus, including the former opposition leader Siarhei T"
    assert f"“{quote}sikhanouski”" in response.text
    assert 'src="/id/siarhei-tsikhanouski/neighbourhood.svg"' in response.text
    assert client.get("/id/siarhei-tsikhanouski/neighbourhood.svg").text.lstrip().startswith("<?xml")


def test_a_document_page_highlights_every_cited_passage(client, pages):
    response = client.get("/id/doc-002")
    assert response.status_code == 200
    text = response.text
    passages = re.findall(r'<li id="passage-(\d+)" class="passage">', text)
    assert passages == [str(n) for n in range(1, len(passages) + 1)] and len(passages) > 50
    cited = re.findall(r'<a class="cite" href="#passage-\d+" data-passage="\d+">([^<]*)</a>', text)
    assert "EPA/SERGEI BOBYLEV / SPUTNIK / KREMLIN POOL" in cited
    assert '<span class="skipped" title="skipped: share button">Share</span>' in text
    quote = "Belarusian President Alexander Lukashenko has agreed to release 52 political prisoners"
    assert f'<blockquote class="quote">“{quote}”</blockquote>' in text


def test_other_iris_get_their_statements(client):
    response = client.get("/id/claim-002-001")
    assert response.status_code == 200
    assert "releasing authority" in response.text
    assert client.get("/id/no-such-thing").status_code == 404
    # a slug that would end the IRI early is no IRI: not found, never a query of its own
    assert client.get("/id/x%3E%20%3Fp%20%3Fo").status_code == 404
    assert client.get("/id/x%3E%20%3Fp%20%3Fo.ttl").status_code == 404


def test_linked_data_by_accept_and_by_extension(client):
    from rdflib import Graph, Literal, URIRef

    coale = URIRef("https://w3id.org/belkg/id/john-coale")
    label = (coale, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("John Coale", lang="en"))
    by_accept = client.get("/id/john-coale", headers={"Accept": "text/turtle"})
    assert by_accept.headers["content-type"] == "text/turtle; charset=utf-8"
    assert label in Graph().parse(data=by_accept.text, format="turtle")
    for ext, fmt in (("jsonld", "json-ld"), ("nt", "nt"), ("ttl", "turtle"), ("rdf", "xml")):
        assert label in Graph().parse(data=client.get(f"/id/john-coale.{ext}").text, format=fmt)
    html = client.get("/id/john-coale", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    ontology = Graph().parse(
        data=client.get("/ontology", headers={"Accept": "application/n-triples"}).text, format="nt"
    )
    assert (URIRef("https://w3id.org/belkg/ontology#Person"), None, None) in ontology


def test_sparql_protocol_get_post_and_negotiation(client):
    ask = "ASK { bkd:john-coale ?p ?o }".replace("bkd:", "<https://w3id.org/belkg/id/").replace(" ?p", "> ?p")
    assert client.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    form = client.post("/sparql", data={"query": ask}, headers={"Accept": "application/sparql-results+xml"})
    assert form.headers["content-type"] == "application/sparql-results+xml"
    assert "<boolean>true</boolean>" in form.text
    direct = client.post(
        "/sparql", content=ask.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    )
    assert direct.text == "boolean\r\ntrue\r\n"
    select = (
        "SELECT ?l WHERE { <https://w3id.org/belkg/id/john-coale> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    tsv = client.get("/sparql", params={"query": select}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text == '?l\n"John Coale"@en\n'
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    assert (
        client.get("/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"}).headers[
            "content-type"
        ]
        == "application/n-triples"
    )
    refused = client.get("/sparql", params={"query": select}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.json()["error"].startswith("none of the accepted types (image/png) fits this result")


@pytest.mark.parametrize(
    ("request_kwargs", "status", "error"),
    [
        ({"data": {"update": "DROP ALL"}}, 400, "updates are refused: this endpoint is read-only"),
        (
            {"data": {"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"}},
            400,
            "query: SERVICE is refused: it would query another server; use --allow-network to allow it",
        ),
        (
            {"data": {"query": "SELECT * WHERE { ?s }"}},
            400,
            "query:1:21: this triple pattern has a subject but no predicate",
        ),
        ({"data": {"query": "x" * 5000}}, 413, "a request body of over 4096 bytes"),
        ({"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "a POST must be"),
    ],
)
def test_sparql_refusals_are_json_errors(client, request_kwargs, status, error):
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == status
    assert response.json()["error"].startswith(error)
    assert response.json()["status"] == status


def test_errors_are_pages_with_no_traceback(client):
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "<h1>404 Not found</h1>" in missing.text and "Traceback" not in missing.text
    assert client.get("/no/such/page", headers={"Accept": "application/json"}).json() == {
        "error": "no page at /no/such/page",
        "status": 404,
    }
    assert client.delete("/sparql").status_code == 405
    assert client.get("/queries/negotiators?page=0").status_code == 400


def test_the_server_binds_locally_unless_told(client):
    assert exposure_warning("127.0.0.1") is None
    assert exposure_warning("0.0.0.0") == (
        "listening on 0.0.0.0, not only 127.0.0.1: anyone who can reach this machine on the port can read "
        "the graph and run queries (read-only, within the limits)"
    )


MARKUP = "<script>alert(1)</script><b>bold</b>"


@pytest.mark.slow
def test_every_label_and_literal_is_escaped(tiny_project, tmp_path):
    entities = TINY_ENTITIES.replace('"Bob Example"@en .', f'"Bob Example"@en ; skos:altLabel "{MARKUP}"@en .')
    project = tiny_project(entities=entities)
    shutil.copytree(Path(__file__).resolve().parent.parent / "queries", project.queries_dir)
    document = tiny_document().replace('dcterms:title "Alice Example was freed"', f'dcterms:title "{MARKUP}"')
    (project.kg_dir / "900_tiny.ttl").write_text(document + GOOD_CLAIM_WITH_NOTE, encoding="utf-8")
    entry = build(project, tmp_path / "cache").entry
    pages = Pages(open_engine(entry, in_memory=True), project, entry)
    client = TestClient(create_app(pages))
    editor = "/editor?query=SELECT+%3Fl+WHERE+%7B+%3Fs+skos%3AaltLabel+%3Fl+%7D"
    paths = ("/", "/id/bob-example", "/id/doc-900", "/names", "/id/claim-900-001", "/queries/documents")
    for path in (*paths, "/search?q=" + MARKUP, editor):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<script>alert" not in response.text and "<b>bold" not in response.text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in client.get("/id/doc-900").text
    site = tmp_path / "site"
    write_site(pages, site)
    assert (site / "id" / "alice-example" / "neighbourhood.svg").is_file()
    assert (site / "id" / "claim-900-001.html").is_file()
    assert "no event has a date or a dated bound" in (site / "timeline.html").read_text(encoding="utf-8")
    assert _broken_links(site) == []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>bold" not in text, page


GOOD_CLAIM_WITH_NOTE = f"""
bkd:claim-900-001 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant bkd:alice-example ; bk:role bk:Released ;
    bk:note "{MARKUP}" ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ;
        oa:exact "Alice Example was freed" ] .
"""


def _broken_links(folder: Path) -> list[tuple[str, str]]:
    """Every href and src of the site's pages that is not one of its files."""
    broken = []
    for page in folder.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            if href.startswith(("data:", "#")):
                continue
            if href.startswith(("/", "http:", "https:")) or not (page.parent / href.split("#")[0]).resolve().is_file():
                broken.append((str(page.relative_to(folder)), href))
    return broken


def test_the_conflicts_are_kept_for_the_next_start(project, built, pages, tmp_path):
    """The server keeps the conflicts it found beside the build, so the next start reads
    them (the same list) instead of running the query again; a damaged file is found anew."""
    import json

    engine = open_engine(built.entry, in_memory=True)
    found = Pages(engine, project, built.entry, views=tmp_path / "views").conflict_list()
    assert found == pages.conflict_list() != []
    [kept] = (tmp_path / "views").iterdir()
    rows = json.loads(kept.read_text(encoding="utf-8"))
    rows[0][0] = "read from the kept file"
    kept.write_text(json.dumps(rows), encoding="utf-8")
    assert Pages(engine, project, built.entry, views=tmp_path / "views").conflict_list()[0].kind == rows[0][0]
    kept.write_text("[[1, 2", encoding="utf-8")
    assert Pages(engine, project, built.entry, views=tmp_path / "views").conflict_list() == found


ATTRIBUTE_URL = re.compile(r'\b(?:href|src|action)\s*=\s*["\']([^"\']*)["\']', re.I)
CSS_URL = re.compile(r'url\(\s*["\']?([^"\')]*)', re.I)


@pytest.mark.slow
def test_the_site_of_the_project_holds_every_page_and_links_only_inside(belkg, engines, tmp_path):
    """`belkg site` on the project's own graph: every page type, no link or src outside
    the site or to a missing file, no URL of another host, and a document's highlights."""
    site = tmp_path / "site"
    result = belkg("site", "-o", str(site))
    assert result.exit_code == 0, result.output
    for page in ("index", "names", "queries", "editor", "timeline", "conflicts", "graph", "ontology"):
        assert (site / f"{page}.html").is_file(), page
    assert "Where the sources disagree" in (site / "conflicts.html").read_text(encoding="utf-8")
    assert "<svg" in (site / "timeline.html").read_text(encoding="utf-8")
    assert "Examples: the saved queries" in (site / "editor.html").read_text(encoding="utf-8")
    for query in sorted((Path(__file__).resolve().parent.parent / "queries").glob("*.rq")):
        assert (site / "queries" / f"{query.stem}.html").is_file(), query.stem
        assert (site / "queries" / f"{query.stem}.csv").is_file() or (site / "queries" / f"{query.stem}.ttl").is_file()
    things = engines["oxigraph"].run(
        "SELECT DISTINCT ?thing ?seed WHERE { { ?thing skos:prefLabel ?label } UNION { ?thing bk:seedFile ?seed } }"
    )
    documents = 0
    for row in things.rows:
        slug = row["thing"].value.removeprefix("https://w3id.org/belkg/id/")
        text = (site / "id" / f"{slug}.html").read_text(encoding="utf-8")
        if "seed" in row:
            documents += 1
            assert 'class="passages"' in text, slug
        else:
            assert '<section class="facts">' in text, slug
        for ext in ("ttl", "jsonld", "nt"):
            assert (site / "id" / f"{slug}.{ext}").stat().st_size > 0, (slug, ext)
    assert documents == 5 and len(things.rows) > 150
    broken = []
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".svg", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8")
        urls = [m.group(1) for m in ATTRIBUTE_URL.finditer(text)]
        if path.suffix in (".css", ".svg"):
            urls += [m.group(1) for m in CSS_URL.finditer(text)]
        for url in urls:
            if not url or url.startswith(("#", "data:")):
                continue
            target = (path.parent / url.split("#")[0]).resolve()
            if ":" in url.split("/")[0] or url.startswith("/") or site.resolve() not in target.parents:
                broken.append((str(path.relative_to(site)), url))  # another host, or outside the site
            elif not target.is_file():
                broken.append((str(path.relative_to(site)), url))
    assert broken == []
    # the highlighted words of doc-002 lead to their passage, which shows the claim's quote
    text = (site / "id" / "doc-002.html").read_text(encoding="utf-8")
    cite = re.search(r'<a class="cite" href="#(passage-\d+)" data-passage="\d+">Belarusian President Alexander', text)
    assert cite is not None
    passage = text[text.index(f'<li id="{cite.group(1)}" class="passage">') :]
    passage = passage[: passage.index("</li>")]
    quote = "Belarusian President Alexander Lukashenko has agreed to release 52 political prisoners"
    assert f'<blockquote class="quote">“{quote}”</blockquote>' in passage
    assert '<a href="../id/claim-002-001.html">participation claim</a>' in passage


def _disputed_thing(pages: Pages) -> str:
    """The slug of a thing some conflict is about, whose page marks a claim as disputed."""
    return pages.conflict_list()[0].subject.removeprefix("https://w3id.org/belkg/id/")


def test_until_the_conflicts_are_known_the_pages_say_so(project, built, session_cache, pages, tmp_path):
    """The server listens before the conflicts are found: an entity page says the check
    is still running (and marks nothing), /conflicts is a 503 with Retry-After; once found
    in the background, the marks and the list are there, and kept for the next start."""
    slug = _disputed_thing(pages)
    fresh = Pages(open_engine(built.entry, in_memory=True), project, built.entry, session_cache / QUERY_HEADERS,
                  views=tmp_path / "views")  # fmt: skip
    client = TestClient(create_app(fresh, background=False))  # nothing kept: not known, and not being found
    fresh.story_found(pages.story())  # the picture is not what this test looks at
    page = client.get(f"/id/{slug}")
    assert page.status_code == 200
    assert "The check for conflicting claims is still running: no claim is marked as disputed yet." in page.text
    assert 'class="flag"' not in page.text and "The sources disagree" not in page.text
    listing = client.get("/conflicts")
    assert listing.status_code == 503 and listing.headers["retry-after"] == "30"
    assert "<h1>503 Not ready yet</h1>" in listing.text and "still running" in listing.text
    assert client.get("/conflicts", headers={"Accept": "application/json"}).json() == {
        "error": "The check for conflicting claims is still running: no claim is marked as disputed yet.",
        "status": 503,
    }
    finder = find_conflicts_in_background(fresh, Limits())
    assert finder is not None
    finder.join(120)
    assert fresh.conflict_state == "known"
    page = client.get(f"/id/{slug}")
    assert '<span class="flag" title="the sources disagree: see below">disputed</span>' in page.text
    assert "<h2>The sources disagree</h2>" in page.text and "still running" not in page.text
    listing = client.get("/conflicts")
    assert listing.status_code == 200
    assert f"pair by pair ({len(pages.conflict_list())})" in listing.text
    assert len(list((tmp_path / "views").iterdir())) == 1  # kept: the next start reads them
    again = Pages(fresh.engine, project, built.entry, session_cache / QUERY_HEADERS, views=tmp_path / "views")
    assert find_conflicts_in_background(again, Limits()) is None and again.conflict_list() == pages.conflict_list()


def test_when_finding_the_conflicts_fails_the_pages_say_so(project, built, session_cache, pages):
    slug = _disputed_thing(pages)
    fresh = Pages(open_engine(built.entry, in_memory=True), project, built.entry, session_cache / QUERY_HEADERS)
    client = TestClient(create_app(fresh, Limits(conflicts=0.001)))  # too short for any search
    for _ in range(600):
        if fresh.conflict_state != "pending":
            break
        time.sleep(0.1)
    assert fresh.conflict_state == "failed"
    message = (
        "The check for conflicting claims failed (it ran longer than 0.001 s and was stopped; "
        "see belkg serve --conflicts-timeout): no claim is marked as disputed."
    )
    page = client.get(f"/id/{slug}")
    assert page.status_code == 200 and message in page.text and 'class="flag"' not in page.text
    listing = client.get("/conflicts")
    assert listing.status_code == 503 and "retry-after" not in listing.headers
    assert message in listing.text
    assert client.get("/").status_code == 200  # the server keeps serving


@pytest.mark.slow
def test_entity_pages_cut_each_kind_of_claim_as_entity_card_orders_them(pages, engines):
    """The pages' query (entity-page.rq) gives entity-card's rows, in its order, for every
    thing of the seed graph, where no kind of claim reaches the cut. (Slow: the two queries
    compared over the whole graph, 150 things and more.)"""
    from belkg.entity import card
    from belkg.web.pages import CLAIMS_PER_CUT

    things = engines["oxigraph"].run("SELECT DISTINCT ?thing WHERE { ?thing skos:prefLabel ?label }")
    assert len(things.rows) > 150
    for row in things.rows:
        iri = row["thing"].value
        full = card(pages.engine, pages.project, iri, pages.headers)
        cut = pages.facts(iri)
        assert [{k: v for k, v in r.items() if k != "cut"} for r in cut.rows] == full.rows, iri
        kinds: dict[str, set[str]] = {}
        for r in cut.rows:
            if "cut" in r:
                kinds.setdefault(r["cut"].value, set()).add((r.get("claim") or r["value"]).value)
        assert all(len(claims) < CLAIMS_PER_CUT for claims in kinds.values()), iri


def test_a_cut_of_an_entity_page_is_a_page_of_its_own(client):
    """Each kind of claim of a thing has pages of its own (?part=KIND&page=N): on the seed
    graph, every claim of a kind is on its first page, and the second is empty."""
    whole = client.get("/id/siarhei-tsikhanouski")
    first = client.get("/id/siarhei-tsikhanouski", params={"part": "participation", "page": "1"})
    assert first.status_code == 200
    assert "<h1>Siarhei Tsikhanouski: event, page 1</h1>" in first.text
    assert "Claims 1 to 100 of this kind, at most (participation)" in first.text
    events = whole.text[whole.text.index("<h2>event</h2>") :]
    events = events[: events.index("</section>")]
    assert events.count('<li class="fact') == first.text.count('<li class="fact') >= 3
    second = client.get("/id/siarhei-tsikhanouski", params={"part": "participation", "page": "2"})
    assert "No more claims of this kind." in second.text and "the previous 100" in second.text
    bad = client.get("/id/siarhei-tsikhanouski", params={"part": "nothing"})
    assert bad.status_code == 400 and "no part &#39;nothing&#39; of an entity page" in bad.text


def test_pictures_wait_for_the_story_view_found_in_the_background(project, built, session_cache):
    """The server listens before the story view (the pictures' graph) is found: an entity
    page says its picture is being prepared and the picture answers 503; then both are there."""
    from belkg.web.app import prepare_story_in_background

    fresh = Pages(open_engine(built.entry, in_memory=True), project, built.entry, session_cache / QUERY_HEADERS)
    client = TestClient(create_app(fresh, background=False))
    assert fresh.story_state == "pending" and not fresh.has_story()
    page = client.get("/id/siarhei-tsikhanouski")
    assert "The picture of its neighbourhood is still being prepared." in page.text
    assert "neighbourhood.svg" not in page.text
    picture = client.get("/id/siarhei-tsikhanouski/neighbourhood.svg")
    assert picture.status_code == 503 and picture.headers["retry-after"] == "30"
    prepare_story_in_background(fresh, Limits()).join(120)
    assert fresh.story_state == "known"
    assert 'src="/id/siarhei-tsikhanouski/neighbourhood.svg"' in client.get("/id/siarhei-tsikhanouski").text
    assert client.get("/id/siarhei-tsikhanouski/neighbourhood.svg").text.lstrip().startswith("<?xml")


def test_the_conflicts_about_one_thing_a_page_at_a_time(client, pages):
    subject = pages.conflict_list()[0].subject
    about = [c for c in pages.conflict_list() if c.subject == subject]
    response = client.get("/conflicts", params={"about": subject})
    assert response.status_code == 200
    assert f"pair by pair ({len(about)})" in response.text
    assert response.text.count("<tr><td>") == min(len(about), 200)
    assert client.get("/conflicts", params={"about": "not an iri"}).status_code == 400


@pytest.mark.slow  # runs the endpoint's workers out of time and memory; tests/test_workers.py does the pool's quickly
def test_sparql_over_the_limits_is_stopped_and_the_endpoint_answers_after(pages):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
    ask = {"query": "ASK { ?s ?p ?o }"}
    # Each limit on its own: a slow machine must not reach the time limit before the memory one.
    for limits, query, error in [
        (Limits(timeout=3, concurrent=2), runaway,
         "query: the query ran longer than 3 s and was stopped; raise --timeout or narrow the query"),
        (Limits(timeout=300, memory=1536, concurrent=2), hungry,
         "query: the query needed more than 1536 MiB of memory and was stopped; raise --memory or narrow the query"),
    ]:  # fmt: skip
        limited = TestClient(create_app(pages, limits, background=False))
        response = limited.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
        assert (response.status_code, response.json()) == (400, {"error": error, "status": 400})
        for _ in range(3):  # each of the two workers, one of them new
            answer = limited.get("/sparql", params=ask, headers={"Accept": "application/sparql-results+json"})
            assert answer.json() == {"head": {}, "boolean": True}


def test_the_server_reads_answers_kept_beside_the_cache(project, built, tmp_path):
    from belkg.engines import QueryResult
    from belkg.kept_results import Shelf
    from belkg.terms import Term
    from belkg.web.server import open_pages

    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    made_up = QueryResult("select", ["s"], [{"s": Term.iri("https://example.org/kept")}])
    Shelf(tmp_path / "views", built.entry.folder.name, inference=True).keep(text, made_up, seconds=1.0)
    served = TestClient(create_app(open_pages(project, built.entry, tmp_path), background=False))
    response = served.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
    assert response.text == "s\r\nhttps://example.org/kept\r\n"
