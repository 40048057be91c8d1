"""Caret browsing (F7, as in browsers): a text caret in the read-only article, so the keyboard
alone selects text (Shift+arrows, Shift+Ctrl+arrows by word, Shift+Home/End) for highlighting,
notes and copying. Off, the arrow keys scroll the page as before. The state is shown in the
status bar while it is on and remembered in the settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel

from reader.ui.kit.themes import mute
from reader.ui.reading.announce import announce

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from reader.ui.kit.settings import Settings
    from reader.ui.reading.article_view import ArticleView

CARET_WIDTH = 2  # px: Qt's 1-px caret is easy to lose on a page of text
INDICATOR = "Caret browsing"
Key = QKeySequence.StandardKey
# Keys that move the caret or extend the selection. With the caret on, they go to the article
# even when a command has them: Ctrl+Shift+Right/Left are also View ▸ Expand/Collapse All.
CARET_KEYS = (
    Key.MoveToNextWord,
    Key.MoveToPreviousWord,
    Key.SelectNextWord,
    Key.SelectPreviousWord,
    Key.SelectNextChar,
    Key.SelectPreviousChar,
    Key.SelectNextLine,
    Key.SelectPreviousLine,
    Key.SelectStartOfLine,
    Key.SelectEndOfLine,
    Key.SelectStartOfBlock,
    Key.SelectEndOfBlock,
    Key.SelectStartOfDocument,
    Key.SelectEndOfDocument,
    Key.MoveToStartOfDocument,
    Key.MoveToEndOfDocument,
)


class CaretBrowsing(QObject):
    """Turns the article's caret on and off; `toggled` tells the menu entry."""

    toggled = Signal(bool)

    def __init__(self, view: ArticleView, settings: Settings, status: QStatusBar) -> None:
        super().__init__(view)
        self.view, self.settings, self.status = view, settings, status
        self.indicator = QLabel(INDICATOR, status)
        self.indicator.setObjectName("CaretBrowsingIndicator")
        self.indicator.setAccessibleName("Caret browsing is on")
        self.indicator.setToolTip("F7 turns caret browsing off")
        mute(self.indicator)
        status.addPermanentWidget(self.indicator)
        self.indicator.hide()
        self.enabled = False
        view.installEventFilter(self)
        if settings.caret_browsing:
            self.set_enabled(True, quietly=True)

    def set_enabled(self, on: bool, quietly: bool = False) -> None:
        """Give the article a caret (at the top of what is shown) or take it away."""
        flags = Qt.TextInteractionFlag.TextBrowserInteraction
        if on:
            flags |= Qt.TextInteractionFlag.TextSelectableByKeyboard
        self.view.setTextInteractionFlags(flags)
        self.view.setCursorWidth(CARET_WIDTH if on else 1)
        if on and not self.enabled and not self.view.textCursor().hasSelection():
            # Where the reader is looking, not the top of a page scrolled far down.
            self.view.setTextCursor(self.view.cursorForPosition(QPoint(0, 0)))
        self.enabled = on
        self.settings.caret_browsing = on
        self.indicator.setVisible(on)
        if not quietly:
            announce(
                self.status,
                self.view,
                "Caret browsing on: Shift+arrows select text (F7 turns it off)."
                if on
                else "Caret browsing off.",
                5000,
            )
            if on:
                self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.toggled.emit(on)

    def toggle(self) -> None:
        self.set_enabled(not self.enabled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.enabled
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(k) for k in CARET_KEYS)
        ):
            event.accept()  # the article takes the key: no command's shortcut fires
        return False
