"""Annotations and read marks stored under the placeholder ids older versions gave non-Latin
headings move to today's ids on first start, and an update then reports no section removed+new."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reader.annotations import AnnotationStore, service
from reader.annotations.section_ids import legacy_moves, migrate_section_ids
from reader.content import load_library
from reader.paths import AppPaths
from reader.session import Session
from reader.updates import compute_changes
from tests.conftest import write_briefing

RU = "## Экономика\nПервый текст про экономику.\n## Санкции\nВторой текст про санкции.\n"


def old_id(briefing, new: str) -> str:
    return next(old for old, now in briefing.legacy_ids.items() if now == new)


def seed_store(data_dir: Path, library) -> tuple[str, str]:
    """An annotation and a read mark as the previous version stored them (placeholder ids)."""
    b = library.briefings[0]
    sanctions = b.section("санкции")
    note = service.create_for_quote(sanctions, "санкции", note="важно")
    assert note is not None
    store = AnnotationStore.in_folder(data_dir)
    placeholder = old_id(b, "санкции")
    store.add(replace(note, section_id=placeholder))
    store.mark_read(b.id, old_id(b, "экономика"), b.section("экономика").fingerprint)
    store.close()
    return placeholder, old_id(b, "экономика")


def test_first_start_moves_annotations_and_read_marks(tmp_path: Path, data_dir: Path) -> None:
    content = tmp_path / "content"
    write_briefing(content, "ru.md", RU, id="ru")
    placeholders = seed_store(data_dir, load_library([content]))
    assert placeholders == ("ru--section-2", "ru--section")
    session = Session(AppPaths.create(data_dir), content)
    library = session.library  # the first use migrates
    store = AnnotationStore.in_folder(data_dir)
    [ann] = store.all()
    assert ann.section_key == "ru/санкции" and ann.note == "важно"
    assert set(store.read_marks()) == {"ru/экономика"}
    anchors = service.anchors_in_library(library, store.all())
    assert anchors[ann.id].status.value == "exact"
    assert legacy_moves(library, store.stored_sections()) == {}  # nothing left to move
    assert migrate_section_ids(store, library) == 0
    store.close()


def test_the_later_of_two_read_marks_stays(tmp_path: Path, data_dir: Path) -> None:
    content = tmp_path / "content"
    write_briefing(content, "ru.md", RU, id="ru")
    library = load_library([content])
    store = AnnotationStore.in_folder(data_dir)
    store.mark_read("ru", "ru--section", "old-text")
    store.mark_read("ru", "экономика", "new-text")  # read again after an update: later
    assert migrate_section_ids(store, library) == 0
    assert {k: m.fingerprint for k, m in store.read_marks().items()} == {"ru/экономика": "new-text"}
    store.close()


def test_an_update_reports_only_what_changed(tmp_path: Path, data_dir: Path) -> None:
    """Version 2 inserts a heading before the others: with placeholder ids every section after
    it would have shifted (removed + new); now only the inserted one is new."""
    content = tmp_path / "content"
    write_briefing(content, "v1.md", RU, id="ru", date="2026-01-01")
    v1 = load_library([content]).briefings[0]
    old = {new: placeholder for placeholder, new in v1.legacy_ids.items()}
    store = AnnotationStore.in_folder(data_dir)
    for s in v1.sections():
        store.mark_read("ru", old.get(s.id, s.id), s.fingerprint)
    store.close()
    assert sorted(old.values()) == ["ru--section", "ru--section-2"]
    write_briefing(content, "v2.md", "## Срочно\nНовый раздел.\n" + RU, id="ru", date="2026-01-02")
    library = Session(AppPaths.create(data_dir), content).library
    store = AnnotationStore.in_folder(data_dir)
    marks = {k: m.fingerprint for k, m in store.read_marks().items()}
    store.close()
    changes = compute_changes(library, marks, {"ru": v1.fingerprint})
    assert [(c.kind.value, c.key) for c in changes] == [("new", "ru/срочно")]
