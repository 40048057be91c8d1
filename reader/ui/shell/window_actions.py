"""The main window's own commands and its navigation toolbar. Commands are declared in the
window's ActionRegistry (action_registry.py), which builds the menus; features declare theirs
the same way.

Standard `QKeySequence`s are used where the platform has one (Open, Quit, Back, Forward, Zoom,
Full Screen, Preferences, Help); every entry also has a mnemonic. Full Screen is F11 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton

from reader import APP_NAME
from reader.ui.kit.themes import CHOICES, flat_toolbar
from reader.ui.library.library_folders import LibraryFolders
from reader.ui.reading.typography import FAMILY_LABELS, WIDTH_LABELS
from reader.ui.shell.action_registry import ActionSpec

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

Key = QKeySequence.StandardKey
# action name -> icon in resources/icons (tinted with the theme's icon colour)
TOOLBAR_ICONS = {"back": "go-back", "forward": "go-forward", "previous_section": "go-previous",
                 "next_section": "go-next", "zoom_out": "zoom-out", "zoom_in": "zoom-in"}


def build_menus(w: MainWindow) -> None:
    """The window's own commands, declared in the registry (features declare theirs)."""
    r = w.registry
    r.declare(ActionSpec("open_folder", "&Open Content Folder…", "file", "open", (Key.Open,)),
              lambda: w.folders.choose())
    recent = r.submenu("recent", "Open &Recent", "file", "open")
    w.folders = LibraryFolders(w, recent)
    # Some platforms (and the offscreen one) have no standard Quit key: Ctrl+Q then.
    r.declare(ActionSpec("quit", "&Quit", "file", "quit", (Key.Quit, "Ctrl+Q")), w.close)
    r.declare(ActionSpec("preferences", "&Preferences…", "edit", "preferences",
                         (Key.Preferences, "Ctrl+,")), w.show_preferences)
    _view_menu(w)
    _go_menu(w)
    r.declare(ActionSpec("shortcuts", "&Keyboard Shortcuts", "help", "help", (Key.HelpContents,)),
              w.show_shortcuts)
    r.declare(ActionSpec("about", f"&About {APP_NAME}", "help", "help"), w.show_about)


def _view_menu(w: MainWindow) -> None:
    r = w.registry
    _choices(w, "theme", "&Theme", "theme", CHOICES, w.set_theme)
    r.declare(ActionSpec("zoom_in", "Zoom &In", "view", "text", ("Ctrl+=", Key.ZoomIn)),
              w.typography.zoom_in)
    r.declare(ActionSpec("zoom_out", "Zoom &Out", "view", "text", ("Ctrl+-", Key.ZoomOut)),
              w.typography.zoom_out)
    # "Si&ze": A goes to the Annotations panel, whose name has no other letter still free
    r.declare(ActionSpec("zoom_reset", "Actual Si&ze", "view", "text", ("Ctrl+0",)),
              w.typography.reset)
    _choices(w, "font", "&Font", "text", FAMILY_LABELS, w.typography.set_family)
    _choices(w, "width", "Reading &Width", "text", WIDTH_LABELS, w.typography.set_width)
    r.declare(ActionSpec("expand_all", "&Expand All", "view", "tree", ("Ctrl+Shift+Right",)),
              w.tree_pane.expand_all)
    r.declare(ActionSpec("collapse_all", "&Collapse All", "view", "tree", ("Ctrl+Shift+Left",)),
              w.collapse_all)
    r.declare(ActionSpec("filter_tree", "Fi&lter Sections…", "view", "tree", ("Ctrl+Shift+T",)),
              w.focus_filter)
    r.declare(ActionSpec("focus_tree", "Go to &Section Tree", "view", "tree", ("Ctrl+T",)),
              w.focus_tree)
    r.add("view", "tree", w.contents_dock.toggleViewAction(), "show_contents")
    r.declare(ActionSpec("focus_article", "Go to A&rticle", "view", "tree", ("Ctrl+L",)),
              w.article.setFocus)
    toggle = w.toolbar.toggleViewAction()
    toggle.setText("Show Tool&bar")
    r.add("view", "panels", toggle, "show_toolbar")
    # F11 bound explicitly: the standard full-screen key is F11 on some platforms, another key
    # on others and none at all under plain X11 (no desktop environment's platform theme).
    r.declare(ActionSpec("full_screen", "F&ull Screen", "view", "panels",
                         ("F11", Key.FullScreen), checkable=True), w.toggle_full_screen)


def _go_menu(w: MainWindow) -> None:
    r, nav = w.registry, w.navigator
    r.declare(ActionSpec("back", "&Back", "go", "history", ("Alt+Left", Key.Back)), nav.back)
    r.declare(ActionSpec("forward", "&Forward", "go", "history", ("Alt+Right", Key.Forward)),
              nav.forward)
    r.declare(ActionSpec("next_section", "&Next Section", "go", "sections", ("Ctrl+PgDown",)),
              w.next_section)
    r.declare(ActionSpec("previous_section", "&Previous Section", "go", "sections",
                         ("Ctrl+PgUp",)), w.previous_section)
    r.declare(ActionSpec("parent_section", "&Up to Parent Section", "go", "sections",
                         ("Alt+Up",)), w.parent_section)
    nav.update_actions()


def _choices(w: MainWindow, name: str, title: str, group_in_view: str, items: dict[str, str],
             slot: Callable[[str], object]) -> None:
    """A View submenu `name` of exclusive, checkable choices; action ids are `<name>_<key>`."""
    menu = w.registry.submenu(name, title, "view", group_in_view)
    group = QActionGroup(menu)
    for key, label in items.items():
        action = w.registry.declare(ActionSpec(f"{name}_{key}", label, name, "", checkable=True),
                                    lambda _=False, k=key: slot(k))
        action.setData(key)
        group.addAction(action)


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
    theme.setMenu(w.registry.menu("theme"))
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
