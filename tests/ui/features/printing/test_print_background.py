"""Print, Print Preview and Export PDF off the GUI thread, in the real window (offscreen): the
event loop keeps turning while they run, their progress shows in the status bar, Cancel leaves no
file (or no dialog), failures are a message, and the finished PDF holds every page.

A gate (a threading.Event) holds the worker at a chosen step, so what the window does meanwhile
is checked deterministically rather than by racing a fast machine."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdf
import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog

import reader.qtgui.print_layout as print_layout
import reader.qtgui.printing as printing
from tests.conftest import write_briefing
from tests.pdf_helpers import page_texts
from tests.ui.features_of import printing_of

SECTIONS = 40


class Gate:
    """Wraps a function so its first call (in the worker) records the thread and waits."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.threads: set[int] = set()
        original = getattr(module, name)

        def gated(*args, **kwargs):
            self.threads.add(threading.get_ident())
            if not self.entered.is_set():
                self.entered.set()
                assert self.release.wait(30), "the test never opened the gate"
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, gated)

    def open(self) -> None:
        self.release.set()


@pytest.fixture
def window(open_window, content_dir):
    body = "".join(f"## Part {i}\n\nPart {i} says: " + "words of the report go here. " * 60
                   + "\n\n" for i in range(1, SECTIONS))
    write_briefing(content_dir, "big.md", f"# Big\n\n{body}", id="big", title="Big Briefing",
                   date="2099-01-01")  # newest, so it is the first briefing
    win = open_window(content_dir, size=None)
    big = win.library.briefing("big")
    printing_of(win).ask = lambda verb: printing_of(win).job(list(big.sections()))
    return win


@pytest.fixture
def ticks(qtbot):
    """A GUI-thread timer's tick count: it only grows while the event loop turns."""
    count = [0]
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: count.__setitem__(0, count[0] + 1))
    timer.start()
    yield count
    timer.stop()


def export_to(monkeypatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))


def message(window) -> str:
    return window.statusBar().currentMessage()


def test_export_runs_in_a_worker_while_the_window_keeps_turning(
        qtbot, window, tmp_path, monkeypatch, ticks):
    target = tmp_path / "big.pdf"
    export_to(monkeypatch, target)
    gate = Gate(monkeypatch, printing, "_paint_page")
    window.actions_by_name["export_pdf"].trigger()
    assert gate.entered.wait(30)
    before = ticks[0]
    qtbot.waitUntil(lambda: ticks[0] >= before + 5)  # the worker is held: the loop still turns
    tasks = printing_of(window).tasks
    qtbot.waitUntil(lambda: tasks.label.text().startswith("Exporting PDF: page 1 of "))
    assert tasks.bar.isVisible() and tasks.cancel_button.isEnabled()
    assert not target.exists()
    gate.open()
    qtbot.waitUntil(lambda: "Exported" in message(window), timeout=30_000)
    assert gate.threads and threading.get_ident() not in gate.threads
    assert not tasks.bar.isVisible()
    pages = page_texts(target)
    assert f"Exported {len(pages)} page(s) to {target}" in message(window)
    assert len(pages) >= 5 and all(f"Page {n} of {len(pages)}" in text
                                   for n, text in enumerate(pages, 1))
    text = " ".join(pages)
    assert all(f"Part {i} says" in text for i in range(1, SECTIONS))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cancel_leaves_no_file_at_the_target(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "big.pdf"
    export_to(monkeypatch, target)
    gate = Gate(monkeypatch, printing, "_paint_page")
    window.actions_by_name["export_pdf"].trigger()
    assert gate.entered.wait(30)
    tasks = printing_of(window).tasks
    qtbot.waitUntil(tasks.cancel_button.isVisible)
    qtbot.mouseClick(tasks.cancel_button, Qt.MouseButton.LeftButton)
    assert tasks.label.text() == "Cancelling…"
    gate.open()
    qtbot.waitUntil(lambda: "Exporting PDF cancelled." in message(window), timeout=30_000)
    assert not target.exists() and not list(tmp_path.glob(".big.pdf*"))
    assert not tasks.bar.isVisible()


def test_cancel_keeps_an_older_pdf_and_the_next_export_works(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "big.pdf"
    target.write_bytes(b"%PDF-older")
    export_to(monkeypatch, target)
    gate = Gate(monkeypatch, print_layout, "keep_headings_with_next")  # cancel while laying out
    window.actions_by_name["export_pdf"].trigger()
    assert gate.entered.wait(30)
    printing_of(window).tasks.cancel()
    gate.open()
    qtbot.waitUntil(lambda: "cancelled" in message(window), timeout=30_000)
    assert target.read_bytes() == b"%PDF-older"
    window.actions_by_name["export_pdf"].trigger()
    qtbot.waitUntil(lambda: "Exported" in message(window), timeout=30_000)
    assert len(pypdf.PdfReader(str(target)).pages) >= 5


def test_a_second_job_waits_for_the_first(qtbot, window, tmp_path, monkeypatch):
    export_to(monkeypatch, tmp_path / "big.pdf")
    gate = Gate(monkeypatch, printing, "_paint_page")
    window.actions_by_name["export_pdf"].trigger()
    assert gate.entered.wait(30)
    window.actions_by_name["export_pdf"].trigger()
    assert "Still exporting PDF; cancel it first." in message(window)
    gate.open()
    qtbot.waitUntil(lambda: "Exported" in message(window), timeout=30_000)


def test_unwritable_target_is_a_message_and_leaves_nothing(qtbot, window, tmp_path, monkeypatch):
    """The folder refuses the finished PDF (as a read-only folder would; the tests may run as
    root, which ignores permissions, so the refusal is made at os.replace)."""
    target = tmp_path / "out" / "big.pdf"
    target.parent.mkdir()
    export_to(monkeypatch, target)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(printing.os, "replace", refuse)
    shown = []
    monkeypatch.setattr("reader.ui.features.printing.tasks.QMessageBox.warning",
                        lambda parent, title, text: shown.append((title, text)))
    window.actions_by_name["export_pdf"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [("Exporting PDF",
                      f"Exporting PDF failed: cannot write {target}: Permission denied")]
    assert list(target.parent.iterdir()) == []
    assert not printing_of(window).tasks.busy


def test_a_folder_that_is_a_file_is_a_message(qtbot, window, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    export_to(monkeypatch, blocker / "big.pdf")
    shown = []
    monkeypatch.setattr("reader.ui.features.printing.tasks.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    window.actions_by_name["export_pdf"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "cannot write" in shown[0] and blocker.read_text() == "not a folder"


def test_preview_is_laid_out_in_a_worker_then_opens(qtbot, window, monkeypatch, ticks):
    gate = Gate(monkeypatch, print_layout, "keep_headings_with_next")
    window.actions_by_name["print_preview"].trigger()
    assert gate.entered.wait(30)
    before = ticks[0]
    qtbot.waitUntil(lambda: ticks[0] >= before + 5)
    assert printing_of(window).preview_dialog is None  # opens once the layout is done
    assert printing_of(window).tasks.label.text().startswith("Preparing the preview")
    gate.open()
    qtbot.waitUntil(lambda: printing_of(window).preview_dialog is not None, timeout=30_000)
    assert threading.get_ident() not in gate.threads
    dialog = printing_of(window).preview_dialog
    qtbot.waitUntil(dialog.isVisible)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 5)
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_cancelled_preview_opens_no_dialog(qtbot, window, monkeypatch):
    gate = Gate(monkeypatch, print_layout, "keep_headings_with_next")
    window.actions_by_name["print_preview"].trigger()
    assert gate.entered.wait(30)
    qtbot.mouseClick(printing_of(window).tasks.cancel_button, Qt.MouseButton.LeftButton)
    gate.open()
    qtbot.waitUntil(lambda: "Preparing the preview cancelled." in message(window),
                    timeout=30_000)
    qtbot.wait(50)
    assert printing_of(window).preview_dialog is None


def test_preview_with_a_new_page_setup_is_prepared_again(qtbot, window):
    """Changing orientation in the preview lays the document out again in the background."""
    from PySide6.QtGui import QPageLayout

    window.actions_by_name["print_preview"].trigger()
    qtbot.waitUntil(lambda: printing_of(window).preview_dialog is not None, timeout=30_000)
    first = printing_of(window).preview_dialog
    qtbot.waitUntil(first.isVisible)
    preview = first.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 5)
    portrait_pages = preview.pageCount()
    preview.setLandscapeOrientation()  # what the dialog's toolbar button does
    qtbot.waitUntil(lambda: printing_of(window).preview_dialog is not first, timeout=30_000)
    again = printing_of(window).preview_dialog
    qtbot.waitUntil(again.isVisible)
    # The first dialog is hidden, or already deleted (deleteLater ran while waiting: a busy machine)
    assert not shiboken6.isValid(first) or not first.isVisible()
    assert window.settings.print_landscape is True
    assert again.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    fresh = again.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: fresh.pageCount() > portrait_pages)  # wider pages, more of them
    again.close()
