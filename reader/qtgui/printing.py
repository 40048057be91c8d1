"""Printing and PDF export, shared by the window and the command line.

`to_printer(printer, job)` and `to_pdf(path, job)` lay the job out once (`print_layout`) and paint
it page by page: `QTextDocument` paginates and honours page breaks, while we draw each page
ourselves so every page gets a running header (briefing title, date) and a "Page X of Y" footer,
which `QTextDocument.print_()` cannot do. Text stays text, so PDFs are vector and searchable.

Both may run in a worker thread (the window does so; the command line calls them directly): Qt
allows QTextDocument, fonts and QPainter on a QPdfWriter or QPrinter outside the GUI thread as
long as each object is made and used in one thread at a time, and nothing here touches a widget.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from reader import APP_NAME, __version__
from reader.content.bidi import is_rtl
from reader.content.page import nice_date
from reader.content.print_job import (
    Cancelled,
    PrintError,
    PrintJob,
    PrintOptions,
    Progress,
    Stage,
    report,
)
from reader.qtgui.fonts import first_installed, install_script_fallback
from reader.qtgui.pdf_outline import Mark, add_outline
from reader.qtgui.print_layout import (
    PRINT_SANS,
    PrintDocument,
    build_document,
    finish_layout,
    heading_positions,
)

log = logging.getLogger(__name__)

HEADER_PT = 26.0  # band at the top of each page: running header, rule, gap before the text
FOOTER_PT = 24.0  # band at the bottom: gap, "Page X of Y"
FURNITURE_PT = 8.0  # size of header and footer text

def page_layout(options: PrintOptions) -> QPageLayout:
    """The QPageLayout for stored options (unknown page size names fall back to A4)."""
    size_id = getattr(QPageSize.PageSizeId, options.page_size, QPageSize.PageSizeId.A4)
    orientation = (QPageLayout.Orientation.Landscape if options.landscape
                   else QPageLayout.Orientation.Portrait)
    left, top, right, bottom = options.margins_mm
    return QPageLayout(QPageSize(size_id), orientation, QMarginsF(left, top, right, bottom),
                       QPageLayout.Unit.Millimeter)


def options_from_layout(options: PrintOptions, layout: QPageLayout) -> PrintOptions:
    """A copy of `options` with the page size, orientation and margins of `layout`."""
    m = layout.margins(QPageLayout.Unit.Millimeter)
    return PrintOptions(
        include_highlights=options.include_highlights,
        include_notes=options.include_notes,
        page_size=layout.pageSize().key() or options.page_size,
        landscape=layout.orientation() == QPageLayout.Orientation.Landscape,
        margins_mm=(round(m.left(), 1), round(m.top(), 1), round(m.right(), 1), round(m.bottom(), 1)),
        font_size=options.font_size,
    )


# -- entry points ----------------------------------------------------------------------------
def to_pdf(path: Path, job: PrintJob, progress: Progress | None = None) -> int:
    """Write the job to a PDF file with title/author metadata; returns the number of pages.

    The PDF is written to a hidden file next to `path` and moved over it once complete, so a
    cancelled or failed export never leaves a partial PDF at `path` (an older file stays).
    """
    path = Path(path)
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:  # QPdfWriter only warns on an unwritable path; find out first and say so clearly
        with part.open("xb"):
            pass
    except OSError as exc:
        raise PrintError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        pages = _write_pdf(part, job, progress)
        os.replace(part, path)
    except OSError as exc:
        raise PrintError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)  # gone already once moved into place
    return pages


def _write_pdf(path: Path, job: PrintJob, progress: Progress | None) -> int:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout(job.options))
    writer.setTitle(job.title)
    writer.setAuthor(job.briefing.meta.author)
    writer.setCreator(f"{APP_NAME} {__version__}")
    try:
        doc = layout_document(writer, job, progress)
        pages = paint_document(writer, doc, job, progress)
        marks = heading_marks(doc, job, writer)
        del doc  # laid out for the writer: goes first
    finally:
        del writer  # closes the file before it is moved into place or removed
    # Qt writes the contents' links (to named destinations at the anchors) but no bookmarks
    add_outline(path, marks)
    return pages


def heading_marks(doc: PrintDocument, job: PrintJob, device: QPagedPaintDevice) -> list[Mark]:
    """Where each printed section's heading is, in PDF points, with its level among them."""
    by_id = {s.id: s for s in job.sections}
    layout = device.pageLayout()
    point = QPageLayout.Unit.Point
    page_top = layout.fullRect(point).height() - layout.paintRect(point).top()  # PDF y of the text's top
    scale = 72 / device.logicalDpiY()
    marks = []
    for sid, page, y in heading_positions(doc):
        section = by_id.get(sid)
        if section is not None:  # a little above the heading, so that it shows whole
            marks.append(Mark(section.title, section.level - 1, page, round(page_top - y * scale + 4, 1)))
    return marks


def to_printer(printer: QPrinter, job: PrintJob, progress: Progress | None = None) -> int:
    """Print the job on a configured printer (also the print preview's); returns pages printed."""
    printer.setDocName(job.title)
    printer.setCreator(f"{APP_NAME} {__version__}")
    try:
        return paint_job(printer, job, progress)
    except Cancelled:
        printer.abort()
        raise


_HEADLESS_APP: list[QGuiApplication] = []  # the command line's Qt application, kept while painting


def export_headless(path: Path, job: PrintJob) -> int:
    """`to_pdf` from a command line: starts an offscreen Qt GUI application if none is running."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _HEADLESS_APP.append(QGuiApplication(["briefing-reader"]))  # outlives this call
    return to_pdf(path, job)


# -- painting --------------------------------------------------------------------------------
def layout_document(device: QPagedPaintDevice, job: PrintJob,
                    progress: Progress | None = None) -> PrintDocument:
    """The paginated document for the device's current page layout."""
    install_script_fallback()  # Arabic-script text in every style, embedded in the PDF
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    # a PDF gets a table of contents (its links clickable), paper does not
    return build_document(job, device, rect.width(), rect.height(), HEADER_PT, FOOTER_PT,
                          progress, contents=isinstance(device, QPdfWriter))


def paint_job(device: QPagedPaintDevice, job: PrintJob, progress: Progress | None = None) -> int:
    """Lay out and paint every page of the job on `device`; returns the number of pages."""
    return paint_document(device, layout_document(device, job, progress), job, progress)


def paint_document(device: QPagedPaintDevice, doc: PrintDocument, job: PrintJob,
                   progress: Progress | None = None) -> int:
    """Paint every page of a document laid out for `device`'s page layout; returns the pages."""
    total = finish_layout(doc)
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("the printer or file could not be opened for printing")
    try:
        for page in range(total):
            report(progress, Stage.PAGES, page, total)
            if page and not device.newPage():
                raise PrintError("the printer refused a new page")
            _paint_page(painter, doc, job, page, total)
    finally:
        painter.end()
    if progress is not None:  # done: too late to cancel
        progress(Stage.PAGES, total, total)
    log.info("printed %s: %d section(s), %d page(s)", job.title, len(job.sections), total)
    return total


def _paint_page(painter: QPainter, doc: PrintDocument, job: PrintJob, page: int, total: int) -> None:
    size = doc.pageSize()
    painter.save()
    painter.translate(0, -page * size.height())
    clip = QRectF(0, page * size.height(), size.width(), size.height())
    painter.setClipRect(clip)
    # drawContents, not documentLayout().draw() with a Python PaintContext: PySide6 6.12 drops a
    # reference to None on every PaintContext.palette access and draw() call, which crashes the
    # interpreter once enough pages are printed. Black text comes from the print stylesheet.
    doc.drawContents(painter, clip)
    painter.restore()
    _paint_furniture(painter, job, page, total, size.width(), size.height())


def _paint_furniture(painter: QPainter, job: PrintJob, page: int, total: int,
                     width: float, height: float) -> None:
    """Running header (title left, date right, thin rule) and the centred page footer."""
    dpi = painter.device().logicalDpiY()
    pt = dpi / 72
    font = QFont(first_installed(PRINT_SANS))
    font.setPointSizeF(FURNITURE_PT)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor("#222222"))
    metrics = QFontMetricsF(font, painter.device())
    line = metrics.height()
    date = nice_date(job.briefing.meta.date)
    title = metrics.elidedText(job.title, Qt.TextElideMode.ElideRight,
                               width - metrics.horizontalAdvance(date) - 24 * pt)
    top = QRectF(0, 0, width, line)
    # A right-to-left title runs its own way and stands at the right, the date at the left.
    rtl = is_rtl(job.title)
    heading = QTextOption((Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
                          | Qt.AlignmentFlag.AlignAbsolute)  # not mirrored by the direction
    heading.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    painter.drawText(top.adjusted(0, (line - metrics.height()) / 2, 0, 0), title, heading)
    painter.drawText(top, (Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight)
                     | Qt.AlignmentFlag.AlignVCenter, date)
    painter.setPen(QPen(QColor("#777777"), 0.5 * pt))
    rule = line + 3 * pt
    painter.drawLine(0, int(rule), int(width), int(rule))
    painter.setPen(QColor("#222222"))
    bottom = QRectF(0, height - line, width, line)
    painter.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                     f"Page {page + 1} of {total}")
    painter.restore()
