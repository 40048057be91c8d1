"""Marks on the article: a range of the document and the kind of thing it is (`Mark`), and how a
kind's style becomes paint (a char format for the fills and underlines, boxes for outlines).

Features hand `ArticleView.set_marks(layer, marks)` plain positions and kinds; the view keeps
only those and asks its theme for each kind's style whenever it paints (kit/marks.py).
"""

from __future__ import annotations

from typing import NamedTuple, cast

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextCharFormat, QTextDocument

from reader.ui.kit.marks import ChangeTone, MarkKind, MarkStyle, Shape

__all__ = ["ChangeTone", "Mark", "MarkKind", "MarkStyle", "Shape", "add_style", "line_rects"]


# A NamedTuple, not a dataclass: about 0.2 ms to define instead of 1.4, on the first screen's path.
class Mark(NamedTuple):
    """A range of the article's document (positions, start <= end) painted as `kind`."""

    start: int
    end: int
    kind: MarkKind


def add_style(fmt: QTextCharFormat, style: MarkStyle) -> None:
    """Add a fill's or an underline's look to `fmt` (an outline is drawn by the view, not by a
    format). Two marks over the same range merge into one format: a note is its colour's fill
    plus the NOTE underline, painted as one, as a single extra selection always was."""
    if style.shape in (Shape.FILL, Shape.BOXED):  # a box's outline is the view's to draw
        if style.background is not None:
            fmt.setBackground(style.background)
        if style.foreground is not None:
            fmt.setForeground(style.foreground)
    elif style.shape is Shape.UNDERLINE:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        if style.line is not None:
            fmt.setUnderlineColor(style.line)


def line_rects(doc: QTextDocument, start: int, end: int) -> list[QRectF]:
    """The range's extent on each line it spans, in document coordinates; lines not laid out
    yet (Qt lays out the page beyond the screen in the background) are left out."""
    rects: list[QRectF] = []
    layout = doc.documentLayout()
    block = doc.findBlock(start)
    while block.isValid() and block.position() <= end:
        text_layout = block.layout()
        if text_layout is None or text_layout.lineCount() == 0:
            block = block.next()
            continue
        origin = layout.blockBoundingRect(block).topLeft()
        base = block.position()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            a = max(start, base + line.textStart())
            b = min(end, base + line.textStart() + line.textLength())
            if a >= b:
                continue
            x1, x2 = _x(line.cursorToX(a - base)), _x(line.cursorToX(b - base))
            rects.append(QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height()))
        block = block.next()
    return rects


def _x(answer: object) -> float:
    """PySide returns (x, position) from QTextLine.cursorToX; its stubs say `object`."""
    return cast(tuple[float, int], answer)[0]
