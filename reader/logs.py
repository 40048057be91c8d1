"""Logging set-up, Qt-free: detail to a log file in the data folder, short messages to users.

Its own module so the command line (`reader.app`) and the window's start-up
(`reader.ui.app.application`) share it without importing each other.
"""

from __future__ import annotations

import logging
import sys

from reader.paths import AppPaths


def setup_logging(paths: AppPaths, *, rotating: bool = True) -> None:
    """Detail goes to a rotating log file in the data folder; users see short messages.

    The window starts with a plain file handler (`rotating=False`) and swaps in the rotating
    one after its first paint (`use_rotating_log`): logging.handlers imports socket, pickle and
    queue, ~9 ms of a start that has nothing to log yet."""
    try:
        paths.ensure()
        handler: logging.Handler = (_rotating_handler(paths) if rotating else
                                    logging.FileHandler(paths.log_file, encoding="utf-8"))
    except OSError:
        handler = logging.StreamHandler(sys.stderr)  # an unwritable data dir must not stop reading
    _use_handler(handler)


def use_rotating_log(paths: AppPaths) -> None:
    """Replace the plain log file handler `setup_logging(rotating=False)` installed."""
    current = logging.getLogger("reader").handlers
    if not any(type(h) is logging.FileHandler for h in current):
        return  # already rotating, or logging to stderr
    try:
        handler = _rotating_handler(paths)
    except OSError:
        return  # keep the plain handler
    for old in current:
        old.close()
    _use_handler(handler)


def _rotating_handler(paths: AppPaths) -> logging.Handler:
    import logging.handlers

    return logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")


def _use_handler(handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("reader")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
