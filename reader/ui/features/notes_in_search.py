"""Glue between search and annotations (neither imports the other)."""

from __future__ import annotations

from reader.ui.shell.feature_host import Feature


class NotesInSearch(Feature):
    """Glue, search + annotations: your notes and highlighted quotes are searchable, synced
    into the index once it is ready and again (debounced) after every annotation change, off
    the GUI thread."""

    def settle(self) -> None:
        from PySide6.QtCore import QTimer

        from reader.ui.features.annotations.feature import AnnotationsFeature
        from reader.ui.features.search.panel import SearchFeature
        from reader.ui.kit.background import run_in_background

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
