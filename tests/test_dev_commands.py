"""The README's two commands on a newcomer's machine: `python3 dev.py test` needs no system
tool beyond Python, and `python3 dev.py run` after it installs nothing more."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def load_dev(tmp_path: Path, monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")  # "the venv exists"
    monkeypatch.setattr(dev, "VENV", venv)
    monkeypatch.setattr(dev, "PY", venv / "bin" / "python")
    installs: list[list[str]] = []
    monkeypatch.setattr(dev.subprocess, "check_call",
                        lambda cmd, **_: installs.append(cmd) if "-e" in cmd else None)
    return dev, installs


def test_run_after_test_installs_nothing_more(tmp_path: Path, monkeypatch) -> None:
    dev, installs = load_dev(tmp_path, monkeypatch)
    dev.ensure_venv(dev.EXTRAS["test"])
    assert [cmd[-1] for cmd in installs] == [".[test]"]
    dev.ensure_venv(dev.EXTRAS["run"])  # the test install serves the app
    dev.ensure_venv(dev.EXTRAS["bench"])
    assert len(installs) == 1
    dev.ensure_venv(dev.EXTRAS["exe"])  # needs the build extra too: one more install, of both
    assert installs[-1][-1] == ".[build,test]"
    dev.ensure_venv(dev.EXTRAS["test"])
    assert len(installs) == 2


def test_a_changed_pyproject_reinstalls(tmp_path: Path, monkeypatch) -> None:
    dev, installs = load_dev(tmp_path, monkeypatch)
    dev.ensure_venv(dev.EXTRAS["run"])
    assert installs[-1][-1] == "."
    stamp = dev.VENV / ".dev-stamp"
    stamp.write_text("0" * 64 + " " + stamp.read_text().split(" ", 1)[1])  # an older pyproject
    dev.ensure_venv(dev.EXTRAS["run"])
    assert len(installs) == 2


@pytest.mark.skipif(os.name == "nt", reason="PATH layout of a POSIX machine")
def test_the_print_colour_test_needs_no_pdftoppm(tmp_path: Path) -> None:
    """On a machine with only Python (no poppler), the test that rasterises a PDF still runs."""
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bare), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/qtgui/test_printing.py", "-k", "black_on_white"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout
