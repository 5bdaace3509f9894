"""Coverage: which claims cite each sentence of each seed, and which sentences none does."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef

from belkg.build.grounding import Citation
from belkg.errors import BelkgError
from belkg.project import Project
from belkg.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class SkipEntry:
    """A sentence deliberately left uncited: page furniture, with the reason."""

    seed: str
    text: str
    reason: str
    line: int


@dataclass
class SentenceCoverage:
    sentence: Sentence
    claims: list[str] = field(default_factory=list)
    skipped: SkipEntry | None = None

    @property
    def status(self) -> str:
        if self.claims:
            return "cited"
        return "skipped" if self.skipped else "uncited"


@dataclass
class SeedCoverage:
    seed: str
    document: str
    sentences: list[SentenceCoverage]

    def count(self, status: str) -> int:
        return sum(1 for item in self.sentences if item.status == status)

    @property
    def percent(self) -> float:
        """The share of sentences not on the skip list that at least one claim cites."""
        relevant = [item for item in self.sentences if item.status != "skipped"]
        if not relevant:
            return 100.0
        return 100.0 * sum(1 for item in relevant if item.claims) / len(relevant)


def read_skip_list(path: Path, shown: str) -> list[SkipEntry]:
    """Read kg/coverage-skip.txt: `SEED-STEM<TAB>sentence<TAB>reason`, '#' comments."""
    if not path.exists():
        return []
    entries = []
    from belkg.build.loading import read_text

    for number, line in enumerate(read_text(path, shown).split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(part.strip() for part in parts):
            raise BelkgError("expected three tab-separated fields: seed stem, sentence, reason", f"{shown}:{number}")
        seed, text, reason = (part.strip() for part in parts)
        entries.append(SkipEntry(seed, text, reason, number))
    return entries


def _name(claim: object) -> str:
    text = str(claim)
    return re.sub(r"^https://w3id\.org/belkg/id/", "bkd:", text) if isinstance(claim, URIRef) else text


def compute_coverage(
    seeds: dict[URIRef, Path], citations: list[Citation], skips: list[SkipEntry]
) -> list[SeedCoverage]:
    """Match each sentence of each seed with the claims whose quotes overlap it."""
    from belkg.build.loading import read_text

    by_document: dict[URIRef, list[Citation]] = {}
    for citation in citations:
        by_document.setdefault(citation.document, []).append(citation)
    skips_by_seed: dict[str, dict[str, SkipEntry]] = {}
    for entry in skips:
        skips_by_seed.setdefault(entry.seed, {})[entry.text] = entry
    report = []
    for document, seed in sorted(seeds.items(), key=lambda item: item[1].name):
        text = read_text(seed, f"seeds/{seed.name}")
        mine = by_document.get(document, [])
        skip_for_seed = skips_by_seed.get(seed.stem, {})
        sentences = []
        for sentence in split_sentences(text):
            claims = sorted({_name(c.claim) for c in mine if c.start < sentence.end and c.end > sentence.start})
            sentences.append(SentenceCoverage(sentence, claims, skip_for_seed.get(sentence.text)))
        report.append(SeedCoverage(seed.stem, _name(document), sentences))
    return report


def unused_skips(report: list[SeedCoverage], skips: list[SkipEntry]) -> list[SkipEntry]:
    """Skip-list entries that match no uncited sentence (stale, or a typo)."""
    used = {
        (seed.seed, item.skipped.text)
        for seed in report
        for item in seed.sentences
        if item.skipped is not None and not item.claims
    }
    return [entry for entry in skips if (entry.seed, entry.text) not in used]


def citations_from(dataset: Dataset) -> list[Citation]:
    """The located quotes of a built dataset: the grounding graph's offsets, joined with
    the claims (in each document's graph) that cite each quote."""
    from rdflib.namespace import PROV

    from belkg.namespaces import GROUNDING_GRAPH, OA

    grounding = dataset.graph(GROUNDING_GRAPH)
    citations = []
    for evidence, start in grounding.subject_objects(OA.start):
        end = grounding.value(evidence, OA.end)
        source = dataset.value(evidence, OA.hasSource)
        if end is None or not isinstance(source, URIRef):
            continue
        for claim in dataset.subjects(PROV.wasDerivedFrom, evidence):
            citations.append(Citation(source, claim, int(str(start)), int(str(end))))
    return citations


def seeds_of(project: Project) -> dict[URIRef, Path]:
    """Each seed's document IRI and file."""
    from belkg.build.loading import seed_stem
    from belkg.namespaces import document_iri

    return {document_iri(seed_stem(seed)): seed for seed in project.seed_files()}


def project_coverage(project: Project, dataset: Dataset) -> tuple[list[SeedCoverage], list[SkipEntry]]:
    """Coverage of a built project, and the skip-list entries that matched nothing."""
    skips = read_skip_list(project.skip_list_file, project.relative(project.skip_list_file))
    report = compute_coverage(seeds_of(project), citations_from(dataset), skips)
    return report, unused_skips(report, skips)


def summary_rows(report: list[SeedCoverage]) -> list[dict[str, object]]:
    return [
        {
            "seed": seed.seed,
            "document": seed.document,
            "sentences": len(seed.sentences),
            "cited": seed.count("cited"),
            "skipped": seed.count("skipped"),
            "uncited": seed.count("uncited"),
            "percent": round(seed.percent, 1),
        }
        for seed in report
    ]


def as_json(report: list[SeedCoverage]) -> list[dict[str, object]]:
    return [
        {
            **summary,
            "items": [
                {
                    "number": item.sentence.number,
                    "line": item.sentence.line,
                    "start": item.sentence.start,
                    "end": item.sentence.end,
                    "text": item.sentence.text,
                    "status": item.status,
                    "claims": item.claims,
                    "skip_reason": item.skipped.reason if item.skipped else None,
                }
                for item in seed.sentences
            ],
        }
        for summary, seed in zip(summary_rows(report), report, strict=True)
    ]


def select_seeds(report: list[SeedCoverage], wanted: tuple[str, ...] | list[str]) -> list[SeedCoverage]:
    """The seeds asked for by stem (`002_1faf1219e99a8cb9`) or number (`002`); all when
    none is asked for. An unknown one is an input error."""
    if not wanted:
        return report
    known = {seed.seed for seed in report} | {seed.seed.split("_", 1)[0] for seed in report}
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise BelkgError(f"no such seed: {', '.join(unknown)}")
    return [seed for seed in report if seed.seed in wanted or seed.seed.split("_", 1)[0] in wanted]


def format_text(report: list[SeedCoverage], show_all: bool = False) -> str:
    """The report for reading: a summary table (a header line, a row per seed), then
    each uncited sentence (with show_all, every sentence) as `seeds/SEED.txt:LINE: …`."""
    lines = [f"{'seed':<22} {'sentences':>9} {'cited':>6} {'skipped':>7} {'uncited':>7} {'coverage':>8}"]
    for row in summary_rows(report):
        lines.append(
            f"{row['seed']!s:<22} {row['sentences']:>9} {row['cited']:>6} {row['skipped']:>7} "
            f"{row['uncited']:>7} {row['percent']:>7}%"
        )
    for seed in report:
        for item in seed.sentences:
            if not (show_all or item.status == "uncited"):
                continue
            if item.claims:
                cited = ", ".join(item.claims)
            else:
                cited = f"skipped: {item.skipped.reason}" if item.skipped else "UNCITED"
            lines.append(
                f"seeds/{seed.seed}.txt:{item.sentence.line}: [{item.status}] {item.sentence.text[:100]!r} <- {cited}"
            )
    return "".join(f"{line}\n" for line in lines)
