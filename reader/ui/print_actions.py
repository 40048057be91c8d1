"""File ▸ Print…, Print Preview… and Export PDF… in the window, plus the self-test check.

Page set-up (size, orientation, margins) is kept in Settings between runs. Printing runs on the
GUI thread (Qt paints a QPrinter only there), so feedback comes from a wait cursor during layout
and a cancellable progress dialog page by page; the event loop keeps running between pages.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QProgressDialog

from reader.content import Briefing, Section
from reader.content.print_job import PrintAnnotation, PrintJob, PrintOptions, make_job
from reader.ui.application import SELF_TEST_CHECKS
from reader.ui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from reader.ui.printing import Progress

# QtPrintSupport, the page layout and the print dialog load when the reader first prints: the
# menu entries are all a start needs (each import below says so).

log = logging.getLogger(__name__)
# Annotations to print for a briefing; the annotations feature sets `controller.annotation_source`.
AnnotationSource = Callable[[Briefing], Iterable[PrintAnnotation]]


class PrintController(QObject):
    """Owns the print actions of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.annotation_source: AnnotationSource | None = None
        self.preview_dialog: QPrintPreviewDialog | None = None

    # -- settings ------------------------------------------------------------------------------
    def options(self) -> PrintOptions:
        """Page set-up from the settings (bad stored margins fall back to the defaults)."""
        s = self.settings
        opts = PrintOptions(page_size=s.print_page_size, landscape=s.print_landscape)
        try:
            margins = tuple(float(v) for v in s.print_margins_mm.split(","))
            if len(margins) == 4 and all(0 <= m < 100 for m in margins):
                opts.margins_mm = margins  # type: ignore[assignment]
        except ValueError:
            log.warning("ignoring stored print margins %r", s.print_margins_mm)
        return opts

    def remember_layout(self, printer: QPrinter) -> None:
        from reader.ui.printing import options_from_layout  # on first print

        opts = options_from_layout(self.options(), printer.pageLayout())
        s = self.settings
        s.print_page_size = opts.page_size
        s.print_landscape = opts.landscape
        s.print_margins_mm = ",".join(f"{m:g}" for m in opts.margins_mm)

    def make_printer(self) -> QPrinter:
        from PySide6.QtPrintSupport import QPrinter  # on first print

        from reader.ui.printing import page_layout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.options()))
        return printer

    # -- what to print -------------------------------------------------------------------------
    def job(self, sections: list[Section], highlights: bool = False, notes: bool = False) -> PrintJob:
        opts = self.options()
        opts.include_highlights, opts.include_notes = highlights, notes
        annotations: list[PrintAnnotation] = []
        briefing = sections[0].briefing if sections else None
        if (highlights or notes) and self.annotation_source is not None and briefing is not None:
            annotations = list(self.annotation_source(briefing))
        return make_job(sections, opts, annotations)

    def ask(self, verb: str) -> PrintJob | None:
        """Ask what to print (tests replace this); None when there is nothing or it was cancelled."""
        section = self.window.visible_section() or self.window.current
        if section is None:
            self.window.statusBar().showMessage("Open a section to print first.", 5000)
            return None
        from reader.ui.print_dialog import PrintOptionsDialog  # on first print

        dialog = PrintOptionsDialog(section, self.settings, verb, self.window)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return self.job(dialog.sections(), dialog.highlights.isChecked(),
                            dialog.notes.isChecked())
        finally:
            dialog.deleteLater()

    # -- actions -------------------------------------------------------------------------------
    def print_(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog  # on first print

        from reader.ui.printing import to_printer

        job = self.ask("Print…")
        if job is None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.remember_layout(printer)
        pages = self.run("Printing", lambda progress: to_printer(printer, job, progress))
        if pages is not None:
            self.window.statusBar().showMessage(f"Sent {pages} page(s) to the printer.", 5000)

    def preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog  # on first preview

        job = self.ask("Preview")
        if job is None:
            return
        printer = self.make_printer()
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setWindowTitle(f"Print Preview — {job.title}")
        dialog.paintRequested.connect(lambda p: self._paint_preview(p, job))
        dialog.finished.connect(lambda _result: self.remember_layout(printer))
        dialog.resize(900, 900)
        self.preview_dialog = dialog
        dialog.open()  # window-modal, returns at once: the window keeps repainting

    def _paint_preview(self, printer: QPrinter, job: PrintJob) -> None:
        from reader.ui.printing import PrintError, to_printer

        try:
            to_printer(printer, job)
        except PrintError as exc:  # an exception must not escape into Qt's signal machinery
            log.exception("print preview failed")
            self.window.statusBar().showMessage(f"Preview failed: {exc}", 8000)

    def export_pdf(self) -> None:
        from reader.ui.printing import to_pdf  # on first export

        job = self.ask("Export PDF…")
        if job is None:
            return
        folder = self.settings.print_folder or str(Path.home())
        default = Path(folder) / f"{job.briefing.id}.pdf"
        name, _ = QFileDialog.getSaveFileName(self.window, "Export PDF", str(default),
                                              "PDF files (*.pdf)")
        if not name:
            return
        path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        self.settings.print_folder = str(path.parent)
        pages = self.run("Exporting PDF", lambda progress: to_pdf(path, job, progress))
        if pages is not None:
            self.window.statusBar().showMessage(f"Exported {pages} page(s) to {path}.", 8000)

    def run(self, label: str, work: Callable[[Progress], int]) -> int | None:
        """Run a print with feedback: wait cursor while laying out, then a progress dialog."""
        from reader.ui.printing import Cancelled, PrintError

        dialog = QProgressDialog(f"{label}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # short prints finish before it would flash up
        self.window.statusBar().showMessage(f"{label}: laying out pages…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()

        def progress(done: int, total: int) -> bool:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"{label}: page {min(done + 1, total)} of {total}")
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            return work(progress)
        except Cancelled:
            self.window.statusBar().showMessage(f"{label} cancelled.", 5000)
        except PrintError as exc:
            log.exception("%s failed", label)
            self.window.statusBar().clearMessage()
            QMessageBox.warning(self.window, label, str(exc))
        finally:
            QApplication.restoreOverrideCursor()
            dialog.reset()
            dialog.deleteLater()
        return None


def check_pdf_export(window: MainWindow) -> str:
    """Self-test: export the whole first briefing to a temp PDF and check it is a real PDF."""
    from reader.ui.printing import to_pdf

    if not window.library.briefings:
        raise RuntimeError("no briefing to export")
    briefing = window.library.briefings[0]
    with tempfile.TemporaryDirectory(prefix="briefing-reader-pdf-") as tmp:
        path = Path(tmp) / "selftest.pdf"
        pages = to_pdf(path, make_job(list(briefing.sections())))
        data = path.read_bytes()
    if pages < 1 or not data.startswith(b"%PDF") or len(data) < 1000:
        raise RuntimeError(f"PDF export produced {len(data)} bytes, {pages} page(s)")
    return f"exported “{briefing.title}” to PDF: {pages} page(s), {len(data):,} bytes"


def install(window: MainWindow) -> None:
    """Add the print actions to the File menu (above Quit) and the self-test check."""
    controller = PrintController(window)
    window.printing = controller  # type: ignore[attr-defined]
    quit_action = window.actions_by_name.get("quit")
    actions = [
        window.add_action("file", "print", "&Print…", controller.print_, QKeySequence.StandardKey.Print),
        window.add_action("file", "print_preview", "Print Pre&view…", controller.preview),
        window.add_action("file", "export_pdf", "&Export PDF…", controller.export_pdf, "Ctrl+Shift+E"),
    ]
    if quit_action is not None:  # keep Quit last
        menu = window.menus["file"]
        for action in actions:
            menu.removeAction(action)
            menu.insertAction(quit_action, action)
        menu.insertSeparator(quit_action)
    if check_pdf_export not in SELF_TEST_CHECKS:
        SELF_TEST_CHECKS.append(check_pdf_export)
