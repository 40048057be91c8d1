"""Annotating from the keyboard alone: F7 caret browsing (shown in the status bar, remembered),
Shift+arrows / Shift+Ctrl+arrows / Shift+Home/End selecting, the highlight key saving to the real
store, the selection dropped after highlighting with "Highlighted" said, and Tab leaving the note
editor's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from reader.annotations import AnnotationStore, Kind
from reader.ui.shell.main_window import MainWindow
from tests.conftest import write_briefing
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
FIRST_LINE = "Alright guys, one of the biggest stories"


@pytest.fixture
def window(open_window) -> MainWindow:
    w = open_window(size=(1100, 800), restore=False)
    w.show_section(w.library.find("deepening-ties"))
    w.article.setFocus()
    return w


def keys(qtbot, window: MainWindow, *presses: tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    for key, modifiers in presses:
        qtbot.keyClick(window.article, key, modifiers)


NONE = Qt.KeyboardModifier.NoModifier


def to_first_paragraph(qtbot, window: MainWindow) -> None:
    """F7, then down to the first paragraph's start (the page opens with its heading)."""
    keys(qtbot, window, (Qt.Key.Key_F7, NONE))
    assert annotations_of(window).caret.enabled
    while not window.article.textCursor().block().text().startswith(FIRST_LINE[:10]):
        keys(qtbot, window, (Qt.Key.Key_Down, NONE))
    keys(qtbot, window, (Qt.Key.Key_Home, NONE))


def test_an_annotation_made_from_the_keyboard_alone(window: MainWindow, qtbot, data_dir: Path) -> None:
    to_first_paragraph(qtbot, window)
    assert "Caret browsing" in window.statusBar().currentMessage()
    keys(qtbot, window, *[(Qt.Key.Key_Right, SHIFT | CTRL)] * 2)  # words (not Expand All)
    assert window.article.textCursor().selectedText() == "Alright guys"
    keys(qtbot, window, (Qt.Key.Key_Right, SHIFT | CTRL))
    assert window.article.textCursor().selectedText() == "Alright guys, "
    keys(qtbot, window, *[(Qt.Key.Key_Right, SHIFT)] * 3)  # and three characters
    assert window.article.textCursor().selectedText() == "Alright guys, one"
    keys(qtbot, window, (Qt.Key.Key_H, SHIFT | CTRL))  # Highlight (yellow)
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.quote, ann.kind, ann.color, ann.section_id) == (
        "Alright guys, one",
        Kind.HIGHLIGHT,
        "yellow",
        "deepening-ties",
    )
    # The selection is dropped (it hid the new highlight) and the status bar says so.
    assert not window.article.textCursor().hasSelection()
    assert window.statusBar().currentMessage() == "Highlighted."
    # Shift+Ctrl+Left and Shift+End select too; copy with citation from the keyboard.
    keys(qtbot, window, (Qt.Key.Key_Left, SHIFT | CTRL))
    assert window.article.textCursor().selectedText() == "one"
    keys(qtbot, window, (Qt.Key.Key_Home, NONE), (Qt.Key.Key_End, SHIFT))
    line = window.article.textCursor().selectedText()
    assert line.startswith(FIRST_LINE) and len(line) > len(FIRST_LINE)
    keys(qtbot, window, (Qt.Key.Key_C, SHIFT | CTRL))
    assert line.strip() in QGuiApplication.clipboard().text()


def test_caret_browsing_is_off_by_default_remembered_and_shown(
    window: MainWindow, open_window, qtbot
) -> None:
    ctl = annotations_of(window)
    action = window.actions_by_name["caret_browsing"]
    assert not ctl.caret.enabled and not action.isChecked() and ctl.caret.indicator.isHidden()
    # Off, arrows scroll and select nothing (Shift+Right included).
    keys(qtbot, window, (Qt.Key.Key_Right, SHIFT))
    assert not window.article.textCursor().hasSelection()
    keys(qtbot, window, (Qt.Key.Key_F7, NONE))
    assert action.isChecked() and ctl.caret.indicator.isVisible()
    assert window.settings.caret_browsing
    keys(qtbot, window, (Qt.Key.Key_F7, NONE))
    assert not ctl.caret.enabled and ctl.caret.indicator.isHidden()
    assert window.statusBar().currentMessage() == "Caret browsing off."
    assert not window.settings.caret_browsing
    keys(qtbot, window, (Qt.Key.Key_F7, NONE))
    window.settings.sync()
    again = open_window(restore=False)  # a restart keeps it on
    assert annotations_of(again).caret.enabled and again.actions_by_name["caret_browsing"].isChecked()
    assert annotations_of(again).caret.indicator.isVisible()


def test_tab_leaves_the_note_text(window: MainWindow, qtbot) -> None:
    cursor = window.article.document().find("strategic partnership between Iran and Russia")
    window.article.setTextCursor(cursor)
    editor = annotations_of(window).add_note()
    assert editor is not None
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Check")
    qtbot.keyClick(editor.note, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert editor.note.toPlainText() == "Check"  # no tab character typed
    assert QApplication.focusWidget() is editor.color  # focus moved on to the colour
    editor.reject()


FA = """# گزارش

## روابط

ایران و روسیه همکاری راهبردی خود را گسترش می‌دهند.

## اقتصاد

تجارت دو کشور در سال گذشته افزایش یافت.
"""


def test_keyboard_highlight_in_right_to_left_text(open_window, qtbot, tmp_path: Path, data_dir: Path) -> None:
    content = tmp_path / "content"
    write_briefing(content, "fa.md", FA, title="گزارش", id="fa")
    window = open_window(content, size=(1100, 800), restore=False)
    window.show_section(window.library.find("fa/روابط"))
    window.article.setFocus()
    keys(qtbot, window, (Qt.Key.Key_F7, NONE))
    while not window.article.textCursor().block().text().startswith("ایران"):
        keys(qtbot, window, (Qt.Key.Key_Down, NONE))
    keys(qtbot, window, (Qt.Key.Key_Home, NONE))
    # In a right-to-left line the next word is to the left: Shift+Ctrl+Left selects forwards.
    keys(qtbot, window, *[(Qt.Key.Key_Left, SHIFT | CTRL)] * 2)
    selected = window.article.textCursor().selectedText().strip()
    assert selected == "ایران و"
    keys(qtbot, window, (Qt.Key.Key_H, SHIFT | CTRL))
    [ann] = AnnotationStore.in_folder(data_dir).all()
    assert (ann.quote, ann.section_id) == ("ایران و", "روابط")
