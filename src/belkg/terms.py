"""RDF terms as plain values shared by every engine and result format.

Both query engines (pyoxigraph and rdflib) convert their terms to these, so results
format the same whichever engine produced them, and the fast path needs no rdflib.
"""

from __future__ import annotations

import re

from belkg.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class Term(NamedTuple):
    """An IRI (kind "uri"), blank node ("bnode") or literal ("literal"), named as in the
    W3C SPARQL JSON results format. A simple literal has no datatype (xsd:string is
    implied); a language-tagged one has a language and no datatype."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    @staticmethod
    def iri(value: str) -> Term:
        return Term("uri", value)

    @staticmethod
    def literal(value: str, datatype: str | None = None, language: str | None = None) -> Term:
        if datatype in (XSD_STRING, RDF_LANG_STRING):
            datatype = None
        return Term("literal", value, datatype, language.lower() if language else None)

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax, escaped so it cannot break out of itself."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        pieces: list[str] = []
        for char in self.value:
            if char in "uU" and pieces and pieces[-1] == "\\\\":
                # rdflib expands \uXXXX anywhere in a query, even after an escaped backslash
                pieces.append(f"\\U{ord(char):08X}")
            else:
                pieces.append(_ESCAPES.get(char, char))
        text = '"' + "".join(pieces) + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text


def to_rdflib(term: Term) -> Any:
    """The term as an rdflib URIRef, BNode or Literal (rdflib is imported only here)."""
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    datatype = URIRef(term.datatype) if term.datatype else None
    return Literal(term.value, lang=term.language, datatype=datatype)


def is_valid_iri(value: str) -> bool:
    """An absolute IRI without characters that IRIs forbid."""
    return bool(_SCHEME.match(value)) and not _IRI_FORBIDDEN.search(value)
