"""The window's features as tests reach them: through the window's feature host, by class."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.features.annotations.feature import AnnotationsController
    from reader.ui.features.printing.feature import PrintController
    from reader.ui.features.search.hits import HitHighlighter
    from reader.ui.features.search.indexer import SearchIndexer
    from reader.ui.features.search.panel import SearchPanel
    from reader.ui.features.updates.feature import UpdatesController
    from reader.ui.reading.find_bar import FindBar
    from reader.ui.shell.main_window import MainWindow


def search_panel_of(window: MainWindow) -> SearchPanel:
    from reader.ui.features.search.feature import SearchFeature

    return window.features.require(SearchFeature).panel


def search_indexer_of(window: MainWindow) -> SearchIndexer:
    from reader.ui.features.search.feature import SearchFeature

    return window.features.require(SearchFeature).indexer


def search_hits_of(window: MainWindow) -> HitHighlighter:
    from reader.ui.features.search.feature import SearchFeature

    return window.features.require(SearchFeature).hits


def find_bar_of(window: MainWindow) -> FindBar:
    from reader.ui.features.search.feature import SearchFeature

    return window.features.require(SearchFeature).find_bar


def annotations_of(window: MainWindow) -> AnnotationsController:
    """The annotations controller (fails the test when the store could not be opened)."""
    from reader.ui.features.annotations.feature import AnnotationsFeature

    controller = window.features.require(AnnotationsFeature).controller
    assert controller is not None, window.features.require(AnnotationsFeature).error
    return controller


def annotations_notice_of(window: MainWindow) -> str | None:
    from reader.ui.features.annotations.feature import AnnotationsFeature

    feature = window.features.get(AnnotationsFeature)
    return feature.notice if feature is not None else None


def has_annotations_of(window: MainWindow) -> bool:
    from reader.ui.features.annotations.feature import AnnotationsFeature

    feature = window.features.get(AnnotationsFeature)
    return feature is not None and feature.controller is not None


def updates_of(window: MainWindow) -> UpdatesController:
    from reader.ui.features.updates.feature import UpdatesFeature

    return window.features.require(UpdatesFeature).controller


def printing_of(window: MainWindow) -> PrintController:
    from reader.ui.features.printing.feature import PrintingFeature

    return window.features.require(PrintingFeature).controller
