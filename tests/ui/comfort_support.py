"""Opening real windows for the reading-comfort tests (kept out of conftest.py so that it merges
beside the other features' fixtures)."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtWidgets import QApplication

from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window
from reader.ui.shell.main_window import MainWindow


def make_context(data_dir: Path, content: Path | None = None, section: str | None = None) -> Context:
    args = argparse.Namespace(content=str(content) if content else None, data_dir=data_dir,
                              section=section, self_test=False, command=None)
    return Context(args=args, paths=AppPaths.create(data_dir))


def open_reader(qtbot, data_dir: Path, content: Path | None = None, section: str | None = None,
                size: tuple[int, int] = (1200, 800)) -> MainWindow:
    """A real, shown main window with every feature installed (as `run_gui` builds it)."""
    window = create_window(make_context(data_dir, content, section))
    qtbot.addWidget(window)
    window.restore(section)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def close(window: MainWindow) -> None:
    """Close like the user does, so the settings are written."""
    window.close()
    QApplication.processEvents()
