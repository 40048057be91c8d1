"""The recent searches offered under the search field: a completer's popup, opened on demand
(Down in an empty field, Alt+Down) rather than on every keystroke, so typing still searches as
you type and Up/Down still move through the results."""

from __future__ import annotations

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView


class RecentSearches(QObject):
    """A list of searches shown under `field`; `chosen(text)` when one is picked (Enter, click)."""

    chosen = Signal(str)

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self.model = QStringListModel(self)
        # Not field.setCompleter(): the line edit would pop it up at every edit.
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(field)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.popup = QListView()
        self.popup.setAccessibleName("Recent searches")
        self.completer.setPopup(self.popup)  # the completer owns it from here
        self.completer.activated.connect(self.chosen)  # the text chosen (the str overload)

    def set_items(self, items: list[str]) -> None:
        self.model.setStringList(items)

    def items(self) -> list[str]:
        return self.model.stringList()

    def show(self) -> bool:
        """Open the list (its first entry current); False when there is nothing to offer."""
        if not self.model.rowCount():
            return False
        self.completer.setCompletionPrefix("")
        self.completer.complete()
        self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        return True

    def hide(self) -> None:
        self.popup.hide()

    @property
    def visible(self) -> bool:
        return self.popup.isVisible()
