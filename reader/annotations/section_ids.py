"""Annotations and read marks kept under section ids an older Briefing Reader gave.

Before non-Latin headings had ids of their own, they all got placeholders (`section`,
`section-2`, `parent--section`, ...), which shift when a heading is inserted. The parser still
works out those old ids (`Briefing.legacy_ids`: the same heading text and place give the same old
id), so what the store holds under one moves to today's id of that section. A stored fingerprint
picks the version of the briefing the note was made on when older versions are on disk. Run when
a library is first used; a store without such ids is only read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from reader.annotations.store import FILE_NAME, AnnotationStore, StoreError
from reader.content import Library, Section

log = logging.getLogger(__name__)


def needs_migration(library: Library) -> bool:
    """True when some briefing (or an older version of one) has headings whose id changed."""
    return any(b.legacy_ids for b in library.briefings) or any(
        v.legacy_ids for versions in library.older.values() for v in versions)


def legacy_moves(library: Library, stored: Iterable[tuple[str, str, str]]
                 ) -> dict[tuple[str, str], str]:
    """(briefing id, old section id) -> today's section id, for stored sections whose id names
    no section of the briefing now but was the old id of one."""
    moves: dict[tuple[str, str], str] = {}
    for briefing_id, section_id, fingerprint in stored:
        briefing = library.briefing(briefing_id)
        if briefing is None or briefing.section(section_id) is not None:
            continue
        candidates: list[Section] = []
        for version in [briefing, *library.older_versions(briefing_id)]:
            new = version.legacy_ids.get(section_id)
            section = version.section(new) if new is not None else None
            if section is not None:
                candidates.append(section)
        if candidates:
            chosen = next((s for s in candidates if s.fingerprint == fingerprint), candidates[0])
            moves[(briefing_id, section_id)] = chosen.id
    return moves


def migrate_section_ids(store: AnnotationStore, library: Library) -> int:
    """Move what the store keeps under old section ids to today's ids; returns rows moved."""
    moves = legacy_moves(library, store.stored_sections())
    if not moves:
        return 0
    count = store.move_sections(moves)
    log.info("moved %d annotation(s) and read mark(s) to new section ids: %s", count,
             ", ".join(f"{b}/{old} -> {new}" for (b, old), new in sorted(moves.items())))
    return count


def migrate_in_folder(data_dir: Path, library: Library) -> int:
    """`migrate_section_ids` on the data folder's store, if it exists and the library needs it;
    a store that cannot be opened is left alone (the window reports it when it opens it)."""
    path = data_dir / FILE_NAME
    if not needs_migration(library) or not path.exists():
        return 0
    try:
        store = AnnotationStore(path)
    except StoreError as exc:
        log.warning("section ids not migrated: %s", exc)
        return 0
    try:
        return migrate_section_ids(store, library)
    except StoreError as exc:
        log.warning("section ids not migrated: %s", exc)
        return 0
    finally:
        store.close()
