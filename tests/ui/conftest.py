"""Fixtures for real widgets under the offscreen platform."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window
from reader.ui.shell.main_window import MainWindow


def make_context(data_dir: Path, content: Path | None = None, section: str | None = None) -> Context:
    args = argparse.Namespace(content=str(content) if content else None, data_dir=data_dir,
                              section=section, self_test=False, command=None)
    return Context(args=args, paths=AppPaths.create(data_dir))


@pytest.fixture
def open_window(qtbot, data_dir: Path) -> Callable[..., MainWindow]:
    """Open a real main window (optionally on other content); closed by pytest-qt afterwards."""

    def opener(content: Path | None = None, section: str | None = None, restore: bool = True) -> MainWindow:
        window = create_window(make_context(data_dir, content, section))
        qtbot.addWidget(window)
        window.resize(1200, 800)
        if restore:
            window.restore(section)
        window.show()
        qtbot.waitExposed(window)
        return window

    return opener
