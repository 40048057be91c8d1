"""Features plug into the main window here, so the window itself stays small.

Each entry is a callable `install(window)` that adds its docks, actions, self-test checks and
signal connections. They run in order after the window is built; in the window a user starts,
those not on the first screen run right after it has painted (`application.start_window`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

Installer = Callable[["MainWindow"], None]


def first_screen_installers() -> list[Installer]:
    """Features that shape the first screen: the Search tab beside Contents. Installed before
    the window is shown, so the first paint already has its final layout."""
    # Imported here so that a feature's Qt modules load only with the window.
    from reader.ui import search_panel

    return [search_panel.install]


def later_installers() -> list[Installer]:
    """Features that add menu entries, a toolbar beside the navigation one, docks hidden by
    default, highlights and badges: `start_window` has them installed just after the first paint (about
    40 ms of imports and set-up the reader need not wait for)."""
    from reader.ui import annotations_feature, print_actions, updates_feature

    return [annotations_feature.install, updates_feature.install, print_actions.install,
            _print_annotations, _search_annotations]


def _print_annotations(window: MainWindow) -> None:
    """Printing takes the highlights and notes of the window's annotation store."""
    from reader.annotations.printing import print_annotations

    controller = getattr(window, "annotations", None)
    printing = getattr(window, "printing", None)
    if controller is not None and printing is not None:
        printing.annotation_source = lambda briefing: print_annotations(
            controller.store, window.library, briefing)


def _search_annotations(window: MainWindow) -> None:
    """Your notes and highlighted quotes are searchable: synced into the index once it is ready
    and again (debounced) after every annotation change, off the GUI thread."""
    from PySide6.QtCore import QTimer

    from reader.ui.background import run_in_background

    controller = getattr(window, "annotations", None)
    panel = getattr(window, "search_panel", None)
    if controller is None or panel is None:
        return
    timer = QTimer(panel, singleShot=True, interval=300)

    def sync() -> None:
        from reader.annotations.searchable import note_documents, sync_note_documents

        if panel.indexing or not panel.index.ready:
            return  # index_ready will sync once indexing is done
        docs = note_documents(controller.store, window.library)  # SQLite stays on this thread
        run_in_background(
            panel.index_pool, lambda _progress: sync_note_documents(panel.index, docs),
            lambda _n: None, lambda message: window.statusBar().showMessage(
                f"Your notes could not be added to the search index: {message}", 8000),
        )

    timer.timeout.connect(sync)
    panel.index_ready.connect(lambda _report: timer.start())
    controller.store.add_listener(lambda _change: timer.start())
