"""Start-up and size benchmark: time from process start to the first painted section.

    python3 dev.py bench startup_bench [--runs 5] [--sections 10000] [--words 500]

Measures, median of --runs each, with the bundled briefing and with a synthetic library of
--sections sections: `python -m reader`, the frozen one-folder app and the one-file app (when
`dist/` holds them; build with `python3 dev.py exe`): time to the first painted section, time
until every feature is installed ("all ready": those that do not shape the first screen install
just after it is painted), peak RSS; sizes of the one-folder dist and the one-file exe; and the
app's own step marks for one median start of the one-folder app. The reference, measured in the
same run, is a bare PySide6 window doing nothing (the floor); first paints are also printed as a
ratio to it.

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
from dataclasses import dataclass
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


@dataclass
class Run:
    first_paint: float  # seconds from spawn to the first painted section
    ready: float  # ... to every feature installed (the app's "ready" marker; bare window: = paint)
    rss_mb: float  # peak RSS by then
    steps: list[tuple[float, str]]  # (seconds from spawn, step) marks printed by the app


def measure(cmd: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> Run:
    """Spawn `cmd` in `cwd` with the timing switch (and `extra_env`) and read its markers."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFING_READER_TIMING": "exit",
           **(extra_env or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # `python -m reader` as installed: with .pyc files
    start = time.time()
    done = subprocess.run([*cmd], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)
    steps, paint, ready, rss = [], None, None, 0.0
    for line in done.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word == "step":
            at, _, step = rest.partition(" ")
            steps.append((float(at) - start, step))
        elif word in ("first-paint", "ready"):
            at, _, kb = rest.split()
            rss = max(rss, int(kb) / 1024)
            if word == "first-paint":
                paint = float(at) - start
            else:
                ready = float(at) - start
    if paint is None:
        raise RuntimeError(f"no first-paint marker from {cmd[0]}: {done.stdout[-300:]}{done.stderr[-600:]}")
    return Run(paint, ready if ready is not None else paint, rss, steps)


def median_run(cmd: list[str], runs: int, scratch: Path) -> Run:
    """The median run by first paint (the first run, which warms caches, not counted), with
    the median "ready" time and the highest peak RSS of all runs."""
    results = []
    for i in range(runs + 1):
        data = scratch / f"data-{time.monotonic_ns()}"
        data.mkdir()
        run = measure(cmd, data)
        if i:  # the first run warms the disk cache and any index or render cache; not counted
            results.append(run)
    results.sort(key=lambda r: r.first_paint)
    middle = results[len(results) // 2]
    return Run(middle.first_paint, statistics.median(r.ready for r in results),
               max(r.rss_mb for r in results), middle.steps)


def print_steps(label: str, run: Run) -> None:
    """Where the time of one (median) start goes, step by step."""
    print(f"\nsteps of the median start, {label} (ms from spawn, ms for the step):")
    before = 0.0
    for at, step in [*run.steps, (run.first_paint, "first paint"), (run.ready, "features ready")]:
        print(f"  {at * 1000:7.1f} {max(0.0, at - before) * 1000:6.1f}  {step}")
        before = at


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=500,
                        help="words per synthetic section (150: the size of real reference pages)")
    args = parser.parse_args()
    onedir = ROOT / "dist" / "briefing-reader" / "briefing-reader"
    onefile = ROOT / "dist" / ("briefing-reader-onefile" + (".exe" if os.name == "nt" else ""))
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        scratch = Path(tmp)
        big = write_library(scratch / "library", sections=args.sections, words=args.words)
        bare = median_run([sys.executable, "-c", BARE_WINDOW], args.runs, scratch)
        floor = bare.first_paint
        print(f"{'what':40} {'first paint':>11} {'x floor':>8} {'all ready':>9} {'peak RSS':>9}")
        print(f"{'bare PySide6 window (floor)':40} {floor:10.3f}s {1.0:8.2f} {floor:8.3f}s "
              f"{bare.rss_mb:7.0f}MB")
        apps = [("python -m reader", [sys.executable, "-m", "reader"])]
        apps += [(label, [str(exe)]) for label, exe in
                 (("one-folder app", onedir), ("one-file app", onefile)) if exe.exists()]
        libraries = [("briefing", []), (f"{args.sections:,} sections", ["--content", str(big)])]
        breakdown = None
        for n, (label, cmd) in enumerate(apps):
            for m, (content, extra) in enumerate(libraries):
                # One data dir per app and library, kept across its runs: a returning user.
                data = scratch / f"user-{n}-{m}"
                run = median_run([*cmd, "--data-dir", str(data), *extra], args.runs, scratch)
                print(f"{label + ', ' + content:40} {run.first_paint:10.3f}s "
                      f"{run.first_paint / floor:8.2f} {run.ready:8.3f}s {run.rss_mb:7.0f}MB")
                if m == 0 and (breakdown is None or label == "one-folder app"):
                    breakdown = (f"{label}, {content}", run)
        for label, path in (("one-folder dist", onedir.parent), ("one-file exe", onefile)):
            print(f"size of {label}: " + (f"{size_mb(path):.1f} MB" if path.exists() else "not built"))
        if breakdown is not None:
            print_steps(*breakdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
