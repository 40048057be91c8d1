"""The results list of the search panel: a list model over `Hit`s and a delegate that paints
title, breadcrumb and snippet (hit words in bold) as rich text."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

# QStyle is looked up as QtWidgets.QStyle when results are painted: importing it builds its many
# enums (~5 ms), which the first screen, with no results yet, does not need.
from PySide6 import QtWidgets
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import QStyledItemDelegate, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from reader.search import Hit

HtmlRole = Qt.ItemDataRole.UserRole + 1
HitRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


KIND_LABELS = {"note": "your note"}


def hit_html(hit: Hit) -> str:
    title = _marked(hit.title, hit.title_spans)
    label = KIND_LABELS.get(hit.kind, hit.kind)
    kind = "" if hit.kind == "section" else f" <small>({html.escape(label)})</small>"
    path = f"<br/><small><i>{html.escape(hit.path)}</i></small>" if hit.path else ""
    return f"<b>{title}</b>{kind}{path}<br/>{hit.snippet.html('b')}"


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [html.escape(text[last:start]), "<u>", html.escape(text[start:end]), "</u>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


class SearchResultsModel(QAbstractListModel):
    """The hits shown, first the answer's first page; when the query matched more, the view's
    scrolling to the end asks for the next page (`canFetchMore` / `fetchMore` ->
    `more_wanted`), which `append_hits` adds."""

    more_wanted = Signal(int)  # how many hits are shown: the next page starts there

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._total = 0
        self._asked = False  # a next page is on its way

    def set_hits(self, hits: list[Hit], total: int | None = None) -> None:
        """A new list; `total`: how many the query matched (more pages while it is larger)."""
        self.beginResetModel()
        self._hits = list(hits)
        self._total = len(self._hits) if total is None else total
        self._asked = False
        self.endResetModel()

    def append_hits(self, hits: list[Hit]) -> int:
        """Add the next page (hits already shown are left out); returns how many were added."""
        self._asked = False
        shown = {h.key for h in self._hits}
        new = [h for h in hits if h.key not in shown]
        if not new:
            self._total = len(self._hits)  # nothing more came: no more pages
            return 0
        self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(new) - 1)
        self._hits.extend(new)
        self.endInsertRows()
        return len(new)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        return not parent.isValid() and not self._asked and len(self._hits) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if self.canFetchMore(parent):
            self._asked = True
            self.more_wanted.emit(len(self._hits))

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.path} › {hit.title}" if hit.path else hit.title
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{hit.path}. {hit.snippet.text}"
        if role == HtmlRole:
            return hit_html(hit)
        if role == HitRole:
            return hit
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's `HtmlRole` as rich text, wrapped to the view's width.

    The view asks every row's size each time the list changes (50 rows at each keystroke's
    answer) and again as it lays out: laying out a document for each took the GUI thread up to
    0.9 s per answer at 100,000 sections. A row's height depends only on its HTML, the font and
    the width, so it is kept (`_heights`); painting, for the rows in view only, lays out anew."""

    HEIGHTS_KEPT = 2000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple[str, int, str], int] = {}

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        role = (QPalette.ColorRole.HighlightedText if option.state & QtWidgets.QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        # The text colour goes in as CSS rather than through a Python-side PaintContext, which
        # leaked references to None in PySide6 6.12.0 (now excluded by pyproject.toml's pin, and
        # guarded by tests/ui/app/test_long_session.py); CSS is as cheap, so it stays.
        doc.setDefaultStyleSheet(f"body, p, div, span {{ color: {option.palette.color(role).name()}; }}")
        # In a <div>: Qt applies no `body` rule to a fragment, and text outside any block kept
        # the default colour, dark on the selection's blue.
        doc.setHtml(f"<div>{index.data(HtmlRole) or ''}</div>")
        doc.setTextWidth(max(50, option.rect.width() - 8))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if isinstance(option.widget, QWidget) and hasattr(
            option.widget, "viewport") else 300
        option.rect.setWidth(width)
        key = (str(index.data(HtmlRole) or ""), width, option.font.key())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= self.HEIGHTS_KEPT:
                self._heights.clear()
            height = self._heights[key] = int(self._document(option, index).size().height()) + 6
        return QSize(width, height)
