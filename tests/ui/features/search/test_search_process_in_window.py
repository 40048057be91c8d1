"""The window's searches are answered in a process of their own once the first search started
it (reader/search/search_process.py: on a thread of the window's process they held the GIL the
GUI thread waited for), in the window's process until then, and again if that process dies;
closing the window ends it. A real window, a real index, real child processes."""

from __future__ import annotations

import os
import signal

import pytest

from tests.ui.features_of import search_indexer_of, search_panel_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def _search(qtbot, win, text: str):
    panel = search_panel_of(win)
    panel.field.clear()
    with qtbot.waitSignal(panel.results_shown, timeout=20_000) as blocker:
        panel.search_now(text)
    return blocker.args[0]


def _count_here(indexer, monkeypatch) -> list[str]:
    """The searches answered by the index in the window's process."""
    here: list[str] = []
    real = indexer.index.search

    def spy(text, *args, **kwargs):
        here.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(indexer.index, "search", spy)
    return here


def test_searches_are_answered_in_the_search_process_once_it_started(qtbot, window, monkeypatch):
    indexer = search_indexer_of(window)
    here = _count_here(indexer, monkeypatch)
    assert indexer.search_process is None  # no search yet: no process
    first = _search(qtbot, window, "sanctions")
    assert first.hits and here == ["sanctions"]  # the first one here, while the process starts
    process = indexer.search_process
    assert process is not None and process.pid != os.getpid()
    qtbot.waitUntil(process.started, timeout=20_000)
    again = _search(qtbot, window, "sanctions")
    assert here == ["sanctions"] and process.answers == 1
    assert [h.key for h in again.hits] == [h.key for h in first.hits]
    assert again.total == first.total
    panel = search_panel_of(window)
    assert panel.model.rowCount() == len(again.hits)


def test_when_the_search_process_dies_the_window_searches_itself(qtbot, window, monkeypatch):
    indexer = search_indexer_of(window)
    _search(qtbot, window, "sanctions")
    process = indexer.search_process
    assert process is not None
    qtbot.waitUntil(process.started, timeout=20_000)
    expected = _search(qtbot, window, "drone technology")
    assert process.answers == 1
    here = _count_here(indexer, monkeypatch)
    os.kill(process.pid, signal.SIGKILL)
    process._process.join(5)
    results = _search(qtbot, window, "drone technology")
    assert here == ["drone technology"]
    assert [h.key for h in results.hits] == [h.key for h in expected.hits]
    assert indexer.search_process is None  # and no new one is started
    _search(qtbot, window, "sanctions")
    assert indexer.search_process is None and here == ["drone technology", "sanctions"]


def test_closing_the_window_ends_the_search_process(qtbot, window):
    indexer = search_indexer_of(window)
    _search(qtbot, window, "sanctions")
    process = indexer.search_process
    assert process is not None
    qtbot.waitUntil(process.started, timeout=20_000)
    window.close()
    assert not process.alive


def test_a_large_librarys_search_process_starts_when_its_index_is_ready(qtbot, open_window,
                                                                        monkeypatch):
    """No search yet: a large library's window has its search process ready for the first one
    (a small one's starts at its first search, as above)."""
    from reader.ui.features.search import indexer as indexer_module

    monkeypatch.setattr(indexer_module, "PROCESS_AT_READY_SECTIONS", 1)  # the shipped briefing
    win = open_window(size=None)
    indexer = search_indexer_of(win)
    try:
        if indexer.indexing:
            with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
                pass
        process = indexer.search_process
        assert process is not None
        qtbot.waitUntil(process.started, timeout=20_000)
        here = _count_here(indexer, monkeypatch)
        results = _search(qtbot, win, "sanctions")
        assert results.hits and process.answers == 1 and here == []
    finally:
        indexer.wait_for_workers()


def test_closing_does_not_wait_for_a_hung_search_process(qtbot, window):
    """A search process that stopped answering (here: stopped with SIGSTOP while a search waits
    for it) is killed when the window closes, which takes about a second, not the answer's
    timeout; the waiting search reports nothing rather than searching the closing window."""
    import time

    indexer = search_indexer_of(window)
    _search(qtbot, window, "sanctions")
    process = indexer.search_process
    assert process is not None
    qtbot.waitUntil(process.started, timeout=20_000)
    os.kill(process.pid, signal.SIGSTOP)
    panel = search_panel_of(window)
    panel.search_now("drone technology")  # its worker now waits for the stopped process
    time.sleep(0.3)
    start = time.monotonic()
    window.close()
    assert time.monotonic() - start < 3
    assert not process.alive
