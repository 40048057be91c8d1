"""Bookmarks: where one points, and the Bookmarks tab of the Annotations panel that lists them.

A bookmark (Ctrl+D) marks the section whose heading is at the top of the view *and* the place in
it the reader is at: a short quote of the text at the top of the view, anchored like any
highlight, so the place survives an update of the briefing. Bookmarks made before places were
kept have no quote and stand for the start of their section.

The list shows each one with its section's title, the place as a share of the briefing ("42 %")
and the date it was made. No emoji: the fonts Qt falls back on here (DejaVu, Noto) have no 🔖,
which is why bookmarks showed as a missing-glyph box.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeView, QVBoxLayout, QWidget

from reader.annotations import Annotation, Kind, Selector, service
from reader.annotations.model import parse_time
from reader.content import Library, Section, section_plain_text
from reader.ui.features.annotations.keys import DeleteKey
from reader.ui.features.annotations.models import Entry, IdRole
from reader.ui.kit.text_direction import TextDirectionDelegate
from reader.ui.reading.scroll_to import cursor_at, put_at_top

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextEdit

    from reader.ui.features.annotations.mapping import PageMap

PLACE_CHARS = 48  # a quote this long finds the place again; longer ones break more on updates
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


# -- where a bookmark points -------------------------------------------------------------------
def place_at_top(article: QTextEdit, page_map: PageMap, section: Section) -> int:
    """Offset in `section_plain_text(section)` of the first character at (or after) the top of
    the view: its start when the section's heading is still in sight."""
    region = page_map.region(section)
    if region is None or not region.doc_idx:
        return 0
    top = article.cursorForPosition(QPoint(article.viewport().width() // 2, 1)).position()
    j = bisect.bisect_left(region.doc_idx, top)
    return region.plain_idx[min(j, len(region.plain_idx) - 1)]


def new_bookmark(section: Section, offset: int) -> Annotation:
    """A bookmark on `section` at `offset` of its plain text: a quote of the words from there
    (from the start of the word `offset` is in); the whole section when it has no text."""
    text = section_plain_text(section)
    bookmark = service.bookmark(section)
    if not text.strip():
        return bookmark
    start = max(0, min(offset, len(text) - 1))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while start < len(text) - 1 and text[start].isspace():
        start += 1
    end = min(len(text), start + PLACE_CHARS)
    cut = text.rfind(" ", start + PLACE_CHARS // 2, end)
    if end < len(text) and cut > start:
        end = cut  # end on a whole word
    return replace(bookmark, selector=Selector.from_range(text, start, end))


def scroll_to_place(article: QTextEdit, position: int) -> None:
    """Put the caret at document `position` and scroll its line to the top of the view, where
    it was when the bookmark was made."""
    article.setTextCursor(cursor_at(article, position))  # caret browsing, a screen reader
    put_at_top(article, position)


class _BriefingOffsets:
    """Where each section's text starts in its briefing's, worked out once per briefing for a
    listing (every bookmark of a briefing of thousands of sections would otherwise measure all
    of them again)."""

    def __init__(self) -> None:
        self._of: dict[int, tuple[dict[int, int], int]] = {}

    def percent_through(self, section: Section, offset: int) -> int:
        """How far into its briefing `offset` of `section`'s text is, in per cent of the text."""
        key = id(section.briefing) if section.briefing else id(section)
        if key not in self._of:
            order = list(section.briefing.sections()) if section.briefing else [section]
            starts, total = {}, 0
            for s in order:
                starts[id(s)] = total
                total += len(section_plain_text(s))
            self._of[key] = (starts, total)
        starts, total = self._of[key]
        return round(100 * (starts.get(id(section), 0) + offset) / total) if total else 0


# -- the list ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BookmarkRow:
    """One bookmark as listed: `title` its heading, `path` the headings above it too.
    `percent` is None when its section is not in the library."""

    id: str
    title: str
    path: str
    briefing: str
    percent: int | None
    created: str  # ISO timestamp (UTC)
    order: tuple[int, int, int]

    @property
    def place(self) -> str:
        return f"{self.percent} %" if self.percent is not None else "section missing"

    @property
    def date(self) -> str:
        """When it was made, in local time (ISO-like: the same in every locale)."""
        try:
            return f"{parse_time(self.created).astimezone():%Y-%m-%d %H:%M}"
        except ValueError:
            return self.created

    @property
    def details(self) -> str:
        """Place and date first: in a narrow panel the end of the line is what is cut off."""
        return " · ".join(p for p in (self.place, self.date, self.briefing) if p)


def bookmark_rows(entries: list[Entry], library: Library) -> list[BookmarkRow]:
    """The bookmarks among `entries`, in reading order (those of missing sections last)."""
    rows, offsets = [], _BriefingOffsets()
    for e in entries:
        a = e.annotation
        if a.kind is not Kind.BOOKMARK:
            continue
        section = library.find(a.section_key)
        if section is None or section.key != a.section_key:
            rows.append(BookmarkRow(a.id, e.section_title, e.section_title, "", None, a.created,
                                    (1, 0, 0)))
            continue
        # A quote no longer found (an update rewrote it) falls back on the section's start.
        offset = e.anchor.start if e.anchor.attached else 0
        briefing = section.briefing.title if section.briefing else ""
        rows.append(BookmarkRow(a.id, section.title, e.section_title, briefing,
                                offsets.percent_through(section, offset), a.created,
                                (0, library.position(section), offset)))
    return sorted(rows, key=lambda r: (r.order, r.created))


class BookmarkModel(QAbstractListModel):
    """Bookmark rows: the heading on the first line, place · date · briefing on the second."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[BookmarkRow] = []

    def set_rows(self, rows: list[BookmarkRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, bookmark_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.id == bookmark_id), -1)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{r.title}\n{r.details}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.path}\n{r.details}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{r.title}, {r.details}"  # one line: a screen reader reads it as one
        if role == IdRole:
            return r.id
        return None


class BookmarksPane(QWidget):
    """The Bookmarks tab: Enter, a double click or Open go to the place; Delete (the key or the
    button) deletes the bookmark, through the panel's undo like every delete."""

    open_requested = Signal(str)  # bookmark (annotation) id
    delete_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.model = BookmarkModel(self)
        # A tree view of one level, not a list view: its rows are as wide as the panel, so a
        # long title is cut off with "…" instead of the list scrolling sideways.
        self.view = QTreeView()
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setExpandsOnDoubleClick(False)
        self.view.setAlternatingRowColors(True)  # where one two-line row ends and the next begins
        self.view.setObjectName("BookmarksList")
        self.view.setAccessibleName("Bookmarks")
        self.view.setItemDelegate(TextDirectionDelegate(self.view))  # Persian titles run RTL
        self.view.setModel(self.model)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Enter, and a double click (a single one where the style activates on a single click)
        self.view.activated.connect(self._on_activated)
        self.delete_key = DeleteKey(self.view, self._delete_current)
        self.open_button = QPushButton("Open")
        self.delete_button = QPushButton("Delete")
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.delete_button.clicked.connect(self._delete_current)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def set_rows(self, rows: list[BookmarkRow]) -> None:
        """List `rows`, keeping the current row where it was (on the same bookmark, or on the
        one after a deleted one: Delete, Delete deletes two in a row)."""
        current = self.selected_id()
        at = self.view.currentIndex().row()
        self.model.set_rows(rows)
        row = self.model.row_of(current) if current else -1
        if row < 0 and at >= 0 and rows:
            row = min(at, len(rows) - 1)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))

    def selected_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select(self, bookmark_id: str) -> bool:
        row = self.model.row_of(bookmark_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        return row >= 0

    def _emit(self, signal: Any) -> None:
        bookmark_id = self.selected_id()
        if bookmark_id:
            signal.emit(bookmark_id)

    def _delete_current(self) -> None:
        self._emit(self.delete_requested)

    def _on_activated(self, index: QModelIndex) -> None:
        bookmark_id = index.data(IdRole)
        if bookmark_id:
            self.open_requested.emit(bookmark_id)
