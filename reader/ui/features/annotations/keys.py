"""The Delete key on a list of the Annotations panel: deletes the row it is on.

An event filter on the view, not a shortcut: a Delete shortcut would be live wherever its
context reaches, and one on the window would take the key from the article and the text boxes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView


class DeleteKey(QObject):
    """Calls `on_delete` when Delete is pressed (no modifiers) in `view`; the key goes no further."""

    def __init__(self, view: QAbstractItemView, on_delete: Callable[[], None]) -> None:
        super().__init__(view)
        self.on_delete = on_delete
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.on_delete()
            return True
        return False
