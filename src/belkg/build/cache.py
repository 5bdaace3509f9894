"""The build cache: a finished build stored on disk under a hash of all its inputs.

Each entry is a folder <cache-root>/<key>/ holding the dataset as N-Quads, the same
dataset as an Oxigraph store (what queries read), the findings as JSON and a manifest
with the SHA-256 of the N-Quads and of the store's files. Entries are written to a
temporary folder and renamed into place, so a reader never sees half an entry; an entry
whose manifest is missing or whose hashes do not match is ignored and rebuilt. A staging
folder left by a build that was killed is removed by the next build.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from belkg.errors import BelkgError
from belkg.project import Project
from belkg.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from concurrent.futures import Future
    from typing import Any

CACHE_FORMAT = 4
DATASET_FILE = "dataset.nq"
STORE_DIR = "oxigraph"
FINDINGS_FILE = "findings.json"
MANIFEST_FILE = "manifest.json"
# Beside the entries: each project's input files' stamps and the key they hashed to.
INPUT_STAMPS_FILE = "input-stamps.json"
_TOOLS = ("rdflib", "owlrl", "pyshacl")
# RocksDB's own log, not data: it may change without the store changing.
_UNHASHED = ("LOG", "LOCK")
# A staging folder whose build is gone is removed after this long even if its process
# id has been reused.
_STALE_STAGING_SECONDS = 24 * 3600

# The folders of the cache root shared by every build under it: the safety gate's
# verdicts on query texts (and on the rules), the saved queries' parsed headers, and the
# answers kept beside the builds (belkg.kept_results, belkg.conflicts).
QUERY_CHECKS = "query-checks"
QUERY_HEADERS = "query-headers"
VIEWS = "views"


def key_tag(key: str) -> str:
    """How the files kept beside a build in views/ name it: its key's first 16 digits
    (so that the files of a build removed from the cache can be found and removed too)."""
    return key[:16]


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
            names = os.listdir(folder or ".")  # noqa: PTH208 - names only: a Path for each costs more
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            for prefix, distribution in prefixes.items():
                if name.lower().startswith(prefix) and found[distribution] == "unknown":
                    found[distribution] = name[len(prefix) : -len(".dist-info")]
    return found


def _file_stamp(path: str) -> list[int] | None:
    """What changes when a file is written: its size, modification and status-change
    times (the latter no tool can set back) and its inode; None if it is missing."""
    try:
        status = os.stat(path)  # noqa: PTH116 - a str, not a Path: thousands of files at 1M triples
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def _stamps_of(project: Project, files: list[Path]) -> dict[str, list[int] | None]:
    """Each input file's stamp, by its name relative to the project."""
    inside = str(project.root) + os.sep
    names = [str(path) for path in files]
    return {(name[len(inside) :] if name.startswith(inside) else name): _file_stamp(name) for name in names}


def input_key(project: Project, stamps: Path | None = None) -> str:
    """A hash of every input file's name and bytes, the format and the tool versions.

    With `stamps` (a file beside the build cache), the key is taken from there without
    reading the inputs when every input file is where it was with the same size,
    modification time, status-change time and inode as when it was last hashed, and
    was already unchanged for INPUT_SETTLED_SECONDS then (a file written within the
    clock's granularity of its stamp could change again unseen: it is hashed again)."""
    from belkg import __version__

    header = f"belkg {__version__} cache {CACHE_FORMAT}\n" + "".join(
        f"{tool} {version}\n" for tool, version in _versions(_TOOLS).items()
    )
    files = project.input_files()
    seen = _stamps_of(project, files) if stamps is not None else {}
    root = str(project.root)
    if stamps is not None:
        try:
            known = json.loads(stamps.read_text(encoding="utf-8")).get(root)
            if isinstance(known, dict) and known.get("header") == header and known.get("files") == seen:
                return str(known["key"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    key = _hashed_key(project, files, header)
    if stamps is not None:
        _keep_stamps(stamps, root, {"header": header, "files": seen, "key": key})
    return key


INPUT_SETTLED_SECONDS = 3.0


def _keep_stamps(stamps: Path, root: str, stamp: dict[str, Any]) -> None:
    """Keep a project's stamp (see input_key) if its files have settled; a cache that
    cannot be written only costs time."""
    import time

    changed = max((values[2] for values in stamp["files"].values() if values), default=0)
    if time.time_ns() - changed < INPUT_SETTLED_SECONDS * 1e9:
        return
    from belkg.atomic import write_atomically

    try:
        try:
            kept = json.loads(stamps.read_text(encoding="utf-8"))
            if not isinstance(kept, dict):
                kept = {}
        except (OSError, ValueError):
            kept = {}
        kept[root] = stamp
        stamps.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(stamps, json.dumps(kept).encode("utf-8"))
    except (OSError, BelkgError):
        pass


def _hashed_key(project: Project, files: list[Path], header: str) -> str:
    import hashlib  # here: a query whose inputs kept their stamps hashes nothing

    digest = hashlib.sha256()
    digest.update(header.encode())
    for path in files:
        digest.update(project.relative(path).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            digest.update(b"missing")
        except OSError as error:
            raise BelkgError(f"cannot read: {error.strerror}", project.relative(path)) from None
    return digest.hexdigest()


class CacheEntry(NamedTuple):
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
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _store_files(folder: Path) -> dict[str, int]:
    """The store's data files and their sizes."""
    return {
        path.name: path.stat().st_size
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(_UNHASHED)
    }


def _store_sha256(folder: Path) -> str:
    """One SHA-256 over the store's files, theirs taken two at a time (hashlib lets go of
    Python's lock while it hashes)."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    names = list(_store_files(folder))
    with ThreadPoolExecutor(2) as pool:
        hashes = list(pool.map(_sha256_file, [folder / name for name in names]))
    digest = hashlib.sha256()
    for name, file_hash in zip(names, hashes, strict=True):
        digest.update(name.encode() + b"\0" + file_hash.encode() + b"\n")
    return digest.hexdigest()


def open_entry(root: Path, key: str, *, thorough: bool = True) -> CacheEntry | None:
    """The cached build for this key, or None if there is none or it is damaged.

    Entries appear whole (they are renamed into place), so the quick check used on the
    query path compares the sizes of the dataset and of the store's files with the
    manifest; `thorough` also compares their SHA-256, as every build does before it
    trusts an entry.
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
        if _store_files(folder / STORE_DIR) != manifest.get("store_files"):
            return None
        if thorough and _store_sha256(folder / STORE_DIR) != manifest.get("store_sha256"):
            return None
        findings = json.loads((folder / FINDINGS_FILE).read_text(encoding="utf-8"))
        if not isinstance(findings, list) or not all(
            isinstance(item, dict) and {"rule", "message"} <= set(item) for item in findings
        ):
            return None
    except (OSError, ValueError, AttributeError):
        return None
    return CacheEntry(folder, manifest)


def _load_into(store: Any, nquads: bytes) -> Any:
    """Load N-Quads into an Oxigraph store; return the store."""
    import pyoxigraph

    try:
        store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    except MemoryError as error:  # Oxigraph reads a statement of at most 16 MiB
        raise BelkgError(f"a statement is too large for the query store: {error}") from None
    return store


def _opened_and_loaded(folder: Path, nquads: bytes) -> Any:
    import pyoxigraph

    return _load_into(pyoxigraph.Store(str(folder)), nquads)


def _written_and_hashed(path: Path, data: bytes) -> str:
    """Write data to path; return its SHA-256."""
    import hashlib

    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


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
    writer = EntryWriter(root, key)
    try:
        return writer.finish(nquads, findings, extra, replace=replace)
    finally:
        writer.close()


@contextmanager
def _cache_folder_errors(root: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise BelkgError(f"cannot use as the build cache folder: {error.strerror or error}", str(root)) from None


class EntryWriter:
    """A cache entry written in a staging folder and renamed into place whole. Its store
    can take the dataset's first part (`begin`, the asserted quads) in a thread of its
    own while the build goes on (Oxigraph's loader lets go of Python's lock), and the rest
    at the end (`finish`). `close` removes whatever was not renamed into place."""

    def __init__(self, root: Path, key: str) -> None:
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        self.root = root
        self.key = key
        with _cache_folder_errors(root):
            root.mkdir(parents=True, exist_ok=True)
            if not root.is_dir():
                raise NotADirectoryError(20, "Not a directory")
            remove_stale_staging(root)
            self.staging = Path(tempfile.mkdtemp(prefix=staging_prefix(key), dir=root))
        self._threads = ThreadPoolExecutor(2)  # the store's first part; the N-Quads file
        self._store: Future[Any] | None = None
        self._begun = 0

    def begin(self, first: bytes) -> None:
        """Start loading the store with the dataset's first `len(first)` bytes."""
        self._begun = len(first)
        self._store = self._threads.submit(_opened_and_loaded, self.staging / STORE_DIR, first)

    def finish(
        self, nquads: bytes, findings: list[dict[str, Any]], extra: dict[str, Any], *, replace: bool
    ) -> CacheEntry:
        """Write the entry (the dataset `nquads`, which starts with what `begin` was
        given) and rename it into place."""
        import shutil

        with _cache_folder_errors(self.root):
            staging = self.staging
            # The N-Quads file is written and hashed beside the store's load.
            dataset_sha256 = self._threads.submit(_written_and_hashed, staging / DATASET_FILE, nquads)
            try:
                if self._store is None:
                    store = _opened_and_loaded(staging / STORE_DIR, nquads)
                else:
                    store = _load_into(self._store.result(), nquads[self._begun :])
                store.flush()
                store.optimize()
                del store  # closes the store, releasing its lock before the folder is renamed
                self._store = None
            except OSError:
                plain = dataset_sha256.exception()  # a full disk says so plainly here
                if isinstance(plain, OSError):
                    raise plain from None
                raise
            (staging / FINDINGS_FILE).write_text(json.dumps(findings, indent=1, ensure_ascii=False), encoding="utf-8")
            manifest = {
                "format": CACHE_FORMAT,
                "key": self.key,
                "dataset_sha256": dataset_sha256.result(),
                "dataset_bytes": len(nquads),
                "store_files": _store_files(staging / STORE_DIR),
                "store_sha256": _store_sha256(staging / STORE_DIR),
                **extra,
            }
            (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            final = self.root / self.key
            if final.is_file() or final.is_symlink():
                final.unlink()
            elif final.exists() and (replace or open_entry(self.root, self.key) is None):
                shutil.rmtree(final, ignore_errors=True)
            with suppress(OSError):  # another build finished the same entry first: as good
                os.rename(staging, final)
            # Its hashes were taken from the bytes just written (or by the build that
            # renamed its entry into place first): the quick check is enough, as on the
            # query path.
            entry = open_entry(self.root, self.key, thorough=False)
        if entry is None:  # pragma: no cover - only if the folder is removed under us
            raise BelkgError(f"cache entry {final} could not be read back", str(self.root))
        return entry

    def close(self) -> None:
        """Wait for the threads, and remove the staging folder if it is still there."""
        import shutil

        self._threads.shutdown(wait=True)
        self._store = None
        shutil.rmtree(self.staging, ignore_errors=True)


def staging_prefix(key: str) -> str:
    """How a folder this process fills or empties, beside the entries, begins its name:
    .<key>-<pid>-, so that the next build removes it if this process dies first."""
    return f".{key[:12]}-{os.getpid()}-"


def _staging_owner(folder: Path) -> int | None:
    """The process id a staging folder's name records: .<key>-<pid>-<random>."""
    parts = folder.name.split("-")
    return int(parts[1]) if len(parts) >= 3 and folder.name.startswith(".") and parts[1].isdigit() else None


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(root: Path) -> list[Path]:
    """Remove the staging folders of builds that were killed (their process is gone, or
    they are a day old); return them."""
    import shutil
    import time

    removed = []
    for folder in root.glob(".*-*-*"):
        owner = _staging_owner(folder)
        if owner is None or not folder.is_dir():
            continue
        try:
            old = time.time() - folder.stat().st_mtime > _STALE_STAGING_SECONDS
        except OSError:
            continue
        if old or (owner != os.getpid() and not process_alive(owner)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
