"""Find in page (Ctrl+F): a small bar floating over the article's top-right corner with a match
count, next/previous and "highlight all", painted as marks on the article's "find" layer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
)

from reader.ui.reading.article_view import ArticleView
from reader.ui.reading.marks import Mark, MarkKind

LAYER = "find"
MAX_MATCHES = 5000  # a one-letter search in a long page stays responsive
WIDTH = 420  # px; narrower when the article is (docks beside it on a small screen)


class FindBar(QFrame):
    def __init__(self, article: ArticleView) -> None:
        super().__init__(article)
        self.article = article
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.setObjectName("FindBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = QLineEdit(placeholderText="Find in page")
        self.field.setAccessibleName("Find in page")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.refresh)
        self.field.installEventFilter(self)
        self.count = QLabel()
        self.count.setAccessibleName("Matches")
        self.highlight_all = QCheckBox("All")
        self.highlight_all.setToolTip("Highlight all matches")
        self.highlight_all.setChecked(True)
        self.highlight_all.toggled.connect(self._paint)
        buttons = [("↑", "Previous match (Shift+Enter)", self.previous),
                   ("↓", "Next match (Enter)", self.next), ("✕", "Close (Esc)", self.close_bar)]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        for text, tip, slot in buttons:
            button = QToolButton(autoRaise=True)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.highlight_all)
        self.setFixedWidth(WIDTH)
        article.installEventFilter(self)
        article.page_changed.connect(self._on_page_changed)
        self.hide()

    # -- showing -------------------------------------------------------------------------------------
    def open(self) -> None:
        selected = self.article.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self._place()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        self.hide()
        self.matches, self.current = [], -1
        self.article.set_marks(LAYER, [])
        self.article.setFocus()

    @property
    def active(self) -> bool:
        return self.isVisible() and bool(self.field.text())

    def _place(self) -> None:
        viewport = self.article.viewport().geometry()
        self.setFixedWidth(max(160, min(WIDTH, self.article.width() - 16)))
        self.move(max(0, viewport.right() - self.width() - 8), viewport.top() + 8)

    def _on_page_changed(self) -> None:
        """Another page is shown: its matches replace the old page's (whose positions would
        point anywhere in the new one), none of them current until the next F3."""
        if not self.isVisible():
            self.matches, self.current = [], -1
            return
        text = self.field.text()
        self.matches = find_all(self.article.document(), text) if text else []
        self.current = -1
        self._paint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.article and event.type() == QEvent.Type.Resize:
            # After the article's own resize handling: its viewport margins (the centred text
            # column) change there, and the bar is placed against the viewport.
            QTimer.singleShot(0, self, self._place)
        elif watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.previous() if shift else self.next()
                return True
        return super().eventFilter(watched, event)

    # -- matching ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Find every match of the field's text in the page (case-insensitive) and paint them."""
        text = self.field.text()
        self.matches = find_all(self.article.document(), text) if text else []
        self.current = 0 if self.matches else -1
        self._paint()
        if self.matches:
            self._scroll_to_current()

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.matches:
            return
        if self.current < 0:  # none current yet (a new page): the first, or the last
            self.current = 0 if delta > 0 else len(self.matches) - 1
        else:
            self.current = (self.current + delta) % len(self.matches)
        self._paint()
        self._scroll_to_current()

    def _scroll_to_current(self) -> None:
        cursor = QTextCursor(self.article.document())
        cursor.setPosition(self.matches[self.current][0])
        self.article.setTextCursor(cursor)
        self.article.ensureCursorVisible()

    def _paint(self) -> None:
        if not self.field.text():
            self.count.setText("")
        elif not self.matches:
            self.count.setText("No matches")
        else:
            more = "+" if len(self.matches) >= MAX_MATCHES else ""
            self.count.setText(f"{self.current + 1} of {len(self.matches)}{more}" if self.current >= 0
                               else f"{len(self.matches)}{more} matches")
        show_all = self.highlight_all.isChecked()
        marks = [
            Mark(start, end, MarkKind.FIND_CURRENT if i == self.current else MarkKind.FIND_MATCH)
            for i, (start, end) in enumerate(self.matches) if show_all or i == self.current
        ]
        self.article.set_marks(LAYER, marks)


def find_all(doc: QTextDocument, text: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of `text` in the document, folded as search folds words
    (case, accents, ё/е, Arabic and Persian letter forms, harakat, ZWNJ; no stemming), so the
    find bar finds what search found in the page however it is written."""
    from reader.search.scripts import match_spans  # the first find, not the first screen

    # toPlainText() has one character per document position (a block's end is its "\n").
    return match_spans(doc.toPlainText(), text)[:MAX_MATCHES]
