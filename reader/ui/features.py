"""Which features the window has, and the glue between two of them.

The first screen's features install before the window is shown; the later ones from the event
loop just after its first paint (`reader.ui.application`). Glue between two features lives here,
as features of its own that only settle: each finds the two through the host and does nothing
when either is missing.
"""

from __future__ import annotations

from reader.ui.feature_host import Feature


def first_screen_features() -> list[type[Feature]]:
    """Features that shape the first screen: the Search tab beside Contents. Installed before
    the window is shown, so the first paint already has its final layout."""
    # Imported here so that a feature's Qt modules load only with the window.
    from reader.ui.search_panel import SearchFeature

    return [SearchFeature]


def later_features() -> list[type[Feature]]:
    """Features that add menu entries, a toolbar beside the navigation one, docks hidden by
    default, highlights and badges: `start_window` has them installed just after the first
    paint (about 40 ms of imports and set-up the reader need not wait for)."""
    from reader.ui.annotations_feature import AnnotationsFeature
    from reader.ui.print_actions import PrintingFeature
    from reader.ui.updates_feature import UpdatesFeature

    return [AnnotationsFeature, UpdatesFeature, PrintingFeature, AnnotationsInPrint,
            NotesInSearch]


class AnnotationsInPrint(Feature):
    """Glue, printing + annotations: printing takes the highlights and notes of the store."""

    def settle(self) -> None:
        from reader.annotations.printing import print_annotations
        from reader.ui.annotations_feature import AnnotationsFeature
        from reader.ui.print_actions import PrintingFeature

        annotations, printing = self.host.get(AnnotationsFeature), self.host.get(PrintingFeature)
        controller = annotations.controller if annotations is not None else None
        if controller is None or printing is None:
            return
        window = self.window
        printing.controller.annotation_source = lambda briefing: print_annotations(
            controller.store, window.library, briefing)


class NotesInSearch(Feature):
    """Glue, search + annotations: your notes and highlighted quotes are searchable, synced
    into the index once it is ready and again (debounced) after every annotation change, off
    the GUI thread."""

    def settle(self) -> None:
        from PySide6.QtCore import QTimer

        from reader.ui.annotations_feature import AnnotationsFeature
        from reader.ui.background import run_in_background
        from reader.ui.search_panel import SearchFeature

        annotations, search = self.host.get(AnnotationsFeature), self.host.get(SearchFeature)
        controller = annotations.controller if annotations is not None else None
        if controller is None or search is None:
            return
        panel, window = search.panel, self.window
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
