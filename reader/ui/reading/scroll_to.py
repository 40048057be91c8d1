"""Scrolling a text view so that a place in its document is in the middle of the view, or at
its top (a bookmark's place; the text read, kept in sight while the lines reflow).

`ensureCursorVisible` scrolls as little as it can: a hit below the view ends up on its last
line, with none of what follows it in sight. A found place is read with its context, so it goes
to the middle (as browsers and calibre's viewer do); near the end of a page the scroll bar's
maximum stops it lower down.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit


def cursor_at(view: QTextEdit, position: int) -> QTextCursor:
    """A cursor at document `position`, kept inside the document."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(max(0, min(position, view.document().characterCount() - 1)))
    return cursor


def centre_on(view: QTextEdit, position: int) -> None:
    """Scroll `view` so that document `position` sits at the middle of its viewport."""
    line = view.cursorRect(cursor_at(view, position))  # viewport coordinates, at the current scroll position
    bar = view.verticalScrollBar()
    middle = view.viewport().height() // 2
    bar.setValue(bar.value() + line.center().y() - middle)


def offset_from_middle(view: QTextEdit, position: int) -> int:
    """How far (px) document `position`'s line is from the middle of the viewport (down is
    positive): 0 once centred, unless the page cannot scroll that far."""
    return view.cursorRect(cursor_at(view, position)).center().y() - view.viewport().height() // 2


def put_at_top(view: QTextEdit, position: int) -> None:
    """Scroll `view` so that document `position`'s line is the first line of its viewport."""
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.cursorRect(cursor_at(view, position)).top())
