"""The app never phones home, and runs from a read-only install writing only to the user's folders.

Both run the real `python -m reader --self-test` (every section rendered, every feature's check:
annotations written and read back, search, printing) in a child process.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_briefing
from tests.reliability.helpers import ROOT

# Loaded by `site` at start-up (it is first on PYTHONPATH): any socket use is recorded and fails.
NO_NETWORK = '''
import os, socket, traceback
_log = os.environ["NO_NETWORK_LOG"]
def _refuse(what, *args, **kwargs):
    with open(_log, "a") as f:
        f.write(f"{what} {args!r}\\n{''.join(traceback.format_stack(limit=8))}\\n")
    raise OSError(f"network use in an offline app: {what} {args!r}")
class _NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        _refuse("socket.socket", *args)
socket.socket = _NoSocket
socket.create_connection = lambda *a, **k: _refuse("socket.create_connection", *a)
socket.getaddrinfo = lambda *a, **k: _refuse("socket.getaddrinfo", *a)
socket.socketpair = lambda *a, **k: _refuse("socket.socketpair", *a)
'''

HOSTILE = """# Lures
<img src="http://127.0.0.1:9/pixel.png"> ![remote](https://example.com/x.png)
[a link](https://example.com/page) <a href="http://127.0.0.1:9/">local</a>
<link rel=stylesheet href="http://127.0.0.1:9/x.css">
## More
Text with a footnote.[^1]

[^1]: <https://example.com/footnote>
"""


def self_test(tmp_path: Path, *args: str, pythonpath: str, env: dict[str, str] | None = None,
              unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": pythonpath, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local/share"), **(env or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [sys.executable, "-m", "reader", *args, "--self-test"]
    if unprivileged and os.geteuid() == 0:
        # root ignores file modes; without CAP_DAC_OVERRIDE a read-only install really is one
        if shutil.which("capsh") is None:
            pytest.skip("running as root without capsh")
        cmd = ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c",
               " ".join(map(shlex.quote, cmd))]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env,
                          cwd=tmp_path)


def test_self_test_never_touches_the_network(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_NETWORK)
    log = tmp_path / "network.log"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    write_briefing(content, "lures.md", HOSTILE, id="lures")
    done = self_test(tmp_path, "--data-dir", str(tmp_path / "data"), "--content", str(content),
                     pythonpath=os.pathsep.join([str(hooks), str(ROOT)]),
                     env={"NO_NETWORK_LOG": str(log)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: ok" in done.stdout
    assert "annotations:" in done.stdout and "search" in done.stdout  # the features ran
    assert not log.exists(), log.read_text()


def test_hook_catches_a_connection(tmp_path: Path) -> None:
    """The sitecustomize hook works: a child that does connect is caught (so silence means silence)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_NETWORK)
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(hooks), "NO_NETWORK_LOG": str(log)}
    code = ("import urllib.request\ntry:\n    urllib.request.urlopen('http://127.0.0.1:9/')\n"
            "except OSError:\n    pass")
    subprocess.run([sys.executable, "-c", code], env=env, timeout=60, check=True)
    assert "socket" in log.read_text()


def listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


def test_read_only_source_install_writes_only_to_user_folders(tmp_path: Path) -> None:
    app = tmp_path / "app"
    for part in ("reader", "resources", "content"):
        shutil.copytree(ROOT / part, app / part, ignore=shutil.ignore_patterns("__pycache__"))
    for p in [app, *app.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    before = listing(app)
    data = tmp_path / "user-data"
    try:
        done = self_test(tmp_path, "--data-dir", str(data), pythonpath=str(app), unprivileged=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "self-test: ok" in done.stdout
        assert listing(app) == before  # not a byte, not a __pycache__, not a lock file
        written = {p.name for p in data.rglob("*")}
        assert {"annotations.sqlite3", "index", "briefing-reader.log"} <= written
        which = subprocess.run([sys.executable, "-c", "import reader; print(reader.__file__)"],
                               env={**os.environ, "PYTHONPATH": str(app)}, cwd=tmp_path,
                               capture_output=True, text=True, check=True)
        assert which.stdout.strip() == str(app / "reader" / "__init__.py")  # the copy ran
    finally:
        for p in [app, *app.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
