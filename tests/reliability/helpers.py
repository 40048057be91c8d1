"""Helpers of the reliability suite: a deterministic hypothesis profile, a context on a data
folder, file digests and a child-process runner."""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

from reader.paths import AppPaths
from reader.session import Context

ROOT = Path(__file__).resolve().parents[2]

# Deterministic (same examples on every run, CI included) and no per-example deadline: Qt, SQLite
# and Whoosh make single examples slow now and then on a loaded 2-core machine.
settings.register_profile(
    "reliability", derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RELIABLE = settings.get_profile("reliability")


def context(data_dir: Path, content: Path | None = None) -> Context:
    args = argparse.Namespace(content=str(content) if content else None, data_dir=data_dir,
                              section=None, self_test=False, command=None)
    return Context(args=args, paths=AppPaths.create(data_dir))


def digest(*paths: Path) -> str:
    """Hash of the bytes of files (missing ones count as missing) — "was it touched?"."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def python_child(code: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    """Start `python -c code args` with this checkout first on sys.path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]
