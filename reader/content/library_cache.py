"""The parsed library kept on disk between runs, so a large library starts without parsing.

Parsing 100,000 sections (1,000 files) takes 2.5–4 s on a 2-core laptop, all of it before the
first paint. The cache keeps what parsing produced for each file — metadata, the section tree,
titles, definitions, problems — keyed by the file's path, size and modification time (and by the
parser's own code, so a new parser never reads an old cache), and the section bodies in a
separate file: a body is read from it only when something asks for it (the page shown, a
search build, a diff), so a start reads a few of them, not 150 MB.

A file that changed is parsed again and the rest come from the cache; the cache is rewritten
then. Anything wrong with the cache (missing, truncated, from another version, unreadable) only
means parsing as before: it is a copy of what the content files say, never the only copy.
Written atomically (temporary files, then `os.replace`), so a crash mid-write leaves the old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import marshal
import os
import pickle
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reader
from reader.content.model import Briefing, Section
from reader.content.parser import Problem

log = logging.getLogger(__name__)
FORMAT = 1
INDEX_FILE = "library.pickle"
# The modules whose code decides what a parse gives: a change to any of them is a new cache.
_PARSER_MODULES = ("reader.content.parser", "reader.content.blocks", "reader.content.model",
                   "reader.content.library_cache")

# One section as stored: id, title, level, line, heading, title_html, own_footnotes,
# index of its parent in the briefing's list (-1 for the root), body start and end in the
# bodies file (bytes).
SectionRow = tuple[str, str, int, int, str, str, list[str], int, int, int]


class CachedSection(Section):
    """A section read from the cache: its body stays in the bodies file and is read each time it
    is asked for (a few times per page shown; once per section for a search build), so a large
    library's bodies are not all held in memory once a build has read them."""

    @property
    def markdown(self) -> str:
        d = self.__dict__
        text: str | None = d.get("_md")
        if text is None:
            store, start, end = d["_body"]
            return store.text(start, end)
        return text

    @markdown.setter
    def markdown(self, value: str) -> None:
        self.__dict__["_md"] = value

    @property
    def _with_definitions(self) -> tuple[str, str]:  # not cached: it would hold the body
        return self.split_definitions()


class BodyStore:
    """The bodies file, open for the life of the process. Read with seek and read under a lock
    rather than memory-mapped: mapped pages count in the process's resident memory once
    touched (a search build touches them all), the OS's file cache does not."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._lock = threading.Lock()

    def text(self, start: int, end: int) -> str:
        if start == end:
            return ""
        with self._lock:
            self._file.seek(start)
            data = self._file.read(end - start)
        if len(data) != end - start:
            raise OSError(f"the library cache's bodies file is shorter than its index ({self._file.name})")
        return data.decode("utf-8")


@dataclass
class _Entry:
    size: int
    mtime_ns: int
    briefing: tuple[Any, ...] | None  # see _flatten
    problems: list[Problem]


def code_key() -> str:
    """Changes whenever the parser's code (or the app's version) does."""
    h = hashlib.sha256(f"{FORMAT}:{reader.__version__}".encode())
    for name in _PARSER_MODULES:
        try:
            spec = importlib.util.find_spec(name)
            get_code = getattr(spec.loader, "get_code", None) if spec else None
            code = get_code(name) if get_code else None
        except (ImportError, OSError, SyntaxError):
            code = None
        h.update(marshal.dumps(code) if code is not None else name.encode())
    return h.hexdigest()


class LibraryCache:
    """`lookup(path)` gives the cached parse of an unchanged file; `remember` notes a fresh one;
    `save()` writes the cache when anything was new (or files went away)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._code = code_key()
        self._old: dict[str, _Entry] = {}
        self._store: BodyStore | None = None
        self._new: dict[str, tuple[int, int, Briefing | None, list[Problem]]] = {}
        self._changed = False
        self._opened = False

    # -- reading ---------------------------------------------------------------------------------
    def _read(self) -> None:
        self._opened = True
        index = self.folder / INDEX_FILE
        try:
            with index.open("rb") as f:
                data = pickle.load(f)
            if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != self._code:
                return
            entries = data["files"]
            bodies = self.folder / str(data["bodies"])
            store = BodyStore(bodies)
            if os.path.getsize(bodies) != data["bodies_size"]:
                raise ValueError("the bodies file does not match the index")
        except FileNotFoundError:
            return
        except Exception as exc:  # noqa: BLE001 - any damage: parse the files instead
            log.warning("library cache in %s unusable (%s); parsing the content", self.folder, exc)
            return
        self._old, self._store = entries, store

    def lookup(self, path: Path) -> tuple[Briefing | None, list[Problem]] | None:
        """The cached parse of `path` if the file is unchanged since, else None."""
        if not self._opened:
            self._read()  # here, not in __init__: inside load_library's pause of the collector
        key = str(path)
        try:
            st = path.stat()
        except OSError:
            return None
        entry = self._old.get(key)
        if entry is None or entry.size != st.st_size or entry.mtime_ns != st.st_mtime_ns:
            self._changed = True
            return None
        try:
            briefing = self._rebuild(entry.briefing, path) if entry.briefing is not None else None
        except Exception as exc:  # noqa: BLE001 - a damaged entry: parse this file instead
            log.warning("library cache entry for %s unusable (%s)", path, exc)
            self._changed = True
            return None
        self._new[key] = (entry.size, entry.mtime_ns, briefing, entry.problems)
        return briefing, list(entry.problems)

    def remember(self, path: Path, briefing: Briefing | None, problems: list[Problem]) -> None:
        """A file parsed afresh: it goes into the next `save`."""
        try:
            st = path.stat()
        except OSError:
            return
        self._new[str(path)] = (st.st_size, st.st_mtime_ns, briefing, problems)
        self._changed = True

    def _rebuild(self, flat: tuple[Any, ...], path: Path) -> Briefing:
        bid, meta, fingerprint, definitions, legacy_ids, rows = flat
        store = self._store
        made: list[Section] = []
        new = object.__new__
        for sid, title, level, line, heading, title_html, own, parent_i, start, end in rows:
            s = new(CachedSection)
            parent = made[parent_i] if parent_i >= 0 else None
            s.__dict__ = {"id": sid, "title": title, "level": level, "line": line, "parent": parent,
                          "children": [], "briefing": None, "row": 0, "heading": heading,
                          "title_html": title_html, "own_footnotes": own, "_body": (store, start, end)}
            if parent is not None:
                parent.children.append(s)
            made.append(s)
        briefing = Briefing(id=bid, meta=meta, root=made[0], path=path, fingerprint=fingerprint,
                            definitions=definitions, legacy_ids=legacy_ids)
        briefing.index_sections()
        return briefing

    # -- writing ---------------------------------------------------------------------------------
    def save(self, seen: set[str]) -> None:
        """Write the cache if any file was parsed afresh or `seen` (the files of this load) lacks
        some the cache held. Never raises: a cache that cannot be written is only slower."""
        if not self._changed and set(self._old) <= seen:
            return
        try:
            self._write({k: v for k, v in self._new.items() if k in seen})
        except Exception as exc:  # noqa: BLE001 - a full disk, a read-only folder...
            log.warning("library cache not written to %s: %s", self.folder, exc)

    def _write(self, entries: dict[str, tuple[int, int, Briefing | None, list[Problem]]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(6)
        bodies_name = f"bodies-{token}.bin"
        files: dict[str, _Entry] = {}
        offset = 0
        bodies_tmp = self.folder / f".{bodies_name}.tmp"
        with bodies_tmp.open("wb") as out:
            for key, (size, mtime_ns, briefing, problems) in entries.items():
                flat = None
                if briefing is not None:
                    flat, chunks, offset = _flatten(briefing, offset)
                    out.write(b"".join(chunks))
                files[key] = _Entry(size, mtime_ns, flat, problems)
        os.replace(bodies_tmp, self.folder / bodies_name)
        index_tmp = self.folder / f".{INDEX_FILE}.{token}.tmp"
        with index_tmp.open("wb") as f:
            pickle.dump({"format": FORMAT, "code": self._code, "bodies": bodies_name,
                         "bodies_size": offset, "files": files}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(index_tmp, self.folder / INDEX_FILE)
        for old in self.folder.glob("bodies-*.bin"):  # a process still reading one keeps its map
            if old.name != bodies_name:
                with contextlib.suppress(OSError):  # in use (Windows): removed by a later save
                    old.unlink()
        self._changed = False


def _flatten(b: Briefing, offset: int) -> tuple[tuple[Any, ...], list[bytes], int]:
    """A briefing as plain data (see SectionRow) and its bodies as bytes from `offset` on."""
    rows: list[SectionRow] = []
    chunks: list[bytes] = []
    where: dict[int, int] = {}
    for i, s in enumerate(b.sections()):
        where[id(s)] = i
        body = s.markdown.encode("utf-8")
        chunks.append(body)
        parent = where[id(s.parent)] if s.parent is not None else -1
        rows.append((s.id, s.title, s.level, s.line, s.heading, s.title_html, s.own_footnotes,
                     parent, offset, offset + len(body)))
        offset += len(body)
    return (b.id, b.meta, b.fingerprint, b.definitions, b.legacy_ids, rows), chunks, offset
