"""Windows with their index ready: the shipped briefing's (`window`), and over two small
briefings that share a word ("pipeline", `open_two`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_briefing
from tests.search.test_search_scope import ALPHA, BETA
from tests.ui.features_of import search_indexer_of


@pytest.fixture
def window(open_window, qtbot):
    """The window over the shipped briefing once its index is ready (and its workers done after
    the test)."""
    win = open_window(size=None)
    indexer = search_indexer_of(win)
    if indexer.indexing:
        with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
            pass
    yield win
    indexer.wait_for_workers()


@pytest.fixture
def two_briefings(tmp_path: Path) -> Path:
    """A content folder: Alpha (Energy › Gas, Oil; Farming) and Beta (Part 1–6)."""
    folder = tmp_path / "briefings"
    write_briefing(folder, "alpha.md", ALPHA, id="alpha", title="Alpha")
    write_briefing(folder, "beta.md", BETA, id="beta", title="Beta")
    return folder


@pytest.fixture
def open_two(open_window, qtbot, two_briefings):
    """Opens windows over `two_briefings` at a section ("alpha/energy" unless told), their index
    ready; their workers are stopped after the test. The same data folder each time: opening
    another is a restart."""
    opened = []

    def open_at(section: str | None = "alpha/energy"):
        win = open_window(two_briefings, section, size=None)
        indexer = search_indexer_of(win)
        if indexer.indexing or not indexer.ready:
            with qtbot.waitSignal(indexer.index_ready, timeout=30_000):
                pass
        opened.append(indexer)
        return win

    yield open_at
    for indexer in opened:
        indexer.wait_for_workers()
