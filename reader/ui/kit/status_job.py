"""One background job at a time with its progress and a Cancel button in the status bar: the
part library loads and imports (`library_jobs.LibraryJobs`) and print jobs
(`print_tasks.PrintTasks`) share. Subclasses wrap the work (`_wrap`) and say what progress,
success, cancel and failure look like; the job runs in a pool thread through
`background.run_in_background` and must not touch widgets. Closing the window cancels it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

if TYPE_CHECKING:
    from reader.ui.kit.background import ProgressFn
    from reader.ui.shell.main_window import MainWindow

CANCELLED = object()  # what a cancelled job returns


class StatusBarJob(QObject):
    """A label, a progress bar and Cancel in the status bar (permanent widgets: messages do not
    hide them), a one-thread pool and the cancel flag of the running job."""

    def __init__(self, window: MainWindow, *, name: str, progress_name: str, cancel_name: str,
                 first: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.label = QLabel()
        self.label.setObjectName(f"{name}Label")
        self.bar = QProgressBar()
        self.bar.setObjectName(name)
        self.bar.setAccessibleName(progress_name)
        self.bar.setFixedWidth(140)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setAccessibleName(cancel_name)
        self.cancel_button.clicked.connect(self.cancel)
        for n, widget in enumerate((self.label, self.bar, self.cancel_button)):
            widget.hide()
            if first:  # before the other permanent widgets
                window.statusBar().insertPermanentWidget(n, widget)
            else:
                window.statusBar().addPermanentWidget(widget)
        self.what = ""  # the running job, "" when idle
        self._cancel = threading.Event()
        self._on_done: Callable[[Any], None] | None = None
        window.installEventFilter(self)

    @property
    def busy(self) -> bool:
        return bool(self.what)

    def _refuse_if_busy(self) -> bool:
        """True, with a status-bar message, while another job runs."""
        if self.busy:
            doing = self.what[:1].lower() + self.what[1:]
            self.window.statusBar().showMessage(f"Still {doing}; cancel it first.", 5000)
        return self.busy

    def _new_cancel_flag(self) -> threading.Event:
        """The cancel flag of the job about to start (its work checks it in its own thread)."""
        self._cancel = threading.Event()
        return self._cancel

    def _launch(self, what: str, label: str, run: Callable[[ProgressFn], Any],
                on_done: Callable[[Any], None]) -> None:
        """Show the job and start `run` in the pool; its outcome comes back on the GUI thread."""
        from reader.ui.kit.background import run_in_background

        self.what, self._on_done = what, on_done
        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the job says how much there is
        self.cancel_button.setEnabled(True)
        for widget in (self.label, self.bar, self.cancel_button):
            widget.show()
        run_in_background(self.pool, run, self._finished, self._failed, self._progress)

    def cancel(self) -> None:
        """Stop the running job at its next step."""
        if self.busy and self._can_cancel():
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")

    def _can_cancel(self) -> bool:
        return not self._cancel.is_set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.cancel()  # the pool's thread is joined when the window goes: make it short
        return False

    def _finished(self, result: object) -> None:
        what, on_done = self.what, self._on_done
        cancelled = self._was_cancelled(result)
        self._idle()
        if cancelled:
            self._say_cancelled(what)
        elif on_done is not None:
            on_done(result)

    def _was_cancelled(self, result: object) -> bool:
        return result is CANCELLED

    def _idle(self) -> None:
        self.what, self._on_done = "", None
        for widget in (self.label, self.bar, self.cancel_button):
            widget.hide()

    # -- for subclasses -----------------------------------------------------------------------
    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _failed(self, message: str) -> None:
        raise NotImplementedError

    def _say_cancelled(self, what: str) -> None:
        raise NotImplementedError
