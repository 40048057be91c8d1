"""An index build yet to start waits while the reader types in the section filter, and starts
once they pause (its start-up work held the GIL while the tree answered each key: issue 18)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication

from reader.ui.features.search import indexer as indexer_module
from tests.ui.features_of import search_indexer_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def _type_for(window, seconds: float, every: float = 0.2, field=None,
              word: str = "sanctions") -> None:
    """Type into the section filter (or `field`), a key every `every` seconds, events processed
    meanwhile."""
    field = field if field is not None else window.filter_box
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        field.setText(word[: 1 + n % len(word)])
        pause = time.monotonic() + every
        while time.monotonic() < pause:
            QApplication.processEvents()
            time.sleep(0.005)


def test_the_build_waits_for_a_pause_in_filter_typing(qtbot, open_window, content_dir):
    window = open_window(content_dir)
    indexer = search_indexer_of(window)
    try:
        assert indexer.start_timer.isActive()  # waiting for the article's paint + 150 ms
        # Typing for longer than the build would have waited (its 150 ms after the paint, or 3 s
        # at the latest): it has not started
        _type_for(window, indexer_module.START_LATEST_MS / 1000 + 0.5)
        assert not indexer._started and not indexer.ready
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            pass  # a pause: it starts
        assert indexer._started and indexer.ready
    finally:
        indexer.wait_for_workers()


def test_typing_after_the_build_started_does_not_stop_it(qtbot, open_window, content_dir):
    window = open_window(content_dir)
    indexer = search_indexer_of(window)
    try:
        qtbot.waitUntil(lambda: indexer._started, timeout=10_000)
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            _type_for(window, 0.6)
    finally:
        indexer.wait_for_workers()



def _type_search_for(window, seconds: float) -> None:
    _type_for(window, seconds, field=_search_field(window), word="drone te")


def _search_field(window):
    from reader.ui.features.search.feature import SearchFeature
    return window.features.require(SearchFeature).panel.field


@pytest.mark.parametrize("box", ["section filter", "search box"])
def test_a_started_build_takes_each_step_here_in_a_pause_of_typing(qtbot, open_window,
                                                                   content_dir, box):
    """Once started (here by a caller that cannot wait), the build's start-up in the window's
    process (importing the search code, opening and creating the index, starting the workers)
    waits while the reader types: each step held the GIL the tree's answers waited for."""
    window = open_window(content_dir)
    indexer = search_indexer_of(window)
    typing = _type_for if box == "section filter" else _type_search_for
    field = window.filter_box if box == "section filter" else _search_field(window)
    try:
        field.setText("x")  # a key (the typing below starts with another text, so it is one too)
        indexer.start_after_paint()
        assert indexer._started and indexer.indexing
        typing(window, 4 * getattr(indexer_module, "STEP_PAUSE_MS", 400) / 1000)  # key/0.2 s
        folder = indexer.index.folder  # (a search typed may have opened it: not built it)
        assert indexer.indexing and not any(folder.parent.glob(f"{folder.name}*"))
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            pass  # a pause: it goes on
        assert indexer.ready
    finally:
        indexer.wait_for_workers()


def test_a_warm_up_module_that_is_missing_does_not_stop_the_build(qtbot, open_window,
                                                                  content_dir, monkeypatch):
    """The search code imported ahead, a module at a time, is a head start only: one missing
    (say, from a frozen app that left it out) is skipped, and the build goes on."""
    monkeypatch.setattr(indexer_module, "SEARCH_MODULES",
                        ("reader.no_such_module", *indexer_module.SEARCH_MODULES))
    window = open_window(content_dir)
    indexer = search_indexer_of(window)
    try:
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            indexer.start_after_paint()
        assert indexer.ready
    finally:
        indexer.wait_for_workers()
