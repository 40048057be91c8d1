"""The main window's own menus and navigation toolbar (features add theirs via `add_action`).

Standard `QKeySequence`s are used where the platform has one (Open, Quit, Back, Forward, Zoom,
Full Screen, Preferences, Help); every entry also has a mnemonic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton

from reader import APP_NAME
from reader.ui.kit.themes import CHOICES, flat_toolbar
from reader.ui.library.library_folders import LibraryFolders
from reader.ui.reading.typography import FAMILY_LABELS, WIDTH_LABELS

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

Key = QKeySequence.StandardKey
# action name -> icon in resources/icons (tinted with the theme's icon colour)
TOOLBAR_ICONS = {"back": "go-back", "forward": "go-forward", "previous_section": "go-previous",
                 "next_section": "go-next", "zoom_out": "zoom-out", "zoom_in": "zoom-in"}


def _keys(*keys: Key | str) -> list[QKeySequence]:
    """The platform's main binding of standard keys plus explicit ones, without repeats or
    blanks. (Not every binding: some platforms add Backspace for Back, which would surprise.)"""
    out: list[QKeySequence] = []
    for key in keys:
        seq = QKeySequence(key)
        if not seq.isEmpty() and seq not in out:
            out.append(seq)
    return out


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    w.menus = {name: bar.addMenu(title) for name, title in
               [("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("go", "&Go"),
                ("help", "&Help")]}
    _file_menu(w)
    w.add_action("edit", "preferences", "&Preferences…", w.show_preferences).setShortcuts(
        _keys(Key.Preferences, "Ctrl+,"))
    _view_menu(w)
    _go_menu(w)
    w.add_action("help", "shortcuts", "&Keyboard Shortcuts", w.show_shortcuts, Key.HelpContents)
    w.add_action("help", "about", f"&About {APP_NAME}", w.show_about)


def _file_menu(w: MainWindow) -> None:
    w.add_action("file", "open_folder", "&Open Content Folder…", lambda: w.folders.choose(),
                 Key.Open)
    recent = QMenu("Open &Recent", w)
    recent.setObjectName("RecentMenu")
    w.menus["file"].addMenu(recent)
    w.menus["recent"] = recent
    w.folders = LibraryFolders(w, recent)
    w.menus["file"].addSeparator()
    # Some platforms (and the offscreen one) have no standard Quit key: Ctrl+Q then.
    w.add_action("file", "quit", "&Quit", w.close).setShortcuts(_keys(Key.Quit, "Ctrl+Q"))


def _view_menu(w: MainWindow) -> None:
    view = w.menus["view"]
    w.menus["theme"] = _radio_menu(w, view, "&Theme", "theme", CHOICES, w.set_theme)
    view.addSeparator()
    w.add_action("view", "zoom_in", "Zoom &In", w.typography.zoom_in).setShortcuts(
        _keys("Ctrl+=", Key.ZoomIn))
    w.add_action("view", "zoom_out", "Zoom &Out", w.typography.zoom_out).setShortcuts(
        _keys("Ctrl+-", Key.ZoomOut))
    # "Si&ze": A goes to the Annotations panel, whose name has no other letter still free
    w.add_action("view", "zoom_reset", "Actual Si&ze", w.typography.reset, "Ctrl+0")
    w.menus["font"] = _radio_menu(w, view, "&Font", "font", FAMILY_LABELS, w.typography.set_family)
    w.menus["width"] = _radio_menu(w, view, "Reading &Width", "width", WIDTH_LABELS,
                                   w.typography.set_width)
    view.addSeparator()
    w.add_action("view", "expand_all", "&Expand All", w.tree.expandAll, "Ctrl+Shift+Right")
    w.add_action("view", "collapse_all", "&Collapse All", w.collapse_all, "Ctrl+Shift+Left")
    w.add_action("view", "filter_tree", "Fi&lter Sections…", w.focus_filter, "Ctrl+Shift+T")
    w.add_action("view", "focus_tree", "Go to &Section Tree", w.focus_tree, "Ctrl+T")
    w.menus["view"].addAction(w.contents_dock.toggleViewAction())
    w.add_action("view", "focus_article", "Go to A&rticle", w.article.setFocus, "Ctrl+L")
    view.addSeparator()
    toggle = w.toolbar.toggleViewAction()
    toggle.setText("Show Tool&bar")
    view.addAction(toggle)
    w.add_action("view", "full_screen", "F&ull Screen", w.toggle_full_screen,
                 Key.FullScreen).setCheckable(True)


def _go_menu(w: MainWindow) -> None:
    nav = w.navigator
    w.add_action("go", "back", "&Back", nav.back).setShortcuts(_keys("Alt+Left", Key.Back))
    w.add_action("go", "forward", "&Forward", nav.forward).setShortcuts(
        _keys("Alt+Right", Key.Forward))
    w.menus["go"].addSeparator()
    w.add_action("go", "next_section", "&Next Section", w.next_section, "Ctrl+PgDown")
    w.add_action("go", "previous_section", "&Previous Section", w.previous_section, "Ctrl+PgUp")
    w.add_action("go", "parent_section", "&Up to Parent Section", w.parent_section, "Alt+Up")
    nav.update_actions()


def _radio_menu(w: MainWindow, parent: QMenu, title: str, name: str, items: dict[str, str],
                slot: object) -> QMenu:
    """A submenu of exclusive, checkable choices; action names are `<name>_<key>`."""
    menu = parent.addMenu(title)
    menu.setObjectName(f"{name.capitalize()}Menu")
    group = QActionGroup(menu)
    for key, label in items.items():
        action = QAction(label, menu)
        action.setObjectName(f"{name}_{key}")
        action.setCheckable(True)
        action.setData(key)
        action.triggered.connect(lambda _=False, k=key: slot(k))  # type: ignore[operator]
        group.addAction(action)
        menu.addAction(action)
        w.actions_by_name[f"{name}_{key}"] = action
    return menu


def build_toolbar(w: MainWindow) -> QToolBar:
    """Navigation toolbar: back/forward, previous/next section, zoom, theme (icons only)."""
    bar = QToolBar("Navigation toolbar", w)
    bar.setObjectName("NavigationToolBar")  # saveState() needs a name
    bar.setAccessibleName("Navigation toolbar")
    bar.setIconSize(QSize(22, 22))
    bar.setMovable(False)
    flat_toolbar(bar)
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def fill_toolbar(w: MainWindow) -> None:
    bar = w.toolbar
    for group in (("back", "forward"), ("previous_section", "next_section"),
                  ("zoom_out", "zoom_in")):
        for name in group:
            bar.addAction(w.actions_by_name[name])
        bar.addSeparator()
    theme = QToolButton(bar)
    theme.setObjectName("ThemeButton")
    theme.setText("Theme")
    theme.setToolTip("Theme")
    theme.setAccessibleName("Theme")
    theme.setMenu(w.menus["theme"])
    theme.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    bar.addWidget(theme)
    w.theme_button = theme
    refresh_icons(w)


def refresh_icons(w: MainWindow) -> None:
    """Re-tint the toolbar icons for the current theme."""
    for name, icon in TOOLBAR_ICONS.items():
        action = w.actions_by_name[name]
        action.setIcon(w.themes.icon(icon))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = action.text().replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
    w.theme_button.setIcon(w.themes.icon("theme"))
