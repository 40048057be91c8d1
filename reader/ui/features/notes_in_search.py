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
        from reader.ui.features.search.feature import SearchFeature

        annotations, search = self.host.get(AnnotationsFeature), self.host.get(SearchFeature)
        controller = annotations.controller if annotations is not None else None
        if controller is None or search is None:
            return
        indexer, window = search.indexer, self.window
        timer = QTimer(indexer, singleShot=True, interval=300)

        def sync() -> None:
            from reader.annotations.searchable import note_documents, sync_note_documents

            if indexer.indexing or not indexer.ready:
                return  # index_ready will sync once indexing is done
            docs = note_documents(controller.store, window.library)  # SQLite stays on this thread
            indexer.run_with_index(
                lambda index: sync_note_documents(index, docs),
                lambda _n: None, lambda message: self.services.status.showMessage(
                    f"Your notes could not be added to the search index: {message}", 8000),
            )

        timer.timeout.connect(sync)
        indexer.index_ready.connect(lambda _report: timer.start())
        controller.store.add_listener(lambda _change: timer.start())
