"""The filter box over the section tree: a `QSortFilterProxyModel` that keeps the parents of
matching sections visible (recursive filtering), and the small pane holding box and tree.

The proxy offers the same API as `SectionTreeModel` (`section`, `index_of`, `badge`, `refresh`,
`set_library`, `library`) in its own indexes, so `window.model` stays the model the tree shows
and code written against the plain model keeps working.

Keys in the box: Down or Enter moves into the (filtered) tree, Escape clears the filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QMargins,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.content import Library, Section
from reader.ui.library.tree_model import SectionTreeModel

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QStyleOptionViewItem


class RoomyRows(QStyledItemDelegate):
    """Tree rows 6 px taller (3 px of air above and below the title) and 4 px wider. (With
    uniform row heights the tree asks for one row's size only: no cost per row.)"""

    PADDING = QMargins(2, 3, 2, 3)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index).grownBy(self.PADDING)


class SectionFilterProxy(QSortFilterProxyModel):
    """Sections whose title contains the text (any case), with their ancestors.

    Everything else of `SectionTreeModel`'s API is passed through: attributes features set
    (`badge`, ...) land on the source model and its methods are callable here; methods that
    take or return indexes are mapped explicitly below.
    """

    def __init__(self, source: SectionTreeModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.__dict__["_sections"] = source  # before any __setattr__ looks for it
        self.setSourceModel(source)
        self.setRecursiveFilteringEnabled(True)  # a match keeps its parents visible
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The title alone: the display text may carry a feature's badge.
        self.setFilterRole(Qt.ItemDataRole.AccessibleTextRole)

    def source(self) -> SectionTreeModel:
        return self.__dict__["_sections"]

    def section(self, index: Any) -> Section | None:
        return self.source().section(self.mapToSource(index)) if index.isValid() else None

    def index_of(self, section: Section, column: int = 0) -> QModelIndex:
        """The proxy index of a section; invalid when the filter hides it."""
        return self.mapFromSource(self.source().index_of(section, column))

    @property
    def library(self) -> Library:
        return self.source().library

    def __getattr__(self, name: str) -> Any:
        """Only called for names the proxy lacks: the source model's (set_library, refresh...)."""
        sections = self.__dict__.get("_sections")
        if sections is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(sections, name)

    def __setattr__(self, name: str, value: Any) -> None:
        sections = self.__dict__.get("_sections")
        if sections is not None and not hasattr(type(self), name) and hasattr(sections, name):
            setattr(sections, name, value)  # e.g. `window.model.badge = ...`
        else:
            super().__setattr__(name, value)


class FilterBox(QLineEdit):
    """The search-as-you-type field above the tree."""

    def __init__(self, tree: QTreeView, on_enter: Callable[[], None]) -> None:
        super().__init__()
        self.tree = tree
        self.on_enter = on_enter
        self.setObjectName("SectionFilter")
        self.setPlaceholderText("Filter sections")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Filter sections")
        self.setAccessibleDescription("Shows only the sections whose title contains this text")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.on_enter()
        else:
            super().keyPressEvent(event)


class TreePane(QWidget):
    """Filter box above the section tree; hooks the box to the proxy.

    While the filter changes, Qt moves the tree's current row off rows it hides: `filtering`
    says so (the window must not take that for the reader choosing a section), and `filtered`
    is emitted after, for the window to select the section shown again."""

    filtered = Signal()

    def __init__(self, tree: QTreeView, proxy: SectionFilterProxy, depth: int) -> None:
        super().__init__()
        self.filtering = False
        self.setObjectName("TreePane")
        self.setAccessibleName("Sections pane")
        # `expand_depth`, not `depth`: QWidget.depth() is a method (of QPaintDevice)
        self.tree, self.proxy, self.expand_depth = tree, proxy, depth
        self.box = FilterBox(tree, self.enter_tree)
        self.box.textChanged.connect(self.set_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.box)
        layout.addWidget(tree)
        self.setTabOrder(self.box, tree)

    def set_filter(self, text: str) -> None:
        self.filtering = True
        try:
            self.proxy.setFilterFixedString(text.strip())
            if text.strip():
                self.tree.expandAll()  # matches may be deep; show them all
            else:
                self.tree.collapseAll()
                self.tree.expandToDepth(self.expand_depth)
        finally:
            self.filtering = False
        self.filtered.emit()
        self.box.setAccessibleDescription(f"{self._count()} matching sections" if text else
                                          "Shows only the sections whose title contains this text")

    def enter_tree(self) -> None:
        """Move into the tree at the current row, or the first visible one."""
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.tree.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.tree.setCurrentIndex(self.proxy.index(0, 0))

    def _count(self) -> int:
        count, stack = 0, [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self.proxy.rowCount(parent)):
                count += 1
                stack.append(self.proxy.index(row, 0, parent))
        return count
