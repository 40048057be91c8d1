"""PySide6 checks every module imported after it for "PySide6" in its source; the app's cheaper
check (a byte search of the file instead of inspect.getsource) gives the same answers. In a
fresh interpreter: this one has long since loaded everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHILD = r"""
import sys, importlib
from pathlib import Path
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
original = feature._mod_uses_pyside
from reader.ui.kit.pyside_import_check import quicken
assert quicken() and quicken()  # twice: wrapped once
assert feature._mod_uses_pyside is not original
assert feature._mod_uses_pyside.__closure__[0].cell_contents is original
folder = Path(sys.argv[1])
(folder / "uses_it.py").write_text("# é ünïcode\nimport PySide6.QtGui\n", encoding="utf-8")
(folder / "does_not.py").write_text("# é only words: Qt, pyside6 lower case\nx = 1\n", encoding="utf-8")
sys.path.insert(0, str(folder))
names = ["uses_it", "does_not", "json", "reader.ui.kit.themes", "reader.content.model", "math"]
modules = [importlib.import_module(n) for n in names]
answers = [feature._mod_uses_pyside(m) for m in modules]
assert answers == [original(m) for m in modules], answers
print(*answers)
"""


def test_the_quicker_check_gives_pysides_answers(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["True", "False", "False", "True", "False", "False"]
