"""The small popup a click on a highlight (or note) opens at it: colour swatches, Add/Edit note,
Copy and Delete. The same popup opens from the keyboard (Highlight Actions, with the caret in a
highlight) and from the article's context menu; the note editor opens only to write a note.

The popup only emits what was chosen; the annotations controller makes the change (undoably).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from reader.annotations import COLORS, Annotation, Kind
from reader.annotations.note_html import note_text
from reader.ui.reading.marks import MarkKind, line_rects

if TYPE_CHECKING:
    from reader.ui.kit.themes import Theme
    from reader.ui.reading.article_view import ArticleView

PREVIEW_CHARS = 80  # of the note shown at the top of the popup
SWATCH_PX = 16


def swatch(color: str, theme: Theme) -> QIcon:
    """An icon of a highlight colour as `theme` paints it."""
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    style = theme.style(MarkKind.highlight(color))
    assert style.background is not None
    pixmap.fill(style.background)
    return QIcon(pixmap)


class AnnotationPopup(QFrame):
    """The actions on one annotation; closes itself once one is chosen (or on Escape)."""

    recolour = Signal(str)  # a colour of reader.annotations.COLORS
    edit_note = Signal()
    copy = Signal()
    delete = Signal()

    def __init__(self, annotation: Annotation, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.annotation = annotation
        self.setObjectName("AnnotationPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        noun = "Note" if annotation.kind is Kind.NOTE else "Highlight"
        self.setAccessibleName(f"{noun} actions")
        self.setAccessibleDescription(f"{noun} on “{_short(annotation.quote)}”, {annotation.color}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        if annotation.note:
            preview = QLabel(_short(note_text(annotation.note), PREVIEW_CHARS))
            preview.setObjectName("AnnotationPopupNote")
            preview.setAccessibleName("Note")
            preview.setWordWrap(True)
            layout.addWidget(preview)
        swatches = QHBoxLayout()
        self.swatches: dict[str, QToolButton] = {}
        for color in COLORS:
            button = self._button(color.capitalize(), swatches)
            button.setIcon(swatch(color, theme))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setCheckable(True)
            button.setChecked(color == annotation.color)
            button.setAccessibleName(
                f"{color.capitalize()}" + (" (current colour)" if color == annotation.color else "")
            )
            button.setToolTip(f"Highlight in {color}")
            button.clicked.connect(lambda _=False, c=color: self._choose(self.recolour, c))
            self.swatches[color] = button
        layout.addLayout(swatches)
        actions = QHBoxLayout()
        self.note_button = self._button("Edit note…" if annotation.note else "Add note…", actions)
        self.note_button.clicked.connect(lambda: self._choose(self.edit_note))
        self.copy_button = self._button("Copy", actions)
        self.copy_button.setToolTip("Copy the text with its citation")
        self.copy_button.clicked.connect(lambda: self._choose(self.copy))
        self.delete_button = self._button("Delete", actions)
        self.delete_button.setToolTip(f"Delete this {noun.lower()} (Ctrl+Z undoes it)")
        self.delete_button.clicked.connect(lambda: self._choose(self.delete))
        layout.addLayout(actions)

    def _button(self, text: str, row: QHBoxLayout) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(text.rstrip("…"))
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches every action
        row.addWidget(button)
        return button

    def _choose(self, signal: SignalInstance, *args: object) -> None:
        self.close()  # first: what the choice opens (the note editor) comes on top
        signal.emit(*args)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def show_at(self, anchor: QRect) -> None:
        """Show just below `anchor` (global coordinates), or above it near the screen's
        bottom; kept on the screen; the current colour's swatch takes the focus."""
        self.adjustSize()
        size = self.sizeHint()
        screen = QGuiApplication.screenAt(anchor.center()) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        x = min(max(anchor.left(), room.left()), room.right() - size.width())
        y = anchor.bottom() + 4
        if y + size.height() > room.bottom():
            y = anchor.top() - size.height() - 4
        self.move(QPoint(x, max(y, room.top())))
        self.show()
        focus = self.swatches.get(self.annotation.color) or self.note_button
        focus.setFocus(Qt.FocusReason.PopupFocusReason)


def anchor_rect(view: ArticleView, start: int, end: int) -> QRect:
    """The first line of a range of the article in global coordinates (the caret's rect when
    the line is not laid out yet)."""
    rects = line_rects(view.document(), start, end)
    if rects:
        dx, dy = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
        box = rects[0].translated(-dx, -dy).toAlignedRect()
    else:
        cursor = view.textCursor()
        cursor.setPosition(start)
        box = view.cursorRect(cursor)
    viewport = view.viewport()
    return QRect(viewport.mapToGlobal(box.topLeft()), box.size())


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
