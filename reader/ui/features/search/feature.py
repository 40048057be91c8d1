"""The search feature: wires the Search tab (`SearchPanel`), the index (`SearchIndexer`) and the
hits painted on the page (`HitHighlighter`) to the window, declares their commands and puts the
find bar over the article.

Typing searches after a short pause in a worker thread (stale answers are dropped), so typing
never waits for a search. Opening a result shows its section, then paints every hit on the page
and scrolls to the first; F3 / Shift+F3 step through them; Esc clears. The index is brought up to
date in another worker at start-up, with progress in the status bar; until it is ready, searching
says so. Each part is told what to do by this module; none calls back into another.

A search may be limited to the briefing or the section (and those below it) of the page shown
when it was typed; opening its results does not move that place, going elsewhere does. The scope
chosen and the searches settled on (Enter, a result opened) are remembered in the settings.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from reader import search as core  # a lazy package: Whoosh loads on first use, after first paint
from reader.search.scope import Scope
from reader.ui.features.search.hits import HitHighlighter
from reader.ui.features.search.indexer import SearchIndexer
from reader.ui.features.search.panel import SearchPanel, hit_position_text
from reader.ui.features.search.search_settings import SearchSettings
from reader.ui.reading.find_bar import FindBar
from reader.ui.reading.scroll_to import centre_on
from reader.ui.shell.action_registry import ActionSpec
from reader.ui.shell.feature_host import Feature

if TYPE_CHECKING:
    from reader.content import Section
    from reader.search import SearchResults, UpdateReport
    from reader.search.query import Hit


class _FirstPaint(QObject):
    """Starts indexing shortly after the article is first painted."""

    def __init__(self, indexer: SearchIndexer) -> None:
        super().__init__(indexer)
        self.indexer = indexer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.indexer.start_soon()
        return False


class _CloseWatcher(QObject):
    """Stops the search when the window closes, so no worker thread outlives the index."""

    def __init__(self, feature: SearchFeature) -> None:
        super().__init__(feature.indexer)
        self.feature = feature

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.feature.shutdown()
        return False


class SearchFeature(Feature):
    """The Search tab beside Contents, the find bar over the article, their actions and the
    index kept up to date in the background."""

    panel: SearchPanel
    indexer: SearchIndexer
    hits: HitHighlighter
    find_bar: FindBar
    last_results: SearchResults | None = None  # of the newest query: what an opened hit paints
    opened_row: int | None = None  # which of last_results' hits is open on the page, if one is
    remembered: SearchSettings
    anchor: Section | None = None  # the page a scoped search is of (see `scope`)
    _opened: Section | None = None  # the page the last opened result showed
    _where = ""  # the newest search's scope, for the count: "in Alpha"
    _within: Scope | None = None  # and the scope itself, for its next pages

    def install(self) -> None:
        window, s = self.window, self.services
        self.indexer = SearchIndexer(s.session.paths, lambda: window.library, window)
        self.hits = HitHighlighter(s.article, window)
        panel = self.panel = SearchPanel(window)
        self.remembered = SearchSettings(s.settings)
        panel.set_scope_choice(self.remembered.scope)
        panel.set_recent(self.remembered.recent)
        s.status.addPermanentWidget(panel.progress)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
        window.tabifyDockWidget(window.contents_dock, panel)  # one sidebar: Contents | Search
        panel.setTitleBarWidget(QWidget())  # the tab names it; View menu toggles it
        window.contents_dock.raise_()
        self.find_bar = FindBar(s.article)
        self._declare_actions()
        self._connect()
        window.installEventFilter(_CloseWatcher(self))
        # Open the index once the window has painted: importing Whoosh (and, for a big library,
        # starting index workers) would otherwise delay the first paint.
        s.article.viewport().installEventFilter(_FirstPaint(self.indexer))
        self.indexer.start_later()  # in case the article is never painted
        window.filter_box.textChanged.connect(self.indexer.postpone_start)
        self.panel.field.textChanged.connect(self.indexer.reader_typing)

    def _declare_actions(self) -> None:
        r, panel, find_bar = self.services.actions, self.panel, self.find_bar
        r.declare(ActionSpec("search", "&Search…", "edit", "find", ("Ctrl+K", "Ctrl+Shift+F")),
                  panel.focus_search)
        r.declare(ActionSpec("find_in_page", "&Find in Page…", "edit", "find",
                             (QKeySequence.StandardKey.Find,)), find_bar.open)
        r.declare(ActionSpec("next_hit", "Next &Hit", "edit", "find", ("F3",)),
                  lambda: self.step(1))
        r.declare(ActionSpec("previous_hit", "Previous Hi&t", "edit", "find", ("Shift+F3",)),
                  lambda: self.step(-1))
        r.declare(ActionSpec("rebuild_index", "&Rebuild Search Index", "edit", "find"),
                  lambda: self.indexer.start_indexing(rebuild=True))
        r.declare(ActionSpec("clear_recent_searches", "C&lear Recent Searches", "edit", "find"),
                  self.clear_recent)
        toggle = panel.toggleViewAction()
        toggle.setText("Searc&h")  # S and A are taken: Go to Section Tree, the Annotations panel
        r.add("view", "panels", toggle, "show_search")

    def _connect(self) -> None:
        panel, indexer = self.panel, self.indexer
        panel.query_changed.connect(self.search)
        panel.cleared.connect(self._on_cleared)
        panel.hit_chosen.connect(self.open_hit)
        panel.settled.connect(self._remember)
        panel.scope_changed.connect(self._on_scope_changed)
        indexer.started.connect(panel.show_busy)
        indexer.progress.connect(panel.show_progress)
        indexer.index_ready.connect(self._on_index_ready)
        indexer.failed.connect(self._on_index_failed)
        indexer.results_ready.connect(self._on_results)
        indexer.more_ready.connect(self._on_more)
        panel.more_wanted.connect(self._more)
        indexer.search_unavailable.connect(
            lambda message: panel.show_message(f"Search is not ready: {message}"))
        indexer.search_failed.connect(lambda message: panel.show_message(f"Search failed: {message}"))
        self.window.library_changed.connect(self._on_library_changed)  # an import
        self.services.article.page_changed.connect(self._on_page_changed)

    # -- indexing --------------------------------------------------------------------------------
    def _on_index_ready(self, report: UpdateReport) -> None:
        self.panel.hide_progress()
        if report.mode != "none" or report.message:
            self.services.status.showMessage(report.message or report.summary(), 8000)
        self.search(self.panel.query())  # a search typed meanwhile was waiting for the index

    def _on_library_changed(self, _library: object) -> None:
        self.anchor = self._opened = None  # sections of the old library
        self.indexer.start_indexing()

    def _on_index_failed(self, message: str) -> None:
        self.panel.hide_progress()
        self.services.status.showMessage(f"Search index could not be built: {message}", 15000)
        self.panel.show_message("Search is unavailable: the index could not be built.")

    # -- searching -------------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Search `text` in the index, once it is ready (else the panel says why not)."""
        if not text.strip():
            return
        if not self.indexer.ready:
            self.panel.show_message("Preparing the search index…" if self.indexer.indexing
                                    else "The search index is not available.")
            return
        within = self._within = self.scope()
        self._where = _where(self.panel.scope_choice(), self.anchor) if within else ""
        self.indexer.search(text, within)

    def _more(self, shown: int) -> None:
        """The results list was scrolled to its end: the next page of the same search."""
        if self.last_results is not None:
            self.indexer.more(self.last_results.text, shown, self._within)

    def _on_more(self, results: SearchResults) -> None:
        if self.last_results is None or results.text != self.last_results.text:
            return  # an answer to a query since replaced
        self.last_results = results  # the same query's answer, a longer page of it
        self.panel.model.append_hits(results.hits)

    def scope(self) -> Scope | None:
        """Where the search chosen looks: None for the whole library (or when no page is shown),
        else the briefing or subtree of `anchor`, the page shown, unless that page is a result
        opened from this search (browsing the results must not narrow the scope to each)."""
        choice, current = self.panel.scope_choice(), self.window.current
        if current is not None and current is not self._opened:
            self.anchor = current
        anchor = self.anchor
        if choice == "library" or anchor is None or anchor.briefing is None:
            return None
        return Scope.of_briefing(anchor.briefing.id) if choice == "briefing" else Scope.of_subtree(anchor)

    def _on_scope_changed(self, choice: str) -> None:
        self.remembered.scope = choice
        self._opened = None  # a scope chosen anew is of the page shown now
        self.search(self.panel.query())

    # -- recent searches ---------------------------------------------------------------------------
    def _remember(self, text: str) -> None:
        self.panel.set_recent(self.remembered.add_recent(text))

    def clear_recent(self) -> None:
        """Forget the recent searches (Edit ▸ Clear Recent Searches)."""
        self.remembered.clear_recent()
        self.panel.set_recent([])
        self.services.status.showMessage("Recent searches cleared.", 3000)

    def _on_results(self, results: SearchResults) -> None:
        self.last_results = results
        self.opened_row = None  # a new list: the open page is none of its results yet
        self.panel.show_position("")
        self.hits.follow_query(results.matcher)
        self.panel.show_results(results, self._where)

    def _on_cleared(self) -> None:
        self.indexer.drop_answers()  # answers still on their way are for a query that is gone
        self.hits.clear()
        self.panel.show_position("")  # no hit is current any more ("Hit 1 of 6…" stayed)

    # -- opening results and stepping through hits -----------------------------------------------
    def open_hit(self, hit: Hit) -> None:
        """Show the hit's section, paint every hit word on the page and scroll to the first."""
        section = self.window.library.find(hit.section)
        if section is None:
            self.services.status.showMessage("That section is no longer in the library.", 5000)
            return
        results = self.last_results
        matcher = results.matcher if results else core.HitMatcher()
        self.window.show_section(section)
        self._opened = self.window.current
        self.opened_row = next((i for i, h in enumerate(results.hits) if h is hit), None) if results else None
        self.hits.show(matcher, heading=section.title)
        self._show_current_hit()
        self.services.article.setFocus()

    def step(self, delta: int) -> None:
        """F3 / Shift+F3: the find bar's matches while it is in use, else the search hits."""
        if self.find_bar.active:
            self.find_bar.next() if delta > 0 else self.find_bar.previous()
        elif not self.hits.step(delta):
            self.services.status.showMessage("No search hits on this page.", 3000)
        else:
            self._show_current_hit()

    def _show_current_hit(self) -> None:
        """The current hit in the middle of the article (not on its last line) and where it is:
        "Hit 2 of 5 in this section · result 3 of 12", in the panel and the status bar."""
        ranges, current = self.hits.hit_ranges(), self.hits.current_hit()
        if 0 <= current < len(ranges):
            centre_on(self.services.article, ranges[current][0])
        results = self.last_results
        text = hit_position_text(current, len(ranges), self.opened_row,
                                 results.total if results else 0, results.total_exact if results else True)
        self.panel.show_position(text)
        self.services.status.showMessage(text, 8000)

    def _on_page_changed(self) -> None:
        # Another page: the hits (and the result) the position spoke of are not on it.
        self.opened_row = None
        self.panel.show_position("")

    # -- the rest of the lifecycle ---------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel an index build and wait for the workers (see `SearchIndexer.wait_for_workers`)."""
        self.panel.stop()
        self.indexer.wait_for_workers()

    def self_test(self) -> str:
        """The index (shipped or cached) answers a search for a word of the content."""
        indexer = self.indexer
        deadline = time.monotonic() + 300
        while indexer.indexing and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        report = indexer.index.last_report
        if report is None or not indexer.index.ready:
            raise RuntimeError("the search index was not built")
        title = next(iter(self.window.library.sections())).title
        word = max(title.split(), key=len).strip(".,:;!?'\"")
        results = indexer.index.search(word, limit=5)
        if not results.hits:
            raise RuntimeError(f"searching for {word!r} found nothing")
        rebuilt = "yes" if report.mode == "full" else "no"
        return (f"search: {results.count_text} for {word!r} in {results.seconds * 1000:.0f} ms; "
                f"index rebuilt: {rebuilt} ({report.mode}; {report.message or report.summary()})")


def _where(choice: str, anchor: Section | None) -> str:
    """The scope of a search, after its count: "in Alpha", "in Energy and below"."""
    if anchor is None:
        return ""
    if choice == "briefing" and anchor.briefing is not None:
        return f"in {anchor.briefing.title}"
    return f"in {anchor.title}" + (" and below" if anchor.children else "")
