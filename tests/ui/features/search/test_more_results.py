"""Results past the first page: the list shows the answer's first RESULT_LIMIT hits; scrolled to
its end (End, Page Down, the wheel), it asks for the next page of the same search, which is
added below, in the full answer's order, without repeating a hit; a new query starts over."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.ui.features.search.indexer import RESULT_LIMIT
from tests.conftest import write_briefing
from tests.ui.features_of import search_indexer_of, search_panel_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
SECTIONS = 130  # more than two pages of RESULT_LIMIT


@pytest.fixture
def window(open_window, qtbot, tmp_path: Path):
    body = "".join(f"## Airship {i}\n\nThe zeppelin{' zeppelin' * (i % 5)} number {i} flies.\n\n"
                   for i in range(SECTIONS))
    write_briefing(tmp_path / "content", "air.md", body, title="Air Briefing")
    win = open_window(content=tmp_path / "content")
    indexer = search_indexer_of(win)
    if not indexer.ready:
        with qtbot.waitSignal(indexer.index_ready, timeout=60_000):
            pass
    yield win
    indexer.wait_for_workers()


def laid_out(panel, rows: int) -> bool:
    """The list has placed its last row (it lays rows out a batch per turn of the event loop;
    End goes to the last row placed)."""
    return panel.view.visualRect(panel.model.index(rows - 1)).height() > 0


def shown_keys(panel) -> list[str]:
    return [panel.model.hit(r).key for r in range(panel.model.rowCount())]


def test_scrolling_to_the_end_adds_the_next_pages(qtbot, window) -> None:
    panel, indexer = search_panel_of(window), search_indexer_of(window)
    window.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClicks(panel.field, "zeppelin ")
    assert panel.model.rowCount() == RESULT_LIMIT
    assert panel.model.canFetchMore()
    full = indexer.index.search("zeppelin ", limit=SECTIONS, as_you_type=True, settled=True)
    assert full.total == SECTIONS

    panel.view.setFocus()
    shown = [panel.model.rowCount()]
    for _ in range(10):  # End, as often as it takes: each time at the end, the next page comes
        if panel.model.rowCount() == SECTIONS:
            break
        before = panel.model.rowCount()
        qtbot.waitUntil(lambda before=before: laid_out(panel, before))  # a batch per event turn
        qtbot.keyClick(panel.view, Qt.Key.Key_End)  # to the last row: the list's end
        qtbot.waitUntil(lambda before=before: panel.model.rowCount() > before, timeout=10_000)
        shown.append(panel.model.rowCount())
    # Pages of RESULT_LIMIT (Qt may ask for the next one as soon as the last row is in view)
    assert all(n % RESULT_LIMIT == 0 or n == SECTIONS for n in shown), shown
    keys = shown_keys(panel)
    assert len(keys) == len(set(keys)) == SECTIONS  # every hit, none twice
    assert keys == [h.key for h in full.hits]  # in the full answer's order
    assert not panel.model.canFetchMore()  # all there
    assert panel.status.text().startswith(f"{SECTIONS} results")

    panel.field.setFocus()  # a new query: its first page only
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClicks(panel.field, "x")  # "zeppelin x": nothing has both, any word
    assert panel.model.rowCount() <= RESULT_LIMIT
