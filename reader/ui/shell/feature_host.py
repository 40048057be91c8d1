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

from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from reader.session import Session
    from reader.ui.kit.settings import Settings
    from reader.ui.kit.themes import ThemeController
    from reader.ui.reading.article_view import ArticleView
    from reader.ui.shell.action_registry import ActionRegistry
    from reader.ui.shell.main_window import MainWindow

F = TypeVar("F", bound="Feature")


# A NamedTuple, not a dataclass: about 0.2 ms to define instead of 1.4, on the first screen's path.
class Services(NamedTuple):
    """What a feature is given: typed handles on the window's parts. `window` is the parent of
    the feature's widgets and docks and the navigation API (library, current section,
    show_section, section_shown, library_changed); the rest are the window's own objects, named
    here so a feature needs no attribute of the window to find them."""

    window: MainWindow
    session: Session
    settings: Settings
    actions: ActionRegistry  # declare commands here (menus, keys, mnemonics)
    article: ArticleView
    themes: ThemeController  # the theme in use and `changed` on a switch
    status: QStatusBar
    features: FeatureHost  # reach another feature only through features.get(Kind)

    @classmethod
    def of(cls, window: MainWindow, host: FeatureHost) -> Services:
        return cls(window=window, session=window.ctx.session, settings=window.settings,
                   actions=window.registry, article=window.article, themes=window.themes,
                   status=window.statusBar(), features=host)


class Feature:
    """One part of the window (search, annotations, updates, printing, or glue between two)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.window = services.window  # the parent of its widgets; navigation
        self.host = services.features

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
        self._services: Services | None = None  # made on the first install (the window is built)

    def install(self, kinds: list[type[Feature]]) -> list[Feature]:
        """Install a batch in order, then settle it; returns the batch's features."""
        from reader import timing

        batch = []
        for kind in kinds:
            if kind in self._features:
                continue
            if self._services is None:
                self._services = Services.of(self.window, self)
            feature = kind(self._services)
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
