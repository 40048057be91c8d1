"""File ▸ Print…, Print Preview… and Export PDF… in the window, plus the self-test check.

Page set-up (size, orientation, margins) is kept in Settings between runs. Print and Export PDF
lay out and paint in a pool thread (`PrintTasks`: status-bar progress and Cancel), so a whole
large briefing never freezes the window. Print Preview lays its document out there too and opens
the preview dialog once it is ready; see `_paint_preview` for what is left on the GUI thread.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from reader.content import Briefing, Section
from reader.content.print_job import (
    PrintAnnotation,
    PrintError,
    PrintJob,
    PrintOptions,
    Progress,
    Stage,
    make_job,
    report,
)
from reader.ui.features.printing.tasks import PrintTasks
from reader.ui.shell.action_registry import ActionSpec
from reader.ui.shell.feature_host import Feature
from reader.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from reader.qtgui.print_layout import PrintDocument

# QtPrintSupport, the page layout and the print dialog load when the reader first prints: the
# menu entries are all a start needs (each import below says so).

log = logging.getLogger(__name__)
# Annotations to print for a briefing; the annotations feature sets `controller.annotation_source`.
AnnotationSource = Callable[[Briefing], Iterable[PrintAnnotation]]
PREVIEW_SIZE = QSize(900, 900)  # about a page at a readable scale, where the screen has room
# Room kept for the window manager's frame (title bar, borders): not known before it is shown.
FRAME_ROOM = QSize(16, 48)


def fit_on_screen(dialog: QWidget, wanted: QSize, over: QWidget) -> None:
    """Size `dialog` to `wanted`, but no larger than the available screen `over` is on (a fixed
    900x900 was 1800 px tall on a 1536 px HiDPI screen), centred over `over` and kept on it."""
    screen = over.screen()
    if screen is None:
        dialog.resize(wanted)
        return
    room = screen.availableGeometry()
    size = wanted.boundedTo(room.size() - FRAME_ROOM).expandedTo(dialog.minimumSize())
    dialog.resize(size)
    frame = QRect(0, 0, size.width() + FRAME_ROOM.width(), size.height() + FRAME_ROOM.height())
    frame.moveCenter(over.frameGeometry().center())
    left = max(room.left(), min(frame.left(), room.right() + 1 - frame.width()))
    top = max(room.top(), min(frame.top(), room.bottom() + 1 - frame.height()))
    dialog.move(left, top)


@dataclass
class PreparedPreview:
    """A print document laid out off the GUI thread for one printer's page set-up."""

    doc: PrintDocument | None  # None once the preview closed (frees a big document)
    fits: tuple[int, object]  # (resolution, paint rectangle in pixels) it was laid out for


def page_fit(printer: QPrinter) -> tuple[int, object]:
    """What a laid-out document depends on: the printer's resolution and paint rectangle."""
    return printer.resolution(), printer.pageLayout().paintRectPixels(printer.resolution())


def prepare_preview(printer: QPrinter, job: PrintJob, progress: Progress) -> PreparedPreview:
    """Lay the job out for `printer` (in a pool thread: the printer is only measured, and nobody
    else uses it meanwhile), then hand the document over to the GUI thread, which paints it."""
    from reader.qtgui.printing import layout_document

    fits = page_fit(printer)
    doc = layout_document(printer, job, progress)
    report(progress, Stage.LAYOUT, 1, 1)  # a Cancel during the last step still counts
    app = QCoreApplication.instance()
    assert app is not None
    doc.moveToThread(app.thread())  # only its own thread may push it
    return PreparedPreview(doc, fits)


class PrintController(QObject):
    """Owns the print actions of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.annotation_source: AnnotationSource | None = None
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.tasks = PrintTasks(window)

    # -- settings ------------------------------------------------------------------------------
    def options(self) -> PrintOptions:
        """Page set-up from the settings (bad stored margins fall back to the defaults)."""
        s = self.settings
        opts = PrintOptions(page_size=s.print_page_size, landscape=s.print_landscape)
        try:
            margins = tuple(float(v) for v in s.print_margins_mm.split(","))
            if len(margins) == 4 and all(0 <= m < 100 for m in margins):
                opts.margins_mm = margins  # len() == 4 narrows it to four floats
        except ValueError:
            log.warning("ignoring stored print margins %r", s.print_margins_mm)
        return opts

    def remember_layout(self, printer: QPrinter) -> None:
        from reader.qtgui.printing import options_from_layout  # on first print

        opts = options_from_layout(self.options(), printer.pageLayout())
        s = self.settings
        s.print_page_size = opts.page_size
        s.print_landscape = opts.landscape
        s.print_margins_mm = ",".join(f"{m:g}" for m in opts.margins_mm)

    def make_printer(self) -> QPrinter:
        from PySide6.QtPrintSupport import QPrinter  # on first print

        from reader.qtgui.printing import page_layout

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
        from reader.ui.features.printing.dialog import PrintOptionsDialog  # on first print

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

        from reader.qtgui.printing import to_printer

        job = self.ask("Print…")
        if job is None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.remember_layout(printer)
        # From here only the pool thread uses the printer (Qt paints QPrinter in any thread).
        self.tasks.start("Printing", lambda progress: to_printer(printer, job, progress),
                         self._printed)

    def _printed(self, pages: int) -> None:
        self.window.statusBar().showMessage(f"Sent {pages} page(s) to the printer.", 5000)

    def preview(self) -> None:
        job = self.ask("Preview")
        if job is not None:
            self.start_preview(job)

    def start_preview(self, job: PrintJob) -> None:
        """Lay the job out in the background; the preview dialog opens when it is ready."""
        printer = self.make_printer()
        self.tasks.start("Preparing the preview",
                         lambda progress: prepare_preview(printer, job, progress),
                         lambda prepared: self._open_preview(printer, job, prepared))

    def _open_preview(self, printer: QPrinter, job: PrintJob, prepared: PreparedPreview) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog  # on first preview

        if self.preview_dialog is not None:
            self.preview_dialog.deleteLater()  # an earlier preview, closed
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setWindowTitle(f"Print Preview — {job.title}")
        dialog.paintRequested.connect(lambda p: self._paint_preview(p, job, prepared))
        dialog.finished.connect(lambda _result: self._preview_closed(printer, prepared))
        fit_on_screen(dialog, PREVIEW_SIZE, self.window)
        self.preview_dialog = dialog
        dialog.open()  # window-modal, returns at once: the window keeps repainting

    def _paint_preview(self, printer: QPrinter, job: PrintJob, prepared: PreparedPreview) -> None:
        """Paint the prepared document's pages into the preview.

        QPrintPreviewDialog records every page on the GUI thread and has no way to take pages
        painted elsewhere, so only the painting happens here: at 2,000 sections the layout, which
        took most of the time, is done already. When the page set-up was changed in the dialog,
        the document no longer fits; rather than lay it out again here (freezing the window), the
        dialog closes and the preview is prepared anew in the background with the new set-up.
        """
        from reader.qtgui.printing import paint_document

        if prepared.doc is None or page_fit(printer) != prepared.fits:
            QTimer.singleShot(0, lambda: self._redo_preview(job))
            return
        try:
            paint_document(printer, prepared.doc, job)
        except PrintError as exc:  # an exception must not escape into Qt's signal machinery
            log.exception("print preview failed")
            self.window.statusBar().showMessage(f"Preview failed: {exc}", 8000)

    def _preview_closed(self, printer: QPrinter, prepared: PreparedPreview) -> None:
        self.remember_layout(printer)
        prepared.doc = None

    def _redo_preview(self, job: PrintJob) -> None:
        dialog = self.preview_dialog
        if dialog is not None and dialog.isVisible():
            dialog.close()  # remembers the new page set-up
        self.start_preview(job)

    def export_pdf(self) -> None:
        from reader.qtgui.printing import to_pdf  # on first export

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
        self.tasks.start("Exporting PDF", lambda progress: to_pdf(path, job, progress),
                         lambda pages: self.window.statusBar().showMessage(
                             f"Exported {pages} page(s) to {path}.", 8000))


def check_pdf_export(window: MainWindow) -> str:
    """Self-test: export the whole first briefing to a temp PDF and check it is a real PDF."""
    from reader.qtgui.printing import to_pdf

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


class PrintingFeature(Feature):
    """Print, Print Preview and Export PDF in the File menu (above Quit)."""

    controller: PrintController

    def install(self) -> None:
        window = self.window
        controller = self.controller = PrintController(window)
        r = self.services.actions
        r.declare(ActionSpec("print", "&Print…", "file", "print", (QKeySequence.StandardKey.Print,)),
                  controller.print_)
        r.declare(ActionSpec("print_preview", "Print Pre&view…", "file", "print"),
                  controller.preview)
        r.declare(ActionSpec("export_pdf", "&Export PDF…", "file", "print", ("Ctrl+Shift+E",)),
                  controller.export_pdf)

    def self_test(self) -> str:
        return check_pdf_export(self.window)
