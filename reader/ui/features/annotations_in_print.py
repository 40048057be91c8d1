"""Glue between printing and annotations (neither imports the other)."""

from __future__ import annotations

from reader.ui.shell.feature_host import Feature


class AnnotationsInPrint(Feature):
    """Glue, printing + annotations: printing takes the highlights and notes of the store."""

    def settle(self) -> None:
        from reader.annotations.printing import print_annotations
        from reader.ui.features.annotations.feature import AnnotationsFeature
        from reader.ui.features.printing.feature import PrintingFeature

        annotations, printing = self.host.get(AnnotationsFeature), self.host.get(PrintingFeature)
        controller = annotations.controller if annotations is not None else None
        if controller is None or printing is None:
            return
        window = self.window
        printing.controller.annotation_source = lambda briefing: print_annotations(
            controller.store, window.library, briefing)
