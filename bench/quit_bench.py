"""Quitting while the first search index of a large library is being built.

For each library size, a fresh data folder: the real window (offscreen) starts, the first index
build begins, and the window is closed as soon as the build has reported progress. Printed: how
long `close()` took and how long the process took to be gone after it. The reference, in the same
run, is closing the same window once its index is built (nothing to stop). Closing used to wait
for the build to end (19.5 s at 3,000 sections on this machine).

    python bench/quit_bench.py [--sections 3000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import write_library  # noqa: E402

CHILD = r"""
import argparse, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from reader.app import setup_logging
from reader.session import Context
from reader.paths import AppPaths
from reader.ui.app.application import create_window, make_app
from reader.ui.features.search.feature import SearchFeature

data, content, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
make_app()
paths = AppPaths.create(data)
setup_logging(paths, rotating=False)
args = argparse.Namespace(content=content, data_dir=data, section=None, self_test=False, command=None)
window = create_window(Context(args=args, paths=paths))
window.resize(1200, 800); window.restore(None); window.show()
search = window.features.require(SearchFeature)
indexer = search.indexer
seen = []
search.panel.progress.valueChanged.connect(seen.append)
indexer.start_after_paint()
deadline = time.monotonic() + 600
def waiting():
    if mode == "building":
        return not (seen and max(seen) > 0)
    return indexer.indexing or not indexer.index.ready
while waiting() and time.monotonic() < deadline:
    QApplication.processEvents(); time.sleep(0.005)
start = time.perf_counter()
window.close()
print(f"close {time.perf_counter() - start:.6f}", flush=True)
print(f"exit-at {time.time():.6f}", flush=True)
"""


def quit_once(library: Path, mode: str, data: Path | None = None) -> tuple[float, float]:
    """(seconds in close(), seconds from the end of close() to the process being gone)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = data or Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(library), mode],
                              capture_output=True, text=True, env=env, timeout=900)
        gone = time.time()
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        values = dict(line.split() for line in done.stdout.splitlines() if line[:5] in ("close", "exit-"))
        return float(values["close"]), gone - float(values["exit-at"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default="3000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'sections':>9} {'close mid-build':>16} {'then exit':>10} {'close, index built':>19} "
          f"{'ratio':>6}")
    for n in (int(x) for x in args.sections.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            library = write_library(Path(tmp) / "library", sections=n, words=300)
            mid = [quit_once(library, "building") for _ in range(args.repeat)]
            built_data = Path(tmp) / "built"
            quit_once(library, "built", built_data)  # builds the index once
            ref = [quit_once(library, "built", built_data) for _ in range(args.repeat)]
        close = statistics.median(c for c, _ in mid)
        after = statistics.median(e for _, e in mid)
        ref_close = statistics.median(c for c, _ in ref)
        print(f"{n:>9} {close * 1000:>13.0f} ms {after * 1000:>7.0f} ms {ref_close * 1000:>16.0f} ms "
              f"{close / max(ref_close, 1e-6):>6.1f}")


if __name__ == "__main__":
    main()
