"""Opening a search result or stepping with F3 / Shift+F3 puts the current hit in the middle of
the article, not on its last line, and the panel and status bar say which hit of the section's
and which result of the list it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.ui.features.search.panel import hit_position_text
from reader.ui.reading.scroll_to import offset_from_middle
from tests.conftest import write_briefing
from tests.ui.features_of import search_hits_of, search_indexer_of, search_panel_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
FILLER = "Plain words about trade routes and the weather in the mountains, nothing else here. "


def long_page(folder: Path) -> None:
    """Two sections with "zeppelin": the first far down its long page (three times), the
    second once; plenty of text after each so that the hits can be centred."""
    paragraphs = [FILLER * 3] * 40
    for at in (25, 32, 39):
        paragraphs[at] = f"{FILLER} The zeppelin appears here. {FILLER}"
    body = "\n\n".join(paragraphs) + "\n\n" + "\n\n".join([FILLER * 3] * 30)
    write_briefing(
        folder,
        "air.md",
        f"## Airships\n{body}\n## Other\nA lone zeppelin.\n\n" + "\n\n".join([FILLER * 3] * 30) + "\n",
        title="Air Briefing",
    )


@pytest.fixture
def window(open_window, qtbot, tmp_path: Path):
    long_page(tmp_path / "content")
    win = open_window(content=tmp_path / "content", section="air/other")
    indexer = search_indexer_of(win)
    if not indexer.ready:
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            pass
    yield win
    indexer.wait_for_workers()


def open_first_result(qtbot, win, text: str) -> None:
    panel = search_panel_of(win)
    win.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClicks(panel.field, text)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    QApplication.processEvents()


def centred(win) -> bool:
    hits = search_hits_of(win)
    start = hits.hit_ranges()[hits.current_hit()][0]
    line = win.article.fontMetrics().height() * 2  # the hit's line, wherever it breaks
    return abs(offset_from_middle(win.article, start)) <= line


def test_an_opened_hit_is_in_the_middle_and_its_position_is_shown(qtbot, window) -> None:
    open_first_result(qtbot, window, "zeppelin ")
    panel = search_panel_of(window)
    assert window.current.key == "air/airships"  # three hits rank it first
    assert window.article.verticalScrollBar().value() > 0  # it is far down the page
    assert centred(window)
    assert panel.position.isVisible()
    assert panel.position.text() == "Hit 1 of 3 in this section · result 1 of 2"
    assert window.statusBar().currentMessage() == panel.position.text()
    window.actions_by_name["next_hit"].trigger()  # F3
    assert centred(window)
    assert panel.position.text() == "Hit 2 of 3 in this section · result 1 of 2"
    qtbot.keyClick(window.article, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert centred(window)
    assert panel.position.text().startswith("Hit 3 of 3 in this section")  # wrapped round
    panel.field.setFocus()  # the query emptied: no hit is current, the line goes
    qtbot.keyClick(panel.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.field, Qt.Key.Key_Backspace)
    assert not panel.position.isVisible()


def test_the_position_names_the_second_result_and_goes_with_the_page(qtbot, window) -> None:
    open_first_result(qtbot, window, "zeppelin ")
    panel = search_panel_of(window)
    panel.field.setFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current.key == "air/other"
    assert panel.position.text() == "Hit 1 of 1 in this section · result 2 of 2"
    window.show_section(window.library.find("air/airships"))  # read on elsewhere
    assert not panel.position.isVisible()


def test_centred_after_zooming_in(qtbot, window) -> None:
    window.article.setFocus()
    for _ in range(4):
        qtbot.keyClick(window.article, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    open_first_result(qtbot, window, "zeppelin ")
    assert centred(window)
    window.actions_by_name["next_hit"].trigger()
    assert centred(window)


def test_position_text() -> None:
    assert hit_position_text(1, 5, 2, 12) == "Hit 2 of 5 in this section · result 3 of 12"
    assert hit_position_text(-1, 5, None, 12) == "5 hits in this section"
    assert hit_position_text(0, 0, 0, 20, exact=False) == "No hits in this section · result 1 of more than 20"
