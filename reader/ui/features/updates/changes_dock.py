"""The "What Changed" dock: the list of sections new / changed / removed since last read, and the
view that shows a changed section's word diff (or a new or removed section's text). Entries read
since stay listed, marked seen, so their diff can be opened again."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.content import section_plain_text
from reader.qtgui.fonts import SERIF, first_installed
from reader.ui.kit.marks import ChangeTone
from reader.ui.kit.text_direction import TextDirectionDelegate
from reader.ui.kit.themes import THEMES, Theme
from reader.updates import ChangeKind, SectionChange, word_diff
from reader.updates.changes import section_text, version_label
from reader.updates.diff import DELETED_CLASS, INSERTED_CLASS

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
MARKS = {ChangeKind.NEW: "● new", ChangeKind.CHANGED: "◆ changed", ChangeKind.REMOVED: "✕ removed"}
KeyRole = Qt.ItemDataRole.UserRole + 1
SeenRole = Qt.ItemDataRole.UserRole + 2  # True for an entry read since the update
SEEN_MARK = "  ✓ seen"


def change_colour(theme: Theme, kind: ChangeKind) -> QColor:
    """The colour of a change's list entry (and tree marker) on a theme."""
    colour = theme.style(ChangeTone(kind.value)).foreground
    assert colour is not None
    return colour


def view_css(theme: Theme) -> str:
    """The diff view's document style for a theme: the page colours of the article, quiet text
    for the meta lines, inserted and deleted words (the core's classes) in the theme's pair."""
    (ins_bg, ins_fg), (del_bg, del_fg) = _pair(theme, ChangeTone.INSERTED), _pair(theme, ChangeTone.DELETED)
    return f"""
h2 {{ font-size: 16pt; margin: 0 0 4px 0; }}
p {{ margin: 0 0 9px 0; line-height: 135%; }}
.meta {{ color: {theme.quiet}; font-size: 10pt; }}
.legend {{ font-size: 9.5pt; color: {theme.quiet}; }}
.banner {{ background-color: {del_bg}; color: {del_fg}; padding: 4px; }}
.{INSERTED_CLASS} {{ background-color: {ins_bg}; color: {ins_fg}; }}
.{DELETED_CLASS} {{ background-color: {del_bg}; color: {del_fg}; text-decoration: line-through; }}
"""


def _pair(theme: Theme, tone: ChangeTone) -> tuple[str, str]:
    style = theme.style(tone)
    assert style.background is not None and style.foreground is not None, tone
    return style.background.name(), style.foreground.name()


class ChangesModel(QAbstractListModel):
    """Thin adapter over the controller's list of SectionChange."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._changes: list[SectionChange] = []
        self._seen: set[str] = set()
        self.theme = THEMES["light"]  # the entries' colours (set_theme)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self._changes:
            self.dataChanged.emit(self.index(0), self.index(len(self._changes) - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    def set_changes(self, changes: list[SectionChange], seen: set[str] | None = None) -> None:
        """List `changes`; those whose key is in `seen` are shown as read since."""
        self.beginResetModel()
        self._changes = list(changes)
        self._seen = set(seen or ())
        self.endResetModel()

    def is_seen(self, change: SectionChange) -> bool:
        return change.key in self._seen

    def change(self, index: Index) -> SectionChange | None:
        ok = index.isValid() and 0 <= index.row() < len(self._changes)
        return self._changes[index.row()] if ok else None

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._changes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.change(index)
        if c is None:
            return None
        seen = c.key in self._seen
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{MARKS[c.kind]}   {c.title}{SEEN_MARK if seen else ''}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.where} (seen)" if seen else c.where
        if role == SeenRole:
            return seen
        if role == Qt.ItemDataRole.ForegroundRole:
            return change_colour(self.theme, c.kind)
        if role == KeyRole:
            return c.key
        return None


def change_html(change: SectionChange) -> str:
    """The page of the diff view for one change."""
    title = f"<h2>{change.section.title_html}</h2>"  # Markdown in headings shown rendered
    where = " › ".join(change.section.path_titles[:-1])
    meta = f'<p class="meta">{html.escape(where)}</p>' if where else ""
    legend = ('<p class="legend"><span class="del">deleted words</span> &nbsp; '
              '<span class="ins">inserted words</span></p>')
    if change.kind is ChangeKind.REMOVED:
        b = change.section.briefing
        label = version_label(b) if b else "an older version"
        body = "".join(f"<p>{html.escape(p)}</p>"
                       for p in section_plain_text(change.section).split("\n\n") if p)
        return (f'{title}{meta}<p class="banner">Removed by the update. This is its text from '
                f"{html.escape(label)}, the version you had.</p>{body}")
    if change.kind is ChangeKind.NEW:
        new = word_diff("", section_text(change.section))
        return f'{title}{meta}<p class="meta">New since you last read this briefing.</p>{new.to_html()}'
    d = change.diff()  # heading and body: what the counts are about
    if d is None:
        body = "".join(f"<p>{html.escape(p)}</p>"
                       for p in section_plain_text(change.section).split("\n\n") if p)
        return (f'{title}{meta}<p class="meta">Changed since you last read it; the text you read '
                f"is no longer on disk, so only the current text is shown.</p>{body}")
    old = change.old
    assert old is not None and old.briefing is not None
    stats = f"{len(d.inserted)} word(s) inserted, {len(d.deleted)} deleted"
    heading = ""
    if old.title != change.section.title:
        heading = f"<p><b>Heading:</b> {word_diff(old.title, change.section.title).to_html()[3:-4]}</p>"
    body = word_diff(section_plain_text(old), section_plain_text(change.section)).to_html()
    return (f'{title}{meta}<p class="meta">Changed since you read '
            f"{html.escape(version_label(old.briefing))} · {stats}</p>{legend}{heading}{body}")


class ChangesDock(QDockWidget):
    """List of changes on top, the "What changed" view below."""

    activated = Signal(object)  # SectionChange the reader picked
    next_requested = Signal()
    mark_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What Changed", parent)
        self.setObjectName("ChangesDock")
        self.model = ChangesModel(self)
        self.list = QListView()
        self.list.setItemDelegate(TextDirectionDelegate(self.list))  # Persian titles run RTL
        self.list.setModel(self.model)
        self.list.setAccessibleName("Changes since last read")
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._on_activated)
        self.list.clicked.connect(self._on_activated)
        self.view = QTextBrowser()
        self.view.setObjectName("DiffView")
        self.view.setAccessibleName("What changed")
        self.view.setOpenLinks(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.document().setDocumentMargin(10)
        self.view.document().setDefaultFont(QFont(first_installed(SERIF), 12))
        self.shown: SectionChange | None = None
        self.next_button = QPushButton("Next Change")
        self.seen_button = QPushButton("Mark All as Seen")
        self.next_button.clicked.connect(self.next_requested)
        self.seen_button.clicked.connect(self.mark_all_requested)
        self.setWidget(self._layout())
        self._theme: Theme | None = None
        self._page = ""  # the view's HTML, kept to re-render it on a theme change

    def apply_theme(self, theme: Theme) -> None:
        """Colour the list and the diff view for a theme (at install and on every live switch):
        a palette and a document style sheet, no widget style sheet (see themes.py)."""
        self._theme = theme
        self.view.setPalette(theme.page_palette())
        self.view.document().setDefaultStyleSheet(view_css(theme))
        self.model.set_theme(theme)
        self._set_page(self._page)  # re-rendered with the new style sheet

    def _set_page(self, page: str) -> None:
        self._page = page
        self.view.setHtml(page)

    def _layout(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setStretchFactor(1, 3)
        split.setSizes([150, 450])
        row = QHBoxLayout()
        row.addWidget(self.next_button)
        row.addWidget(self.seen_button)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        return box

    def set_changes(self, changes: list[SectionChange], seen: set[str] | None = None) -> None:
        """List the entries; the title counts those not `seen` (read since) yet."""
        self.model.set_changes(changes, seen)
        n = sum(1 for c in changes if not self.model.is_seen(c))
        self.setWindowTitle(f"What Changed ({n})" if n else "What Changed")
        self.seen_button.setEnabled(bool(changes))
        self.next_button.setEnabled(n > 0)
        if self.shown is None:
            self._set_page("<p class='meta'>Nothing new, changed or removed since you last read.</p>"
                              if not changes else "<p class='meta'>Pick a change to see what changed.</p>")
        else:
            self._select(self.shown)  # the list was rebuilt: keep the shown entry current

    def show_change(self, change: SectionChange) -> None:
        """Show a change in the view (it stays shown after reading clears its marker)."""
        self.shown = change
        self._set_page(change_html(change))
        self._select(change)

    def _select(self, change: SectionChange) -> None:
        for row in range(self.model.rowCount()):
            listed = self.model.change(self.model.index(row))
            if listed is not None and listed.key == change.key:  # listed entries outlive refreshes
                self.list.setCurrentIndex(self.model.index(row))

    def _on_activated(self, index: QModelIndex) -> None:
        change = self.model.change(index)
        if change is not None:
            self.activated.emit(change)
