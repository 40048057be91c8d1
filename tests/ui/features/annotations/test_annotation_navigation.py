"""A highlight over a selection that runs across sub-sections shown on one page (one highlight
per section, made and undone together), and Next / Previous Annotation (] and [) through the
page, then on to the next sections, said in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QTextCursor

from reader.annotations import AnnotationStore
from reader.ui.features.annotations.paint import LAYER
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of
from tests.ui.marks_support import mark_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
END_OF_DEEPENING = "strategic advantage in a multipolar world."
START_OF_MILITARY = "Digging deeper into the military aspect,"


def select_between(window: MainWindow, first: str, last: str) -> None:
    doc = window.article.document()
    a, b = doc.find(first), doc.find(last)
    assert not a.isNull() and not b.isNull()
    cursor = QTextCursor(doc)
    cursor.setPosition(a.selectionStart())
    cursor.setPosition(b.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    window.article.setTextCursor(cursor)


def test_a_highlight_across_sub_sections_of_a_page(open_window, data_dir: Path) -> None:
    window = open_window(size=(1100, 800), restore=False)
    window.show_section(window.library.find("deepening-ties"))  # with its two sub-sections
    select_between(window, END_OF_DEEPENING, START_OF_MILITARY)
    ctl = annotations_of(window)
    ctl.highlight("blue")
    stored = sorted(AnnotationStore.in_folder(data_dir).all(), key=lambda a: a.section_id)
    assert [(a.section_id, a.quote, a.color) for a in stored] == [
        ("deepening-ties", END_OF_DEEPENING, "blue"),
        ("military-cooperation", START_OF_MILITARY, "blue"),
    ]
    assert sorted(mark_texts(window.article, LAYER)) == sorted([END_OF_DEEPENING, START_OF_MILITARY])
    assert window.statusBar().currentMessage() == "Highlighted (across 2 sections)."
    ctl.undo_stack.undo()  # one step undoes both
    assert AnnotationStore.in_folder(data_dir).all() == []


def test_next_and_previous_annotation_walk_the_page_then_the_sections(
    open_window, qtbot, monkeypatch
) -> None:
    spoken: list[str] = []  # what a screen reader is told (accessibility announcements)
    real = QAccessible.updateAccessibility

    def listen(event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event, QAccessibleAnnouncementEvent):
            spoken.append(event.message())
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", listen)
    window = open_window(size=(1100, 800), restore=False)
    ctl = annotations_of(window)
    window.show_section(window.library.find("military-cooperation"))
    window.article.setTextCursor(window.article.document().find(START_OF_MILITARY))
    ctl.highlight("green")
    window.show_section(window.library.find("deepening-ties"))  # the page shows it too
    for quote in ("Alright guys, one of the biggest stories", "strategic partnership between Iran"):
        window.article.setTextCursor(window.article.document().find(quote))
        ctl.highlight("yellow")
    window.show_section(window.library.find("wrap-up"))
    window.article.setFocus()
    assert window.actions_by_name["next_annotation"].shortcut().toString() == "]"

    def at_caret() -> str:
        hit = ctl.painted_at(window.article.textCursor().position())
        return hit.annotation.quote if hit else ""

    qtbot.keyClick(window.article, Qt.Key.Key_BracketRight)  # wraps round to the first section
    assert window.current.id == "deepening-ties"
    assert at_caret() == "Alright guys, one of the biggest stories"
    assert window.statusBar().currentMessage().startswith("Highlight 1 of 3 on this page (yellow)")
    assert spoken[-1] == window.statusBar().currentMessage()
    qtbot.keyClick(window.article, Qt.Key.Key_BracketRight)
    assert at_caret() == "strategic partnership between Iran"
    qtbot.keyClick(window.article, Qt.Key.Key_BracketRight)  # the sub-section on the same page
    assert at_caret() == START_OF_MILITARY and window.current.id == "deepening-ties"
    assert "3 of 3" in window.statusBar().currentMessage()
    qtbot.keyClick(window.article, Qt.Key.Key_BracketLeft)
    assert at_caret() == "strategic partnership between Iran"
    assert not window.article.textCursor().hasSelection()  # a caret, not a selection over it
