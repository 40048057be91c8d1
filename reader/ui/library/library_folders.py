"""File ▸ Open Content Folder… and File ▸ Open Recent: read another folder of briefings; and
`LibraryJobs`, which runs such loads (and pack imports) off the GUI thread.

The chosen folder replaces the bundled briefings (briefings imported into the data folder stay),
is remembered for the next start and put first in the recent list. A folder with no readable
briefing is refused with a message naming the problems; the library in use stays open. Loading
shows its progress in the status bar with a Cancel button; cancelled, nothing changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.content import Library, load_library
from reader.session import content_folders
from reader.ui.kit.status_job import CANCELLED, StatusBarJob

if TYPE_CHECKING:
    from reader.session import Context
    from reader.ui.kit.background import ProgressFn
    from reader.ui.kit.settings import Settings
    from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
COMMITTED = -1  # a progress "done" value: the job is changing files and can no longer be cancelled


class Cancelled(Exception):
    """Raised in a job's thread at its next progress step once the reader cancelled it."""




class JobControl:
    """A job's side of the status-bar progress, used in its own thread."""

    def __init__(self, emit: ProgressFn, cancel: threading.Event) -> None:
        self._emit, self._cancel = emit, cancel
        self.committed = False

    def step(self, done: int, total: int) -> None:
        """Report progress (total 0: unknown); raises Cancelled if cancelled before commit()."""
        if self._cancel.is_set() and not self.committed:
            raise Cancelled
        self._emit(done, total)

    def commit(self) -> None:
        """From here the job runs to its end even if cancelled: it is changing the user's files."""
        self.step(0, 0)
        self.committed = True
        self._emit(COMMITTED, 0)


def load_folders(dirs: list[Path], job: JobControl) -> Library:
    """The library of `dirs`, loaded in a job's thread (plain Python: no Qt object is touched)."""
    return load_library(dirs, job.step)


class LibraryJobs(StatusBarJob):
    """One library job at a time in a pool thread, its progress and a Cancel button in the status
    bar. `work(control)` must not touch Qt objects; its result goes to `on_done` on the GUI
    thread, unless the job was cancelled; a failure is a status-bar message."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, name="LibraryJobProgress", progress_name="Loading progress",
                         cancel_name="Cancel loading", first=True)
        self._committed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.cancel()  # an import already writing files is let finish (nothing half-done)
            self.pool.waitForDone()
        return False

    def start(self, what: str, work: Callable[[JobControl], Any], on_done: Callable[[Any], None]) -> bool:
        """Run `work` off the GUI thread; False (with a message) while another job runs."""
        if self._refuse_if_busy():
            return False
        cancel = self._new_cancel_flag()
        self._committed = False

        def run(progress: ProgressFn) -> Any:
            try:
                return work(JobControl(progress, cancel))
            except Cancelled:
                return CANCELLED

        self._launch(what, f"{what[:1].upper()}{what[1:]}…", run, on_done)
        return True

    def _can_cancel(self) -> bool:
        return not self._committed  # the library in use stays

    def _progress(self, done: int, total: int) -> None:
        if done == COMMITTED:
            self._committed = True
            self.cancel_button.setEnabled(False)
        else:
            super()._progress(done, total)

    def _was_cancelled(self, result: object) -> bool:
        return result is CANCELLED or (self._cancel.is_set() and not self._committed)

    def _say_cancelled(self, what: str) -> None:
        self.window.statusBar().showMessage(f"Cancelled {what}; the library in use stays open.", 8000)

    def _failed(self, message: str) -> None:
        what = self.what
        self._idle()
        self.window.statusBar().showMessage(
            f"Could not finish {what}: {message}. The library in use stays open.", 15000)


def use_remembered_folder(ctx: Context, settings: Settings) -> None:
    """Start on the folder opened last time, unless `--content` names one or it is gone."""
    folder = settings.content_folder
    if ctx.session.content or not folder or ctx.session.loaded:
        return
    if Path(folder).is_dir():
        ctx.session.choose(folder)
    else:
        log.warning("remembered content folder %s is gone; using the bundled briefings", folder)
        settings.content_folder = ""


class LibraryFolders(QObject):
    """Open a content folder, keep the recent list, and rebuild File ▸ Open Recent."""

    def __init__(self, window: MainWindow, recent_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.recent_menu = recent_menu
        self._jobs: LibraryJobs | None = None
        recent_menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()

    @property
    def jobs(self) -> LibraryJobs:
        """The runner of library loads and imports, made on first use (not at start-up)."""
        if self._jobs is None:
            self._jobs = LibraryJobs(self.window)
        return self._jobs

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load their classes when used

        settings = self.window.settings
        start = settings.content_folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.window, "Open Content Folder", start)
        if folder:
            self.open(folder)

    def open(self, folder: str) -> bool:
        """Start loading a folder ("" = the bundled briefings) off the GUI thread; it is shown
        once loaded, or refused if it has no briefing. False if another load still runs."""
        dirs = content_folders(folder, self.window.ctx.paths.data)  # the one rule, as at start
        return self.jobs.start(f"loading {folder or 'the bundled briefings'}",
                               lambda job: load_folders(dirs, job),
                               lambda library: self._loaded(folder, library))

    def _loaded(self, folder: str, library: Library) -> None:
        w = self.window
        if not library.briefings:
            self._refuse(folder, library)
            return
        w.settings.content_folder = folder
        if folder:
            w.settings.add_recent_folder(folder)
        w.ctx.session.use(library, folder or None)
        w.set_library(library)
        w.statusBar().showMessage(f"{len(library.briefings)} briefing(s) from {folder or 'bundle'}",
                                  5000)

    def fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        bundled = QAction("&Bundled Briefings", menu)
        bundled.triggered.connect(lambda: self.open(""))
        menu.addAction(bundled)
        folders = self.window.settings.recent_folders
        if folders:
            menu.addSeparator()
        for n, folder in enumerate(folders, start=1):
            escaped = folder.replace("&", "&&")  # a literal & in a path is not a mnemonic
            action = QAction(f"&{n} {escaped}" if n < 10 else escaped, menu)
            action.setToolTip(folder)
            action.triggered.connect(lambda _=False, f=folder: self.open(f))
            menu.addAction(action)

    def _refuse(self, folder: str, library: Library) -> None:
        details = "\n".join(str(p) for p in library.problems[:10])
        log.warning("no briefing in %s: %s", folder, details)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "No briefings found",
                          f"“{folder}” holds no briefing that could be opened. The current "
                          "library stays open.", QMessageBox.StandardButton.Ok, self.window)
        if details:
            box.setDetailedText(details)
        box.open()
