"""The window title names where the reader is: "Section — Briefing — Briefing Reader", following
the tree, scrolling through a page and Next/Previous Section; and F11 toggles full screen on
every platform (bound explicitly: plain X11 has no standard full-screen key)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.conftest import write_briefing

BRIEFING = "Iran And Russia: Today's Top News Stories"
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def test_title_names_the_section_and_the_briefing(open_window, qtbot) -> None:
    window = open_window(section="iran-russia")
    assert window.windowTitle() == f"{BRIEFING} — Briefing Reader"  # the briefing's own page
    section = window.library.find("iran-russia/military-cooperation")
    window.tree.selectionModel().setCurrentIndex(
        window.model.index_of(section), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert window.windowTitle() == (
        f"Military Cooperation: More Than Just Drills — {BRIEFING} — Briefing Reader"
    )
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.windowTitle().startswith("Economic Synergies: Navigating Sanctions Together — ")


def test_title_follows_scrolling_within_a_page(open_window, qtbot) -> None:
    window = open_window(section="iran-russia")
    window.article.scroll_to_section("geopolitical-alignments")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Geopolitical Alignments: A United Front? — "))


def test_title_of_a_right_to_left_briefing(open_window, tmp_path: Path) -> None:
    write_briefing(tmp_path, "fa.md", "## مقدمه\nمتن\n## جمع‌بندی\nپایان\n", title="گزارش روز", language="fa")
    window = open_window(content=tmp_path, section="fa/مقدمه")
    assert window.current is not None and window.current.title == "مقدمه"
    assert window.windowTitle() == "مقدمه — گزارش روز — Briefing Reader"


def test_f11_toggles_full_screen_and_its_check_mark(open_window, qtbot) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    action = window.actions_by_name["full_screen"]
    qtbot.keyClick(window.article, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert action.isChecked()
    qtbot.keyClick(window.article, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not action.isChecked()
    action.trigger()  # View ▸ Full Screen, then left by the window manager's own key
    qtbot.waitUntil(window.isFullScreen)
    window.showNormal()
    qtbot.waitUntil(lambda: not action.isChecked())


CHILD = """
import argparse, sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window, make_app

app = make_app()
# The point of the test: this platform has no standard full-screen key.
print("standard:", repr(QKeySequence(QKeySequence.StandardKey.FullScreen).toString()))
data = Path(sys.argv[1])
args = argparse.Namespace(content=None, data_dir=data, section=None, self_test=False, command=None)
window = create_window(Context(args=args, paths=AppPaths.create(data)))
window.restore(None)
window.show()
QTest.qWaitForWindowExposed(window)
window.activateWindow()
QApplication.processEvents()
print("keys:", [k.toString() for k in window.actions_by_name["full_screen"].shortcuts()])
QTest.keyClick(window.article, Qt.Key.Key_F11)
QApplication.processEvents()
print("full screen:", window.isFullScreen())
window.close()
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb for plain X11")
def test_f11_under_plain_x11_without_a_standard_key(tmp_path: Path) -> None:
    """Under X11 with no desktop environment Qt has no full-screen key at all: F11 still works."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID")
    }
    env.update(QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert "standard: ''" in out.stdout, out.stdout + out.stderr
    assert "keys: ['F11']" in out.stdout, out.stdout + out.stderr
    assert "full screen: True" in out.stdout, out.stdout + out.stderr
