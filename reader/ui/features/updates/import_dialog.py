"""The import dialog: what a converted document will become, shown and edited before anything is
imported. The detected headings as a tree (promote, demote, merge into the previous section),
the title, author and date as fields (and where the date came from), the format, encoding and
the converter's warnings. It edits the `Converted` it is given; the controller imports
`edited()` when the reader accepts. Opened with `open()`: the window stays usable (and tests
never block)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as _date
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.content.bidi import is_rtl
from reader.convert.model import MAX_LEVEL, Converted, normalized_levels
from reader.ui.kit.text_direction import TextDirectionDelegate

PartRole = Qt.ItemDataRole.UserRole  # a row's index in `Converted.parts`; -1 for the title row
PREVIEW_WORDS = 10
HEADING_COLUMN_MAX = 460  # pixels
DATE_ORIGINS = {  # Converted.date_origin -> how the dialog says it
    "source": "from the document",
    "command line": "from the command line",
    "file modification date": "from the file's modification date",
    "edited": "edited",
}
FORMAT_NAMES = {"txt": "plain text", "html": "HTML", "docx": "Word (DOCX)", "epub": "EPUB",
                "pdf": "PDF", "mdbook": "mdBook folder", "hugo": "Hugo site", "markdown": "Markdown folder"}
_MARKUP = re.compile(r"\\(.)|[*_`#>|]|&#\d+;|&\w+;|\{#[^}]*\}")


@lru_cache(maxsize=4096)  # the tree is redrawn after every edit; most sections did not change
def preview(markdown: str) -> str:
    """A section's size and first words, as the tree shows it ("412 words: Alright guys, …")."""
    words = _MARKUP.sub(lambda m: m.group(1) or " ", markdown).split()
    if not words:
        return "(no text)"
    head = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
    return f"{len(words)} word{'s' if len(words) != 1 else ''}: {head}"


class ImportDialog(QDialog):
    """Check and edit a converted document before it is imported (see the module's docstring)."""

    def __init__(self, path: Path, converted: Converted, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.converted = path, converted
        self.original_date = converted.date
        self._date_touched = False  # by the reader (the field starts on today when there is none)
        self.setWindowTitle(f"Import {path.name}")
        self.setObjectName("ImportDialog")
        self.setAccessibleName(f"Import {path.name}")
        self._build_fields()
        self._build_tree()
        self._build_edits()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import the document")
        self.import_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.redraw(select=0 if converted.parts else -1)
        self._on_title(self.title_edit.text())
        self.resize(900, 600)

    # -- set-up ---------------------------------------------------------------------------------
    def _build_fields(self) -> None:
        c = self.converted
        self.title_edit = QLineEdit(c.title)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.textChanged.connect(self._on_title)
        self.author_edit = QLineEdit(c.author)
        self.author_edit.setAccessibleName("Author")
        self.author_edit.setPlaceholderText("none")
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        start = QDate.fromString(c.date, "yyyy-MM-dd")
        self.date_edit.setDate(start if start.isValid() else QDate.currentDate())
        self.date_edit.dateChanged.connect(self._on_date)
        self.date_origin = QLabel(DATE_ORIGINS.get(c.date_origin, c.date_origin))
        self.date_origin.setAccessibleName("Where the date came from")
        kind = FORMAT_NAMES.get(c.format, c.format.upper() or "unknown")
        self.source_label = QLabel(f"{self.path.name} — {kind}"
                                   + (f", {c.encoding}" if c.encoding else ""))
        self.source_label.setAccessibleName("Source format and encoding")
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QPlainTextEdit("\n".join(f"• {w}" for w in c.warnings))
        self.warnings.setReadOnly(True)
        self.warnings.setAccessibleName("Conversion warnings")
        shown_lines = min(max(len(c.warnings), 1), 4)  # as tall as they are, up to four lines
        margins = 2 * (self.warnings.frameWidth() + int(self.warnings.document().documentMargin())) + 4
        self.warnings.setFixedHeight(self.warnings.fontMetrics().lineSpacing() * shown_lines + margins)
        self.warnings.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.warnings.setVisible(bool(c.warnings))

    def _build_tree(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Detected sections")
        self.tree.setHeaderLabels(["Heading", "Text"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegate(TextDirectionDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.tree.setItemsExpandable(False)  # the whole structure is the point: always open
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.currentItemChanged.connect(lambda *_: self._update_edits())

    def _build_edits(self) -> None:
        """Each edit is an action (its shortcut works wherever the focus is but in a text field,
        which keeps Ctrl+Left/Right for moving by words) and a button showing it."""
        self.promote_action = self._edit_action("&Promote", "Ctrl+Left", self.promote,
                                                "Promote the heading one level up")
        self.demote_action = self._edit_action("&Demote", "Ctrl+Right", self.demote,
                                               "Demote the heading one level down")
        # no shortcut for merging: there is no undo but Cancel, so it takes a deliberate Alt+M
        self.merge_action = self._edit_action("&Merge into Previous", "", self.merge,
                                              "Merge the section into the previous one")
        self.promote_button = self._edit_button(self.promote_action)
        self.demote_button = self._edit_button(self.demote_action)
        self.merge_button = self._edit_button(self.merge_action)

    def _edit_action(self, text: str, keys: str, slot: Callable[[], None], name: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(name)
        action.setStatusTip(name)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{name} ({native})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _edit_button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text())
        button.setAccessibleName(action.statusTip())
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    def _lay_out(self) -> None:
        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(self.date_origin, 1)
        for text, field, row in (("&Title:", self.title_edit, self.title_edit),
                                 ("&Author:", self.author_edit, self.author_edit),
                                 ("Dat&e:", self.date_edit, when)):
            label = QLabel(text)
            label.setBuddy(field)  # Alt+T, Alt+A, Alt+E reach the fields
            form.addRow(label, row)
        form.addRow("Source:", self.source_label)
        edits = QVBoxLayout()
        for button in (self.promote_button, self.demote_button, self.merge_button):
            edits.addWidget(button)
        edits.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addLayout(edits)
        sections = QLabel("&Sections (what becomes each heading of the briefing):")
        sections.setBuddy(self.tree)
        layout = QVBoxLayout(self)  # Tab goes the way widgets join it: top to bottom
        layout.addLayout(form)
        layout.addWidget(sections)
        layout.addLayout(body, 1)
        if self.converted.warnings:
            layout.addWidget(QLabel("Warnings:"))
            layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)

    # -- the tree -------------------------------------------------------------------------------
    def redraw(self, select: int | None = None) -> None:
        """The tree from `converted` (levels as they will be written); `select` a part's index
        (-1 the title row), else the current one stays selected."""
        if select is None:
            select = self.selected_part()
            select = -1 if select is None else select
        c = self.converted
        self.tree.clear()
        root = QTreeWidgetItem([self.title_edit.text() or c.title, preview(c.intro) if c.intro.strip()
                                else f"{len(c.parts)} section(s)"])
        root.setData(0, PartRole, -1)
        font = root.font(0)
        font.setBold(True)  # the briefing itself, not a heading to edit
        root.setFont(0, font)
        self.tree.addTopLevelItem(root)
        stack: list[tuple[int, QTreeWidgetItem]] = [(0, root)]
        chosen = root
        for i, part in enumerate(normalized_levels(c.parts)):
            while stack[-1][0] >= part.level:
                stack.pop()
            item = QTreeWidgetItem(stack[-1][1], [part.title, preview(part.markdown)])
            item.setData(0, PartRole, i)
            item.setToolTip(0, f"{part.title} (level {part.level})")
            stack.append((part.level, item))
            if i == select:
                chosen = item
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)  # whole headings, unless they would hide the text
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0) + 12, HEADING_COLUMN_MAX))
        self.tree.setCurrentItem(chosen)
        self.tree.scrollToItem(chosen)
        self._update_edits()

    def selected_part(self) -> int | None:
        """The index in `converted.parts` of the selected heading; None for the title row."""
        item = self.tree.currentItem()
        index = item.data(0, PartRole) if item is not None else None
        return index if isinstance(index, int) and index >= 0 else None

    def select_part(self, index: int) -> None:
        self.redraw(select=index)

    def _update_edits(self) -> None:
        i = self.selected_part()
        parts = self.converted.parts
        level = parts[i].level if i is not None else 0
        self.promote_action.setEnabled(i is not None and level > 1)
        deeper = i is not None and i > 0 and level <= parts[i - 1].level and level < MAX_LEVEL
        self.demote_action.setEnabled(deeper)
        self.merge_action.setEnabled(i is not None)
        for action, button in ((self.promote_action, self.promote_button),
                               (self.demote_action, self.demote_button),
                               (self.merge_action, self.merge_button)):
            button.setEnabled(action.isEnabled())

    # -- structure edits ------------------------------------------------------------------------
    def promote(self) -> None:
        i = self.selected_part()
        if i is not None:
            self.converted.promote(i)
            self.redraw(select=i)

    def demote(self) -> None:
        i = self.selected_part()
        if i is not None:
            self.converted.demote(i)
            self.redraw(select=i)

    def merge(self) -> None:
        """The heading's text joins the section before it (the intro for the first one), which
        is selected next."""
        i = self.selected_part()
        if i is not None:
            self.converted.merge_into_previous(i)
            self.redraw(select=i - 1)

    # -- metadata -------------------------------------------------------------------------------
    def _on_title(self, text: str) -> None:
        rtl = is_rtl(text)
        self.title_edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl
                                           else Qt.LayoutDirection.LeftToRight)
        root = self.tree.topLevelItem(0)
        if root is not None:
            root.setText(0, text)
        self.import_button.setEnabled(bool(text.strip()))  # a briefing needs a title

    def _on_date(self, value: QDate) -> None:
        self._date_touched = True
        changed = value.toString("yyyy-MM-dd") != self.original_date
        origin = "edited" if changed else self.converted.date_origin
        self.date_origin.setText(DATE_ORIGINS.get(origin, origin))

    def date_text(self) -> str:
        return self.date_edit.date().toString("yyyy-MM-dd")

    def edited(self) -> Converted:
        """The `Converted` with the fields applied: what the controller imports."""
        c = self.converted
        # The id stays the detected title's: a newer version of the same document, converted
        # again, is then an update of this briefing (annotations kept) whatever it was renamed to.
        c.id = c.briefing_id()
        c.title = " ".join(self.title_edit.text().split()) or c.title
        c.author = " ".join(self.author_edit.text().split())
        day = self.date_text()
        _date.fromisoformat(day)  # QDateEdit only holds real dates; a slip would fail here, loudly
        if day != self.original_date:
            c.date = day
            c.date_origin = "edited" if self._date_touched else c.date_origin
        return c
