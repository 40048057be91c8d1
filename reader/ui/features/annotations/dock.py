"""The Annotations dock (all annotations, grouped and filtered; the review list; the bookmarks)
and the note editor. Delete on a row of any list deletes it (undoable, as every delete is)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.annotations import COLORS, Annotation, Kind, Status
from reader.ui.features.annotations.bookmarks import BookmarkRow, BookmarksPane
from reader.ui.features.annotations.keys import DeleteKey
from reader.ui.features.annotations.models import (
    GROUPINGS,
    AnnotationFilter,
    AnnotationTreeModel,
    Entry,
    IdRole,
)
from reader.ui.kit.text_direction import TextDirectionDelegate

if TYPE_CHECKING:
    from reader.ui.kit.themes import Theme

BUTTON_ROW_MAX = 260  # px of buttons side by side in a pane

class NoteEditor(QDialog):
    """Edit an annotation's note (Markdown), colour and tags; read `result_annotation()` on accept."""

    def __init__(self, annotation: Annotation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotation = annotation
        self.setWindowTitle("Note" if annotation.kind is Kind.NOTE else "Annotation")
        self.setObjectName("NoteEditor")
        quote = QLabel(f"“{annotation.quote}”" if annotation.quote else "Whole section")
        quote.setWordWrap(True)
        self.note = QPlainTextEdit(annotation.note)
        self.note.setPlaceholderText("Your note (Markdown)")
        self.note.setAccessibleName("Note text")
        self.note.setTabChangesFocus(True)  # Tab moves on to the colour; it never traps focus
        self.color = QComboBox()
        self.color.addItems(list(COLORS))
        self.color.setCurrentText(annotation.color)
        self.tags = QLineEdit(", ".join(annotation.tags))
        self.tags.setPlaceholderText("comma-separated tags")
        form = QFormLayout()
        form.addRow("Colour", self.color)
        form.addRow("Tags", self.tags)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (quote, self.note):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 320)

    def changed(self) -> bool:
        new, old = self.result_annotation(), self.annotation
        return (new.note, new.color, new.tags, new.kind) != (old.note, old.color, old.tags, old.kind)

    def result_annotation(self) -> Annotation:
        note = self.note.toPlainText().strip()
        kind = self.annotation.kind
        if kind is Kind.HIGHLIGHT and note:
            kind = Kind.NOTE
        elif kind is Kind.NOTE and not note:
            kind = Kind.HIGHLIGHT
        tags = tuple(t for t in self.tags.text().split(","))
        return self.annotation.edited(note=note, color=self.color.currentText(), tags=tags, kind=kind)


class _ListPane(QWidget):
    """A filterable, groupable tree of annotations with a row of buttons under it."""

    def __init__(self, groupings: list[str], buttons: list[str], filter_hint: str) -> None:
        super().__init__()
        self.model = AnnotationTreeModel(groupings[0], self)
        self.proxy = AnnotationFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setItemDelegate(TextDirectionDelegate(self.view))  # Persian quotes run RTL
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.group_by = QComboBox()
        self.group_by.addItems(groupings)
        # As narrow as a short word, not the longest grouping: the dock's narrowest width decides
        # how much room the article keeps on a small screen.
        self.group_by.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.group_by.setMinimumContentsLength(6)
        self.group_by.setAccessibleName("Group by")
        self.group_by.currentTextChanged.connect(self._regroup)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(filter_hint)
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter annotations")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        top = QHBoxLayout()
        if len(groupings) > 1:
            top.addWidget(self.group_by)
        top.addWidget(self.filter, 1)
        row = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for text in buttons:
            self.buttons[text] = QPushButton(text)
        # One row, or two per row where one row would be wide: the dock's narrowest width decides
        # how much room the article keeps on a small screen (Review's three made it 343 px).
        wide = sum(b.minimumSizeHint().width() for b in self.buttons.values()) > BUTTON_ROW_MAX
        columns = 2 if wide else max(1, len(buttons))
        for n, b in enumerate(self.buttons.values()):
            row.addWidget(b, n // columns, n % columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.delete_key: DeleteKey | None = None  # set by the dock, which knows what Delete does

    def set_entries(self, entries: list[Entry]) -> None:
        """List `entries`, the current row kept: on the same annotation, or (it was deleted) on
        the row that took its place in its group, so Delete, Delete deletes two in a row."""
        current = self.view.currentIndex()
        kept = current.data(IdRole) if current.isValid() else None
        at = (current.parent().row(), current.row()) if current.parent().isValid() else None
        self.model.set_entries(entries)
        self.view.expandAll()
        if kept is not None and not self.select(kept) and at is not None:
            group = self.proxy.index(at[0], 0) if at[0] < self.proxy.rowCount() else QModelIndex()
            count = self.proxy.rowCount(group) if group.isValid() else 0
            if count:
                self.view.setCurrentIndex(self.proxy.index(min(at[1], count - 1), 0, group))

    def _regroup(self, grouping: str) -> None:
        self.model.set_entries(self.model._entries, grouping)
        self.view.expandAll()

    def selected_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select(self, annotation_id: str) -> bool:
        index = self.proxy.mapFromSource(self.model.index_of(annotation_id))
        if index.isValid():
            self.view.setCurrentIndex(index)
        return index.isValid()


class AnnotationsDock(QDockWidget):
    """All annotations (group by section/colour/kind, filter, jump) and the review list."""

    jump_requested = Signal(str)  # annotation id
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    accept_requested = Signal(str)
    reattach_requested = Signal(str)
    bookmark_open_requested = Signal(str)  # bookmark (annotation) id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("AnnotationsDock")
        groupings = [g for g in GROUPINGS if g != "Status"]
        self.all = _ListPane(groupings, ["Go to", "Edit…", "Delete"], "Filter by text or #tag")
        self.review = _ListPane(["Status"], ["Accept match", "Re-attach to selection", "Delete"],
                                "Filter")
        self.bookmarks = BookmarksPane()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.all, "All")
        self.tabs.addTab(self.review, "Review")
        self.tabs.addTab(self.bookmarks, "Bookmarks")
        self.setWidget(self.tabs)
        self._wire()

    def _wire(self) -> None:
        def on(pane: _ListPane, text: str, signal: SignalInstance) -> None:
            pane.buttons[text].clicked.connect(lambda: self._emit(pane, signal))

        on(self.all, "Go to", self.jump_requested)
        on(self.all, "Edit…", self.edit_requested)
        on(self.all, "Delete", self.delete_requested)
        on(self.review, "Accept match", self.accept_requested)
        on(self.review, "Re-attach to selection", self.reattach_requested)
        on(self.review, "Delete", self.delete_requested)
        def delete_in(pane: _ListPane) -> Callable[[], None]:
            return lambda: self._emit(pane, self.delete_requested)

        for pane in (self.all, self.review):
            pane.view.activated.connect(lambda index: self._on_activated(index))
            pane.delete_key = DeleteKey(pane.view, delete_in(pane))
        self.bookmarks.open_requested.connect(self.bookmark_open_requested)
        self.bookmarks.delete_requested.connect(self.delete_requested)

    def _emit(self, pane: _ListPane, signal: SignalInstance) -> None:
        annotation_id = pane.selected_id()
        if annotation_id:
            signal.emit(annotation_id)

    def _on_activated(self, index: QModelIndex) -> None:
        annotation_id = index.data(IdRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

    def set_theme(self, theme: Theme) -> None:
        """Colour swatches of both lists in the theme's highlight colours."""
        self.all.model.set_theme(theme)
        self.review.model.set_theme(theme)

    def set_entries(self, entries: list[Entry]) -> None:
        self.all.set_entries(entries)
        self.review.set_entries(entries)
        review_count = sum(1 for e in entries if e.anchor.status in (Status.FUZZY, Status.ORPHANED))
        self.tabs.setTabText(1, f"Review ({review_count})" if review_count else "Review")
        self.all.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_bookmarks(self, rows: list[BookmarkRow]) -> None:
        self.bookmarks.set_rows(rows)
        self.tabs.setTabText(2, f"Bookmarks ({len(rows)})" if rows else "Bookmarks")

    def show_bookmarks(self) -> None:
        """Open the dock on its Bookmarks tab, the keyboard in the list."""
        self.show()
        self.raise_()
        self.tabs.setCurrentWidget(self.bookmarks)
        view = self.bookmarks.view
        if not view.currentIndex().isValid() and self.bookmarks.model.rows:
            view.setCurrentIndex(self.bookmarks.model.index(0))
        view.setFocus()
