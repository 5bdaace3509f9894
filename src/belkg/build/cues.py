"""The cue check: a claim must say no more than the sentence it comes from.

A quote can be verbatim and still be read for more than it says: "reportedly" dropped, an
"according to" lost, "wanted to" stated as done. The cue lexicon (ontology/cues.txt)
lists the words that qualify a sentence. For each claim, every cue in the sentence (or
sentences) its evidence sits in must be reflected on the claim, by the property its kind
names, or set aside by a reviewed-cue note that names the cue and says why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from belkg.build.findings import Finding
from belkg.build.grounding import VERBATIM_PROPERTIES, Grounding
from belkg.build.loading import LoadedGraph, read_text
from belkg.build.locating import finding_about, short_name
from belkg.errors import BelkgError
from belkg.namespaces import BK, PROV, RDF
from belkg.project import Project
from belkg.sentences import split_sentences

# rdflib looks up each term of its defined namespaces through Python-level code.
_DERIVED_FROM = PROV.wasDerivedFrom
_TYPE = RDF.type

# What reflects a cue of each kind; "quoted" cues are looked for in the evidence quote only.
KINDS = ("hedge", "attribution", "modality", "condition", "opinion", "quoted")
_VALUE_CLASS = {"hedge": BK.Hedge, "modality": BK.Modality, "opinion": BK.Hedge}
_SPEAKERS = (BK.statedBy, BK.speaker, BK.assessor, BK.demander)
_CONTEXT = 30


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: a kind, the phrase as written, its pattern, the value it asks for."""

    kind: str
    phrase: str
    pattern: re.Pattern[str]
    value: URIRef | None
    line: int

    @cached_property
    def first_word(self) -> str | None:
        """The casefolded letters every match starts with (None for a /regex/ cue): a
        sentence without them is not searched."""
        if self.phrase.startswith("/"):
            return None
        return self.phrase.split()[0].rstrip("*").casefold()


@dataclass(frozen=True)
class CueFound:
    """A cue found in the text of a seed, at absolute character offsets."""

    cue: Cue
    text: str
    start: int
    end: int


def _compile(phrase: str) -> re.Pattern[str]:
    if len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/"):
        return re.compile(phrase[1:-1], re.IGNORECASE)
    words = []
    for word in phrase.split():
        if not re.fullmatch(r"[\w'’-]+\*?", word):
            raise ValueError(f"“{word}” is not a word (letters, digits, ' and - only; * at the end)")
        words.append(re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word))
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def read_lexicon(path: Path, shown: str, ontology: Graph | None = None) -> list[Cue]:
    """Parse the cue lexicon. A malformed line is a BelkgError naming the file and line;
    with the ontology given, a value must be a declared hedge or modality of the right kind."""
    cues = []
    for number, raw in enumerate(read_text(path, shown).split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{shown}:{number}"
        body, arrow, value_text = line.partition("=>")
        kind, _, phrase = body.strip().partition(" ")
        phrase = phrase.strip()
        if kind not in KINDS:
            raise BelkgError(f"unknown cue kind “{kind}”; expected one of {', '.join(KINDS)}", where)
        if not phrase:
            raise BelkgError(f"the {kind} cue has no phrase: write KIND PHRASE [=> bk:Value]", where)
        try:
            pattern = _compile(phrase)
        except (ValueError, re.error) as error:
            raise BelkgError(f"the cue “{phrase}” is not valid: {error}", where) from None
        value = None
        if arrow:
            value = _value(value_text.strip(), kind, where, ontology)
        cues.append(Cue(kind, phrase, pattern, value, number))
    return cues


def _value(text: str, kind: str, where: str, ontology: Graph | None) -> URIRef:
    if kind not in _VALUE_CLASS:
        raise BelkgError(f"a {kind} cue takes no value (only hedge, modality and opinion cues do)", where)
    if not re.fullmatch(r"bk:\w+", text):
        raise BelkgError(f"“{text}” is not a bk: term; write => bk:Value", where)
    value = BK[text[3:]]
    expected = _VALUE_CLASS[kind]
    if ontology is not None and (value, _TYPE, expected) not in ontology:
        raise BelkgError(f"{text} is not a {short_name(expected)} declared in the ontology", where)
    return value


def cue_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences a cue reaches: a sentence that a line break cut short (it ends
    without a full stop and the next goes on in lower case) is joined to the next."""
    spans: list[tuple[int, int]] = []
    for sentence in split_sentences(text):
        if spans:
            start, end = spans[-1]
            previous = text[start:end].rstrip()
            if previous and previous[-1] not in '.!?:”"’)' and sentence.text[0].islower():
                spans[-1] = (start, sentence.end)
                continue
        spans.append((sentence.start, sentence.end))
    return spans


def find_cues(text: str, cues: Iterable[Cue], start: int = 0, end: int | None = None) -> list[CueFound]:
    """Every cue in text[start:end], in order of position."""
    end = len(text) if end is None else end
    folded = text[start:end].casefold()
    found = []
    for cue in cues:
        if cue.first_word is not None and cue.first_word not in folded:
            continue
        for match in cue.pattern.finditer(text, start, end):
            found.append(CueFound(cue, match.group(0), match.start(), match.end()))
    return sorted(found, key=lambda item: (item.start, item.end, item.cue.line))


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


@dataclass(frozen=True)
class Review:
    """A reviewed-cue note: `cue: why it does not apply`."""

    cue: str
    reason: str
    literal: Literal


def parse_review(literal: Literal) -> Review | None:
    cue, colon, reason = str(literal).partition(":")
    if not colon or not cue.strip() or not reason.strip():
        return None
    return Review(_fold(cue), reason.strip(), literal)


class _ClaimView:
    """What the cue check needs to know of one claim."""

    def __init__(self, graph: Graph, claim: Node, types: set[Node]) -> None:
        self.graph = graph
        self.claim = claim
        self.types = types

    def values(self, prop: URIRef) -> set[Node]:
        return set(self.graph.objects(self.claim, prop))

    def words(self) -> list[str]:
        """The claim's verbatim words, and the spellings its evidence records of names."""
        words = [str(value) for prop in VERBATIM_PROPERTIES for value in self.graph.objects(self.claim, prop)]
        for evidence in self.graph.objects(self.claim, _DERIVED_FROM):
            words += [str(spelling) for spelling in self.graph.objects(evidence, BK.spelling)]
        return words

    def reflects(self, found: CueFound, word_spans: list[tuple[int, int]]) -> bool:
        cue = found.cue
        if any(start <= found.start and found.end <= end for start, end in word_spans):
            return True
        if cue.kind == "quoted" and any(start < found.end and found.start < end for start, end in word_spans):
            return True
        if cue.kind == "hedge":
            hedges = self.values(BK.hedge)
            return cue.value in hedges if cue.value is not None else bool(hedges)
        if cue.kind == "attribution":
            # a speaker's participation in a statement records the saying itself
            return any(self.values(prop) for prop in _SPEAKERS) or BK.Speaker in self.values(BK.role)
        if cue.kind == "modality":
            if BK.DemandClaim in self.types:
                return True
            modalities = self.values(BK.modality)
            return cue.value in modalities if cue.value is not None else bool(modalities)
        if cue.kind == "condition":
            return bool(self.values(BK.condition)) or BK.Possible in self.values(BK.modality)
        if cue.kind == "opinion":
            return BK.AssessmentClaim in self.types or (cue.value or BK.Opinion) in self.values(BK.hedge)
        # quoted words: the source's own wording, marked as such or carried verbatim
        return BK.Described in self.values(BK.hedge)


def _word_spans(text: str, spans: list[tuple[int, int]], words: list[str]) -> list[tuple[int, int]]:
    """Where the claim's verbatim words sit in the seed, inside its evidence quotes."""
    located = []
    for word in words:
        for start, end in spans:
            position = text.find(word, start, end)
            if position != -1:
                located.append((position, position + len(word)))
    return located


def _excerpt(text: str, found: CueFound, bounds: tuple[int, int]) -> str:
    """The cue with a few words either side, within its sentence."""
    start = max(bounds[0], found.start - _CONTEXT)
    end = min(bounds[1], found.end + _CONTEXT)
    excerpt = " ".join(text[start:end].split())
    return ("…" if start > bounds[0] else "") + excerpt + ("…" if end < bounds[1] else "")


def _fix(found: CueFound) -> str:
    cue = found.cue
    remedy = {
        "hedge": f"add bk:hedge {short_name(cue.value)}" if cue.value is not None else "add the matching bk:hedge",
        "attribution": "add bk:statedBy (who says it inside the document)",
        "modality": f"add bk:modality {short_name(cue.value)}"
        if cue.value is not None
        else "add the matching bk:modality",
        "condition": 'add bk:condition "the condition, in the seed\'s words"',
        "opinion": "add bk:hedge bk:Opinion, or map it as an assessment claim",
        "quoted": "add bk:hedge bk:Described (the source's wording), or carry the words verbatim",
    }[cue.kind]
    return f'{remedy}; or, if it does not apply to this claim, bk:cueReviewed "{found.text}: why"'


class _Checker:
    def __init__(self, project: Project, loaded: LoadedGraph, grounding: Grounding, cues: list[Cue]) -> None:
        self.project = project
        self.loaded = loaded
        self.sentence_cues = [cue for cue in cues if cue.kind != "quoted"]
        self.quote_cues = [cue for cue in cues if cue.kind == "quoted"]
        self.texts = grounding.texts
        self.sentences: dict[URIRef, list[tuple[int, int]]] = {}
        self.findings: list[Finding] = []
        self._found: dict[tuple[URIRef, bool, int, int], list[CueFound]] = {}  # claims share sentences

    def cues_in(self, document: URIRef, quoted: bool, start: int, end: int) -> list[CueFound]:
        key = (document, quoted, start, end)
        if key not in self._found:
            cues = self.quote_cues if quoted else self.sentence_cues
            self._found[key] = find_cues(self.texts[document], cues, start, end)
        return self._found[key]

    def text_of(self, document: URIRef) -> str:
        if document not in self.sentences:
            self.sentences[document] = cue_sentences(self.texts[document])
        return self.texts[document]

    def report(self, document: URIRef, claim: Node, rule: str, message: str, hint: str) -> None:
        path = self.loaded.file_of(document)
        graph = self.loaded.graph(document)
        self.findings.append(finding_about(self.project, path, graph, claim, rule, message, hint))

    def reviews(self, document: URIRef, view: _ClaimView) -> list[Review]:
        found = []
        for literal in sorted(view.graph.objects(view.claim, BK.cueReviewed), key=str):
            review = parse_review(literal) if isinstance(literal, Literal) else None
            if review is None:
                self.report(
                    document,
                    view.claim,
                    "cue-review",
                    f"the reviewed-cue note “{literal}” does not name a cue and a reason",
                    'write bk:cueReviewed "CUE: why it does not apply to this claim"',
                )
            else:
                found.append(review)
        return found

    def check_claim(self, document: URIRef, view: _ClaimView, claim_spans: list[tuple[int, int]]) -> None:
        text = self.text_of(document)
        word_spans = _word_spans(text, claim_spans, view.words())
        context = sorted(
            {(s, e) for s, e in self.sentences[document] for start, end in claim_spans if s < end and start < e}
        )
        found: dict[tuple[str, str, int], CueFound] = {}
        for scope, quoted in ((context, False), (claim_spans, True)):
            for start, end in scope:
                for item in self.cues_in(document, quoted, start, end):
                    found.setdefault((item.cue.kind, _fold(item.text), item.start), item)
        reviews = self.reviews(document, view)
        used: set[Review] = set()
        for item in found.values():
            names = {_fold(item.text), _fold(item.cue.phrase)}
            matching = [review for review in reviews if review.cue in names]
            if matching:
                used.update(matching)
                continue
            if view.reflects(item, word_spans):
                continue
            bounds = next(((s, e) for s, e in context if s <= item.start < e), (item.start, item.end))
            self.report(
                document,
                view.claim,
                "cue",
                f"the sentence has the {item.cue.kind} cue “{item.text}” ({_excerpt(text, item, bounds)}), "
                "which the claim does not reflect",
                _fix(item),
            )
        for review in reviews:
            if review not in used:
                self.report(
                    document,
                    view.claim,
                    "cue-review",
                    f"the reviewed-cue note names “{review.cue}”, but no such cue is in the claim's sentence",
                    "remove the note, or name the cue as the sentence writes it",
                )


def check_cues(project: Project, loaded: LoadedGraph, grounding: Grounding, cues: list[Cue]) -> list[Finding]:
    """Every cue in each claim's sentences reflected on the claim or reviewed; every
    reviewed-cue note naming a cue that is there."""
    claim_classes = loaded.subclasses_of(BK.Claim)
    spans: dict[tuple[URIRef, Node], list[tuple[int, int]]] = defaultdict(list)
    for citation in grounding.citations:
        spans[(citation.document, citation.claim)].append((citation.start, citation.end))
    checker = _Checker(project, loaded, grounding, cues)
    for (document, claim), claim_spans in sorted(spans.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        graph = loaded.graph(document)
        types = set(graph.objects(claim, _TYPE))
        if types & claim_classes:
            checker.check_claim(document, _ClaimView(graph, claim, types), claim_spans)
    return checker.findings
