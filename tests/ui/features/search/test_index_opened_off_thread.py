"""Whoosh is imported and the index opened by the first build's worker, not on the GUI thread:
importing it there froze the window for 0.2-0.5 s just after its first paint, while the reader
may already be typing in the section filter (bench/tree_bench.py). In a fresh interpreter: the
test process has long imported Whoosh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

CHILD = r"""
import importlib.abc, sys, threading, time, argparse
from pathlib import Path
imported_on = []

class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "whoosh.index":
            imported_on.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, Spy())
from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window, make_app
from reader.ui.features.search.feature import SearchFeature

app = make_app()
data = Path(sys.argv[1])
args = argparse.Namespace(content=None, data_dir=data, section=None, self_test=False, command=None)
window = create_window(Context(args=args, paths=AppPaths.create(data)))
window.restore()
window.show()
indexer = window.features.require(SearchFeature).indexer
done = []
indexer.index_ready.connect(done.append)
end = time.monotonic() + 60
while not done and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
print("ready" if done else "not-ready", "imported-on-main" if any(imported_on) else
      "imported-elsewhere" if imported_on else "never-imported")
window.close()
"""


def test_the_first_build_imports_whoosh_off_the_gui_thread(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ready", "imported-elsewhere"], done.stdout + done.stderr[-2000:]
