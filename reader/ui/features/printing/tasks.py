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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from reader.content.print_job import Cancelled, Progress, Stage
from reader.ui.kit.status_job import CANCELLED, StatusBarJob

if TYPE_CHECKING:
    from reader.ui.kit.background import ProgressFn
    from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
# A progress report's "done" value saying the stage `total` starts: the background helper's
# progress signal carries two ints, and queued signals arrive in the order they were sent.
STAGE_MARK = -1


class PrintTasks(StatusBarJob):
    """Runs one print job at a time off the GUI thread, with status-bar progress and Cancel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, name="PrintProgress", progress_name="Printing progress",
                         cancel_name="Cancel printing")
        self._stage = Stage.SECTIONS

    def start(self, what: str, work: Callable[[Progress], Any],
              on_done: Callable[[Any], None]) -> bool:
        """Run `work(progress)` in a pool thread (it must not touch widgets); `on_done` gets its
        result on the GUI thread unless it was cancelled. False while another job runs."""
        if self._refuse_if_busy():
            return False
        cancel = self._new_cancel_flag()
        self._stage = Stage.SECTIONS

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

        self._launch(what, f"{what}…", run, on_done)
        return True

    def _progress(self, done: int, total: int) -> None:
        if done == STAGE_MARK:
            self._stage = Stage(total)
            return
        if self._cancel.is_set() or total <= 0:
            return
        super()._progress(done, total)
        shown = min(done + 1, total)
        if self._stage is Stage.SECTIONS:
            self.label.setText(f"{self.what}: section {shown} of {total}")
        elif self._stage is Stage.LAYOUT:
            self.label.setText(f"{self.what}: laying out pages…")
        else:
            self.label.setText(f"{self.what}: page {shown} of {total}")

    def _say_cancelled(self, what: str) -> None:
        self.window.statusBar().showMessage(f"{what} cancelled.", 5000)

    def _failed(self, message: str) -> None:
        what = self.what
        self._idle()
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, what, f"{what} failed: {message}")
