"""Opening the annotations file whatever state it is in, without ever losing what it holds.

- damaged or not a database: the file (with its -wal/-shm) is moved aside to
  `annotations.sqlite3.corrupt-<time>` — never deleted — and a new, empty store is started;
- written by a newer version: left untouched and opened read-only (or not at all);
- read-only file, full disk, busy: opened read-only if possible, else annotations are off.

Each outcome comes with one sentence for the user.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from reader.annotations.store import (
    FILE_NAME,
    AnnotationStore,
    CorruptStore,
    NewerSchema,
    StoreError,
)

log = logging.getLogger(__name__)
SIDE_FILES = ("-wal", "-shm")  # SQLite's journal: may hold committed changes, so it moves along


@dataclass(frozen=True)
class Opened:
    """The store to use (None: annotations are off) and what to tell the user ("" if nothing)."""

    store: AnnotationStore | None
    notice: str = ""
    moved_to: Path | None = None


def open_store(data_dir: Path) -> Opened:
    """Open `DATA/annotations.sqlite3`, recovering from what can be recovered from."""
    path = data_dir / FILE_NAME
    try:
        return Opened(AnnotationStore(path))
    except CorruptStore as exc:
        log.error("annotations file damaged: %s", exc)
        return _start_over(path)
    except NewerSchema as exc:
        log.warning("%s", exc)
        return _read_only(
            path, "Your annotations were saved by a newer version of Briefing Reader, so they are "
                  "shown read-only and left untouched; update the app to change them.",
            "Your annotations were saved by a newer version of Briefing Reader; annotations are "
            "turned off and the file is left untouched until you update the app.")
    except StoreError as exc:
        log.error("annotations file unusable: %s", exc)
        if path.exists() and not os.access(path, os.W_OK):
            return _read_only(
                path, "Your annotations file is read-only, so annotations are shown but cannot be "
                      "changed.",
                "Your annotations file is read-only and could not be read; annotations are off.")
        return Opened(None, f"Annotations are off for now: {exc}")


def _start_over(path: Path) -> Opened:
    try:
        moved = move_aside(path)
    except OSError as exc:
        log.exception("cannot move %s aside", path)
        return Opened(None, f"Your annotations file is damaged and could not be moved aside ({exc}); "
                            "annotations are off.")
    try:
        store = AnnotationStore(path)
    except StoreError as exc:
        return Opened(None, f"Your damaged annotations file was moved to {moved.name}, but a new "
                            f"one could not be started: {exc}", moved)
    return Opened(store, f"Your annotations file was damaged, so it was moved aside to {moved.name} "
                         "and a new, empty one was started.", moved)


def _read_only(path: Path, notice: str, off_notice: str) -> Opened:
    try:
        return Opened(AnnotationStore(path, read_only=True), notice)
    except StoreError as exc:
        log.error("cannot read %s read-only either: %s", path, exc)
        return Opened(None, off_notice)


def move_aside(path: Path) -> Path:
    """Rename `path` (and its journal files) to `<name>.corrupt-<time>`; returns the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():  # never replace an earlier damaged copy
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in SIDE_FILES:  # journal first: a crash in between leaves no orphan journal
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    log.warning("moved the damaged annotations file to %s", target)
    return target
