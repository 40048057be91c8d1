"""The window a user starts (`start_window`, what `run_gui` runs before the event loop): the
section is painted before the features that do not shape the first screen are installed, and
those then arrive complete, with their docks where the last session left them."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDockWidget

from reader.ui.app.application import start_window
from reader.ui.features.annotations.feature import AnnotationsFeature
from reader.ui.features.search.feature import SearchFeature
from reader.ui.shell.keyboard import mnemonic
from tests.ui.comfort_support import close
from tests.ui.conftest import make_context
from tests.ui.features_of import annotations_of


class PaintSpy(QObject):
    """Records, at the article's first paint, which features the window had."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.at_first_paint = window, None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.at_first_paint is None:
            installed = {type(f).__name__ for f in self.window.features.installed()}
            self.at_first_paint = {name: kind in installed for name, kind in (
                ("search_panel", "SearchFeature"), ("annotations", "AnnotationsFeature"),
                ("updates", "UpdatesFeature"), ("printing", "PrintingFeature"))}
        return False


def mnemonic_clashes(menu) -> list[str]:
    """Entries without a mnemonic, or sharing one with an earlier entry of their menu."""
    bad, used = [], set()
    for action in (a for a in menu.actions() if not a.isSeparator()):
        letter = mnemonic(action.text())
        if letter is None or letter in used:
            bad.append(action.text())
        used.add(letter)
        if action.menu() is not None:
            bad += mnemonic_clashes(action.menu())
    return bad


def started(qtbot, data_dir):
    """A window started as `run_gui` does, once every feature is in."""
    window = start_window(make_context(data_dir))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.features_ready, timeout=10_000)
    return window


def test_first_paint_comes_before_the_later_features(qtbot, data_dir):
    window = start_window(make_context(data_dir))
    qtbot.addWidget(window)
    # Nothing has painted yet: the later features are not installed, the first screen's are.
    assert window.features.get(SearchFeature) is not None
    assert window.features.get(AnnotationsFeature) is None
    spy = PaintSpy(window)
    window.article.viewport().installEventFilter(spy)
    qtbot.waitUntil(lambda: window.features_ready, timeout=10_000)
    assert spy.at_first_paint == {"search_panel": True, "annotations": False, "updates": False,
                                  "printing": False}
    assert "Iran And Russia" in window.article.toPlainText()
    close(window)


def test_log_file_rotates_once_the_window_has_painted(qtbot, data_dir):
    import logging
    import logging.handlers

    from reader.app import setup_logging

    ctx = make_context(data_dir)
    root = logging.getLogger("reader")
    saved = root.handlers[:]
    try:
        setup_logging(ctx.paths, rotating=False)  # as `main` does for the window
        window = start_window(ctx)
        qtbot.addWidget(window)
        assert type(root.handlers[0]) is logging.FileHandler
        qtbot.waitUntil(lambda: window.features_ready, timeout=10_000)
        assert isinstance(root.handlers[0], logging.handlers.RotatingFileHandler)
        close(window)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = saved


def test_later_features_arrive_complete(open_window, qtbot, data_dir):
    window = started(qtbot, data_dir)
    full = open_window(data=data_dir / "other", size=None)  # every feature installed at once
    assert set(window.actions_by_name) == set(full.actions_by_name)
    # Mnemonics are settled after the late entries as well as when all come at once (before
    # settling, ten entries clash).
    assert mnemonic_clashes(window.menuBar()) == mnemonic_clashes(full.menuBar()) == []
    names = {d.objectName() for d in window.findChildren(QDockWidget)}
    assert names == {d.objectName() for d in full.findChildren(QDockWidget)}
    # The annotations feature sees the section already on screen: reading it marks it read.
    assert window.actions_by_name["toggle_read"].isEnabled()
    full.close()
    close(window)


def test_docks_and_toolbars_come_back_where_they_were(qtbot, data_dir):
    window = started(qtbot, data_dir)
    annotations_of(window).dock.show()  # the reader opens the Annotations dock, then quits
    annotations_of(window).toolbar.hide()
    QApplication.processEvents()
    close(window)

    again = started(qtbot, data_dir)
    QApplication.processEvents()
    assert annotations_of(again).dock.isVisible()  # restored though it was created after the paint
    assert not annotations_of(again).toolbar.isVisible()
    close(again)


FIRST_PAINT_SPY = """
import sys
from PySide6.QtCore import QEvent
import reader.ui.app.application as application

WATCHED = ("markdown", "nh3", "html.parser", "logging.handlers", "reader.annotations.store",
           "reader.ui.features.annotations.feature", "PySide6.QtPrintSupport",
           "reader.convert", "mammoth", "pypdf", "bs4", "markdownify", "charset_normalizer")
probe_filter = application.FirstPaintProbe.eventFilter

def spy(self, watched, event):
    if event.type() == QEvent.Type.Paint and not getattr(spy, "done", False):
        spy.done = True
        print("at-first-paint", *[m for m in WATCHED if m in sys.modules])
    return probe_filter(self, watched, event)

application.FirstPaintProbe.eventFilter = spy
from reader.app import main
code = main(["--data-dir", sys.argv[1]])
print("when-ready", *[m for m in WATCHED if m in sys.modules])
sys.exit(code)
"""


def test_a_returning_users_first_screen_loads_only_what_it_shows(tmp_path):
    """What the first paint of a returning user's start has loaded, in a fresh interpreter:
    no Markdown or sanitizer (the page comes from the render cache), no rotating log handler,
    no annotations or printing; all of it is there once the window is ready."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFING_READER_TIMING": "exit"}
    runs = [subprocess.run([sys.executable, "-c", FIRST_PAINT_SPY, str(tmp_path)], env=env,
                           capture_output=True, text=True, timeout=60) for _ in range(2)]
    lines = {line.split()[0]: line.split()[1:] for line in runs[1].stdout.splitlines()
             if line.startswith(("at-first-paint", "when-ready"))}
    assert runs[1].returncode == 0, runs[1].stderr[-2000:]
    assert lines["at-first-paint"] == []
    assert {"logging.handlers", "reader.ui.features.annotations.feature"} <= set(lines["when-ready"])
    # Document import's converters and their libraries load only when a document is converted.
    assert not {"reader.convert", "mammoth", "pypdf", "bs4", "markdownify",
                "charset_normalizer"} & set(lines["when-ready"])
