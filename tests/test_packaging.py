"""What the wheel ships: the wheel builder leaves out every file that .gitignore ignores, so
no file of the package or of the data folders it ships may match an ignore rule (a rule
`build/` once dropped the whole `belkg.build` package from the wheel, while an editable
install, which reads the checkout, still worked)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("src/belkg", "ontology", "kg", "seeds", "queries")


def _in_a_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    probe = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == "true"


def _shipped_files() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for folder in SHIPPED
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


@pytest.mark.skipif(not _in_a_checkout(), reason="needs git and a checkout of belkg")
def test_no_shipped_file_is_ignored():
    files = _shipped_files()
    assert "src/belkg/build/__init__.py" in files
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input="\n".join(files),
        capture_output=True,
        text=True,
    )
    assert ignored.returncode in (0, 1), ignored.stderr  # 1: none ignored
    assert ignored.stdout.split() == []
