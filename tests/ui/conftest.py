"""Fixtures for real widgets under the offscreen platform.

`open_window` is the one way the tests under tests/ui open the real main window. The scripts that
run outside pytest (window_child.py, session_child.py, tests/reliability/robustness_driver.py)
keep a small opener of their own."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window
from reader.ui.shell.main_window import MainWindow

SIZE = (1200, 800)


def make_context(data_dir: Path, content: Path | None = None, section: str | None = None) -> Context:
    args = argparse.Namespace(content=str(content) if content else None, data_dir=data_dir,
                              section=section, self_test=False, command=None)
    return Context(args=args, paths=AppPaths.create(data_dir))


@pytest.fixture
def open_window(qtbot, data_dir: Path) -> Callable[..., MainWindow]:
    """An opener of real main windows with every feature installed (as `run_gui` builds them);
    pytest-qt closes each one after the test.

        open_window(content=None, section=None, *, data=None, size=(1200, 800), restore=True,
                    show=True)

    `content` and `section` are the --content and --section options (`section` is where
    `restore` opens); `data` another data folder than the test's `data_dir`. The window is
    restored (geometry, docks, the last section) unless `restore` is false, THEN resized to
    `size`, so that size wins over the saved geometry; `size=None` keeps the geometry `restore`
    gave (the saved one, else the first-run size): the tests of a remembered size use it. With
    `show`, it is shown, exposed and the pending events are processed."""

    def opener(content: Path | None = None, section: str | None = None, *, data: Path | None = None,
               size: tuple[int, int] | None = SIZE, restore: bool = True, show: bool = True) -> MainWindow:
        # Earlier tests' windows, closed with deleteLater, die now rather than while this test's
        # background work runs: a Python-wrapped object destroyed on the GUI thread waits for the
        # GIL while holding one of Qt's shared signal-slot mutexes, and a worker making a
        # connection under the GIL (a print layout's QTextDocument) deadlocked on that mutex
        # (seen once in CI, test_print_background; PySide6 keeps the GIL inside Qt calls).
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        window = create_window(make_context(data or data_dir, content, section))
        qtbot.addWidget(window)
        if restore:
            window.restore(section)
        if size is not None:
            window.resize(*size)
        if show:
            window.show()
            qtbot.waitExposed(window)
            QApplication.processEvents()
        return window

    return opener
