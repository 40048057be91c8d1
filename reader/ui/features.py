"""Features plug into the main window here, so the window itself stays small.

Each entry is a callable `install(window)` that adds its docks, actions, self-test checks and
signal connections. They run in order after the window is built and before it is restored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

Installer = Callable[["MainWindow"], None]


def installers() -> list[Installer]:
    # Imported here so that a feature's Qt modules load only with the window.
    from reader.ui import annotations_feature, updates_feature

    return [annotations_feature.install, updates_feature.install]
