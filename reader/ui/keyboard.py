"""Keyboard conventions: walk the menus, give every menu entry a mnemonic (so it can be reached
with Alt/F10 and a letter even without a shortcut), and list every shortcut for Help ▸ Keyboard
Shortcuts.

Features add actions from several modules; rather than trusting each to pick unique mnemonics,
`ensure_mnemonics` fills in the missing ones the way KDE's accelerator manager does.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.accessibility import name_scroll_bars

# Keys that are not menu actions but belong in the list.
EXTRA_KEYS = [
    ("Zoom with the mouse wheel", "Ctrl+Wheel"),
    ("Back / forward", "Mouse back / forward buttons"),
    ("Next / previous control", "Tab / Shift+Tab"),
    ("Open the menu bar", "Alt or F10"),
    ("Scroll the article", "Space / Shift+Space, PgDown / PgUp, Home / End"),
    ("Filter box: into the tree / clear", "Down or Enter / Esc"),
]


def mnemonic(text: str) -> str | None:
    """The mnemonic letter of a menu text (`&&` is a literal ampersand), lower-cased."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return None


def menu_entries(menu: QMenu | QMenuBar, path: str = "") -> Iterator[tuple[str, QAction]]:
    """(menu path, action) for every entry below a menu, submenus included, separators not."""
    for action in menu.actions():
        if action.isSeparator():
            continue
        name = f"{path} ▸ {plain(action.text())}" if path else plain(action.text())
        yield path, action
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_entries(sub, name)


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def ensure_mnemonics(menu: QMenu | QMenuBar) -> None:
    """Give every entry a mnemonic of its own, recursively: entries without one, or whose
    letter an earlier entry of the same menu already uses, get the first free letter."""
    used: set[str] = set()
    for action in (a for a in menu.actions() if not a.isSeparator()):
        letter = mnemonic(action.text())
        if letter is None or letter in used:
            text = plain(action.text()).replace("&", "&&")
            free = next((i for i, ch in enumerate(text) if ch.isalnum() and ch.lower() not in used),
                        None)
            if free is not None:
                action.setText(f"{text[:free]}&{text[free:]}")
                letter = text[free].lower()
        if letter:
            used.add(letter)
        sub = action.menu()
        if isinstance(sub, QMenu):
            ensure_mnemonics(sub)


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(command, menu, keys) for every menu action with a shortcut, in menu order."""
    rows = []
    for path, action in menu_entries(menu_bar):
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in action.shortcuts() if not k.isEmpty())
        if keys:
            rows.append((plain(action.text()).rstrip("…"), path, keys))
    return rows


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts: a table of every shortcut, read from the menus themselves."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("ShortcutsDialog")
        rows = shortcut_rows(menu_bar) + [(what, "", keys) for what, keys in EXTRA_KEYS]
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
