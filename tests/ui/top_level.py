"""Find the visible top-level windows (message boxes, dialogs) the window opened."""

from __future__ import annotations

import gc
from typing import TypeVar

from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)


def visible_top_level(kind: type[W]) -> list[W]:
    """The visible top-level widgets of `kind`. The collector is paused while PySide converts
    Qt's list: a collection in between may free an unreferenced window of an earlier test whose
    pointer is still in the list, and the next conversion reads freed memory (the same crash as
    reader.ui.kit.themes.repolish_style_sheets had)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    finally:
        if was_enabled:
            gc.enable()
