"""Scrolling a text view so that a place in its document is in the middle of the view.

`ensureCursorVisible` scrolls as little as it can: a hit below the view ends up on its last
line, with none of what follows it in sight. A found place is read with its context, so it goes
to the middle (as browsers and calibre's viewer do); near the end of a page the scroll bar's
maximum stops it lower down.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit


def centre_on(view: QTextEdit, position: int) -> None:
    """Scroll `view` so that document `position` sits at the middle of its viewport."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(max(0, min(position, view.document().characterCount() - 1)))
    line = view.cursorRect(cursor)  # viewport coordinates, at the current scroll position
    bar = view.verticalScrollBar()
    middle = view.viewport().height() // 2
    bar.setValue(bar.value() + line.center().y() - middle)


def offset_from_middle(view: QTextEdit, position: int) -> int:
    """How far (px) document `position`'s line is from the middle of the viewport (down is
    positive): 0 once centred, unless the page cannot scroll that far."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(max(0, min(position, view.document().characterCount() - 1)))
    return view.cursorRect(cursor).center().y() - view.viewport().height() // 2
