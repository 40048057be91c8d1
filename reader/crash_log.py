"""A crash leaves its trace: `faulthandler` writes the Python stack of every thread to a file in
the log folder when the process dies of a fatal signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
SIGILL), where logging no longer can. The next start finds a non-empty trace, logs it, moves it
aside and tells the window, which says so in one sentence (reader/ui/app/shutdown.py)."""

from __future__ import annotations

import faulthandler
import logging
import os
import time
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

TRACE_NAME = "crash-trace.txt"  # written by faulthandler during a run; empty after a clean one
KEEP = 5  # traces moved aside that are kept (the newest)
_trace: TextIO | None = None  # stays open: faulthandler writes to its descriptor when it dies


def start(log_dir: Path) -> Path | None:
    """Take the last run's trace aside (see `previous_crash`), then trace this run."""
    previous = previous_crash(log_dir)
    enable(log_dir)
    return previous


def previous_crash(log_dir: Path) -> Path | None:
    """If the last run left a trace: log it, move it aside as crash-<time>.txt and return that
    path; None after a clean run (or an unreadable folder, which is logged)."""
    path = log_dir / TRACE_NAME
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.strip():
            return None
        when = time.strftime("%Y%m%d-%H%M%S", time.localtime(path.stat().st_mtime))
        aside = _free_name(log_dir, f"crash-{when}")
        os.replace(path, aside)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("could not read the last session's crash trace %s: %s", path, exc)
        return None
    log.error("the last session ended unexpectedly (trace kept in %s):\n%s", aside, text.rstrip())
    _prune(log_dir)
    return aside


def enable(log_dir: Path) -> Path | None:
    """Have faulthandler write a fatal error's trace to the log folder; None if it cannot."""
    global _trace
    path = log_dir / TRACE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        trace = open(path, "w", encoding="utf-8")  # noqa: SIM115 - open for the whole run
    except OSError as exc:
        log.warning("no crash trace this session: %s", exc)
        return None
    faulthandler.enable(trace, all_threads=True)
    if _trace is not None:
        _trace.close()
    _trace = trace
    return path


def _free_name(log_dir: Path, stem: str) -> Path:
    n, path = 1, log_dir / f"{stem}.txt"
    while path.exists():
        n += 1
        path = log_dir / f"{stem}-{n}.txt"
    return path


def _prune(log_dir: Path) -> None:
    old = sorted(log_dir.glob("crash-2*.txt"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in old[KEEP:]:
        path.unlink(missing_ok=True)
