"""Write files atomically: through a temporary file in the same folder, renamed into
place, so a failure leaves any earlier file untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from belkg.errors import BelkgError


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual umask-based mode."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same folder, so a failure
    leaves any earlier file untouched."""
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise BelkgError(f"cannot write here: {error.strerror}", str(path)) from None
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BelkgError(f"cannot write: {error.strerror}", str(path)) from None
