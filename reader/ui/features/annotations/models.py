"""Item model for the Annotations dock: plain-Python group/entry nodes under a thin Qt adapter.

One model class serves both lists: the main list grouped by section, colour or kind, and the
review list grouped by anchoring status (exact / moved / fuzzy / orphaned).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from reader.annotations import Anchor, Annotation, Kind, Status
from reader.annotations.note_html import note_html, note_text
from reader.ui.kit.marks import MarkKind
from reader.ui.kit.themes import THEMES, Theme

IdRole = Qt.ItemDataRole.UserRole + 1  # annotation id (entries) or None (groups)
FilterRole = Qt.ItemDataRole.UserRole + 2  # quote, note and #tags: what the filter box matches
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
STATUS_ORDER = [Status.ORPHANED, Status.FUZZY, Status.MOVED, Status.EXACT]


@dataclass(eq=False)
class Entry:
    """One annotation as listed: with its current anchor and the title of its section."""

    annotation: Annotation
    anchor: Anchor
    section_title: str

    @property
    def label(self) -> str:
        a = self.annotation
        # Words, not 🔖: no font the app finds has that glyph (a missing-glyph box showed).
        if a.kind is Kind.BOOKMARK:
            text = f"Bookmark at “{_short(a.quote, 60)}”" if a.quote else "Bookmark (whole section)"
        else:
            text = f"“{_short(a.quote, 70)}”" if a.quote else "Whole section"
        note = note_text(a.note)  # the words of the note, not its Markdown
        return f"{text} — {_short(note, 50)}" if note else text

    @property
    def status_text(self) -> str:
        s = self.anchor.status
        return f"{s.value} {self.anchor.score:.2f}" if s is Status.FUZZY else s.value

    @property
    def filter_text(self) -> str:
        a = self.annotation
        return " ".join([a.quote, note_text(a.note), self.section_title, *(f"#{t}" for t in a.tags)])

    @property
    def tooltip_html(self) -> str:
        """Section, quote, the note rendered (sanitised), tags and anchoring status, as rich text."""
        a = self.annotation
        parts = [f"<p><b>{html.escape(self.section_title)}</b></p>"]
        if a.quote:
            parts.append(f"<p><i>“{html.escape(a.quote)}”</i></p>")
        parts.append(note_html(a.note))
        if a.tags:
            parts.append(f"<p>Tags: {html.escape(', '.join(a.tags))}</p>")
        parts.append(f"<p>Status: {html.escape(self.status_text)}</p>")
        return "".join(parts)


@dataclass(eq=False)
class Group:
    label: str
    entries: list[Entry] = field(default_factory=list)


Grouping = Callable[[Entry], str]
GROUPINGS: dict[str, Grouping] = {
    "Section": lambda e: e.section_title,
    "Colour": lambda e: e.annotation.color.capitalize(),
    "Kind": lambda e: e.annotation.kind.value.capitalize(),
    "Status": lambda e: e.anchor.status.value.capitalize(),
}


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class AnnotationTreeModel(QAbstractItemModel):
    """Groups at the top level, annotations below; `set_entries` rebuilds (few hundred rows)."""

    def __init__(self, grouping: str = "Section", parent: Any = None) -> None:
        super().__init__(parent)
        self.grouping = grouping
        self.groups: list[Group] = []
        self._entries: list[Entry] = []
        # Entries are shared by both lists of the dock, so their group lives here, per model.
        self._group_row: dict[int, int] = {}
        self.theme: Theme = THEMES["light"]  # the colour swatches' (set_theme)

    def set_theme(self, theme: Theme) -> None:
        """Show each entry's colour as the theme paints that highlight (live switches too)."""
        self.theme = theme
        for row, g in enumerate(self.groups):
            if g.entries:
                parent = self.index(row, 0)
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(g.entries) - 1, 0, parent),
                                      [Qt.ItemDataRole.DecorationRole])

    def set_entries(self, entries: list[Entry], grouping: str | None = None) -> None:
        self.beginResetModel()
        self.grouping = grouping or self.grouping
        self._entries = entries
        key = GROUPINGS[self.grouping]
        by_label: dict[str, Group] = {}
        for e in entries:
            by_label.setdefault(key(e), Group(key(e))).entries.append(e)
        order = list(by_label.values())
        if self.grouping == "Status":  # what needs attention first
            order.sort(key=lambda g: [s.value.capitalize() for s in STATUS_ORDER].index(g.label))
        self.groups = order
        self._group_row = {id(e): row for row, g in enumerate(order) for e in g.entries}
        self.endResetModel()

    def entry(self, index: Index) -> Entry | None:
        node = index.internalPointer() if index.isValid() else None
        return node if isinstance(node, Entry) else None

    def index_of(self, annotation_id: str) -> QModelIndex:
        for g in self.groups:
            for row, e in enumerate(g.entries):
                if e.annotation.id == annotation_id:
                    return self.createIndex(row, 0, e)
        return QModelIndex()

    # -- QAbstractItemModel ------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = NO_PARENT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, self.groups[row]) if row < len(self.groups) else QModelIndex()
        node = parent.internalPointer()
        if isinstance(node, Group) and row < len(node.entries):
            return self.createIndex(row, 0, node.entries[row])
        return QModelIndex()

    # Item models override the index form of parent(); PySide6 declares it in one overload set
    # with QObject.parent() (stub defect: the override cannot match both)
    def parent(self, index: Index = NO_PARENT) -> QModelIndex:  # type: ignore[override]
        node = index.internalPointer() if index.isValid() else None
        row = self._group_row.get(id(node)) if isinstance(node, Entry) else None
        return QModelIndex() if row is None else self.createIndex(row, 0, self.groups[row])

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        if not parent.isValid():
            return len(self.groups)
        node = parent.internalPointer()
        return len(node.entries) if isinstance(node, Group) and parent.column() == 0 else 0

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = index.internalPointer()
        if isinstance(node, Group):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{node.label} ({len(node.entries)})"
            return None
        return self._entry_data(node, role)

    def _entry_data(self, e: Entry, role: int) -> Any:
        a = e.annotation
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{e.label}  [{e.status_text}]" if self.grouping == "Status" else e.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.tooltip_html
        if role == Qt.ItemDataRole.DecorationRole:
            return self.theme.style(MarkKind.highlight(a.color)).background
        if role == Qt.ItemDataRole.ForegroundRole and e.anchor.status is Status.ORPHANED:
            return QBrush(QColor("#9a3b3b"))
        if role == IdRole:
            return a.id
        if role == FilterRole:
            return e.filter_text
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class AnnotationFilter(QSortFilterProxyModel):
    """Filter entries by quote, note, section title or `#tag`; groups stay while a child matches."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(FilterRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setRecursiveFilteringEnabled(True)
