"""Document import in the window: the import dialog (the detected tree, structure edits by button
and key, editable metadata), File ▸ Import of a text file through the dialog into the library and
the search index, Cancel, a conversion refused before any dialog, several files in turn, and files
dropped on the window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)

from reader.convert import Converted, Part
from reader.ui.features.updates.drop import importable
from reader.ui.features.updates.feature import UpdatesController
from reader.ui.features.updates.import_dialog import ImportDialog
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import search_indexer_of, updates_of
from tests.updates.helpers import make_pack

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = """Field Notes From The Coast

The intro paragraph says what the notes are about.

Harbour Works

The harbour paragraph talks about cranes and quays at some length.

Tide Tables

The tide paragraph mentions a zephyrine current twice, zephyrine.

Closing Remarks

The closing paragraph thanks the reader.
"""


def hand_built() -> Converted:
    return Converted(
        title="Field Notes", intro="Opening words.", date="2026-01-02",
        date_origin="file modification date", format="txt", encoding="utf-8",
        warnings=["the text looks like windows-1252"],
        parts=[Part("Alpha", 1, "Alpha text here."), Part("Beta", 2, "Beta words."),
               Part("Gamma", 2, "Gamma body."), Part("Delta", 1, "Delta body.")])


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> ImportDialog:
    d = ImportDialog(tmp_path / "notes.txt", hand_built())
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def shape(item: QTreeWidgetItem, depth: int = 0) -> list[tuple[int, str]]:
    """(depth, heading) of every row under `item`, in order."""
    out = []
    for n in range(item.childCount()):
        child = item.child(n)
        out += [(depth, child.text(0)), *shape(child, depth + 1)]
    return out


def rows(d: ImportDialog) -> list[tuple[int, str]]:
    """The tree's rows as (depth, heading); each must be on screen (the whole tree is open)."""
    root = d.tree.topLevelItem(0)
    assert root is not None and d.tree.topLevelItemCount() == 1
    stack = [root]
    while stack:
        item = stack.pop()
        assert not d.tree.visualItemRect(item).isEmpty(), f"{item.text(0)} is not shown"
        stack += [item.child(n) for n in range(item.childCount())]
    return [(-1, root.text(0)), *shape(root)]


def select(d: ImportDialog, title: str) -> None:
    [index] = [i for i, p in enumerate(d.converted.parts) if p.title == title]
    d.select_part(index)


def test_the_tree_shows_the_parts_by_level_with_their_first_words(dialog: ImportDialog) -> None:
    assert rows(dialog) == [(-1, "Field Notes"), (0, "Alpha"), (1, "Beta"), (1, "Gamma"), (0, "Delta")]
    alpha = dialog.tree.topLevelItem(0).child(0)  # type: ignore[union-attr]
    assert alpha.text(1) == "3 words: Alpha text here."
    assert dialog.date_origin.text() == "from the file's modification date"
    assert dialog.source_label.text() == "notes.txt — plain text, utf-8"
    assert dialog.warnings.isVisible() and "windows-1252" in dialog.warnings.toPlainText()
    assert dialog.selected_part() == 0  # the first heading is ready for an edit


def test_promote_demote_and_merge_by_button_change_the_converted(dialog: ImportDialog, qtbot) -> None:
    parts = dialog.converted.parts
    select(dialog, "Beta")
    qtbot.mouseClick(dialog.promote_button, Qt.MouseButton.LeftButton)
    assert [p.level for p in parts] == [1, 1, 2, 1]
    assert rows(dialog)[1:] == [(0, "Alpha"), (0, "Beta"), (1, "Gamma"), (0, "Delta")]
    assert dialog.selected_part() == 1  # the edited heading stays selected
    assert not dialog.promote_button.isEnabled()  # already at the top
    qtbot.mouseClick(dialog.demote_button, Qt.MouseButton.LeftButton)
    assert [p.level for p in parts] == [1, 2, 2, 1] and dialog.selected_part() == 1
    assert not dialog.demote_button.isEnabled()  # no deeper than one below the heading before
    select(dialog, "Gamma")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert [p.title for p in parts] == ["Alpha", "Beta", "Delta"]
    assert parts[1].markdown == "Beta words.\n\n**Gamma**\n\nGamma body."
    assert dialog.selected_part() == 1  # the section it went into
    assert rows(dialog)[1:] == [(0, "Alpha"), (1, "Beta"), (0, "Delta")]
    beta = dialog.tree.topLevelItem(0).child(0).child(0)  # type: ignore[union-attr]
    assert beta.text(1) == "5 words: Beta words. Gamma Gamma body."


def test_the_first_heading_merges_into_the_intro(dialog: ImportDialog, qtbot) -> None:
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.converted.intro == "Opening words.\n\n**Alpha**\n\nAlpha text here."
    assert dialog.selected_part() is None  # the title row, whose text it joined
    assert not dialog.merge_button.isEnabled() and not dialog.promote_button.isEnabled()


def test_ctrl_left_and_right_promote_and_demote_but_move_by_words_in_a_field(
    dialog: ImportDialog, qtbot
) -> None:
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    parts = dialog.converted.parts
    select(dialog, "Gamma")
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Left, CTRL)
    assert parts[2].level == 1 and dialog.selected_part() == 2
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Right, CTRL)
    assert parts[2].level == 2
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Right, CTRL)  # under Beta
    assert parts[2].level == 3 and rows(dialog)[3] == (2, "Gamma")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Right, CTRL)  # two below the heading before: refused
    assert parts[2].level == 3
    dialog.title_edit.setFocus()
    dialog.title_edit.end(False)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Left, CTRL)
    assert parts[2].level == 3 and dialog.title_edit.cursorPosition() == len("Field ")


def test_edited_fields_are_what_is_imported(dialog: ImportDialog, qtbot) -> None:
    assert dialog.edited().date_origin == "file modification date"  # untouched: as converted
    dialog.title_edit.setText("  Coastal   Notes ")
    dialog.author_edit.setText("A. Writer")
    dialog.date_edit.setDate(QDate(2025, 3, 4))
    assert dialog.date_origin.text() == "edited"
    c = dialog.edited()
    assert (c.title, c.author) == ("Coastal Notes", "A. Writer")
    assert (c.date, c.date_origin) == ("2025-03-04", "edited")
    assert dialog.tree.topLevelItem(0).text(0) == "  Coastal   Notes "  # type: ignore[union-attr]
    dialog.title_edit.setText("   ")
    assert not dialog.import_button.isEnabled()  # a briefing needs a title


def test_a_right_to_left_title_shows_right_to_left(dialog: ImportDialog) -> None:
    assert dialog.title_edit.layoutDirection() == Qt.LayoutDirection.LeftToRight
    dialog.title_edit.setText("گزارش روز")
    assert dialog.title_edit.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_tab_goes_through_the_fields_then_the_tree_and_its_edits(dialog: ImportDialog, qtbot) -> None:
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.title_edit.setFocus()
    reached: list[QWidget] = []
    for _ in range(8):  # Tab steps through the date's year, month and day (QDateEdit's way)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() not in reached:
            reached.append(QApplication.focusWidget())
    # the first heading is selected: it can be merged, neither promoted nor demoted
    assert reached == [dialog.author_edit, dialog.date_edit, dialog.tree, dialog.merge_button,
                       dialog.warnings, dialog.import_button]


def test_the_controls_have_accessible_names(dialog: ImportDialog) -> None:
    for widget in (dialog.title_edit, dialog.author_edit, dialog.date_edit, dialog.tree,
                   dialog.promote_button, dialog.demote_button, dialog.merge_button, dialog.import_button):
        assert widget.accessibleName(), widget


# -- through the window -------------------------------------------------------------------------
def jobs_done(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.folders.jobs.busy, timeout=30_000)


def choose(window: MainWindow, monkeypatch, *paths: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    window.actions_by_name["import_briefing"].trigger()


def dialog_of(ctl: UpdatesController, qtbot) -> ImportDialog:
    qtbot.waitUntil(lambda: ctl.import_dialog is not None and ctl.import_dialog.isVisible(), timeout=30_000)
    assert ctl.import_dialog is not None
    return ctl.import_dialog


def test_file_import_offers_every_document_and_takes_several(open_window, monkeypatch) -> None:
    window = open_window()
    action = window.actions_by_name["import_briefing"]
    assert action.text() == "&Import…" and action.shortcut().toString() == "Ctrl+Shift+O"
    assert window.actions_by_name["import_briefing_folder"].text() == "Import &Folder…"
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda _p, _t, _d, f: asked.append(f) or ([], ""))
    assert not updates_of(window).import_file()  # nothing chosen: nothing starts
    filters = asked[0].split(";;")
    assert filters[0] == "Documents and briefings (*.txt *.html *.htm *.xhtml *.docx *.epub *.pdf *.md *.zip)"
    assert "PDF documents (*.pdf)" in filters and filters[-1] == "All files (*)"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_a_text_file_is_imported_as_edited_readable_and_searchable_at_once(
    open_window, qtbot, notes: Path, monkeypatch
) -> None:
    window = open_window()
    ctl = updates_of(window)
    choose(window, monkeypatch, notes)
    d = dialog_of(ctl, qtbot)
    assert [p.title for p in d.converted.parts] == ["Harbour Works", "Tide Tables", "Closing Remarks"]
    d.title_edit.setText("Coastal Notes")
    select(d, "Tide Tables")
    d.demote()
    select(d, "Closing Remarks")
    d.merge()
    qtbot.mouseClick(d.import_button, Qt.MouseButton.LeftButton)
    jobs_done(window, qtbot)
    # Renamed, it keeps the detected title's id: the document's next version updates it.
    assert window.library.briefing("coastal-notes") is None
    briefing = window.library.briefing("field-notes-from-the-coast")
    assert briefing is not None and briefing.meta.title == "Coastal Notes"
    assert [(s.title, s.level) for s in briefing.sections()] == [
        ("Coastal Notes", 1), ("Harbour Works", 2), ("Tide Tables", 3)]
    tide = briefing.section("tide-tables")
    assert tide is not None and "closing paragraph thanks the reader" in tide.markdown
    assert "Imported" in window.statusBar().currentMessage()
    shown = window.visible_section()  # opened, ready to read
    assert shown is not None and shown.briefing is not None and shown.briefing is briefing
    index = search_indexer_of(window).index

    def hits() -> list[str]:
        return [h.section for h in index.search("zephyrine").hits] if index.ready else []

    qtbot.waitUntil(lambda: hits() == ["field-notes-from-the-coast/tide-tables"], timeout=30_000)


def test_cancel_imports_nothing(open_window, qtbot, notes: Path, data_dir: Path, monkeypatch) -> None:
    window = open_window()
    before = window.library.fingerprint
    ctl = updates_of(window)
    choose(window, monkeypatch, notes)
    d = dialog_of(ctl, qtbot)
    d.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert ctl.import_dialog is None and not window.folders.jobs.busy
    assert window.library.fingerprint == before and not (data_dir / "library").exists()
    assert "notes.txt not imported" in window.statusBar().currentMessage()


def test_a_conversion_error_is_a_message_and_no_dialog(
    open_window, qtbot, tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    window = open_window()
    before = window.library.fingerprint
    ctl = updates_of(window)
    bad = tmp_path / "x.docx"
    bad.write_text("just some text, not a Word file", encoding="utf-8")
    choose(window, monkeypatch, bad)
    qtbot.waitUntil(lambda: ctl.message_box is not None and ctl.message_box.isVisible(), timeout=30_000)
    box = ctl.message_box
    assert box is not None and ctl.import_dialog is None
    assert box.text() == "x.docx could not be imported; your library is unchanged."
    assert "not a DOCX file" in box.informativeText()
    box.button(QMessageBox.StandardButton.Ok).click()
    assert window.library.fingerprint == before and not (data_dir / "library").exists()


def test_several_files_go_in_turn_a_pack_then_a_document(
    open_window, qtbot, notes: Path, tmp_path: Path, monkeypatch
) -> None:
    window = open_window()
    ctl = updates_of(window)
    choose(window, monkeypatch, make_pack(tmp_path / "pack"), notes)
    d = dialog_of(ctl, qtbot)  # the pack first, then the document's dialog
    iran = window.library.briefing("iran-russia")
    assert iran is not None and iran.meta.version == "2"
    assert d.path == notes
    d.accept()
    jobs_done(window, qtbot)
    assert window.library.briefing("field-notes-from-the-coast") is not None
    assert window.library.briefing("iran-russia") is not None


# -- drops --------------------------------------------------------------------------------------
def mime(*paths: Path) -> QMimeData:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return data


def drag_enter(widget: QWidget, data: QMimeData) -> bool:
    event = QDragEnterEvent(QPoint(30, 30), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def drop(window: MainWindow, data: QMimeData) -> bool:
    event = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_a_dropped_document_opens_its_import_dialog(open_window, qtbot, notes: Path) -> None:
    window = open_window()
    ctl = updates_of(window)
    assert drag_enter(window, mime(notes))
    # over the article, which takes no drops (read-only), the drag reaches the window too
    assert drag_enter(window.article.viewport(), mime(notes))
    assert drop(window, mime(notes))
    d = dialog_of(ctl, qtbot)
    assert d.path == notes and d.converted.title == "Field Notes From The Coast"
    d.reject()


def test_a_dropped_unsupported_file_is_refused(open_window, qtbot, tmp_path: Path) -> None:
    window = open_window()
    ctl = updates_of(window)
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ\x90\x00")
    assert not importable(exe) and not importable(tmp_path / "missing.txt")
    assert not drag_enter(window, mime(exe))  # the cursor says no
    assert not drop(window, mime(exe))
    assert not drag_enter(window, QMimeData())  # text, no files
    qtbot.wait(50)
    assert ctl.import_dialog is None and ctl.message_box is None
    assert not window.folders.jobs.busy


# -- the queue stays sound ----------------------------------------------------------------------
def test_cancelling_a_conversion_drops_the_rest_and_the_next_import_runs(
    open_window, qtbot, notes: Path, tmp_path: Path, monkeypatch
) -> None:
    import reader.convert

    window = open_window()
    ctl = updates_of(window)
    release, started = threading.Event(), threading.Event()
    real = reader.convert.convert_source

    def slow(path: Path, *args, **kwargs):
        started.set()
        release.wait(10)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader.convert, "convert_source", slow)
    other = tmp_path / "other.txt"
    other.write_text(TEXT, encoding="utf-8")
    choose(window, monkeypatch, notes, other)
    qtbot.waitUntil(started.is_set, timeout=5000)
    window.folders.jobs.cancel_button.click()
    release.set()
    jobs_done(window, qtbot)
    qtbot.wait(100)
    assert ctl.import_dialog is None  # neither file: Cancel stopped the whole import
    assert "Cancelled converting notes.txt" in window.statusBar().currentMessage()
    third = tmp_path / "third.txt"
    third.write_text(TEXT, encoding="utf-8")
    choose(window, monkeypatch, third)  # a new import starts, and other.txt does not come back
    assert dialog_of(ctl, qtbot).path == third


def test_a_job_that_fails_outright_does_not_stop_later_imports(
    open_window, qtbot, notes: Path, monkeypatch
) -> None:
    import reader.convert

    window = open_window()
    ctl = updates_of(window)
    real = reader.convert.convert_source
    calls: list[Path] = []

    def failing_once(path: Path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader.convert, "convert_source", failing_once)
    choose(window, monkeypatch, notes)
    jobs_done(window, qtbot)
    assert "disk on fire" in window.statusBar().currentMessage() and ctl.import_dialog is None
    choose(window, monkeypatch, notes)
    assert dialog_of(ctl, qtbot).path == notes
