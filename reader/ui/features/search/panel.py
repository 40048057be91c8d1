"""The search panel: a dock with a search field (Ctrl+K, Ctrl+Shift+F) and the results list.

Typing searches after a short pause in a worker thread (stale answers are dropped), so typing
never waits for a search. Enter opens the selected result; its page then scrolls to the first hit
and every hit is painted on the article's "search" layer; F3 / Shift+F3 step through them; Esc
clears. The index is brought up to date in another worker at start-up, with progress in the
status bar; until it is ready, searching says so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from reader import search as core  # a lazy package: Whoosh loads on first use, after first paint
from reader.ui.features.search.results import HitRole, HtmlDelegate, SearchResultsModel
from reader.ui.kit.background import run_in_background
from reader.ui.reading.find_bar import FindBar
from reader.ui.reading.marks import Mark, MarkKind
from reader.ui.shell.action_registry import ActionSpec
from reader.ui.shell.feature_host import Feature

if TYPE_CHECKING:
    from reader.search import SearchIndex, SearchResults, UpdateReport
    from reader.search.query import Hit
    from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
LAYER = "search"
DEBOUNCE_MS = 150
RESULT_LIMIT = 50


START_DELAY_MS = 150  # after the article's first paint
START_LATEST_MS = 3000  # ... or this long after start-up, whichever comes first


class SearchPanel(QDockWidget):
    results_shown = Signal(object)  # SearchResults, after the list was updated
    index_ready = Signal(object)  # UpdateReport, once the index is usable

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Search", window)
        self.window_ = window
        self.setObjectName("SearchDock")
        self._index: SearchIndex | None = None
        self.indexing = False
        self._index_again = False  # set when the library changes during an indexing run
        self._cancel = threading.Event()  # set when the window closes: builds stop at once
        self._closed = False
        self.start_timer = QTimer(self, singleShot=True, interval=START_DELAY_MS)
        self.start_timer.timeout.connect(self.start_after_paint)
        self.last_results: SearchResults | None = None
        self._seq = 0  # number of the newest search; older answers are dropped
        self._hits: list[tuple[int, int]] = []  # painted hit ranges in the page
        self._current_hit = -1
        self.search_pool = QThreadPool(self)
        self.search_pool.setMaxThreadCount(1)
        self.index_pool = QThreadPool(self)
        self.index_pool.setMaxThreadCount(1)
        self._build_widgets()
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_search)
        window.section_shown.connect(self._on_section_shown)

    def _build_widgets(self) -> None:
        self.field = QLineEdit(placeholderText="Search all briefings (Ctrl+K)")
        self.field.setAccessibleName("Search")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.installEventFilter(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.status.linkActivated.connect(self.field.setText)  # "Did you mean" links
        self.model = SearchResultsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setAccessibleName("Search results")
        self.view.setWordWrap(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._open_index)
        self.view.clicked.connect(self._open_index)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.field, self.status, self.view):
            layout.addWidget(widget)
        self.setWidget(body)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("Indexing %p%")
        self.progress.setAccessibleName("Indexing progress")
        self.progress.hide()
        self.window_.statusBar().addPermanentWidget(self.progress)

    # -- indexing ------------------------------------------------------------------------------------
    @property
    def index(self) -> SearchIndex:
        """The search index (opened on first use, which imports Whoosh)."""
        if self._index is None:
            self._index = core.SearchIndex.for_paths(self.window_.ctx.paths)
        return self._index

    def start_after_paint(self) -> None:
        self.indexing = False
        if not self._closed:
            self.start_indexing()

    def start_indexing(self, rebuild: bool = False) -> None:
        if self._closed:
            return
        if self.indexing:
            self._index_again = True  # the library changed meanwhile: update once more after
            return
        self.indexing = True
        library, index, cancel = self.window_.library, self.index, self._cancel

        def work(progress: Callable[[int, int], None]) -> UpdateReport | None:
            def report(done: int, total: int) -> None:
                if cancel.is_set():
                    raise core.BuildCancelled  # the window is closing: stop, keep the old index
                progress(done, total)

            try:
                return index.ensure(library, rebuild, report)
            except core.BuildCancelled:
                log.info("search index build cancelled: the window closed")
                return None

        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        run_in_background(self.index_pool, work, self._on_indexed, self._on_index_failed,
                          self._on_index_progress)

    def _on_index_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_indexed(self, report: UpdateReport | None) -> None:
        self.indexing = False
        if report is None:  # cancelled
            return
        if self._index_again:
            self._index_again = False
            self.start_indexing()
        self.progress.hide()
        if report.mode != "none" or report.message:
            self.window_.statusBar().showMessage(report.message or report.summary(), 8000)
        self.index_ready.emit(report)
        if self.field.text().strip():
            self._start_search()  # searches typed meanwhile were waiting for the index

    def _on_index_failed(self, message: str) -> None:
        self.indexing = False
        self.progress.hide()
        self.window_.statusBar().showMessage(f"Search index could not be built: {message}", 15000)
        self.status.setText("Search is unavailable: the index could not be built.")

    # -- searching ------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._seq += 1  # drop answers still on their way
            self.model.set_hits([])
            self.status.setText("")
            self._clear_hits()  # the query they were hits of is gone
            return
        self._timer.start()

    def _start_search(self) -> None:
        text = self.field.text()
        if not text.strip():
            return
        if not self.index.ready:
            self.status.setText("Preparing the search index…" if self.indexing
                                else "The search index is not available.")
            return
        self._seq += 1
        seq, index = self._seq, self.index

        def work(_progress: object) -> tuple[int, SearchResults | str]:
            try:
                return seq, index.search(text, limit=RESULT_LIMIT, as_you_type=True)
            except core.IndexUnavailable as exc:
                return seq, str(exc)

        run_in_background(self.search_pool, work, self._on_results, self._on_search_failed)

    def _on_results(self, answer: tuple[int, SearchResults | str]) -> None:
        seq, results = answer
        if seq != self._seq:
            return  # the user typed on; a newer search is coming
        if isinstance(results, str):
            self.status.setText(f"Search is not ready: {results}")
            return
        self.last_results = results
        self._repaint_for_new_query(results)
        self.model.set_hits(results.hits)
        if results.hits:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.status.setText(self._status_text(results))
        self.results_shown.emit(results)

    def _on_search_failed(self, message: str) -> None:
        self.status.setText(f"Search failed: {message}")

    @staticmethod
    def _status_text(results: SearchResults) -> str:
        parts = [f"{results.count_text} · {results.seconds * 1000:.0f} ms"
                 if results.total else "No results."]
        if results.notice:
            parts.append(results.notice)
        if results.suggestion:
            s = results.suggestion.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;")
            parts.append(f"Did you mean: <a href='{s}'>{s}</a>?")
        return "<br/>".join(parts)

    def clear(self) -> None:
        """Esc: empty the field and the list, and remove the hit highlights."""
        self.field.clear()
        self._clear_hits()

    def _clear_hits(self) -> None:
        self._hits, self._current_hit = [], -1
        self.window_.article.set_marks(LAYER, [])

    def _repaint_for_new_query(self, results: SearchResults) -> None:
        """Hits painted on the page belong to the query they were opened from: once the query
        changes, the page shows the new query's hits (without scrolling), or none."""
        if not self._hits:
            return
        self._hits = results.matcher.spans(self.window_.article.document().toRawText())
        self._current_hit = -1  # F3 starts from the first; the view stays where it is
        self._paint_hits()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.clear()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move_selection(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def _move_selection(self, delta: int) -> None:
        rows = self.model.rowCount()
        if rows:
            row = max(0, min(rows - 1, self.view.currentIndex().row() + delta))
            self.view.setCurrentIndex(self.model.index(row, 0))

    # -- opening results and stepping through hits ----------------------------------------------------
    def open_current(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: Hit) -> None:
        """Show the hit's section, paint every hit word on the page and scroll to the first."""
        section = self.window_.library.find(hit.section)
        if section is None:
            self.window_.statusBar().showMessage("That section is no longer in the library.", 5000)
            return
        matcher = self.last_results.matcher if self.last_results else core.HitMatcher()
        self.window_.show_section(section)
        text = self.window_.article.document().toRawText()
        self._hits = matcher.spans(text)
        heading = text.find(section.title)
        # The first hit at or after the section's heading (not one in the breadcrumb above it).
        self._current_hit = next((i for i, (s, _e) in enumerate(self._hits) if s >= heading), 0)
        self._paint_hits()
        self.window_.article.setFocus()

    def _on_section_shown(self, _section: object) -> None:
        self._hits, self._current_hit = [], -1  # the page changed; its hits are gone

    def step_hit(self, delta: int) -> None:
        if not self._hits:
            self.window_.statusBar().showMessage("No search hits on this page.", 3000)
            return
        self._current_hit = (self._current_hit + delta) % len(self._hits)
        self._paint_hits()

    @property
    def hit_ranges(self) -> list[tuple[int, int]]:
        return list(self._hits)

    @property
    def current_hit(self) -> int:
        return self._current_hit

    def _paint_hits(self) -> None:
        article = self.window_.article
        article.set_marks(LAYER, [
            Mark(start, end, MarkKind.CURRENT_HIT if i == self._current_hit else MarkKind.SEARCH_HIT)
            for i, (start, end) in enumerate(self._hits)])
        if 0 <= self._current_hit < len(self._hits):
            cursor = QTextCursor(article.document())
            cursor.setPosition(self._hits[self._current_hit][0])
            article.setTextCursor(cursor)
            article.ensureCursorVisible()

    # -- shutting down --------------------------------------------------------------------------------
    def wait_for_workers(self) -> None:
        """The window is closing: cancel an index build and wait for the workers to stop.

        A build checks for the cancel at every progress report (a quarter of a second apart at
        most with worker processes, whose processes are then ended; every 20 to 50 sections on
        one thread): its writer is cancelled and a full build's temporary folder removed, so the
        index on disk stays as it was and the next start resumes or rebuilds. Closing used to wait
        for the build to finish: 45 s on a large library, with the window frozen on screen; now
        the wait is for the next progress report."""
        self._closed = True  # no new work once the window is closing
        self._cancel.set()
        self.start_timer.stop()
        self._timer.stop()
        self.search_pool.waitForDone()
        self.index_pool.waitForDone()
        if self._index is not None:
            self._index.close()


class _FirstPaint(QObject):
    """Starts the panel's indexing shortly after the article is first painted."""

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if self.panel.start_timer.isActive():  # still waiting: now is soon enough
                self.panel.start_timer.start(START_DELAY_MS)
        return False


class _CloseWatcher(QObject):
    """Waits for the search workers when the window closes, so no thread outlives the index."""

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.panel.wait_for_workers()
        return False


class SearchFeature(Feature):
    """The Search tab beside Contents, the find bar over the article, their actions and the
    index kept up to date in the background."""

    panel: SearchPanel
    find_bar: FindBar

    def install(self) -> None:
        window = self.window
        panel = self.panel = SearchPanel(window)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
        window.tabifyDockWidget(window.contents_dock, panel)  # one sidebar: Contents | Search
        panel.setTitleBarWidget(QWidget())  # the tab names it; View menu toggles it
        window.contents_dock.raise_()
        find_bar = self.find_bar = FindBar(window.article)
        r = window.registry
        r.declare(ActionSpec("search", "&Search…", "edit", "find", ("Ctrl+K", "Ctrl+Shift+F")),
                  panel.focus_search)
        r.declare(ActionSpec("find_in_page", "&Find in Page…", "edit", "find",
                             (QKeySequence.StandardKey.Find,)), find_bar.open)
        r.declare(ActionSpec("next_hit", "Next &Hit", "edit", "find", ("F3",)),
                  lambda: self.step(1))
        r.declare(ActionSpec("previous_hit", "Previous Hi&t", "edit", "find", ("Shift+F3",)),
                  lambda: self.step(-1))
        r.declare(ActionSpec("rebuild_index", "&Rebuild Search Index", "edit", "find"),
                  lambda: panel.start_indexing(rebuild=True))
        toggle = panel.toggleViewAction()
        toggle.setText("Searc&h")  # S and A are taken: Go to Section Tree, the Annotations panel
        r.add("view", "panels", toggle, "show_search")
        window.installEventFilter(_CloseWatcher(panel))
        window.library_changed.connect(lambda _library: panel.start_indexing())  # e.g. an import
        # Open the index once the window has painted: importing Whoosh (and, for a big library,
        # starting index workers) would otherwise delay the first paint.
        panel.indexing = True  # "not ready yet" for anyone who asks before the timer fires
        window.article.viewport().installEventFilter(_FirstPaint(panel))
        panel.start_timer.start(START_LATEST_MS)  # in case the article is never painted

    def step(self, delta: int) -> None:
        """F3 / Shift+F3: the find bar's matches while it is in use, else the search hits."""
        if self.find_bar.active:
            self.find_bar.next() if delta > 0 else self.find_bar.previous()
        else:
            self.panel.step_hit(delta)

    def self_test(self) -> str:
        return search_self_test(self.window, self.panel)


def search_self_test(window: MainWindow, panel: SearchPanel) -> str:
    """Self-test: the index (shipped or cached) answers a search for a word of the content."""
    deadline = time.monotonic() + 300
    while panel.indexing and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    report = panel.index.last_report
    if report is None or not panel.index.ready:
        raise RuntimeError("the search index was not built")
    title = next(iter(window.library.sections())).title
    word = max(title.split(), key=len).strip(".,:;!?'\"")
    results = panel.index.search(word, limit=5)
    if not results.hits:
        raise RuntimeError(f"searching for {word!r} found nothing")
    rebuilt = "yes" if report.mode == "full" else "no"
    return (f"search: {results.count_text} for {word!r} in {results.seconds * 1000:.0f} ms; "
            f"index rebuilt: {rebuilt} ({report.mode}; {report.message or report.summary()})")
