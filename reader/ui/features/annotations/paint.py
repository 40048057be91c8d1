"""Painting annotations over the article without changing its document: highlight layer + note markers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from reader.annotations import Annotation, Kind
from reader.ui.features.annotations.models import COLOR_HEX
from reader.ui.reading.article_view import ArticleView

LAYER = "annotations"  # our layer name in ArticleView.set_layer
NOTE_UNDERLINE = QColor("#8a6d00")


@dataclass(frozen=True)
class Painted:
    """An annotation's range in the current document (positions, not plain-text offsets)."""

    annotation: Annotation
    start: int
    end: int


def selections(view: ArticleView, painted: list[Painted]) -> list[QTextEdit.ExtraSelection]:
    """One extra selection per painted range: the colour as background, notes underlined."""
    out = []
    for p in painted:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(p.start)
        cursor.setPosition(p.end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(QBrush(QColor(COLOR_HEX.get(p.annotation.color, "#fff3a0"))))
        if p.annotation.kind is Kind.NOTE:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(NOTE_UNDERLINE)
        sel.format = fmt  # type: ignore[attr-defined]
        out.append(sel)
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
        painter.setPen(QPen(NOTE_UNDERLINE, 1))
        painter.setBrush(QBrush(QColor("#f5b400")))
        for rect in self.marker_rects():
            if rect.bottom() >= 0 and rect.top() <= self.height():
                painter.drawEllipse(rect.center(), 3.5, 3.5)
                painter.drawLine(rect.center() + QPointF(0, 3.5), rect.center() + QPointF(0, 8))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.resize(self.view.viewport().size())
        return False
