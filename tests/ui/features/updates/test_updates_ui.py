"""Briefing updates in the window: import from the File menu, tree markers, the What Changed view,
reading clears a marker (and it stays cleared), Next Change, Mark All as Seen, and annotations on
the edited paragraph in the review list."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.annotations import AnnotationStore, Status, service
from reader.ui.features.updates.feature import REMOVED_PREFIX, UpdatesController, UpdatesFeature
from reader.ui.kit.marks import ChangeTone
from reader.ui.library.tree_model import BadgeRole, KeyRole
from reader.ui.shell.main_window import MainWindow
from reader.updates import ChangeKind
from tests.ui.features_of import annotations_of, search_indexer_of, updates_of
from tests.updates.helpers import EDITED, NEW, REMOVED, make_pack, updated_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
FUZZY_QUOTE = "potential deals for advanced weaponry, drone technology, and even joint research"
MOVED_QUOTE = "This is a significant shift, as it elevates their military relationship"


def updates(window: MainWindow) -> UpdatesController:
    return updates_of(window)


def jobs_done(window: MainWindow, qtbot) -> None:
    """Wait for the import (or load) running off the GUI thread to be shown."""
    qtbot.waitUntil(lambda: not window.folders.jobs.busy, timeout=30_000)  # type: ignore[attr-defined]


def import_folder(window: MainWindow, folder: Path, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.actions_by_name["import_briefing_folder"].trigger()
    jobs_done(window, qtbot)


def rows(model, parent: QModelIndex = QModelIndex()) -> list[QModelIndex]:  # noqa: B008
    out = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        out += [index, *rows(model, index)]
    return out


def markers(window: MainWindow) -> dict[str, str]:
    """Section id -> marker, read from what the tree shows."""
    found = {}
    for index in rows(window.model):
        text = index.data()
        sid = index.data(KeyRole).split("/")[1]
        if text.startswith(REMOVED_PREFIX):
            found[sid] = "removed"
        for kind in ("new", "changed"):
            if index.data(BadgeRole).endswith(f"({kind})"):  # drawn beside the title
                found[sid] = kind
        if index.data(Qt.ItemDataRole.DecorationRole) is None and sid in found:
            raise AssertionError(f"{sid} is marked without its coloured dot")
    return found


@pytest.fixture
def updated(open_window, qtbot, tmp_path: Path, monkeypatch) -> MainWindow:
    window = open_window(size=None)
    assert markers(window) == {}
    import_folder(window, make_pack(tmp_path / "pack"), monkeypatch, qtbot)
    return window


def test_import_from_the_file_menu_gives_exactly_three_markers(updated: MainWindow, qtmodeltester) -> None:
    assert updated.library.briefings[0].meta.version == "2"
    assert markers(updated) == {EDITED: "changed", NEW: "new", REMOVED: "removed"}
    qtmodeltester.check(updated.model)
    assert "replaces version 1" in updated.statusBar().currentMessage()
    ctl = updates(updated)
    assert ctl.dock.isVisible() and ctl.dock.model.rowCount() == 3
    assert ctl.count_label.text() == "3 change(s) since you last read"


def test_removed_section_is_listed_and_readable_from_the_older_version(updated: MainWindow) -> None:
    ctl = updates(updated)
    shown_before = updated.current
    [removed] = [c for c in ctl.changes if c.kind is ChangeKind.REMOVED]
    ctl.go_to(removed)
    assert updated.tree.currentIndex().data(KeyRole) == f"iran-russia/{REMOVED}"
    assert updated.current is shown_before  # the article does not try to show a missing section
    text = ctl.dock.view.toPlainText()
    assert "Removed by the update" in text and "version 1 of 2026-11-25" in text
    assert "Iran and Russia are finding some serious economic synergies" in text


def test_diff_view_marks_inserted_and_deleted_words(updated: MainWindow) -> None:
    ctl = updates(updated)
    [changed] = [c for c in ctl.changes if c.kind is ChangeKind.CHANGED]
    ctl.go_to(changed)
    assert updated.visible_section().key == f"iran-russia/{EDITED}"
    for name in ("light", "dark", "sepia", "light"):  # live switches re-colour the shown diff
        updated.set_theme(name)
        theme = updated.themes.current
        assert theme.name == name
        inserted, deleted = theme.style(ChangeTone.INSERTED), theme.style(ChangeTone.DELETED)
        doc = ctl.dock.view.document()
        for word in ("Officials", "confirm", "signed"):
            cursor = doc.find(word)
            assert not cursor.isNull(), word
            fmt = cursor.charFormat()
            assert fmt.background().color() == inserted.background, (name, word)
            assert fmt.foreground().color() == inserted.foreground, (name, word)
            assert not fmt.fontStrikeOut()
        for word in ("seeing", "discussions", "potential", "even"):
            fmt = doc.find(word).charFormat()
            assert fmt.fontStrikeOut(), word
            assert fmt.background().color() == deleted.background, (name, word)
            assert fmt.foreground().color() == deleted.foreground, (name, word)
        unchanged = doc.find("advanced weaponry").charFormat()
        assert not unchanged.fontStrikeOut() and unchanged.background().style() == Qt.BrushStyle.NoBrush
        model = ctl.dock.model
        kinds = {model.change(model.index(r)).kind: model.index(r) for r in range(model.rowCount())}
        for kind, index in kinds.items():
            colour = index.data(Qt.ItemDataRole.ForegroundRole)
            assert colour == theme.style(ChangeTone(kind.value)).foreground, (name, kind)


def test_reading_a_changed_section_clears_its_marker_and_it_stays_cleared(
    updated: MainWindow, open_window, qtbot, data_dir: Path
) -> None:
    updated.open_reference(f"iran-russia/{EDITED}")
    qtbot.waitUntil(lambda: EDITED not in markers(updated), timeout=5000)
    assert markers(updated) == {NEW: "new", REMOVED: "removed"}
    section = updated.library.find(f"iran-russia/{EDITED}")
    store = AnnotationStore.in_folder(data_dir)
    assert store.read_marks()[section.key].fingerprint == section.fingerprint
    store.close()
    assert updated.model.data(updated.model.index_of(section), BadgeRole).endswith("✓")  # read mark
    updated.close()
    again = open_window(size=None)  # restart
    assert markers(again) == {NEW: "new", REMOVED: "removed"}


def test_next_change_walks_through_them_and_mark_all_as_seen_clears(
    updated: MainWindow, open_window
) -> None:
    ctl = updates(updated)
    ctl.dwell.setInterval(60_000)  # walk without reading
    updated.show_section(updated.library.briefings[0].root)
    visited = [ctl.next_change().kind for _ in range(4)]
    assert visited == [ChangeKind.CHANGED, ChangeKind.NEW, ChangeKind.REMOVED, ChangeKind.CHANGED]
    updated.actions_by_name["mark_all_seen"].trigger()
    assert markers(updated) == {} and ctl.changes == []
    assert not updated.actions_by_name["mark_all_seen"].isEnabled()
    assert ctl.next_change() is None
    updated.close()
    assert markers(open_window(size=None)) == {}


def test_refused_import_shows_the_reasons_and_changes_nothing(
    open_window, qtbot, tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    window = open_window(size=None)
    before = window.library.fingerprint
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("iran-russia.md", updated_text())
        zf.writestr("notes.md", b"---\ntitle: x\ndate: 2026-01-01\n---\n\xff")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    window.actions_by_name["import_briefing"].trigger()
    jobs_done(window, qtbot)
    box = updates(window).message_box
    assert box is not None and box.isVisible()
    assert "refused; your library is unchanged" in box.text()
    assert "bad.zip/notes.md:5: not valid UTF-8" in box.informativeText()
    box.button(QMessageBox.StandardButton.Ok).click()
    assert window.library.fingerprint == before and not (data_dir / "library").exists()
    assert markers(window) == {}


def test_annotations_on_the_edited_paragraph_are_in_the_review_list(
    open_window, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window = open_window(size=None)
    section = window.library.find(f"iran-russia/{EDITED}")
    store = annotations_of(window).store
    fuzzy = store.add(service.create_for_quote(section, FUZZY_QUOTE, note="deals?"))
    moved = store.add(service.create_for_quote(section, MOVED_QUOTE))
    import_folder(window, make_pack(tmp_path / "pack"), monkeypatch, qtbot)
    ctl = annotations_of(window)
    statuses = {e.annotation.id: e.anchor.status for e in ctl.entries}
    assert statuses == {fuzzy.id: Status.FUZZY, moved.id: Status.MOVED}
    review = ctl.dock.review
    labels = [review.model.index(r, 0).data() for r in range(review.model.rowCount())]
    assert labels == ["Fuzzy (1)", "Moved (1)"]  # most in need of review first
    assert ctl.dock.isVisible() and ctl.dock.tabs.currentWidget() is review
    assert "2 annotation(s) on changed sections to review" in window.statusBar().currentMessage()


def test_self_test_check(updated: MainWindow) -> None:
    assert updated.features.require(UpdatesFeature).self_test().startswith("updates: 3 change(s)")


def test_search_follows_an_import(updated: MainWindow, qtbot) -> None:
    """After an update the index is brought up to date: the new section is found, the removed
    one is not."""
    index = search_indexer_of(updated).index

    def hits(query: str) -> list[str]:
        return [h.section for h in index.search(query).hits] if index.ready else []

    qtbot.waitUntil(lambda: hits("satellite navigation") == [f"iran-russia/{NEW}"], timeout=30_000)
    assert f"iran-russia/{REMOVED}" not in hits("agricultural products")


def click_entry(ctl: UpdatesController, qtbot, key: str) -> None:
    model = ctl.dock.model
    [index] = [model.index(r) for r in range(model.rowCount()) if model.index(r).data(KeyRole) == key]
    rect = ctl.dock.list.visualRect(index)
    qtbot.mouseClick(ctl.dock.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def listed(ctl: UpdatesController) -> dict[str, str]:
    model = ctl.dock.model
    return {model.index(r).data(KeyRole).split("/")[1]: model.index(r).data()
            for r in range(model.rowCount())}


def test_a_read_entry_stays_listed_as_seen_and_its_diff_opens_again(updated: MainWindow, qtbot) -> None:
    ctl = updates(updated)
    qtbot.waitUntil(ctl.dock.list.isVisible)
    click_entry(ctl, qtbot, f"iran-russia/{EDITED}")
    qtbot.waitUntil(lambda: EDITED not in markers(updated), timeout=5000)  # read: its marker goes
    entries = listed(ctl)
    assert set(entries) == {EDITED, NEW, REMOVED}  # ...but the list keeps it
    assert entries[EDITED].endswith("✓ seen") and not entries[NEW].endswith("✓ seen")
    assert ctl.dock.windowTitle() == "What Changed (2)"
    ctl.dock.show_change(next(c for c in ctl.listed if c.kind is ChangeKind.NEW))
    click_entry(ctl, qtbot, f"iran-russia/{EDITED}")  # opened again: its diff, not just its text
    assert "Changed since you read version 1" in ctl.dock.view.toPlainText()
    assert not ctl.dock.view.document().find("Officials").isNull()
    updated.actions_by_name["mark_all_seen"].trigger()  # Mark All as Seen empties the list
    assert listed(ctl) == {}


def test_the_section_open_during_an_import_is_listed_as_changed(
    open_window, qtbot, tmp_path: Path, monkeypatch
) -> None:
    window = open_window(size=None)
    window.open_reference(f"iran-russia/{EDITED}")
    qtbot.wait(100)
    import_folder(window, make_pack(tmp_path / "pack"), monkeypatch, qtbot)
    assert window.visible_section().key == f"iran-russia/{EDITED}"
    ctl = updates(window)
    qtbot.wait(ctl.dwell.interval() + 400)  # shown again by the import: that is not reading it
    assert markers(window) == {EDITED: "changed", NEW: "new", REMOVED: "removed"}
    assert set(listed(ctl)) == {EDITED, NEW, REMOVED}
    click_entry(ctl, qtbot, f"iran-russia/{EDITED}")  # now the reader reads it
    qtbot.waitUntil(lambda: EDITED not in markers(window), timeout=5000)
    assert listed(ctl)[EDITED].endswith("✓ seen")
