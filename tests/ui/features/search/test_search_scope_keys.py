"""Searching one briefing or one section and those below it, chosen from the keyboard in a real
(offscreen) window over a real index of two briefings that share a word: the results and their
count are the scope's alone, and the choice is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.ui.features.search import indexer as indexer_module
from tests.ui.features_of import search_panel_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def type_query(qtbot, win, text: str):
    panel = search_panel_of(win)
    win.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.field, text)
    return blocker.args[0]


def next_scope(qtbot, panel):
    """Down on the focused scope chooser: the next scope, searched at once."""
    assert QApplication.focusWidget() is panel.scope
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClick(panel.scope, Qt.Key.Key_Down)
    return blocker.args[0]


def test_scopes_chosen_by_keyboard_count_and_list_their_own_sections(qtbot, open_two,
                                                                     monkeypatch) -> None:
    # Three hits a search: the library's best three are all Beta's, so Alpha's could not come
    # from filtering them.
    monkeypatch.setattr(indexer_module, "RESULT_LIMIT", 3)
    win = open_two()
    panel = search_panel_of(win)
    whole = type_query(qtbot, win, "pipeline ")
    assert whole.total == 10 and panel.scope_choice() == "library"
    assert {h.section.split("/")[0] for h in whole.hits} == {"beta"}
    qtbot.keyClick(panel.field, Qt.Key.Key_Tab)
    in_briefing = next_scope(qtbot, panel)
    assert panel.scope_choice() == "briefing"
    assert len(in_briefing.hits) == 3
    assert set(h.title for h in in_briefing.hits) < {"Energy", "Farming", "Gas", "Oil"}
    assert in_briefing.total == 4 and "4 results in Alpha" in panel.status.text()
    in_subtree = next_scope(qtbot, panel)
    assert sorted(h.title for h in in_subtree.hits) == ["Energy", "Gas", "Oil"]
    assert in_subtree.total == 3 and "in Energy and below" in panel.status.text()
    assert panel.model.rowCount() == 3


def test_opening_a_result_keeps_the_scope_where_it_was(qtbot, open_two) -> None:
    win = open_two()
    panel = search_panel_of(win)
    win.actions_by_name["search"].trigger()
    qtbot.keyClick(panel.field, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # "In:"
    assert QApplication.focusWidget() is panel.scope
    qtbot.keyClick(panel.scope, Qt.Key.Key_End)  # "This section and below"
    assert panel.scope_choice() == "subtree"
    type_query(qtbot, win, "pipeline ")
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert win.current.key != "alpha/energy"  # a result below Energy is open
    panel.field.clear()
    results = type_query(qtbot, win, "pipeline ")
    assert results.total == 3  # still Energy and below, not the opened section alone
    # Somewhere else (not from the results): the scope is that page's.
    win.show_section(win.library.find("alpha/farming"))
    panel.field.clear()
    results = type_query(qtbot, win, "pipeline ")
    assert [h.title for h in results.hits] == ["Farming"] and results.total == 1


def test_the_scope_chosen_is_remembered(qtbot, open_two, data_dir: Path) -> None:
    win = open_two()
    panel = search_panel_of(win)
    panel.scope.setFocus()
    qtbot.keyClick(panel.scope, Qt.Key.Key_Down)
    assert panel.scope_choice() == "briefing"
    win.close()
    assert "scope=briefing" in (data_dir / "settings.ini").read_text(encoding="utf-8")
    again = open_two("beta/part-2")
    panel = search_panel_of(again)
    assert panel.scope_choice() == "briefing" and panel.scope.currentText() == "This briefing"
    results = type_query(qtbot, again, "pipeline ")
    assert results.total == 6 and {h.section.split("/")[0] for h in results.hits} == {"beta"}
