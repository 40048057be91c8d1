"""mypy over `reader/` (the [tool.mypy] settings of pyproject.toml, PySide6's own stubs) is clean:
every module, the window included. (The per-module baseline that held reader/ui's remaining
errors on the way is gone with the last of them.) An ignore is allowed only for a stub defect,
with a comment naming it; `warn_unused_ignores` drops the stale ones.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# "reader/ui/x.py:12: error: ..." or "reader/ui/x.py:12:5: error: ..." (backslashes on Windows)
ERROR_LINE = re.compile(r"^(?P<path>reader[/\\][^:]+\.py):\d+(?::\d+)?: error: ")
MYPY_TIMEOUT_S = 900  # a cold cache checks PySide6's stubs too; warm runs take seconds


def count_errors(output: str) -> Counter[str]:
    """Error lines per module in mypy's output (notes do not count)."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            found[m["path"].replace("\\", "/")] += 1
    return found


def pinned_mypy() -> str:
    """The version the test extra pins (`mypy==X`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for req in project["project"]["optional-dependencies"]["test"]:
        name, sep, version = req.partition("==")
        if name.strip().lower() == "mypy" and sep:
            return version.strip()
    raise AssertionError("pyproject.toml's test extra does not pin mypy (mypy==X)")


def test_count_errors_ignores_notes() -> None:
    output = (
        "reader/ui/a.py:3: error: Incompatible types  [assignment]\n"
        "reader/ui/a.py:3: note: See https://mypy.readthedocs.io\n"
        "reader\\ui\\b.py:7:5: error: Missing return  [return]\n"
    )
    assert count_errors(output) == Counter({"reader/ui/a.py": 1, "reader/ui/b.py": 1})


def test_mypy_finds_no_errors_in_reader() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it is in the test extra: pip install -e '.[test]')")
    from mypy.version import __version__ as installed

    pinned = pinned_mypy()
    assert installed == pinned, (
        f"mypy {installed} is installed but the project pins mypy {pinned}; another version "
        "judges differently (pip install -e '.[test]')"
    )
    # Settings and the files to check (`reader`) come from pyproject.toml; the cache is .mypy_cache.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--no-error-summary", "--no-color-output", "--no-pretty"],
        cwd=ROOT, capture_output=True, text=True, timeout=MYPY_TIMEOUT_S, check=False,
    )
    output = result.stdout + result.stderr
    found = count_errors(output)
    # 0: clean, 1: errors were reported; anything else (a crash, a bad setting) is not a count.
    assert result.returncode in (0, 1), f"mypy failed (exit {result.returncode}):\n{output}"
    assert (result.returncode == 1) == bool(found), f"mypy's output was not understood:\n{output}"
    assert not found, f"mypy errors in {sorted(found)}:\n" + "\n".join(
        line for line in output.splitlines() if ERROR_LINE.match(line))


def test_every_ignore_names_a_stub_defect() -> None:
    """`# type: ignore` only where PySide6's (or another library's) stubs are wrong, said in a
    comment on that line or the one above ("stub defect: ...")."""
    bare = []
    for path in sorted((ROOT / "reader").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if "type: ignore" in line and "stub defect" not in line and (
                    n == 0 or "stub defect" not in lines[n - 1]):
                bare.append(f"{path.relative_to(ROOT)}:{n + 1}: {line.strip()}")
    assert not bare, "ignores without a named stub defect:\n" + "\n".join(bare)
