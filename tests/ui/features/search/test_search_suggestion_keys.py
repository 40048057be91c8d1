"""Following "Did you mean" from the keyboard alone, in a real (offscreen) window over the shipped
briefing: Alt+D in the field, or Tab to the link and Enter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.features_of import search_panel_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def misspelt(qtbot, win):
    """Ctrl+K and a misspelt word: the panel offers "sanctions"."""
    panel = search_panel_of(win)
    win.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClicks(panel.field, "sanctons ")  # trailing space: not a prefix any more
    assert "Did you mean" in panel.status.text() and "sanctions" in panel.status.text()
    return panel


def focused():
    return QApplication.focusWidget()


def test_tab_reaches_the_suggestion_and_enter_searches_it(qtbot, window) -> None:
    panel = misspelt(qtbot, window)
    before = panel.model.rowCount()
    qtbot.keyClick(panel.field, Qt.Key.Key_Tab)
    assert focused() is panel.scope
    qtbot.keyClick(panel.scope, Qt.Key.Key_Tab)
    assert focused() is panel.status
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClick(panel.status, Qt.Key.Key_Return)
    results = blocker.args[0]
    assert panel.field.text().strip() == "sanctions" and results.text.strip() == "sanctions"
    assert results.total > before and panel.model.rowCount() == len(results.hits) > 0
    assert focused() is panel.field  # Enter now opens the first result


def test_alt_d_in_the_field_searches_the_suggestion(qtbot, window) -> None:
    panel = misspelt(qtbot, window)
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClick(panel.field, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert panel.field.text().strip() == "sanctions" and blocker.args[0].hits
    assert all("sanction" in h.snippet.text.lower() or "sanction" in h.title.lower()
               for h in blocker.args[0].hits)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current.key == blocker.args[0].hits[0].section


def test_without_a_suggestion_tab_skips_the_status_line(qtbot, window) -> None:
    panel = search_panel_of(window)
    window.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClicks(panel.field, "sanctions")
    assert "Did you mean" not in panel.status.text()
    qtbot.keyClick(panel.field, Qt.Key.Key_Tab)
    qtbot.keyClick(panel.scope, Qt.Key.Key_Tab)
    assert focused() is panel.view
    qtbot.keyClick(panel.view, Qt.Key.Key_Backtab)
    assert focused() is panel.scope
    qtbot.keyClick(panel.field, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # nothing to follow
    assert panel.field.text() == "sanctions"
