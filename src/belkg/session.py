"""The build a command works on: the cached one when the inputs are unchanged, else a
fresh build. The cached path imports neither rdflib nor the reasoner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from belkg.build.cache import INPUT_STAMPS_FILE, CacheEntry, default_cache_root, input_key, open_entry
from belkg.project import Project


def current_entry(
    project: Project,
    cache_root: Path | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    thorough: bool = False,
) -> CacheEntry:
    """The cache entry for the project's current inputs, building it first if needed;
    `thorough` also checks the SHA-256 of its files (for a command that hands them on
    as they are, such as an export). The inputs are read again only if a file's stamp
    changed since they were last hashed (belkg.build.cache.input_key)."""
    root = cache_root or default_cache_root()
    entry = open_entry(root, input_key(project, root / INPUT_STAMPS_FILE), thorough=thorough)
    if entry is not None:
        return entry
    from belkg.build.pipeline import build

    return build(project, root, progress=progress or (lambda _: None)).entry
