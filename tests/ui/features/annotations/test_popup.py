"""The popup at a highlight: a click opens it (not the note editor), its swatches recolour,
Copy copies with the citation, Delete deletes (undoably), Add note opens the editor; the same
popup from the keyboard (Highlight Actions, Ctrl+Return, with the caret in the highlight) and
from the context menu; every part has an accessible name."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from reader.annotations import AnnotationStore
from reader.ui.features.annotations.dock import NoteEditor
from reader.ui.features.annotations.feature import AnnotationsController
from reader.ui.features.annotations.popup import AnnotationPopup
from reader.ui.shell.accessibility import unnamed_widgets
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)
QUOTE = "strategic partnership between Iran and Russia"


@pytest.fixture
def window(open_window) -> MainWindow:
    w = open_window(size=(1100, 800), restore=False)
    w.show_section(w.library.find("deepening-ties"))
    return w


def highlight(window: MainWindow, color: str = "green") -> AnnotationsController:
    window.article.setTextCursor(window.article.document().find(QUOTE))
    ctl = annotations_of(window)
    assert ctl.highlight(color) is not None
    return ctl


def click_highlight(window: MainWindow, qtbot, ctl: AnnotationsController) -> AnnotationPopup:
    [p] = ctl.painted
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(p.start + 3)
    point = window.article.cursorRect(cursor).center()
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: ctl.popup is not None and ctl.popup.isVisible())
    assert ctl.popup is not None
    # At the highlight: just below (or above) its first line, not somewhere else on the screen.
    line = window.article.viewport().mapToGlobal(window.article.cursorRect(cursor).topLeft())
    assert abs(ctl.popup.geometry().top() - line.y()) < 80
    return ctl.popup


def editors(window: MainWindow) -> list[NoteEditor]:
    return [e for e in window.findChildren(NoteEditor) if e.isVisible()]


def test_a_click_on_a_highlight_opens_the_popup_not_the_editor(
    window: MainWindow, qtbot, data_dir: Path
) -> None:
    ctl = highlight(window)
    popup = click_highlight(window, qtbot, ctl)
    assert editors(window) == []
    assert popup.accessibleName() == "Highlight actions"
    assert QUOTE[:20] in popup.accessibleDescription()
    names = [b.accessibleName() for b in popup.findChildren(QToolButton)]
    assert names == [
        "Yellow",
        "Green (current colour)",
        "Blue",
        "Pink",
        "Purple",
        "Add note",
        "Copy",
        "Delete",
    ]
    assert popup.swatches["green"].isChecked() and QApplication.focusWidget() is popup.swatches["green"]
    assert unnamed_widgets(popup) == []  # a screen reader names every part
    qtbot.mouseClick(popup.swatches["blue"], Qt.MouseButton.LeftButton)
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert ann.color == "blue" and ann.quote == QUOTE
    assert window.statusBar().currentMessage() == "Highlight now blue."
    qtbot.waitUntil(lambda: ctl.popup is None)  # a choice closes it

    popup = click_highlight(window, qtbot, ctl)
    qtbot.mouseClick(popup.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert QUOTE in copied and "Deepening" in copied  # the quote with its citation

    popup = click_highlight(window, qtbot, ctl)
    qtbot.mouseClick(popup.delete_button, Qt.MouseButton.LeftButton)
    assert AnnotationStore.in_folder(data_dir).all() == []
    assert ctl.painted == []
    ctl.undo_stack.undo()
    assert [a.color for a in AnnotationStore.in_folder(data_dir).all()] == ["blue"]


def test_add_note_from_the_popup_opens_the_editor(window: MainWindow, qtbot, data_dir: Path) -> None:
    ctl = highlight(window)
    popup = click_highlight(window, qtbot, ctl)
    qtbot.mouseClick(popup.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editors(window)) == 1)
    [editor] = editors(window)
    editor.note.setPlainText("Ask the desk")
    editor.accept()
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert ann.note == "Ask the desk" and ann.color == "green"


def test_the_popup_from_the_keyboard_and_escape_closes_it(window: MainWindow, qtbot, data_dir: Path) -> None:
    ctl = highlight(window, "pink")
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ctl.popup is None  # the caret is after the highlight, not in it
    assert "caret in a highlight" in window.statusBar().currentMessage()
    [p] = ctl.painted
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(p.start + 2)
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    popup = ctl.popup
    assert popup is not None and popup.isVisible()
    assert QApplication.focusWidget() is popup.swatches["pink"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # Tab walks the actions
    assert QApplication.focusWidget() is popup.swatches["purple"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert [a.color for a in AnnotationStore.in_folder(data_dir).all()] == ["purple"]
    window.article.setTextCursor(cursor)
    popup = ctl.popup_at_caret()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ctl.popup is None)
    assert [a.color for a in AnnotationStore.in_folder(data_dir).all()] == ["purple"]


def test_the_context_menu_of_a_highlight_has_its_actions(window: MainWindow, qtbot, data_dir: Path) -> None:
    ctl = highlight(window)
    [p] = ctl.painted
    menu = ctl.context_menu(p)
    texts = [a.text() for a in menu.actions()]
    assert {"Highlight Actions…", "Add Note to Highlight…", "Delete Highlight"} <= set(texts)
    [delete] = [a for a in menu.actions() if a.text() == "Delete Highlight"]
    delete.trigger()
    assert AnnotationStore.in_folder(data_dir).all() == []
    menu.close()
    plain = ctl.context_menu(None)  # elsewhere on the page: no highlight's entries
    assert "Delete Highlight" not in [a.text() for a in plain.actions()]
    plain.close()
    # The Menu key (a keyboard context-menu event) at a caret in a highlight offers them too.
    ctl.undo_stack.undo()
    [p] = ctl.painted
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(p.start + 1)
    window.article.setTextCursor(cursor)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), window.article.mapToGlobal(QPoint(0, 0))
    )
    QApplication.sendEvent(window.article, event)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    shown = QApplication.activePopupWidget()
    assert "Highlight Actions…" in [a.text() for a in shown.actions()]
    shown.close()


def test_the_popup_shows_a_note_rendered_not_its_markdown(window: MainWindow, qtbot) -> None:
    ctl = highlight(window)
    popup = click_highlight(window, qtbot, ctl)
    qtbot.mouseClick(popup.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editors(window)) == 1)
    [editor] = editors(window)
    editor.note.setPlainText("A **revisionist** _reading_ of `ties`")
    editor.accept()
    qtbot.waitUntil(lambda: ctl.popup is None and editors(window) == [])
    qtbot.wait(50)
    popup = click_highlight(window, qtbot, ctl)
    [preview] = [w for w in popup.findChildren(QLabel) if w.objectName() == "AnnotationPopupNote"]
    assert preview.text() == "A revisionist reading of ties"
