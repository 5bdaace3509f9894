"""SHA-256 of the short texts a query's path names its kept files by (a saved query's
parsed header, the safety gate's verdict, a kept result), without hashlib's start-up.

Importing hashlib loads OpenSSL's library: 4.4 ms on a busy two-core machine (load 3),
a good part of what a one-shot `belkg query` of a short saved query costs beyond the bare
store. CPython's own SHA-256 module (the one hashlib falls back on) loads in 0.4 ms and
gives the same digests (tests/test_digests.py). Hashing files and builds stays with
hashlib, whose OpenSSL code is the faster on long inputs.
"""

from __future__ import annotations

import sys

from belkg.records import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# CPython's built-in SHA-256: _sha2 from Python 3.12, _sha256 before (the one that
# cannot be there is not looked for: a failed import searches every folder of sys.path).
_BUILTIN_MODULE = "_sha2" if sys.version_info >= (3, 12) else "_sha256"
_sha256: Callable[[bytes], Any] | None = None


def _constructor() -> Callable[[bytes], Any]:
    try:
        found: Callable[[bytes], Any] = __import__(_BUILTIN_MODULE).sha256
    except (ImportError, AttributeError):  # a Python built without it
        pass
    else:
        return found
    from hashlib import sha256

    return sha256


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of data, as 64 hexadecimal digits."""
    global _sha256
    if _sha256 is None:
        _sha256 = _constructor()
    return str(_sha256(data).hexdigest())
