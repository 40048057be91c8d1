"""A long session must not end in "Fatal Python error: none_dealloc" (PySide6 6.12.0 drops
references to None; Python 3.11 aborts once None's count reaches zero). Run in a child process:
a leaking PySide aborts the interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.ui.app.section_walk import STEPS, TOLERATED_FALL
from tests.ui.window_child import run_child


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="None is immortal from Python 3.12: its reference count is fixed")
def test_5000_section_changes_keep_none_referenced(data_dir: Path) -> None:
    done = run_child("walk_sections", data_dir, str(STEPS), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok"
    fell = int(lines[-2].split()[-1])
    assert fell <= TOLERATED_FALL, f"None lost {fell} references in {STEPS} section changes"
