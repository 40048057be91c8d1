"""The search panel: a dock with a search field (Ctrl+K, Ctrl+Shift+F), a status line and the
results list, and the indexing progress bar the window puts in its status bar.

It knows neither the window nor the index: typing emits `query_changed(text)` after a short
pause (`cleared` when the field empties), Enter or a click emits `hit_chosen(hit)` (and Enter
`settled(text)`), the scope chooser `scope_changed(choice)`, and it shows what it is given
(`show_results`, `show_message`, `show_progress`, `set_recent`). Up and Down move through the
results while the field has focus; Esc clears. A "Did you mean" is followed with Alt+D from the
field, or Tab to its link and Enter; Down in the empty field (or Alt+Down) offers the recent
searches.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from reader.ui.features.search.recent import RecentSearches
from reader.ui.features.search.results import HitRole, HtmlDelegate, SearchResultsModel
from reader.ui.features.search.search_settings import SCOPES

if TYPE_CHECKING:
    from reader.search import SearchResults

DEBOUNCE_MS = 150
RESULT_ROWS_PER_BATCH = 8  # results laid out per turn of the event loop
SCOPE_NAMES = {"library": "Whole library", "briefing": "This briefing",
               "subtree": "This section and below"}
PLACEHOLDERS = {"library": "Search all briefings (Ctrl+K)", "briefing": "Search this briefing (Ctrl+K)",
                "subtree": "Search this section and below (Ctrl+K)"}


def hit_position_text(current: int, hits: int, result: int | None, results: int, exact: bool = True) -> str:
    """Where the reader is among the hits: "Hit 2 of 5 in this section · result 3 of 12"
    (`current` and `result` 0-based; `result` None when the page is not one of the results)."""
    if hits == 0:
        where = "No hits in this section"
    elif current < 0:
        where = f"{hits} hit{'s' if hits != 1 else ''} in this section"
    else:
        where = f"Hit {current + 1} of {hits} in this section"
    if result is None or results <= 0:
        return where
    return f"{where} · result {result + 1} of {results if exact else f'more than {results}'}"


class _StatusLine(QLabel):
    """The count and notices; Tab onto it lands on its "Did you mean" link, so Enter follows it
    at once (a QLabel takes the focus first and needs another Tab to reach its first link)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)


class SearchPanel(QDockWidget):
    query_changed = Signal(str)  # the field's text, once typing paused (never blank)
    cleared = Signal()  # the field was emptied (or Esc pressed): the query is gone
    hit_chosen = Signal(object)  # the Hit of the result opened (Enter, a click)
    settled = Signal(str)  # a search the user settled on (Enter, a result opened): a recent one
    scope_changed = Signal(str)  # the scope chosen: one of SCOPES
    results_shown = Signal(object)  # SearchResults, after the list was updated
    more_wanted = Signal(int)  # the list was scrolled to its end: the hits after this many

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Search", parent)
        self.setObjectName("SearchDock")
        self._suggestion: str | None = None
        self._build_widgets()
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_pause)

    def _build_widgets(self) -> None:
        self.field = QLineEdit(placeholderText="Search all briefings (Ctrl+K)")
        self.field.setAccessibleName("Search")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.installEventFilter(self)
        self.recent = RecentSearches(self.field)
        self.recent.chosen.connect(self.search_now)
        self.scope = QComboBox()
        for choice in SCOPES:
            self.scope.addItem(SCOPE_NAMES[choice], choice)
        self.scope.setAccessibleName("Search in")
        # As narrow as the panel gets (its longest choice elided), not as wide as that choice:
        # else the window's minimum width grew past a 640-px screen's (test_robustness_findings).
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope.setMinimumContentsLength(8)
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        scope_label = QLabel("&In:")
        scope_label.setBuddy(self.scope)  # Alt+I
        self.status = _StatusLine()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.status.linkActivated.connect(self.search_now)  # "Did you mean" links
        self.position = QLabel()  # "Hit 2 of 5 in this section · result 3 of 12"
        self.position.setAccessibleName("Search position")
        self.position.hide()
        self.model = SearchResultsModel(self)
        self.model.more_wanted.connect(self.more_wanted)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        # Rows measured a few at a time between events (each is a rich-text layout): all 50 at
        # once held the window for a keystroke's answer.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(RESULT_ROWS_PER_BATCH)
        self.view.setAccessibleName("Search results")
        self.view.setWordWrap(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._open_index)
        self.view.clicked.connect(self._open_index)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        scope_row = QHBoxLayout()
        scope_row.addWidget(scope_label)
        scope_row.addWidget(self.scope, 1)
        layout.addWidget(self.field)
        layout.addLayout(scope_row)
        for widget in (self.status, self.position, self.view):
            layout.addWidget(widget)
        # Tab from the field: the scope, a "Did you mean" link when there is one, the results.
        QWidget.setTabOrder(self.field, self.scope)
        QWidget.setTabOrder(self.scope, self.status)
        QWidget.setTabOrder(self.status, self.view)
        self.setWidget(body)
        # For the window's status bar (the panel's owner puts it there).
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("Indexing %p%")
        self.progress.setAccessibleName("Indexing progress")
        self.progress.hide()

    # -- the query -------------------------------------------------------------------------------
    def query(self) -> str:
        """The text in the search field."""
        return self.field.text()

    def focus_search(self) -> None:
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        """Esc: empty the field and the list; `cleared` tells that the query is gone."""
        if self.field.text():
            self.field.clear()  # emits `cleared` through _on_text_changed
        else:
            self.cleared.emit()

    def search_now(self, text: str) -> None:
        """Put `text` in the field and search it at once (a suggestion or a recent search
        followed), the field keeping the focus for Enter and Up/Down."""
        self.field.setText(text)
        self._timer.stop()
        self._on_pause()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the scope and the recent searches -------------------------------------------------------
    def scope_choice(self) -> str:
        """Where to search: one of SCOPES."""
        return str(self.scope.currentData())

    def set_scope_choice(self, choice: str) -> None:
        """Show `choice` as chosen (no `scope_changed`: it is not the user's doing)."""
        self.scope.blockSignals(True)
        self.scope.setCurrentIndex(max(0, self.scope.findData(choice)))
        self.scope.blockSignals(False)
        self.field.setPlaceholderText(PLACEHOLDERS[self.scope_choice()])

    def _on_scope_changed(self, _row: int) -> None:
        self.field.setPlaceholderText(PLACEHOLDERS[self.scope_choice()])
        self.scope_changed.emit(self.scope_choice())

    def set_recent(self, items: list[str]) -> None:
        """The recent searches to offer, newest first."""
        self.recent.set_items(items)

    def stop(self) -> None:
        """The window is closing: no more queries."""
        self._timer.stop()

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.model.set_hits([])
            self.status.setText("")
            self._set_suggestion(None)
            self.cleared.emit()
            return
        self._timer.start()

    def _on_pause(self) -> None:
        text = self.field.text()
        if text.strip():
            self.query_changed.emit(text)

    # -- showing ---------------------------------------------------------------------------------
    def show_results(self, results: SearchResults, where: str = "") -> None:
        """List the results, select the first and say how many there are (`where`, e.g.
        "in Alpha", after the count when the search had a scope)."""
        self.model.set_hits(results.hits, results.total)
        if results.hits:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.status.setText(self._status_text(results, where))
        self._set_suggestion(results.suggestion)
        self.results_shown.emit(results)

    def show_message(self, text: str) -> None:
        """A line under the field instead of the results count (rich text)."""
        self.status.setText(text)
        self._set_suggestion(None)

    def _set_suggestion(self, suggestion: str | None) -> None:
        """The status line takes the focus (Tab) only while it holds a "Did you mean" link:
        otherwise Tab would stop on plain text."""
        self._suggestion = suggestion
        if (self.status.focusPolicy() != Qt.FocusPolicy.NoFocus) == bool(suggestion):
            return  # as it was: most results (every few keystrokes) change nothing here
        mouse = Qt.TextInteractionFlag.LinksAccessibleByMouse
        if suggestion:
            self.status.setTextInteractionFlags(mouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        else:
            if self.status.hasFocus():
                self.field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.status.setTextInteractionFlags(mouse)
            self.status.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def follow_suggestion(self) -> bool:
        """Search the "Did you mean" shown (Alt+D); False when there is none."""
        if not self._suggestion:
            return False
        self.search_now(self._suggestion)
        return True

    def show_position(self, text: str) -> None:
        """Which hit of the open result is current, and which result it is ("" hides it)."""
        self.position.setText(text)
        self.position.setVisible(bool(text))

    def show_busy(self) -> None:
        """Show the progress bar, busy until the first `show_progress`."""
        self.progress.setRange(0, 0)
        self.progress.show()

    def show_progress(self, done: int, total: int) -> None:
        """Move the progress bar (shown from `show_busy` until `hide_progress`)."""
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def hide_progress(self) -> None:
        self.progress.hide()

    @staticmethod
    def _status_text(results: SearchResults, where: str = "") -> str:
        where = f" {html.escape(where)}" if where else ""
        parts = [f"{results.count_text}{where} · {results.seconds * 1000:.0f} ms"
                 if results.total else f"No results{where}."]
        if results.notice:
            parts.append(results.notice)
        if results.suggestion:
            s = html.escape(results.suggestion)
            parts.append(f"Did you mean: <a href='{s}'>{s}</a>? (Alt+D)")
        return "<br/>".join(parts)

    # -- keys and choosing a result --------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.clear()
                return True
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            if key == Qt.Key.Key_D and alt:
                self.follow_suggestion()
                return True  # else the field would take it as a "d"
            if key == Qt.Key.Key_Down and (alt or not self.field.text()) and self.recent.show():
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move_selection(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def _move_selection(self, delta: int) -> None:
        rows = self.model.rowCount()
        if rows:
            row = max(0, min(rows - 1, self.view.currentIndex().row() + delta))
            self.view.setCurrentIndex(self.model.index(row, 0))

    def open_current(self) -> None:
        """Enter: the search is settled; choose the selected result (the first when none is
        selected)."""
        self._settle()
        index = self.view.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._choose(index)

    def _open_index(self, index: QModelIndex) -> None:
        """A result opened from the list (Enter there, a click)."""
        self._settle()
        self._choose(index)

    def _settle(self) -> None:
        if self.field.text().strip():
            self.settled.emit(self.field.text())

    def _choose(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.hit_chosen.emit(hit)
