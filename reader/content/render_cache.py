"""Rendered section HTML kept between runs, so a start (and any page seen before) skips Markdown.

Python-Markdown is the slowest step of showing a page the first time in a process: importing it
and building its parser costs more than the whole rest of the page. The cache is keyed by a
BLAKE2b digest of the section's Markdown salted with the renderer's version, so an edited section
or a new renderer simply misses. Like the search index it is a disposable cache (Zim's habit): a
damaged file is replaced, an unwritable folder means rendering every time, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from pathlib import Path

from reader import __version__

log = logging.getLogger(__name__)

# Bump when render.py's output changes for the same Markdown (new extension, sanitizer rule).
RENDER_FORMAT = "2"  # 2: SuperFences and pymdownx extensions, definitions across sections
MAX_BYTES = 256 * 1024 * 1024  # past this the file is emptied: old versions of old briefings
FILE_NAME = "rendered-html.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS html (key BLOB PRIMARY KEY, html TEXT NOT NULL) WITHOUT ROWID"


def renderer_version() -> str:
    """The app version and format; from source also render.py's modification time, so a
    developer's edit to the renderer is never hidden by HTML cached before it."""
    stamp = ""
    with contextlib.suppress(OSError):  # frozen: no source files, the version says it all
        stamp = str(Path(__file__).with_name("render.py").stat().st_mtime_ns)
    return f"{__version__}/{RENDER_FORMAT}/{stamp}"


class RenderCache:
    """HTML by Markdown digest in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path, version: str | None = None) -> None:
        # BLAKE2b's personalisation (16 bytes) salts every key with the renderer's version.
        self._person = hashlib.blake2b((version or renderer_version()).encode(),
                                       digest_size=16).digest()
        self._lock = threading.Lock()
        self._db = _open(path)

    @property
    def usable(self) -> bool:
        return self._db is not None

    def key(self, markdown: str) -> bytes:
        return hashlib.blake2b(markdown.encode(), digest_size=20, person=self._person).digest()

    def get(self, key: bytes) -> str | None:
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute("SELECT html FROM html WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._give_up("read", exc)
                return None
        return row[0] if row else None

    def put(self, key: bytes, html: str) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute("INSERT OR REPLACE INTO html (key, html) VALUES (?, ?)", (key, html))
            except sqlite3.Error as exc:  # disk full, read-only: rendering still works
                self._give_up("write", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _give_up(self, what: str, exc: sqlite3.Error) -> None:
        log.warning("render cache %s failed (%s); rendering without it", what, exc)
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()


def _open(path: Path) -> sqlite3.Connection | None:
    """The cache database, emptied when damaged or oversized; None when it cannot be had."""
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_BYTES:
                _remove(path)
            # Autocommit, no fsync: losing the last pages cached before a crash costs a render.
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(_SCHEMA)
            return db
        except sqlite3.DatabaseError as exc:  # not a database: a cache may simply start over
            if attempt or not path.exists():
                log.warning("render cache unusable (%s); rendering without it", exc)
                return None
            log.warning("render cache damaged (%s); starting a new one", exc)
            _remove(path)
        except OSError as exc:
            log.warning("render cache unavailable (%s); rendering without it", exc)
            return None
    return None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
