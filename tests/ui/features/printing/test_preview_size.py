"""Print Preview opens no larger than the screen's available area (a fixed 900x900 was 1800 px
tall on a 1536 px HiDPI screen), and on it. The offscreen screen is 800x800; with
QT_SCALE_FACTOR=2 it is 400x400 device-independent pixels, a small HiDPI screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.features_of import printing_of

ROOT = Path(__file__).resolve().parents[4]
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def open_preview(qtbot, window):
    controller = printing_of(window)
    section = window.library.find("iran-russia/deepening-ties")
    controller.ask = lambda verb: controller.job([section])
    window.actions_by_name["print_preview"].trigger()
    qtbot.waitUntil(lambda: controller.preview_dialog is not None, timeout=30_000)
    dialog = controller.preview_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_preview_fits_the_available_screen(open_window, qtbot) -> None:
    window = open_window(size=None)
    dialog = open_preview(qtbot, window)
    try:
        room = window.screen().availableGeometry()
        assert room.height() < 900  # the test's point: the wanted size does not fit
        assert room.contains(dialog.frameGeometry()), (dialog.frameGeometry(), room)
        assert dialog.height() > room.height() // 2  # still as big as there is room for
    finally:
        dialog.close()


CHILD = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
from tests.ui.window_child import _window
from tests.ui.features_of import printing_of

window = _window(Path(sys.argv[1]))
controller = printing_of(window)
section = window.library.find("iran-russia/deepening-ties")
controller.ask = lambda verb: controller.job([section])
window.actions_by_name["print_preview"].trigger()
for _ in range(3000):
    QTest.qWait(10)
    if controller.preview_dialog is not None and controller.preview_dialog.isVisible():
        break
dialog = controller.preview_dialog
room = window.screen().availableGeometry()
print("ratio", window.screen().devicePixelRatio())
print("fits", room.contains(dialog.frameGeometry()), dialog.frameGeometry(), room)
dialog.close()
window.close()
print("ok")
"""


def test_preview_fits_a_small_hidpi_screen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert "ratio 2.0" in out.stdout, out.stdout + out.stderr
    assert "fits True" in out.stdout, out.stdout + out.stderr
    assert out.stdout.rstrip().endswith("ok"), out.stdout + out.stderr
