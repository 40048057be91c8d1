"""An image of the article at its natural size, in a window of its own (loaded on first use).

Scrolled when larger than the screen; Esc or Ctrl+W closes it; Ctrl+0 toggles between the
natural size and fitting the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent


class ImageViewer(QDialog):
    def __init__(self, parent: QWidget, pixmap: QPixmap, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("ImageViewer")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pixmap = pixmap
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAccessibleName(title)
        self.label.setPixmap(self.pixmap)
        self.area = QScrollArea()
        self.area.setWidget(self.label)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidgetResizable(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self.fit = False
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        QShortcut(QKeySequence("Ctrl+0"), self, self.toggle_fit)
        natural = self.pixmap.deviceIndependentSize().toSize()
        self.label.resize(natural)
        screen = (parent.screen() if parent is not None else None) or self.screen()
        room = screen.availableGeometry().size() * 0.9
        self.resize(min(natural.width() + 4, room.width()), min(natural.height() + 4, room.height()))

    def toggle_fit(self) -> None:
        """Natural size (scrolled) or the whole image fitted to the window."""
        self.fit = not self.fit
        self.area.setWidgetResizable(self.fit)
        if self.fit:
            self._show_fitted()
        else:
            self.label.setPixmap(self.pixmap)
            self.label.resize(self.pixmap.deviceIndependentSize().toSize())

    def _show_fitted(self) -> None:
        ratio = self.devicePixelRatioF()
        room = self.area.viewport().size() * ratio
        fitted = self.pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
        fitted.setDevicePixelRatio(ratio)
        self.label.setPixmap(fitted)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit:
            self._show_fitted()
