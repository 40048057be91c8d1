"""Annotations in the window: highlight / note / copy-with-citation on a selection, Ctrl+D bookmarks,
painted highlights with note markers, the Annotations dock with its review list, undo, tree badges
and read/unread marks with "next unread". `install(window)` plugs it all in (see features.py).
A note being written is kept as a draft in the settings, so the next start opens it again when
the session ended with its editor open (a signal, logout, a crash).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QContextMenuEvent,
    QGuiApplication,
    QHelpEvent,
    QIcon,
    QKeySequence,
    QMouseEvent,
    QPixmap,
    QTextCursor,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QLabel, QMenu, QToolBar, QToolButton, QToolTip

from reader.annotations import COLORS, Annotation, AnnotationStore, Kind, Status, StoreError, service
from reader.annotations.exchange import from_w3c, to_w3c
from reader.annotations.model import now_iso
from reader.annotations.recovery import open_store
from reader.content import Section, section_plain_text
from reader.ui.features.annotations.bookmarks import (
    bookmark_rows,
    new_bookmark,
    place_at_top,
    scroll_to_place,
)
from reader.ui.features.annotations.dock import AnnotationsDock, NoteEditor
from reader.ui.features.annotations.exchange_actions import AnnotationExchange
from reader.ui.features.annotations.mapping import PageMap
from reader.ui.features.annotations.models import Entry
from reader.ui.features.annotations.navigation import AnnotationWalker
from reader.ui.features.annotations.note_tooltip import note_tooltip
from reader.ui.features.annotations.paint import LAYER, NoteMarkers, Painted, marks
from reader.ui.features.annotations.popup import AnnotationPopup, anchor_rect
from reader.ui.features.annotations.spans import pieces
from reader.ui.kit.themes import Theme, flat_toolbar, mute
from reader.ui.reading.announce import announce
from reader.ui.reading.caret import CaretBrowsing
from reader.ui.reading.marks import MarkKind
from reader.ui.shell.action_registry import ActionSpec
from reader.ui.shell.feature_host import Feature

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
DRAFT_DELAY_MS = 500  # a note's draft is saved this long after typing stops


class StoreChange(QUndoCommand):
    """One undoable change: `before` -> `after` (None on either side means absent)."""

    def __init__(self, ctl: AnnotationsController, before: Annotation | None,
                 after: Annotation | None, text: str) -> None:
        super().__init__(text)
        self.ctl, self.before, self.after = ctl, before, after

    def redo(self) -> None:
        # A change the store refused (disk full, read-only) must not linger on the undo stack.
        self.setObsolete(not self.ctl.apply(self.after, self.before))

    def undo(self) -> None:
        self.setObsolete(not self.ctl.apply(self.before, self.after))


class AnnotationsController(QObject):
    """Owns the store connection of the window and everything annotations show in it."""

    def __init__(self, window: MainWindow, store: AnnotationStore) -> None:
        super().__init__(window)
        self.window, self.store, self.article = window, store, window.article
        self.undo_stack = QUndoStack(self)
        self._page_map: PageMap | None = None  # built on demand: costly on long pages
        self.painted: list[Painted] = []
        self.entries: list[Entry] = []
        self._counts: dict[str, int] = {}
        self._read: set[str] = set()
        self._refresh_pending = False
        self.markers = NoteMarkers(self.article)
        self.caret = CaretBrowsing(self.article, window.settings, window.statusBar())
        self.walker = AnnotationWalker(self)
        self.popup: AnnotationPopup | None = None
        self.dock = AnnotationsDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()  # opened from View or the toolbar; the window state remembers it
        self._build_actions()
        self._wire()
        self.refresh()

    # -- set-up ---------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        r = self.window.registry
        Undo, Redo = QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo
        r.declare(ActionSpec("undo", "&Undo", "edit", "undo", (Undo,)), self.undo_stack.undo)
        r.declare(ActionSpec("redo", "&Redo", "edit", "undo", (Redo,)), self.undo_stack.redo)
        self.highlight_menu = r.submenu("highlight", "&Highlight", "edit", "annotate")
        for n, color in enumerate(COLORS):
            action = r.declare(ActionSpec(f"highlight_{color}", color.capitalize(), "highlight", "",
                                          ("Ctrl+Shift+H",) if n == 0 else ()),
                               lambda _=False, c=color: self.highlight(c))
            action.setIcon(_swatch(color, self.window.themes.current))
        r.declare(ActionSpec("add_note", "Add &Note…", "edit", "annotate", ("Ctrl+Alt+M",)),
                  self.add_note)
        r.declare(ActionSpec("copy_citation", "Copy with &Citation", "edit", "annotate",
                             ("Ctrl+Shift+C",)), self.copy_with_citation)
        r.declare(ActionSpec("bookmark", "&Bookmark Section", "edit", "annotate", ("Ctrl+D",)),
                  self.toggle_bookmark)
        r.declare(ActionSpec("show_bookmarks", "Boo&kmarks", "go", "reading", ("Ctrl+Shift+B",)),
                  self.dock.show_bookmarks)
        self.exchange = AnnotationExchange(self)  # File ▸ Export / Import Annotations…
        r.declare(ActionSpec("annotation_actions", "Highlight &Actions…", "edit", "annotate",
                             ("Ctrl+Return",)), self.popup_at_caret)
        r.declare(ActionSpec("next_annotation", "Next Anno&tation", "go", "reading", ("]",)),
                  lambda: self.walker.step(1))
        r.declare(ActionSpec("previous_annotation", "Previous Annotat&ion", "go", "reading",
                             ("[",)), lambda: self.walker.step(-1))
        caret = r.declare(ActionSpec("caret_browsing", "Caret Browsin&g", "view", "text", ("F7",),
                                     checkable=True), self.caret.set_enabled)
        caret.setChecked(self.caret.enabled)
        # In View ▸ Theme, below the themes: the View menu has no letter left for it.
        safe = r.declare(ActionSpec("safe_highlights", "Colour-Blind-Safe &Highlight Colours",
                                    "theme", "", checkable=True), self.set_safe_highlights)
        safe.setChecked(self.window.settings.safe_highlights)
        r.declare(ActionSpec("next_unread", "Next &Unread Section", "go", "reading",
                             ("Ctrl+Shift+PgDown",)), self.next_unread)
        r.declare(ActionSpec("toggle_read", "&Mark Section as Read", "go", "reading",
                             ("Ctrl+Shift+R",), checkable=True), self.toggle_read)
        toggle = self.dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+Shift+A"))
        r.add("view", "panels", toggle, "show_annotations")
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Annotations", self.window)
        bar.setObjectName("AnnotationsToolbar")
        flat_toolbar(bar)
        button = QToolButton(bar)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setMenu(self.highlight_menu)
        default = self.window.actions_by_name[f"highlight_{COLORS[0]}"]
        # The button shows its action's icon text, set again whenever the action changes (a
        # text set on the button alone turned back into "Yellow"); menus show the colour name.
        default.setIconText("Highlight")
        button.setDefaultAction(default)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addWidget(button)
        for name in ("add_note", "copy_citation", "bookmark"):
            bar.addAction(self.window.actions_by_name[name])
        bar.addSeparator()
        bar.addAction(self.dock.toggleViewAction())
        self.toolbar = bar
        self.window.addToolBar(bar)

    def _wire(self) -> None:
        self.store.add_listener(lambda _change: self._schedule_refresh())
        self.window.section_shown.connect(lambda _s: self.repaint())
        self.window.section_shown.connect(lambda _s: self._update_read_action())
        self.article.visible_section_changed.connect(lambda _id: self._update_read_action())
        self.article.viewport().installEventFilter(self)
        self.article.installEventFilter(self)  # the keyboard's context menu comes to the view
        self.dock.jump_requested.connect(self.jump_to)
        self.dock.edit_requested.connect(lambda aid: self.edit(aid))
        self.dock.delete_requested.connect(self.delete)
        self.dock.accept_requested.connect(self.accept_match)
        self.dock.reattach_requested.connect(self.reattach)
        self.dock.bookmark_open_requested.connect(self.open_bookmark)
        self.window.themes.changed.connect(self._on_theme)
        if self.window.settings.safe_highlights:
            self.window.themes.set_safe_highlights(True)  # emits changed: _on_theme runs
        self._on_theme(self.window.themes.current)
        previous = self.window.model.badge

        def badge(section: Section) -> str:
            base = previous(section) if previous else ""
            n = self._counts.get(section.key, 0)
            return base + (f"  ✎{n}" if n else "") + ("  ✓" if section.key in self._read else "")

        self.window.model.badge = badge

    def set_safe_highlights(self, on: bool) -> None:
        """Highlights in the colour-blind-safe colours (themes.SAFE_HIGHLIGHTS), remembered."""
        self.window.settings.safe_highlights = on
        self.window.themes.set_safe_highlights(on)

    def _on_theme(self, theme: Theme) -> None:
        """Colour swatches (the list's, the Highlight menu's icons) as the theme paints them."""
        self.dock.set_theme(theme)
        if self.popup is not None:
            self.popup.close()  # its swatches are the old theme's; the page is re-rendered
        self.markers.update()  # the note markers ask the article's theme when they paint
        for color in COLORS:
            self.window.actions_by_name[f"highlight_{color}"].setIcon(_swatch(color, theme))

    # -- changes --------------------------------------------------------------------------------
    def push(self, before: Annotation | None, after: Annotation | None, text: str) -> None:
        """Make a change through the undo stack (Ctrl+Z reverts it)."""
        self.undo_stack.push(StoreChange(self, before, after, text))

    def apply(self, target: Annotation | None, other: Annotation | None) -> bool:
        """Make the store hold `target` (or not hold `other` when target is None); False (and a
        message) when the store refused."""
        try:
            if target is not None:
                self.store.save(target)
            elif other is not None:
                self.store.delete(other.id)
        except StoreError as exc:
            self.report(exc)
            return False
        finally:
            self.refresh()
        return True

    def report(self, exc: StoreError) -> None:
        """Tell the user why annotations failed (they keep reading either way)."""
        log.warning("annotations: %s", exc)
        self.window.statusBar().showMessage(str(exc), 15000)

    def _schedule_refresh(self) -> None:
        if not self._refresh_pending:  # an import of many changes repaints once
            self._refresh_pending = True
            QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        """Repaint the page and rebuild the dock, tree badges and read marks from the store."""
        self._refresh_pending = False
        try:
            annotations = self.store.all()
            self._read = set(self.store.read_marks())
        except StoreError as exc:
            self.report(exc)
            return
        anchors = service.anchors_in_library(self.window.library, annotations)
        self.entries = [Entry(a, anchors[a.id], self._title(a)) for a in annotations]
        self.dock.set_entries(self.entries)
        self.dock.set_bookmarks(bookmark_rows(self.entries, self.window.library))
        self._counts = {}
        for a in annotations:
            self._counts[a.section_key] = self._counts.get(a.section_key, 0) + 1
        self.window.model.refresh()
        self.repaint()
        self._update_read_action()

    def moved_on(self, section_keys: set[str]) -> int:
        """How many annotations on these sections no longer sit exactly where they were."""
        return sum(1 for e in self.entries
                   if e.annotation.section_key in section_keys and e.anchor.status is not Status.EXACT)

    def show_review(self) -> None:
        """Open the dock on its review list (annotations that moved with an update)."""
        self.dock.show()
        self.dock.tabs.setCurrentWidget(self.dock.review)

    def _title(self, a: Annotation) -> str:
        section = self.window.library.find(a.section_key)
        if section is None or section.key != a.section_key:
            return f"{a.section_key} (missing)"
        return " › ".join(section.path_titles[1:]) or section.title

    # -- painting -------------------------------------------------------------------------------
    @property
    def page_map(self) -> PageMap:
        """Document <-> plain-text positions of the page shown now (built once per page)."""
        if self._page_map is None:
            assert self.window.current is not None
            self._page_map = PageMap(self.article.document(), self.window.current)
        return self._page_map

    def repaint(self) -> None:
        page = self.window.current
        if page is None or page.briefing is None:
            return
        self._page_map = None  # the page (or its text) may have changed
        on_page = {s.key: s for s in page.walk()}
        by_section: dict[str, list[Annotation]] = {}
        try:
            stored = self.store.all()
        except StoreError as exc:
            self.report(exc)
            return
        for a in stored:
            if a.section_key in on_page and a.kind is not Kind.BOOKMARK:
                by_section.setdefault(a.section_key, []).append(a)
        painted: list[Painted] = []
        for key, anns in by_section.items():
            section = on_page[key]
            anchors = service.anchors_in_section(section, anns)
            for a in anns:
                at = anchors[a.id]
                where = self.page_map.doc_range(section, at.start, at.end) if at.attached else None
                if where is not None:
                    painted.append(Painted(a, *where))
        self.painted = painted
        self.article.set_marks(LAYER, marks(painted))
        self.markers.set_painted(painted)

    def painted_at(self, doc_pos: int) -> Painted | None:
        hits = [p for p in self.painted if p.start <= doc_pos < p.end]
        return min(hits, key=lambda p: p.end - p.start) if hits else None  # innermost wins

    # -- selection actions ----------------------------------------------------------------------
    def selection(self) -> tuple[Section, int, int] | None:
        """The article selection as (section, start, end) in that section's plain text."""
        cursor = self.article.textCursor()
        if not cursor.hasSelection() or self.window.current is None:
            return None
        return self.page_map.locate(cursor.selectionStart(), cursor.selectionEnd())

    def _need_selection(self) -> tuple[Section, int, int] | None:
        found = self.selection()
        if found is None:
            self.window.statusBar().showMessage("Select some text of the article first.", 4000)
        return found

    def highlight(self, color: str = COLORS[0]) -> Annotation | None:
        found = self._need_selection()
        if found is None:
            return None
        # The very text of a highlight (or note) chosen again: its colour changes (as in
        # calibre's and Okular's viewers), rather than a second one hiding the first under it.
        same = self._on_selection()
        if same is not None:
            if same.color == color:
                self.window.statusBar().showMessage(f"Already highlighted in {color}.", 3000)
                return same
            recoloured = replace(same, color=color, modified=now_iso())
            self.push(same, recoloured, f"Highlight in {color}")
            self._done_selecting(f"Highlight now {color}.")
            return recoloured
        cursor = self.article.textCursor()
        parts = pieces(self.page_map, cursor.selectionStart(), cursor.selectionEnd())
        if len(parts) > 1:  # over sub-sections' headings: one highlight per section (spans.py)
            self.undo_stack.beginMacro(f"Highlight in {color}")
            made = [service.create(*part, kind=Kind.HIGHLIGHT, color=color) for part in parts]
            for one in made:
                self.push(None, one, f"Highlight in {color}")
            self.undo_stack.endMacro()
            self._done_selecting(f"Highlighted (across {len(parts)} sections).")
            return made[0]
        ann = service.create(found[0], found[1], found[2], Kind.HIGHLIGHT, color)
        self.push(None, ann, f"Highlight in {color}")
        self._done_selecting("Highlighted.")
        return ann

    def _done_selecting(self, message: str) -> None:
        """Drop the selection (it would hide the new paint under it, so nothing would seem to
        happen), the caret left at its end for the next one, and say what happened."""
        cursor = self.article.textCursor()
        cursor.clearSelection()
        self.article.setTextCursor(cursor)
        announce(self.window.statusBar(), self.article, message, 3000)

    def add_note(self) -> NoteEditor | None:
        found = self._need_selection()
        if found is None:
            return None
        same = self._on_selection()
        if same is not None:  # the note goes on that highlight (or is that note, edited)
            return self.open_editor(same)  # (the editor makes a highlight with text a note)
        return self.open_editor(service.create(*found, kind=Kind.NOTE), new=True)

    def _on_selection(self) -> Annotation | None:
        """The highlight or note painted over exactly the selected text, if there is one."""
        cursor = self.article.textCursor()
        span = (cursor.selectionStart(), cursor.selectionEnd())
        return next((p.annotation for p in self.painted if (p.start, p.end) == span
                     and p.annotation.kind in (Kind.HIGHLIGHT, Kind.NOTE)), None)

    def copy_with_citation(self) -> str:
        found = self.selection()
        if found is not None:
            section, start, end = found
            text = service.citation(section, section_plain_text(section)[start:end])
        elif self.article.textCursor().hasSelection() and self.window.current is not None:
            quote = self.article.textCursor().selection().toPlainText()
            text = service.citation(self.window.current, quote)
        else:
            self.window.statusBar().showMessage("Select some text of the article first.", 4000)
            return ""
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage("Copied with citation.", 3000)
        return text

    def toggle_bookmark(self) -> None:
        section = self.window.visible_section()
        if section is None:
            return
        existing = [a for a in self.store.for_section(*_ids(section)) if a.kind is Kind.BOOKMARK]
        if existing:
            self.push(existing[0], None, "Remove bookmark")
            self.window.statusBar().showMessage(f"Bookmark removed from “{section.title}”.", 3000)
        else:  # at the place read now (bookmarks.py), not only the section
            place = place_at_top(self.article, self.page_map, section)
            self.push(None, new_bookmark(section, place), "Bookmark")
            self.window.statusBar().showMessage(f"Bookmarked “{section.title}”.", 3000)

    def open_bookmark(self, bookmark_id: str) -> bool:
        """Open a bookmark's section at its place (its start for one without a place)."""
        e = self._entry(bookmark_id)
        if e is None or not self.window.open_reference(e.annotation.section_key):
            return False
        section = self.window.library.find(e.annotation.section_key)
        if section is not None and e.anchor.attached and e.anchor.start > 0:
            where = self.page_map.doc_range(section, e.anchor.start, e.anchor.end)
            if where is not None:
                scroll_to_place(self.article, where[0])
        self.article.setFocus()  # reading goes on from there, by the keys too
        return True

    # -- editing and the review list ------------------------------------------------------------
    def open_editor(self, annotation: Annotation, new: bool = False) -> NoteEditor:
        """Open the (window-modal, non-blocking) editor; saving goes through the undo stack."""
        dialog = NoteEditor(annotation, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved() -> None:
            if new:
                self.push(None, dialog.result_annotation(), "Add note")
                self._done_selecting("Note added.")  # as after highlighting: the note shows
            elif dialog.changed():
                self.push(annotation, dialog.result_annotation(), "Edit note")

        dialog.accepted.connect(saved)
        self.editor = dialog
        self.draft_keeper = DraftKeeper(self.window, dialog, new)
        dialog.open()
        return dialog

    def restore_draft(self, draft: dict[str, Any]) -> NoteEditor | None:
        """Open the editor again on the note a session ended while writing (see DraftKeeper)."""
        try:
            annotation, new = from_w3c(draft["annotation"]), bool(draft.get("new"))
            note, color, tags = str(draft["note"]), str(draft["color"]), str(draft["tags"])
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("dropping an unreadable note draft: %s", exc)
            self.window.settings.set_note_draft(None)
            return None
        stored = None if new else self.store.get(annotation.id)
        # Deleted since: saving the draft brings the annotation back with the text written.
        dialog = self.open_editor(stored or annotation, new=new or stored is None)
        dialog.note.setPlainText(note)
        dialog.color.setCurrentText(color)
        dialog.tags.setText(tags)
        self.window.statusBar().showMessage(
            "The note you were writing when the last session ended is open again.", 10000)
        return dialog

    def edit(self, annotation_id: str) -> NoteEditor | None:
        ann = self.store.get(annotation_id)
        return self.open_editor(ann) if ann else None

    def delete(self, annotation_id: str) -> None:
        ann = self.store.get(annotation_id)
        if ann is not None:
            what = "Bookmark" if ann.kind is Kind.BOOKMARK else "Annotation"
            self.push(ann, None, f"Delete {what.lower()}")
            self.window.statusBar().showMessage(f"{what} deleted (Ctrl+Z to undo).", 4000)

    def _entry(self, annotation_id: str) -> Entry | None:
        return next((e for e in self.entries if e.annotation.id == annotation_id), None)

    def accept_match(self, annotation_id: str) -> None:
        """Fix a moved or fuzzy annotation on where it was found now."""
        e = self._entry(annotation_id)
        section = self.window.library.find(e.annotation.section_key) if e else None
        if e is None or section is None or e.anchor.status not in (Status.MOVED, Status.FUZZY):
            self.window.statusBar().showMessage(
                "Only a moved or fuzzy match can be accepted; re-attach an orphan instead.", 5000)
            return
        new = service.reattach(e.annotation, section, e.anchor.start, e.anchor.end)
        self.push(e.annotation, new, "Accept match")

    def reattach(self, annotation_id: str) -> None:
        """Attach an annotation (typically an orphan) to the text selected in the article."""
        ann = self.store.get(annotation_id)
        found = self.selection()
        if ann is None or found is None:
            self.window.statusBar().showMessage(
                "Select the text to attach it to in the article, then press Re-attach.", 5000)
            return
        self.push(ann, service.reattach(ann, *found), "Re-attach annotation")

    def jump_to(self, annotation_id: str) -> None:
        ann = self.store.get(annotation_id)
        if ann is None or not self.window.open_reference(ann.section_key):
            return
        self.repaint()
        section = self.window.library.find(ann.section_key)
        e = self._entry(annotation_id)
        if section is None or e is None or not e.anchor.attached or self.window.current is None:
            return
        where = self.page_map.doc_range(section, e.anchor.start, e.anchor.end)
        if where is not None:
            cursor = QTextCursor(self.article.document())
            cursor.setPosition(where[0])
            cursor.setPosition(where[1], QTextCursor.MoveMode.KeepAnchor)
            self.article.setTextCursor(cursor)
            self.article.ensureCursorVisible()

    # -- read marks -----------------------------------------------------------------------------
    def toggle_read(self) -> None:
        section = self.window.visible_section()
        if section is None:
            return
        try:
            if section.key in self._read:
                self.store.mark_unread(*_ids(section))
            else:
                self.store.mark_read(*_ids(section), section.fingerprint)
        except StoreError as exc:
            self.report(exc)
        self.refresh()

    def _update_read_action(self) -> None:
        section = self.window.visible_section()
        action = self.window.actions_by_name.get("toggle_read")
        if action is not None:
            action.setChecked(section is not None and section.key in self._read)

    def next_unread(self) -> Section | None:
        order = list(self.window.library.sections())
        at = self.window.visible_section()
        start = self.window.library.position(at) + 1 if at is not None else 0
        for section in order[start:] + order[:start]:
            if section.key not in self._read:
                self.window.open_reference(section.key)
                return section
        self.window.statusBar().showMessage("Every section is marked read.", 4000)
        return None

    # -- mouse: hover text, click to edit, context menu -----------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.article and kind != QEvent.Type.ContextMenu:
            return False  # the viewport's events, passed on to the view, are handled already
        if kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.painted_at(self.article.cursorForPosition(event.pos()).position())
            if hit is not None and hit.annotation.note:
                QToolTip.showText(event.globalPos(), note_tooltip(hit.annotation),
                                  self.article.viewport())
                return True
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            pos = event.position().toPoint()
            if (event.button() == Qt.MouseButton.LeftButton and not self.article.anchorAt(pos)
                    and not self.article.textCursor().hasSelection()):
                hit = self.painted_at(self.article.cursorForPosition(pos).position())
                if hit is not None:
                    QTimer.singleShot(0, lambda: self.open_popup(hit))
        elif kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            if event.reason() == QContextMenuEvent.Reason.Mouse:
                at = self.article.cursorForPosition(
                    self.article.viewport().mapFromGlobal(event.globalPos())).position()
                where = event.globalPos()
            else:  # the Menu key: at the caret
                at = self.article.textCursor().position()
                where = self.article.viewport().mapToGlobal(
                    self.article.cursorRect().bottomLeft())
            self.context_menu(self.painted_at(at)).popup(where)
            return True
        return False

    def context_menu(self, hit: Painted | None = None) -> QMenu:
        """The article's standard menu plus the annotation actions (and those of the highlight
        under the pointer or the caret, when there is one)."""
        menu = self.article.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSeparator()
        if hit is not None:
            a = hit.annotation
            menu.addAction("Highlight Actions…", lambda: self.open_popup(hit))
            menu.addAction("Edit Note…" if a.note else "Add Note to Highlight…",
                           lambda: self.open_editor(a))
            menu.addAction("Delete Highlight", lambda: self.delete(a.id))
            menu.addSeparator()
        menu.addMenu(self.highlight_menu)
        for name in ("add_note", "copy_citation", "bookmark"):
            menu.addAction(self.window.actions_by_name[name])
        return menu

    # -- the popup at a highlight (popup.py) -----------------------------------------------------
    def open_popup(self, hit: Painted) -> AnnotationPopup:
        """The small popup of actions on one highlight or note, at its text."""
        a = hit.annotation
        popup = AnnotationPopup(a, self.article.theme, self.article)
        popup.recolour.connect(lambda color: self.recolour(a.id, color))
        popup.edit_note.connect(lambda: self.edit(a.id))
        popup.copy.connect(lambda: self.copy_annotation(a.id))
        popup.delete.connect(lambda: self.delete(a.id))
        popup.destroyed.connect(self._popup_gone)
        self.popup = popup
        popup.show_at(anchor_rect(self.article, hit.start, hit.end))
        return popup

    def _popup_gone(self) -> None:
        self.popup = None

    def popup_at_caret(self) -> AnnotationPopup | None:
        """Highlight Actions: the popup of the highlight the caret (or selection) is in."""
        cursor = self.article.textCursor()
        hit = self.painted_at(cursor.selectionStart())
        if hit is None:
            self.window.statusBar().showMessage(
                "Put the caret in a highlight first (F7 turns caret browsing on).", 4000)
            return None
        return self.open_popup(hit)

    def recolour(self, annotation_id: str, color: str) -> None:
        ann = self.store.get(annotation_id)
        if ann is not None and ann.color != color:
            self.push(ann, replace(ann, color=color, modified=now_iso()), f"Highlight in {color}")
            self.window.statusBar().showMessage(f"Highlight now {color}.", 3000)

    def copy_annotation(self, annotation_id: str) -> str:
        """Copy an annotation's text with its citation."""
        ann = self.store.get(annotation_id)
        section = self.window.library.find(ann.section_key) if ann else None
        if ann is None or section is None:
            return ""
        text = service.citation(section, ann.quote)
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage("Copied with citation.", 3000)
        return text


class DraftKeeper(QObject):
    """Keeps what is typed in a note editor as the settings' note draft: a moment after typing
    stops, and at once when the window saves its state (closing on a signal, the session's
    end). Saving or cancelling the editor drops the draft; the window closing under it (the
    editor is window-modal, so only a signal or the session's end can) keeps it."""

    def __init__(self, window: MainWindow, dialog: NoteEditor, new: bool) -> None:
        super().__init__(dialog)
        self.window, self.dialog, self.new = window, dialog, new
        self.timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.save)
        for changed in (dialog.note.textChanged, dialog.tags.textChanged,
                        dialog.color.currentTextChanged):
            changed.connect(self.schedule)
        window.saving_state.connect(self.save)
        dialog.finished.connect(self._finished)

    def schedule(self, *_changed: object) -> None:
        self.timer.start()

    def draft(self) -> dict[str, Any] | None:
        """What to keep, or None when there is nothing written to lose."""
        d = self.dialog
        if not (d.changed() if not self.new else d.note.toPlainText().strip()):
            return None
        return {"new": self.new, "annotation": to_w3c(d.annotation), "note": d.note.toPlainText(),
                "color": d.color.currentText(), "tags": d.tags.text()}

    def save(self) -> None:
        self.timer.stop()
        self.window.settings.set_note_draft(self.draft())
        self.window.settings.sync()

    def _finished(self, _result: int) -> None:
        self.window.saving_state.disconnect(self.save)
        if self.window.closing:
            self.save()  # ended under the editor: keep it for the next start
            return
        self.timer.stop()
        self.window.settings.set_note_draft(None)


def _ids(section: Section) -> tuple[str, str]:
    assert section.briefing is not None
    return section.briefing.id, section.id


def _swatch(color: str, theme: Theme) -> QIcon:
    """An icon of a highlight colour as `theme` paints it (renewed at every theme switch)."""
    pixmap = QPixmap(14, 14)
    style = theme.style(MarkKind.highlight(color))
    assert style.background is not None
    pixmap.fill(style.background)
    return QIcon(pixmap)


def self_test_check(ctl: AnnotationsController | None, window: MainWindow,
                    error: str | None = None) -> str:
    """Write an annotation in the (temporary) data dir and read it back through a new connection."""
    if ctl is None:
        raise RuntimeError(error or "annotations are not installed")
    section = next(s for s in window.library.sections() if s.markdown.strip())
    ann = service.create(section, 0, 10, note="self-test")
    ctl.store.add(ann)
    try:
        other = AnnotationStore(ctl.store.path)
        back = other.get(ann.id)
        other.close()
    finally:
        ctl.store.delete(ann.id)
    if back != ann:
        raise RuntimeError(f"annotation read back differs: {back!r}")
    return f"annotations: wrote and read back an annotation in {ctl.store.path}"


class AnnotationsFeature(Feature):
    """Highlights, notes and bookmarks: the store, the Annotations panel and toolbar, painting.
    `controller` is None when the store could not be opened (`error` says why); `notice` is the
    sentence shown in the status bar about the store, if any."""

    controller: AnnotationsController | None = None
    error: str | None = None
    notice: str | None = None

    def install(self) -> None:
        window = self.window
        opened = open_store(window.ctx.paths.data)
        if opened.notice:
            self.notice = show_notice(window, opened.notice)
        if opened.store is None:
            self.error = opened.notice
            return
        ctl = self.controller = AnnotationsController(window, opened.store)
        if opened.store.read_only:
            for name in (*(f"highlight_{c}" for c in COLORS), "add_note", "bookmark", "toggle_read",
                         "undo", "redo"):
                window.actions_by_name[name].setEnabled(False)
        else:
            draft = window.settings.note_draft()
            if draft is not None:
                ctl.restore_draft(draft)

    def self_test(self) -> str:
        return self_test_check(self.controller, self.window, self.error)


def show_notice(window: MainWindow, notice: str) -> str:
    """One sentence that stays in the status bar: a passing message would be overwritten by the
    search index's report, and a modal box would stop a reader who only wants to read."""
    log.warning("annotations: %s", notice)
    label = QLabel(notice, window)
    label.setObjectName("AnnotationsNotice")
    label.setToolTip(notice)
    mute(label)
    window.statusBar().addPermanentWidget(label)
    return notice
