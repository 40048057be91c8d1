"""Child-process scripts for tests of what may crash the interpreter (Qt lifetime bugs, PySide
reference leaks): the test runs one with `run_child`, so a segfault or an abort fails that test
instead of killing pytest. Each scenario prints "ok" as its last line when it got through.
Running outside pytest, they open the window themselves (`_window`), not with conftest's `open_window`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tests.ui.features_of import search_indexer_of, search_panel_of

ROOT = Path(__file__).resolve().parents[2]


def run_child(scenario: str, data_dir: Path, *args: str,
              timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `scenario` of this file in a fresh interpreter with faulthandler on."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", str(Path(__file__)), scenario, str(data_dir), *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def _window(data_dir: Path, section: str | None = None):  # -> MainWindow (Qt imported late)
    from PySide6.QtWidgets import QApplication

    from reader.paths import AppPaths
    from reader.session import Context
    from reader.ui.app.application import create_window, make_app

    make_app()
    args = argparse.Namespace(content=None, data_dir=data_dir, section=section, self_test=False,
                              command=None)
    window = create_window(Context(args=args, paths=AppPaths.create(data_dir)))
    window.resize(1200, 800)
    window.restore(section)
    window.show()
    QApplication.processEvents()
    return window


def restyle_with_highlights(data_dir: Path, steps: str = "") -> None:
    """Theme, zoom, width and font changes with highlights on the page; after every step the
    painted annotation layer must be exactly the stored highlights, in the theme's colours: the
    marks kept (plain positions and kinds) and the extra selections painted from them."""
    from PySide6.QtWidgets import QApplication

    from reader.annotations import AnnotationStore
    from reader.ui.features.annotations.paint import LAYER
    from reader.ui.reading.marks import MarkKind

    window = _window(data_dir, "iran-russia")
    stored = {(a.quote, a.color) for a in AnnotationStore.in_folder(data_dir).all()}
    assert len(stored) >= 2, stored
    actions = window.actions_by_name
    sequence = steps.split(",") if steps else [
        "theme_dark", "theme_light", "zoom_in", "theme_sepia", "width_wide", "font_sans",
        "zoom_in", "theme_dark", "zoom_out", "width_narrow", "theme_light", "font_serif",
        "zoom_reset", "theme_dark", "width_medium", "theme_sepia", "theme_light"]
    for step in sequence:
        actions[step].trigger()
        QApplication.processEvents()
        theme = window.themes.current
        assert window.article.theme is theme, step
        painted = window.article.extraSelections()  # only annotations are painted here
        got = {(sel.cursor.selectedText(), sel.format.background().color().name()) for sel in painted}
        want = {(quote, theme.style(MarkKind.highlight(color)).background.name())
                for quote, color in stored}
        assert got == want, (step, got, want)
        kept = {(m.kind, m.end - m.start) for m in window.article.marks(LAYER)}
        assert kept == {(MarkKind.highlight(color), len(quote)) for quote, color in stored}, step
        print(f"{step}: {len(painted)} highlight(s) painted in {theme.name}", flush=True)
    window.close()
    print("ok")


def walk_sections(data_dir: Path, steps: str) -> None:
    """Thousands of section changes in one window; prints how far None's count fell."""
    from reader.ui.app.section_walk import walk

    window = _window(data_dir)
    fell = walk(window, int(steps))
    window.close()
    print(f"none fell {fell}")
    print("ok")


def quit_while_indexing(data_dir: Path, content: str) -> None:
    """Close the window as soon as the first index build reports progress; print how long the
    close took and what was left behind."""
    import multiprocessing
    import time

    from PySide6.QtWidgets import QApplication

    from reader.app import setup_logging
    from reader.paths import AppPaths
    from reader.session import Context
    from reader.ui.app.application import create_window, make_app

    make_app()
    args = argparse.Namespace(content=content, data_dir=data_dir, section=None, self_test=False,
                              command=None)
    paths = AppPaths.create(data_dir)
    setup_logging(paths, rotating=False)
    window = create_window(Context(args=args, paths=paths))
    window.resize(1200, 800)
    window.restore(None)
    window.show()
    panel, indexer = search_panel_of(window), search_indexer_of(window)
    seen: list[int] = []
    panel.progress.valueChanged.connect(lambda v: seen.append(v))
    indexer.start_after_paint()
    deadline = time.monotonic() + 120
    while not (seen and max(seen) > 0) and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert seen and indexer.indexing, "the build never reported progress"
    start = time.perf_counter()
    window.close()
    print(f"closed in {time.perf_counter() - start:.3f} s, progress {max(seen)} of "
          f"{panel.progress.maximum()}")
    print(f"children {len(multiprocessing.active_children())}")
    print("ok")


def theme_switch_among_garbage_windows(data_dir: Path) -> None:
    """Live theme switches while windows nobody references any more wait for the cyclic garbage
    collector, as the windows of earlier tests did in the CI run that died here. Where in the
    switch a collection lands depends on the generation thresholds, so the steps sweep them."""
    import gc

    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    window = _window(data_dir, "iran-russia")
    actions = window.actions_by_name
    for step in range(60):
        for _ in range(20):
            orphan = QWidget()
            for _ in range(30):
                QLabel("x", orphan)
            orphan.cycle = orphan  # type: ignore[attr-defined]  # only the collector frees it
        del orphan
        gc.set_threshold(1 + step % 12, 1, 1)
        actions["theme_dark" if step % 2 else "theme_light"].trigger()
        gc.set_threshold(700, 10, 10)
        QApplication.processEvents()
    print("ok")


def main() -> None:
    scenario, data_dir, *rest = sys.argv[1:]
    globals()[scenario](Path(data_dir), *rest)


if __name__ == "__main__":
    main()
