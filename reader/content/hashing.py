"""One fingerprint function for change detection (content, sections, search documents).

BLAKE2b is built into Python, so it is as fast in the frozen app (which ships without OpenSSL)
as from source; these hashes detect changes and are not security checks.
"""

from __future__ import annotations

import hashlib


def fingerprint(data: bytes | str) -> str:
    """A 160-bit hex digest of `data`."""
    return new_fingerprint(data).hexdigest()


def new_fingerprint(data: bytes | str = b"") -> hashlib.blake2b:
    """An incremental hasher (call `update()`, then `hexdigest()`)."""
    return hashlib.blake2b(data.encode() if isinstance(data, str) else data, digest_size=20)
