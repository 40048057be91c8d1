"""Background work below normal CPU priority, so that the window comes first.

Imported by the index build's thread before anything heavy (stdlib only): the build's start in
the window's process (importing the search code, listing files) and its worker processes, which
are spawned from that thread and inherit its niceness, run at `BACKGROUND_NICENESS`.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)
# With both cores indexing, the window (the section filter, the search box) had a third of a
# core's share and its 50 ms turns took 90-150 ms. On an otherwise idle machine the build takes
# as long; whatever else the reader runs comes first.
BACKGROUND_NICENESS = 10


def lower_this_thread() -> bool:
    """Run the calling thread (and the processes it starts) at BACKGROUND_NICENESS. Only where
    niceness is per thread (Linux): elsewhere it would lower the whole window. Never raises."""
    if not sys.platform.startswith("linux"):
        return False
    return _at_least(threading.get_native_id())


def lower_this_process() -> bool:
    """Run this (worker) process at BACKGROUND_NICENESS, or leave it lower if it is already
    (a worker inherits its parent thread's). POSIX; Windows keeps normal priority."""
    if not hasattr(os, "setpriority"):
        return False
    return _at_least(0)


def _at_least(who: int) -> bool:
    try:
        now = os.getpriority(os.PRIO_PROCESS, who)
        if now < BACKGROUND_NICENESS:
            os.setpriority(os.PRIO_PROCESS, who, BACKGROUND_NICENESS)
        return True
    except OSError:  # pragma: no cover (lowering one's own priority is always allowed)
        log.info("could not lower the priority of background work")
        return False
