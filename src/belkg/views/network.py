"""The graph as networkx views: the story view, the raw triple graph, the neighbourhood of
one thing, the result of a CONSTRUCT query, and network measures.

The story view
--------------
Nodes are the things of the register (kg/entities.ttl) that a claim links to another
thing: people, groups, organisations, countries, places, awards and events. Node
attributes: `label` (skos:prefLabel), `kind` (person, group, organisation, country,
place, award, event, agent), `class` (the register's class IRI), `class_label`,
`aliases` (the skos:altLabels) and, for events, `dates` (ISO strings of the dates the
documents give).

Edges come from the claims, by the rules in RULES:

| claim | edge | role |
|---|---|---|
| participation | participant -> event | the claim's bk:role (negotiator, released, not released...) |
| role | holder -> roleIn (only with one) | "holds office"; detail: the role name |
| nationality | national -> country | "citizen of" |
| quotation | speaker -> occasion (else -> about) | "said" ("spoke about"); detail: the words |
| relationship | agent -> related agent | the claim's bk:relation (spouse of, ally of...) |
| event relation | from event -> to event | the claim's bk:relation (in return for, after...) |
| demand | demander -> demanded event; addressee -> demanded event | "demanded"; "called on" |
| award | laureate -> award | "laureate of"; detail: the year |
| location | event -> place; located agent -> place | "took place in"; "located in" |
| sentence | convict -> sentencing | "sentenced"; detail: the term |

Count, date and assessment claims draw no edge (dates become the events' `dates`).
Claims, evidence and documents are folded away: a document appears only as a source on
the edges its claims make.

One edge per (start, role, end, modality): the same statement made by several claims (by
one document or several) is one edge carrying all of them. Edge attributes: `role` (the
label), `role_iri` (the role or relation concept; for the fixed roles, the claim property
that gives the edge its meaning, such as bk:roleIn or bk:citizenOf), `claim_kind` (the
claim class IRI), `claims`, `sources` (document IRIs), `quotes`, `evidence` (one
{claim, source, quote, hedge} per quote), `hedge` (the hedges of its claims, comma
separated; empty when none is hedged), `modality` (planned, demanded...; empty for what
happened: such claims are kept, as edges of their own, and drawn dashed) and `detail`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from belkg.engines import Engine, QueryResult, RdflibEngine
from belkg.errors import BelkgError
from belkg.prefixes import BK, BKD, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, shorten
from belkg.terms import Term

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

    from belkg.project import Project

    NetworkGraph = nx.MultiDiGraph[str]

_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())

# The kinds of node, most specific first (a country is also a place and an agent).
KINDS: tuple[tuple[str, str], ...] = (
    ("person", BK + "Person"),
    ("group", BK + "PersonGroup"),
    ("organisation", BK + "Organisation"),
    ("country", BK + "Country"),
    ("place", BK + "Place"),
    ("award", BK + "Award"),
    ("event", BK + "Event"),
    ("agent", BK + "Agent"),
)


@dataclass(frozen=True)
class EdgeRule:
    """How one kind of claim becomes an edge: the claim property naming the edge's start,
    the one naming its end, and its role: a fixed label (with the IRI that gives it its
    meaning), or the label of the concept that the `concept` property names."""

    kind: str
    start: str
    end: str
    role: str | None = None
    role_iri: str | None = None
    concept: str | None = None
    detail: str | None = None
    unless: str | None = None  # no edge when the claim has this property


RULES: tuple[EdgeRule, ...] = (
    EdgeRule("ParticipationClaim", "participant", "event", concept="role"),
    EdgeRule("RoleClaim", "holder", "roleIn", "holds office", "roleIn", detail="roleName"),
    EdgeRule("NationalityClaim", "national", "country", "citizen of", "citizenOf"),
    EdgeRule("QuotationClaim", "speaker", "occasion", "said", "occasion", detail="words"),
    EdgeRule("QuotationClaim", "speaker", "about", "spoke about", "about", detail="words", unless="occasion"),
    EdgeRule("RelationshipClaim", "agent", "relatedAgent", concept="relation"),
    EdgeRule("EventRelationClaim", "fromEvent", "toEvent", concept="relation", detail="gapPhrase"),
    EdgeRule("DemandClaim", "demander", "demandedEvent", "demanded", "demander", detail="demand"),
    EdgeRule("DemandClaim", "addressee", "demandedEvent", "called on", "addressee", detail="demand"),
    EdgeRule("AwardClaim", "laureate", "award", "laureate of", "laureate", detail="awardYear"),
    EdgeRule("LocationClaim", "event", "place", "took place in", "place"),
    EdgeRule("LocationClaim", "locatedAgent", "place", "located in", "locatedAgent"),
    EdgeRule("SentenceClaim", "convict", "event", "sentenced", "convict", detail="term"),
)

STORY_CLAIM_KINDS: tuple[str, ...] = tuple(dict.fromkeys(BK + rule.kind for rule in RULES))

_DATE_PROPERTIES = ("time:inXSDDate", "time:inXSDgYearMonth", "time:inXSDgYear", "time:inXSDDateTime")


class DatasetEngine(RdflibEngine):
    """The rdflib engine over a Dataset already in memory (such as a Build's)."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self.inference = True
        self.gate = self.gate_for(dataset)


def as_engine(source: Engine | Dataset) -> Engine:
    """An engine for a query engine or an rdflib Dataset."""
    if hasattr(source, "run"):  # checked so, the fast path needs no rdflib import
        return cast("Engine", source)
    return DatasetEngine(source)


def _select(engine: Engine, text: str) -> list[dict[str, Term]]:
    result: QueryResult = engine.run(_PROLOGUE + text)
    return result.rows


# ---------------------------------------------------------------------------------------
# What the views share: the register, the ontology's labels, the documents
# ---------------------------------------------------------------------------------------


@dataclass
class Register:
    """The things of the register with their labels, classes and kinds; the labels of
    the ontology's terms; the source documents."""

    labels: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    term_labels: dict[str, str] = field(default_factory=dict)
    documents: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or self.term_labels.get(iri) or shorten(iri)


def read_register(engine: Engine) -> Register:
    register = Register()
    for row in _select(
        engine,
        f"SELECT ?thing ?class ?label WHERE {{ GRAPH <{ENTITIES_GRAPH}> "
        "{ ?thing a ?class ; skos:prefLabel ?label } }",
    ):
        thing = row["thing"].value
        register.labels[thing] = row["label"].value
        register.classes[thing] = row["class"].value
    for row in _select(
        engine,
        f"SELECT ?thing ?alias WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?thing skos:altLabel ?alias }} }} "
        "ORDER BY ?thing ?alias",
    ):
        register.aliases[row["thing"].value].append(row["alias"].value)
    tops = " ".join(f"<{iri}>" for _, iri in KINDS)
    rank = {iri: (index, kind) for index, (kind, iri) in enumerate(KINDS)}
    best: dict[str, tuple[int, str]] = {}
    for row in _select(
        engine,
        f"SELECT ?class ?top WHERE {{ VALUES ?top {{ {tops} }} "
        f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf* ?top }} }}",
    ):
        candidate = rank[row["top"].value]
        current = best.get(row["class"].value)
        if current is None or candidate < current:
            best[row["class"].value] = candidate
    for thing, class_iri in register.classes.items():
        register.kinds[thing] = best[class_iri][1] if class_iri in best else "other"
    for row in _select(
        engine,
        f"SELECT ?term ?label WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?term rdfs:label ?label }} "
        'FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }',
    ):
        register.term_labels[row["term"].value] = row["label"].value
    for row in _select(
        engine,
        "SELECT ?document ?title ?url ?issued WHERE { GRAPH ?document { ?document a ?class ; dcterms:title ?title . "
        "OPTIONAL { ?document schema:url ?url } OPTIONAL { ?document dcterms:issued ?issued } } "
        "?class rdfs:subClassOf* bk:SourceDocument }",
    ):
        register.documents[row["document"].value] = {
            name: row[name].value for name in ("title", "url", "issued") if name in row
        }
    return register


# ---------------------------------------------------------------------------------------
# The story view
# ---------------------------------------------------------------------------------------


@dataclass
class _Claim:
    iri: str
    kind: str
    values: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    evidence: list[tuple[str, str]] = field(default_factory=list)

    def first(self, local: str) -> Term | None:
        found = self.values.get(BK + local)
        return found[0] if found else None

    def all(self, local: str) -> list[Term]:
        return list(self.values.get(BK + local, []))


def _read_claims(engine: Engine) -> dict[str, _Claim]:
    kinds = " ".join(f"<{iri}>" for iri in STORY_CLAIM_KINDS)
    claims: dict[str, _Claim] = {}
    for row in _select(
        engine,
        f"SELECT ?claim ?kind ?property ?value WHERE {{ VALUES ?kind {{ {kinds} }} "
        "GRAPH ?document { ?claim a ?kind ; ?property ?value } "
        "FILTER (?property != rdf:type && ?property != prov:wasDerivedFrom) } "
        "ORDER BY ?claim ?property ?value",
    ):
        iri = row["claim"].value
        claim = claims.setdefault(iri, _Claim(iri, row["kind"].value))
        claim.values[row["property"].value].append(row["value"])
    for row in _select(
        engine,
        f"SELECT ?claim ?source ?quote WHERE {{ VALUES ?kind {{ {kinds} }} "
        "GRAPH ?document { ?claim a ?kind ; prov:wasDerivedFrom ?evidence . "
        "?evidence oa:hasSource ?source ; oa:exact ?quote } } ORDER BY ?claim ?source ?quote",
    ):
        if row["claim"].value in claims:
            claims[row["claim"].value].evidence.append((row["source"].value, row["quote"].value))
    return claims


def _read_dates(engine: Engine) -> dict[str, list[str]]:
    properties = " ".join(_DATE_PROPERTIES)
    dates: dict[str, list[str]] = defaultdict(list)
    for row in _select(
        engine,
        f"SELECT DISTINCT ?event ?value WHERE {{ VALUES ?dateProperty {{ {properties} }} "
        "GRAPH ?document { ?claim a bk:DateClaim ; bk:event ?event ; bk:date ?instant . "
        "?instant ?dateProperty ?value } } ORDER BY ?event ?value",
    ):
        dates[row["event"].value].append(row["value"].value)
    return dates


def _edge_key(role_iri: str, modality: str) -> str:
    """Parallel edges differ by role and modality: "released" and "released (planned)"."""
    return f"{role_iri}|{modality}" if modality else role_iri


def story_view(source: Engine | Dataset) -> NetworkGraph:
    """The story view of the graph: things as nodes, the claims' roles as edges (see the
    module's documentation)."""
    import networkx as nx

    engine = as_engine(source)
    register = read_register(engine)
    claims = _read_claims(engine)
    dates = _read_dates(engine)
    graph: NetworkGraph = nx.MultiDiGraph(view="story", documents=register.documents)

    def add_node(iri: str) -> None:
        if iri in graph:
            return
        attributes: dict[str, Any] = {
            "label": register.label(iri),
            "kind": register.kinds.get(iri, "other"),
            "class": register.classes.get(iri, ""),
            "class_label": register.term_labels.get(register.classes.get(iri, ""), ""),
            "aliases": list(register.aliases.get(iri, [])),
        }
        if iri in dates:
            attributes["dates"] = list(dates[iri])
        graph.add_node(iri, **attributes)

    for claim in claims.values():
        for rule in RULES:
            if claim.kind != BK + rule.kind or (rule.unless and claim.first(rule.unless)):
                continue
            if rule.concept is not None:
                concept = claim.first(rule.concept)
                if concept is None:
                    continue
                role_iri, role = concept.value, register.label(concept.value)
            else:
                role_iri, role = BK + str(rule.role_iri), str(rule.role)
            modality_term = claim.first("modality")
            modality = register.label(modality_term.value) if modality_term else ""
            hedges = [register.label(term.value) for term in claim.all("hedge")]
            detail = [term.value for term in claim.all(rule.detail)] if rule.detail else []
            if rule.kind == "RoleClaim" and claim.first("former") is not None:
                detail = [f"former {text}" for text in detail]
            for start in claim.all(rule.start):
                for end in claim.all(rule.end):
                    if not (start.is_iri and end.is_iri):
                        continue
                    add_node(start.value)
                    add_node(end.value)
                    key = _edge_key(role_iri, modality)
                    if not graph.has_edge(start.value, end.value, key):
                        graph.add_edge(
                            start.value, end.value, key,
                            role=role, role_iri=role_iri, claim_kind=claim.kind, modality=modality,
                            claims=[], sources=[], quotes=[], evidence=[], hedges=[], detail=[],
                        )  # fmt: skip
                    data = graph.edges[start.value, end.value, key]
                    data["claims"].append(claim.iri)
                    data["hedges"].extend(hedges)
                    data["detail"].extend(text for text in detail if text not in data["detail"])
                    for document, quote in claim.evidence:
                        data["evidence"].append(
                            {"claim": claim.iri, "source": document, "quote": quote, "hedge": ", ".join(hedges)}
                        )
                        if document not in data["sources"]:
                            data["sources"].append(document)
                        if quote not in data["quotes"]:
                            data["quotes"].append(quote)
    for _, _, data in graph.edges(data=True):
        data["sources"].sort()
        data["hedge"] = ", ".join(sorted(set(data.pop("hedges"))))
    return graph


# ---------------------------------------------------------------------------------------
# The raw triple graph and CONSTRUCT results
# ---------------------------------------------------------------------------------------


def _node_id(term: Term) -> str:
    return term.value if term.kind == "uri" else term.n3()


def _raw_kind(term: Term, register: Register) -> str:
    if term.kind == "literal":
        return "literal"
    if term.kind == "bnode":
        return "blank node"
    if term.value in register.kinds:
        return register.kinds[term.value]
    if term.value in register.documents:
        return "document"
    if term.value.startswith(BKD + "claim-"):
        return "claim"
    if term.value.startswith(BK):
        return "ontology"
    return "resource"


def triples_view(triples: list[tuple[Term, Term, Term]], register: Register, view: str) -> NetworkGraph:
    """A graph of RDF triples: every subject and object a node (literals too, one node per
    distinct literal), every triple an edge keyed by its predicate."""
    import networkx as nx

    graph: NetworkGraph = nx.MultiDiGraph(view=view, documents=register.documents)
    for subject, predicate, object_ in triples:
        for term in (subject, object_):
            node = _node_id(term)
            if node not in graph:
                label = register.label(term.value) if term.is_iri else term.value
                graph.add_node(
                    node,
                    label=label if len(label) <= 80 else label[:79] + "…",
                    kind=_raw_kind(term, register),
                    **{"class": register.classes.get(term.value, "")},
                    class_label=register.term_labels.get(register.classes.get(term.value, ""), ""),
                    aliases=list(register.aliases.get(term.value, [])) if term.is_iri else [],
                )
        graph.add_edge(
            _node_id(subject),
            _node_id(object_),
            predicate.value,
            role=register.term_labels.get(predicate.value) or shorten(predicate.value),
            role_iri=predicate.value,
            predicate=shorten(predicate.value),
        )
    return graph


def full_view(source: Engine | Dataset) -> NetworkGraph:
    """The raw triple graph of the engine's default graph (every graph, or only the
    asserted ones for an engine without inference): every node, every predicate."""
    engine = as_engine(source)
    register = read_register(engine)
    result = engine.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    triples = [(row["s"], row["p"], row["o"]) for row in result.rows]
    return triples_view(triples, register, "full")


def construct_view(
    source: Engine | Dataset,
    project: Project,
    target: str,
    params: dict[str, str] | None = None,
    header_cache: Path | None = None,
) -> NetworkGraph:
    """The graph a saved CONSTRUCT (or DESCRIBE) query returns, by name or .rq file."""
    from belkg.querying import resolve_query, run

    engine = as_engine(source)
    query = resolve_query(project, target, None, header_cache)
    result = run(engine, query, params or {})
    if result.kind != "graph":
        raise BelkgError(f"query {query.name!r} is a {result.kind.upper()} query; --query draws a CONSTRUCT's graph")
    return triples_view(result.triples, read_register(engine), f"query {query.name}")


# ---------------------------------------------------------------------------------------
# Neighbourhoods
# ---------------------------------------------------------------------------------------


def focus(graph: NetworkGraph, node: str, depth: int = 1) -> NetworkGraph:
    """The things at most `depth` edges from `node` (either direction), with every edge
    between them."""
    import networkx as nx

    if node not in graph:
        raise BelkgError(f"{shorten(node)} is not in the {graph.graph.get('view', '')} view".replace("  ", " "))
    if depth < 0:
        raise BelkgError(f"the depth must be 0 or more, not {depth}")
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=depth)
    # Built in the view's own order: a subgraph view would list its nodes in the order of
    # a set, which changes with PYTHONHASHSEED, and so would the layout.
    cut: NetworkGraph = nx.MultiDiGraph()
    cut.graph.update(graph.graph, focus=node, depth=depth)
    cut.add_nodes_from((name, dict(data)) for name, data in graph.nodes(data=True) if name in near)
    for start, end, key, data in graph.edges(keys=True, data=True):
        if start in near and end in near:
            cut.add_edge(start, end, key, **data)
    return cut


def in_order(graph: NetworkGraph) -> NetworkGraph:
    """A copy of the view with its nodes, edges and documents sorted by IRI, so that
    everything drawn or written from it comes out the same in every run."""
    import networkx as nx

    ordered: NetworkGraph = nx.MultiDiGraph()
    ordered.graph.update(graph.graph)
    if "documents" in graph.graph:
        ordered.graph["documents"] = dict(sorted(graph.graph["documents"].items()))
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: item[0]))
    for start, end, key, data in sorted(graph.edges(keys=True, data=True), key=lambda item: item[:3]):
        ordered.add_edge(start, end, key, **data)
    return ordered


def find_node(
    engine: Engine, project: Project, graph: NetworkGraph, spelling: str, header_cache: Path | None = None
) -> str:
    """The node a spelling (any label, an IRI or bkd:slug) names; an error if it names
    nothing, several things, or a thing that is not in the view."""
    from belkg.entity import resolve

    match = resolve(engine, project, spelling, header_cache)
    if match.iri not in graph:
        view = graph.graph.get("view", "")
        raise BelkgError(f"{match.label} ({shorten(match.iri)}) is in the graph but not in the {view} view")
    return match.iri


# ---------------------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------------------


@dataclass
class NetworkMeasures:
    nodes: int
    edges: int
    components: list[int]
    density: float
    degree: list[tuple[str, str, int]]
    betweenness: list[tuple[str, str, float]]
    kinds: list[tuple[str, int]]
    roles: list[tuple[str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "connected components": len(self.components),
            "component sizes": self.components,
            "density": round(self.density, 4),
            "nodes per kind": dict(self.kinds),
            "edges per role": dict(self.roles),
            "degree": [{"node": iri, "label": label, "neighbours": value} for iri, label, value in self.degree],
            "betweenness": [
                {"node": iri, "label": label, "betweenness": round(value, 4)} for iri, label, value in self.betweenness
            ],
        }


def network_measures(graph: NetworkGraph, top: int = 10) -> NetworkMeasures:
    """Degree (distinct neighbours, either direction), betweenness centrality (on the
    undirected simple graph, normalised), weakly connected components, and counts."""
    import networkx as nx

    simple = nx.Graph(graph.to_undirected(as_view=True))
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    label = {node: str(graph.nodes[node].get("label", node)) for node in graph}
    degree = sorted(((label[n], n, int(d)) for n, d in simple.degree()), key=lambda item: (-item[2], item[0]))
    betweenness = nx.betweenness_centrality(simple) if len(simple) > 2 else dict.fromkeys(simple, 0.0)
    ranked = sorted(((label[n], n, float(v)) for n, v in betweenness.items()), key=lambda item: (-item[2], item[0]))
    components = sorted((len(c) for c in nx.connected_components(simple)), reverse=True)
    kinds = Counter(str(data.get("kind", "")) for _, data in graph.nodes(data=True))
    roles = Counter(str(data.get("role", "")) for _, _, data in graph.edges(data=True))
    return NetworkMeasures(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        components=components,
        density=nx.density(simple) if len(simple) > 1 else 0.0,
        degree=[(n, lab, d) for lab, n, d in degree[:top]],
        betweenness=[(n, lab, v) for lab, n, v in ranked[:top] if not math.isnan(v)],
        kinds=sorted(kinds.items(), key=lambda item: (-item[1], item[0])),
        roles=sorted(roles.items(), key=lambda item: (-item[1], item[0])),
    )


def format_measures(measures: NetworkMeasures) -> str:
    """The measures as text, one section per measure."""
    sizes = measures.components
    singles = sum(1 for size in sizes if size == 1)
    lines = [
        "story view:",
        f"  {measures.nodes:>7}  nodes",
        f"  {measures.edges:>7}  edges",
        f"  {len(sizes):>7}  connected components (sizes {', '.join(map(str, sizes[:8]))}"
        + (", …" if len(sizes) > 8 else "")
        + (f"; {singles} isolated" if singles else "")
        + ")",
        f"  {measures.density:>7.4f}  density",
        "nodes per kind:",
        *(f"  {count:>7}  {kind}" for kind, count in measures.kinds),
        "edges per role:",
        *(f"  {count:>7}  {role}" for role, count in measures.roles),
        "degree (distinct neighbours):",
        *(f"  {value:>7}  {label} ({shorten(iri)})" for iri, label, value in measures.degree),
        "betweenness (normalised):",
        *(f"  {value:>7.4f}  {label} ({shorten(iri)})" for iri, label, value in measures.betweenness),
    ]
    return "\n".join(lines) + "\n"
