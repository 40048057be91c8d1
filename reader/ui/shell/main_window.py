"""The main window: section tree on the left, the article on the right, menus and status bar."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QTabWidget,
    QTreeView,
    QWidget,
)

from reader import APP_NAME
from reader.content import Library, Section
from reader.content.page import article_html, page_sections
from reader.paths import resource
from reader.session import Context
from reader.ui.kit.settings import Settings
from reader.ui.kit.themes import Theme, ThemeController, mute
from reader.ui.library.tree_badges import BadgedRows
from reader.ui.library.tree_filter import SectionFilterProxy, TreePane
from reader.ui.library.tree_model import SectionTreeModel
from reader.ui.reading.article_view import ArticleView
from reader.ui.reading.history import Location, Navigator
from reader.ui.reading.reading_progress import ReadingProgress
from reader.ui.reading.typography import BASE_SIZE, Typography, article_css, body_font, width_name
from reader.ui.shell import window_actions
from reader.ui.shell.accessibility import label_window
from reader.ui.shell.action_registry import ActionRegistry
from reader.ui.shell.feature_host import FeatureHost

if TYPE_CHECKING:
    from PySide6.QtWidgets import QToolButton

    from reader.ui.library.library_folders import LibraryFolders
    from reader.ui.shell.preferences import PreferencesDialog
    from reader.ui.shell.shortcuts_dialog import ShortcutsDialog

log = logging.getLogger(__name__)
TREE_POINT_SIZE = 10.5


ARTICLE_MIN_WIDTH = 220  # px: the find bar (about 200 px) fits; small screens keep the window on them


def window_title(section: Section | None) -> str:
    """“Section — Briefing — Briefing Reader” (the briefing's own page names it once), so the
    task switcher and a screen reader say where the reader is."""
    if section is None or section.briefing is None:
        return APP_NAME
    names = [section.briefing.title]
    if section.parent is not None and section.title != section.briefing.title:
        names.insert(0, section.title)
    return " — ".join([*names, APP_NAME])


class MainWindow(QMainWindow):
    section_shown = Signal(object)  # the Section whose page is now shown
    library_changed = Signal(object)  # the new Library, after an import replaced the old one
    saving_state = Signal()  # settings are about to be written (closing, session end): flush
    folders: LibraryFolders  # File ▸ Open Content Folder / Open Recent (set by window_actions)
    theme_button: QToolButton  # the toolbar's theme menu button (set by window_actions)

    def __init__(self, ctx: Context, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.library: Library = ctx.library
        self.current: Section | None = None  # the section whose page is shown
        self._following = False  # True while the tree follows scrolling (no re-render)
        self.features = FeatureHost(self)  # the features plug in here (reader/ui/app/feature_list.py)
        self.features_ready = False  # every feature installed (after the first paint)
        self.signal_closer: QObject | None = None  # closes the window on SIGTERM (ui/shutdown.py)
        self.crash_notice: str | None = None  # "the last session ended unexpectedly …", if so
        self._mnemonic_docks: set[QDockWidget] = set()
        self.closing = False  # set once the window closes (a signal, the session's end, Quit)

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(QIcon(str(resource("icons/briefing-reader.svg"))))
        self.setObjectName("MainWindow")

        self.themes = ThemeController(self, settings.theme)
        # The application-wide palette and style sheet go on before any widget exists: set
        # later, they re-polish everything, which costs seconds with a large section tree.
        self.themes.apply()
        # The tree shows `model`: the filter proxy, which speaks SectionTreeModel's API in its
        # own indexes; `sections_model` is the unfiltered model underneath.
        self.sections_model = SectionTreeModel(self.library, self)
        self.model = self.proxy = SectionFilterProxy(self.sections_model, self)
        self.tree = QTreeView()
        self.tree.setObjectName("SectionTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        # Font and row height set directly: a style sheet would make Qt style the tree through
        # its CSS engine, slower to start and to paint.
        tree_font = self.tree.font()
        tree_font.setPointSizeF(TREE_POINT_SIZE)
        self.tree.setFont(tree_font)
        self.tree.setItemDelegate(BadgedRows(self.tree))  # badges at the trailing edge
        self.tree.setUniformRowHeights(True)  # keeps thousands of rows fast
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Sections")
        self.tree.setAccessibleDescription("The briefings and their sections")
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.expandToDepth(self._tree_depth())
        self.tree_pane = TreePane(self.tree, self.proxy, self._tree_depth())
        self.tree_pane.filtered.connect(self._after_filter)
        self.filter_box = self.tree_pane.box

        self.article = ArticleView()
        self.article.setObjectName("Article")
        # Docks may not squeeze the text to nothing (What Changed opened on a 720 px window left
        # the article 68 px wide, with the find bar hanging off its left edge).
        self.article.setMinimumWidth(ARTICLE_MIN_WIDTH)
        self.article.setFrameShape(QFrame.Shape.NoFrame)
        # The margins beside the text in the page colour (Base); the find bar over the article
        # keeps the window colour (Window) for its frame.
        self.article.setBackgroundRole(QPalette.ColorRole.Base)
        self.article.setAutoFillBackground(True)
        self.article.section_link.connect(self.open_reference)
        self.article.external_link.connect(self.open_external)
        self.article.visible_section_changed.connect(self._on_visible_section)
        self.typography = Typography(self)
        self.navigator = Navigator(self)

        # The article is the centre; the contents (and search, tabbed with it) are a sidebar,
        # as in Qt Assistant or Zeal, so opening the other panels never squeezes the text.
        self.setCentralWidget(self.article)
        self.contents_dock = QDockWidget("Contents", self)
        self.contents_dock.setObjectName("ContentsDock")
        self.contents_dock.setAccessibleName("Contents")
        self.contents_dock.setWidget(self.tree_pane)
        self.contents_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                       | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.setTabPosition(Qt.DockWidgetArea.LeftDockWidgetArea, QTabWidget.TabPosition.North)
        self.contents_dock.setTitleBarWidget(QWidget())  # its tab names it; View menu toggles it
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.contents_dock)
        self.resizeDocks([self.contents_dock], [380], Qt.Orientation.Horizontal)

        self.reading_progress = ReadingProgress(self.statusBar())
        self.position_label, self.progress = self.reading_progress.label, self.reading_progress.bar
        self.toolbar = window_actions.build_toolbar(self)
        # Every command is declared once (id, text, menu, group, keys); the menus come from it.
        self.registry = ActionRegistry(self, self.menuBar())
        window_actions.build_menus(self)
        window_actions.fill_toolbar(self)
        self.problems_label: QLabel | None = None
        self._report_problems()
        self.themes.changed.connect(self._on_theme)
        self._on_theme(self.themes.current)  # page colours, article style, icons
        label_window(self)

    # -- look --------------------------------------------------------------------------------
    def article_css(self) -> str:
        """The article style sheet for the current theme, font family and text size."""
        s = self.settings
        return article_css(self.themes.current, s.font_family, s.font_size, s.line_spacing)

    def apply_article_style(self, point_size: float | None = None) -> None:
        """Style the article for the theme, font and size (the setting unless `point_size`);
        the shown page is re-rendered in place. Qt ignores `body` CSS for fragments, so the
        body font is set on the document."""
        s = self.settings
        size = s.font_size if point_size is None else point_size
        css = article_css(self.themes.current, s.font_family, size, s.line_spacing)
        self.article.max_text_width = s.text_width
        # The page margin grows with zoom, as the reading column does (never below 100 %'s).
        self.article.document().setDocumentMargin(max(0, s.page_margin) * max(size / BASE_SIZE, 1.0))
        self.article.restyle(css, body_font(s.font_family, size), size / BASE_SIZE)

    def set_theme(self, choice: str) -> None:
        """Switch theme ("system", "light", "dark", "sepia") and remember the choice."""
        self.settings.theme = choice
        self.themes.set_choice(choice)

    def _on_theme(self, theme: Theme) -> None:
        self.article.setPalette(theme.page_palette())
        self.article.set_theme(theme)  # every layer of marks in this theme's colours
        self.apply_article_style()
        window_actions.refresh_icons(self)
        self.sync_look_actions()

    def sync_look_actions(self) -> None:
        """Check the menu entries matching the settings (after menus, dialog or start-up)."""
        s, actions = self.settings, self.actions_by_name
        for name in (f"theme_{self.themes.choice}", f"font_{s.font_family}",
                     f"width_{width_name(s.text_width)}"):
            if name in actions:
                actions[name].setChecked(True)

    # -- menus ---------------------------------------------------------------------------------
    @property
    def actions_by_name(self) -> dict[str, QAction]:
        """Every declared command by id (the registry's; features look actions up here)."""
        return self.registry.by_id

    # -- navigation ----------------------------------------------------------------------------
    def show_section(self, section: Section, scroll_to: Section | None = None) -> None:
        """Show a section's page (with its sub-sections) and select it in the tree."""
        shown = page_sections(section)
        previous = self.library.before(section)
        following = self._after_page(section, shown)
        html = article_html(section, previous, following, shown)
        ids = [s.id for s in shown]
        base = section.briefing.base_dir if section.briefing else None
        self.navigator.leaving()  # history and the saved position need the place being left
        self.current = section
        self.article.show_html(html, base, ids)
        if scroll_to is not None and scroll_to is not section:
            self.article.scroll_to_section(scroll_to.id)
        self._select_in_tree(scroll_to or section)
        self.settings.set_last_section((scroll_to or section).key)
        self._update_position(scroll_to or section)
        self.section_shown.emit(section)

    def _after_page(self, section: Section, shown: list[Section]) -> Section | None:
        """The section after this page: past the subtree, or the first one the page left out."""
        if len(shown) < sum(1 for _ in section.walk()):
            return self.library.after(shown[-1])
        return self.library.after(section, skip_children=True)

    def open_reference(self, ref: str) -> bool:
        """Follow an internal link: a section of the current briefing first, then the library."""
        target = None
        if self.current is not None and self.current.briefing and "/" not in ref:
            target = self.current.briefing.section(ref)
        target = target or self.library.find(ref)
        if target is None and self.article.has_anchor(ref):
            self.navigator.leaving()  # Back returns from a footnote to where it was cited
            self.article.scrollToAnchor(ref)
            return True
        if target is None:
            self.statusBar().showMessage(f"No section named “{ref}” in this library.", 5000)
            return False
        if (self.current is not None and target.briefing is self.current.briefing
                and target.id in self.article.anchor_ids()):
            self.navigator.leaving()
            self.article.scroll_to_section(target.id)  # already on this page
            self._select_in_tree(target)
        else:
            self.show_section(target)
        return True

    def visible_section(self) -> Section | None:
        """The section the reader is at: the heading at the top of the view."""
        if self.current is None or self.current.briefing is None:
            return None
        return self.current.briefing.section(self.article.section_at_top()) or self.current

    def next_section(self) -> None:
        at = self.visible_section()
        target = self.library.after(at) if at else next(self.library.sections(), None)
        if target is not None:
            self.open_reference(target.key)

    def previous_section(self) -> None:
        at = self.visible_section()
        target = self.library.before(at) if at else None
        if target is not None:
            self.show_section(target)

    def parent_section(self) -> None:
        at = self.visible_section()
        if at is not None and at.parent is not None:
            self.show_section(at.parent)

    def focus_tree(self) -> None:
        """Bring the Contents tab forward (it may be behind Search) and put the focus in it."""
        self.contents_dock.show()
        self.contents_dock.raise_()
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def collapse_all(self) -> None:
        self.tree_pane.stop_expanding()
        self.tree.collapseAll()
        self.tree.expandToDepth(-1)

    def focus_filter(self) -> None:
        self.contents_dock.show()
        self.contents_dock.raise_()
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    def changeEvent(self, event: QEvent) -> None:
        # The View menu's check mark follows full screen however it was left (the window
        # manager's own key or button, too).
        if event.type() == QEvent.Type.WindowStateChange and "full_screen" in self.registry.by_id:
            self.registry.by_id["full_screen"].setChecked(self.isFullScreen())
        super().changeEvent(event)

    def _tree_depth(self) -> int:
        """How deep the tree opens: thousands of open rows would be slow to lay out (a library
        of 1,000 briefings of 100 sections each spent 1.2 s of its start opening 100,000 rows),
        so a big library opens its briefings only when that shows a few thousand rows at most;
        the shown section's own branch is opened anyway, by the tree following the page."""
        if len(self.library) < 2000:
            return 1
        rows = sum(len(b.root.children) for b in self.library.briefings)
        return 0 if rows <= 3000 else -1

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following or self.tree_pane.filtering:
            return  # the tree following the page, or Qt moving off rows the filter hid
        section = self.model.section(current)
        if section is not None and section is self.current:
            # The shown page's own row (scrolled into its sub-sections): back to its top.
            self.navigator.leaving()
            self.article.scroll_to_section(section.id)
            return
        # Rows outside the library (sections removed by an update) are shown by their feature.
        if section is not None and self.library.contains(section):
            self.show_section(section)

    def _after_filter(self) -> None:
        """The filter changed: select the section being read again, or nothing if it is hidden
        (a stale current row would make a click on it do nothing)."""
        at = self.visible_section()
        index = self.model.index_of(at) if at is not None else QModelIndex()
        if not index.isValid():
            self._following = True
            try:
                self.tree.selectionModel().clear()
            finally:
                self._following = False
        elif at is not None:
            # With a filter, selected but not scrolled to: the tree shows its matches from the
            # top, and scrolling would lay out every open row at once. Cleared: back to it.
            self._select_in_tree(at, scroll=self.tree_pane.result is None)

    def _on_visible_section(self, section_id: str) -> None:
        """Make the tree follow the reader while scrolling through a page."""
        if self.current is None or self.current.briefing is None:
            return
        section = self.current.briefing.section(section_id)
        if section is not None:
            self._select_in_tree(section)
            self.settings.set_last_section(section.key)
            self._update_position(section)

    def _select_in_tree(self, section: Section, scroll: bool = True) -> None:
        index = self.model.index_of(section)
        if not index.isValid():  # hidden by the filter
            return
        self._following = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            if scroll:
                self.tree.scrollTo(index)
        finally:
            self._following = False

    def _update_position(self, section: Section) -> None:
        self.reading_progress.show(section)
        self.setWindowTitle(window_title(section))

    # -- start and stop ------------------------------------------------------------------------
    def restore(self, section_ref: str | None = None) -> None:
        """Restore geometry, docks and the last section (or open `section_ref`)."""
        s = self.settings
        self.settle_features()
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        else:
            self.resize(self.first_run_size())
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        self._move_saved_places()
        ref = section_ref or s.last_section
        target = self.library.find(ref) if ref else None
        if section_ref and target is None:
            self.statusBar().showMessage(f"No section “{section_ref}”; showing the first one.", 8000)
        if target is None and self.library.briefings:
            target = self.library.briefings[0].root
        if target is None:
            return
        # The saved position of that briefing only if it is not older than `last_section`.
        if section_ref or not s.restore_position or not self.reopen(target, newest_only=True):
            self.show_section(target)

    def _move_saved_places(self) -> None:
        """Reading places saved under the placeholder ids older versions gave non-Latin
        headings move to today's ids, as annotations do (reader/annotations/section_ids.py)."""
        library = self.library
        if not any(b.legacy_ids for b in library.briefings) and not library.older:
            return  # nearly every start: nothing was ever renamed
        from reader.annotations.section_ids import legacy_moves

        places = self.settings.saved_places()
        moves = legacy_moves(library, [(b, sid, "") for b, sid in places])
        if moves:
            self.settings.move_sections(moves)

    def settle_features(self) -> None:
        """Once features have added their menu entries, docks and toolbars: unique mnemonics,
        tab order filter -> tree -> article, look actions checked."""
        self.registry.finish()
        # A dock whose title changes ("What Changed (3)") gets that as its View menu text,
        # without a mnemonic: give it one again.
        for dock in self.findChildren(QDockWidget):
            if dock not in self._mnemonic_docks:
                self._mnemonic_docks.add(dock)
                dock.windowTitleChanged.connect(lambda _title: self.registry.finish())
        self.setTabOrder(self.filter_box, self.tree)
        self.setTabOrder(self.tree, self.article)
        self.sync_look_actions()

    def features_added(self) -> None:
        """Features installed after the window was restored and shown (see application.py):
        settle them, put their docks and toolbars where the last session left them, and let
        them see the section on screen as if it had just been shown."""
        self.settle_features()
        if not self.settings.window_state.isEmpty():
            self.restoreState(self.settings.window_state)
        if self.current is not None:
            self.section_shown.emit(self.current)

    def reopen(self, section: Section, newest_only: bool = False) -> bool:
        """Go to where the reader left `section`'s briefing; False if nothing was saved (or, with
        `newest_only`, if `last_section` was saved after it: see Settings.position_to_reopen)."""
        s = self.settings
        position = s.position_to_reopen if newest_only else s.position
        saved = position(section.briefing.id) if section.briefing else None
        if saved is None or not self.navigator.go(Location(*saved)):
            return False
        # The window may not have its final size yet; put the text back once it has.
        QTimer.singleShot(0, lambda: self.article.set_scroll_fraction(saved[1]))
        return True

    def first_run_size(self) -> QSize:
        """Most of the screen, up to a comfortable 1400x900, when no geometry was saved."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            return QSize(1200, 800)
        return QSize(min(1400, int(screen.width() * 0.9)), min(900, int(screen.height() * 0.9)))

    def set_library(self, library: Library) -> None:
        """Show another library (an import, File ▸ Open Content Folder): stay on the same
        section if it still exists, else where the reader left the first briefing."""
        at = self.visible_section()
        key = at.key if at is not None else None
        self.navigator.save_position()
        self.library = library
        self.ctx.session.use(library, self.ctx.session.content)  # the session's library follows
        self.current = None  # the old page is not a place to go back to
        self.setWindowTitle(APP_NAME)
        self.model.set_library(library)
        self.tree.expandToDepth(self._tree_depth())
        self.navigator.history.clear()
        self.navigator.update_actions()
        self._report_problems()
        self.library_changed.emit(library)
        target = library.find(key) if key else None
        if target is not None:
            self.show_section(target)
        elif library.briefings:
            first = library.briefings[0].root
            if not (self.settings.restore_position and self.reopen(first)):
                self.show_section(first)

    def save_state(self) -> None:
        """Write the reading position, window layout and features' pending state (a note being
        written) to disk: on closing, and when the session manager asks (commitDataRequest)."""
        s = self.settings
        self.saving_state.emit()
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        self.navigator.save_now()  # syncs the settings file

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing = True
        self.save_state()
        super().closeEvent(event)

    # -- messages ------------------------------------------------------------------------------
    def _report_problems(self) -> None:
        problems = self.library.problems
        for p in problems:
            log.warning("content problem: %s", p)
        if self.problems_label is not None:
            self.statusBar().removeWidget(self.problems_label)
            self.problems_label.deleteLater()
            self.problems_label = None
        if not problems:
            return
        label = QLabel(f"⚠ {len(problems)} content problem(s)")
        label.setToolTip("\n".join(str(p) for p in problems[:30]))
        label.setAccessibleName("Content problems")
        label.setAccessibleDescription(label.toolTip())
        mute(label)
        self.statusBar().addWidget(label)
        self.problems_label = label
        if not self.library.briefings:
            self.article.setHtml(
                "<h1>No briefing could be opened</h1><p>"
                + "<br/>".join(str(p) for p in problems[:30]) + "</p>"
            )

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard Shortcuts: every shortcut of every menu (features' included)."""
        from reader.ui.shell.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.registry.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from reader.ui.shell import about  # dialogs load when first opened, not at start-up

        about.show_about(self, self.library)

    def show_preferences(self) -> PreferencesDialog:
        from reader.ui.shell.preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_external(self, url: QUrl) -> None:
        """Feedback for a clicked web link (the view hands it to the system browser)."""
        self.statusBar().showMessage(f"Opened {url.toString()} in your browser.", 4000)
