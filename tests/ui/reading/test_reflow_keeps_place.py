"""The text at the top of the article stays there when the article changes width: opening the
Annotations panel beside it (by its key), dragging the window narrower, or wider again. The
scroll bar used to keep its pixels while the lines reflowed, so the view jumped back whole
sections while the tree, the title and 'Section n of N' stayed where the reader had been."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def top_text(window: MainWindow) -> str:
    cursor = window.article.cursorForPosition(QPoint(0, 0))
    cursor.movePosition(cursor.MoveOperation.EndOfWord, cursor.MoveMode.KeepAnchor)
    cursor.movePosition(cursor.MoveOperation.NextWord, cursor.MoveMode.KeepAnchor, 4)
    return cursor.selectedText()


def top_position(window: MainWindow) -> int:
    return window.article.cursorForPosition(QPoint(0, 0)).position()


def test_the_text_read_stays_at_the_top_when_the_article_reflows(open_window, qtbot) -> None:
    window = open_window(size=(1300, 800), restore=False)
    window.show_section(window.library.briefings[0].root)  # the whole briefing on one page
    window.article.set_scroll_fraction(0.6)
    QApplication.processEvents()
    before, section = top_position(window), window.visible_section()
    words = top_text(window)
    assert before > 0 and words.strip()

    width = window.article.width()
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # Annotations panel, beside the article
    qtbot.waitUntil(lambda: annotations_of(window).dock.isVisible())
    QApplication.processEvents()
    assert window.article.width() < width - 100  # the panel took room from the article
    assert abs(top_position(window) - before) < 120, (top_text(window), words)
    assert window.visible_section() is section
    for size in [(1300, 800), (900, 800), (700, 800), (1300, 800)]:
        window.resize(*size)
        QApplication.processEvents()
        # The same text within a line of the top (a line's first word may be a few characters
        # before the one that was at the very top, once the line breaks fall elsewhere).
        assert abs(top_position(window) - before) < 120, (size, top_text(window), words)
        assert window.visible_section() is section, size
