"""Write files atomically: through a temporary file in the same folder, renamed into
place, so a failure leaves any earlier file untouched.

Only regular files are written. A target that is a device (/dev/null, /dev/full), a
FIFO, a socket or a folder, or a symbolic link to one, is refused: renaming over it would
replace the device node or pipe with a file. A symbolic link to a regular file stays a
link: the file it points to is replaced (atomically, in that file's folder).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from belkg.errors import BelkgError

_KINDS = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def regular_target(path: Path) -> Path:
    """The file a write to `path` replaces: `path` itself, or the regular file a symbolic
    link at `path` points to. Anything but a regular file (or nothing yet) is refused."""
    shown = str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise BelkgError("cannot write here: a symbolic link to nothing", shown) from None
        return path
    except OSError as error:
        raise BelkgError(f"cannot write here: {error.strerror}", shown) from None
    if stat.S_ISDIR(status.st_mode):
        raise BelkgError("cannot write here: Is a directory", shown)
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        link = " (through a symbolic link)" if path.is_symlink() else ""
        raise BelkgError(
            f"cannot write here: {kind}{link}; belkg writes only to regular files, or to stdout with -o - or no -o",
            shown,
        )
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual umask-based mode."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path (a regular file, new or replaced) through a temporary file in
    the same folder, so a failure leaves any earlier file untouched."""
    shown = str(path)
    target = regular_target(path)
    folder = target.parent if str(target.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise BelkgError(f"cannot write here: {error.strerror}", shown) from None
    try:
        os.chmod(temporary, _file_mode(target))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        regular_target(path)  # once more: it may have changed while we wrote
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BelkgError(f"cannot write: {error.strerror}", shown) from None
        raise
