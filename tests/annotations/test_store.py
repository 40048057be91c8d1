"""The SQLite store on a real file: persistence, pragmas, transactions, bad files, listeners."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.annotations import (
    FILE_NAME,
    Annotation,
    AnnotationStore,
    Change,
    Kind,
    Selector,
    StoreError,
)
from reader.annotations.schema import SCHEMA_VERSION

TEXT = "Iran and Russia are deepening ties across defence, energy and trade."


def make(note: str = "", tags: tuple[str, ...] = ()) -> Annotation:
    sel = Selector.from_range(TEXT, 9, 15)  # "Russia"
    return Annotation("iran-russia", "deepening-ties", kind=Kind.NOTE if note else Kind.HIGHLIGHT,
                      selector=sel, color="green", note=note, tags=tags, fingerprint="fp1")


def test_persists_across_restart(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    a = store.add(make("see *sanctions*", ("energy", "policy")))
    store.close()
    assert (data_dir / FILE_NAME).is_file()
    again = AnnotationStore.in_folder(data_dir)
    assert again.all() == [a]
    assert again.get(a.id) == a
    assert again.for_section("iran-russia", "deepening-ties") == [a]
    assert again.counts_by_section() == {"iran-russia/deepening-ties": 1}


def test_pragmas_wal_foreign_keys_version(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    assert store.journal_mode == "wal"
    assert store.schema_version == SCHEMA_VERSION
    raw = sqlite3.connect(data_dir / FILE_NAME)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_delete_cascades_tags_and_returns_the_annotation(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    a = store.add(make("x", ("t1", "t2")))
    assert store.delete(a.id) == a
    assert store.delete(a.id) is None
    rows = store._conn.execute("SELECT count(*) FROM annotation_tag").fetchone()[0]
    assert rows == 0


def test_failed_transaction_leaves_nothing(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    a = store.add(make())
    dup = Annotation("iran-russia", "other", id=a.id)
    with pytest.raises(sqlite3.IntegrityError):
        store.add(dup)  # same id: the whole insert (row and tags) is rolled back
    assert store.all() == [a]
    store.save(a.edited(note="changed", tags=("new",)))
    assert store.get(a.id).note == "changed"
    assert store.get(a.id).tags == ("new",)


def test_corrupt_file_is_a_clear_error(data_dir: Path) -> None:
    (data_dir / FILE_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable annotations database"):
        AnnotationStore.in_folder(data_dir)


def test_newer_schema_is_refused(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / FILE_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer Briefing Reader"):
        AnnotationStore.in_folder(data_dir)


def test_listeners_hear_committed_changes_and_search_records(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    heard: list[Change] = []
    store.add_listener(heard.append)
    store.add_listener(lambda change: 1 / 0)  # a broken listener must not break the store
    a = store.add(make("My note about energy"))
    store.save(a.edited(note="Edited note"))
    store.delete(a.id)
    assert [c.action for c in heard] == ["added", "changed", "deleted"]
    assert {c.section_key for c in heard} == {"iran-russia/deepening-ties"}
    b = store.add(make("Remember the Caspian"))
    records = store.searchable_records()
    assert [(r.annotation_id, r.section_key, r.kind) for r in records] == [
        (b.id, "iran-russia/deepening-ties", "note")]
    assert "Remember the Caspian" in records[0].text and "Russia" in records[0].text


def test_read_marks_keep_the_fingerprint(data_dir: Path) -> None:
    store = AnnotationStore.in_folder(data_dir)
    store.mark_read("iran-russia", "wrap-up", "abc123")
    store.close()
    store = AnnotationStore.in_folder(data_dir)
    marks = store.read_marks()
    assert set(marks) == {"iran-russia/wrap-up"}
    assert marks["iran-russia/wrap-up"].fingerprint == "abc123"
    store.mark_unread("iran-russia", "wrap-up")
    assert store.read_marks() == {}
