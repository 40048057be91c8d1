"""Glue between updates and annotations (neither imports the other)."""

from __future__ import annotations

from reader.ui.shell.feature_host import Feature


class AnnotationsInUpdates(Feature):
    """Glue, updates + annotations: read marks live in the annotation store, so reading a changed
    section clears its marker there; annotations re-anchor after an import; moved ones are
    pointed at in the review list. Listed before UpdatesFeature, so it settles first and the
    first markers already know what was read."""

    def settle(self) -> None:
        from reader.ui.features.annotations.feature import AnnotationsFeature
        from reader.ui.features.updates.feature import UpdatesFeature

        annotations, updates = self.host.get(AnnotationsFeature), self.host.get(UpdatesFeature)
        controller = annotations.controller if annotations is not None else None
        if controller is None or updates is None:
            return
        updates.controller.annotations = lambda: controller
        self.window.library_changed.connect(lambda _library: controller.refresh())
