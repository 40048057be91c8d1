"""The action registry: one declaration per command builds the menus, binds the keys (refusing a
clash) and keeps Quit last; the window's menus and shortcut list come from it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from reader.ui.shell.action_registry import MENUS, ActionRegistry, ActionSpec, KeyClash


def layout(menu: QMenu) -> list[str]:
    return ["--" if a.isSeparator() else a.objectName() or a.text() for a in menu.actions()]


@pytest.fixture
def registry(qtbot) -> ActionRegistry:
    window = QMainWindow()
    qtbot.addWidget(window)
    return ActionRegistry(window, window.menuBar())


def test_entries_go_to_their_group_whatever_the_order_of_declaring(registry) -> None:
    def noop() -> None:
        pass

    registry.declare(ActionSpec("quit", "&Quit", "file", "quit", ("Ctrl+Q",)), noop)
    registry.declare(ActionSpec("print", "&Print…", "file", "print", ("Ctrl+P",)), noop)
    registry.declare(ActionSpec("open", "&Open…", "file", "open", ("Ctrl+O",)), noop)
    registry.declare(ActionSpec("preview", "Pre&view…", "file", "print"), noop)
    registry.declare(ActionSpec("import", "&Import…", "file", "import"), noop)
    assert layout(registry.menu("file")) == ["open", "--", "import", "--", "print", "preview",
                                             "--", "quit"]


def test_a_second_claim_on_a_key_is_refused_naming_both(registry) -> None:
    registry.declare(ActionSpec("search", "&Search…", "edit", "find", ("Ctrl+K",)), lambda: None)
    with pytest.raises(KeyClash, match="Ctrl\\+K.*'search'.*'other'"):
        registry.declare(ActionSpec("other", "&Other", "edit", "find", ("Ctrl+K",)), lambda: None)
    assert "other" not in registry.by_id
    assert layout(registry.menu("edit")) == ["search"]
    with pytest.raises(KeyClash, match="id 'search'"):
        registry.declare(ActionSpec("search", "Again", "edit", "find"), lambda: None)


def test_an_unknown_group_is_an_error(registry) -> None:
    with pytest.raises(ValueError, match="no group 'misc'"):
        registry.declare(ActionSpec("x", "&X", "view", "misc"), lambda: None)


def test_the_window_binds_every_key_once_and_quit_is_last(open_window) -> None:
    """Walk every key of every command of the full window (all features installed)."""
    window = open_window()
    registry = window.registry
    owners = registry.key_owners()
    bound = {}
    for action_id, action in registry.by_id.items():
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert owners.get(text) == action_id, (text, action_id)
            assert text not in bound, f"{text}: {bound.get(text)} and {action_id}"
            bound[text] = action_id
    assert set(bound) == set(owners)
    assert len(bound) > 30
    file_menu = [a for a in registry.menu("file").actions() if not a.isSeparator()]
    assert file_menu[-1].objectName() == "quit"
    assert [window.menuBar().actions()[i].text() for i in range(len(MENUS))] == [
        title for title, _ in MENUS.values()]
    for menu in [registry.menu(m) for m in MENUS]:  # no separator first, last or doubled
        kinds = [a.isSeparator() for a in menu.actions()]
        assert kinds and not kinds[0] and not kinds[-1], menu.title()
        assert all(not (x and y) for x, y in zip(kinds, kinds[1:], strict=False)), menu.title()


def test_a_feature_cannot_take_a_key_of_the_window(open_window) -> None:
    window = open_window()
    with pytest.raises(KeyClash, match="'search'"):
        window.registry.declare(ActionSpec("date_filter", "&Date Filter", "edit", "find",
                                           ("Ctrl+K",)), lambda: None)
    assert window.actions_by_name["search"].shortcuts()[0] == QKeySequence("Ctrl+K")


def test_the_shortcut_list_is_the_registry(open_window) -> None:
    window = open_window()
    dialog = window.show_shortcuts()
    try:
        rows = window.registry.shortcut_rows()
        listed = [tuple(dialog.table.item(r, c).text() for c in range(3)) for r in range(len(rows))]
        assert listed == rows
        assert ("Quit", "File", "Ctrl+Q") in rows
    finally:
        dialog.close()
