"""Painting annotations over the article without changing its document: marks on the article's
"annotations" layer (each highlight in its colour's kind; a note is that fill plus a NOTE
underline) and a marker after each note, all in the article's theme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPaintEvent, QPen, QTextCursor
from PySide6.QtWidgets import QWidget

from reader.annotations import Annotation, Kind
from reader.ui.reading.article_view import ArticleView
from reader.ui.reading.marks import Mark, MarkKind

LAYER = "annotations"  # our layer name in ArticleView.set_marks


@dataclass(frozen=True)
class Painted:
    """An annotation's range in the current document (positions, not plain-text offsets)."""

    annotation: Annotation
    start: int
    end: int


def marks(painted: list[Painted]) -> list[Mark]:
    """The marks of the painted ranges: the colour's fill, and a note's underline over it."""
    out = []
    for p in painted:
        out.append(Mark(p.start, p.end, MarkKind.highlight(p.annotation.color)))
        if p.annotation.kind is Kind.NOTE:
            out.append(Mark(p.start, p.end, MarkKind.NOTE))
    return out


class NoteMarkers(QWidget):
    """A transparent overlay on the article's viewport drawing a small marker after each note."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.painted: list[Painted] = []
        self.setObjectName("NoteMarkers")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        view.viewport().installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(self.update)
        self.resize(view.viewport().size())

    def set_painted(self, painted: list[Painted]) -> None:
        self.painted = [p for p in painted if p.annotation.kind is Kind.NOTE]
        self.update()

    def marker_rects(self) -> list[QRectF]:
        """Where the markers are drawn, in viewport coordinates (also used by tests)."""
        rects = []
        for p in self.painted:
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(p.end)
            r = self.view.cursorRect(cursor)
            rects.append(QRectF(r.right() + 1, r.top() - 4, 8, 8))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.painted:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        style = self.view.theme.style(MarkKind.NOTE)  # asked at every paint: follows switches
        assert style.line is not None and style.marker is not None
        painter.setPen(QPen(style.line, 1))
        painter.setBrush(QBrush(style.marker))
        for rect in self.marker_rects():
            if rect.bottom() >= 0 and rect.top() <= self.height():
                painter.drawEllipse(rect.center(), 3.5, 3.5)
                painter.drawLine(rect.center() + QPointF(0, 3.5), rect.center() + QPointF(0, 8))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.resize(self.view.viewport().size())
        return False
