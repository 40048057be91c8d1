"""Start-up marks for bench/startup_bench.py: with BRIEFING_READER_TIMING set, the wall-clock
time of each step up to the first paint is printed beside the first-paint marker, so the
benchmark can say where start-up time goes (in the frozen app too, where profilers can't go)."""

from __future__ import annotations

import os
import time

ENV = "BRIEFING_READER_TIMING"  # "1": print the markers at first paint; "exit": and quit
_marks: list[tuple[str, float]] = []


def mark(step: str) -> None:
    """Note that `step` is done (a no-op unless timing was asked for)."""
    if os.environ.get(ENV):
        _marks.append((step, time.time()))


def marks() -> list[tuple[str, float]]:
    return list(_marks)
