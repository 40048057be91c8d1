"""The filter box over the section tree, showing the sections whose title contains the text,
with their ancestors, and the small pane holding box and tree.

Which sections those are is worked out by `reader.content.title_filter` in slices between
events (a new keystroke drops the old work), then given to the tree's model at once
(`SectionTreeModel.set_shown`: the model lists a parent's kept children only when the tree
asks for them); the tree is expanded to the matches as far as that stays quick (EXPAND_LIMIT
rows, a slice at a time) and the box says how many there are. A small library is filtered in
one go.

The tree shows `SectionFilterProxy`, a pass-through proxy offering the same API as
`SectionTreeModel` (`section`, `index_of`, `badge`, `refresh`, `set_library`, `library`), so
`window.model` stays the model the tree shows and code written against the plain model keeps
working.

Keys in the box: Down or Enter moves into the (filtered) tree, Escape clears the filter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QIdentityProxyModel,
    QMargins,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.content import Library, Section
from reader.content.title_filter import FilterResult, TitleIndex
from reader.ui.kit.text_direction import TextDirectionDelegate
from reader.ui.library.tree_model import SectionTreeModel

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QStyleOptionViewItem


SYNC_LIMIT = 20_000  # sections filtered in one go; more are filtered in slices between events
EXPAND_LIMIT = 3_000  # rows opened for the matches; more stay closed for the reader to open
FIRST_ROWS = 80  # rows opened for the matches before the tree is shown again: a screenful
SLICE_ROWS = 200  # then per turn of the event loop at most (the tree lays out each with a call
SLICE_MS = 8.0  # into Python), and for this long at most
EXPAND_ALL_AT_ONCE = 5_000  # sections Expand All opens in one go; above, rows open as they show
LAZY_HINT = "Expanding as you scroll"


def search_fold(text: str) -> str:
    """A title or the typed text folded as search folds words (case, accents, ё, Arabic and
    Persian letter forms, ZWNJ), so the filter and search agree on what matches."""
    fold = _fold_for_matching
    if fold is None:
        fold = _load_fold()
    return fold(text).text


_fold_for_matching: Callable[[str], Any] | None = None


def _load_fold() -> Callable[[str], Any]:
    # Imported on the first filter, not at start, and once: an import statement per title
    # (PySide6 hooks every import) was a third of folding 100,000 titles.
    global _fold_for_matching
    from reader.search.scripts import fold_for_matching

    _fold_for_matching = fold_for_matching
    return fold_for_matching


def _ancestors_of_matches(result: FilterResult) -> Iterator[Section]:
    """The rows to open for the matches: their ancestors, each once, parents before children,
    in tree order; worked out as they are asked for (a common letter matches 90,000 titles)."""
    seen: set[int] = set()
    for _, section in result.found:
        chain = []
        node = section.parent
        while node is not None and id(node) not in seen:
            seen.add(id(node))
            chain.append(node)
            node = node.parent
        yield from reversed(chain)


class RoomyRows(TextDirectionDelegate):
    """Tree rows 6 px taller (3 px of air above and below the title) and 4 px wider, each in
    its title's direction. (With uniform row heights the tree asks for one row's size only: no
    cost per row.)"""

    PADDING = QMargins(2, 3, 2, 3)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index).grownBy(self.PADDING)


class SectionFilterProxy(QIdentityProxyModel):
    """The tree's model: `SectionTreeModel` row for row (which does the filter's hiding).

    An identity proxy maps indexes without calling into Python and keeps no mapping; it is
    here for its API: everything of `SectionTreeModel`'s is passed through: attributes features
    set (`badge`, ...) land on the source model and its methods are callable here; methods that
    take or return indexes are mapped explicitly below.
    """

    def __init__(self, source: SectionTreeModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.__dict__["_sections"] = source  # before any __setattr__ looks for it
        self.setSourceModel(source)

    def show_only(self, shown: set[int] | None, parents: set[int] | None = None) -> None:
        """Keep only the rows of these sections (id()s; None: every row), `parents` those with
        a kept child (see SectionTreeModel.set_shown); a model reset."""
        if shown is None and self.source().shown is None:
            return  # no filter before or after: the tree keeps its open rows
        self.source().set_shown(shown, parents)

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
    is emitted after, for the window to select the section shown again. `pending` is true
    while a filter is being worked out (large libraries)."""

    filtered = Signal()

    def __init__(self, tree: QTreeView, proxy: SectionFilterProxy, depth: int) -> None:
        super().__init__()
        self.filtering = False
        self.setObjectName("TreePane")
        self.setAccessibleName("Sections pane")
        # `expand_depth`, not `depth`: QWidget.depth() is a method (of QPaintDevice)
        self.tree, self.proxy, self.expand_depth = tree, proxy, depth
        self.titles = TitleIndex(proxy.source().iter_sections, search_fold,
                                 proxy.source().section_count)
        # Another library or extra rows (updates); not modelReset, which a new filter emits too
        proxy.source().sections_changed.connect(self._library_changed)
        self.result: FilterResult | None = None  # of the text applied last
        self._job: Iterator[FilterResult | None] | None = None
        self._step = QTimer(self, interval=0)
        self._step.timeout.connect(self._work)
        # Expand All on a large tree: every row is to be open, and rows are opened as they come
        # into view (see expand_all); the ids of rows the reader closed since stay closed.
        self.expanding_all = False
        self._kept_closed: set[int] = set()
        self._in_view_pass = False
        self._in_view_later = QTimer(self, singleShot=True, interval=0)
        self._in_view_later.timeout.connect(self.expand_in_view)
        tree.viewport().installEventFilter(self)
        proxy.source().modelReset.connect(self.stop_expanding)  # another library
        proxy.rowsInserted.connect(self._rows_arrived)
        proxy.layoutChanged.connect(self._rows_arrived)
        # Ancestors of matches the filter has yet to open (see _expand_to); None: no more
        self._opening: Iterator[Section] | None = None
        self._opened_rows = 0
        self._open_timer = QTimer(self, singleShot=True, interval=0)
        self._open_timer.timeout.connect(self._open_later)
        # Large libraries: `filtered` is emitted a turn of the event loop after the tree got its
        # rows, once it has painted them (see _apply)
        self._tell_filtered = QTimer(self, singleShot=True, interval=0)
        self._tell_filtered.timeout.connect(self.filtered.emit)
        self.box = FilterBox(tree, self.enter_tree)
        self.box.textChanged.connect(self.set_filter)
        self.hint = QLabel()
        self.hint.setObjectName("FilterHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.box)
        layout.addWidget(self.hint)
        layout.addWidget(tree)
        self.setTabOrder(self.box, tree)

    @property
    def pending(self) -> bool:
        """A filter is being worked out, or its answer is shown but the read section not yet
        selected again (`filtered` not yet emitted)."""
        return self._job is not None or self._tell_filtered.isActive()

    def _library_changed(self, *_args: object) -> None:
        self.titles = TitleIndex(self.proxy.source().iter_sections, search_fold,
                                 self.proxy.source().section_count)
        self.result = None
        if self.box.text().strip():
            self.set_filter(self.box.text())

    def set_filter(self, text: str) -> None:
        self._job = None
        self._step.stop()
        # The rows of the last answer no longer need opening: at 100,000 sections a slice of
        # that, a slice of the new filter and its answer had come in one turn of the event loop.
        self._opening = None
        self._open_timer.stop()
        text = text.strip()
        if not text:
            self._apply(None)
            return
        previous = self.result if self.result is not None and self.result.text else None
        job = self.titles.search(text, previous)
        if len(self.titles) <= SYNC_LIMIT:
            self._apply(self.titles.run(text, previous))
            return
        self._job = job
        self.hint.setText(f"Filtering {len(self.titles):,} sections…")
        self.hint.show()
        self._step.start()

    def _work(self) -> None:
        """One slice of the filter's work per turn of the event loop."""
        if self._job is None:
            self._step.stop()
            return
        try:
            step = next(self._job)
        except StopIteration:  # pragma: no cover (search always yields its result last)
            step = None
            self._job = None
        if step is not None:
            self._job = None
            self._step.stop()
            self._apply(step)

    def _apply(self, result: FilterResult | None) -> None:
        self.result = result
        self._end_expanding_all()  # a new filter: its own rows open, not every row
        self._opening = None
        self.filtering = True
        try:
            self.tree.setUpdatesEnabled(False)
            if result is None:
                self.proxy.show_only(None)  # every row, all closed
            else:
                self.proxy.show_only(result.visible, result.parents)
            if result is None:
                if self.expand_depth >= 0:  # else the reset left every row closed, as wanted
                    self.tree.expandToDepth(self.expand_depth)  # (and this lays out at once)
            else:
                self._expand_to(result)
                self.tree.scrollToTop()  # the matches from the first one
        finally:
            self.tree.setUpdatesEnabled(True)
            self.filtering = False
        self._describe(result)
        if len(self.titles) <= SYNC_LIMIT:
            self.filtered.emit()
        else:
            # Selecting the read section lays the tree out (a call into Python per top-level row:
            # 12-40 ms at 100,000 sections) in the same turn as the reset and the first rows
            # opened. A turn later the tree has painted, so laid itself out, and selecting is cheap.
            self._tell_filtered.start()

    def _expand_to(self, result: FilterResult) -> None:
        """Open the rows down to the matches, in tree order: a screenful at once, the rest a
        slice at a time between events (a new key stops it), up to EXPAND_LIMIT rows.

        Slices are counted in rows as well as in time: after the filter's reset the tree lays
        itself out later, so opening a row here costs nothing until then, and the layout, one
        call into Python per row, would take what the clock did not see."""
        self._opening = _ancestors_of_matches(result)
        self._opened_rows = 0
        self._open_some(FIRST_ROWS)
        if self._opening is not None:
            self._open_timer.start()

    def _open_some(self, rows: int) -> None:
        deadline = time.perf_counter() + SLICE_MS / 1000
        goal = self._opened_rows + rows
        while self._opening is not None and self._opened_rows < goal:
            section = next(self._opening, None)
            if section is None:
                self._opening = None
                break
            index = self.proxy.index_of(section)
            if index.isValid():
                self.tree.expand(index)
                self._opened_rows += self.proxy.rowCount(index)
            if self._opened_rows > EXPAND_LIMIT:
                self._opening = None
            if time.perf_counter() >= deadline:
                break

    def _open_later(self) -> None:
        if self._opening is None:
            return
        self.filtering = True  # rows appear: Qt may move the current row
        try:
            self._open_some(SLICE_ROWS)
        finally:
            self.filtering = False
        if self._opening is not None:
            self._open_timer.start()

    def _describe(self, result: FilterResult | None) -> None:
        if self.expanding_all:
            self.hint.setText(LAZY_HINT)
            self.hint.show()
            return
        if result is None:
            self.hint.hide()
            self.box.setAccessibleDescription(
                "Shows only the sections whose title contains this text")
            return
        n = len(result.found)  # not len(matches): a list of them all
        text = f"{n:,} matching section{'s' if n != 1 else ''}"
        if len(result.visible) > EXPAND_LIMIT:
            text += " (the first ones opened)"
        self.box.setAccessibleDescription(text)
        self.hint.setText(text if n else "No section title contains this")
        self.hint.setVisible(len(self.titles) > SYNC_LIMIT or n == 0)

    def enter_tree(self) -> None:
        """Move into the tree at the current row, or the first visible one."""
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.tree.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.tree.setCurrentIndex(self.proxy.index(0, 0))

    def expand_all(self) -> None:
        """View ▸ Expand All: at once for a small tree. A large one would take seconds (13.7 s
        at 100,000 sections, opened a slice at a time), so it is marked "all expanded" and the
        rows are opened as they come into view, by scrolling, the keyboard or rows arriving: a
        viewport's worth at a time, each within a frame. The hint says so until Collapse All or
        a new filter."""
        if len(self.titles) <= EXPAND_ALL_AT_ONCE:
            self.tree.expandAll()
            return
        if not self.expanding_all:
            self._watch_rows(True)
        self.expanding_all = True
        self._kept_closed.clear()
        self._describe(self.result)
        self.expand_in_view()

    def stop_expanding(self) -> None:
        """End Expand All's opening as you scroll (Collapse All); what is open stays open."""
        if self.expanding_all:
            self._end_expanding_all()
            self._describe(self.result)

    def _end_expanding_all(self) -> None:
        if self.expanding_all:
            self.expanding_all = False
            self._watch_rows(False)
            self._in_view_later.stop()

    def _watch_rows(self, on: bool) -> None:
        """Hear of scrolling and of rows opened or closed only while every row is to be open:
        the filter opens thousands of rows, each a signal, which need no Python call else."""
        tree = self.tree
        for signal, slot in ((tree.verticalScrollBar().valueChanged, self._scrolled),
                             (tree.expanded, self._row_opened), (tree.collapsed, self._row_closed)):
            if on:
                signal.connect(slot)
            else:
                signal.disconnect(slot)

    def expand_in_view(self) -> int:
        """Open the rows in view that have children (and those their opening brings into view),
        top to bottom; at most one viewport of rows is visited. Returns the rows opened."""
        if not self.expanding_all or self._in_view_pass:
            return 0
        tree = self.tree
        height = tree.viewport().height()
        index = tree.indexAt(tree.viewport().rect().topLeft())
        row_height = max(1, tree.visualRect(index).height()) if index.isValid() else 1
        budget, opened = height // row_height + 2, 0
        self._in_view_pass = True
        try:
            while index.isValid() and budget > 0:
                if tree.visualRect(index).top() >= height:
                    break
                section = self.proxy.section(index)
                if (not tree.isExpanded(index) and self.proxy.hasChildren(index)
                        and id(section) not in self._kept_closed):
                    tree.expand(index)
                    opened += 1
                index = tree.indexBelow(index)
                budget -= 1
        finally:
            self._in_view_pass = False
        return opened

    def _scrolled(self, _value: int) -> None:
        # At once, not later: the rows scrolled in are opened before they are painted.
        if self.expanding_all:
            self.expand_in_view()

    def _rows_arrived(self, *_args: object) -> None:
        if self.expanding_all:
            self._in_view_later.start()

    def _row_opened(self, _index: QModelIndex) -> None:
        if self.expanding_all and not self._in_view_pass:
            self._in_view_later.start()  # the reader opened one: its rows came into view

    def _row_closed(self, index: QModelIndex) -> None:
        if self.expanding_all and not self.filtering:
            section = self.proxy.section(index)
            if section is not None:
                self._kept_closed.add(id(section))  # closed by the reader: not opened again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.expanding_all:
            self._in_view_later.start()  # a taller view shows more rows
        return False
