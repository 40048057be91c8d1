"""Migration of an old (schema v1) annotations file to the current schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.annotations import FILE_NAME, AnnotationStore, Kind
from reader.annotations.schema import SCHEMA_VERSION, V1_SCHEMA


def write_v1_file(path: Path) -> None:
    """A file as version 1 wrote it: one table, 'briefing/section' keys, comma-separated tags."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany(
        "INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("a1", "iran-russia/deepening-ties", "note", "blue", "Russia", "Iran and ", " are",
             9, 15, "old note", "energy, policy,energy", "fp1", "2026-01-01T10:00:00+00:00",
             "2026-01-02T10:00:00+00:00"),
            ("a2", "iran-russia/wrap-up", "bookmark", None, None, None, None, None, None, None,
             None, None, "2026-01-03T10:00:00+00:00", "2026-01-03T10:00:00+00:00"),
        ],
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_v1_file_is_migrated_without_loss(data_dir: Path) -> None:
    write_v1_file(data_dir / FILE_NAME)
    store = AnnotationStore.in_folder(data_dir)
    assert store.schema_version == SCHEMA_VERSION == 2
    a1, a2 = store.all()
    assert (a1.id, a1.briefing_id, a1.section_id) == ("a1", "iran-russia", "deepening-ties")
    assert a1.kind is Kind.NOTE and a1.color == "blue" and a1.note == "old note"
    assert a1.tags == ("energy", "policy")
    assert (a1.selector.exact, a1.selector.start, a1.selector.end) == ("Russia", 9, 15)
    assert a1.created == "2026-01-01T10:00:00+00:00"
    assert a1.modified == "2026-01-02T10:00:00+00:00"
    assert (a2.kind, a2.section_key, a2.color) == (Kind.BOOKMARK, "iran-russia/wrap-up", "yellow")
    assert a2.selector.is_empty
    tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "annotations" not in tables and {"annotation", "annotation_tag", "read_mark"} <= tables
    # the new tables work on the migrated file: foreign keys cascade, read marks store
    store.delete("a1")
    assert store._conn.execute("SELECT count(*) FROM annotation_tag").fetchone()[0] == 0
    store.mark_read("iran-russia", "wrap-up", "fp")
    assert "iran-russia/wrap-up" in store.read_marks()


def test_reopening_a_migrated_file_does_not_migrate_again(data_dir: Path) -> None:
    write_v1_file(data_dir / FILE_NAME)
    AnnotationStore.in_folder(data_dir).close()
    store = AnnotationStore.in_folder(data_dir)
    assert len(store.all()) == 2
