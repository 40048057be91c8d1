"""Ending well when the reader did not choose Quit: SIGTERM, SIGINT and SIGHUP (what logout,
shutdown, Ctrl+C and a closed terminal send) close the window the way the user does, and the
session manager's commit-data request saves the state. The notice of a crash of the last
session (reader/crash_log.py keeps the trace) is shown here too.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QLabel

from reader.ui.kit.themes import mute
from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


class SignalCloser(QObject):
    """Closes the window cleanly (settings, positions, a note being written saved) when the
    process is asked to end by a signal, then exits with 128 + the signal's number.

    Python runs a signal handler only when the interpreter gets control, which Qt's event loop
    (C++) may not give it for a long time: the handler's C part writes the signal number to a
    pipe (`signal.set_wakeup_fd`) and a QSocketNotifier on the other end wakes the loop, which
    runs Python (the handler) to read it (the standard technique; qutebrowser does the same)."""

    def __init__(self, app: QGuiApplication, window: MainWindow) -> None:
        super().__init__(window)
        self.app, self.window = app, window
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}
        self._read_fd, self._write_fd, self._keep = _wakeup_pair()
        self._old_wakeup_fd = signal.set_wakeup_fd(self._write_fd)
        self.notifier = QSocketNotifier(self._read_fd, QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._drain)
        for name in SIGNALS:
            signum = getattr(signal, name, None)
            if signum is not None:
                self._previous[signum] = signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is None:  # the first one; later ones see the default handlers
            self.signum = signum
            QTimer.singleShot(0, self.close_window)

    def _drain(self) -> None:
        """Empty the pipe; the Python handler has run by the time this Python code does."""
        try:
            if self._keep is not None:
                self._keep[0].recv(512)
            else:
                os.read(self._read_fd, 512)
        except OSError:  # nothing left to read (non-blocking)
            pass

    def close_window(self) -> None:
        """The user's way out: close the window (which saves), then leave the event loop."""
        signum = self.signum or signal.SIGTERM
        log.info("received %s: closing the window", signal.Signals(signum).name)
        self.uninstall()  # a second signal ends the process the default way if closing hangs
        self.app.setQuitOnLastWindowClosed(False)  # its quit() would make the exit code 0
        self.window.close()
        self.app.exit(128 + signum)

    def commit_data(self, _manager: QSessionManager) -> None:
        """The session manager is about to end the session (logout): save, in case it does not
        send a signal that lets the window close."""
        log.info("the session is ending: saving the state")
        self.window.save_state()

    def uninstall(self) -> None:
        for signum in self._previous:
            signal.signal(signum, signal.SIG_DFL)
        signal.set_wakeup_fd(self._old_wakeup_fd)
        self.notifier.setEnabled(False)


def _wakeup_pair() -> tuple[int, int, Any]:
    """Non-blocking read and write descriptors for the wake-up; Windows wants a socket there
    (and socket is imported only for it: a pipe costs nothing at start-up)."""
    if sys.platform == "win32":
        import socket

        pair = socket.socketpair()
        for end in pair:
            end.setblocking(False)
        return pair[0].fileno(), pair[1].fileno(), pair
    read_fd, write_fd = os.pipe()
    for fd in (read_fd, write_fd):
        os.set_blocking(fd, False)
    return read_fd, write_fd, None


def install(app: QGuiApplication, window: MainWindow) -> SignalCloser:
    """Close `window` cleanly on the end signals; save its state when the session ends."""
    closer = SignalCloser(app, window)
    app.commitDataRequest.connect(closer.commit_data)
    window.signal_closer = closer
    return closer


FULL_TEARDOWN_ENV = "BRIEFING_READER_FULL_TEARDOWN"  # set: exit the slow way (bench reference)


def before_exit(window: MainWindow) -> None:
    """The event loop has ended: close what is left open, then let the process end without the
    cyclic garbage collector's last passes over the library (0.6-0.8 s at 100,000 sections).

    The window closing saved the settings, the position and a note being written, and stopped
    the search workers. Here the files are closed: the annotations database (checkpointing its
    log), the render cache and the workers of the global thread pool waited for. The collector
    is then stopped and every object frozen (`gc.freeze`), so the finalising interpreter skips
    them: what is left is memory the system frees at once. Not `os._exit`, which would end the
    process as fast but skip the atexit handlers (the log flushed and closed), Qt's own
    teardown (the X11 clipboard handed to the clipboard manager) and any file object's flush."""
    if not window.closing:
        window.close()  # the loop ended by app.quit(): save as closing does
    from PySide6.QtCore import QThreadPool

    from reader.content.render import use_render_cache
    from reader.ui.features.annotations.feature import AnnotationsFeature

    QThreadPool.globalInstance().waitForDone()
    annotations = window.features.get(AnnotationsFeature)
    if annotations is not None and annotations.controller is not None:
        annotations.controller.store.close()
    use_render_cache(None)  # closes the cache's database
    if os.environ.get(FULL_TEARDOWN_ENV):
        return
    import gc

    gc.disable()
    gc.freeze()
    log.info("window closed, files closed: exiting without a last garbage collection")


def show_crash_notice(window: MainWindow, trace: Path) -> None:
    """One sentence that stays in the status bar (as the annotations' notices do)."""
    notice = f"The last session ended unexpectedly; details in {trace}."
    label = QLabel(notice, window)
    label.setObjectName("CrashNotice")
    label.setToolTip(notice)
    mute(label)
    window.statusBar().addPermanentWidget(label)
    window.crash_notice = notice
