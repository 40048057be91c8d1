"""Rows that run the way their text does: a list or tree of the application's direction would
lay a Persian title with an English word in it out left to right, its words out of order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate

from reader.content.bidi import is_rtl

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem


class TextDirectionDelegate(QStyledItemDelegate):
    """Each row in its own text's direction (its first strong letter decides), aligned to
    where that text starts."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if is_rtl(option.text):
            option.direction = Qt.LayoutDirection.RightToLeft
