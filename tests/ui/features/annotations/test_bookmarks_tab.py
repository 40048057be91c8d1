"""The Bookmarks tab, driven through the real window by the keys and the mouse: Ctrl+D keeps the
place read, the tab lists it with its section title, place and date in glyphs the font has,
Enter / a double click open that place, Delete deletes (Ctrl+Z brings it back), in the
annotations list too."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from reader.annotations import AnnotationStore, Kind
from reader.content import section_plain_text
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of

FRESH = {"size": (1100, 800), "restore": False}
CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")


@pytest.fixture
def window(open_window) -> MainWindow:
    w = open_window(**FRESH)
    w.show_section(w.library.briefings[0].root)  # the whole briefing on one page
    return w


def stored(data_dir: Path) -> list:
    store = AnnotationStore.in_folder(data_dir)  # a connection of its own: what is on disk
    try:
        return store.all()
    finally:
        store.close()


def bookmark_mid_page(window: MainWindow, qtbot, fraction: float = 0.45):
    window.article.set_scroll_fraction(fraction)
    QApplication.processEvents()
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_D, CTRL)
    return window.visible_section()


def quote_top(window: MainWindow, section, start: int, end: int) -> int:
    """Where (px from the top of the view) the line of `section`'s text at `start` is."""
    ctl = annotations_of(window)
    where = ctl.page_map.doc_range(section, start, end)
    assert where is not None
    cursor = window.article.textCursor()
    cursor.setPosition(where[0])
    return window.article.cursorRect(cursor).top()


def open_bookmarks_tab(window: MainWindow, qtbot):
    qtbot.keyClick(window.article, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    pane = annotations_of(window).dock.bookmarks
    assert annotations_of(window).dock.isVisible()
    assert annotations_of(window).dock.tabs.currentWidget() is pane
    assert QApplication.focusWidget() is pane.view
    return pane


def test_ctrl_d_keeps_the_place_and_the_tab_lists_title_place_and_date(
        window: MainWindow, qtbot, data_dir: Path) -> None:
    section = bookmark_mid_page(window, qtbot)
    [ann] = stored(data_dir)
    assert ann.kind is Kind.BOOKMARK and ann.section_key == section.key
    text = section_plain_text(section)
    assert ann.quote and text[ann.selector.start:ann.selector.end] == ann.quote
    # The quote is the text at the top of the view, where the reader was.
    assert abs(quote_top(window, section, ann.selector.start, ann.selector.end)) < 60

    pane = open_bookmarks_tab(window, qtbot)
    assert pane.model.rowCount() == 1
    shown = pane.model.index(0).data()
    today = f"{datetime.now():%Y-%m-%d}"
    found = re.fullmatch(rf"{re.escape(section.title)}\n(\d+) % · {today} \d\d:\d\d · "
                         rf"{re.escape(section.briefing.title)}", shown)
    assert found, shown
    path = " › ".join(section.path_titles[1:])  # the headings above it, in the tooltip
    assert pane.model.index(0).data(Qt.ItemDataRole.ToolTipRole).startswith(f"{path}\n")
    assert 20 <= int(found.group(1)) <= 80  # about half-way down the briefing's page
    # Every character is one the list's font has: no missing-glyph box (🔖 was one).
    metrics = QFontMetrics(pane.view.font())
    assert not metrics.inFontUcs4(ord("🔖"))  # the check can tell
    assert [c for c in shown if c != "\n" and not metrics.inFontUcs4(ord(c))] == []
    assert annotations_of(window).dock.tabs.tabText(2) == "Bookmarks (1)"


def test_enter_and_a_double_click_open_the_place(window: MainWindow, qtbot, data_dir: Path) -> None:
    section = bookmark_mid_page(window, qtbot)
    [ann] = stored(data_dir)
    pane = open_bookmarks_tab(window, qtbot)

    window.show_section(window.library.find("wrap-up"))  # read on elsewhere
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert window.visible_section() is section
    assert abs(quote_top(window, section, ann.selector.start, ann.selector.end)) < 30
    assert QApplication.focusWidget() is window.article

    window.article.set_scroll_fraction(0.0)  # away again, on the same page
    QApplication.processEvents()
    assert quote_top(window, section, ann.selector.start, ann.selector.end) > 300
    rect = pane.view.visualRect(pane.model.index(0))
    assert pane.view.viewport().rect().contains(rect.center())
    # A double click is a click, then a press that is the double click (QTest sends only that).
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.visible_section() is section
    assert abs(quote_top(window, section, ann.selector.start, ann.selector.end)) < 30


def test_delete_key_deletes_a_bookmark_and_ctrl_z_brings_it_back(
        window: MainWindow, qtbot, data_dir: Path) -> None:
    bookmark_mid_page(window, qtbot)
    window.article.set_scroll_fraction(0.0)
    QApplication.processEvents()
    qtbot.keyClick(window.article, Qt.Key.Key_D, CTRL)  # a second one, at the top
    assert len(stored(data_dir)) == 2
    pane = open_bookmarks_tab(window, qtbot)
    first = pane.selected_id()
    assert first is not None

    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    QApplication.processEvents()
    [left] = stored(data_dir)
    assert left.id != first and pane.model.rowCount() == 1
    assert pane.selected_id() == left.id  # the next one is current: Delete, Delete goes on
    assert window.statusBar().currentMessage() == "Bookmark deleted (Ctrl+Z to undo)."

    qtbot.keyClick(pane.view, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert {a.id for a in stored(data_dir)} == {first, left.id}
    assert pane.model.rowCount() == 2


@pytest.mark.parametrize("list_name", ["all", "review"])
def test_delete_key_in_the_annotations_lists(window: MainWindow, qtbot, data_dir: Path,
                                             list_name: str) -> None:
    quote = "advanced weaponry, drone technology"
    cursor = window.article.document().find(quote)
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, Qt.Key.Key_H, CTRL | Qt.KeyboardModifier.ShiftModifier)
    [ann] = stored(data_dir)
    ctl = annotations_of(window)
    qtbot.keyClick(window.article, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert ctl.dock.isVisible()
    pane = getattr(ctl.dock, list_name)
    ctl.dock.tabs.setCurrentWidget(pane)
    assert pane.select(ann.id)
    pane.view.setFocus()

    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    QApplication.processEvents()
    assert stored(data_dir) == []
    assert window.statusBar().currentMessage() == "Annotation deleted (Ctrl+Z to undo)."

    qtbot.keyClick(pane.view, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert stored(data_dir) == [ann]
    assert pane.select(ann.id)


def test_the_all_list_names_a_bookmark_in_words_the_font_has(
        window: MainWindow, qtbot, data_dir: Path) -> None:
    bookmark_mid_page(window, qtbot)
    [ann] = stored(data_dir)
    ctl = annotations_of(window)
    ctl.refresh()
    model = ctl.dock.all.model
    group = model.index(0, 0)  # the section's group; the bookmark under it
    entry = model.entry(model.index(0, 0, group))
    assert entry is not None and entry.annotation.id == ann.id
    label = entry.label
    assert label == f"Bookmark at “{ann.quote}”", label  # not a quote alone, like a highlight's
    metrics = QFontMetrics(ctl.dock.all.view.font())
    assert [c for c in label if not metrics.inFontUcs4(ord(c))] == []
