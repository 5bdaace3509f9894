"""Identity judgements: where the mapping takes mentions in different documents to be one
thing, that decision is data (kg/identities.ttl), with the words of each document that make it.

No source says that 002's "release of 52 political prisoners" and 004's "52 prisoners" are
one release, or that Tsikhanovsky and Tsikhanouski are one man: the mapping does. So every
event or group named by several documents, and every thing that documents spell
differently, needs a judgement whose basis quotes come from each of those documents.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.build.grounding import Grounding, offset_literal
from belkg.build.loading import LoadedGraph
from belkg.build.locating import finding_about, short_name
from belkg.build.quotes import locate_quote
from belkg.namespaces import BK, ENTITIES_GRAPH, IDENTITIES_GRAPH, OA, PROV, RDF, SKOS
from belkg.project import Project

# Things that documents identify by description, not by name: a judgement is always needed.
_DESCRIBED_CLASSES = (BK.Event, BK.PersonGroup)
# Things that need a judgement where documents spell their names differently.
_NAMED_CLASSES = (BK.Person,)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


class _Checker:
    def __init__(self, project: Project, loaded: LoadedGraph, grounding: Grounding) -> None:
        self.project = project
        self.loaded = loaded
        self.grounding = grounding
        self.findings: list[Finding] = []
        self.register = loaded.graph(ENTITIES_GRAPH)
        self.judgements = loaded.graph(IDENTITIES_GRAPH)
        self.file = loaded.file_of(IDENTITIES_GRAPH)

    def finding(self, rule: str, message: str, node: Node, hint: str, *, file: Path | None = None) -> None:
        path = file or self.file
        graph = self.judgements if path == self.file else self.register
        self.findings.append(finding_about(self.project, path, graph, node, rule, message, hint))

    def mentions_and_spellings(self) -> tuple[dict[Node, set[URIRef]], dict[Node, dict[URIRef, set[str]]]]:
        """Which documents name each thing of the register in one of their claims; and
        the forms of its name each of them uses: the bk:spelling of an evidence that
        matches one of its labels, else its preferred label."""
        preferred = {thing: _fold(str(label)) for thing, label in self.register.subject_objects(SKOS.prefLabel)}
        labels: dict[Node, set[str]] = defaultdict(set)
        for thing, label in self.register.subject_objects(SKOS.altLabel):
            labels[thing].add(_fold(str(label)))
        named: dict[Node, set[URIRef]] = defaultdict(set)
        forms: dict[Node, dict[URIRef, set[str]]] = defaultdict(lambda: defaultdict(set))
        for document in self.loaded.seeds:
            graph = self.loaded.graph(document)
            evidences: dict[Node, list[Node]] = defaultdict(list)
            for claim, _, evidence in graph.triples((None, PROV.wasDerivedFrom, None)):
                evidences[claim].append(evidence)
            spelt: dict[Node, set[str]] = {}
            for claim, _, thing in graph.triples((None, None, None)):
                if not isinstance(thing, URIRef) or thing not in preferred or claim not in evidences:
                    continue
                named[thing].add(document)
                if claim not in spelt:
                    spelt[claim] = {
                        _fold(str(spelling))
                        for evidence in evidences[claim]
                        for spelling in graph.objects(evidence, BK.spelling)
                    }
                used = spelt[claim] & (labels[thing] | {preferred[thing]})
                forms[thing][document] |= used or {preferred[thing]}
        return named, forms

    def check_judgement(self, judgement: Node) -> tuple[Node | None, set[URIRef]]:
        """Check one judgement's basis; return the thing it identifies and the documents
        whose words it gives."""
        thing = self.judgements.value(judgement, BK.identifies)
        documents: set[URIRef] = set()
        for evidence in sorted(self.judgements.objects(judgement, BK.basis), key=str):
            source = self.judgements.value(evidence, OA.hasSource)
            exact = self.judgements.value(evidence, OA.exact)
            if not isinstance(source, URIRef) or exact is None:
                continue  # the shapes report it
            text = self.grounding.texts.get(source)
            if text is None:
                self.finding(
                    "identity",
                    f"the basis cites {short_name(source)}, which is not a document of the graph",
                    judgement,
                    "cite a document of kg/ (bkd:doc-NNN)",
                )
                continue
            occurrence = self.judgements.value(evidence, BK.occurrence)
            location = locate_quote(text, str(exact), int(str(occurrence)) if occurrence is not None else None)
            if location.span is None:
                self.finding(
                    "identity",
                    f"{location.problem} of {short_name(source)}: “{str(exact)[:80]}”",
                    judgement,
                    location.hint or "",
                )
                continue
            start, end = location.span
            self.grounding.offsets.add((evidence, OA.start, offset_literal(start)))
            self.grounding.offsets.add((evidence, OA.end, offset_literal(end)))
            documents.add(source)
        return thing, documents

    def run(self) -> list[Finding]:
        described = self.loaded.subclasses_of(*_DESCRIBED_CLASSES)
        people = self.loaded.subclasses_of(*_NAMED_CLASSES)
        named, forms = self.mentions_and_spellings()
        covered: dict[Node, set[URIRef]] = defaultdict(set)
        for judgement in sorted(self.judgements.subjects(RDF.type, BK.IdentityJudgement), key=str):
            thing, documents = self.check_judgement(judgement)
            if thing is None:
                continue
            for document in sorted(documents - named.get(thing, set())):
                self.finding(
                    "identity",
                    f"the basis quotes {short_name(document)}, but no claim of that document names {short_name(thing)}",
                    judgement,
                    "quote only documents whose claims name the thing, or fix bk:identifies",
                )
            covered[thing] |= documents
        for thing, documents in sorted(named.items(), key=lambda item: str(item[0])):
            if len(documents) < 2:
                continue
            types = set(self.register.objects(thing, RDF.type))
            spelt = {form for forms_used in forms[thing].values() for form in forms_used}
            if not (types & described or (types & people and len(spelt) > 1)):
                continue
            missing = sorted(documents - covered[thing])
            if not missing:
                continue
            why = "spell it differently" if len(spelt) > 1 and not types & described else "describe it"
            self.finding(
                "identity",
                f"{len(documents)} documents {why} ({', '.join(short_name(d) for d in sorted(documents))}), "
                f"but no identity judgement gives the words of {', '.join(short_name(d) for d in missing)}",
                thing,
                f"add to kg/identities.ttl a bk:IdentityJudgement that bk:identifies {short_name(thing)}, "
                "with a bk:basis quote from each document and a bk:reason",
                file=self.loaded.file_of(ENTITIES_GRAPH),
            )
        return self.findings


def check_identities(project: Project, loaded: LoadedGraph, grounding: Grounding) -> list[Finding]:
    """Every judgement's basis found in its documents' seeds (and located, into the
    grounding offsets); every thing the mapping identifies across documents judged."""
    return _Checker(project, loaded, grounding).run()
