"""Bugs the robustness run (tests/reliability/robustness_driver.py) found, one test each, on the
real window: the find bar, the tree filter, the shown page's own row, a jump to a short last
section, and a narrow article."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from reader.ui.reading.find_bar import find_all
from reader.ui.shell.main_window import ARTICLE_MIN_WIDTH, MainWindow
from tests.ui.features.updates.test_updates_ui import jobs_done
from tests.ui.features_of import annotations_of, find_bar_of, updates_of
from tests.updates.helpers import make_pack

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def show(window: MainWindow, section_id: str) -> None:
    window.show_section(window.library.find(section_id))
    QApplication.processEvents()


def current_row_section(window: MainWindow):
    return window.model.section(window.tree.currentIndex())


def test_the_find_bar_follows_a_new_page(open_window, qtbot) -> None:
    """F3 after a section change jumped to the old page's positions (Qt warned 'Position out of
    range'; pytest-qt fails the test on that warning)."""
    window = open_window()
    bar = find_bar_of(window)
    window.actions_by_name["find_in_page"].trigger()
    qtbot.keyClicks(bar.field, "the")
    assert len(bar.matches) > 100  # the title page shows the whole briefing
    show(window, "wrap-up")
    expected = find_all(window.article.document(), "the")
    assert bar.matches == expected and 0 < len(expected) < 100
    assert bar.count.text() == f"{len(expected)} matches"
    window.actions_by_name["next_hit"].trigger()  # F3
    assert bar.current == 0 and bar.count.text() == f"1 of {len(expected)}"
    last = window.article.document().characterCount()
    assert all(end < last for _start, end in window.article.mark_ranges("find"))


def test_typing_in_the_tree_filter_never_changes_the_page(open_window, qtbot) -> None:
    window = open_window()
    show(window, "wrap-up")
    qtbot.keyClicks(window.filter_box, "iran")  # hides "That's a Wrap"
    assert window.current.id == "wrap-up"
    assert not window.tree.currentIndex().isValid()  # no stale row to click in vain


def test_a_section_the_filter_shows_again_is_selected_again(open_window) -> None:
    window = open_window()
    show(window, "economic-synergies")
    window.filter_box.setText("zzz")
    assert window.current.id == "economic-synergies"
    window.filter_box.setText("co")
    assert current_row_section(window).id == "economic-synergies"
    window.filter_box.setText("")
    assert current_row_section(window).id == "economic-synergies"


def test_choosing_the_shown_pages_own_row_goes_to_its_top(open_window) -> None:
    window = open_window()
    show(window, "iran-russia")
    window.open_reference("military-cooperation")  # on this page: scrolls there
    assert window.visible_section().id == "military-cooperation"
    root = window.model.index_of(window.library.find("iran-russia"))
    window.tree.setCurrentIndex(root)  # what a click or Left to the parent does
    assert window.article.verticalScrollBar().value() == 0
    assert window.visible_section().id == "iran-russia"


def test_a_jump_to_a_short_last_section_makes_it_current(open_window, qtbot, tmp_path, monkeypatch) -> None:
    """The page ends before the heading reaches the top: the section before it was taken as
    the current one (Next Section, bookmarks and the tree went by it)."""
    window = open_window(size=(1600, 1000))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(make_pack(tmp_path / "p")))
    window.actions_by_name["import_briefing_folder"].trigger()
    jobs_done(window, qtbot)
    show(window, "looking-ahead")
    window.open_reference("space-cyber")
    QApplication.processEvents()
    assert window.visible_section().id == "space-cyber"
    assert current_row_section(window).id == "space-cyber"
    window.article.verticalScrollBar().setValue(0)  # the reader scrolls: the headings decide
    assert window.visible_section().id == "looking-ahead"


def test_the_article_keeps_room_and_the_find_bar_fits_it(open_window, qtbot) -> None:
    window = open_window(size=(720, 720))
    updates_of(window).dock.show()
    annotations_of(window).dock.show()
    QApplication.processEvents()
    assert window.article.width() >= ARTICLE_MIN_WIDTH
    window.actions_by_name["find_in_page"].trigger()
    bar = find_bar_of(window)
    assert bar.x() >= 0 and bar.geometry().right() <= window.article.width()
    assert window.width() >= 720 or window.article.width() >= ARTICLE_MIN_WIDTH
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)


def test_the_window_fits_a_small_screen_with_the_annotations_panel(open_window) -> None:
    """The article's room must not push the window off a 1280 px screen at 200 % (640 px):
    the Annotations panel alone was 347 px at its narrowest."""
    window = open_window(size=(640, 600))
    annotations_of(window).dock.show()
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= 640
    assert window.article.width() >= ARTICLE_MIN_WIDTH
