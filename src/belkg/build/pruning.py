"""Old builds removed from the cache: each edit of a project builds a new entry (a build of
a million triples takes about a gigabyte), so after a build only the project's most
recently used entries are kept, with the answers and keeper files kept beside them.

An entry belongs to the project whose folder its manifest names; entries of other
projects, and entries whose manifest names none, are never touched. An entry counts as
used when it is built or found up to date by a build (the build touches its folder).
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from pathlib import Path

from belkg.build.cache import MANIFEST_FILE, VIEWS, key_tag, staging_prefix
from belkg.records import NamedTuple

KEEP_BUILDS = 3  # the project's builds kept in the cache, the current one included
_KEY_DIGITS = 64


class Removed(NamedTuple):
    """The entries removed from a cache, and the bytes they (and their kept files) held."""

    keys: list[str]
    size: int


def mark_used(root: Path, key: str) -> None:
    """Record that a build used this entry now (its folder's modification time)."""
    with suppress(OSError):
        os.utime(root / key)


def prune(root: Path, project_root: Path, current: str, keep: int = KEEP_BUILDS) -> Removed:
    """Remove the entries of the project at project_root beyond the `keep` most recently
    used (the current one always stays), and the files kept beside them in views/.
    `keep` 0 keeps every entry. What cannot be removed is left for the next build."""
    if keep <= 0:
        return Removed([], 0)
    ours = [
        (used, folder.name)
        for folder, used, project in _entries(root)
        if project == str(project_root.resolve()) and folder.name != current
    ]
    ours.sort(reverse=True)
    removed: list[str] = []
    size = 0
    for _, key in ours[keep - 1 :]:
        size += _remove(root / key, root)
        for kept in _kept_beside(root / VIEWS, key):
            size += _size(kept)
            kept.unlink(missing_ok=True)
        removed.append(key)
    return Removed(removed, size)


def _entries(root: Path) -> list[tuple[Path, float, str | None]]:
    """Each entry's folder, when it was last used, and the project its manifest names."""
    import json

    found = []
    try:
        folders = [path for path in root.iterdir() if len(path.name) == _KEY_DIGITS and path.is_dir()]
    except OSError:
        return []
    for folder in folders:
        try:
            used = folder.stat().st_mtime
            project = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")).get("project")
        except (OSError, ValueError, AttributeError):
            continue
        found.append((folder, used, project if isinstance(project, str) else None))
    return found


def _kept_beside(views: Path, key: str) -> list[Path]:
    tag = key_tag(key)
    try:
        return [path for path in views.iterdir() if f"-{tag}-" in path.name or path.name.startswith(f"keeper-{tag}.")]
    except OSError:
        return []


def _remove(folder: Path, root: Path) -> int:
    """Remove an entry: renamed out of the way first, so that no reader finds half of it
    (under a staging folder's name, so that a removal cut short is finished by the next
    build's clean-up of staging folders)."""
    import shutil

    size = _size(folder)
    doomed = root / f"{staging_prefix(folder.name)}removed{time.monotonic_ns()}"
    try:
        folder.rename(doomed)
    except OSError:
        return 0
    shutil.rmtree(doomed, ignore_errors=True)
    return size


def _size(path: Path) -> int:
    try:
        if path.is_file():
            return path.stat().st_size
        return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    except OSError:
        return 0
