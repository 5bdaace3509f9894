"""The synthetic-graph generator makes projects that conform, at the size asked for."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate

from belkg.build import check
from belkg.project import Project


@pytest.mark.parametrize("triples", [2_000, 6_000])
def test_generated_project_conforms_and_has_the_size_asked(tmp_path, triples):
    size = generate(tmp_path / "synthetic", triples)
    loaded, grounding, findings = check(Project(tmp_path / "synthetic"))
    assert [finding.format() for finding in findings] == []
    documents = sum(len(loaded.dataset.graph(name)) for name in loaded.seeds)
    assert 0.8 * triples <= documents <= 1.3 * triples
    from rdflib.namespace import PROV

    claims = {c for name in loaded.seeds for c in loaded.dataset.graph(name).subjects(PROV.wasDerivedFrom, None)}
    assert len(claims) >= size.claims
    assert {citation.claim for citation in grounding.citations} == claims


def test_generation_is_deterministic(tmp_path):
    generate(tmp_path / "a", 2_000, seed=7)
    generate(tmp_path / "b", 2_000, seed=7)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
