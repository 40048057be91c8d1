"""Edit ▸ Preferences…: theme, body font, text size, reading width and reopening behaviour.

The dialog only edits a copy of the values; OK applies them through the same window commands
the menus use, so menus, settings and the page never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QWidget,
)

from reader.ui.kit.themes import CHOICES
from reader.ui.reading.typography import FAMILY_LABELS, SIZES, WIDTH_LABELS, width_name
from reader.ui.shell.keyboard import plain

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow


def _combo(name: str, items: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for key, label in items.items():
        combo.addItem(plain(label), key)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class PreferencesDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.main_window = window  # not `window`: QWidget.window() is a method
        s = window.settings
        self.setWindowTitle("Preferences")
        self.setObjectName("PreferencesDialog")
        self.theme = _combo("Theme", CHOICES, s.theme)
        self.family = _combo("Body font", FAMILY_LABELS, s.font_family)
        self.reading_width = _combo("Reading width", WIDTH_LABELS, width_name(s.text_width))
        self.text_size = QDoubleSpinBox()  # not `size`/`width`: QWidget methods
        self.text_size.setAccessibleName("Text size")
        self.text_size.setRange(SIZES[0], SIZES[-1])
        self.text_size.setSingleStep(1.0)
        self.text_size.setDecimals(0)
        self.text_size.setSuffix(" pt")
        self.text_size.setValue(s.font_size)
        self.reopen = QCheckBox("&Reopen each briefing where I left off")
        self.reopen.setAccessibleName("Reopen where I left off")
        self.reopen.setChecked(s.restore_position)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.setAccessibleName("Dialog buttons")
        form = QFormLayout(self)
        form.addRow("&Theme:", self.theme)
        form.addRow("Body &font:", self.family)
        form.addRow("Text &size:", self.text_size)
        form.addRow("Reading &width:", self.reading_width)
        form.addRow(self.reopen)
        form.addRow(buttons)
        self.accepted.connect(self.apply)

    def apply(self) -> None:
        w, s = self.main_window, self.main_window.settings
        s.restore_position = self.reopen.isChecked()
        w.set_theme(str(self.theme.currentData()))
        s.font_family = str(self.family.currentData())
        w.typography.set_width(str(self.reading_width.currentData()))  # also re-styles the page
        w.typography.set_size(self.text_size.value())
        w.sync_look_actions()
