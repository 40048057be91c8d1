#!/usr/bin/env python3
"""One-command set-up for a fresh clone (needs only Python >= 3.11):

    python3 dev.py run [ARGS...]    create .venv if needed, install, start Briefing Reader
    python3 dev.py test [ARGS...]   same set-up with the test extras, then run pytest
    python3 dev.py bench NAME       run bench/NAME.py (search_bench, startup_bench, ...)
    python3 dev.py exe              install PyInstaller and build dist/ from build.spec

Uses only the standard library, so it works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
# The extras each command needs; one install with more extras serves a command needing fewer.
EXTRAS: dict[str, frozenset[str]] = {
    "run": frozenset(), "test": frozenset({"test"}), "bench": frozenset({"test"}),
    "exe": frozenset({"test", "build"}),
}


def ensure_venv(extras: frozenset[str]) -> None:
    """Create the virtual environment and (re)install when pyproject.toml changes or a command
    needs an extra the last install did not include (`run` after `test` installs nothing)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("Briefing Reader needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".dev-stamp"
    # The stamp says "<digest of pyproject.toml> <extra>,<extra>" of the last install.
    words = stamp.read_text().split() if stamp.exists() else []
    installed = frozenset(words[1].split(",")) - {""} if len(words) == 2 and words[0] == digest else None
    if installed is not None and extras <= installed:
        return
    wanted = extras | (installed or frozenset())
    spec = f".[{','.join(sorted(wanted))}]" if wanted else "."
    print(f"Installing briefing-reader{spec[1:]} into .venv ...", flush=True)
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "-e", spec], cwd=ROOT)
    stamp.write_text(f"{digest} {','.join(sorted(wanted))}")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    # Installing [test] also satisfies a plain run; reuse whatever is already there.
    ensure_venv(EXTRAS[cmd])
    if cmd == "run":
        return subprocess.call([str(PY), "-m", "reader", *rest])
    if cmd == "test":
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if cmd == "bench":
        name = rest[0] if rest else "search_bench"
        return subprocess.call([str(PY), str(ROOT / "bench" / f"{name}.py"), *rest[1:]], cwd=ROOT)
    if cmd == "exe":
        return subprocess.call([str(PY), "-m", "PyInstaller", "--noconfirm", "build.spec"], cwd=ROOT)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
