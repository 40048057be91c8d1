"""Tree rows with the features' badges (✎N notes, ✓ read, a change) in a space of their own at
the row's trailing edge — the right of a left-to-right title, the left of a right-to-left one —
so that a long title elides instead of pushing them out of sight.

The badge text comes from the model's `BadgeRole`; rows without one paint as plain rows.
`layout` is the one place the parts of a row are worked out: painting uses it, and the tests
check it against the viewport.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from reader.ui.library.tree_filter import RoomyRows
from reader.ui.library.tree_model import BadgeRole

Index = QModelIndex | QPersistentModelIndex
GAP = 8  # px between the (elided) title and the badges


class RowLayout(NamedTuple):
    """Where a row's parts go, in the view's viewport coordinates."""

    title: QRect  # the space left for the title (it is elided to fit)
    title_text: str  # the title as drawn: elided when it does not fit beside the badges
    badge: QRect  # the badges' own space at the trailing edge; empty without badges
    badge_text: str


class BadgedRows(RoomyRows):
    """The tree's rows: roomy, in their title's direction, badges at the trailing edge."""

    def layout(self, option: QStyleOptionViewItem, index: Index) -> RowLayout:
        """The row's title and badge rectangles for `option` (the view's, for this row)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        return self._layout(opt, index.data(BadgeRole) or "")

    def _layout(self, opt: QStyleOptionViewItem, badge: str) -> RowLayout:
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        if not badge:
            return RowLayout(text, opt.text, QRect(), "")
        # The style insets the text by this much on either side (QCommonStyle's viewItemDrawText).
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
        metrics = opt.fontMetrics
        width = min(metrics.horizontalAdvance(badge) + 2 * margin, max(text.width(), 0))
        if opt.direction == Qt.LayoutDirection.RightToLeft:
            badge_rect = QRect(text.left(), text.top(), width, text.height())
            title = text.adjusted(width + GAP, 0, 0, 0)
        else:
            badge_rect = QRect(text.right() - width + 1, text.top(), width, text.height())
            title = text.adjusted(0, 0, -(width + GAP), 0)
        room = max(title.width() - 2 * margin, 0)
        elided = metrics.elidedText(opt.text, Qt.TextElideMode.ElideRight, room)
        return RowLayout(title, elided, badge_rect, badge)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        badge = index.data(BadgeRole)
        if not badge:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        row = self._layout(opt, badge)
        # The whole row (selection, icon, focus) as the style draws it, with the title already
        # elided to leave the badges their space.
        opt.text = row.title_text
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if opt.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, role))
        # Left to right in either row: "✎2  ✓" laid out right to left came out as "✓  2✎".
        painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        painter.drawText(row.badge, int(Qt.AlignmentFlag.AlignCenter), row.badge_text)
        painter.restore()
