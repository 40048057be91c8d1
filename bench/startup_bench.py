"""Start-up and size benchmark: time from process start to the first painted section.

    python3 dev.py bench startup_bench [--runs 5] [--sections 10000]

Measures, median of --runs each, with the bundled briefing and with a synthetic library of
--sections sections: `python -m reader`, the frozen one-folder app and the one-file app (when
`dist/` holds them; build with `python3 dev.py exe`); peak RSS at first paint; sizes of the
one-folder dist and the one-file exe. The reference, measured in the same run, is a bare PySide6
window doing nothing (the floor); every time is also printed as a ratio to it.

Runs offscreen (QT_QPA_PLATFORM=offscreen) so it needs no display; paint still happens.
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

BARE_WINDOW = """
import sys, time, resource
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser
app = QApplication(sys.argv)
w = QMainWindow(); view = QTextBrowser(); w.setCentralWidget(view)
class Probe(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not hasattr(self, "done"):
            self.done = True
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"first-paint {time.time():.6f} rss-kb {rss}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
probe = Probe(); view.viewport().installEventFilter(probe)
w.resize(1200, 800); w.show(); app.exec()
"""


def first_paint(cmd: list[str], data_dir: Path) -> tuple[float, float]:
    """Seconds from spawning `cmd` to its first paint, and its peak RSS in MB then."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFING_READER_TIMING": "exit"}
    start = time.time()
    done = subprocess.run([*cmd], capture_output=True, text=True, env=env, timeout=120,
                          cwd=data_dir)
    for line in done.stdout.splitlines():
        if line.startswith("first-paint"):
            _, at, _, rss = line.split()
            return float(at) - start, int(rss) / 1024
    raise RuntimeError(f"no first-paint marker from {cmd[0]}: {done.stdout[-300:]}{done.stderr[-600:]}")


def median_run(cmd: list[str], runs: int, scratch: Path) -> tuple[float, float]:
    times, rss = [], []
    for i in range(runs + 1):
        data = scratch / f"data-{time.monotonic_ns()}"
        data.mkdir()
        t, r = first_paint(cmd, data)
        if i:  # the first run warms the disk cache and any index cache; not counted
            times.append(t)
            rss.append(r)
    return statistics.median(times), max(rss)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sections", type=int, default=10_000)
    args = parser.parse_args()
    onedir = ROOT / "dist" / "briefing-reader" / "briefing-reader"
    onefile = ROOT / "dist" / ("briefing-reader-onefile" + (".exe" if os.name == "nt" else ""))
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        scratch = Path(tmp)
        big = write_library(scratch / "library", sections=args.sections)
        floor, floor_rss = median_run([sys.executable, "-c", BARE_WINDOW], args.runs, scratch)
        print(f"{'what':44} {'first paint':>11} {'x floor':>8} {'peak RSS':>9}")
        print(f"{'bare PySide6 window (floor)':44} {floor:10.3f}s {1.0:8.2f} {floor_rss:7.0f}MB")
        apps = [("python -m reader", [sys.executable, "-m", "reader"])]
        apps += [(label, [str(exe)]) for label, exe in
                 (("one-folder app", onedir), ("one-file app", onefile)) if exe.exists()]
        libraries = [("briefing", []), (f"{args.sections:,} sections", ["--content", str(big)])]
        for n, (label, cmd) in enumerate(apps):
            for m, (content, extra) in enumerate(libraries):
                # One data dir per app and library, kept across its runs: a returning user.
                data = scratch / f"user-{n}-{m}"
                t, rss = median_run([*cmd, "--data-dir", str(data), *extra], args.runs, scratch)
                print(f"{label + ', ' + content:44} {t:10.3f}s {t / floor:8.2f} {rss:7.0f}MB")
        for label, path in (("one-folder dist", onedir.parent), ("one-file exe", onefile)):
            print(f"size of {label}: " + (f"{size_mb(path):.1f} MB" if path.exists() else "not built"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
