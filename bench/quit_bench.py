"""Quitting at any moment of a large library's session (issue 18: at most 1 s).

The real app (`reader.app.main`, offscreen, in a child process) is started on the library and
its window closed at one moment:
- first-paint: the first turn of the event loop, before the later features and the index start;
- records: 50 ms after the first index build started, while it makes its records;
- mid-build: once the build has reported documents indexed (worker processes running);
- settled: the index built (a data folder where it was built before), nothing running.
Printed per moment: how long `close()` took and how long the process then took to be gone (the
event loop ending, the exit path, the interpreter's teardown). Mid-build and records runs start
from a fresh data folder each time. The reference, in the same run, is closing once everything
is settled; `--full-teardown` adds a mid-build run with the old exit (the cyclic collector's
last passes over the library, see reader/ui/app/shutdown.py `before_exit`). Closing used to wait
for the build to end (19.5 s at 3,000 sections on this machine).

    python bench/quit_bench.py [--sections 3000,10000] [--words 300] [--repeat 3]
    python bench/quit_bench.py --library /tmp/lib100k [--built-data DIR] [--full-teardown]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import write_library  # noqa: E402

MOMENTS = ("first-paint", "records", "mid-build", "settled")

# Run with -c, not as a file: worker processes ("spawn") re-run a script's top level.
CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from reader.ui.app import application

data, content, moment = sys.argv[1], sys.argv[2], sys.argv[3]
real_start = application.start_window

def close(window):
    if window.closing:
        return
    start = time.perf_counter()
    window.close()
    print(f"close {time.perf_counter() - start:.6f}", flush=True)
    print(f"exit-at {time.time():.6f}", flush=True)

def start_window(ctx):
    window = real_start(ctx)
    if moment == "first-paint":
        QTimer.singleShot(0, lambda: close(window))
        return window
    poll = QTimer(window, interval=10)
    hooked = []

    def check():
        from reader.ui.features.search.feature import SearchFeature
        search = window.features.get(SearchFeature) if window.features_ready else None
        if search is None:
            return
        indexer = search.indexer
        if not hooked:
            hooked.append(True)
            indexer.started.connect(lambda: moment == "records" and QTimer.singleShot(
                50, lambda: close(window)))
            indexer.progress.connect(lambda done, _total: moment == "mid-build" and done > 0
                                     and close(window))
        if moment == "settled" and not indexer.indexing and indexer.index.ready:
            poll.stop()
            close(window)

    poll.timeout.connect(check)
    poll.start()
    return window

application.start_window = start_window
from reader.app import main
sys.exit(main(["--content", content, "--data-dir", data]))
"""


def quit_once(library: Path, moment: str, data: Path, env_extra: dict[str, str] | None = None,
              ) -> tuple[float, float]:
    """(seconds in close(), seconds from the end of close() to the process being gone)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **(env_extra or {})}
    done = subprocess.run([sys.executable, "-c", CHILD, str(data), str(library), moment],
                          capture_output=True, text=True, env=env, timeout=900)
    gone = time.time()
    values = dict(line.split() for line in done.stdout.splitlines() if line[:5] in ("close", "exit-"))
    if done.returncode != 0 or "close" not in values:
        raise SystemExit(f"{moment}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return float(values["close"]), gone - float(values["exit-at"])


def fresh_runs(library: Path, moment: str, repeat: int, scratch: Path,
               env_extra: dict[str, str] | None = None) -> list[tuple[float, float]]:
    runs = []
    for _ in range(repeat):
        data = Path(tempfile.mkdtemp(dir=scratch))
        runs.append(quit_once(library, moment, data, env_extra))
        shutil.rmtree(data, ignore_errors=True)
    return runs


def built_data(library: Path, scratch: Path) -> Path:
    """A data folder whose search index of `library` is built (by the `index` command)."""
    data = scratch / "built"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "reader", "--content", str(library), "--data-dir", str(data),
                    "index"], check=True, capture_output=True, env=env, timeout=3600)
    return data


def report(label: str, runs: list[tuple[float, float]], ref_close: float | None) -> float:
    close = statistics.median(c for c, _ in runs)
    after = statistics.median(e for _, e in runs)
    ratio = f"{close / max(ref_close, 1e-6):6.1f}" if ref_close else "     -"
    print(f"  {label:<26} {close * 1000:>8.0f} ms {after * 1000:>8.0f} ms {(close + after) * 1000:>8.0f} ms "
          f"{ratio}   (runs: {', '.join(f'{c * 1000:.0f}+{e * 1000:.0f}' for c, e in runs)})")
    return close


def measure(library: Path, sections: str, repeat: int, built: Path | None, full_teardown: bool,
            scratch: Path) -> None:
    print(f"{sections}: {'moment':<26} {'close':>11} {'then exit':>11} {'total':>11} {'ratio':>6}")
    data = built or built_data(library, scratch)
    settled = [quit_once(library, "settled", data) for _ in range(repeat)]
    ref = report("settled (reference)", settled, None)
    for moment in MOMENTS[:-1]:
        report(moment, fresh_runs(library, moment, repeat, scratch), ref)
    if full_teardown:
        report("mid-build, full teardown", fresh_runs(
            library, "mid-build", repeat, scratch, {"BRIEFING_READER_FULL_TEARDOWN": "1"}), ref)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default="3000,10000", help="synthetic library sizes")
    parser.add_argument("--words", type=int, default=300, help="words per synthetic section")
    parser.add_argument("--library", type=Path, help="an existing library instead of synthetic ones")
    parser.add_argument("--built-data", type=Path,
                        help="with --library: a data folder where its index is built (else built once)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full-teardown", action="store_true",
                        help="also close mid-build with the old exit path (reference for the exit)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        if args.library:
            count = sum(1 for _ in args.library.glob("*.md"))
            measure(args.library, f"{args.library} ({count} files)", args.repeat, args.built_data,
                    args.full_teardown, scratch)
            return
        for n in (int(x) for x in args.sections.split(",")):
            library = write_library(scratch / f"library-{n}", sections=n, words=args.words)
            measure(library, f"{n:,} sections", args.repeat, None, args.full_teardown, scratch)


if __name__ == "__main__":
    main()
