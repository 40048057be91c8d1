"""Library jobs: loads of content folders and pack imports, one at a time off the GUI thread,
with progress and Cancel in the status bar (a StatusBarJob). Imported on the first job, not at
start-up: the first screen needs none."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject

from reader.ui.kit.status_job import CANCELLED, StatusBarJob

if TYPE_CHECKING:
    from reader.ui.kit.background import ProgressFn
    from reader.ui.shell.main_window import MainWindow

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
