"""mypy over `reader/` (the [tool.mypy] settings of pyproject.toml) against tests/mypy_baseline.txt.

The baseline holds the errors per module still to fix; only `reader/ui` modules may be listed (the
core is clean). A module with more errors than its line, or with errors and no line, fails; so does
one with fewer, so that the baseline is lowered in the same change and only ever shrinks.
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
BASELINE = Path(__file__).with_name("mypy_baseline.txt")
# "reader/ui/x.py:12: error: ..." or "reader/ui/x.py:12:5: error: ..." (backslashes on Windows)
ERROR_LINE = re.compile(r"^(?P<path>reader[/\\][^:]+\.py):\d+(?::\d+)?: error: ")
MYPY_TIMEOUT_S = 900  # a cold cache checks PySide6's stubs too; warm runs take seconds


def read_baseline(path: Path = BASELINE) -> dict[str, int]:
    """Module path -> error count; blank lines and `#` comments are skipped."""
    counts: dict[str, int] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        module, _, count = line.rpartition(" ")
        module = module.strip()
        assert module and count.isdigit(), f"{path.name}:{n}: expected 'path count', got {raw!r}"
        assert module not in counts, f"{path.name}:{n}: {module} is listed twice"
        counts[module] = int(count)
    return counts


def count_errors(output: str) -> Counter[str]:
    """Error lines per module in mypy's output (notes do not count)."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            found[m["path"].replace("\\", "/")] += 1
    return found


def compare(found: Counter[str], baseline: dict[str, int]) -> list[str]:
    """One message per module whose count differs from its baseline line (missing line: 0)."""
    problems = []
    for module in sorted(set(found) | set(baseline)):
        now, allowed = found.get(module, 0), baseline.get(module, 0)
        if now > allowed:
            problems.append(f"{module}: {now} errors, baseline {allowed} (new errors: fix them)")
        elif now < allowed:
            change = f"set its line to '{module} {now}'" if now else "remove its line"
            problems.append(f"{module}: {now} errors, baseline {allowed} (fixed: {change})")
    return problems


def pinned_mypy() -> str:
    """The version the test extra pins (`mypy==X`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for req in project["project"]["optional-dependencies"]["test"]:
        name, sep, version = req.partition("==")
        if name.strip().lower() == "mypy" and sep:
            return version.strip()
    raise AssertionError("pyproject.toml's test extra does not pin mypy (mypy==X)")


def test_baseline_lists_only_ui_modules_that_exist() -> None:
    baseline = read_baseline()
    for module, count in baseline.items():
        assert module.startswith("reader/ui/"), f"{module}: the core must stay free of mypy errors"
        assert (ROOT / module).is_file(), f"{module} is in the baseline but does not exist"
        assert count > 0, f"{module}: a count of 0 is no line at all"


def test_compare_reports_more_fewer_and_unlisted() -> None:
    baseline = {"reader/ui/a.py": 2, "reader/ui/b.py": 1, "reader/ui/c.py": 3}
    found = Counter({"reader/ui/a.py": 3, "reader/ui/c.py": 3, "reader/search/d.py": 1})
    assert compare(found, baseline) == [
        "reader/search/d.py: 1 errors, baseline 0 (new errors: fix them)",
        "reader/ui/a.py: 3 errors, baseline 2 (new errors: fix them)",
        "reader/ui/b.py: 0 errors, baseline 1 (fixed: remove its line)",
    ]
    assert compare(Counter(baseline), baseline) == []


def test_count_errors_ignores_notes() -> None:
    output = (
        "reader/ui/a.py:3: error: Incompatible types  [assignment]\n"
        "reader/ui/a.py:3: note: See https://mypy.readthedocs.io\n"
        "reader\\ui\\b.py:7:5: error: Missing return  [return]\n"
    )
    assert count_errors(output) == Counter({"reader/ui/a.py": 1, "reader/ui/b.py": 1})


def test_mypy_error_counts_match_baseline() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it is in the test extra: pip install -e '.[test]')")
    from mypy.version import __version__ as installed

    pinned = pinned_mypy()
    assert installed == pinned, (
        f"mypy {installed} is installed but the baseline is for mypy {pinned}; another version "
        "counts differently (pip install -e '.[test]')"
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
    baseline = read_baseline()
    problems = compare(found, baseline)
    differing = {m for m in set(found) | set(baseline) if found.get(m, 0) != baseline.get(m, 0)}
    listing = [line for line in output.splitlines()
               if (m := ERROR_LINE.match(line)) and m["path"].replace("\\", "/") in differing]
    assert not problems, "mypy errors differ from tests/mypy_baseline.txt:\n  " + "\n  ".join(
        problems) + "\n\nmypy's errors in those modules:\n" + "\n".join(listing)
