"""Closing a real window as the user does (the windows themselves come from the `open_window`
fixture of tests/ui/conftest.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from reader.ui.shell.main_window import MainWindow


def close(window: MainWindow) -> None:
    """Close like the user does, so the settings are written."""
    window.close()
    QApplication.processEvents()
