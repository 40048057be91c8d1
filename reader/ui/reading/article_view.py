"""The article pane: a `QTextBrowser` that never fetches anything by itself.

Internal links (`#id`, `section:briefing/id`) are reported through `section_link`; external links
open in the system browser only when clicked; images load only from inside the briefing's folder.
Search hits, find-in-page matches and annotations are painted over the text as marks
(`set_marks(layer, [Mark(start, end, kind)])`) in the colours the view's theme gives each kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QCursor,
    QDesktopServices,
    QPainter,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.ui.kit.themes import THEMES, Theme
from reader.ui.reading.images import FittedImages, Shown, show_full_size
from reader.ui.reading.marks import Mark, Shape, add_style, line_rects
from reader.ui.reading.scroll_to import put_at_top

if TYPE_CHECKING:
    from PySide6.QtGui import QFont, QMouseEvent, QPaintEvent, QResizeEvent

MAX_TEXT_WIDTH = 760  # px at 100 % zoom: about 75 characters of body text
EXTERNAL_SCHEMES = {"http", "https", "mailto"}
REFIT_DELAY_MS = 120  # images are read again for a new column width once resizing pauses
FULL_SIZE_TIP = "Click to see the image at full size"


class ArticleView(QTextBrowser):
    section_link = Signal(str)  # a section reference: "briefing/section" or "section"
    visible_section_changed = Signal(str)  # id of the section heading at the top of the view
    external_link = Signal(QUrl)
    page_changed = Signal()  # a new page was shown (not a re-render of the same one)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Article")
        self.setAccessibleDescription("The text of the selected section")
        self.anchorClicked.connect(self._on_anchor)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self._base_dir: Path | None = None
        self._anchors: list[tuple[int, str]] = []  # (document position, section id), in order
        self._visible = ""
        self.max_text_width = MAX_TEXT_WIDTH
        # Named layers of marks (search hits, find-in-page, annotations); painting with extra
        # selections never changes the document itself. A layer is kept as plain data, positions
        # and kinds: never Qt objects, such as ExtraSelections, whose `cursor` and `format` are
        # views into C++ structs that die with them (holding them across a re-render read freed
        # memory: the theme-switch segfault). Colours come from the theme at every paint.
        self._marks: dict[str, list[Mark]] = {}
        self._theme: Theme = THEMES["light"]  # the window sets its own (set_theme)
        self._outlines: list[tuple[int, int, QColor]] = []  # (start, end, line) drawn in paintEvent
        self.zoom = 1.0  # text size relative to 100 %; the column widens with the text
        self._html = ""
        self._section_ids: list[str] = []
        self._anchor_names: set[str] | None = None  # every anchor of the page, found on demand
        self.images = FittedImages()  # the page's images, read fitted to the column
        self._refit = QTimer(self, singleShot=True, interval=REFIT_DELAY_MS)
        self._refit.timeout.connect(self.refit_images)
        self._press: tuple[int, int] | None = None  # where the left button went down
        self._cursor_before_image: QCursor | None = None  # set while the mouse is over an image
        # (section id, scroll value) of the last jump to a heading: that section stays the
        # current one while the view stays there, even when the page ends before its heading
        # reaches the top (a short last section), until the reader scrolls.
        self._pin: tuple[str, int] | None = None

    # -- content -----------------------------------------------------------------------------
    def show_html(self, body: str, base_dir: Path | None, section_ids: list[str]) -> None:
        """Show a page; `section_ids` are the anchors whose position the view tracks."""
        self._render(body, base_dir, section_ids)
        self.page_changed.emit()

    def _render(self, body: str, base_dir: Path | None, section_ids: list[str]) -> None:
        self._pin = None
        self._base_dir = base_dir
        self._html, self._section_ids = body, list(section_ids)
        self._visible = ""
        self._anchors = []  # the old page's: setHtml may resize (scroll bar) and ask for them
        self._anchor_names = None
        self.clear_marks()  # old ranges would point into the previous document
        self.images.clear()
        self._update_margins()  # first: images are read fitted to the column
        self.setHtml(body)
        self._index_anchors(section_ids)

    def restyle(self, css: str, font: QFont, zoom: float = 1.0) -> None:
        """Re-render the page with a new style sheet and body font, keeping the reading
        position and the marks (their ranges are the same in the re-rendered text; they are
        painted again in the current theme's colours)."""
        self.zoom = zoom
        doc = self.document()
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(css)
        if not self._html:
            self._update_margins()
            return
        self._rerender()

    def _rerender(self) -> None:
        """Render the page again where the reader is, with its marks."""
        fraction = self.scroll_fraction()
        saved = dict(self._marks)  # plain data: survives the document being rebuilt
        self._render(self._html, self._base_dir, self._section_ids)
        self._marks = saved
        self._paint_marks()
        self.set_scroll_fraction(fraction)

    def scroll_fraction(self) -> float:
        """The top of the view as a fraction of the page height (survives zoom and resizing)."""
        value = self.verticalScrollBar().value()
        if value <= 0:
            return 0.0  # the page height would lay out the whole page now; see set_scroll_fraction
        height = self.document().size().height()
        return value / height if height > 0 else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        """Scroll to a fraction of the page height. Knowing the height means laying out the whole
        page at once, which the top of a page (most starts) does without: Qt lays out what is
        on screen first and the rest in the background."""
        bar = self.verticalScrollBar()
        bar.setValue(round(fraction * self.document().size().height()) if fraction > 0 else 0)
        self._on_scroll(bar.value())

    # -- marks ---------------------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        """The theme whose styles the marks are painted in."""
        return self._theme

    def set_theme(self, theme: Theme) -> None:
        """Paint every layer's marks in `theme`'s styles from now on (a live switch included)."""
        self._theme = theme
        self._paint_marks()

    def set_marks(self, layer: str, marks: list[Mark]) -> None:
        """Replace one named layer of marks; layers set first paint below later ones."""
        self._marks[layer] = list(marks)
        self._paint_marks()

    def marks(self, layer: str) -> list[Mark]:
        """The layer's marks, as set."""
        return list(self._marks.get(layer, []))

    def mark_ranges(self, layer: str) -> list[tuple[int, int]]:
        """(start, end) document positions of a layer's marks."""
        return [(m.start, m.end) for m in self._marks.get(layer, [])]

    def clear_marks(self) -> None:
        self._marks.clear()
        self._outlines = []
        self.setExtraSelections([])

    def _paint_marks(self) -> None:
        """Extra selections for the fills and underlines (marks of one layer over the same range
        merge into one), boxes in paintEvent for the outlines; styles asked of the theme now."""
        last = max(0, self.document().characterCount() - 1)
        selections, outlines = [], []
        for marks in self._marks.values():
            formats: dict[tuple[int, int], QTextCharFormat] = {}
            for m in marks:
                start, end = min(m.start, last), min(m.end, last)
                style = self._theme.style(m.kind)
                if style.shape in (Shape.OUTLINE, Shape.BOXED):
                    outlines.append((start, end, style.line or QColor(self._theme.text)))
                if style.shape is not Shape.OUTLINE:
                    add_style(formats.setdefault((start, end), QTextCharFormat()), style)
            for (start, end), fmt in formats.items():
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                sel.cursor, sel.format = cursor, fmt
                selections.append(sel)
        self.setExtraSelections(selections)
        if outlines or self._outlines:
            self._outlines = outlines
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._outlines:
            return
        painter = QPainter(self.viewport())
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        visible = self.viewport().rect()
        doc = self.document()
        layout = doc.documentLayout()
        for start, end, line in self._outlines:
            # Boxes off screen (a long page has hundreds of hits) are passed over by where their
            # blocks are; a block not laid out yet is not asked (asking would lay it out now).
            if _off_screen(layout, doc.findBlock(start), doc.findBlock(end), dy, visible):
                continue
            painter.setPen(QPen(line, 1))
            for r in line_rects(doc, start, end):
                box = r.translated(-dx, -dy).toAlignedRect()
                if box.intersects(visible):
                    painter.drawRect(QRect(box.x(), box.y(), box.width() - 1, box.height() - 1))
        painter.end()

    def scroll_to_section(self, section_id: str) -> None:
        if self._anchors and section_id == self._anchors[0][1]:
            self.verticalScrollBar().setValue(0)
        else:
            self.scrollToAnchor(section_id)
        value = self.verticalScrollBar().value()
        self._pin = (section_id, value) if section_id in self.anchor_ids() else None
        self._on_scroll(value)

    def anchor_ids(self) -> list[str]:
        """Ids of the section headings on the page, in order."""
        return [section_id for _, section_id in self._anchors]

    def has_anchor(self, name: str) -> bool:
        """Whether the page has an anchor of that name (a section heading, a footnote, any
        `id`), that is: whether scrollToAnchor(name) can go anywhere."""
        if self._anchor_names is None:
            names: set[str] = set()
            block = self.document().begin()
            while block.isValid():
                it = block.begin()
                while not it.atEnd():
                    names.update(it.fragment().charFormat().anchorNames())
                    it += 1
                block = block.next()
            self._anchor_names = names
        return name in self._anchor_names

    def section_at_top(self) -> str:
        return self._visible

    def _index_anchors(self, section_ids: list[str]) -> None:
        """Remember the document position of each section heading (y is computed when needed:
        the layout changes with the width and is built lazily)."""
        wanted = set(section_ids)
        found: list[tuple[int, str]] = []
        block = self.document().begin()
        while block.isValid() and len(found) < len(wanted):
            it = block.begin()
            while not it.atEnd():
                hit = next((n for n in it.fragment().charFormat().anchorNames() if n in wanted), None)
                if hit:
                    found.append((block.position(), hit))
                    break
                it += 1
            block = block.next()
        self._anchors = found
        self._on_scroll(self.verticalScrollBar().value())

    def _anchor_y(self, position: int) -> float:
        doc: QTextDocument = self.document()
        return doc.documentLayout().blockBoundingRect(doc.findBlock(position)).top()

    def _on_scroll(self, value: int) -> None:
        if not self._anchors:
            return
        if self.document().pageSize().isNull():
            return  # never laid out (not sized yet): every y would be 0; resizeEvent asks again
        # A heading counts as "current" once it is in the top third of the view. Headings are
        # measured in order only up to that line: asking where a later one is would lay out the
        # whole page now, which Qt otherwise does in the background after the first paint.
        if self._pin is not None:
            pinned, at = self._pin
            if value == at:
                if pinned != self._visible:
                    self._visible = pinned
                    self.visible_section_changed.emit(pinned)
                return
            self._pin = None  # the reader scrolled away from the jump
        line = value + self.viewport().height() // 3
        if value <= 0:
            line = 0  # at the very top, the page's own heading is the current one
        i = 0
        for n, (pos, _) in enumerate(self._anchors):
            if self._anchor_y(pos) > line:
                break
            i = n
        bar = self.verticalScrollBar()
        if value > 0 and value >= bar.maximum():
            i = len(self._anchors) - 1  # at the very end, the last heading is the current one
        section_id = self._anchors[i][1]
        if section_id != self._visible:
            self._visible = section_id
            self.visible_section_changed.emit(section_id)

    # -- links and resources -------------------------------------------------------------------
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "section":
            self.section_link.emit(url.path())
        elif not scheme and url.hasFragment() and not url.path():
            self.section_link.emit(url.fragment())
        elif scheme in EXTERNAL_SCHEMES:
            self.external_link.emit(url)
            QDesktopServices.openUrl(url)  # only ever on a click

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        """Only local images inside the briefing's own folder; never the network or other files."""
        url = QUrl(name)
        if url.scheme() or self._base_dir is None or url.path().startswith("/"):
            return None
        base = self._base_dir.resolve()
        target = (base / url.path()).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            return None
        if kind == QTextDocument.ResourceType.ImageResource:
            return self.images.load(url.toString(), target, self.column_width(),
                                    self.devicePixelRatioF())
        return super().loadResource(kind, QUrl.fromLocalFile(str(target)))

    # -- images --------------------------------------------------------------------------------
    def column_width(self) -> int:
        """The width, in px, images are fitted to: the text's, counted as if the scroll bar
        were shown, so that fitting an image never makes the bar come or go and so changes
        the width again."""
        bar = self.verticalScrollBar()
        room = self.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
        return int(room - 2 * self.document().documentMargin())

    def refit_images(self) -> None:
        """Fit the page's images to the column's width now (after a resize or zoom)."""
        self._refit.stop()
        if not self.images.shown:
            return
        if self._html and self.images.need_refit(self.column_width(), self.devicePixelRatioF()):
            self._rerender()

    def image_at(self, pos: QPoint) -> tuple[Shown, str] | None:
        """The shrunk image under a viewport position, with its alt text (None over anything
        else, and over an image inside a link: a click there follows the link)."""
        doc = self.document()
        point = QPointF(pos.x() + self.horizontalScrollBar().value(),
                        pos.y() + self.verticalScrollBar().value())
        at = doc.documentLayout().hitTest(point, Qt.HitTestAccuracy.ExactHit)
        if at < 0:
            return None
        cursor = QTextCursor(doc)
        cursor.setPosition(at + 1 if at + 1 < doc.characterCount() else at)
        fmt = cursor.charFormat()  # the format of the character before the cursor: the image
        if not fmt.isImageFormat() or fmt.isAnchor():
            return None
        image = fmt.toImageFormat()
        shown = self.images.shrunk(image.name())
        return (shown, image.property(QTextFormat.Property.ImageAltText) or "") if shown else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        self._press = (event.position().toPoint().x(), event.position().toPoint().y()) if left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if (press is None or event.button() != Qt.MouseButton.LeftButton
                or abs(pos.x() - press[0]) + abs(pos.y() - press[1]) > 4
                or self.textCursor().hasSelection()):
            return  # a drag or a selection, not a click
        hit = self.image_at(pos)
        if hit is not None:
            show_full_size(self, *hit)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton or (
                not self.images.shown and self._cursor_before_image is None):
            return  # no image on the page: nothing to look up at every move
        over = self.image_at(event.position().toPoint()) is not None
        if over == (self._cursor_before_image is not None):
            return  # only on entering and leaving: QTextBrowser sets its own over links
        viewport = self.viewport()
        if over:
            self._cursor_before_image = viewport.cursor()
            viewport.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            viewport.setCursor(self._cursor_before_image or Qt.CursorShape.IBeamCursor)
            self._cursor_before_image = None
        viewport.setToolTip(FULL_SIZE_TIP if over else "")

    # -- layout --------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        # The text at the top of the view stays there: the scroll bar keeps its pixels while
        # the lines reflow, so a panel opening beside the article (or the window narrowing)
        # jumped the reader back whole sections while the tree and title stayed put.
        kept = self._text_at_top() if event.oldSize().isValid() else None
        self._update_margins()
        super().resizeEvent(event)
        if kept is not None:
            put_at_top(self, kept)
        if self.images.shown:  # fitted to the old column: read again once resizing pauses
            if self.isVisible():
                self._refit.start()
            else:
                self.refit_images()
        self._on_scroll(self.verticalScrollBar().value())  # headings moved with the new width

    def _text_at_top(self) -> int | None:
        """The document position at the top of the view, if the page is scrolled at all."""
        if self.verticalScrollBar().value() <= 0 or not self._html:
            return None
        return self.cursorForPosition(QPoint(0, 0)).position()

    def _update_margins(self) -> None:
        """Keep a comfortable line length by centring a column of at most `max_text_width`."""
        width = int(self.max_text_width * max(self.zoom, 1.0)) if self.max_text_width else 0
        room = self.width() - self.verticalScrollBar().sizeHint().width()
        side = max(24, (room - width) // 2) if width else 24
        self.setViewportMargins(side, 0, side, 0)
        if self.images.shown:
            self._refit.start()  # a new reading width or zoom: the column changed


def _off_screen(layout: QAbstractTextDocumentLayout, first: QTextBlock, last: QTextBlock,
                dy: int, visible: QRect) -> bool:
    """Whether a range from block `first` to `last` lies wholly above or below the view."""
    laid_out = first.layout() is not None and first.layout().lineCount() > 0
    if not laid_out:
        return True  # nothing of it is laid out, so nothing of it is drawn (see line_rects)
    if layout.blockBoundingRect(first).top() - dy > visible.bottom():
        return True
    ends = last.layout() is not None and last.layout().lineCount() > 0
    return ends and layout.blockBoundingRect(last).bottom() - dy < visible.top()
