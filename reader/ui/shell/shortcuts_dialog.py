"""Help ▸ Keyboard Shortcuts: every shortcut, read from the menus themselves (loaded when
opened, not at start-up)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.shell.accessibility import name_scroll_bars

# Keys that are not menu actions but belong in the list.
EXTRA_KEYS = [
    ("Zoom with the mouse wheel", "Ctrl+Wheel"),
    ("Back / forward", "Mouse back / forward buttons"),
    ("Next / previous control", "Tab / Shift+Tab"),
    ("Open the menu bar", "Alt or F10"),
    ("Scroll the article", "Space / Shift+Space, PgDown / PgUp, Home / End"),
    ("Filter box: into the tree / clear", "Down or Enter / Esc"),
]


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts: a table of every shortcut, read from the menus themselves."""

    def __init__(self, commands: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("ShortcutsDialog")
        rows = commands + [(what, "", keys) for what, keys in EXTRA_KEYS]
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("ShortcutsTable")
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Command", "Menu", "Keys"])
        table.verticalHeader().hide()
        table.horizontalHeader().setAccessibleName("Columns")
        name_scroll_bars(table, "Shortcuts")
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.setAccessibleName("Dialog buttons")
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(640, 520)
