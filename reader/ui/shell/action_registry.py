"""Every command of the window is declared here once: its id, text, menu, group and keys.

The menus, the toolbar's tooltips, Help ▸ Keyboard Shortcuts and the mnemonics all come from the
registry, so they cannot disagree. A menu is a list of groups (separators between them); an
entry goes at the end of its group whatever the order features declare in, so "Quit is last in
File" holds by construction (its group is the last one). Two commands can never claim the same
key: `declare` refuses the second with `KeyClash`, naming both.

Submenus (Open Recent, Theme, Highlight…) and the toggle actions of docks and toolbars are
entries too (`submenu`, `add`), so their keys are checked and listed like the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from reader.ui.shell.keyboard import ensure_mnemonics, plain, shortcut_rows

Key = QKeySequence.StandardKey
KeySpec = Key | str

# menu id -> (title, its groups in order). Submenus are declared with `submenu` and get a
# layout of one group unless listed here.
MENUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "file": ("&File", ("open", "import", "print", "quit")),
    "edit": ("&Edit", ("undo", "annotate", "find", "preferences")),
    "view": ("&View", ("theme", "text", "tree", "panels")),
    "go": ("&Go", ("history", "sections", "reading")),
    "help": ("&Help", ("help",)),
}


class KeyClash(ValueError):
    """Two commands claim the same key, or the same id."""


def key_sequences(*keys: KeySpec) -> list[QKeySequence]:
    """The platform's main binding of standard keys plus explicit ones, without repeats or
    blanks. (Not every binding: some platforms add Backspace for Back, which would surprise.)"""
    out: list[QKeySequence] = []
    for key in keys:
        seq = QKeySequence(key)
        if not seq.isEmpty() and seq not in out:
            out.append(seq)
    return out


# A NamedTuple, not a dataclass: about 0.2 ms to define instead of 1.4, on the first screen's path.
class ActionSpec(NamedTuple):
    """One command: `id` (the QAction's objectName, and the key of `actions_by_name`), the menu
    text with its mnemonic, the menu and group it sits in, and its keys (standard keys first)."""

    id: str
    text: str
    menu: str
    group: str
    keys: tuple[KeySpec, ...] = ()
    checkable: bool = False


class _Menu:
    """A menu, its groups in order, the entries of each group and the separator above each."""

    def __init__(self, menu: QMenu, groups: tuple[str, ...]) -> None:
        self.menu, self.groups = menu, groups
        self.entries: dict[str, list[QAction]] = {}
        self.separators: dict[str, QAction] = {}


class ActionRegistry:
    """The window's commands, its menus and their keys (see the module's docstring)."""

    def __init__(self, window: QWidget, menu_bar: QMenuBar) -> None:
        self._window = window
        self._bar = menu_bar
        self._menus: dict[str, _Menu] = {}
        self.by_id: dict[str, QAction] = {}
        self._owner_of_key: dict[str, str] = {}  # key (portable text) -> id of its command
        for menu_id, (title, groups) in MENUS.items():
            menu = menu_bar.addMenu(title)
            menu.setObjectName(f"{menu_id.capitalize()}Menu")
            self._menus[menu_id] = _Menu(menu, groups)

    # -- declaring ------------------------------------------------------------------------------
    def declare(self, spec: ActionSpec, slot: Callable[..., object]) -> QAction:
        """Create the command's action, bind its keys (refusing a clash) and place it."""
        action = QAction(spec.text, self._window)
        action.setObjectName(spec.id)
        action.setCheckable(spec.checkable)
        action.setShortcuts(key_sequences(*spec.keys))
        action.triggered.connect(slot)
        self.add(spec.menu, spec.group, action, spec.id)
        return action

    def add(self, menu_id: str, group: str, action: QAction, action_id: str | None = None) -> QAction:
        """Place an action made elsewhere (a dock's or toolbar's toggle) as a menu entry."""
        action_id = action_id or action.objectName() or plain(action.text())
        if not action.objectName():
            action.setObjectName(action_id)
        if action_id in self.by_id:
            raise KeyClash(f"two commands with the id {action_id!r}")
        self._claim_keys(action_id, action.shortcuts())
        self.by_id[action_id] = action
        self._place(menu_id, group, action)
        self._window.addAction(action)  # keys work with the menu bar hidden, too
        return action

    def submenu(self, menu_id: str, title: str, parent: str, group: str,
                groups: tuple[str, ...] = ("",)) -> QMenu:
        """A submenu of `parent`, itself a menu entries can be declared into."""
        if menu_id in self._menus:
            raise KeyClash(f"two menus with the id {menu_id!r}")
        menu = QMenu(title, self._window)
        menu.setObjectName(f"{menu_id.capitalize()}Menu")
        self._place(parent, group, menu.menuAction())
        self._menus[menu_id] = _Menu(menu, groups)
        return menu

    def _claim_keys(self, action_id: str, keys: list[QKeySequence]) -> None:
        texts = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys if not k.isEmpty()]
        for text in texts:
            owner = self._owner_of_key.get(text)
            if owner is not None and owner != action_id:
                raise KeyClash(f"{text} is already the key of {owner!r}; {action_id!r} cannot have it")
        for text in texts:
            self._owner_of_key[text] = action_id

    def _place(self, menu_id: str, group: str, action: QAction) -> None:
        """At the end of its group: before the first thing (separator or entry) of a later one.
        Groups with entries are separated by one separator each."""
        m = self._menus[menu_id]
        if group not in m.groups:
            raise ValueError(f"menu {menu_id!r} has no group {group!r} (it has {m.groups})")
        index = m.groups.index(group)
        later = [g for g in m.groups[index + 1:] if m.entries.get(g)]
        before = (m.separators.get(later[0]) or m.entries[later[0]][0]) if later else None
        entries = m.entries.setdefault(group, [])
        if not entries:
            if any(m.entries.get(g) for g in m.groups[:index]):
                m.separators[group] = self._separator(m.menu, before)
            if later and later[0] not in m.separators:  # it was at the top until now
                m.separators[later[0]] = self._separator(m.menu, m.entries[later[0]][0])
                before = m.separators[later[0]]
        entries.append(action)
        self._insert(m.menu, action, before)

    def _separator(self, menu: QMenu, before: QAction | None) -> QAction:
        separator = QAction(menu)
        separator.setSeparator(True)
        self._insert(menu, separator, before)
        return separator

    @staticmethod
    def _insert(menu: QMenu, action: QAction, before: QAction | None) -> None:
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)

    # -- reading --------------------------------------------------------------------------------
    def menu(self, menu_id: str) -> QMenu:
        return self._menus[menu_id].menu

    def finish(self) -> None:
        """Every entry has a mnemonic of its own (after a batch of declarations)."""
        ensure_mnemonics(self._bar)

    def key_owners(self) -> dict[str, str]:
        """Each bound key (portable text) and the id of the one command it triggers."""
        return dict(self._owner_of_key)

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(command, menu, keys) of every command with keys, in menu order (Help ▸ Keyboard
        Shortcuts)."""
        return shortcut_rows(self._bar)
