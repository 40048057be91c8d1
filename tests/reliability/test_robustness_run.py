"""The robustness run (issue 14): a seeded random sequence of what users do, on the real window in
a child process (tests/reliability/robustness_driver.py), with invariants checked after every step.
A short budget runs here; `python3 dev.py bench robustness_bench` runs ten thousand steps and more.

A crash (segfault, abort) ends the child, not pytest: its faulthandler traceback and the last
steps it printed are in the failure message, with the seed and step count that replay it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "tests" / "reliability" / "robustness_driver.py"
STEPS = 200  # per seed: about 15-25 s each on a loaded 2-core machine


def run_driver(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the driver in a fresh interpreter with faulthandler on, offscreen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", str(DRIVER), "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def report(done: subprocess.CompletedProcess[str]) -> str:
    """The end of what the child printed: the last steps, the break or the crash."""
    return (f"exit {done.returncode}\n--- last steps ---\n" + "\n".join(done.stdout.splitlines()[-25:])
            + "\n--- stderr ---\n" + done.stderr[-4000:])


@pytest.mark.parametrize("seed", [14, 2026])
def test_a_random_session_keeps_every_invariant(data_dir: Path, seed: int) -> None:
    done = run_driver(data_dir, "--seed", str(seed), "--steps", str(STEPS))
    assert done.returncode == 0, report(done)
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok", report(done)
    assert f"survived {STEPS} steps" in lines[-2]


def test_a_broken_invariant_fails_the_run(data_dir: Path) -> None:
    """The highlight invariant bites: a stray painted range after step 3 ends the run there."""
    done = run_driver(data_dir, "--seed", "14", "--steps", "10", "--sabotage-at", "3")
    assert done.returncode == 1, report(done)
    assert "BREAK seed 14 step 3: painted highlights" in done.stdout, report(done)
    assert "replay: python -X faulthandler" in done.stdout
