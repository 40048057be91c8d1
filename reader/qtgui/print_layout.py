"""The print document: one paginated `QTextDocument` laid out for a paint device (printer or PDF).

Built from the core's section HTML with a print stylesheet (black on white, paper fonts), then
edited in place: highlights and note markers at offsets of `section_plain_text`, link targets
after external links, code lines too long for the page wrapped with a continuation mark, images
scaled down to the page width, and page breaks that keep every heading with the text that
follows it.
Drawing the pages (header, footer, page numbers) is `reader.qtgui.printing`'s job.

Everything here may run in a worker thread: the document is created, laid out and painted in
the thread that builds it, and no widget is touched. Long steps report progress (which may
cancel by raising `Cancelled`) every section or every `REPORT_EVERY` blocks.
"""

from __future__ import annotations

import bisect
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImageReader,
    QPaintDevice,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextOption,
)

from reader.content.model import Section
from reader.content.page import nice_date
from reader.content.print_job import (
    PrintAnnotation,
    PrintJob,
    Progress,
    Stage,
    link_target,
    report,
)
from reader.content.render import scope_footnotes, section_body_html, section_plain_text
from reader.qtgui.fonts import first_installed

log = logging.getLogger(__name__)

# Book faces first: these read better on paper than the screen faces of reader/qtgui/fonts.py.
PRINT_SERIF = ["Charter", "Source Serif 4", "Palatino Linotype", "Palatino", "P052",
               "Book Antiqua", "Georgia", "Cambria", "Noto Serif", "DejaVu Serif", "Times New Roman"]
PRINT_SANS = ["Inter", "Helvetica Neue", "Helvetica", "Nimbus Sans", "Arial", "Noto Sans",
              "Segoe UI", "DejaVu Sans", "Liberation Sans"]
PRINT_MONO = ["Noto Sans Mono", "DejaVu Sans Mono", "Consolas", "Menlo", "Courier New"]
ANCHOR = "print-"  # prefix of the anchors that start a section (or a notes list) in the document
NOTES = "print-notes-"
_PARAGRAPH = re.compile(r"<p(?=[\s>])")
LINK_GREY = "#555555"
CONTENTS_INDENT_PT = 14  # a sub-section's line in the table of contents, per level
PX_PER_PT = 96 / 72  # Qt scales CSS px and frame margins from a 96 dpi reference to the device
REPORT_EVERY = 64  # blocks between progress reports while paginating
LAYOUT_STEP = 200  # blocks laid out per Qt call (see finish_layout)
CONTINUED = "\u21aa "  # starts the rest of a code line that did not fit the page width
LINE_BREAK = "\u2028"  # a line break inside a block (each line of code is a block of its own)
MAX_WRAPS = 200  # continuation lines one code line may get
PAGE_SLOT = "0000"  # a contents line's page number until the pages are known (up to 9999)
FIGURE_SPACE = "\u2007"  # as wide as a digit: the filled-in number keeps the line's width
CONTENTS_TARGET = QTextFormat.Property.UserProperty.value + 1  # block property: a contents line's section


def print_css(size: float) -> str:
    """Stylesheet for paper. Qt's CSS takes lengths in px only (96 per inch, scaled to the
    printer), so sizes are worked out in points from the body size and converted."""
    serif, sans, mono = (first_installed(f) for f in (PRINT_SERIF, PRINT_SANS, PRINT_MONO))

    def px(points: float) -> str:
        return f"{points * PX_PER_PT:.1f}px"

    return f"""
    body {{ font-family: "{serif}"; color: #000000; background-color: #ffffff; }}
    p {{ margin-top: 0px; margin-bottom: {px(size * 0.55)}; line-height: 110%; }}
    p, li, td, th, dd, dt, blockquote, pre, div, span {{ color: #000000; }}
    a {{ color: #000000; text-decoration: none; }}
    h1, h2, h3, h4, h5, h6 {{ font-family: "{sans}"; color: #000000; font-weight: 700; }}
    h1.title {{ font-size: {size * 1.7:.1f}pt; margin-top: {px(6)}; margin-bottom: {px(6)}; }}
    h2 {{ font-size: {size * 1.35:.1f}pt; margin-top: {px(size * 1.5)}; margin-bottom: {px(5)}; }}
    h3 {{ font-size: {size * 1.1:.1f}pt; margin-top: {px(size * 1.1)}; margin-bottom: {px(3)}; }}
    h4, h5, h6 {{ font-size: {size:.1f}pt; margin-top: {px(size)}; margin-bottom: {px(2)}; }}
    p.meta {{ font-family: "{sans}"; font-size: {size * 0.9:.1f}pt; text-align: left;
              margin-bottom: {px(2)}; }}
    p.scope {{ font-family: "{sans}"; font-size: {size * 0.8:.1f}pt; text-align: left;
               color: #333333; margin-bottom: {px(size * 1.6)}; }}
    p.contents-head {{ font-family: "{sans}"; font-size: {size:.1f}pt; font-weight: 700;
                       margin-bottom: {px(4)}; text-align: left; }}
    p.contents {{ font-family: "{sans}"; font-size: {size * 0.9:.1f}pt; margin-bottom: {px(2)};
                  text-align: left; }}
    p.notes-head {{ font-family: "{sans}"; font-size: {size * 0.85:.1f}pt; font-weight: 700;
                    margin-top: {px(size * 0.3)}; margin-bottom: {px(2)}; text-align: left; }}
    p.note {{ font-size: {size * 0.9:.1f}pt; margin-left: {px(12)}; margin-bottom: {px(2)};
              text-align: left; line-height: 105%; }}
    blockquote {{ margin-left: {px(18)}; margin-right: {px(18)}; font-style: italic; }}
    code, pre {{ font-family: "{mono}"; font-size: {size * 0.85:.1f}pt; }}
    li {{ margin-bottom: {px(2)}; line-height: 108%; }}
    th {{ font-family: "{sans}"; font-size: {size * 0.9:.1f}pt; padding: 3px; }}
    td {{ padding: 3px; }}
    """


class PrintDocument(QTextDocument):
    """A text document that loads images only from inside the briefing's folder."""

    def __init__(self, base_dir: Path | None) -> None:
        super().__init__()
        self._base = base_dir.resolve() if base_dir else None

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        name = QUrl(name)  # Qt passes a QUrl; the stub allows a string too
        if self._base is None or not name.isLocalFile():
            return None
        path = Path(name.toLocalFile()).resolve()
        if not path.is_relative_to(self._base):
            return None  # never read files outside the briefing, even for an image
        return super().loadResource(kind, name)


@dataclass
class NoteRef:
    number: int
    annotation: PrintAnnotation


def number_notes(job: PrintJob) -> dict[str, list[NoteRef]]:
    """Notes numbered 1, 2, ... through the whole print, by section key, in text order."""
    if not job.options.include_notes:
        return {}
    out: dict[str, list[NoteRef]] = {}
    n = 0
    for section in job.sections:
        for a in job.annotations_for(section):
            if a.note.strip():
                n += 1
                out.setdefault(section.key, []).append(NoteRef(n, a))
    return out


# -- HTML ------------------------------------------------------------------------------------
def title_block_html(job: PrintJob, root_anchor: bool = True) -> str:
    """Briefing title, date and author, and for a part of the briefing a line saying which.

    The root's anchor (where its text starts, for highlights) goes on the block's last line,
    unless `root_anchor` is False (a table of contents follows and takes it)."""
    meta = job.briefing.meta
    bits = [nice_date(meta.date)]
    if meta.author:
        bits.append(f"by {html.escape(meta.author)}")
    if meta.version:
        bits.append(f"version {html.escape(meta.version)}")
    lines = [("meta", " · ".join(bits))]
    if meta.source:
        lines.append(("meta", f"Source: {html.escape(meta.source)}"))
    if not job.covers_whole_briefing:  # the whole briefing needs no saying so
        lines.append(("scope", f"{len(job.sections)} section(s): "
                      + "; ".join(html.escape(s.title) for s in job.sections[:6])
                      + (" …" if len(job.sections) > 6 else "")))
    if root_anchor and job.briefing.root in job.sections:
        css, text = lines[-1]
        lines[-1] = (css, f'<a name="{ANCHOR}{html.escape(job.briefing.root.id)}"></a>{text}')
    gap = f' style="margin-bottom: {job.options.font_size * 1.6 * PX_PER_PT:.1f}px"'  # before the body
    out = f'<h1 class="title">{html.escape(job.title)}</h1>'
    return out + "".join(f'<p class="{css}"{gap if n == len(lines) - 1 else ""}>{text}</p>'
                         for n, (css, text) in enumerate(lines))


def section_html(section: Section, notes: list[NoteRef]) -> str:
    parts = []
    if section.parent is not None:  # the root's heading is the document title
        level = max(2, min(section.level, 6))
        parts.append(f'<h{level}><a name="{ANCHOR}{html.escape(section.id)}"></a>'
                     f"{section.title_html}</h{level}>")
    # Qt's CSS has no `text-align: justify`, but the old attribute works
    body = scope_footnotes(section_body_html(section), section.id)
    parts.append(_PARAGRAPH.sub('<p align="justify"', body))
    if notes:
        parts.append(f'<p class="notes-head"><a name="{NOTES}{html.escape(section.id)}"></a>Notes</p>')
        for ref in notes:
            parts.append(f'<p class="note"><b>{ref.number}.</b> {_note_html(section, ref.annotation)}</p>')
    return "\n".join(parts)


def _note_html(section: Section, a: PrintAnnotation) -> str:
    quote = section_plain_text(section)[a.start:a.end].strip()
    if len(quote) > 90:
        quote = quote[:87].rstrip() + "…"
    text = a.note_html or html.escape(a.note.strip()).replace("\n", "<br/>")
    return f"<i>“{html.escape(quote)}”</i> — {text}" if quote else text


def contents_sections(job: PrintJob) -> list[Section]:
    """The sections a table of contents lists: every printed heading, when there are several."""
    headed = [s for s in job.sections if s.parent is not None]
    return headed if len(headed) > 1 else []


def contents_html(job: PrintJob) -> str:
    """A table of contents, one line per section linking to it, indented by level, with a page
    number slot (`fill_contents`). The root's anchor goes on the last line, before its text."""
    sections = contents_sections(job)
    top = min(s.level for s in sections)
    out = ['<p class="contents-head">Contents</p>']
    for n, s in enumerate(sections):
        anchor = (f'<a name="{ANCHOR}{html.escape(job.briefing.root.id)}"></a>'
                  if n == len(sections) - 1 and job.briefing.root in job.sections else "")
        # Qt's block indent, CONTENTS_INDENT_PT each (build_document sets its width): a CSS
        # margin-left in px was taken as the printer's pixels, ~1 pt at 1,200 dpi.
        indent = f"-qt-block-indent:{s.level - top}"
        gap = f"; margin-bottom: {job.options.font_size * 1.6 * PX_PER_PT:.1f}px" if anchor else ""
        out.append(f'<p class="contents" style="{indent}{gap}">{anchor}'
                   f'<a href="#{ANCHOR}{html.escape(s.id)}">{s.title_html}</a>\u00a0\u00b7 {PAGE_SLOT}</p>')
    return "".join(out)


def document_html(job: PrintJob, notes: dict[str, list[NoteRef]],
                  progress: Progress | None = None, contents: bool = False) -> str:
    contents = contents and bool(contents_sections(job))
    body = [title_block_html(job, root_anchor=not contents)]
    if contents:
        body.append(contents_html(job))
    total = len(job.sections)
    for n, section in enumerate(job.sections):
        report(progress, Stage.SECTIONS, n, total)
        body.append(section_html(section, notes.get(section.key, [])))
    report(progress, Stage.SECTIONS, total, total)
    return "\n".join(body)


# -- building --------------------------------------------------------------------------------
def build_document(job: PrintJob, device: QPaintDevice, width: float, height: float,
                   header: float, footer: float, progress: Progress | None = None,
                   contents: bool = False) -> PrintDocument:
    """Lay out the job for `device` on pages of `width` x `height` device pixels.

    `header`/`footer` are the bands (in points) kept free at the top and bottom of each page;
    `contents` adds a table of contents when several sections are printed (PDF exports).
    """
    size = job.options.font_size
    doc = PrintDocument(job.briefing.base_dir)
    doc.documentLayout().setPaintDevice(device)  # measure text in the printer's resolution
    font = QFont(first_installed(PRINT_SERIF))
    font.setPointSizeF(size)  # a size may be fractional (QFont(family, size) takes whole points)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(print_css(size))
    doc.setBaseUrl(QUrl.fromLocalFile(str(job.briefing.base_dir) + "/"))
    doc.setDocumentMargin(0)
    option = doc.defaultTextOption()  # a word longer than the line (a URL) breaks, never overflows
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    notes = number_notes(job)
    doc.setIndentWidth(CONTENTS_INDENT_PT * PX_PER_PT)  # scaled to the device, as CSS px are not
    doc.setHtml(document_html(job, notes, progress, contents))
    mark_contents_lines(doc)
    # after setHtml, which resets the root frame: its margins are the header and footer bands
    frame = doc.rootFrame().frameFormat()
    frame.setTopMargin(header * PX_PER_PT)
    frame.setBottomMargin(footer * PX_PER_PT)
    doc.rootFrame().setFrameFormat(frame)
    doc.setPageSize(QSizeF(width, height))
    # Lay everything out before editing: Qt's partial relayout after an edit assumes the blocks
    # below were laid out already, and otherwise leaves them unplaced.
    finish_layout(doc)
    _apply_annotations(doc, job, notes)
    fit_images(doc, job.briefing.base_dir)
    wrap_code_lines(doc)
    finish_layout(doc)
    keep_headings_with_next(doc, progress=progress)
    finish_layout(doc)
    fill_contents(doc)
    return doc


def finish_layout(doc: QTextDocument) -> int:
    """Lay out the whole document now and return its page count.

    Qt lays big documents out lazily (the rest on a timer); `pageCount()` alone may count only
    the part done so far, while asking for the last block's rectangle forces the rest. It is
    asked in steps of `LAYOUT_STEP` blocks because PySide keeps the GIL inside each Qt call:
    in a worker thread, one call laying out 2,000 sections stalls the GUI thread's Python ~1 s.
    """
    layout = doc.documentLayout()
    for number in range(0, doc.blockCount(), LAYOUT_STEP):
        layout.blockBoundingRect(doc.findBlockByNumber(number))
    layout.blockBoundingRect(doc.lastBlock())
    return doc.pageCount()


def _lead_blocks(doc: QTextDocument) -> list[tuple[str, QTextBlock]]:
    """(anchor name, block) for every block that starts a section or a notes list, in order."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names = [n for n in it.fragment().charFormat().anchorNames() if n.startswith(ANCHOR)]
            if names:
                out.append((names[0], block))
                break
            it += 1
        block = block.next()
    return out


def heading_positions(doc: QTextDocument) -> list[tuple[str, int, float]]:
    """(section id, page, y from the page's top in device px) of every section heading in the
    laid-out document, in order: where the PDF's bookmarks point."""
    height = doc.pageSize().height()
    out = []
    for name, block in _lead_blocks(doc):
        if name.startswith(NOTES) or block.blockFormat().headingLevel() == 0 \
                or not block.layout().lineCount():
            continue  # a notes list, or the root (its heading is the document's title)
        _top(doc, block)  # lays the block out; its first line's top is below its margin
        y = block.layout().position().y() + block.layout().lineAt(0).y()
        page = int(y // height)
        out.append((name[len(ANCHOR):], page, y - page * height))
    return out


def mark_contents_lines(doc: QTextDocument) -> None:
    """Tag each table-of-contents line (a link to a section, then a page slot) with its section,
    as a block property: body text is never taken for one."""
    block = doc.begin()
    while block.isValid():
        if block.text().endswith(PAGE_SLOT):
            it = block.begin()
            href = it.fragment().charFormat().anchorHref() if not it.atEnd() else ""
            if href.startswith("#" + ANCHOR):
                fmt = block.blockFormat()
                fmt.setProperty(CONTENTS_TARGET, href[len(ANCHOR) + 1:])
                QTextCursor(block).setBlockFormat(fmt)
        block = block.next()


def contents_lines(doc: QTextDocument) -> list[tuple[str, QTextBlock]]:
    """(section id, block) of every table-of-contents line, in order."""
    out = []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().hasProperty(CONTENTS_TARGET):
            out.append((str(block.blockFormat().property(CONTENTS_TARGET)), block))
        block = block.next()
    return out


def fill_contents(doc: QTextDocument, rounds: int = 3) -> None:
    """Write each contents line's page number into its slot; a number as wide as the slot, so
    no line changes and the pages stay (checked, and done again if they moved)."""
    for _ in range(rounds):
        pages = {sid: page for sid, page, _ in heading_positions(doc)}
        changed = False
        for sid, block in contents_lines(doc):
            text = block.text()
            slot = len(text) - len(PAGE_SLOT)
            number = str(pages[sid] + 1) if sid in pages else ""
            filled = number.ljust(len(PAGE_SLOT), FIGURE_SPACE)[: len(PAGE_SLOT)]
            if text[slot:] != filled:
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + slot)
                cursor.setPosition(block.position() + len(text), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(filled)
                changed = True
        if not changed:
            return
        finish_layout(doc)


def _body_chars(start: QTextBlock, stop: QTextBlock | None) -> tuple[str, list[int]]:
    """Non-space characters of the blocks after `start` up to `stop`, with document positions."""
    chars: list[str] = []
    positions: list[int] = []
    block = start.next()
    while block.isValid() and (stop is None or block != stop):
        base = block.position()
        for i, ch in enumerate(block.text()):
            if not ch.isspace() and ch != "\ufffc":  # U+FFFC stands for an image
                chars.append(ch)
                positions.append(base + i)
        block = block.next()
    return "".join(chars), positions


class OffsetMap:
    """Maps offsets of `section_plain_text` to document positions of the same section's body.

    Both texts hold the same non-space characters in the same order; only whitespace (paragraph
    breaks, list bullets) differs, so counting non-space characters lines them up exactly.
    """

    def __init__(self, plain: str, positions: list[int]) -> None:
        self.nonspace = [i for i, ch in enumerate(plain) if not ch.isspace()]
        self.positions = positions

    def range(self, start: int, end: int) -> tuple[int, int] | None:
        first = bisect.bisect_left(self.nonspace, start)
        last = bisect.bisect_left(self.nonspace, end) - 1
        if first > last or last >= len(self.positions):
            return None
        return self.positions[first], self.positions[last] + 1


def _section_maps(doc: QTextDocument, job: PrintJob) -> dict[str, OffsetMap]:
    leads = _lead_blocks(doc)
    by_id = {s.id: s for s in job.sections}
    maps: dict[str, OffsetMap] = {}
    for i, (name, block) in enumerate(leads):
        if name.startswith(NOTES):
            continue
        section = by_id.get(name[len(ANCHOR):])
        if section is None:
            continue
        stop = leads[i + 1][1] if i + 1 < len(leads) else None
        chars, positions = _body_chars(block, stop)
        plain = section_plain_text(section)
        if "".join(plain.split()) != chars:
            log.warning("print: text of %s differs from its plain text; annotations skipped",
                        section.key)
            continue
        maps[section.key] = OffsetMap(plain, positions)
    return maps


def _apply_annotations(doc: QTextDocument, job: PrintJob, notes: dict[str, list[NoteRef]]) -> None:
    """Paint highlights, then insert note markers and link targets from the end backwards."""
    opts = job.options
    inserts: list[tuple[int, int, str, str]] = []  # (position, order, text, kind)
    if opts.include_highlights or opts.include_notes:
        maps = _section_maps(doc, job)
        for section in job.sections:
            span_map = maps.get(section.key)
            if span_map is None:
                continue
            if opts.include_highlights:
                for a in job.annotations_for(section):
                    span = span_map.range(a.start, a.end)
                    if span is not None:
                        _highlight(doc, span, a.color)
            for ref in notes.get(section.key, []):
                span = span_map.range(ref.annotation.start, ref.annotation.end)
                if span is not None:
                    inserts.append((span[1], 0, str(ref.number), "marker"))
    inserts += _link_targets(doc)
    for pos, _order, text, kind in sorted(inserts, reverse=True):
        _insert(doc, pos, text, kind)


def _highlight(doc: QTextDocument, span: tuple[int, int], color: str) -> None:
    cursor = QTextCursor(doc)
    cursor.setPosition(span[0])
    cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
    fmt = QTextCharFormat()
    qcolor = QColor(color)
    fmt.setBackground(qcolor if qcolor.isValid() else QColor("#ffe58a"))
    cursor.mergeCharFormat(fmt)


def _link_targets(doc: QTextDocument) -> list[tuple[int, int, str, str]]:
    """Where to print the target of each link that leaves the briefing (after the link text)."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            target = link_target(fmt.anchorHref()) if fmt.isAnchor() else None
            if target and target != frag.text().strip():
                out.append((frag.position() + frag.length(), 1, f" ({target})", "link"))
            it += 1
        block = block.next()
    return out


def _insert(doc: QTextDocument, pos: int, text: str, kind: str) -> None:
    cursor = QTextCursor(doc)
    cursor.setPosition(pos)
    fmt = QTextCharFormat(cursor.charFormat())
    fmt.setAnchor(False)
    fmt.setAnchorHref("")
    fmt.clearBackground()
    fmt.setForeground(QColor("#000000"))
    if kind == "marker":
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        fmt.setFontWeight(QFont.Weight.Bold)
    else:
        fmt.setForeground(QColor(LINK_GREY))
        fmt.setFontPointSize(max(6.0, (fmt.fontPointSize() or 10.0) * 0.85))
    cursor.insertText(text, fmt)


# -- wide content ----------------------------------------------------------------------------
def wrap_code_lines(doc: QTextDocument) -> int:
    """Let code lines wider than the page wrap instead of running off it, each continuation
    starting with CONTINUED; returns the continuations made. Runs after annotations are placed
    (it inserts characters) and before pagination."""
    code = []
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.nonBreakableLines():  # <pre>: one block per line of code
            fmt.setNonBreakableLines(False)
            QTextCursor(block).setBlockFormat(fmt)
            code.append(block)
        block = block.next()
    made = 0
    for block in code:
        for _ in range(MAX_WRAPS):
            doc.documentLayout().blockBoundingRect(block)  # lay it out with wrapping allowed
            start = _first_wrap(block)
            if start is None:
                break
            cursor = QTextCursor(doc)
            cursor.setPosition(block.position() + start)
            cursor.insertText(LINE_BREAK + CONTINUED, cursor.charFormat())
            made += 1
    return made


def _first_wrap(block: QTextBlock) -> int | None:
    """Offset in the block where its layout wrapped a line (not at a LINE_BREAK), if anywhere."""
    layout, text = block.layout(), block.text()
    for i in range(1, layout.lineCount()):
        start = layout.lineAt(i).textStart()
        if start > 0 and text[start - 1] != LINE_BREAK:
            return start
    return None


def fit_images(doc: QTextDocument, base_dir: Path) -> int:
    """Scale images wider than their line down to its width, keeping their proportions (the
    screen shows them at their own size); returns how many were scaled."""
    device = doc.documentLayout().paintDevice()
    scale = device.logicalDpiX() / 96 if device is not None else 1.0  # CSS px -> device px
    base = base_dir.resolve()
    changes: list[tuple[int, QTextImageFormat]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().isImageFormat():
                fmt = frag.charFormat().toImageFormat()
                fitted = _fitted(fmt, base, _line_width(doc, block) / scale)
                if fitted is not None:
                    changes.append((frag.position(), fitted))
            it += 1
        block = block.next()
    for position, fmt in changes:
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)
    return len(changes)


def _line_width(doc: QTextDocument, block: QTextBlock) -> float:
    """The width a block's lines may take, in device px: the page less the block's margins
    (the lines themselves may be wider: an image too large for the page makes its line so)."""
    fmt = block.blockFormat()
    indent = fmt.indent() * doc.indentWidth() + fmt.leftMargin() + fmt.rightMargin()
    text_list = block.textList()
    if text_list is not None:
        indent += text_list.format().indent() * doc.indentWidth()
    return doc.pageSize().width() - indent


def _fitted(fmt: QTextImageFormat, base: Path, available: float) -> QTextImageFormat | None:
    """The image format at `available` CSS px wide, or None if it fits (or is unknown)."""
    width, height = fmt.width(), fmt.height()
    if width <= 0 or height <= 0:
        path = (base / QUrl(fmt.name()).path()).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        size = QImageReader(str(path)).size()
        if width > 0 and size.width() > 0:
            height = size.height() * width / size.width()
        else:
            width, height = size.width(), size.height()
    if width <= available or width <= 0 or available <= 0:
        return None
    out = QTextImageFormat(fmt)
    out.setWidth(available)
    out.setHeight(height * available / width)
    return out


# -- pagination ------------------------------------------------------------------------------
def _page_of(doc: QTextDocument, y: float) -> int:
    return int(y // doc.pageSize().height())


def _top(doc: QTextDocument, block: QTextBlock) -> float:
    # blockBoundingRect lays the document out up to the block; layout().position() alone may be stale
    return doc.documentLayout().blockBoundingRect(block).top()


def _line_tops(doc: QTextDocument, block: QTextBlock, count: int) -> list[float]:
    """Document y of the first `count` lines of a block (inside tables: the table's top)."""
    table = QTextCursor(block).currentTable()
    if table is not None:
        return [doc.documentLayout().frameBoundingRect(table).top()]
    top = _top(doc, block)
    layout = block.layout()
    n = min(count, layout.lineCount())
    return [top + layout.lineAt(i).y() + layout.lineAt(i).height() - 1 for i in range(n)] or [top]


def keep_headings_with_next(doc: QTextDocument, max_rounds: int = 10_000,
                            progress: Progress | None = None) -> int:
    """Move a heading (with any headings just above it) to the next page when the paragraph
    after it starts on another page, or when less than two of its lines fit; returns moves made.
    """
    moves = 0
    total = doc.blockCount()
    block = doc.begin()
    while block.isValid() and moves < max_rounds:
        if block.blockNumber() % REPORT_EVERY == 0:
            report(progress, Stage.LAYOUT, block.blockNumber(), total)
        nxt = block.next()
        if block.blockFormat().headingLevel() > 0 and nxt.isValid() \
                and nxt.blockFormat().headingLevel() == 0:
            here = _page_of(doc, _line_tops(doc, block, 99)[-1])
            alone = any(_page_of(doc, y) != here for y in _line_tops(doc, nxt, 2))
            if alone and _break_before(doc, _chain_start(doc, block)):
                moves += 1
        block = nxt
    report(progress, Stage.LAYOUT, total, total)
    return moves


def _chain_start(doc: QTextDocument, block: QTextBlock) -> QTextBlock:
    """The first of the headings directly above `block` on the same page (h2 then h3 move together)."""
    page = _page_of(doc, _top(doc, block))
    prev = block.previous()
    while prev.isValid() and prev.blockFormat().headingLevel() > 0 \
            and _page_of(doc, _top(doc, prev)) == page:
        block, prev = prev, prev.previous()
    return block


def _break_before(doc: QTextDocument, block: QTextBlock) -> bool:
    """Start a page at `block` unless it already starts one; False if nothing changed."""
    fmt = block.blockFormat()
    if fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return False
    prev = block.previous()
    if not prev.isValid() or _page_of(doc, _line_tops(doc, prev, 999)[-1]) != _page_of(
            doc, _top(doc, block)):
        return False  # first block on its page: moving it would only leave an empty page
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
    return True
