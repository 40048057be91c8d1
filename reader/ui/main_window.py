"""The main window: section tree on the left, the article on the right, menus and status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTreeView,
    QWidget,
)

from reader import APP_NAME, __version__
from reader.cli.context import Context
from reader.content import Library, Section
from reader.content.page import article_html, page_sections, reading_minutes, word_count
from reader.paths import resource
from reader.ui.article_view import ArticleView
from reader.ui.fonts import SERIF, fill_css, first_installed
from reader.ui.settings import Settings
from reader.ui.tree_model import SectionTreeModel

log = logging.getLogger(__name__)
# The page colour must also fill the margins around the reading column.
PAGE_STYLE = "QTextBrowser { background: #fbfaf7; border: none; }"
TREE_STYLE = "QTreeView { font-size: 10.5pt; } QTreeView::item { padding: 3px 2px; }"


class MainWindow(QMainWindow):
    section_shown = Signal(object)  # the Section whose page is now shown
    library_changed = Signal(object)  # the new Library, after an import replaced the old one

    def __init__(self, ctx: Context, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.library: Library = ctx.library
        self.current: Section | None = None  # the section whose page is shown
        self._following = False  # True while the tree follows scrolling (no re-render)
        self.actions_by_name: dict[str, QAction] = {}

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(QIcon(str(resource("icons/briefing-reader.svg"))))
        self.setObjectName("MainWindow")

        self.model = SectionTreeModel(self.library, self)
        self.tree = QTreeView()
        self.tree.setObjectName("SectionTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setStyleSheet(TREE_STYLE)
        self.tree.setUniformRowHeights(True)  # keeps thousands of rows fast
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Sections")
        self.tree.setAccessibleDescription("The briefings and their sections")
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.expandToDepth(1 if len(self.library) < 2000 else 0)

        self.article = ArticleView()
        self.article.setStyleSheet(PAGE_STYLE)
        self.apply_article_style()
        self.article.section_link.connect(self.open_reference)
        self.article.visible_section_changed.connect(self._on_visible_section)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.article)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 1020])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.position_label = QLabel()
        self.position_label.setAccessibleName("Reading position")
        self.statusBar().addPermanentWidget(self.position_label)
        self._build_menus()
        self._report_problems()

    # -- look --------------------------------------------------------------------------------
    def article_css(self) -> str:
        return fill_css(resource("article.css").read_text(encoding="utf-8"))

    def apply_article_style(self, point_size: float = 13.0) -> None:
        """Qt ignores `body` CSS for fragments, so the body font is set on the document."""
        doc = self.article.document()
        doc.setDefaultFont(QFont(first_installed(SERIF), point_size))
        doc.setDefaultStyleSheet(self.article_css())

    # -- menus ---------------------------------------------------------------------------------
    def add_action(
        self, menu_name: str, name: str, text: str, slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        """Create a named action in a menu; features use this to plug in their own actions."""
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.menus[menu_name].addAction(action)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus = {
            "file": bar.addMenu("&File"),
            "edit": bar.addMenu("&Edit"),
            "view": bar.addMenu("&View"),
            "go": bar.addMenu("&Go"),
            "help": bar.addMenu("&Help"),
        }
        self.add_action("file", "quit", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.add_action("view", "expand_all", "&Expand All", self.tree.expandAll, "Ctrl+Shift+Right")
        self.add_action("view", "collapse_all", "&Collapse All", self.collapse_all, "Ctrl+Shift+Left")
        self.add_action("view", "focus_tree", "Go to Section &Tree", self.tree.setFocus, "Ctrl+T")
        self.add_action("view", "focus_article", "Go to &Article", self.article.setFocus, "Ctrl+L")
        self.add_action("go", "next_section", "&Next Section", self.next_section, "Ctrl+PgDown")
        self.add_action("go", "previous_section", "&Previous Section", self.previous_section,
                        "Ctrl+PgUp")
        self.add_action("go", "parent_section", "&Up to Parent Section", self.parent_section,
                        "Alt+Up")
        self.add_action("help", "shortcuts", "&Keyboard Shortcuts", self.show_shortcuts,
                        QKeySequence.StandardKey.HelpContents)
        self.add_action("help", "about", f"&About {APP_NAME}", self.show_about)

    # -- navigation ----------------------------------------------------------------------------
    def show_section(self, section: Section, scroll_to: Section | None = None) -> None:
        """Show a section's page (with its sub-sections) and select it in the tree."""
        shown = page_sections(section)
        previous = self.library.before(section)
        following = self._after_page(section, shown)
        html = article_html(section, previous, following, shown)
        ids = [s.id for s in shown]
        base = section.briefing.base_dir if section.briefing else None
        self.current = section
        self.article.show_html(html, base, ids)
        if scroll_to is not None and scroll_to is not section:
            self.article.scroll_to_section(scroll_to.id)
        self._select_in_tree(scroll_to or section)
        self.settings.last_section = (scroll_to or section).key
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
        if target is None:
            self.statusBar().showMessage(f"No section named “{ref}” in this library.", 5000)
            return False
        if (self.current is not None and target.briefing is self.current.briefing
                and target.id in self.article.anchor_ids()):
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

    def collapse_all(self) -> None:
        self.tree.collapseAll()
        self.tree.expandToDepth(-1)

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        section = self.model.section(current)
        # Rows outside the library (sections removed by an update) are shown by their feature.
        if section is not None and section is not self.current and self.library.contains(section):
            self.show_section(section)

    def _on_visible_section(self, section_id: str) -> None:
        """Make the tree follow the reader while scrolling through a page."""
        if self.current is None or self.current.briefing is None:
            return
        section = self.current.briefing.section(section_id)
        if section is not None:
            self._select_in_tree(section)
            self.settings.last_section = section.key
            self._update_position(section)

    def _select_in_tree(self, section: Section) -> None:
        index = self.model.index_of(section)
        if not index.isValid():
            return
        self._following = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.tree.scrollTo(index)
        finally:
            self._following = False

    def _update_position(self, section: Section) -> None:
        b = section.briefing
        if b is None:
            return
        order = list(b.sections())
        n = order.index(section)
        left = sum(word_count(s, include_children=False) for s in order[n:])
        self.position_label.setText(
            f"Section {n + 1} of {len(order)} · about {reading_minutes(left)} min left"
        )

    def set_library(self, library: Library) -> None:
        """Show another library (after an import), staying on the same section if it still exists."""
        at = self.visible_section()
        key = at.key if at is not None else None
        self.library = library
        self.ctx.__dict__["library"] = library  # the context's cached library follows
        self.model.set_library(library)
        self.tree.expandToDepth(1 if len(library) < 2000 else 0)
        self.library_changed.emit(library)
        target = (library.find(key) if key else None) or (
            library.briefings[0].root if library.briefings else None)
        if target is not None:
            self.show_section(target)

    # -- start and stop ------------------------------------------------------------------------
    def restore(self, section_ref: str | None = None) -> None:
        """Restore geometry, splitter and the last section (or open `section_ref`)."""
        s = self.settings
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        else:
            self.resize(self.first_run_size())
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        if not s.splitter.isEmpty():
            self.splitter.restoreState(s.splitter)
        ref = section_ref or s.last_section
        target = self.library.find(ref) if ref else None
        if section_ref and target is None:
            self.statusBar().showMessage(f"No section “{section_ref}”; showing the first one.", 8000)
        if target is None and self.library.briefings:
            target = self.library.briefings[0].root
        if target is not None:
            self.show_section(target)

    def first_run_size(self) -> QSize:
        """Most of the screen, up to a comfortable 1400x900, when no geometry was saved."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            return QSize(1200, 800)
        return QSize(min(1400, int(screen.width() * 0.9)), min(900, int(screen.height() * 0.9)))

    def closeEvent(self, event: QCloseEvent) -> None:
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter = self.splitter.saveState()
        s.sync()
        super().closeEvent(event)

    # -- messages ------------------------------------------------------------------------------
    def _report_problems(self) -> None:
        problems = self.library.problems
        for p in problems:
            log.warning("content problem: %s", p)
        if not problems:
            return
        label = QLabel(f"⚠ {len(problems)} content problem(s)")
        label.setToolTip("\n".join(str(p) for p in problems[:30]))
        label.setAccessibleName("Content problems")
        self.statusBar().addWidget(label)
        if not self.library.briefings:
            self.article.setHtml(
                "<h1>No briefing could be opened</h1><p>"
                + "<br/>".join(str(p) for p in problems[:30]) + "</p>"
            )

    def show_shortcuts(self) -> None:
        rows = []
        for action in self.actions_by_name.values():
            if not action.shortcut().isEmpty():
                text = action.text().replace("&", "")
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append(f"<tr><td>{text}</td><td><b>{keys}</b></td></tr>")
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard Shortcuts")
        box.setText("<table cellspacing='6'>" + "".join(rows) + "</table>")
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3><p>Read, search, annotate and print briefings "
            "offline.</p><p>Built with Qt (LGPLv3) through PySide6 (LGPLv3), Whoosh-Reloaded "
            "(BSD), Python-Markdown (BSD) and nh3 (MIT).</p>",
        )

    def open_external(self, url: QUrl) -> None:
        self.statusBar().showMessage(f"Opened {url.toString()} in your browser.", 4000)
