"""Edit ▸ Preferences…: theme, body font, text size, reading width, line spacing, page margins
and reopening behaviour.

The dialog only edits a copy of the values; OK applies them through the same window commands
the menus use, so menus, settings and the page never disagree. Line spacing and page margins
show on the page as they are changed (they have no menu to try them from); Cancel puts back
what was there.
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
from reader.ui.reading.typography import (
    FAMILY_LABELS,
    LINE_SPACING,
    MARGIN_LABELS,
    SIZES,
    WIDTH_LABELS,
    margin_name,
    width_name,
)
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
        self._spacing_before, self._margin_before = s.line_spacing, margin_name(s.page_margin)
        self.line_spacing = QDoubleSpinBox()
        self.line_spacing.setAccessibleName("Line spacing")
        self.line_spacing.setRange(*LINE_SPACING)
        self.line_spacing.setSingleStep(0.1)
        self.line_spacing.setDecimals(1)
        self.line_spacing.setSuffix(" ×")
        self.line_spacing.setValue(s.line_spacing)
        self.line_spacing.valueChanged.connect(window.typography.set_line_spacing)  # live
        self.margins = _combo("Page margins", MARGIN_LABELS, self._margin_before)
        self.margins.currentIndexChanged.connect(
            lambda _i: window.typography.set_margins(str(self.margins.currentData())))
        self.reopen = QCheckBox("&Reopen each briefing where I left off")
        self.reopen.setAccessibleName("Reopen where I left off")
        self.reopen.setChecked(s.restore_position)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.rejected.connect(self._put_back)
        buttons.setAccessibleName("Dialog buttons")
        form = QFormLayout(self)
        form.addRow("&Theme:", self.theme)
        form.addRow("Body &font:", self.family)
        form.addRow("Text &size:", self.text_size)
        form.addRow("Reading &width:", self.reading_width)
        form.addRow("&Line spacing:", self.line_spacing)
        form.addRow("Page &margins:", self.margins)
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

    def _put_back(self) -> None:
        """Cancel (or Esc): the line spacing and margins tried live go back to what they were."""
        typography = self.main_window.typography
        if self.line_spacing.value() != self._spacing_before:
            typography.set_line_spacing(self._spacing_before)
        if self.margins.currentData() != self._margin_before:
            typography.set_margins(self._margin_before)
