"""Live theme switches, the colour-blind-safe palette and zoom with highlights painted, caret
browsing on and a highlight's popup open (the window crashed on a theme switch with highlights
before: tests/ui/app/test_crash_regressions.py). In a child process, so a segfault fails the test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).with_name("annotating_child.py")
ROOT = Path(__file__).resolve().parents[3]


def test_theme_and_palette_switches_with_a_popup_open(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", str(CHILD), "switches_with_popup", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok", done.stdout[-2000:]
    assert "safe_highlights: dark safe=True" in lines and "safe_highlights: sepia safe=False" in lines
