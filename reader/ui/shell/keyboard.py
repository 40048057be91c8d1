"""Keyboard conventions: walk the menus, give every menu entry a mnemonic (so it can be reached
with Alt/F10 and a letter even without a shortcut), and list every shortcut for Help ▸ Keyboard
Shortcuts (shortcuts_dialog.py).

Features add actions from several modules; rather than trusting each to pick unique mnemonics,
`ensure_mnemonics` fills in the missing ones the way KDE's accelerator manager does.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar


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
