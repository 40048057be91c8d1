"""Every visible, enabled text stays legible (WCAG AA, 4.5:1) through live theme switches,
measured on what is painted (tests/ui/contrast.py), with the annotation toolbar, the Annotations
and What Changed docks open and a diff shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from reader.updates import ChangeKind
from tests.ui.contrast import low_contrast, text_widgets
from tests.ui.features.updates.test_updates_ui import jobs_done, updates
from tests.ui.features_of import annotations_of
from tests.updates.helpers import make_pack

SWITCHES = ["dark", "light", "sepia", "dark", "sepia", "light", "dark"]


@pytest.fixture
def window(open_window, qtbot, tmp_path: Path, monkeypatch):
    w = open_window(size=None)
    w.set_theme("light")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(make_pack(tmp_path / "p")))
    w.actions_by_name["import_briefing_folder"].trigger()
    jobs_done(w, qtbot)
    ctl = updates(w)
    [changed] = [c for c in ctl.changes if c.kind is ChangeKind.CHANGED]
    ctl.go_to(changed)
    ctl.dock.show()
    annotations_of(w).dock.show()
    QApplication.processEvents()
    return w


def test_text_stays_legible_after_every_live_switch(window) -> None:
    names = [name for name, _ in text_widgets(window)]
    # What is measured: the annotation toolbar's labels, the docks' buttons and the diff.
    assert {"tool button 'Highlight'", "diff view", "button 'Mark All as Seen'"} <= set(names), names
    assert low_contrast(window) == []
    for theme in SWITCHES:
        window.set_theme(theme)
        QApplication.processEvents()
        assert low_contrast(window) == [], theme


def test_the_diff_view_follows_the_theme(window) -> None:
    dock = updates(window).dock
    for theme in SWITCHES:
        window.set_theme(theme)
        QApplication.processEvents()
        page = window.themes.current.page
        assert dock.view.palette().color(dock.view.viewport().backgroundRole()).name() == page
