"""Loading a library off the GUI thread (File ▸ Open Content Folder, Open Recent, imports): the
event loop keeps turning, progress and Cancel in the status bar, cancel or failure keep the
library in use, and Bundled Briefings shows imported briefings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

import reader.ui.library.library_folders as library_folders
import reader.updates.install as install
from reader.content import load_library
from reader.ui.shell.main_window import MainWindow
from tests.conftest import write_briefing
from tests.ui.features_of import updates_of
from tests.updates.helpers import make_pack

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def other_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "other"
    write_briefing(folder, "g.md", "# Gamma\nSome text.\n", id="gamma")
    return folder


class SlowLoader:
    """Stands in for load_library: notes its thread, reports progress and waits to be released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.thread: int | None = None

    def __call__(self, dirs, progress=None):
        self.thread = threading.get_ident()
        self.started.set()
        for n in range(1000):
            if self.release.wait(0.01):
                break
            if progress is not None:
                progress(n % 10, 10)
        return load_library(dirs, progress)


def jobs(window: MainWindow):
    return window.folders.jobs  # type: ignore[attr-defined]


def test_open_content_folder_loads_off_the_gui_thread(open_window, qtbot, tmp_path, monkeypatch) -> None:
    window = open_window()
    loader = SlowLoader()
    monkeypatch.setattr(library_folders, "load_library", loader)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other_folder(tmp_path)))
    window.actions_by_name["open_folder"].trigger()
    assert jobs(window).busy and window.library.briefings[0].id == "iran-russia"
    ticks = []
    timer = QTimer(window, interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)  # the event loop turns meanwhile
    assert loader.started.is_set() and loader.thread != threading.get_ident()
    qtbot.waitUntil(lambda: jobs(window).bar.maximum() == 10, timeout=5000)  # progress shows
    assert jobs(window).cancel_button.isVisible()
    loader.release.set()
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    assert [b.id for b in window.library.briefings] == ["gamma"]
    assert window.current.key == "gamma/gamma" and not jobs(window).bar.isVisible()


def test_cancel_keeps_the_library_in_use(open_window, qtbot, tmp_path, monkeypatch) -> None:
    window = open_window()
    before, shown = window.library, window.current
    loader = SlowLoader()
    monkeypatch.setattr(library_folders, "load_library", loader)
    assert window.folders.open(str(other_folder(tmp_path)))
    qtbot.waitUntil(loader.started.is_set, timeout=5000)
    jobs(window).cancel_button.click()
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    assert window.library is before and window.current is shown
    assert window.settings.content_folder == "" and window.settings.recent_folders == []
    assert "Cancelled loading" in window.statusBar().currentMessage()
    loader.release.set()


def test_a_failed_load_is_a_status_bar_message(open_window, qtbot, tmp_path, monkeypatch) -> None:
    window = open_window()
    before = window.library

    def broken(dirs, progress=None):
        raise OSError("disk unplugged")

    monkeypatch.setattr(library_folders, "load_library", broken)
    window.folders.open(str(other_folder(tmp_path)))
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    message = window.statusBar().currentMessage()
    assert "Could not finish loading" in message and "disk unplugged" in message
    assert window.library is before


def test_an_import_cancelled_while_checked_installs_nothing(open_window, qtbot, data_dir, tmp_path,
                                                            monkeypatch) -> None:
    window = open_window()
    before = window.library
    release, gui = threading.Event(), threading.get_ident()
    seen_threads = []
    real_read = install.read_pack

    def slow_read(source):
        seen_threads.append(threading.get_ident())
        release.wait(10)
        return real_read(source)

    monkeypatch.setattr(install, "read_pack", slow_read)
    assert updates_of(window).import_path(make_pack(tmp_path / "pack"))
    qtbot.waitUntil(lambda: bool(seen_threads), timeout=5000)
    jobs(window).cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    assert seen_threads[0] != gui
    assert window.library is before and not (data_dir / "library").exists()
    assert "Cancelled importing pack" in window.statusBar().currentMessage()


def test_bundled_briefings_show_the_imported_version(open_window, qtbot, tmp_path, monkeypatch) -> None:
    window = open_window()
    assert updates_of(window).import_path(make_pack(tmp_path / "pack"))
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    assert window.library.briefings[0].meta.version == "2"
    window.folders.open(str(other_folder(tmp_path)))  # another folder, then back
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    recent = window.registry.menu("recent")
    window.folders.fill_recent()
    [bundled] = [a for a in recent.actions() if a.text() == "&Bundled Briefings"]
    bundled.trigger()  # File ▸ Open Recent ▸ Bundled Briefings
    qtbot.waitUntil(lambda: not jobs(window).busy, timeout=10_000)
    iran = window.library.briefing("iran-russia")
    assert iran is not None and iran.meta.version == "2"
    assert [b.meta.version for b in window.library.older_versions("iran-russia")] == ["1"]


def test_closing_the_window_cancels_a_load(open_window, qtbot, tmp_path, monkeypatch) -> None:
    """Closing used to wait for the load to finish (the pool's threads are joined on close)."""
    window = open_window()
    steps: list[int] = []

    def loader(dirs, progress=None):
        for n in range(1000):  # 10 s unless cancelled
            steps.append(n)
            threading.Event().wait(0.01)
            if progress is not None:
                progress(n % 10, 10)
        return load_library(dirs, progress)

    monkeypatch.setattr(library_folders, "load_library", loader)
    assert window.folders.open(str(other_folder(tmp_path)))
    qtbot.waitUntil(lambda: len(steps) > 2, timeout=5000)
    window.close()
    assert not jobs(window).pool.activeThreadCount()  # the load is over when close returns ...
    assert len(steps) < 1000  # ... because it was cancelled, not finished
    assert window.settings.content_folder == ""  # and nothing of it was kept
