"""`QAbstractItemModel` adapter over the library's plain-Python section trees, which also does the
section filter's hiding (`set_shown`).

The filter lives here, not in a `QSortFilterProxyModel`: after a new filter the proxy asked
`filterAcceptsRow` (a call into Python) for every child of every top-level row the tree looked
at, ~100,000 calls in one turn of the event loop at 100,000 sections (0.9 s). Here a filtered
parent's kept children are listed on first use and cached, so Qt's work and ours follow the
rows the tree shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from reader.content import Library, Section

KeyRole = Qt.ItemDataRole.UserRole + 1  # the section's library-wide key
# The features' marks after a title ("✎2  ✓  (edited)"), drawn in a space of their own at the
# row's trailing edge (library/tree_badges.py): in the display text a long title pushed them off.
BadgeRole = Qt.ItemDataRole.UserRole + 2
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # once: Qt asks per row
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()  # the invalid index Qt uses for "top level"


class SectionTreeModel(QAbstractItemModel):
    """Top-level rows are briefings (their root sections); children follow the headings.

    With a filter set (`set_shown`), only the sections it keeps are rows, in the same order.
    `sections_changed` says the sections there are to filter changed (another library, extra
    rows), unlike `modelReset`, which a new filter emits too."""

    sections_changed = Signal()

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self._library = library
        self._roots: list[Section] = []
        self._top_row: dict[int, int] = {}
        # Optional decorators added by features (annotations, read marks, changes): section ->
        # badge text (BadgeRole)
        self.badge: Callable[[Section], str] | None = None
        self.decoration: Callable[[Section], Any] | None = None  # an icon before the title
        # Rows shown after a briefing's own sections that are not in the library (sections an
        # update removed, kept readable): root id -> rows whose parent is that root.
        self._extra: dict[int, list[Section]] = {}
        # id() of the sections the tree's filter keeps (matches and their ancestors); None when
        # no filter is set. Under a filter: id(parent) (0: the top level) -> its kept children,
        # and id(section) -> its row among them, both filled a parent at a time on first use.
        self._shown: set[int] | None = None
        self._parents: set[int] | None = None  # of those, the ids with a kept child, if known
        self._kept: dict[int, list[Section]] = {}
        self._kept_row: dict[int, int] = {}
        self.kept_lists = 0  # parents whose kept children were listed (tests count them)
        self.set_library(library)

    def set_library(self, library: Library) -> None:
        self.beginResetModel()
        self._extra = {}
        self._library = library
        self._roots = [b.root for b in library.briefings]
        self._top_row = {id(r): i for i, r in enumerate(self._roots)}
        self._set_filter(None)  # the ids were another library's; the filter is worked out again
        self.endResetModel()
        self.sections_changed.emit()

    @property
    def shown(self) -> set[int] | None:
        return self._shown

    def set_shown(self, shown: set[int] | None, parents: set[int] | None = None) -> None:
        """Show only the sections with these id()s (None: every section); each kept section's
        ancestors must be kept too. `parents`, the kept ids with a kept child, answers
        hasChildren without listing children (the tree asks it of every top-level row). A
        reset: the view forgets its open rows and current row (removing thousands of rows one
        by one costs an open view a relayout each)."""
        self.beginResetModel()
        self._set_filter(shown, parents)
        self.endResetModel()

    def _set_filter(self, shown: set[int] | None, parents: set[int] | None = None) -> None:
        self._shown = shown
        self._parents = set(parents) if shown is not None and parents is not None else None
        self._kept, self._kept_row = {}, {}

    @property
    def library(self) -> Library:
        return self._library

    def section(self, index: Index) -> Section | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, section: Section, column: int = 0) -> QModelIndex:
        """The section's index; invalid when it is not a row (hidden by the filter...)."""
        if self._shown is not None:
            if id(section) not in self._shown:
                return QModelIndex()
            row = self._kept_row.get(id(section))
            if row is None:
                if section.parent is None and id(section) not in self._top_row:
                    return QModelIndex()
                self._kept_children(section.parent)  # lists the row's siblings, and so its row
                row = self._kept_row.get(id(section))
                if row is None:  # pragma: no cover (a kept section under a kept parent)
                    return QModelIndex()
            return self.createIndex(row, column, section)
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
        if self._parents is not None and parent.isValid():
            return parent.column() == 0 and id(parent.internalPointer()) in self._parents
        return self.rowCount(parent) > 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        section = self.section(index)
        if section is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title
        if role == BadgeRole:
            return self.badge(section).strip() if self.badge else ""
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(section) if self.decoration else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return " › ".join(section.path_titles)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return section.title
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:  # the badges, said after the title
            return self.badge(section).strip() if self.badge else None
        if role == KeyRole:
            return section.key
        return None

    def all_sections(self) -> list[Section]:
        """Every row's section in tree order (without a filter): the library's and the extra rows."""
        return list(self.iter_sections())

    def iter_sections(self) -> Iterator[Section]:
        for root in self._roots:
            yield from root.walk()
            for extra in self._extra.get(id(root), []):
                yield from extra.walk()

    def section_count(self) -> int:
        """len(all_sections()), without listing them."""
        extra = sum(1 for rows in self._extra.values() for row in rows for _ in row.walk())
        return len(self._library) + extra

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

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
        """Show `rows` (with `parent` = root) after the sections of a briefing's root. Under a
        filter, those of them it keeps (the filter is worked out again on `sections_changed`)."""
        old = self._extra.get(id(root), [])
        if not old and not rows:
            return
        parent = self.index_of(root)
        for i, row in enumerate(rows):
            row.row = len(root.children) + i  # its row without a filter
        if self._shown is None:
            base, old_shown, new_shown = len(root.children), len(old), len(rows)
        else:  # the kept extra rows are the last kept children; none at all if root is hidden
            kept = self._kept_children(root) if parent.isValid() else []
            old_shown = sum(1 for r in old if id(r) in self._shown) if parent.isValid() else 0
            new_shown = sum(1 for r in rows if id(r) in self._shown) if parent.isValid() else 0
            base = len(kept) - old_shown
        if old_shown:
            self.beginRemoveRows(parent, base, base + old_shown - 1)
        self._extra.pop(id(root), None)
        self._forget_kept(root)
        if old_shown:
            self.endRemoveRows()
        if new_shown:
            self.beginInsertRows(parent, base, base + new_shown - 1)
        if rows:
            self._extra[id(root)] = list(rows)
        self._forget_kept(root)
        if self._parents is not None and parent.isValid():  # hasChildren's answer follows
            if self._kept_children(root):
                self._parents.add(id(root))
            else:
                self._parents.discard(id(root))
        if new_shown:
            self.endInsertRows()
        self.sections_changed.emit()

    def _forget_kept(self, parent: Section) -> None:
        for child in self._kept.pop(id(parent), []):
            self._kept_row.pop(id(child), None)

    def _all_children(self, section: Section | None) -> list[Section]:
        if section is None:
            return self._roots
        extra = self._extra.get(id(section)) if section.parent is None else None
        return section.children + extra if extra else section.children

    def _kept_children(self, section: Section | None) -> list[Section]:
        """Under a filter: the section's (None: the top level's) children it keeps, listed once."""
        key = id(section) if section is not None else 0
        kept = self._kept.get(key)
        if kept is None:
            shown = self._shown
            assert shown is not None
            kept = [c for c in self._all_children(section) if id(c) in shown]
            self._kept[key] = kept
            self._kept_row.update((id(c), row) for row, c in enumerate(kept))
            self.kept_lists += 1
        return kept

    def _children(self, parent: Index) -> list[Section]:
        section = self.section(parent)
        if self._shown is not None:
            return self._kept_children(section)
        return self._all_children(section)
