"""Run slow work off the GUI thread and hear back on it: `run_in_background(pool, fn, ...)`.

`fn(progress)` runs in a pool thread and must not touch widgets; its result, failure and progress
calls arrive as signals. Connect them to bound methods of objects living on the GUI thread, so Qt
queues the calls onto that thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
ProgressFn = Callable[[int, int], None]


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


_RUNNING: set[TaskSignals] = set()  # signals of tasks whose outcome is not delivered yet


class _Task(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn], Any], signals: TaskSignals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals

    def run(self) -> None:
        try:
            result = self.fn(self._progress)
        except Exception as exc:  # reported to the GUI thread, which shows a message
            log.exception("background task failed")
            self._emit(self.signals.failed, str(exc) or type(exc).__name__)
        else:
            self._emit(self.signals.done, result)

    def _progress(self, done: int, total: int) -> None:
        self._emit(self.signals.progress, done, total)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        """Emit unless the application is gone: a task still running when the process ends
        (a window dropped without closing) has no one left to tell."""
        try:
            signal.emit(*args)
        except RuntimeError:  # "Signal source has been deleted"
            log.info("background task finished after its application: outcome dropped")


def run_in_background(
    pool: QThreadPool, fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None], on_failed: Callable[[str], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> TaskSignals:
    """Start `fn` in `pool`; the callbacks (bound methods of GUI-thread objects) get the outcome.

    The signals object has no Qt parent on purpose: closing the window mid-task must not delete
    it under the worker still emitting on it. It is kept alive here until its outcome has been
    delivered on the GUI thread; Qt drops queued calls to receivers that are gone.
    """
    signals = TaskSignals()
    _RUNNING.add(signals)
    signals.done.connect(on_done)
    signals.failed.connect(on_failed)
    if on_progress is not None:
        signals.progress.connect(on_progress)

    def finished(*_args: object) -> None:
        _RUNNING.discard(signals)
        signals.deleteLater()

    signals.done.connect(finished)
    signals.failed.connect(finished)
    task = _Task(fn, signals)
    task.setAutoDelete(True)
    pool.start(task)
    return signals
