"""`QAbstractItemModel` adapter over the library's plain-Python section trees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from reader.content import Library, Section

KeyRole = Qt.ItemDataRole.UserRole + 1  # the section's library-wide key
ShownRole = Qt.ItemDataRole.UserRole + 2  # SHOWN when the section filter keeps the row
SHOWN = "\x01"
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()  # the invalid index Qt uses for "top level"


class SectionTreeModel(QAbstractItemModel):
    """Top-level rows are briefings (their root sections); children follow the headings."""

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self._library = library
        self._roots: list[Section] = []
        self._top_row: dict[int, int] = {}
        # Optional decorators added by features (annotations, read marks, changes): section -> text
        self.badge: Callable[[Section], str] | None = None
        self.decoration: Callable[[Section], Any] | None = None  # an icon before the title
        # Rows shown after a briefing's own sections that are not in the library (sections an
        # update removed, kept readable): root id -> rows whose parent is that root.
        self._extra: dict[int, list[Section]] = {}
        # id() of the sections the tree's filter keeps (matches and their ancestors), asked
        # through ShownRole by the filter proxy; None when no filter is set.
        self.shown: set[int] | None = None
        self.set_library(library)

    def set_library(self, library: Library) -> None:
        self.beginResetModel()
        self._extra = {}
        self._library = library
        self._roots = [b.root for b in library.briefings]
        self._top_row = {id(r): i for i, r in enumerate(self._roots)}
        self.endResetModel()

    @property
    def library(self) -> Library:
        return self._library

    def section(self, index: Index) -> Section | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, section: Section, column: int = 0) -> QModelIndex:
        if section.parent is None:
            row = self._top_row.get(id(section))
            if row is None:
                return QModelIndex()
        else:
            row = section.row
        return self.createIndex(row, column, section)

    def index(self, row: int, column: int, parent: Index = NO_PARENT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        children = self._children(parent)
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    # Item models override the index form of parent(); PySide6 declares it in one overload set
    # with QObject.parent() (stub defect: the override cannot match both)
    def parent(self, index: Index = NO_PARENT) -> QModelIndex:  # type: ignore[override]
        section = self.section(index)
        if section is None or section.parent is None:
            return QModelIndex()
        return self.index_of(section.parent)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 1

    def hasChildren(self, parent: Index = NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        section = self.section(index)
        if section is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            badge = self.badge(section) if self.badge else ""
            return f"{section.title}{badge}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(section) if self.decoration else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return " › ".join(section.path_titles)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return section.title
        if role == KeyRole:
            return section.key
        if role == ShownRole:
            return SHOWN if self.shown is None or id(section) in self.shown else ""
        return None

    def all_sections(self) -> list[Section]:
        """Every row's section in tree order: the library's and the extra rows."""
        out: list[Section] = []
        for root in self._roots:
            out.extend(root.walk())
            out.extend(row for extra in self._extra.get(id(root), []) for row in extra.walk())
        return out

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def refresh(self, section: Section | None = None) -> None:
        """Repaint one row (or all) after a decorator's answer changed."""
        if section is None:
            # The announce-then-change pair: proxies (the tree's filter) keep their mapping and
            # persistent indexes valid only when told before; a lone layoutChanged crashes them.
            self.layoutAboutToBeChanged.emit()
            self.layoutChanged.emit()
            return
        idx = self.index_of(section)
        self.dataChanged.emit(idx, idx)

    def set_extra_rows(self, root: Section, rows: list[Section]) -> None:
        """Show `rows` (with `parent` = root) after the sections of a briefing's root."""
        parent, base = self.index_of(root), len(root.children)
        old = self._extra.get(id(root), [])
        if old:
            self.beginRemoveRows(parent, base, base + len(old) - 1)
            del self._extra[id(root)]
            self.endRemoveRows()
        if rows:
            for i, row in enumerate(rows):
                row.row = base + i
            self.beginInsertRows(parent, base, base + len(rows) - 1)
            self._extra[id(root)] = list(rows)
            self.endInsertRows()

    def _children(self, parent: Index) -> list[Section]:
        section = self.section(parent)
        if section is None:
            return self._roots
        extra = self._extra.get(id(section)) if section.parent is None else None
        return section.children + extra if extra else section.children
