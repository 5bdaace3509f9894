"""A network view as one self-contained HTML page that works offline: pan and zoom,
search by any spelling, click a thing or an edge to read its details and the source
quotes.

The page carries its script (Cytoscape.js, vendored under belkg/vendor with its licence),
its style and its data inline, and a Content-Security-Policy that forbids fetching
anything. Nodes sit where the pictures put them (the same layout), so the page and the
PNG look alike.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from belkg.views.drawing import (
    KIND_COLOURS,
    OTHER_ROLE,
    ROLE_FAMILIES,
    is_release,
    kind_colour,
    layout,
    node_boxes,
    role_colour,
    tint,
)

if TYPE_CHECKING:
    import networkx as nx

    NetworkGraph = nx.MultiDiGraph[str]

POINTS = 72.0  # layout inches to page pixels


def vendored_script() -> str:
    return (resources.files("belkg") / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8")


def page_data(graph: NetworkGraph, title: str) -> dict[str, Any]:
    """What the page shows: nodes with their places and styles, edges with their sources
    and quotes, the documents, and the legend."""
    boxes = node_boxes(graph, base=9.0, hub=11.5, wrap=22)
    positions = layout(graph, boxes, room=4.0)
    focused = graph.graph.get("focus")
    nodes = []
    for node, data in graph.nodes(data=True):
        box = boxes[node]
        colour = kind_colour(str(data.get("kind", "")))
        x, y = positions[node]
        nodes.append(
            {
                "id": node,
                "label": str(data.get("label", node)),
                "text": box.text,
                "kind": str(data.get("kind", "")),
                "class": str(data.get("class", "")),
                "classLabel": str(data.get("class_label", "")),
                "aliases": [str(alias) for alias in data.get("aliases", [])],
                "dates": [str(date) for date in data.get("dates", [])],
                "x": round(x * POINTS, 1),
                "y": round(-y * POINTS, 1),
                "w": round(box.width * POINTS, 1),
                "h": round(box.height * POINTS, 1),
                "size": box.size,
                "weight": "bold" if box.bold else "normal",
                "colour": colour,
                "face": tint(colour, 0.78),
                "border": 3 if is_release(data) or node == focused else 1.2,
            }
        )
    edges = []
    for index, (start, end, data) in enumerate(graph.edges(data=True)):
        role = str(data.get("role", ""))
        modality = str(data.get("modality", ""))
        edges.append(
            {
                "id": f"e{index}",
                "source": start,
                "target": end,
                "role": role,
                "label": f"{role} ({modality})" if modality else role,
                "roleIri": str(data.get("role_iri", "")),
                "modality": modality,
                "hedge": str(data.get("hedge", "")),
                "detail": [str(item) for item in data.get("detail", [])],
                "sources": [str(item) for item in data.get("sources", [])],
                "evidence": list(data.get("evidence", [])),
                "colour": role_colour(role),
                "dashed": bool(modality),
            }
        )
    kinds = sorted(
        {str(node["kind"]) for node in nodes},
        key=lambda kind: list(KIND_COLOURS).index(kind) if kind in KIND_COLOURS else 99,
    )
    used = {str(edge["colour"]) for edge in edges}
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "documents": dict(graph.graph.get("documents", {})),
        "kinds": [[kind, kind_colour(kind), tint(kind_colour(kind), 0.78)] for kind in kinds],
        "roles": [[name, colour] for name, colour, _ in (*ROLE_FAMILIES, (*OTHER_ROLE, ())) if colour in used],
    }


def _script_safe_json(data: Any) -> str:
    """JSON that cannot end the <script> element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_page(graph: NetworkGraph, title: str) -> bytes:
    """The page as UTF-8 bytes."""
    parts = {
        "TITLE": html.escape(title),
        "DATA": _script_safe_json(page_data(graph, title)),
        "CYTOSCAPE": vendored_script().replace("</script", "<\\/script"),
        "APP": APP,
    }
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda match: parts[match.group(1)], PAGE).encode("utf-8")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<title>{{TITLE}}</title>
<style>
  html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #222; }
  body { display: grid; grid-template-columns: 1fr 400px; grid-template-rows: auto 1fr; height: 100vh;
         overflow: hidden; }
  header { grid-column: 1 / 3; display: flex; flex-wrap: wrap; gap: 12px; align-items: center;
           padding: 8px 12px; border-bottom: 1px solid #ccc; background: #fafafa; }
  header h1 { font-size: 17px; margin: 0 12px 0 0; }
  #search { font-size: 15px; padding: 4px 8px; width: 260px; }
  #graph { position: relative; min-height: 0; }
  #graph > div { position: absolute; inset: 0; }
  aside { border-left: 1px solid #ccc; overflow-y: auto; padding: 10px 14px; background: #fff; }
  aside h2 { font-size: 17px; margin: 4px 0; }
  aside h3 { font-size: 14px; margin: 14px 0 4px; }
  .muted { color: #666; }
  .iri { font-family: monospace; font-size: 12px; color: #555; word-break: break-all; }
  .quote { margin: 3px 0 8px 12px; padding-left: 8px; border-left: 3px solid #ddd; }
  .hedge { color: #a05000; font-style: italic; }
  .link { color: #0645ad; cursor: pointer; text-decoration: underline; }
  #results { list-style: none; margin: 0; padding: 0; }
  #results li { padding: 3px 0; }
  .legend span.swatch { display: inline-block; width: 14px; height: 10px; border: 2px solid; margin: 0 4px 0 10px;
                        vertical-align: middle; border-radius: 3px; }
  .legend span.line { display: inline-block; width: 22px; height: 0; border-top: 3px solid; margin: 0 4px 0 10px;
                      vertical-align: middle; }
  .legend { font-size: 13px; }
  button { font-size: 14px; }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <input id="search" type="search" placeholder="Search by any spelling…" autocomplete="off" aria-label="Search">
  <label><input id="modal" type="checkbox" checked> planned, demanded… (dashed)</label>
  <button id="fit" type="button">Show all</button>
  <span class="legend" id="legend"></span>
</header>
<div id="graph"><div id="cy"></div></div>
<aside id="details"></aside>
<script id="belkg-data" type="application/json">{{DATA}}</script>
<script>{{CYTOSCAPE}}</script>
<script>{{APP}}</script>
</body>
</html>
"""

APP = r"""
"use strict";
const DATA = JSON.parse(document.getElementById("belkg-data").textContent);
const details = document.getElementById("details");
const byId = new Map(DATA.nodes.map(n => [n.id, n]));

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function shortIri(iri) {
  const spaces = [["bkd:", "https://w3id.org/belkg/id/"], ["bk:", "https://w3id.org/belkg/ontology#"]];
  for (const [prefix, space] of spaces) if (iri.startsWith(space)) return prefix + iri.slice(space.length);
  return iri;
}

function documentName(iri) {
  const doc = DATA.documents[iri];
  if (!doc) return shortIri(iri);
  return shortIri(iri) + ": " + doc.title + (doc.issued ? " (" + doc.issued + ")" : "");
}

const cy = cytoscape({
  container: document.getElementById("cy"),
  elements: [
    ...DATA.nodes.map(n => ({ group: "nodes", data: n, position: { x: n.x, y: n.y } })),
    ...DATA.edges.map(e => ({ group: "edges", data: e })),
  ],
  layout: { name: "preset" },
  wheelSensitivity: 0.3,
  minZoom: 0.05,
  maxZoom: 4,
  style: [
    { selector: "node", style: {
        "shape": "round-rectangle", "width": "data(w)", "height": "data(h)", "label": "data(text)",
        "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "font-size": "data(size)",
        "font-family": "DejaVu Sans, Verdana, sans-serif", "font-weight": "data(weight)",
        "background-color": "data(face)", "border-color": "data(colour)", "border-width": "data(border)",
        "min-zoomed-font-size": 5 } },
    { selector: "edge", style: {
        "curve-style": "bezier", "width": 1.3, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "arrow-scale": 0.8, "label": "data(label)", "font-size": 8,
        "color": "data(colour)", "text-rotation": "autorotate", "text-background-color": "#ffffff",
        "text-background-opacity": 0.85, "text-background-padding": 1, "min-zoomed-font-size": 7 } },
    { selector: "edge[?dashed]", style: { "line-style": "dashed" } },
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: ".match", style: { "border-width": 4, "border-color": "#d00000" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#000000" } },
    { selector: "edge:selected", style: { "width": 4 } },
  ],
});

function legend() {
  const box = document.getElementById("legend");
  for (const [kind, colour, face] of DATA.kinds) {
    const swatch = el("span", null, "swatch");
    swatch.style.borderColor = colour; swatch.style.background = face;
    box.append(swatch, kind);
  }
  for (const [name, colour] of DATA.roles) {
    const line = el("span", null, "line");
    line.style.borderColor = colour;
    box.append(line, name);
  }
}

function focusOn(elements) {
  cy.elements().addClass("faded");
  elements.removeClass("faded");
}

function clearFocus() {
  cy.elements().removeClass("faded");
}

function evidenceList(parent, edge) {
  const evidence = edge.evidence || [];
  if (!evidence.length) {
    for (const source of edge.sources || []) parent.append(el("div", documentName(source), "muted"));
    return;
  }
  for (const item of evidence) {
    const block = el("div", null, "quote");
    block.append(el("div", "“" + item.quote + "”"));
    const where = el("div", documentName(item.source) + " · " + shortIri(item.claim), "muted");
    block.append(where);
    if (item.hedge) block.append(el("div", "hedge: " + item.hedge, "hedge"));
    parent.append(block);
  }
}

function nodeLink(id) {
  const node = byId.get(id);
  const span = el("span", node ? node.label : shortIri(id), "link");
  span.addEventListener("click", () => select(id));
  return span;
}

function edgeBlock(parent, edge, from) {
  const line = el("div");
  const role = edge.role + (edge.modality ? " (" + edge.modality + ")" : "");
  if (from === undefined || from === edge.source) {
    if (from === undefined) line.append(nodeLink(edge.source));
    line.append(" — " + role + " → ");
    line.append(nodeLink(edge.target));
  } else {
    line.append(nodeLink(edge.source));
    line.append(" — " + role + " →");
  }
  if (edge.hedge) line.append(el("span", "  [" + edge.hedge + "]", "hedge"));
  parent.append(line);
  if (edge.detail && edge.detail.length) parent.append(el("div", edge.detail.join("; "), "muted"));
  evidenceList(parent, edge);
}

function showNode(id) {
  const node = byId.get(id);
  details.replaceChildren();
  details.append(el("h2", node.label));
  const kinds = node.classLabel && node.classLabel !== node.kind ? [node.kind, node.classLabel] : [node.kind];
  details.append(el("div", kinds.filter(Boolean).join(" · "), "muted"));
  details.append(el("div", node.id, "iri"));
  if (node.aliases.length) details.append(el("div", "also: " + node.aliases.join("; ")));
  if (node.dates.length) details.append(el("div", "dated: " + node.dates.join(", ")));
  const connected = cy.getElementById(id).connectedEdges().map(e => e.data());
  const outgoing = connected.filter(e => e.source === id);
  const incoming = connected.filter(e => e.target === id && e.source !== id);
  if (outgoing.length) {
    details.append(el("h3", "What it does (" + outgoing.length + ")"));
    for (const edge of outgoing) edgeBlock(details, edge, id);
  }
  if (incoming.length) {
    details.append(el("h3", "Who or what takes part (" + incoming.length + ")"));
    for (const edge of incoming) edgeBlock(details, edge, id);
  }
}

function showEdge(edge) {
  details.replaceChildren();
  details.append(el("h2", edge.role + (edge.modality ? " (" + edge.modality + ")" : "")));
  if (edge.roleIri) details.append(el("div", edge.roleIri, "iri"));
  edgeBlock(details, edge);
}

function select(id) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  cy.elements().unselect();
  node.select();
  focusOn(node.closedNeighborhood());
  cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
  showNode(id);
}

function normalise(text) {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\s\-‐–]+/g, " ").trim();
}

function search(text) {
  const wanted = normalise(text);
  cy.nodes().removeClass("match");
  details.replaceChildren();
  if (!wanted) { clearFocus(); intro(); return []; }
  const found = [];
  for (const node of DATA.nodes) {
    const spellings = [node.label, ...node.aliases];
    const hit = spellings.find(s => normalise(s).includes(wanted));
    if (hit !== undefined) found.push([node, hit]);
  }
  details.append(el("h2", found.length + " match" + (found.length === 1 ? "" : "es")));
  const list = el("ul"); list.id = "results";
  for (const [node, hit] of found.slice(0, 50)) {
    const item = el("li");
    item.append(nodeLink(node.id));
    item.append(el("span", " " + node.kind + (hit !== node.label ? " · as “" + hit + "”" : ""), "muted"));
    list.append(item);
  }
  details.append(list);
  const matched = cy.collection(found.map(([node]) => cy.getElementById(node.id)));
  matched.addClass("match");
  if (found.length) focusOn(matched.closedNeighborhood()); else clearFocus();
  return found;
}

function intro() {
  details.replaceChildren();
  details.append(el("h2", DATA.nodes.length + " things, " + DATA.edges.length + " edges"));
  details.append(el("p", "Drag to pan, scroll to zoom. Click a thing or an edge to read what the sources say, " +
    "with their words. Search finds any spelling the sources use."));
  details.append(el("p", "Dashed edges are planned, demanded, hoped for or refused, not done.", "muted"));
}

const input = document.getElementById("search");
input.addEventListener("input", () => search(input.value));
input.addEventListener("keydown", event => {
  if (event.key === "Enter") {
    const found = search(input.value);
    if (found.length) select(found[0][0].id);
  }
});
document.getElementById("fit").addEventListener("click", () => { clearFocus(); cy.fit(undefined, 20); });
document.getElementById("modal").addEventListener("change", event => {
  cy.edges("[?dashed]").style("display", event.target.checked ? "element" : "none");
});
cy.on("tap", "node", event => select(event.target.id()));
cy.on("tap", "edge", event => {
  focusOn(event.target.union(event.target.connectedNodes()));
  showEdge(event.target.data());
});
cy.on("tap", event => { if (event.target === cy) { clearFocus(); cy.nodes().removeClass("match"); intro(); } });
legend();
intro();
cy.fit(undefined, 20);
// A link to the page can name a search: page.html#q=Tsikhanovsky selects the first match.
if (location.hash.startsWith("#q=")) {
  input.value = decodeURIComponent(location.hash.slice(3));
  const found = search(input.value);
  if (found.length) select(found[0][0].id);
}
"""
