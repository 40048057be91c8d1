"""Recent searches in a real (offscreen) window over a real index: the searches settled on
(Enter, a result opened) are offered from the empty field (Down, Alt+Down), kept in the settings
file across a restart, and cleared from the Edit menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.features_of import search_panel_of

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")  # offscreen


def type_query(qtbot, win, text: str):
    panel = search_panel_of(win)
    win.actions_by_name["search"].trigger()
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.field, text)
    return blocker.args[0]


def settle(qtbot, win, text: str, key=Qt.Key.Key_Return) -> None:
    """Type `text` over the field's and press Enter (opens the first result)."""
    panel = search_panel_of(win)
    panel.field.clear()
    type_query(qtbot, win, text)
    qtbot.keyClick(panel.field, key)


def saved_recent(data_dir: Path) -> str | None:
    """The recent searches as the settings file on disk holds them (not a QSettings: in one
    process they share what is not written yet)."""
    text = (data_dir / "settings.ini").read_text(encoding="utf-8")
    section = text.partition("[search]")[2].partition("\n[")[0]
    return next((line.partition("=")[2] for line in section.splitlines()
                 if line.startswith("recent=")), None)


def test_settled_searches_survive_a_restart_and_are_offered(qtbot, open_two, data_dir) -> None:
    win = open_two()
    panel = search_panel_of(win)
    type_query(qtbot, win, "tank")  # typed, never settled: not remembered
    settle(qtbot, win, "canal")
    settle(qtbot, win, "pipeline")
    panel.field.clear()
    type_query(qtbot, win, "gas")
    with qtbot.waitSignal(panel.hit_chosen):  # a result opened from the list counts too
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.view.visualRect(panel.model.index(0, 0)).center())
    settle(qtbot, win, "Canal")  # again: first, once
    assert panel.recent.items() == ["Canal", "gas", "pipeline"]
    assert saved_recent(data_dir) == "Canal, gas, pipeline"  # on disk already
    win.close()

    again = open_two()
    panel = search_panel_of(again)
    assert panel.recent.items() == ["Canal", "gas", "pipeline"]
    again.actions_by_name["search"].trigger()
    panel.field.clear()
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)  # the empty field offers them
    assert panel.recent.visible
    popup = panel.recent.popup
    assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
        "Canal", "gas", "pipeline"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(panel.results_shown, timeout=10_000) as blocker:
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not panel.recent.visible
    assert panel.field.text() == "pipeline" and blocker.args[0].total == 10
    assert panel.model.rowCount() == 10


def test_alt_down_offers_them_over_a_query_and_escape_closes_them(qtbot, open_two) -> None:
    win = open_two()
    panel = search_panel_of(win)
    settle(qtbot, win, "canal")
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)  # a query in the field: Down moves in results
    assert not panel.recent.visible
    qtbot.keyClick(panel.field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert panel.recent.visible
    qtbot.keyClick(panel.recent.popup, Qt.Key.Key_Escape)
    assert not panel.recent.visible and panel.field.text() == "canal"


def test_clearing_them_is_kept_too(qtbot, open_two, data_dir) -> None:
    win = open_two()
    panel = search_panel_of(win)
    settle(qtbot, win, "canal")
    assert saved_recent(data_dir) == "canal"
    win.actions_by_name["clear_recent_searches"].trigger()
    assert panel.recent.items() == [] and saved_recent(data_dir) is None
    panel.field.clear()
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert not panel.recent.visible  # nothing to offer
    win.close()
    assert search_panel_of(open_two()).recent.items() == []
