"""The search index in the window: `SearchIndexer` owns the `SearchIndex`, the worker threads that
build it and answer queries, and the build's lifecycle (start after the first paint, again after
a library change, rebuild on request, cancel when the window closes). It knows no widgets: it
reports through signals, which the search feature turns into progress, messages and results.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from reader import search as core  # a lazy package: Whoosh loads on first use, after first paint
from reader.ui.kit.background import run_in_background

if TYPE_CHECKING:
    from reader.content import Library
    from reader.paths import AppPaths
    from reader.search import SearchIndex, SearchResults, UpdateReport
    from reader.search.scope import Scope
    from reader.search.search_process import SearchProcess

log = logging.getLogger(__name__)
RESULT_LIMIT = 50
START_DELAY_MS = 150  # after the article's first paint
START_LATEST_MS = 3000  # ... or this long after start-up, whichever comes first
# A library this large starts its search process as soon as its index is ready: searched on a
# thread here, its queries stall the window (smaller ones start it at their first search).
PROCESS_AT_READY_SECTIONS = 5_000
TYPING_PAUSE_MS = 1000  # a build yet to start waits for a pause this long in filter typing
STEP_PAUSE_MS = 400  # ... and each step of its start-up and end in this process, this long
# What the first build imports, a module at a time, each in a pause of the reader's typing (see
# start_indexing): ~240 ms in all, 20-45 ms a step. The standard library's are those Whoosh's
# own imports pull in (whoosh.compat: urllib.request, 43 ms; cached_property: asyncio, 32 ms);
# one no longer needed would cost its import once, off the GUI thread.
SEARCH_MODULES = (
    "email.parser", "http.client", "urllib.request", "asyncio", "whoosh.compat",
    "whoosh.analysis", "whoosh.fields", "whoosh.query", "whoosh.reading", "whoosh.searching",
    "whoosh.index", "reader.search.schema", "reader.search.manifest", "reader.search.build",
    "reader.search.query", "reader.search.index",
)
T = TypeVar("T")


class SearchIndexer(QObject):
    """Keeps the index of `library()` up to date off the GUI thread and searches it there.

    A build reports `started`, then `progress(done, total)`, then `index_ready(report)` or
    `failed(message)` (a cancelled build reports neither). `search(text)` answers with
    `results_ready(results)`, or `search_unavailable(message)` when the index cannot be read,
    or `search_failed(message)`; an answer to a query older than the newest is dropped."""

    started = Signal()
    progress = Signal(int, int)
    index_ready = Signal(object)  # UpdateReport, once the index is usable
    failed = Signal(str)
    results_ready = Signal(object)  # SearchResults of the newest query
    more_ready = Signal(object)  # SearchResults of the newest query, a longer page (`more`)
    search_unavailable = Signal(str)
    search_failed = Signal(str)

    def __init__(self, paths: AppPaths, library: Callable[[], Library],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths, self._library = paths, library
        self._index: SearchIndex | None = None
        self._opening = threading.Lock()  # the build's worker or the GUI thread opens the index
        self.indexing = False
        self._index_again = False  # set when the library changes during an indexing run
        self._cancel = threading.Event()  # set when the window closes: builds stop at once
        self._closed = False
        self._started = False  # start_after_paint has run
        self._seq = 0  # number of the newest search; older answers are dropped
        # Set unless the reader typed within STEP_PAUSE_MS (reader_typing)
        self._typing_paused = threading.Event()
        self._typing_paused.set()
        self._pause_timer = QTimer(self, singleShot=True, interval=STEP_PAUSE_MS)
        self._pause_timer.timeout.connect(self._typing_paused.set)
        self.start_timer = QTimer(self, singleShot=True, interval=START_DELAY_MS)
        self.start_timer.timeout.connect(self.start_after_paint)
        self.search_pool = QThreadPool(self)
        self.search_pool.setMaxThreadCount(1)
        self.index_pool = QThreadPool(self)
        self.index_pool.setMaxThreadCount(1)
        # Searches are answered in a process of their own once the index is ready (see
        # reader/search/search_process.py: on a thread here they held the GIL the GUI thread
        # waits for); in this process until then, or if that process fails.
        self.search_process: SearchProcess | None = None
        self._process_lock = threading.Lock()
        self._process_failed = False

    @property
    def index(self) -> SearchIndex:
        """The search index (opened on first use, which imports Whoosh: the first build's
        worker does that, see start_indexing)."""
        if self._index is None:
            with self._opening:
                if self._index is None:
                    index = core.SearchIndex.for_paths(self._paths)
                    index.before_swap = self._release_process
                    self._index = index
        return self._index

    @property
    def ready(self) -> bool:
        """The index can answer searches (opening it if need be)."""
        return self.index.ready

    # -- building --------------------------------------------------------------------------------
    def start_later(self, latest_ms: int = START_LATEST_MS) -> None:
        """Bring the index up to date once the window has painted (`start_soon`), or after
        `latest_ms` at the latest; until then, `indexing` says "not ready yet"."""
        self.indexing = True
        self.start_timer.start(latest_ms)

    def start_soon(self) -> None:
        """The article has painted: start shortly, if still waiting to."""
        if self.start_timer.isActive():
            self.start_timer.start(START_DELAY_MS)

    def postpone_start(self, *_args: object) -> None:
        """The reader is typing (in the section filter): a build yet to start waits until they
        pause. Its start in this process (importing the search code, listing the library's
        files) holds the GIL in long stretches, and each key's answer in the tree waited for it:
        stalls of 55-70 ms at 100,000 sections. A build that has started runs on, but takes
        each step of its start-up here in a pause (see start_indexing)."""
        self.reader_typing()
        if self.start_timer.isActive():
            self.start_timer.start(max(self.start_timer.remainingTime(), TYPING_PAUSE_MS))

    def reader_typing(self, *_args: object) -> None:
        """The reader is typing (in the search box or the section filter): a build's next step of
        its start-up in this process waits until they pause for STEP_PAUSE_MS (start_indexing).
        Unlike `postpone_start`, a build yet to start is not held back: searches need it."""
        self._typing_paused.clear()
        self._pause_timer.start()

    def start_after_paint(self) -> None:
        """Start now (the timer's end, or a caller that cannot wait); once only: a second call,
        the timer after a direct one, would take the running build for the wait and start
        another behind it."""
        self.start_timer.stop()
        if self._started:
            return
        self._started = True
        self.indexing = False
        if not self._closed:
            self.start_indexing()

    def start_indexing(self, rebuild: bool = False) -> None:
        """Update (or, with `rebuild`, rebuild) the index of the current library in a worker;
        while one runs, another update follows it."""
        if self._closed:
            return
        if self.indexing:
            self._index_again = True  # the library changed meanwhile: update once more after
            return
        self.indexing = True
        library, cancel = self._library(), self._cancel

        def in_a_pause() -> bool:
            """Wait until the reader is not typing (section filter, search box); False if the
            window closes meanwhile. Each step of a build's start-up and end in this process (importing
            the search code, creating the index, listing the files, starting the workers;
            committing, saving the manifest, opening the new index: see
            reader.search.build.Progress) holds the GIL in stretches of 20-80 ms at 100,000
            sections, and every key's answer in the tree waited for them (stalls of 91-190 ms
            typed just as a build started, 63-97 ms as it ended); the workers' build itself runs
            on while they type."""
            while not self._typing_paused.wait(0.05):
                if cancel.is_set():
                    return False
            return not cancel.is_set()

        def work(progress: Callable[[int, int], None]) -> UpdateReport | None:
            # Opened here, not on the GUI thread: importing Whoosh there froze the window for
            # 0.2-0.5 s just after its first paint, while the reader may be typing already.
            for name in SEARCH_MODULES:
                if not in_a_pause():
                    return None
                try:
                    importlib.import_module(name)
                except ImportError as exc:  # only a head start: the search code imports its own
                    log.info("search code warm-up: %s", exc)
            index = self.index
            def report(done: int, total: int) -> None:
                # (0, total) and (total, total): a step of the build's start-up or end here
                if cancel.is_set() or (done in (0, total) and not in_a_pause()):
                    raise core.BuildCancelled  # the window is closing: stop, keep the old index
                progress(done, total)

            if cancel.is_set():
                return None  # queued behind a build the closing window cancelled: not started
            try:
                done = index.ensure(library, rebuild, report)
            except core.BuildCancelled:
                log.info("search index build cancelled: the window closed")
                return None
            if len(library) >= PROCESS_AT_READY_SECTIONS:
                self._start_process()  # ready for the first search (see _answer)
            return done

        self.started.emit()
        run_in_background(self.index_pool, work, self._on_indexed, self._on_index_failed,
                          self._on_index_progress)

    def _on_index_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    def _on_indexed(self, report: UpdateReport | None) -> None:
        self.indexing = False
        if report is None:  # cancelled
            return
        if self._index_again:
            self._index_again = False
            self.start_indexing()
        self.index_ready.emit(report)

    def _on_index_failed(self, message: str) -> None:
        self.indexing = False
        self.failed.emit(message)

    def run_with_index(self, fn: Callable[[SearchIndex], T], on_done: Callable[[T], None],
                       on_failed: Callable[[str], None]) -> None:
        """Run `fn(index)` in the build's worker, after any build in progress (for changes to
        the index besides the library's, e.g. your notes)."""
        index = self.index
        run_in_background(self.index_pool, lambda _progress: fn(index), on_done, on_failed)

    # -- searching -------------------------------------------------------------------------------
    def search(self, text: str, within: Scope | None = None) -> None:
        """Search `text` (as you type: the last word is a prefix) in a worker, in `within` or
        else the whole library: first the quick answer (a short last word completed to its most
        frequent terms, the count perhaps a lower bound), then, when that left something out,
        the full one (typing has paused: the panel searches after its debounce), which replaces
        it unless the user typed on."""
        self._seq += 1
        self._search(text, self._seq, settled=False, within=within)

    def _search(self, text: str, seq: int, settled: bool, within: Scope | None) -> None:
        index = self.index

        def work(_progress: object) -> tuple[int, SearchResults | str, str, bool, Scope | None]:
            try:
                return seq, self._answer(index, text, RESULT_LIMIT, settled, within), text, \
                    settled, within
            except core.IndexUnavailable as exc:
                return seq, str(exc), text, settled, within

        run_in_background(self.search_pool, work, self._on_results, self._on_search_failed)

    def more(self, text: str, shown: int, within: Scope | None = None) -> None:
        """The newest query's settled answer again, RESULT_LIMIT hits past the `shown` first
        ones (the list was scrolled to its end); dropped if the user typed on meanwhile."""
        index, seq, limit = self.index, self._seq, shown + RESULT_LIMIT

        def work(_progress: object) -> tuple[int, SearchResults | None]:
            try:
                return seq, self._answer(index, text, limit, True, within)
            except core.IndexUnavailable:
                return seq, None

        def done(answer: tuple[int, SearchResults | None]) -> None:
            if answer[0] == self._seq and answer[1] is not None:
                self.more_ready.emit(answer[1])

        run_in_background(self.search_pool, work, done, self._on_search_failed)

    def _answer(self, index: SearchIndex, text: str, limit: int, settled: bool,
                within: Scope | None) -> SearchResults:
        """The search, in the search process once it has started, else in this one (a search
        worker's thread). The first search starts that process: a window nobody searches in
        has none."""
        process, folder = self.search_process, index.location
        if process is None and folder is not None:
            self._start_process()  # here, not on the GUI thread: starting it forks this process
        if process is not None and folder is not None and process.started():
            try:
                return process.search(folder, index.generation, text, limit=limit,
                                      as_you_type=True, settled=settled, within=within,
                                      readonly=folder == index.prebuilt)
            except core.SearchProcessGone as exc:
                if self._closed:  # ended by the closing window: no search here instead
                    raise core.IndexUnavailable("the window is closing") from exc
                log.warning("searching in the window's process from now on: %s", exc)
                self._drop_process(failed=True)
            except core.IndexUnavailable:
                pass  # e.g. it looked while the index was being written: this one answers
        return index.search(text, limit=limit, as_you_type=True, settled=settled, within=within)

    def _start_process(self) -> None:
        with self._process_lock:
            if self.search_process is None and not self._closed and not self._process_failed:
                try:
                    self.search_process = core.SearchProcess()
                except OSError as exc:
                    log.warning("no search process (%s): searching in the window's", exc)
                    self._process_failed = True

    def _release_process(self) -> None:
        process = self.search_process
        if process is not None:
            process.release()

    def _drop_process(self, failed: bool = False) -> None:
        with self._process_lock:
            process, self.search_process = self.search_process, None
            self._process_failed = self._process_failed or failed
        if process is not None:
            process.close()

    def drop_answers(self) -> None:
        """Answers to the searches started so far are no longer wanted."""
        self._seq += 1

    def _on_results(self, answer: tuple[int, SearchResults | str, str, bool, Scope | None]
                    ) -> None:
        seq, results, text, settled, within = answer
        if seq != self._seq:
            return  # the user typed on; a newer search is coming
        if isinstance(results, str):
            self.search_unavailable.emit(results)
            return
        self.results_ready.emit(results)
        if not settled and not results.total_exact:
            self._search(text, seq, settled=True, within=within)  # the quick answer left some out

    def _on_search_failed(self, message: str) -> None:
        self.search_failed.emit(message)

    # -- shutting down ---------------------------------------------------------------------------
    def wait_for_workers(self) -> None:
        """The window is closing: cancel an index build and wait for the workers to stop.

        A build checks for the cancel at every progress report: every 1,000 sections while it
        makes its records, every 0.1 s with worker processes (which are then ended), every 20 to
        50 sections on one thread; a build queued behind it does not start. Its writer is
        cancelled and a full build's temporary folder removed, so the index on disk stays as it
        was and the next start resumes or rebuilds. Closing used to wait for the build to
        finish: 45 s on a large library, with the window frozen on screen; now the wait is for
        the next progress report."""
        self._closed = True  # no new work once the window is closing
        self._cancel.set()
        self.start_timer.stop()
        self._drop_process()  # first: a search it is answering is not waited for
        self.search_pool.waitForDone()
        self.index_pool.waitForDone()
        if self._index is not None:
            self._index.close()
