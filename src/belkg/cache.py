"""The build cache: a finished build stored on disk under a hash of all its inputs.

Each entry is a folder <cache-root>/<key>/ holding the dataset as N-Quads, the same
dataset as an Oxigraph store (what queries read), the findings as JSON and a manifest
with the N-Quads' SHA-256. Entries are written to a temporary
folder and renamed into place, so a reader never sees half an entry; an entry whose
manifest is missing or whose hash does not match is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belkg.errors import BelkgError
from belkg.project import Project

CACHE_FORMAT = 3
DATASET_FILE = "dataset.nq"
STORE_DIR = "oxigraph"
FINDINGS_FILE = "findings.json"
MANIFEST_FILE = "manifest.json"
_TOOLS = ("rdflib", "owlrl", "pyshacl")


def default_cache_root() -> Path:
    """$BELKG_CACHE_DIR, else $XDG_CACHE_HOME/belkg, else ~/.cache/belkg."""
    explicit = os.environ.get("BELKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "belkg"


def _versions(distributions: tuple[str, ...]) -> dict[str, str]:
    """The installed versions of some distributions, read off their .dist-info folders'
    names in one pass over sys.path: importlib.metadata would cost every command tens of
    milliseconds."""
    prefixes = {name.lower().replace("-", "_") + "-": name for name in distributions}
    found = dict.fromkeys(distributions, "unknown")
    for folder in sys.path:
        try:
            names = [entry.name for entry in Path(folder or ".").iterdir()]
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            for prefix, distribution in prefixes.items():
                if name.lower().startswith(prefix) and found[distribution] == "unknown":
                    found[distribution] = name[len(prefix) : -len(".dist-info")]
    return found


def input_key(project: Project) -> str:
    """A hash of every input file's name and bytes, the format and the tool versions."""
    from belkg import __version__

    digest = hashlib.sha256()
    digest.update(f"belkg {__version__} cache {CACHE_FORMAT}\n".encode())
    for tool, version in _versions(_TOOLS).items():
        digest.update(f"{tool} {version}\n".encode())
    for path in project.input_files():
        digest.update(project.relative(path).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            digest.update(b"missing")
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", project.relative(path)) from None
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    folder: Path
    manifest: dict[str, Any]

    @property
    def dataset_file(self) -> Path:
        return self.folder / DATASET_FILE

    @property
    def store_dir(self) -> Path:
        return self.folder / STORE_DIR

    def findings(self) -> list[dict[str, Any]]:
        data = json.loads((self.folder / FINDINGS_FILE).read_text(encoding="utf-8"))
        assert isinstance(data, list)
        return data


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_entry(root: Path, key: str, *, thorough: bool = True) -> CacheEntry | None:
    """The cached build for this key, or None if there is none or it is damaged.

    Entries appear whole (they are renamed into place), so the quick check used on the
    query path compares the dataset's size with the manifest; `thorough` also compares
    its SHA-256, as every build does before it trusts an entry.
    """
    folder = root / key
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("key") != key or manifest.get("format") != CACHE_FORMAT:
            return None
        if (folder / DATASET_FILE).stat().st_size != manifest.get("dataset_bytes"):
            return None
        if thorough and _sha256_file(folder / DATASET_FILE) != manifest.get("dataset_sha256"):
            return None
        if not (folder / STORE_DIR / "CURRENT").is_file():
            return None
        findings = json.loads((folder / FINDINGS_FILE).read_text(encoding="utf-8"))
        if not isinstance(findings, list) or not all(
            isinstance(item, dict) and {"rule", "message"} <= set(item) for item in findings
        ):
            return None
    except (OSError, ValueError, AttributeError):
        return None
    return CacheEntry(folder, manifest)


def _write_store(nquads: Path, folder: Path) -> None:
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store  # closes the store, releasing its lock before the folder is renamed


def write_entry(
    root: Path,
    key: str,
    nquads: bytes,
    findings: list[dict[str, Any]],
    extra: dict[str, Any],
    *,
    replace: bool = False,
) -> CacheEntry:
    """Store a build atomically; a damaged entry under the same key, or any entry when
    `replace` is set, is replaced."""
    import shutil
    import tempfile

    try:
        root.mkdir(parents=True, exist_ok=True)
        if not root.is_dir():
            raise NotADirectoryError(20, "Not a directory")
    except OSError as error:
        raise BelkgError(f"cannot use as the build cache folder: {error.strerror}", str(root)) from None
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root))
    try:
        (staging / DATASET_FILE).write_bytes(nquads)
        _write_store(staging / DATASET_FILE, staging / STORE_DIR)
        (staging / FINDINGS_FILE).write_text(json.dumps(findings, indent=1, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": CACHE_FORMAT,
            "key": key,
            "dataset_sha256": hashlib.sha256(nquads).hexdigest(),
            "dataset_bytes": len(nquads),
            **extra,
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        final = root / key
        if final.is_file() or final.is_symlink():
            final.unlink()
        elif final.exists() and (replace or open_entry(root, key) is None):
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(staging, final)
        except OSError:
            # Another build finished the same entry first; theirs is as good as ours.
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    entry = open_entry(root, key)
    if entry is None:  # pragma: no cover - only if the folder is removed under us
        raise OSError(f"cache entry {final} could not be read back")
    return entry
