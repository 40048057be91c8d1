"""How long Export PDF and Print Preview of a whole large briefing keep the GUI thread busy.

One synthetic briefing of N sections is opened in the real window (offscreen); a 10 ms timer runs
on the GUI thread, and the longest gap between its ticks while the action runs is the time the
window could not repaint or take input. Printed per action: that longest gap, the wall time until
the PDF is written (or the preview shows its pages), and the page count. The reference ratio is
the longest gap over the wall time (1.0: the whole job blocked the window).

    python bench/print_bench.py [--sections 2000] [--words 150]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench.synthetic as synthetic  # noqa: E402


class GapMeter:
    """The longest pause between ticks of a GUI-thread timer, from start() on."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest


def wait(app, done, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.002)


def open_window(data: Path, content: Path):
    from reader.paths import AppPaths
    from reader.session import Context
    from reader.ui.app.application import create_window

    args = argparse.Namespace(content=str(content), data_dir=data, section=None,
                              self_test=False, command=None)
    window = create_window(Context(args=args, paths=AppPaths.create(data)))
    window.resize(1200, 800)
    window.restore(None)
    window.show()
    return window


def print_controller(window):  # -> PrintController, found through the feature host
    from reader.ui.features.printing.feature import PrintingFeature

    return window.features.require(PrintingFeature).controller


def export_pdf(app, window, target: Path) -> tuple[float, float, int]:
    import pypdf
    from PySide6.QtWidgets import QFileDialog

    QFileDialog.getSaveFileName = lambda *a, **k: (str(target), "PDF")  # type: ignore[method-assign]
    briefing = window.library.briefings[0]
    printing = print_controller(window)
    printing.ask = lambda verb: printing.job(list(briefing.sections()))
    meter = GapMeter()
    status = window.statusBar()
    status.clearMessage()
    meter.start()
    start = time.perf_counter()
    window.actions_by_name["export_pdf"].trigger()
    wait(app, lambda: "Exported" in status.currentMessage())
    wall = time.perf_counter() - start
    return meter.stop(), wall, len(pypdf.PdfReader(str(target)).pages)


def preview(app, window) -> tuple[float, float, int]:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    briefing = window.library.briefings[0]
    printing = print_controller(window)
    printing.ask = lambda verb: printing.job(list(briefing.sections()))
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    printing.preview_dialog = None
    window.actions_by_name["print_preview"].trigger()

    def shown() -> bool:
        dialog = printing.preview_dialog
        widget = dialog.findChild(QPrintPreviewWidget) if dialog is not None else None
        return widget is not None and dialog.isVisible() and widget.pageCount() > 0

    wait(app, shown)
    wall = time.perf_counter() - start
    gap = meter.stop()
    dialog = printing.preview_dialog
    pages = dialog.findChild(QPrintPreviewWidget).pageCount()
    dialog.close()
    app.processEvents()
    return gap, wall, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=2000)
    parser.add_argument("--words", type=int, default=150)
    args = parser.parse_args()
    from reader.ui.app.application import make_app

    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        synthetic.SECTIONS_PER_BRIEFING = args.sections  # one briefing of them all
        content = synthetic.write_library(Path(tmp) / "library", sections=args.sections,
                                          words=args.words)
        window = open_window(Path(tmp) / "data", content)
        wait(app, lambda: bool(window.library.briefings))
        from reader.ui.features.search.feature import SearchFeature

        # Let the first index build finish: it competes for the CPU.
        indexer = window.features.require(SearchFeature).indexer
        time.sleep(0.5)
        wait(app, lambda: not indexer.indexing)
        print(f"one briefing, {args.sections} sections of ~{args.words} words")
        print(f"{'action':>12} {'GUI blocked':>12} {'wall':>8} {'pages':>6} {'ratio':>6}")
        for name, run in (("export PDF", lambda: export_pdf(app, window, Path(tmp) / "out.pdf")),
                          ("preview", lambda: preview(app, window))):
            gap, wall, pages = run()
            print(f"{name:>12} {gap:>10.2f} s {wall:>6.2f} s {pages:>6} {gap / wall:>6.2f}",
                  flush=True)
        window.close()


if __name__ == "__main__":
    main()
