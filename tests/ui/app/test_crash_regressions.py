"""Crashes found by using the window as people do; each scenario runs in a child process
(tests/ui/window_child.py), so a segfault fails the test instead of ending pytest."""

from __future__ import annotations

from pathlib import Path

from reader.annotations import AnnotationStore
from reader.app import main as cli_main
from tests.ui.window_child import run_child


def add_highlights(data_dir: Path) -> None:
    for quote, colour in (("complex relationship", "yellow"), ("global politics", "green")):
        assert cli_main(["--data-dir", str(data_dir), "annotations", "add", "--section",
                         "iran-russia", "--quote", quote, "--color", colour]) == 0
    assert len(AnnotationStore.in_folder(data_dir).all()) == 2


def test_theme_zoom_width_and_font_changes_keep_two_highlights_painted(data_dir: Path) -> None:
    """Was a segfault in ArticleView._selection on the first theme change (the saved layer held
    formats of freed ExtraSelections), and Zoom In wiped the highlights off the page."""
    add_highlights(data_dir)
    done = run_child("restyle_with_highlights", data_dir)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok", done.stdout[-2000:]
    assert "zoom_in: 2 highlight(s) painted in light" in lines


def test_zoom_in_then_theme_change_keeps_highlights(data_dir: Path) -> None:
    add_highlights(data_dir)
    done = run_child("restyle_with_highlights", data_dir, "zoom_in,theme_dark,zoom_in,theme_light")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "ok"


def test_theme_switch_while_dead_windows_wait_for_the_garbage_collector(data_dir: Path) -> None:
    """Was a segfault in CI (test_comfort_themes): the switch walked QApplication.allWidgets(),
    and a collection freed an unreferenced window whose widgets were still in that list."""
    done = run_child("theme_switch_among_garbage_windows", data_dir)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "ok"
