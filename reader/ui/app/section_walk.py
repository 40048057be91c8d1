"""A long session in a few seconds: thousands of section changes through the real window,
watching the reference count of None.

PySide6 6.12.0 drops a reference to None in nearly every call that returns None; on Python
3.11, where None is an ordinary object (3.12 made it immortal), about a thousand section changes
then end in "Fatal Python error: none_dealloc". pyproject.toml pins a release without the bug;
this walk is the guard, run by the tests and by `--self-test`, so the frozen app (which bundles
its own Python and PySide) is checked too."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

STEPS = 5000
ENV_STEPS = "BRIEFING_SELF_TEST_WALK"  # a shorter walk where a test checks something else
# A fall of None's count means references dropped that were never taken; a few may go with
# objects freed during the walk. The bug loses about 26 per change (130,000 in 5,000).
TOLERATED_FALL = 1000


def none_refcount_is_counted() -> bool:
    """Python 3.12+ gives None a fixed, immortal count: nothing to watch there."""
    return sys.version_info < (3, 12)


def walk(window: MainWindow, steps: int) -> int:
    """Show `steps` sections one after another (wrapping around the library), letting Qt paint
    each; returns how far None's reference count fell (negative: it rose)."""
    from PySide6.QtWidgets import QApplication

    sections = list(window.library.sections())
    if not sections:
        return 0
    QApplication.processEvents()
    before = sys.getrefcount(None)
    for i in range(steps):
        window.show_section(sections[i % len(sections)])
        QApplication.processEvents()
    return before - sys.getrefcount(None)


def self_test_check(window: MainWindow) -> str:
    steps = int(os.environ.get(ENV_STEPS, STEPS))
    fell = walk(window, steps)
    if not none_refcount_is_counted():
        return f"{steps} section changes (None is immortal on this Python: its count is not watched)"
    if fell > TOLERATED_FALL:
        raise AssertionError(f"None lost {fell} references in {steps} section changes: "
                             "this PySide6 release leaks them and will abort a long session")
    return f"{steps} section changes, None's reference count steady ({-fell:+d})"
