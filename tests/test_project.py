"""Finding the project folder."""

from __future__ import annotations

import pytest

from belkg import project as project_module
from belkg.errors import BelkgError
from belkg.project import find_project


def test_found_upward_from_a_subfolder(tiny_project):
    project = tiny_project()
    assert find_project(start=project.kg_dir).root == project.root


def test_explicit_project_wins(tiny_project, tmp_path):
    project = tiny_project()
    assert find_project(project.root, start=tmp_path).root == project.root


def test_falls_back_to_the_packaged_copy(tmp_path, monkeypatch, tiny_project):
    shipped = tiny_project()
    monkeypatch.setattr(project_module, "packaged_project", lambda: shipped)
    assert find_project(start=tmp_path).root == shipped.root


def test_no_project_anywhere(tmp_path, monkeypatch):
    monkeypatch.setattr(project_module, "packaged_project", lambda: None)
    with pytest.raises(BelkgError, match="no belkg project here or above"):
        find_project(start=tmp_path)


def test_document_files_skip_the_register_and_scratch_files(tiny_project):
    project = tiny_project()
    (project.kg_dir / "_draft.ttl").write_text("")
    assert [p.name for p in project.document_files()] == ["900_tiny.ttl"]
