"""Features plug into the main window through a host, so the window itself stays small and no
feature reaches another through attributes stuck on the window.

A feature is a class with four steps: `install()` adds its docks, actions and connections;
`settle()` runs once every feature of its batch is in (glue to other features goes there,
through `host.get(OtherFeature)`, which is None when that one is not installed); `self_test()`
gives `--self-test` a one-line report (raising on failure) or None; `shutdown()` runs when the
window closes. The host keeps the progressive start: the first screen's features are installed
before the window is shown, the rest from the event loop just after its first paint
(`reader.ui.app.application`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

F = TypeVar("F", bound="Feature")


class Feature:
    """One part of the window (search, annotations, updates, printing, or glue between two)."""

    def __init__(self, window: MainWindow, host: FeatureHost) -> None:
        self.window = window  # the parent of its widgets and the window's public API
        self.host = host

    def install(self) -> None:
        """Add docks, actions and connections."""

    def settle(self) -> None:
        """Every feature of this batch is installed: connect to the others here."""

    def self_test(self) -> str | None:
        """A one-line report for `--self-test` (raise on failure), or None for no check."""
        return None

    def shutdown(self) -> None:
        """The window is closing."""


class FeatureHost:
    """Installs features in batches and finds them by class."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._features: dict[type[Feature], Feature] = {}

    def install(self, kinds: list[type[Feature]]) -> list[Feature]:
        """Install a batch in order, then settle it; returns the batch's features."""
        from reader import timing

        batch = []
        for kind in kinds:
            if kind in self._features:
                continue
            feature = kind(self.window, self)
            self._features[kind] = feature
            feature.install()
            batch.append(feature)
            timing.mark(f"feature {kind.__name__}")
        for feature in batch:
            feature.settle()
        return batch

    def get(self, kind: type[F]) -> F | None:
        """The installed feature of that class, or None."""
        feature = self._features.get(kind)
        return feature if isinstance(feature, kind) else None

    def require(self, kind: type[F]) -> F:
        """The installed feature of that class; raises if it is not installed."""
        feature = self.get(kind)
        if feature is None:
            raise LookupError(f"{kind.__name__} is not installed")
        return feature

    def installed(self) -> list[Feature]:
        return list(self._features.values())

    def shutdown(self) -> None:
        for feature in reversed(self.installed()):
            feature.shutdown()
