"""Print jobs off the GUI thread: one at a time in a pool thread, with its progress ("section n
of N", then "page n of N") and a Cancel button in the status bar, so the reader can go on reading
while a long briefing is exported or printed.

The work gets a `Progress` callback (reader.content.print_job) that answers False once Cancel was
pressed; the printing code then raises `Cancelled` at its next step and cleans up (no partial
PDF, an aborted printer job). Closing the window cancels a running job too, so it is not kept
waiting for the end of a long export.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton

from reader.content.print_job import Cancelled, Progress, Stage

if TYPE_CHECKING:
    from reader.ui.background import ProgressFn
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)
# A progress report's "done" value saying the stage `total` starts: the background helper's
# progress signal carries two ints, and queued signals arrive in the order they were sent.
STAGE_MARK = -1
CANCELLED = object()  # what a cancelled job returns


class PrintTasks(QObject):
    """Runs one print job at a time off the GUI thread, with status-bar progress and Cancel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.label = QLabel()
        self.label.setObjectName("PrintProgressLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("PrintProgress")
        self.bar.setAccessibleName("Printing progress")
        self.bar.setFixedWidth(140)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("PrintCancel")
        self.cancel_button.setAccessibleName("Cancel printing")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.label, self.bar, self.cancel_button):
            widget.hide()
            window.statusBar().addPermanentWidget(widget)  # not hidden by messages
        self.what = ""  # the running job ("Exporting PDF"), "" when idle
        self._stage = Stage.SECTIONS
        self._cancel = threading.Event()
        self._on_done: Callable[[Any], None] | None = None
        window.installEventFilter(self)

    @property
    def busy(self) -> bool:
        return bool(self.what)

    def start(self, what: str, work: Callable[[Progress], Any],
              on_done: Callable[[Any], None]) -> bool:
        """Run `work(progress)` in a pool thread (it must not touch widgets); `on_done` gets its
        result on the GUI thread unless it was cancelled. False while another job runs."""
        from reader.ui.background import run_in_background

        if self.busy:
            self.window.statusBar().showMessage(f"Still {self.what.lower()}; cancel it first.", 5000)
            return False
        cancel = self._cancel = threading.Event()
        self.what, self._on_done, self._stage = what, on_done, Stage.SECTIONS

        def run(emit: ProgressFn) -> Any:
            current: list[Stage] = []

            def progress(stage: Stage, done: int, total: int) -> bool:
                if cancel.is_set():
                    return False
                if current[-1:] != [stage]:
                    current.append(stage)
                    emit(STAGE_MARK, int(stage))
                emit(done, total)
                return True

            try:
                return work(progress)
            except Cancelled:
                return CANCELLED

        self.label.setText(f"{what}…")
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        for widget in (self.label, self.bar, self.cancel_button):
            widget.show()
        run_in_background(self.pool, run, self._finished, self._failed, self._progress)
        return True

    def cancel(self) -> None:
        """Stop the running job at its next step."""
        if self.busy and not self._cancel.is_set():
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.cancel()  # the pool waits for its thread when the window goes
        return False

    def _progress(self, done: int, total: int) -> None:
        if done == STAGE_MARK:
            self._stage = Stage(total)
            return
        if self._cancel.is_set() or total <= 0:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        shown = min(done + 1, total)
        if self._stage is Stage.SECTIONS:
            self.label.setText(f"{self.what}: section {shown} of {total}")
        elif self._stage is Stage.LAYOUT:
            self.label.setText(f"{self.what}: laying out pages…")
        else:
            self.label.setText(f"{self.what}: page {shown} of {total}")

    def _finished(self, result: object) -> None:
        what, on_done = self.what, self._on_done
        cancelled = result is CANCELLED  # Cancel pressed after the last step: it is done
        self._idle()
        if cancelled:
            self.window.statusBar().showMessage(f"{what} cancelled.", 5000)
        elif on_done is not None:
            on_done(result)

    def _failed(self, message: str) -> None:
        what = self.what
        self._idle()
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, what, f"{what} failed: {message}")

    def _idle(self) -> None:
        self.what, self._on_done = "", None
        for widget in (self.label, self.bar, self.cancel_button):
            widget.hide()
