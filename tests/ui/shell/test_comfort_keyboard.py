"""Keyboard: every menu entry reachable without the mouse, no clashing shortcuts, the shortcut
list, focus order; accessibility: names on every visible widget, the article's text exposed;
Help ▸ About and Edit ▸ Preferences."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from reader.ui.kit.settings import Settings
from reader.ui.shell.accessibility import unnamed_widgets
from reader.ui.shell.keyboard import menu_entries, mnemonic, shortcut_rows
from reader.ui.shell.main_window import MainWindow
from tests.ui.comfort_support import close
from tests.ui.features_of import annotations_of, updates_of
from tests.ui.top_level import visible_top_level

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def all_menu_actions(window: MainWindow):
    return list(menu_entries(window.menuBar()))


def test_every_menu_entry_has_a_shortcut_or_a_unique_mnemonic(open_window) -> None:
    window = open_window()  # with every installed feature's actions
    entries = all_menu_actions(window)
    assert len(entries) > 30
    for path, action in entries:
        where = f"{path} ▸ {action.text()}"
        has_key = any(not k.isEmpty() for k in action.shortcuts())
        assert has_key or mnemonic(action.text()), f"{where}: not reachable by keyboard"
        if isinstance(action.menu(), QMenu):  # submenus are opened by their mnemonic
            assert mnemonic(action.text()), where
    menus = [window.menuBar()] + [a.menu() for _, a in entries if isinstance(a.menu(), QMenu)]
    for menu in menus:
        letters = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        dupes = [m for m, n in Counter(letters).items() if n > 1 and m]
        assert not dupes, f"{menu.title() or 'menu bar'}: mnemonic used twice: {dupes}"


def test_no_two_actions_share_a_shortcut(open_window) -> None:
    window = open_window()
    seen: dict[str, str] = {}
    for _path, action in all_menu_actions(window):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()


def test_standard_keys_are_used_and_shown_in_menus(open_window) -> None:
    window = open_window()
    acts = window.actions_by_name
    assert not acts["quit"].shortcut().isEmpty()
    standard = {"open_folder": QKeySequence.StandardKey.Open,
                "shortcuts": QKeySequence.StandardKey.HelpContents,
                "full_screen": QKeySequence.StandardKey.FullScreen}
    for name, key in standard.items():
        assert acts[name].shortcut() == QKeySequence(key), name
    assert QKeySequence(QKeySequence.StandardKey.Back) in acts["back"].shortcuts()
    # A shortcut set on the action is what QMenu draws beside the entry.
    assert all(a.shortcut().toString() for a in (acts["zoom_in"], acts["back"], acts["filter_tree"]))


def test_help_lists_every_shortcut(open_window) -> None:
    window = open_window()
    dialog = window.show_shortcuts()
    try:
        table = dialog.table
        listed = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
        with_keys = [a for _, a in all_menu_actions(window) if not a.shortcut().isEmpty()]
        assert len(shortcut_rows(window.menuBar())) == len(with_keys)
        for action in with_keys:
            name = action.text().replace("&", "").rstrip("…")
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            assert native in listed[name], name
        assert "Ctrl+Wheel" in listed.values()
        assert "Alt+Left" in listed["Back"]
    finally:
        dialog.close()


def test_focus_order_filter_tree_article(open_window, qtbot) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.focus_filter()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.filter_box)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.tree
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.article


def test_shortcut_keys_work_from_the_keyboard(open_window, qtbot) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current.id == "iran-russia"  # next section is on the same page: scrolled
    assert window.article.section_at_top() == "deepening-ties"
    size = window.settings.font_size
    qtbot.keyClick(window.tree, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.font_size > size
    qtbot.keyClick(window.tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.article.section_at_top() == "iran-russia"


def test_every_visible_widget_has_an_accessible_name(open_window) -> None:
    window = open_window()
    assert unnamed_widgets(window) == []
    dialog = window.show_preferences()
    try:
        assert unnamed_widgets(dialog) == []
    finally:
        dialog.reject()
    dialog = window.show_shortcuts()
    try:
        assert unnamed_widgets(dialog) == []
    finally:
        dialog.close()


def test_the_article_text_is_exposed_to_screen_readers(open_window) -> None:
    window = open_window()
    iface = QAccessible.queryAccessibleInterface(window.article)
    text = iface.textInterface()
    assert text is not None
    exposed = text.text(0, text.characterCount())
    assert "Iran And Russia" in exposed and "Hey everyone" in exposed
    assert iface.text(QAccessible.Text.Description)


def test_toolbar_icons_are_svg_and_sharp(open_window) -> None:
    window = open_window()
    for name in ("back", "forward", "next_section", "previous_section", "zoom_in", "zoom_out"):
        icon = window.actions_by_name[name].icon()
        assert not icon.isNull(), name
        big = icon.pixmap(64, 64).toImage()
        assert big.width() == 64 and any(big.pixelColor(x, 32).alpha() for x in range(64)), name


def test_about_names_versions_and_licences(open_window) -> None:
    window = open_window()
    window.show_about()
    boxes = visible_top_level(QMessageBox)
    try:
        text = boxes[0].text()
        for expected in ("0.1.0", "version 1", "Qt", "LGPL", "PySide6", "Whoosh", "Python-Markdown"):
            assert expected in text, expected
    finally:
        for box in boxes:
            box.close()


def test_preferences_apply_and_persist(open_window, data_dir) -> None:
    window = open_window()
    dialog = window.show_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    dialog.family.setCurrentIndex(dialog.family.findData("sans"))
    dialog.text_size.setValue(16)
    dialog.reopen.setChecked(False)
    dialog.accept()
    assert window.themes.current.name == "sepia"
    assert window.article.document().defaultFont().pointSizeF() == 16
    assert window.actions_by_name["font_sans"].isChecked()
    close(window)
    s = Settings(data_dir / "settings.ini")
    assert (s.theme, s.font_family, s.font_size, s.restore_position) == ("sepia", "sans", 16.0, False)


def test_mnemonics_are_completed_and_deduplicated(qtbot) -> None:
    from PySide6.QtWidgets import QMenuBar

    from reader.ui.shell.keyboard import ensure_mnemonics

    bar = QMenuBar()
    qtbot.addWidget(bar)
    menu = bar.addMenu("&Edit")
    texts = ["&Rebuild Index", "&Redo", "Yellow", "Rock && Roll"]
    for text in texts:
        menu.addAction(text)
    ensure_mnemonics(bar)
    got = [a.text() for a in menu.actions()]
    assert got == ["&Rebuild Index", "R&edo", "&Yellow", "R&ock && Roll"]
    assert len({mnemonic(t) for t in got}) == len(got)


def test_a_dock_keeps_its_mnemonic_when_its_title_changes(open_window) -> None:
    """Qt sets a dock's View menu entry to its new title ("What Changed (3)"), dropping the
    mnemonic; the window gives it one again."""
    window = open_window()
    window.settle_features()
    dock = updates_of(window).dock
    toggle = dock.toggleViewAction()
    assert mnemonic(toggle.text()) is not None
    dock.setWindowTitle("What Changed (3)")
    assert toggle.text().replace("&", "") == "What Changed (3)"
    assert mnemonic(toggle.text()) is not None
    annotations = annotations_of(window).dock.toggleViewAction().text()
    assert annotations == "&Annotations"
