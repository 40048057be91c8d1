"""Annotations in the window: select + highlight paints, notes, undo, review list, bookmarks, read marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from reader.annotations import AnnotationStore, Kind, Status, service
from reader.content import section_plain_text
from reader.ui.features.annotations.feature import AnnotationsController, AnnotationsFeature
from reader.ui.features.annotations.note_tooltip import note_tooltip
from reader.ui.features.annotations.paint import LAYER
from reader.ui.library.tree_model import BadgeRole
from reader.ui.reading.marks import Mark, MarkKind
from reader.ui.shell.main_window import MainWindow
from tests.conftest import write_briefing
from tests.ui.features_of import annotations_notice_of, annotations_of
from tests.ui.marks_support import mark_texts, painted

QUOTE = "strategic partnership between Iran and Russia"
# These windows are 1100x800 and not restored (no last section, geometry or docks) when opened.
FRESH = {"size": (1100, 800), "restore": False}
# The offscreen platform says these when a top-level window, a tooltip or a popup is shown.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")


def ctl_of(window: MainWindow) -> AnnotationsController:
    return annotations_of(window)


def select(window: MainWindow, text: str) -> QTextCursor:
    cursor = window.article.document().find(text)
    assert not cursor.isNull(), text
    window.article.setTextCursor(cursor)
    return cursor


@pytest.fixture
def window(open_window) -> MainWindow:
    w = open_window(**FRESH)
    w.show_section(w.library.find("deepening-ties"))
    return w


def test_select_text_and_highlight_paints_it(window: MainWindow, open_window, data_dir: Path) -> None:
    select(window, QUOTE)
    window.actions_by_name["highlight_green"].trigger()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.quote, ann.color, ann.kind, ann.section_key) == (
        QUOTE, "green", Kind.HIGHLIGHT, "iran-russia/deepening-ties")
    section = window.library.find("deepening-ties")
    text = section_plain_text(section)
    assert text[ann.selector.start:ann.selector.end] == QUOTE
    assert ann.fingerprint == section.fingerprint
    at = window.article.document().find(QUOTE)
    assert window.article.marks(LAYER) == [Mark(at.selectionStart(), at.selectionEnd(),
                                                MarkKind.HIGHLIGHT_GREEN)]
    assert painted(window.article) == [(QUOTE, "#c8e6b0")]  # the light theme's green
    assert window.model.data(window.model.index_of(section), BadgeRole).endswith("✎1")

    again = open_window(section="deepening-ties", **FRESH)  # after a restart
    again.restore("deepening-ties")  # once shown
    assert mark_texts(again.article, LAYER) == [QUOTE]


def test_selection_in_a_sub_section_of_a_page_maps_to_that_section(window: MainWindow) -> None:
    root = window.library.briefings[0].root
    window.show_section(root)  # the root page shows every section below it
    quote = "advanced weaponry, drone technology"
    select(window, quote)
    ann = ctl_of(window).highlight("blue")
    assert ann is not None and ann.section_id == "military-cooperation" and ann.quote == quote
    assert mark_texts(window.article, LAYER) == [quote]


def test_highlighting_a_highlight_again_changes_its_colour(window: MainWindow, data_dir: Path) -> None:
    """The robustness run's finding: a second colour on the very same text stacked a second
    highlight that hid the first; now the highlight takes the new colour (undoably)."""
    select(window, QUOTE)
    window.actions_by_name["highlight_green"].trigger()
    select(window, QUOTE)
    window.actions_by_name["highlight_yellow"].trigger()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert ann.color == "yellow"
    assert painted(window.article) == [(QUOTE, painted_colour(window, "yellow"))]
    select(window, QUOTE)
    window.actions_by_name["highlight_yellow"].trigger()
    assert "Already highlighted" in window.statusBar().currentMessage()
    assert len(AnnotationStore.in_folder(data_dir).all()) == 1
    ctl_of(window).undo_stack.undo()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert ann.color == "green"
    assert painted(window.article) == [(QUOTE, "#c8e6b0")]


def test_a_note_on_a_highlights_very_text_goes_on_that_highlight(window: MainWindow, data_dir: Path) -> None:
    select(window, QUOTE)
    window.actions_by_name["highlight_green"].trigger()
    select(window, QUOTE)
    editor = ctl_of(window).add_note()
    assert editor is not None
    editor.note.setPlainText("Ask the desk.")
    editor.accept()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.kind, ann.note, ann.color) == (Kind.NOTE, "Ask the desk.", "green")
    select(window, QUOTE)
    window.actions_by_name["highlight_blue"].trigger()  # a note's text highlighted again
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.kind, ann.note, ann.color) == (Kind.NOTE, "Ask the desk.", "blue")


def painted_colour(window: MainWindow, color: str) -> str:
    style = window.article.theme.style(MarkKind(color))
    assert style.background is not None
    return style.background.name()


def test_highlight_without_selection_says_so(window: MainWindow, data_dir: Path) -> None:
    window.actions_by_name["highlight_yellow"].trigger()
    assert "Select some text" in window.statusBar().currentMessage()
    assert AnnotationStore.in_folder(data_dir).all() == []


def test_note_editor_saves_and_shows_marker_and_hover_text(
    window: MainWindow, qtbot, data_dir: Path
) -> None:
    select(window, QUOTE)
    editor = ctl_of(window).add_note()
    assert editor is not None and editor.isVisible()
    editor.note.setPlainText("Check the **2025** treaty")
    editor.tags.setText("treaty, russia")
    editor.accept()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.kind, ann.note, ann.tags) == (Kind.NOTE, "Check the **2025** treaty",
                                              ("russia", "treaty"))
    # The selection is dropped (it hid the new paint under it) and the status bar says so.
    assert not window.article.textCursor().hasSelection()
    assert window.statusBar().currentMessage() == "Note added."
    ctl = ctl_of(window)
    assert len(ctl.markers.marker_rects()) == 1
    [painted] = ctl.painted
    assert ctl.painted_at(painted.start + 3).annotation.note == ann.note

    # hovering the highlighted text shows the note
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(painted.start + 3)
    point = window.article.cursorRect(cursor).center()
    viewport = window.article.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
    assert QToolTip.text() == note_tooltip(ann)  # the note rendered (test_rendered_notes)
    assert "<strong>2025</strong>" in QToolTip.text() and "**" not in QToolTip.text()
    QToolTip.hideText()

    # clicking the highlighted text opens its popup (not the editor); Edit note opens the editor
    # (the closed editor and the tooltip gone first, as long before any click: a window deleted
    # closes the popups)
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window.article.setTextCursor(QTextCursor(window.article.document()))
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: ctl.popup is not None and ctl.popup.isVisible())
    assert ctl.editor is editor  # no new editor from the click
    qtbot.mouseClick(ctl.popup.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.editor.annotation.id == ann.id and ctl.editor.isVisible())
    ctl.editor.note.setPlainText("Edited")
    ctl.editor.accept()
    assert AnnotationStore.in_folder(data_dir).get(ann.id).note == "Edited"


def test_undo_restores_a_deleted_note(window: MainWindow, qtbot, data_dir: Path) -> None:
    select(window, QUOTE)
    editor = ctl_of(window).add_note()
    editor.note.setPlainText("Keep me")
    editor.accept()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    ctl_of(window).delete(ann.id)
    assert AnnotationStore.in_folder(data_dir).all() == []
    assert window.article.marks(LAYER) == []
    undo = window.actions_by_name["undo"]
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)  # Ctrl+Z
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert AnnotationStore.in_folder(data_dir).all() == [ann]
    assert mark_texts(window.article, LAYER) == [QUOTE, QUOTE]  # a note: its fill and underline
    assert [m.kind for m in window.article.marks(LAYER)] == [MarkKind.HIGHLIGHT_YELLOW, MarkKind.NOTE]
    window.actions_by_name["redo"].trigger()
    assert AnnotationStore.in_folder(data_dir).all() == []


def test_bookmark_with_ctrl_d_toggles(window: MainWindow, data_dir: Path) -> None:
    action = window.actions_by_name["bookmark"]
    assert action.shortcut() == QKeySequence("Ctrl+D")
    action.trigger()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert ann.kind is Kind.BOOKMARK and ann.section_key == "iran-russia/deepening-ties"
    action.trigger()
    assert AnnotationStore.in_folder(data_dir).all() == []


def test_copy_with_citation(window: MainWindow) -> None:
    select(window, QUOTE)
    window.actions_by_name["copy_citation"].trigger()
    text = QGuiApplication.clipboard().text()
    assert QUOTE in text and "Iran And Russia: Today's Top News Stories" in text
    assert "Deepening Ties" in text and "2026-11-25" in text


def test_context_menu_offers_the_annotation_actions(window: MainWindow) -> None:
    menu = ctl_of(window).context_menu()
    texts = [a.text() for a in menu.actions()]
    assert "&Highlight" in texts and "Add &Note…" in texts and "Copy with &Citation" in texts
    menu.close()


def test_read_marks_badge_and_next_unread(window: MainWindow, data_dir: Path) -> None:
    ctl = ctl_of(window)
    section = window.visible_section()
    window.actions_by_name["toggle_read"].trigger()
    mark = AnnotationStore.in_folder(data_dir).read_marks()[section.key]
    assert mark.fingerprint == section.fingerprint
    assert window.model.data(window.model.index_of(section), BadgeRole).endswith("✓")
    assert window.actions_by_name["toggle_read"].isChecked()
    nxt = ctl.next_unread()
    assert nxt is not None and nxt.id == "military-cooperation"
    for s in window.library.sections():
        ctl.store.mark_read(s.briefing.id, s.id, s.fingerprint)
    ctl.refresh()
    assert ctl.next_unread() is None
    assert "Every section is marked read" in window.statusBar().currentMessage()


def test_dock_groups_filters_and_jumps(window: MainWindow, qtmodeltester) -> None:
    ctl = ctl_of(window)
    select(window, QUOTE)
    ctl.highlight("pink")
    select(window, "enhanced military exercises")
    editor = ctl.add_note()
    editor.note.setPlainText("drills")
    editor.tags.setText("defence")
    editor.accept()
    pane = ctl.dock.all
    qtmodeltester.check(pane.model)
    assert pane.model.rowCount() == 1  # grouped by section
    pane.group_by.setCurrentText("Colour")
    assert sorted(pane.model.data(pane.model.index(r, 0)) for r in range(2)) == [
        "Pink (1)", "Yellow (1)"]
    pane.filter.setText("#defence")
    assert pane.proxy.rowCount() == 1
    group = pane.proxy.index(0, 0)
    assert pane.proxy.rowCount(group) == 1
    note_id = pane.proxy.index(0, 0, group).data(Qt.ItemDataRole.UserRole + 1)
    window.show_section(window.library.find("wrap-up"))
    ctl.jump_to(note_id)
    assert window.current.id == "deepening-ties"
    assert window.article.textCursor().selectedText() == "enhanced military exercises"


BODY = """# Test Briefing

## Energy {#energy}

Russia is looking for new markets for its oil and gas, and Iran can play a role in this.
Both countries are exploring ways to enhance connectivity through transportation.
"""


def test_review_list_shows_orphan_after_content_changed(open_window, tmp_path: Path, qtmodeltester) -> None:
    content = tmp_path / "c"
    write_briefing(content, "t.md", BODY, id="t")
    w = open_window(content, **FRESH)
    energy = w.library.find("t/energy")
    store = ctl_of(w).store
    gone = store.add(service.create_for_quote(energy, "oil and gas"))
    fuzzy = store.add(service.create_for_quote(energy, "enhance connectivity"))
    w.close()

    write_briefing(content, "t.md", BODY.replace("oil and gas", "grain")
                   .replace("enhance connectivity", "enhance connectiviti"), id="t")
    w = open_window(content, **FRESH)
    w.show_section(w.library.find("t/energy"))
    ctl = ctl_of(w)
    review = ctl.dock.review
    qtmodeltester.check(review.model)
    labels = [review.model.data(review.model.index(r, 0)) for r in range(review.model.rowCount())]
    assert labels == ["Orphaned (1)", "Fuzzy (1)"]
    orphan_row = review.model.index(0, 0, review.model.index(0, 0))
    assert orphan_row.data(Qt.ItemDataRole.UserRole + 1) == gone.id
    assert "oil and gas" in orphan_row.data()
    assert ctl.dock.tabs.tabText(1) == "Review (2)"

    ctl.accept_match(fuzzy.id)  # accept the fuzzy match: it becomes exact on the new text
    select(w, "grain")
    ctl.reattach(gone.id)  # re-attach the orphan to a new selection
    statuses = {e.annotation.id: e.anchor.status for e in ctl.entries}
    assert statuses == {gone.id: Status.EXACT, fuzzy.id: Status.EXACT}
    assert store.get(gone.id).quote == "grain"
    assert store.get(fuzzy.id).quote == "enhance connectiviti"
    w.actions_by_name["undo"].trigger()  # re-attaching is undoable too
    assert store.get(gone.id).quote == "oil and gas"


def test_self_test_check_writes_and_reads_back(window: MainWindow) -> None:
    assert "wrote and read back" in window.features.require(AnnotationsFeature).self_test()
    assert ctl_of(window).store.all() == []


def test_unusable_store_is_moved_aside_not_a_crash(open_window, data_dir: Path) -> None:
    # (tests/reliability covers the other broken-file cases)
    (data_dir / "annotations.sqlite3").write_bytes(b"garbage" * 500)
    w = open_window(**FRESH)
    assert "moved aside" in annotations_notice_of(w)
    assert [p.read_bytes() for p in data_dir.glob("annotations.sqlite3.corrupt-*")] == [b"garbage" * 500]
    assert "wrote and read back" in w.features.require(AnnotationsFeature).self_test()
    assert w.article.textCursor() is not None and isinstance(QPoint(), QPoint)


def test_the_toolbar_button_says_highlight_after_its_action_changes(window: MainWindow) -> None:
    """The button showed 'Yellow' (its default action's text) once the action changed."""
    from PySide6.QtWidgets import QToolButton

    ctl = ctl_of(window)
    action = window.actions_by_name["highlight_yellow"]
    [button] = [b for b in ctl.toolbar.findChildren(QToolButton) if b.defaultAction() is action]
    action.setEnabled(False)
    action.setEnabled(True)
    action.setChecked(action.isChecked())
    action.changed.emit()
    assert button.text() == "Highlight"
    assert action.text().replace("&", "") == "Yellow"  # the colour, in the menus
