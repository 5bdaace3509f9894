"""Network views, pictures, the interactive page, the timeline and their commands,
checked against the built graph."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, Namespace, URIRef

from belkg.cli import cli
from belkg.errors import BelkgError
from belkg.querying import open_engine
from belkg.views.drawing import draw, node_boxes
from belkg.views.interactive import write_page
from belkg.views.interchange import write_graph
from belkg.views.network import focus, network_measures, story_view
from belkg.views.timeline import collect, span
from belkg.views.timeline import render as render_timeline
from belkg.views.viz import default_title

BK = Namespace("https://w3id.org/belkg/ontology#")
BKD = Namespace("https://w3id.org/belkg/id/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ENTITIES = URIRef("https://w3id.org/belkg/graph/entities")
RELEASE_52 = str(BKD["release-of-52"])

# The story view's edges, restated from the documentation of belkg.views.network: for each
# kind of claim, the property naming the edge's start, the one naming its end, and the
# role (a concept of the claim, or a fixed name).
STORY_EDGES = """
PREFIX bk: <https://w3id.org/belkg/ontology#>
SELECT DISTINCT ?claim ?start ?role ?end ?modality WHERE {
  GRAPH ?document {
    { ?claim a bk:ParticipationClaim ; bk:participant ?start ; bk:event ?end ; bk:role ?role }
    UNION { ?claim a bk:RoleClaim ; bk:holder ?start ; bk:roleIn ?end BIND ("holds office" AS ?role) }
    UNION { ?claim a bk:NationalityClaim ; bk:national ?start ; bk:country ?end BIND ("citizen of" AS ?role) }
    UNION { ?claim a bk:QuotationClaim ; bk:speaker ?start ; bk:occasion ?end BIND ("said" AS ?role) }
    UNION { ?claim a bk:QuotationClaim ; bk:speaker ?start ; bk:about ?end
            FILTER NOT EXISTS { ?claim bk:occasion ?occasion } BIND ("spoke about" AS ?role) }
    UNION { ?claim a bk:RelationshipClaim ; bk:agent ?start ; bk:relatedAgent ?end ; bk:relation ?role }
    UNION { ?claim a bk:EventRelationClaim ; bk:fromEvent ?start ; bk:toEvent ?end ; bk:relation ?role }
    UNION { ?claim a bk:DemandClaim ; bk:demander ?start ; bk:demandedEvent ?end BIND ("demanded" AS ?role) }
    UNION { ?claim a bk:DemandClaim ; bk:addressee ?start ; bk:demandedEvent ?end BIND ("called on" AS ?role) }
    UNION { ?claim a bk:AwardClaim ; bk:laureate ?start ; bk:award ?end BIND ("laureate of" AS ?role) }
    UNION { ?claim a bk:LocationClaim ; bk:event ?start ; bk:place ?end BIND ("took place in" AS ?role) }
    UNION { ?claim a bk:LocationClaim ; bk:locatedAgent ?start ; bk:place ?end BIND ("located in" AS ?role) }
    UNION { ?claim a bk:SentenceClaim ; bk:convict ?start ; bk:event ?end BIND ("sentenced" AS ?role) }
    OPTIONAL { ?claim bk:modality ?modality }
  }
}
"""

EXTERNAL = re.compile(
    r"""<script[^>]*\bsrc\s*=|<link\b|<iframe\b|<img[^>]*\bsrc\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?(https?:)?//"""
    r"""|\b(src|href|action|poster)\s*=\s*["']?\s*(https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def engine(built):
    return open_engine(built.entry)


@pytest.fixture(scope="module")
def story(engine):
    return story_view(engine)


@pytest.fixture(scope="module")
def expected(built):
    """The story's edges computed with rdflib from the dataset, independently of belkg.views.network."""
    rows = list(built.dataset.query(STORY_EDGES))
    keys = {(str(r.start), str(r.role), str(r.end), str(r.modality or "")) for r in rows}
    things = {str(r.start) for r in rows} | {str(r.end) for r in rows}
    return {"rows": rows, "keys": keys, "things": things}


@pytest.fixture(scope="module")
def run(project, session_cache, built, tmp_path_factory):
    """Run belkg on the session's build; returns the click Result."""

    def invoke(*args: str):
        base = ["--project", str(project.root), "--cache-dir", str(session_cache), "-q"]
        return CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)

    return invoke


# ---------------------------------------------------------------------------------------
# The story view against the graph
# ---------------------------------------------------------------------------------------


def test_story_nodes_are_the_register_things_the_claims_link(story, expected, built):
    register = {str(s) for s in built.dataset.graph(ENTITIES).subjects(SKOS.prefLabel)}
    assert expected["things"] <= register
    assert set(story.nodes) == expected["things"]
    assert story.number_of_nodes() == len(expected["things"]) > 150


def test_story_edges_are_the_role_claims(story, expected):
    """One edge per (start, role, end, modality); together they carry every claim."""
    assert story.number_of_edges() == len(expected["keys"])
    claims = Counter((str(r.claim), str(r.start), str(r.end)) for r in expected["rows"])
    carried = Counter((claim, start, end) for start, end, data in story.edges(data=True) for claim in data["claims"])
    assert carried == claims


def test_every_edge_has_its_sources_and_quotes_from_the_graph(story, built):
    dataset = built.dataset
    documents = {str(s) for s in dataset.subjects(BK.seedFile)}
    exact = URIRef("http://www.w3.org/ns/oa#exact")
    source = URIRef("http://www.w3.org/ns/oa#hasSource")
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    for _, _, data in story.edges(data=True):
        assert data["sources"] and set(data["sources"]) <= documents
        assert data["quotes"] and data["claims"]
        for item in data["evidence"]:
            quotes = {
                (str(dataset.value(evidence, source)), str(dataset.value(evidence, exact)))
                for evidence in dataset.objects(URIRef(item["claim"]), derived)
            }
            assert (item["source"], item["quote"]) in quotes


def test_nodes_carry_labels_kinds_and_classes(story, built):
    entities = built.dataset.graph(ENTITIES)
    for node, data in story.nodes(data=True):
        assert data["label"] == str(entities.value(URIRef(node), SKOS.prefLabel))
        assert data["class"] == str(entities.value(URIRef(node), RDF.type))
    assert story.nodes[RELEASE_52]["kind"] == "event"
    assert story.nodes[RELEASE_52]["class_label"] == "prisoner release"
    assert story.nodes[str(BKD.belarus)]["kind"] == "country"
    assert story.nodes[str(BKD["john-coale"])]["kind"] == "person"
    assert "Tsikhanovsky" in story.nodes[str(BKD["siarhei-tsikhanouski"])]["aliases"]
    assert "2025-02-17" in story.nodes[str(BKD["nobel-appeal-february-2025"])]["dates"]


def test_an_edge_tells_role_source_quote_and_modality(story):
    (coale,) = story.get_edge_data(str(BKD["john-coale"]), RELEASE_52).values()
    assert coale["role"] == "negotiator"
    assert coale["role_iri"] == str(BK.Negotiator)
    assert coale["sources"] == [str(BKD["doc-004"])]
    assert any("John Coale" in quote for quote in coale["quotes"])
    planned = story.get_edge_data(str(BKD["freed-52"]), str(BKD["transfer-to-lithuania"]))
    # What was planned and what happened are two edges with the same role.
    assert sorted((data["role"], data["modality"]) for data in planned.values()) == [
        ("transferee", ""),
        ("transferee", "planned"),
    ]
    hedged = [data for _, _, data in story.edges(data=True) if data["hedge"]]
    assert hedged and all(data["evidence"] for data in hedged)


def test_the_story_view_is_the_same_on_the_rdflib_dataset(story, built):
    again = story_view(built.dataset)
    assert set(again.nodes) == set(story.nodes)
    assert set(again.edges(keys=True)) == set(story.edges(keys=True))


def test_focus_cuts_the_neighbourhood(story):
    near = focus(story, RELEASE_52, 1)
    assert set(near) == {RELEASE_52} | set(story.predecessors(RELEASE_52)) | set(story.successors(RELEASE_52))
    assert near.graph["focus"] == RELEASE_52
    assert set(focus(story, RELEASE_52, 0)) == {RELEASE_52}
    assert len(focus(story, RELEASE_52, 2)) > len(near)
    with pytest.raises(BelkgError, match="not in the story view"):
        focus(story, str(BKD["no-such-thing"]), 1)


def test_network_measures(story):
    measures = network_measures(story)
    assert (measures.nodes, measures.edges) == (story.number_of_nodes(), story.number_of_edges())
    assert sum(measures.components) == measures.nodes
    assert measures.components[0] > 100
    assert measures.degree[0][0] == RELEASE_52
    assert measures.degree[0][2] == len(set(nx.all_neighbors(story, RELEASE_52)))
    assert all(0 <= value <= 1 for _, _, value in measures.betweenness)
    assert dict(measures.kinds)["event"] > 50


# ---------------------------------------------------------------------------------------
# Files for other tools
# ---------------------------------------------------------------------------------------


def _reload(path, fmt):
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return nx.cytoscape_graph(json.loads(path.read_text(encoding="utf-8")))


def test_the_cytoscape_file_has_its_graph_data_as_an_object(story):
    data = json.loads(write_graph(story, "json"))
    assert isinstance(data["data"], dict)
    assert data["data"]["view"] == "story"
    assert "https://w3id.org/belkg/id/doc-000" in data["data"]["documents"]
    assert {"nodes", "edges"} <= set(data["elements"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_graph_files_reload_with_the_same_counts(story, tmp_path, fmt):
    path = tmp_path / f"story.{fmt}"
    path.write_bytes(write_graph(story, fmt))
    again = _reload(path, fmt)
    assert (again.number_of_nodes(), again.number_of_edges()) == (story.number_of_nodes(), story.number_of_edges())
    assert again.nodes[RELEASE_52]["label"] == "release of 52 political prisoners"
    assert again.nodes[RELEASE_52]["kind"] == "event"
    roles = Counter(data["role"] for _, _, data in again.edges(data=True))
    assert roles == Counter(data["role"] for _, _, data in story.edges(data=True))
    sources = [data["sources"] for _, _, data in again.edges(data=True)]
    assert all(sources) and all("https://w3id.org/belkg/id/doc-" in str(item) for item in sources)


# ---------------------------------------------------------------------------------------
# The interactive page
# ---------------------------------------------------------------------------------------


def _embedded_data(text: str) -> dict:
    match = re.search(r'<script id="belkg-data" type="application/json">(.*?)</script>', text, re.DOTALL)
    assert match
    return json.loads(match.group(1))


def test_the_page_is_self_contained_and_holds_the_data(story):
    text = write_page(story, "belkg story").decode("utf-8")
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert "default-src 'none'" in text
    assert "The Cytoscape Consortium" in text  # the vendored script, inline, with its licence notice
    data = _embedded_data(text)
    assert len(data["nodes"]) == story.number_of_nodes()
    assert len(data["edges"]) == story.number_of_edges()
    coale = next(e for e in data["edges"] if e["source"] == str(BKD["john-coale"]) and e["target"] == RELEASE_52)
    assert any("John Coale, involved in negotiations" in item["quote"] for item in coale["evidence"])
    node = next(n for n in data["nodes"] if n["id"] == str(BKD["siarhei-tsikhanouski"]))
    assert "Tsikhanovsky" in node["aliases"]


def test_the_page_cannot_be_broken_by_the_data():
    graph = nx.MultiDiGraph()
    graph.add_node("x", label="</script><script>alert(1)</script>", kind="person")
    text = write_page(graph, "<b>title</b>").decode("utf-8")
    assert "</script><script>alert" not in text
    assert "<b>title</b>" not in text
    assert _embedded_data(text)["nodes"][0]["label"] == "</script><script>alert(1)</script>"


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def whole_svg(story):
    return draw(story, "svg", title="the story view")


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return "\n".join(text for element in root.iter("{http://www.w3.org/2000/svg}text") for text in element.itertext())


def test_the_whole_picture_shows_every_label(story, whole_svg):
    text = _svg_text(whole_svg)
    boxes = node_boxes(story)
    missing = [node for node, box in boxes.items() if box.text.split("\n")[0] not in text]
    assert not missing
    assert "negotiator" in text and "released" in text  # deal roles written on their edges
    assert "things (bold border: a prisoner release)" in text


def test_the_focus_picture_is_a_valid_png_with_the_focus(story):
    from PIL import Image

    near = focus(story, RELEASE_52, 1)
    png = draw(near, "png", title="release of 52")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 50_000
    width, height = Image.open(io.BytesIO(png)).size
    assert width > 1000 and height > 700
    svg = draw(near, "svg")
    text = _svg_text(svg)
    assert "release of 52" in text and "political prisoners" in text
    assert "negotiator" in text  # every role is written in a focus view
    assert len(re.findall(r"\breleased\b", text)) >= 10


STATKEVICH = str(BKD["mikola-statkevich"])


def test_the_role_names_of_a_small_focus_view_are_drawn_over_the_boxes(story):
    near = focus(story, STATKEVICH, 1)
    root = ET.fromstring(draw(near, "svg"))
    # SVG draws in document order: what comes later is on top.
    texts = ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]
    boxes = node_boxes(near)
    node_labels = {box.text.split("\n")[0] for box in boxes.values()}
    roles = {str(data["role"]) for _, _, data in near.edges(data=True)}
    last_node = max(i for i, text in enumerate(texts) if text in node_labels)
    role_positions = [i for i, text in enumerate(texts) if any(text.startswith(role) for role in roles)]
    assert role_positions and min(role_positions) > last_node


def test_titles_count_in_the_singular_and_the_plural(story):
    graph = nx.MultiDiGraph(view="story", focus="a", depth=1)
    graph.add_node("a", label="A")
    graph.add_node("b", label="B")
    graph.add_edge("a", "b", role="released")
    assert default_title(graph) == "A: everything within 1 step (2 things, 1 edge)"
    graph.add_edge("b", "a", role="released")
    assert default_title(graph) == "A: everything within 1 step (2 things, 2 edges)"
    alone = focus(story, STATKEVICH, 0)
    assert default_title(alone) == "Mikola Statkevich: everything within 0 steps (1 thing, 0 edges)"
    del graph.graph["focus"]
    graph.remove_node("b")
    assert default_title(graph) == "belkg: who took part in what, as the sources tell it (1 thing, 0 edges)"


# Run in a fresh process: every format of a small focus view and the story view's SVG,
# as SHA-256 digests.
_PICTURES = f"""
import hashlib, json, sys
from pathlib import Path
from belkg.build.pipeline import build
from belkg.views.network import focus, story_view
from belkg.project import Project
from belkg.querying import open_engine
from belkg.views.viz import VIEW_FORMATS, render

story = story_view(open_engine(build(Project(Path(sys.argv[1])), Path(sys.argv[2])).entry))
near = focus(story, {STATKEVICH!r}, 1)
digests = {{fmt: hashlib.sha256(render(near, fmt)).hexdigest() for fmt in VIEW_FORMATS}}
digests["story svg"] = hashlib.sha256(render(story, "svg")).hexdigest()
print(json.dumps(digests))
"""


@pytest.mark.slow
def test_pictures_and_files_are_the_same_bytes_whatever_the_hash_seed(project, session_cache, built):
    command = [sys.executable, "-c", _PICTURES, str(project.root), str(session_cache)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        for environment in ({**os.environ, "PYTHONHASHSEED": seed} for seed in ("1", "2"))
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert all(process.returncode == 0 for process in processes), [error for _, error in outputs]
    first, second = (json.loads(out) for out, _ in outputs)
    assert set(first) == {"png", "svg", "html", "graphml", "gexf", "json", "story svg"}
    assert first == second


def test_drawing_an_empty_view_is_an_error():
    with pytest.raises(BelkgError, match="no nodes"):
        draw(nx.MultiDiGraph(), "png")


# ---------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------


def test_spans_follow_the_precision():
    import datetime as dt

    assert span("2020", "year") == (dt.date(2020, 1, 1), dt.date(2021, 1, 1))
    assert span("2024-12", "month") == (dt.date(2024, 12, 1), dt.date(2025, 1, 1))
    assert span("2025-02-17", "day") == (dt.date(2025, 2, 17), dt.date(2025, 2, 18))


def test_timeline_places_dated_bounded_and_undated_events(engine, project):
    timeline = collect(engine, project)
    dated = {event.iri: event for event in timeline.dated}
    appeal = dated[str(BKD["nobel-appeal-february-2025"])]
    assert {(m.date, m.precision) for m in appeal.mentions} == {("2025-02", "month"), ("2025-02-17", "day")}
    assert all(m.quote for event in timeline.dated for m in event.mentions)
    bounded = {event.iri: event for event in timeline.bounded}
    assert [(relation, str(day)) for relation, day, _ in bounded[str(BKD["release-of-250"])].bounds()] == [
        ("after", "2024-08-01")
    ]
    unplaced = {event.iri: event for event in timeline.unplaced}
    assert any(clue.phrase == "yesterday" for clue in unplaced[RELEASE_52].clues)
    svg = render_timeline(timeline, "svg")
    text = _svg_text(svg)
    assert "2025-02-14 “Friday”" in text and "release of 52 political prisoners" in text
    page = render_timeline(timeline, "html").decode("utf-8")
    assert not EXTERNAL.search(page)
    assert "“last July”" in page


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


def test_viz_writes_a_focus_picture_and_files(run, tmp_path):
    png = tmp_path / "release.png"
    result = run("viz", "--focus", "release of 52 political prisoners", "-o", str(png))
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")
    graphml = tmp_path / "near.graphml"
    assert run("viz", "--focus", "Tsikhanovsky", "--depth", "2", "-o", str(graphml)).exit_code == 0
    near = nx.read_graphml(graphml, force_multigraph=True)
    assert str(BKD["siarhei-tsikhanouski"]) in near
    page = tmp_path / "coale.html"
    assert run("viz", "--focus", "Coale", "-o", str(page)).exit_code == 0
    assert not EXTERNAL.search(page.read_text(encoding="utf-8"))


def test_viz_full_and_query_views(run, tmp_path):
    full = tmp_path / "full.gexf"
    assert run("viz", "--full", "--no-inference", "-o", str(full)).exit_code == 0
    assert nx.read_gexf(full).number_of_nodes() > 1000
    query = tmp_path / "coale.rq"
    query.write_text(
        "PREFIX bk: <https://w3id.org/belkg/ontology#>\n"
        "CONSTRUCT { ?release bk:negotiatedBy ?who } WHERE { ?release bk:negotiatedBy ?who }\n",
        encoding="utf-8",
    )
    result = run("viz", "--query", str(query), "--format", "json")
    assert result.exit_code == 0, result.output
    drawn = nx.cytoscape_graph(json.loads(result.stdout))
    assert drawn.has_edge(RELEASE_52, str(BKD["john-coale"]))
    assert drawn.nodes[str(BKD["john-coale"])]["label"] == "John Coale"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "--focus", "Nobody Atall", "-o", "x.png"], "nothing in the graph is called 'Nobody Atall'"),
        (["viz", "-o", "x.txt"], "cannot tell the format"),
        (["viz", "--full", "-o", "x.png"], "too many to draw legibly"),
        (["viz", "--query", "negotiators", "-o", "x.png"], "is a SELECT query"),
        (["viz", "--depth", "2", "-o", "x.png"], "--depth needs --focus"),
        (["timeline", "-o", "x.gexf"], "cannot tell the format"),
    ],
)
def test_viz_errors_are_one_line_with_exit_2(run, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("suffix", ["png", "svg", "html"])
def test_timeline_command(run, tmp_path, suffix):
    path = tmp_path / f"timeline.{suffix}"
    result = run("timeline", "-o", str(path))
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG")
    elif suffix == "svg":
        ET.fromstring(data)
    else:
        assert b"<svg" in data and b"Dates the sources give" in data


def test_stats_network(run, story):
    text = run("stats", "--network")
    assert text.exit_code == 0, text.output
    assert f"{story.number_of_nodes():>7}  nodes" in text.stdout
    assert "betweenness" in text.stdout and "release of 52 political prisoners" in text.stdout
    report = json.loads(run("stats", "--network", "--format", "json").stdout)
    assert (report["nodes"], report["edges"]) == (story.number_of_nodes(), story.number_of_edges())
    assert report["degree"][0]["node"] == RELEASE_52
