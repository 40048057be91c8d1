"""The search panel and find bar in a real (offscreen) window over the shipped briefing."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.ui.features.search.results import SearchResultsModel
from tests.ui.features_of import find_bar_of, search_hits_of, search_indexer_of, search_panel_of
from tests.ui.marks_support import mark_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def search(qtbot, win, text: str):
    panel = search_panel_of(win)
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.field, text)
    return blocker.args[0]


def test_typing_shows_results_from_a_worker_thread(qtbot, window, monkeypatch):
    panel, indexer = search_panel_of(window), search_indexer_of(window)
    # Searched in this process (as before the search process starts, or after it failed):
    # on a worker thread (the search process is tested in test_search_process_in_window.py)
    monkeypatch.setattr(indexer, "_process_failed", True)
    threads: list[threading.Thread] = []
    real = indexer.index.search

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer.index, "search", spy)
    window.actions_by_name["search"].trigger()
    assert panel.field.hasFocus() or QApplication.focusWidget() is panel.field
    results = search(qtbot, window, "drone tech")  # last word is a prefix while typing
    assert threads and all(t is not threading.main_thread() for t in threads)
    # Debounced: one search for the whole burst of keystrokes, not one per key.
    assert len(threads) < len("drone tech")
    assert panel.model.rowCount() == len(results.hits) > 0
    first = panel.model.hit(0)
    assert first.key == "iran-russia/military-cooperation"
    assert "result" in panel.status.text()


def test_enter_opens_result_and_highlights_every_hit(qtbot, window):
    panel = search_panel_of(window)
    search(qtbot, window, "sanctions")
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    expected = panel.model.hit(1)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current.key == expected.section
    layer = window.article.marks("search")
    words = [w.lower() for w in mark_texts(window.article, "search")]
    page = window.article.toPlainText().lower()
    assert len(layer) == len(re.findall(r"\bsanctions?\b", page)) > 0
    assert all(w.startswith("sanction") for w in words)
    # The view scrolled to the current hit: the text cursor sits at it.
    hits = search_hits_of(window)
    current = hits.current_hit()
    assert window.article.textCursor().position() == hits.hit_ranges()[current][0]
    window.actions_by_name["next_hit"].trigger()
    assert hits.current_hit() == (current + 1) % len(layer)
    window.actions_by_name["previous_hit"].trigger()
    assert hits.current_hit() == current


def test_escape_clears_field_results_and_highlights(qtbot, window):
    panel = search_panel_of(window)
    search(qtbot, window, "energy")
    panel.open_current()
    assert window.article.marks("search")
    panel.field.setFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == "" and panel.model.rowCount() == 0
    assert window.article.marks("search") == []


def test_suggestion_link_and_malformed_query(qtbot, window):
    panel = search_panel_of(window)
    search(qtbot, window, "sanctons ")  # trailing space: not a prefix any more
    assert "Did you mean" in panel.status.text() and "sanctions" in panel.status.text()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        panel.status.linkActivated.emit("sanctions")  # clicking the suggestion searches it
    assert panel.field.text() == "sanctions" and blocker.args[0].hits
    panel.field.clear()
    results = search(qtbot, window, '"(AND')
    assert isinstance(results.hits, list)


def test_find_in_page_counts_and_steps_through_matches(qtbot, window):
    bar = find_bar_of(window)
    window.actions_by_name["find_in_page"].trigger()
    assert bar.isVisible()
    qtbot.keyClicks(bar.field, "russia")
    expected = window.article.toPlainText().lower().count("russia")
    assert expected > 1
    assert len(bar.matches) == expected
    assert bar.count.text() == f"1 of {expected}"
    assert len(window.article.marks("find")) == expected
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {expected}"
    window.actions_by_name["next_hit"].trigger()  # F3 steps the find bar while it is open
    assert bar.count.text() == f"3 of {expected}"
    bar.highlight_all.setChecked(False)
    assert len(window.article.marks("find")) == 1
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and window.article.marks("find") == []


def test_results_model(qtmodeltester, shipped_results):
    model = SearchResultsModel()
    model.set_hits(shipped_results.hits)
    qtmodeltester.check(model)


@pytest.fixture
def shipped_results(tmp_path: Path):
    from reader.content import load_library
    from reader.paths import bundled_content
    from reader.search import SearchIndex

    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([bundled_content()]))
    yield index.search("iran")
    index.close()


def test_a_new_query_replaces_the_hits_painted_on_the_page(qtbot, window):
    """The hits of the previous query stayed painted after typing a new one."""
    panel = search_panel_of(window)
    search(qtbot, window, "sanctions")
    panel.open_current()
    assert all(w.lower().startswith("sanction") for w in mark_texts(window.article, "search"))
    panel.field.selectAll()  # typing over the old query, as people do
    search(qtbot, window, "russia")
    words = [w.lower() for w in mark_texts(window.article, "search")]
    page = window.article.toPlainText().lower()
    assert words and all(w.startswith("russia") for w in words), words
    assert len(words) == len(re.findall(r"\brussia", page))
    panel.field.selectAll()
    search(qtbot, window, "zzzqqq")  # nothing on this page (nor anywhere)
    assert window.article.marks("search") == []
    panel.field.clear()  # an empty field: no hits either
    assert window.article.marks("search") == []


def test_a_selected_result_is_painted_in_the_selections_text_colour(qtbot, window):
    """The results' text was painted in the default (dark) colour on the selection's blue:
    text outside any block took no style sheet rule."""
    from PySide6.QtGui import QColor, QPalette

    panel = search_panel_of(window)
    search(qtbot, window, "sanctions")
    view = panel.view
    view.setCurrentIndex(panel.model.index(0, 0))
    QApplication.processEvents()
    rect = view.visualRect(panel.model.index(0, 0))
    image = view.viewport().grab(rect).toImage()
    palette = view.palette()
    highlight = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    wanted = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    text = [QColor(image.pixel(x, y)) for x in range(0, image.width(), 2)
            for y in range(image.height()) if QColor(image.pixel(x, y)) != highlight]
    assert text
    lightness = sorted(c.lightness() for c in text)
    # the text pixels lean to the selection's text colour (white on blue), not to black
    assert abs(lightness[len(lightness) * 9 // 10] - wanted.lightness()) < 60, (lightness[:5], lightness[-5:])


def test_a_quick_answer_is_followed_by_the_full_one_once_typing_pauses(open_window, qtbot,
                                                                      content_dir):
    """Issue 18: a keystroke's answer may complete a short prefix to its most frequent terms
    only ("more than N"); after the panel's pause the full answer replaces it."""
    from tests.conftest import write_briefing
    from tests.search.test_search_as_you_type import XY_WORDS

    sections = [f"## Part {i} {j}\n\nZebra notes: {word}.\n"
                for i, word in enumerate(XY_WORDS) for j in range(len(XY_WORDS) - i)]
    write_briefing(content_dir, "xy.md", "\n".join(sections), date="2026-12-01")
    win = open_window(content_dir, size=None)
    indexer = search_indexer_of(win)
    if indexer.indexing:
        with qtbot.waitSignal(indexer.index_ready, timeout=60_000):
            pass
    answers = []
    indexer.results_ready.connect(answers.append)
    indexer.search("zebra xy")
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    quick, full = answers
    assert not quick.total_exact and "more than" in quick.count_text
    assert full.total_exact and full.total == len(sections) > quick.total
    panel = search_panel_of(win)
    qtbot.waitUntil(lambda: panel.model.rowCount() == min(len(full.hits), len(sections)))
    indexer.wait_for_workers()
