"""Where a page lives and how one page links to another: absolute paths on the server,
relative file names in a static site (so it opens from disk)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from belkg.prefixes import BK, BKD, shorten
from belkg.terms import Term

ONTOLOGY_PATH = "ontology"


def path_of(iri: str) -> tuple[str, str] | None:
    """The page (path, fragment) of an IRI this site serves: bkd:slug is id/slug, a term
    of the ontology a fragment of its page; None for any other IRI."""
    if iri.startswith(BKD):
        slug = iri[len(BKD) :]
        if slug and "/" not in slug and "#" not in slug and "?" not in slug:
            return f"id/{slug}", ""
    if iri.startswith(BK):
        local = iri[len(BK) :]
        return ONTOLOGY_PATH, local
    return None


class Linker:
    """Links from the page at `here` (a path such as "id/john-coale", "" for home)."""

    def __init__(self, here: str = "", *, static: bool = False) -> None:
        self.here = here
        self.static = static

    def __call__(self, path: str, ext: str = "", params: dict[str, str] | None = None, fragment: str = "") -> str:
        """The href of a page (or, with ext, a download) at `path`."""
        if self.static:
            depth = self.here.count("/")
            name = path or "index"
            target = "../" * depth + quote(name) + (f".{ext}" if ext else ".html")
        else:
            target = "/" + quote(path) + (f".{ext}" if ext else "")
        if params and not self.static:
            target += "?" + urlencode(params)
        return target + (f"#{quote(fragment)}" if fragment else "")

    def asset(self, name: str) -> str:
        if self.static:
            return "../" * self.here.count("/") + "static/" + name
        return "/static/" + name

    def iri(self, iri: str, text: str | None = None) -> Markup:
        """An IRI as a link to its page here, or as text for another site's IRI."""
        # Joined, not Markup.format: an entity page may hold tens of thousands of links.
        shown = escape(text if text is not None else shorten(iri))
        place = path_of(iri)
        if place is None:
            return Markup(f'<span class="iri" title="{escape(iri)}">{shown}</span>')
        href = escape(self(place[0], fragment=place[1]))
        return Markup(f'<a href="{href}" title="{escape(iri)}">{shown}</a>')

    def term(self, term: Term | None, labels: dict[str, str] | None = None) -> Markup:
        """A result cell: an IRI linked and labelled, a literal as its text."""
        if term is None:
            return Markup("")
        if term.kind == "uri":
            label = (labels or {}).get(term.value)
            short = shorten(term.value)
            return self.iri(term.value, f"{label} ({short})" if label else short)
        if term.kind == "bnode":
            return Markup('<span class="bnode">_:{}</span>').format(term.value)
        suffix = Markup("")
        if term.language:
            suffix = Markup('<span class="lang">@{}</span>').format(term.language)
        elif term.datatype:
            suffix = Markup('<span class="datatype">^^{}</span>').format(shorten(term.datatype))
        return escape(term.value) + suffix
