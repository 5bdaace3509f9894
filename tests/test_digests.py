"""The query path's SHA-256 is hashlib's SHA-256."""

from __future__ import annotations

import hashlib

import pytest

from belkg.digests import sha256_hex

TEXTS = [b"", b"abc", "SELECT * WHERE { ?s ?p ?o } # ünïcode".encode(), bytes(range(256)) * 300]


@pytest.mark.parametrize("data", TEXTS)
def test_the_digest_is_sha256(data):
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
