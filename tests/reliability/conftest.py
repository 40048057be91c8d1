"""Fixtures of the reliability suite: a real main window on a given data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.helpers import context


@pytest.fixture
def open_window(qtbot) -> Callable[..., object]:
    """Open the real main window on `data_dir` (closed by pytest-qt afterwards)."""
    from reader.ui.app.application import create_window

    def opener(data_dir: Path, content: Path | None = None):
        window = create_window(context(data_dir, content))
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.restore(None)
        window.show()
        qtbot.waitExposed(window)
        return window

    return opener
