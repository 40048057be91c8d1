"""The annotation store: one SQLite file in the data folder, safe for several processes at once.

WAL journal (readers never block the writer), foreign keys on, a busy timeout, and every change in
a `BEGIN IMMEDIATE` transaction: a deferred transaction that reads first and then writes can fail
with SQLITE_BUSY in WAL mode despite the timeout, an immediate one waits its turn instead.
Schema versions and migrations live in `schema.py`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.annotations.model import Annotation, Kind, Selector, now_iso, parse_time
from reader.annotations.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)
FILE_NAME = "annotations.sqlite3"
BUSY_TIMEOUT_S = 10.0
_COLUMNS = ("id, briefing_id, section_id, kind, color, quote, prefix, suffix, start_offset,"
            " end_offset, note, fingerprint, created, modified")


class StoreError(Exception):
    """The annotations file cannot be used; the message is meant for the user."""


class CorruptStore(StoreError):
    """The file is damaged or not a database: it may be moved aside (never deleted)."""


class NewerSchema(StoreError):
    """A newer Briefing Reader wrote the file: it must stay untouched (open it read-only)."""


_CORRUPTION = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def _is_corruption(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return any(name.startswith(c) for c in _CORRUPTION)


def _why(exc: sqlite3.Error) -> str:
    """The cause of a failed write in words a reader understands."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_FULL") or "full" in text:
        return "the disk is full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "the annotations file is read-only"
    if name.startswith("SQLITE_BUSY") or "locked" in text:
        return "another program kept the annotations file busy"
    if _is_corruption(exc):
        return "the annotations file is damaged"
    return text


@dataclass(frozen=True)
class Change:
    """What listeners hear after a committed change: 'added', 'changed' or 'deleted'."""

    action: str
    annotation_id: str
    section_key: str


@dataclass(frozen=True)
class SearchRecord:
    """An annotation as the search index wants it: note and quote together as one text."""

    annotation_id: str
    section_key: str
    kind: str
    text: str


@dataclass(frozen=True)
class ReadMark:
    fingerprint: str  # the section's fingerprint when it was read: "changed since" builds on it
    read_at: str


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


Listener = Callable[[Change], None]


class AnnotationStore:
    """Annotations and read marks of one user; every method is one transaction."""

    def __init__(self, path: Path, timeout: float = BUSY_TIMEOUT_S, read_only: bool = False) -> None:
        self.path, self.read_only = path, read_only
        self._listeners: list[Listener] = []
        try:
            if read_only:  # mode=ro: SQLite itself refuses every write to the file
                self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                             timeout=timeout, isolation_level=None)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            log.exception("cannot open %s", path)
            raise StoreError(f"Cannot open the annotations file {path}: {exc}") from exc
        try:
            self._open(timeout)
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.Error as exc:
            self._conn.close()
            log.exception("cannot open %s", path)
            if _is_corruption(exc):
                raise CorruptStore(
                    f"{path} is damaged or not a usable annotations database ({exc}).") from exc
            raise StoreError(f"The annotations file {path} cannot be used ({exc}).") from exc

    def _open(self, timeout: float) -> None:
        """Check the file before anything writes to it, then set it up (or only read it)."""
        # The version is read first: switching a newer app's file to WAL or migrating it would
        # already change it.
        self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        version = self.schema_version
        if version > SCHEMA_VERSION and not self.read_only:
            raise NewerSchema(
                f"{self.path} was written by a newer Briefing Reader (schema {version}, "
                f"this one knows {SCHEMA_VERSION})."
            )
        if not self.read_only and not os.access(self.path, os.W_OK):
            # SQLite quietly opens such a file read-only and only the first save would fail.
            raise StoreError(f"{self.path} is read-only.")
        # A truncated or scribbled-on file often opens and fails later, mid-session.
        problems = [row[0] for row in self._conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise CorruptStore(f"{self.path} is damaged, not a usable annotations database "
                               f"({'; '.join(problems[:3])}).")
        if self.read_only:
            self.all(), self.read_marks()  # a newer schema may have moved things: fail now
            return
        self._configure()
        self._migrate()

    @classmethod
    def in_folder(cls, data_dir: Path) -> AnnotationStore:
        return cls(data_dir / FILE_NAME)

    def close(self) -> None:
        self._conn.close()

    # -- set-up ---------------------------------------------------------------------------------
    def _configure(self) -> None:
        self._conn.execute("PRAGMA foreign_keys = ON")
        # Switching to WAL needs an exclusive lock and ignores the busy handler, so two processes
        # creating the file at once can see "locked": retry until the timeout.
        deadline = time.monotonic() + self._conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def journal_mode(self) -> str:
        return str(self._conn.execute("PRAGMA journal_mode").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:
            return
        with self._transaction():  # re-read inside: another process may have migrated meanwhile
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise NewerSchema(
                    f"{self.path} was written by a newer Briefing Reader (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}); please update."
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                log.info("migrating %s to schema %d", self.path, step)
                MIGRATIONS[step](self._conn)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; SQLite failures (disk full, read-only file, I/O error) come out
        as a StoreError the user can read, and nothing of the transaction is kept."""
        if self.read_only:
            raise StoreError("Annotations are read-only now, so this change was not saved.")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError:
            raise  # a caller's mistake (e.g. a reused id), not the file's: keep it visible
        except sqlite3.Error as exc:
            log.exception("annotation change failed in %s", self.path)
            raise StoreError(f"The change was not saved: {_why(exc)}.") from exc

    # -- listeners ------------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        """Call `listener(change)` after each committed change (e.g. to update a search index)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, changes: list[Change]) -> None:
        for change in changes:
            for listener in list(self._listeners):
                try:
                    listener(change)
                except Exception:  # a broken listener must not undo a committed change
                    log.exception("annotation listener failed on %s", change)

    # -- reading --------------------------------------------------------------------------------
    def get(self, annotation_id: str) -> Annotation | None:
        rows = self._select("WHERE id = ?", (annotation_id,))
        return rows[0] if rows else None

    def all(self) -> list[Annotation]:
        """Every annotation, by section then position."""
        return self._select("ORDER BY briefing_id, section_id, start_offset, created", ())

    def for_section(self, briefing_id: str, section_id: str) -> list[Annotation]:
        return self._select(
            "WHERE briefing_id = ? AND section_id = ? ORDER BY start_offset, created",
            (briefing_id, section_id),
        )

    def counts_by_section(self) -> dict[str, int]:
        """'briefing/section' -> number of annotations on it."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT briefing_id, section_id, count(*) FROM annotation GROUP BY 1, 2"
            ).fetchall()
        return {f"{b}/{s}": n for b, s, n in rows}

    def searchable_records(self) -> list[SearchRecord]:
        """Every annotation with text worth finding (note and quote), for the search index."""
        return [r for r in map(search_record, self.all()) if r.text]

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A failed read (file damaged or gone mid-session) becomes a StoreError to show."""
        try:
            yield
        except sqlite3.Error as exc:
            log.exception("reading %s failed", self.path)
            raise StoreError(f"Annotations could not be read: {_why(exc)}.") from exc

    def _select(self, where: str, params: tuple[object, ...]) -> list[Annotation]:
        with self._reading():
            return self._select_rows(where, params)

    def _select_rows(self, where: str, params: tuple[object, ...]) -> list[Annotation]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM annotation {where}", params).fetchall()
        tags: dict[str, list[str]] = {}
        ids = [r[0] for r in rows]
        for i in range(0, len(ids), 500):  # stay under SQLite's host-parameter limit
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, tag in self._conn.execute(
                f"SELECT annotation_id, tag FROM annotation_tag WHERE annotation_id IN ({marks})",
                chunk,
            ):
                tags.setdefault(aid, []).append(tag)
        return [_from_row(r, tags.get(r[0], [])) for r in rows]

    # -- writing --------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        """Insert a new annotation (its id must be new)."""
        with self._transaction() as conn:
            _insert(conn, annotation)
        self._notify([Change("added", annotation.id, annotation.section_key)])
        return annotation

    def save(self, annotation: Annotation) -> Annotation:
        """Insert or replace an annotation as given (edits, undo, re-anchoring)."""
        with self._transaction() as conn:
            existed = _delete(conn, annotation.id)
            _insert(conn, annotation)
        action = "changed" if existed else "added"
        self._notify([Change(action, annotation.id, annotation.section_key)])
        return annotation

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns it (for undo) or None if there was none."""
        with self._transaction() as conn:
            old = self.get(annotation_id)
            if old is not None:
                _delete(conn, annotation_id)
        if old is not None:
            self._notify([Change("deleted", old.id, old.section_key)])
        return old

    def merge(self, incoming: list[Annotation]) -> MergeReport:
        """Merge by id in one transaction: new ones are added, a newer `modified` wins."""
        report, changes = MergeReport(), []
        with self._transaction() as conn:
            for ann in incoming:
                mine = self.get(ann.id)
                if mine is None:
                    _insert(conn, ann)
                    report.added += 1
                    changes.append(Change("added", ann.id, ann.section_key))
                elif parse_time(ann.modified) > parse_time(mine.modified):
                    _delete(conn, ann.id)
                    _insert(conn, ann)
                    report.updated += 1
                    changes.append(Change("changed", ann.id, ann.section_key))
                else:
                    report.unchanged += 1
        self._notify(changes)
        return report

    # -- read marks -----------------------------------------------------------------------------
    def mark_read(self, briefing_id: str, section_id: str, fingerprint: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO read_mark VALUES (?, ?, ?, ?)",
                (briefing_id, section_id, fingerprint, now_iso()),
            )

    def mark_unread(self, briefing_id: str, section_id: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM read_mark WHERE briefing_id = ? AND section_id = ?",
                         (briefing_id, section_id))

    def stored_sections(self) -> list[tuple[str, str, str]]:
        """(briefing id, section id, a fingerprint stored with it) of every section that has
        annotations or a read mark."""
        with self._reading():
            return [(b, s, fp) for b, s, fp in self._conn.execute(
                "SELECT briefing_id, section_id, max(fingerprint) FROM ("
                " SELECT briefing_id, section_id, fingerprint FROM annotation UNION ALL"
                " SELECT briefing_id, section_id, fingerprint FROM read_mark) GROUP BY 1, 2"
            ).fetchall()]

    def move_sections(self, moves: dict[tuple[str, str], str]) -> int:
        """Move annotations and read marks from (briefing id, section id) to the new section id
        of each entry, in one transaction; of two read marks for one section the later stays.
        Returns how many rows moved."""
        moved: list[Annotation] = []
        count = 0
        with self._transaction() as conn:
            for (briefing_id, old), new in moves.items():
                moved += self._select_rows("WHERE briefing_id = ? AND section_id = ?",
                                           (briefing_id, old))
                count += conn.execute(
                    "UPDATE annotation SET section_id = ? WHERE briefing_id = ? AND section_id = ?",
                    (new, briefing_id, old)).rowcount
                conn.execute(
                    "DELETE FROM read_mark WHERE briefing_id = ? AND section_id = ? AND read_at <="
                    " (SELECT max(read_at) FROM read_mark WHERE briefing_id = ? AND section_id = ?)",
                    (briefing_id, old, briefing_id, new))
                conn.execute("DELETE FROM read_mark WHERE briefing_id = ? AND section_id = ? AND"
                             " EXISTS (SELECT 1 FROM read_mark WHERE briefing_id = ? AND"
                             " section_id = ?)", (briefing_id, new, briefing_id, old))
                count += conn.execute(
                    "UPDATE read_mark SET section_id = ? WHERE briefing_id = ? AND section_id = ?",
                    (new, briefing_id, old)).rowcount
        self._notify([Change("changed", a.id, f"{a.briefing_id}/{moves[(a.briefing_id, a.section_id)]}")
                      for a in moved])
        return count

    def read_marks(self) -> dict[str, ReadMark]:
        """'briefing/section' -> when it was read and the fingerprint of the text read."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT briefing_id, section_id, fingerprint, read_at FROM read_mark").fetchall()
        return {f"{b}/{s}": ReadMark(fp, at) for b, s, fp, at in rows}


def search_record(a: Annotation) -> SearchRecord:
    """The annotation as the search index takes it: the note as the plain text it renders to
    (a snippet never shows `**`, a word written in bold is found), then the quote."""
    from reader.annotations.note_html import note_text  # Markdown loads only for a search

    text = "\n".join(part for part in (note_text(a.note), a.quote.strip()) if part)
    return SearchRecord(a.id, a.section_key, a.kind.value, text)


def _insert(conn: sqlite3.Connection, a: Annotation) -> None:
    s = a.selector
    conn.execute(
        f"INSERT INTO annotation ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.id, a.briefing_id, a.section_id, a.kind.value, a.color, s.exact, s.prefix, s.suffix,
         s.start, s.end, a.note, a.fingerprint, a.created, a.modified),
    )
    conn.executemany("INSERT INTO annotation_tag VALUES (?, ?)", [(a.id, t) for t in a.tags])


def _delete(conn: sqlite3.Connection, annotation_id: str) -> bool:
    # Tags go with it: ON DELETE CASCADE (foreign keys are on for every connection).
    return conn.execute("DELETE FROM annotation WHERE id = ?", (annotation_id,)).rowcount > 0


def _from_row(row: tuple[Any, ...], tags: list[str]) -> Annotation:
    (aid, briefing_id, section_id, kind, color, quote, prefix, suffix, start, end, note, fp,
     created, modified) = row
    return Annotation(
        id=aid, briefing_id=briefing_id, section_id=section_id, kind=Kind(kind), color=color,
        selector=Selector(quote, prefix, suffix, start, end), note=note, tags=tuple(tags),
        fingerprint=fp, created=created, modified=modified,
    )
