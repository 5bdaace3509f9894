"""The pages: each a template and the values it shows, gathered by the same library
calls the CLI makes (saved queries, entity cards, conflicts, the timeline, viz)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from belkg.binding import apply_bindings
from belkg.build.cache import CacheEntry
from belkg.catalogue import SavedQuery, find_saved_query, load_catalogue
from belkg.conflicts import Conflict, keep, kept_file, read_kept
from belkg.engines import Engine, QueryResult
from belkg.errors import BelkgError
from belkg.predeclared import listing
from belkg.prefixes import BK, BKD, PREFIXES, shorten
from belkg.project import Project
from belkg.querying import labels_for, prepare, run
from belkg.results import GRAPH_FORMATS
from belkg.terms import Term, is_valid_iri
from belkg.views.viz import MOST_DRAWN
from belkg.web.passages import Citation, mark

# Rows a result page shows at once; the downloads hold every row.
ROWS_PER_PAGE = 200
# Claims (or documents) an entity page shows of each kind, a page at a time: the query
# entity-page.rq (entity-card's rows, each kind cut at this many). A thing that a big graph
# names in thousands of claims would otherwise take seconds and make a page of megabytes.
CLAIMS_PER_CUT = 100  # as datasette's default page size
# Quotes an entity page shows of one fact (an identity judgement of a big graph cites
# one passage of each of hundreds of documents); the rest are counted.
QUOTES_PER_FACT = 50
# Conflicts an entity page lists (at 100k triples a thing had thousands, megabytes of
# page); the rest are on /conflicts?about=IRI, a page at a time.
CONFLICTS_PER_THING = 50
# The kinds of claims entity-page.rq cuts, and the section each is shown in.
CUTS = {"role": "role", "participation": "event", "sentence": "event", "quote": "quote",
        "other": "other claims naming it", "identity": "identity",
        "documents": "documents it wrote or published"}  # fmt: skip
DOWNLOAD_FORMATS = {
    "select": ("json", "xml", "csv", "tsv"),
    "ask": ("json", "xml", "csv", "tsv"),
    "graph": GRAPH_FORMATS,
}
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in sorted(PREFIXES.items()))


class NotFound(BelkgError):
    """A page that does not exist: HTTP 404."""


class StoryNotReady(BelkgError):
    """A picture asked for while the server prepares the story view, or after it failed: HTTP 503."""


# The pages' own queries about one IRI, bound as ?iri (see `about`).
_KIND_OF = PROLOGUE + (
    "SELECT ?seed ?label WHERE { OPTIONAL { ?iri bk:seedFile ?seed } OPTIONAL { ?iri skos:prefLabel ?label } } LIMIT 1"
)
_STATEMENTS = PROLOGUE + (
    "SELECT ?claim ?property ?value WHERE { GRAPH ?iri { ?claim prov:wasDerivedFrom ?evidence ; ?property ?value . "
    "FILTER (?property NOT IN (prov:wasDerivedFrom, rdf:type)) } } ORDER BY ?claim ?property ?value"
)
_DESCRIBE = (
    "SELECT ?graph ?property ?value ?direction WHERE { "
    '{ GRAPH ?graph { ?iri ?property ?value } BIND ("out" AS ?direction) } '
    'UNION { GRAPH ?graph { ?value ?property ?iri } BIND ("in" AS ?direction) } } '
    "ORDER BY ?direction ?graph ?property ?value"
)


@dataclass
class Page:
    """A page to render: its template, its title and what it shows."""

    template: str
    title: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """A SELECT result as the page shows it: columns, rows of terms, labels, and the
    slice of rows shown."""

    variables: list[str]
    rows: list[dict[str, Term]]
    labels: dict[str, str]
    total: int
    first: int = 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows)


def about(engine: Engine, template: str, iri: str) -> QueryResult:
    """One of the pages' own queries about one IRI, the IRI given as ?iri by a VALUES
    block (belkg.binding), so that the gate's verdict on the template holds for every IRI:
    the template is parsed once, not once for each page (about 0.1 s a text)."""
    if not is_valid_iri(iri):
        raise NotFound(f"nothing in the graph is called {iri!r}")
    text = apply_bindings(template, {"iri": Term.iri(iri)})
    engine.gate.vouch(text, template)
    return engine.run(text)


@cache
def _entity_page_query() -> str:
    return (resources.files("belkg.web") / "queries" / "entity-page.rq").read_text(encoding="utf-8")


def _slug(iri: str) -> str:
    return iri[len(BKD) :] if iri.startswith(BKD) else iri


def _value(row: dict[str, Term], name: str) -> str:
    term = row.get(name)
    return term.value if term is not None else ""


class Pages:
    """Every page of the site over one engine and project."""

    def __init__(
        self,
        engine: Engine,
        project: Project,
        entry: CacheEntry | None = None,
        header_cache: Path | None = None,
        *,
        pictures: bool = True,
        views: Path | None = None,
    ) -> None:
        """`views`: a folder where lists computed from a build (the conflicts) are kept
        between runs, under the build's key and the query's text."""
        self.engine = engine
        self.project = project
        self.entry = entry
        self.headers = header_cache
        self.pictures = pictures
        self.views = views
        self._story: Any = None
        self._conflicts: list[Conflict] | None = None
        # "lazy": found when first needed (a static site, the tests); a server finds them
        # in the background instead, and sets "pending" until they are "known" or "failed".
        self.conflict_state = "lazy"
        self.conflict_trouble = ""  # why finding them failed
        self.story_state = "lazy"  # the same, for the story view the pictures are drawn from
        self.story_trouble = ""
        self._conflicts_by: dict[str, list[int]] | None = None  # subject or claim: positions in the list
        self._drawn: dict[str, bytes] = {}  # pictures and picture pages: the build does not change

    def conflict_list(self) -> list[Conflict]:
        """Where the sources disagree (the saved query conflicts), found once."""
        if self._conflicts is None and not self.read_kept_conflicts():
            self.conflicts_found(self.find_conflicts())
        assert self._conflicts is not None
        return self._conflicts

    def read_kept_conflicts(self) -> bool:
        """Take the conflicts an earlier run kept for this build, if there are any."""
        kept = self._kept_conflicts_file()
        found = None if kept is None else read_kept(kept)
        if found is None:
            return False
        self.conflicts_found(found)
        return True

    def find_conflicts(self) -> list[Conflict]:
        """Run the saved query conflicts, and keep its answer beside the build for the
        next start (a server runs this in a child process, under its time limit)."""
        from belkg.conflicts import find_conflicts

        found = find_conflicts(self.engine, self.project, self.headers)
        kept = self._kept_conflicts_file()
        if kept is not None:
            keep(kept, found)
        return found

    def conflicts_found(self, conflicts: list[Conflict]) -> None:
        """Take the conflicts, and index them by subject and claim (once, here: a server's
        children would otherwise each index them again)."""
        index: dict[str, list[int]] = {}
        for position, conflict in enumerate(conflicts):
            for key in {conflict.subject, conflict.claim_a, conflict.claim_b}:
                index.setdefault(key, []).append(position)
        self._conflicts_by = index
        self._conflicts = conflicts
        self.conflict_state = "known"

    def conflicts_failed(self, reason: str) -> None:
        self.conflict_trouble = reason
        self.conflict_state = "failed"

    def known_conflicts(self) -> list[Conflict] | None:
        """The conflicts, or None while a server is still finding them (or failed to)."""
        if self.conflict_state == "lazy":
            return self.conflict_list()
        return self._conflicts if self.conflict_state == "known" else None

    def _kept_conflicts_file(self) -> Path | None:
        """Where the conflicts are kept for this build: the file the command line's stats,
        entity cards and timeline read too (belkg.conflicts.kept_file)."""
        if self.views is None or self.entry is None:
            return None
        return kept_file(self.engine, self.project, self.entry, self.views, self.headers)

    def conflicts_about(self, iri: str, claims: set[str]) -> list[Conflict] | None:
        """The conflicts about a thing (as belkg.conflicts.concerning finds them), by
        lookups in an index of the list made once, in the list's order; None while they
        are not known."""
        conflicts = self.known_conflicts()
        by = self._conflicts_by
        if conflicts is None or by is None:
            return None
        found = set(by.get(iri, ()))
        for claim in claims:
            found.update(by.get(claim, ()))
        return [conflicts[position] for position in sorted(found)]

    def warm(self) -> None:
        """Import what the pages import, once, in this process: a server renders each page
        in a child process, which would otherwise import them again for every page."""
        import belkg.conflicts
        import belkg.coverage
        import belkg.entity
        import belkg.views.network  # noqa: F401
        from belkg.safety import analyse

        analyse("ASK {}")  # the gate's parser (rdflib's grammar), for texts it has not seen
        for name in ("entity-card", "claims-by-source", "documents"):  # the verdicts the pages take
            query = self.saved(name)
            self.engine.gate.vouch(prepare(query, {}), query.text, name)
        template = _entity_page_query()
        self.engine.gate.vouch(apply_bindings(template, {"iri": Term.iri(BKD)}), template)
        if self.pictures:  # the pictures are drawn in the server's threads: import once, first
            from belkg.views.viz import load_renderer

            load_renderer("svg")  # networkx and matplotlib: what the HTML view needs too

    def story(self) -> Any:
        """The story view (who took part in what), computed once; a server finds it in the
        background instead (StoryNotReady until then)."""
        if self._story is None:
            if self.story_state != "lazy":
                raise StoryNotReady(self.story_trouble or "the picture of the graph is still being prepared")
            self._story = self.story_view()
        return self._story

    def settle(self) -> None:
        """Find now, in this process, what a server would still be finding (or failed to
        find) in the background: the conflicts and the story view."""
        self.conflict_list()
        if self._story is None:
            self.story_found(self.story_view())

    def story_view(self) -> Any:
        from belkg.views.network import story_view

        return story_view(self.engine)

    def story_found(self, story: Any) -> None:
        self._story = story
        self.story_state = "known"

    def story_failed(self, reason: str) -> None:
        self.story_trouble = f"preparing the picture of the graph failed: {reason}"
        self.story_state = "failed"

    # -- helpers ---------------------------------------------------------------------

    def saved(self, name: str) -> SavedQuery:
        return find_saved_query(self.project.queries_dir, name, cache_dir=self.headers)

    def rows(self, name: str, **params: str) -> list[dict[str, Term]]:
        return run(self.engine, self.saved(name), params).rows

    def table(self, result: QueryResult, page: int = 1) -> Table:
        first = max(page - 1, 0) * ROWS_PER_PAGE
        shown = result.rows[first : first + ROWS_PER_PAGE]
        sliced = QueryResult("select", result.variables, shown)
        return Table(result.variables, shown, labels_for(self.engine, sliced), len(result.rows), first)

    def documents(self) -> list[dict[str, Term]]:
        return self.rows("documents")

    # -- pages -----------------------------------------------------------------------

    def home(self) -> Page:
        from belkg.stats import collect

        report = collect(self.engine)
        built = ""
        if self.entry is not None:
            stamp = (self.entry.folder / "manifest.json").stat().st_mtime
            built = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        claims = sum(count for _, count in report.get("claims per source", []))
        things = sum(count for _, count in report.get("things per class", []))
        triples = sum(count for _, count in report.get("triples per graph", []))
        counts = [("documents", len(self.documents())), ("things", things), ("claims", claims), ("triples", triples)]
        return Page(
            "home.html",
            "belkg: Belarus's political prisoners, from the sources' own words",
            {"documents": self.documents(), "counts": counts, "built": built, "report": report},
        )

    def search(self, spelling: str) -> Page:
        from belkg.entity import find

        spelling = spelling.strip()
        matches = find(self.engine, self.project, spelling, self.headers) if spelling else []
        return Page("search.html", f"Search: {spelling}" if spelling else "Search", {"q": spelling, "matches": matches})

    def names(self) -> Page:
        """Every spelling of every thing: the static site's search."""
        text = (
            PROLOGUE + "SELECT ?thing ?label ?prefLabel WHERE { ?thing skos:prefLabel ?prefLabel . "
            "{ ?thing skos:prefLabel ?label } UNION { ?thing skos:altLabel ?label } } "
            "ORDER BY LCASE(STR(?label)) ?thing"
        )
        rows = self.engine.run(text).rows
        return Page("names.html", "Every name, in every spelling", {"rows": rows})

    def queries(self) -> Page:
        catalogue = load_catalogue(self.project.queries_dir)
        return Page("queries.html", "Saved queries", {"queries": catalogue})

    def query(self, name: str, given: dict[str, str], page: int = 1) -> Page:
        try:
            query = self.saved(name)
        except BelkgError as error:
            raise NotFound(error.message) from None
        values = {param.name: given.get(param.name, param.default or "") for param in query.params}
        bound = {key: value for key, value in values.items() if value}
        result = run(self.engine, query, bound)
        shown: dict[str, Any] = {"query": query, "values": values, "bound": bound, **self.answer(result, page)}
        shown["formats"] = DOWNLOAD_FORMATS[result.kind]
        return Page("query.html", f"{name}: {query.summary}", shown)

    def answer(self, result: QueryResult, page: int) -> dict[str, Any]:
        """What a results page shows of an answer: a table page, a yes/no, or triples."""
        if result.kind == "select":
            return {"kind": result.kind, "table": self.table(result, page)}
        if result.kind == "ask":
            return {"kind": result.kind, "boolean": result.boolean}
        return {"kind": result.kind, "triples": result.triples[:ROWS_PER_PAGE], "total": len(result.triples)}

    def editor(self, text: str | None, page: int = 1) -> Page:
        examples = load_catalogue(self.project.queries_dir)
        shown: dict[str, Any] = {"text": text, "examples": examples, "prologue": listing("sparql")}
        if text:
            # The gate adds the predeclared prefixes the text uses, and its errors point
            # into the text as the user wrote it.
            shown.update(self.answer(self.engine.run(text, "query"), page))
        else:
            text = ""
        return Page("editor.html", "Query editor", shown)

    def kind_of(self, iri: str) -> str:
        """ "document", "thing" (labelled), "term" or "other"."""
        rows = about(self.engine, _KIND_OF, iri).rows
        if rows and "seed" in rows[0]:
            return "document"
        if rows and "label" in rows[0]:
            return "thing"
        return "other"

    def thing(self, slug: str, cut: str = "", page: int = 1) -> Page:
        iri = BKD + slug
        kind = self.kind_of(iri)
        if kind == "document":
            return self.document(iri)
        if kind == "thing":
            return self.entity(iri, cut, page)
        return self.describe(iri)

    def facts(self, iri: str, page: int = 1) -> QueryResult:
        """entity-card's rows for a thing, each kind of claim cut at CLAIMS_PER_CUT (the
        given page of each)."""
        template = _entity_page_query()
        if page > 1:
            template = template.replace("OFFSET 0 }", f"OFFSET {(page - 1) * CLAIMS_PER_CUT} }}")
        text = apply_bindings(template, {"iri": Term.iri(iri)})
        self.engine.gate.vouch(text, template)
        return self.engine.run(text)

    def entity(self, iri: str, cut: str = "", page: int = 1) -> Page:
        """A thing's page: its facts by section, at most CLAIMS_PER_CUT claims of each kind,
        each kind cut linked to its next page; with `cut`, that kind's page `page` alone."""
        from belkg.entity import claims_of, resolve

        if cut and cut not in CUTS:
            raise BelkgError(f"no part {cut!r} of an entity page: one of {', '.join(CUTS)}")
        match = resolve(self.engine, self.project, iri, self.headers)
        result = self.facts(iri, page if cut else 1)
        if cut:
            result = QueryResult("select", result.variables, [r for r in result.rows if _value(r, "cut") == cut])
        shown: dict[str, set[str]] = {}
        for row in result.rows:
            shown.setdefault(_value(row, "cut"), set()).add(_value(row, "claim") or _value(row, "value"))
        more: dict[str, list[str]] = {}  # section: the cuts whose next page may hold more
        for name, items in shown.items():
            if name and len(items) >= CLAIMS_PER_CUT:
                more.setdefault(CUTS[name], []).append(name)
        labels = labels_for(self.engine, result)
        known = self.conflicts_about(iri, claims_of(result))
        conflicts = known or []
        disputed = {c.claim_a for c in conflicts} | {c.claim_b for c in conflicts}
        sections: list[tuple[str, list[dict[str, Any]]]] = []
        for row in result.rows:
            name = _value(row, "section")
            if not sections or sections[-1][0] != name:
                sections.append((name, []))
            facts = sections[-1][1]
            how = _value(row, "contextLabel") or (
                labels.get(_value(row, "property"), shorten(_value(row, "property"))) if "property" in row else ""
            )
            value = row.get("value")
            fact: dict[str, Any] = {
                "how": how,
                "value": value,
                "valueLabel": _value(row, "valueLabel"),
                "qualifier": _value(row, "qualifier"),
                "source": row.get("source"),
                "quote": " ".join(_value(row, "quote").split()),
                "claim": row.get("claim"),
                "disputed": bool(_value(row, "claim")) and _value(row, "claim") in disputed,
            }
            key = (fact["how"], value, fact["valueLabel"], fact["qualifier"])
            if facts and facts[-1]["key"] == key:
                citation = (fact["quote"], fact["source"])
                if fact["quote"] and citation not in facts[-1]["cited"]:
                    facts[-1]["cited"].add(citation)
                    facts[-1]["citations"].append(citation)
                facts[-1]["disputed"] = facts[-1]["disputed"] or fact["disputed"]
                continue
            fact["key"] = key
            fact["citations"] = [(fact["quote"], fact["source"])] if fact["quote"] else []
            fact["cited"] = set(fact["citations"])
            facts.append(fact)
        title = match.label if not cut else f"{match.label}: {CUTS[cut]}, page {page}"
        return Page(
            "entity.html",
            title,
            {"match": match, "iri": iri, "slug": _slug(iri), "sections": sections, "more": more, "labels": labels,
             "cut": cut, "page": page, "per_cut": CLAIMS_PER_CUT, "per_fact": QUOTES_PER_FACT,
             "conflicts": [] if cut else conflicts[:CONFLICTS_PER_THING], "conflict_count": len(conflicts),
             "conflict_check": self.conflict_check(), "picture": not cut and self.pictures and self._pictured(iri),
             "picture_note": "" if cut or not self.pictures else self.picture_note(iri)},
        )  # fmt: skip

    def picture_note(self, iri: str) -> str:
        """What an entity page says when it has no picture, and why."""
        if self._story is not None or self.story_state == "lazy":
            graph = self.story()
            if iri in graph and (size := self._neighbours(iri)) >= MOST_DRAWN:
                return f"No picture of its neighbourhood: {size} things, too many to draw legibly."
            return ""
        if self.story_state == "pending":
            return "The picture of its neighbourhood is still being prepared."
        return f"No picture of its neighbourhood: {self.story_trouble}."

    def has_story(self) -> bool:
        return self._story is not None

    def _pictured(self, iri: str) -> bool:
        """Whether the thing has a picture: it is in the story view (not known while a
        server prepares it) and its neighbourhood is small enough to draw legibly."""
        if self._story is None and self.story_state != "lazy":
            return False
        return iri in self.story() and self._neighbours(iri) < MOST_DRAWN

    def _neighbours(self, iri: str) -> int:
        graph = self.story()
        return len(set(graph.successors(iri)) | set(graph.predecessors(iri)) | {iri})

    def neighbourhood(self, slug: str) -> bytes:
        """The entity's neighbourhood in the story view, as SVG."""
        from belkg.views.network import focus
        from belkg.views.viz import render

        iri = BKD + slug
        graph = self.story()
        if iri not in graph:
            raise NotFound(f"{shorten(iri)} is not in the story view")
        if iri not in self._drawn:
            self._drawn[iri] = render(focus(graph, iri, 1), "svg")
        return self._drawn[iri]

    def document(self, iri: str) -> Page:
        from belkg.coverage import read_skip_list

        facts = self.rows("documents", document=iri)
        if not facts:
            raise NotFound(f"{shorten(iri)} is not a document of the graph")
        seed_name = _value(facts[0], "seedFile")
        path = self.project.seeds_dir / seed_name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", f"seeds/{seed_name}") from None
        cited = self.rows("claims-by-source", source=iri)
        citations = [
            Citation(row["claim"].value, int(row["start"].value), int(row["end"].value))
            for row in cited
            if "start" in row and "end" in row
        ]
        stem = Path(seed_name).stem
        skips = {e.text: e.reason for e in read_skip_list(self.project.skip_list_file, "kg/coverage-skip.txt")
                 if e.seed == stem}  # fmt: skip
        marked = mark(text, citations, skips)
        statements, statement_labels = self.statements(iri)
        kinds: dict[str, str] = {}
        for row in cited:
            kinds[row["claim"].value] = _value(row, "kindLabel") or shorten(_value(row, "kind"))
        quotes: dict[str, list[str]] = {}
        for row in cited:
            quote = " ".join(_value(row, "quote").split())
            if quote not in quotes.setdefault(row["claim"].value, []):
                quotes[row["claim"].value].append(quote)
        counted: dict[str, int] = {}
        for kind in kinds.values():
            counted[kind] = counted.get(kind, 0) + 1
        status = {name: sum(1 for p in marked.pieces if p.status == name) for name in ("uncited", "skipped")}
        return Page(
            "document.html",
            _value(facts[0], "title") or shorten(iri),
            {"iri": iri, "facts": facts[0], "marked": marked, "kinds": kinds, "quotes": quotes,
             "statements": statements, "statement_labels": statement_labels,
             "claim_counts": sorted(counted.items()), "status": status,
             "labels": labels_for(self.engine, QueryResult("select", ["document"], facts))},
        )  # fmt: skip

    def statements(self, document: str) -> tuple[dict[str, list[tuple[Term, Term]]], dict[str, str]]:
        """What each claim of a document states (other than its evidence), with labels."""
        result = about(self.engine, _STATEMENTS, document)
        labels = labels_for(self.engine, result)
        found: dict[str, list[tuple[Term, Term]]] = {}
        for row in result.rows:
            found.setdefault(row["claim"].value, []).append((row["property"], row["value"]))
        return found, labels

    def describe(self, iri: str) -> Page:
        """Any other IRI of the graph (a claim, an evidence node): its statements, both ways."""
        result = about(self.engine, _DESCRIBE, iri)
        if not result.rows:
            raise NotFound(f"nothing in the graph is called {shorten(iri)}")
        return Page(
            "describe.html",
            shorten(iri),
            {"iri": iri, "rows": result.rows, "labels": labels_for(self.engine, result)},
        )

    def conflict_check(self) -> str:
        """What a page says of the conflicts while they are not known: "" once they are."""
        if self.conflict_state == "pending":
            return "The check for conflicting claims is still running: no claim is marked as disputed yet."
        if self.conflict_state == "failed":
            return f"The check for conflicting claims failed ({self.conflict_trouble}): no claim is marked as disputed."
        return ""

    def conflicts(self, page: int | None = 1, about: str = "") -> Page:
        """The conflicts, a page of rows at a time (None: every one, for a static site);
        with `about`, those whose subject is that IRI."""
        conflicts = self.known_conflicts()
        if conflicts is None:
            raise BelkgError(self.conflict_check())
        if about:
            positions = (self._conflicts_by or {}).get(about, [])
            conflicts = [conflicts[i] for i in positions if conflicts[i].subject == about]
        first, shown, previous, following = 0, conflicts, 0, 0
        if page is not None:
            first = (page - 1) * ROWS_PER_PAGE
            shown = conflicts[first : first + ROWS_PER_PAGE]
            previous = page - 1 if page > 1 else 0
            following = page + 1 if first + ROWS_PER_PAGE < len(conflicts) else 0
        also = {"about": about} if about else {}
        values = {"conflicts": shown, "total": len(conflicts), "first": first,
                  "previous": {"page": str(previous), **also} if previous else None,
                  "next": {"page": str(following), **also} if following else None}  # fmt: skip
        title = f"Where the sources disagree about {shorten(about)}" if about else "Where the sources disagree"
        return Page("conflicts.html", title, values)

    def timeline_events(self) -> Any:
        """The timeline's events, marked with the conflicts the pages know (found again
        only while they are not known)."""
        from belkg.views.timeline import collect

        return collect(self.engine, self.project, self.headers, self.known_conflicts())

    def has_timeline(self) -> bool:
        return "timeline" in self._drawn

    def timeline_page(self, events: Any = None) -> bytes:
        """The timeline page (drawn once, from the given events or the graph's)."""
        from belkg.views.timeline import write_page

        if "timeline" not in self._drawn:
            self._drawn["timeline"] = write_page(events if events is not None else self.timeline_events())
        return self._drawn["timeline"]

    def graph_page(self) -> bytes:
        from belkg.views.viz import render

        if "graph" not in self._drawn:
            self._drawn["graph"] = render(self.story(), "html")
        return self._drawn["graph"]

    def ontology(self) -> Page:
        text = (
            PROLOGUE
            + "SELECT ?term ?kind ?label ?comment ?parent WHERE { GRAPH <https://w3id.org/belkg/graph/ontology> "
            "{ ?term a ?kind . OPTIONAL { ?term rdfs:label ?label } OPTIONAL { ?term rdfs:comment ?comment } "
            "OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf ?parent } "
            f'FILTER (STRSTARTS(STR(?term), "{BK}")) FILTER (?kind IN (owl:Class, owl:ObjectProperty, '
            "owl:DatatypeProperty, owl:NamedIndividual, rdf:Property)) } } ORDER BY ?kind ?term ?parent"
        )
        result = self.engine.run(text)
        terms: dict[str, dict[str, Any]] = {}
        for row in result.rows:
            iri = row["term"].value
            entry = terms.setdefault(
                iri, {"iri": iri, "local": iri[len(BK) :], "kind": shorten(row["kind"].value), "parents": []}
            )
            entry["label"] = _value(row, "label")
            entry["comment"] = _value(row, "comment")
            if "parent" in row and row["parent"] not in entry["parents"]:
                entry["parents"].append(row["parent"])
        return Page("ontology.html", "The belkg ontology", {"terms": list(terms.values())})
