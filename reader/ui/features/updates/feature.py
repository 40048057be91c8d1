"""Briefing updates in the window: File ▸ Import… (packs as they are, documents converted and shown
in the import dialog first; files dropped on the window too), tree markers for sections new / changed /
removed since last read (removed ones listed under their briefing, readable from the older version),
the "What Changed" dock with the word diff, Go ▸ Next Change and Mark All as Seen. Reading a new or
changed section clears its marker through the read marks of the annotations store; the dock keeps
listing it (as seen) until Mark All as Seen or the next library, so its diff can be opened again.
Imports run off the GUI thread through the window's library jobs (progress, Cancel).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from reader.annotations import AnnotationStore
from reader.content import Library, Section
from reader.session import content_folders
from reader.ui.features.updates.changes_dock import ChangesDock, change_colour
from reader.ui.features.updates.drop import FileDropFilter
from reader.ui.library.library_folders import load_folders
from reader.ui.library.library_jobs import JobControl
from reader.ui.library.tree_model import KeyRole
from reader.ui.shell.action_registry import ActionSpec
from reader.ui.shell.feature_host import Feature
from reader.updates import ChangeKind, SectionChange, SeenVersions, compute_changes
from reader.updates.changes import seen_now

if TYPE_CHECKING:
    from reader.convert import Converted
    from reader.ui.features.updates.import_dialog import ImportDialog
    from reader.ui.library.library_jobs import LibraryJobs
    from reader.ui.shell.main_window import MainWindow
    from reader.updates import ImportResult

log = logging.getLogger(__name__)
IMPORT_FILTERS = ";;".join((
    "Documents and briefings (*.txt *.html *.htm *.xhtml *.docx *.epub *.pdf *.md *.zip)",
    "Plain text (*.txt)", "Web pages (*.html *.htm *.xhtml)", "Word documents (*.docx)",
    "E-books (*.epub)", "PDF documents (*.pdf)", "Briefing packs (*.md *.zip)", "All files (*)"))
REMOVED_PREFIX = "Removed: "  # title of a removed section's row in the tree
READ_DWELL_MS = 800  # a section counts as read once it stayed at the top this long (not skimmed past)


class ReadMarks(Protocol):
    """What updates need of the annotations feature, which it does not import: the store that
    keeps read marks, a refresh of its ✓ marks, and its review list of annotations that moved.
    Glue (reader/ui/features/annotations_in_updates.py) provides it when both are installed."""

    @property
    def store(self) -> AnnotationStore: ...

    def refresh(self) -> None: ...

    def moved_on(self, section_keys: set[str]) -> int:
        """How many annotations on these sections no longer sit exactly where they were."""
        ...

    def show_review(self) -> None: ...


class UpdatesController(QObject):
    def __init__(self, window: MainWindow,
                 annotations: Callable[[], ReadMarks | None] = lambda: None) -> None:
        super().__init__(window)
        self.window = window
        self.annotations = annotations  # read marks live in the annotation store
        self.seen = SeenVersions.in_folder(window.ctx.paths.data)
        self.changes: list[SectionChange] = []  # not read yet: the tree's markers, Next Change
        self.listed: list[SectionChange] = []  # the dock's entries: these and the ones read since
        self._by_key: dict[str, SectionChange] = {}
        self._reshowing = False  # the window is re-showing its place in a new library
        self.message_box: QMessageBox | None = None
        self.import_dialog: ImportDialog | None = None  # the one open, if any
        self._queue: list[Path] = []  # chosen or dropped paths waiting for their turn
        self._importing: Path | None = None  # in a job, its dialog or its message
        self._cancel_linked = False
        self._box_open = False  # the current import's message is being read
        self.dock = ChangesDock(window)
        self.dock.apply_theme(window.themes.current)
        window.themes.changed.connect(self.dock.apply_theme)  # live switches too
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Changes since last read")
        window.statusBar().addPermanentWidget(self.count_label)
        self.dwell = QTimer(self)  # a section at the top this long counts as read (tests shorten it)
        self.dwell.setSingleShot(True)
        self.dwell.setInterval(READ_DWELL_MS)
        self.dwell.timeout.connect(self.read_visible)
        self._build_actions()
        self._wire()
        self.drops = FileDropFilter(window, self.import_paths, self._say_skipped)

    def first_refresh(self) -> None:
        """The markers and the dock for the library as it starts, once read marks are linked."""
        self.refresh(relist=True)
        if self.changes:
            self.dock.show()  # an update arrived since the last run: say so

    # -- set-up ---------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        r = self.window.registry
        r.declare(ActionSpec("import_briefing", "&Import…", "file", "import",
                             ("Ctrl+Shift+O",)), self.import_file)
        r.declare(ActionSpec("import_briefing_folder", "Import &Folder…", "file",
                             "import"), self.import_folder)
        r.declare(ActionSpec("next_change", "Next &Change", "go", "reading", ("Ctrl+Alt+PgDown",)),
                  self.next_change)
        r.declare(ActionSpec("mark_all_seen", "Mark All Changes as &Seen", "go", "reading"),
                  self.mark_all_seen)
        toggle = self.dock.toggleViewAction()
        toggle.setText("&What Changed")
        toggle.setShortcut(QKeySequence("Ctrl+Shift+W"))
        r.add("view", "panels", toggle, "show_changes")

    def _wire(self) -> None:
        w = self.window
        w.section_shown.connect(self._start_dwell)
        w.article.visible_section_changed.connect(self._start_dwell)
        w.library_changed.connect(self._on_library_changed)
        w.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.dock.activated.connect(self.go_to)
        self.dock.next_requested.connect(self.next_change)
        self.dock.mark_all_requested.connect(self.mark_all_seen)
        previous = w.model.badge

        def badge(section: Section) -> str:
            base = previous(section) if previous else ""
            change = self._by_key.get(section.key)
            if change is None or change.kind is ChangeKind.REMOVED:  # its title says "Removed:"
                return base
            return f"{base}  ({change.kind.value})"

        w.model.badge = badge
        icons: dict[tuple[str, ChangeKind], QIcon] = {}  # per theme: markers follow switches
        blank = marker_icon("transparent")  # keeps unmarked titles aligned with marked ones

        def decoration(section: Section) -> QIcon | None:
            if not self.changes:
                return None
            change = self._by_key.get(section.key)
            if change is None:
                return blank
            theme = w.themes.current
            key = (theme.name, change.kind)
            if key not in icons:
                icons[key] = marker_icon(change_colour(theme, change.kind).name())
            return icons[key]

        w.model.decoration = decoration

    # -- state ----------------------------------------------------------------------------------
    @property
    def store(self) -> AnnotationStore | None:
        ctl = self.annotations()
        return ctl.store if ctl is not None else None

    def _read_marks(self) -> dict[str, str]:
        store = self.store
        return {k: m.fingerprint for k, m in store.read_marks().items()} if store else {}

    def refresh(self, relist: bool = False) -> None:
        """Recompute the changes and show them in the tree, the dock and the status bar; with
        `relist` the dock lists only them, else it keeps the entries read since."""
        library = self.window.library
        first_sight = {b.id: b.fingerprint for b in library.briefings
                       if self.seen.get(b.id) is None and not library.older_versions(b.id)}
        if first_sight:  # a briefing met for the first time has no "since" yet
            self._save_seen(first_sight)
        self.changes = compute_changes(library, self._read_marks(), self.seen.as_dict())
        self._by_key = {c.key: c for c in self.changes}
        if relist:
            self.listed = list(self.changes)
        else:
            listed = {c.key for c in self.listed}
            self.listed += [c for c in self.changes if c.key not in listed]
        self._show_removed_rows()
        self.dock.set_changes(self.listed, seen={c.key for c in self.listed} - self._by_key.keys())
        self.window.model.refresh()
        n = len(self.changes)
        self.count_label.setText(f"{n} change(s) since you last read" if n else "")
        self.window.actions_by_name["mark_all_seen"].setEnabled(bool(self.listed))

    def _on_library_changed(self, _library: object) -> None:
        """A new library (an import, another folder): its changes replace the list. The window
        shows its place again; that is not reading it (its text may just have changed)."""
        self.seen = SeenVersions.in_folder(self.window.ctx.paths.data)  # an import may add to it
        self.dwell.stop()
        self._reshowing = True
        QTimer.singleShot(0, self, self._reshown)
        self.refresh(relist=True)

    def _reshown(self) -> None:
        self._reshowing = False

    def _start_dwell(self, *_args: object) -> None:
        if not self._reshowing:
            self.dwell.start()

    def _save_seen(self, values: dict[str, str]) -> None:
        try:
            self.seen.set_many(values)
        except OSError as exc:
            log.warning("cannot record seen versions: %s", exc)

    def _show_removed_rows(self) -> None:
        """Removed sections as rows at the end of their briefing (copies parented to its root)."""
        by_root: dict[str, list[Section]] = {}
        for c in self.changes:
            if c.kind is ChangeKind.REMOVED and c.section.briefing is not None:
                by_root.setdefault(c.section.briefing.id, []).append(c.section)
        self.ghosts: dict[str, Section] = {}
        for b in self.window.library.briefings:
            rows = []
            for old in by_root.get(b.id, []):
                ghost = Section(id=old.id, title=f"{REMOVED_PREFIX}{old.title}", level=2,
                                markdown=old.markdown, line=old.line, parent=b.root,
                                briefing=old.briefing)
                rows.append(ghost)
                self.ghosts[ghost.key] = ghost
            self.window.model.set_extra_rows(b.root, rows)

    # -- reading clears markers -----------------------------------------------------------------
    def read_visible(self) -> None:
        """The section at the top has been read: a new or changed marker on it goes."""
        section = self.window.visible_section()
        change = self._by_key.get(section.key) if section is not None else None
        store = self.store
        if change is None or change.kind is ChangeKind.REMOVED or store is None or section is None:
            return
        assert section.briefing is not None
        store.mark_read(section.briefing.id, section.id, section.fingerprint)
        ctl = self.annotations()
        if ctl is not None:
            ctl.refresh()  # its ✓ read mark appears too
        self.refresh()

    def mark_all_seen(self) -> None:
        """Acknowledge every change: the current versions become the baseline."""
        store = self.store
        for c in self.changes:
            if c.kind is ChangeKind.CHANGED and store is not None and c.key in store.read_marks():
                assert c.section.briefing is not None
                store.mark_read(c.section.briefing.id, c.section.id, c.section.fingerprint)
        self._save_seen(seen_now(self.window.library))
        self.dock.shown = None
        self.refresh(relist=True)
        self.window.statusBar().showMessage("Every change marked as seen.", 4000)

    # -- navigation -----------------------------------------------------------------------------
    def _position(self, change: SectionChange) -> float:
        lib = self.window.library
        if change.kind is not ChangeKind.REMOVED:
            return lib.position(change.section)
        b = lib.briefing(change.section.briefing.id) if change.section.briefing else None
        if b is None:
            return len(lib)
        last = list(b.sections())[-1]
        return lib.position(last) + 0.5  # listed after the briefing's own sections

    def next_change(self) -> SectionChange | None:
        """Go to the next change after the reader's place (wrapping around)."""
        if not self.changes:
            self.window.statusBar().showMessage("Nothing new, changed or removed.", 4000)
            return None
        here = self._here()
        ordered = sorted(self.changes, key=self._position)
        target = next((c for c in ordered if self._position(c) > here), ordered[0])
        self.go_to(target)
        return target

    def _here(self) -> float:
        shown = self.dock.shown
        if shown is not None and shown.kind is ChangeKind.REMOVED and self._tree_key() == shown.key:
            return self._position(shown)
        at = self.window.visible_section()
        return self.window.library.position(at) if at is not None else -1

    def _tree_key(self) -> str | None:
        index = self.window.tree.currentIndex()
        return index.data(KeyRole) if index.isValid() else None

    def go_to(self, change: SectionChange) -> None:
        """Open a change: its section (new / changed) or its row and older text (removed)."""
        self.dock.show()
        self.dock.show_change(change)
        if change.kind is not ChangeKind.REMOVED:
            self.window.open_reference(change.key)
            self._start_dwell()  # also when it was already at the top (no scroll to notice)
            return
        ghost = self.ghosts.get(change.key)
        if ghost is not None:
            index = self.window.model.index_of(ghost)
            view_model = self.window.tree.model()
            if view_model is not self.window.model and hasattr(view_model, "mapFromSource"):
                index = view_model.mapFromSource(index)  # a filter proxy sits in between
            if index.isValid():  # else hidden by the tree filter: the tree keeps its row
                self.window.tree.setCurrentIndex(index)

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(KeyRole) if current.isValid() else None
        change = self._by_key.get(key) if key else None
        if change is not None and change.kind is ChangeKind.REMOVED and key in self.ghosts \
                and self.window.library.find(key) is None:
            self.dock.show()
            self.dock.show_change(change)  # the removed text, from the older version

    # -- import ---------------------------------------------------------------------------------
    # One file at a time: a queue of the chosen or dropped paths. A pack is imported as it is; a
    # document is converted (a library job), shown in the import dialog and, if the reader says
    # Import, imported as edited (another job). The next path starts once the previous one's
    # dialog or message is closed, so dialogs and messages never pile up over each other.
    def import_file(self) -> bool:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import", str(Path.home()), IMPORT_FILTERS)
        return self.import_paths([Path(p) for p in paths]) if paths else False

    def import_folder(self) -> bool:
        path = QFileDialog.getExistingDirectory(self.window, "Import Folder", str(Path.home()))
        return self.import_path(Path(path)) if path else False

    def import_path(self, path: Path) -> bool:
        """Import one pack or document (see `import_paths`)."""
        return self.import_paths([path])

    def import_paths(self, paths: list[Path]) -> bool:
        """Queue `paths` for import, one after the other, off the GUI thread: a pack validated
        and installed, a document converted and shown in the import dialog first; then the
        updated library is shown (a refusal is a message). False if the first could not start
        (another library job is running: the queue is dropped, the status bar says why)."""
        self._queue += paths
        if self._importing is not None and self._in_turn():
            self.window.statusBar().showMessage(
                f"{len(self._queue)} more to import after {self._importing.name}.", 5000)
            return True
        return self._next()

    def _in_turn(self) -> bool:
        """The current import is under way: its job runs, or its dialog or message is open. (A
        job that failed outright never reports back: its turn is over all the same.)"""
        jobs_busy = self._cancel_linked and self.window.folders.jobs.busy
        return jobs_busy or self.import_dialog is not None or self._box_open

    def _next(self, *_args: object) -> bool:
        """Start the next queued path; False when none could start."""
        self._importing = None
        if not self._queue:
            return False
        path = self._queue.pop(0)
        if _is_pack(path):
            started = self._start_job(f"importing {path.name}", path, None)
        else:
            started = self._start_convert(path)
        if not started:
            self._queue.clear()  # another job runs: the reader starts them again after it
        return started

    def _jobs(self) -> LibraryJobs:
        """The window's library jobs; a Cancel of one of ours drops the rest of the queue."""
        jobs = self.window.folders.jobs  # created on the first job: not at start-up
        if not self._cancel_linked:
            jobs.cancel_button.clicked.connect(self._job_cancelled)
            self._cancel_linked = True
        return jobs

    def _start_job(self, what: str, path: Path, converted: Converted | None) -> bool:
        w = self.window
        data, current, content = w.ctx.paths.data, w.library, w.ctx.session.content
        self._importing = path
        opens = converted.briefing_id() if converted is not None else None
        started = self._jobs().start(
            what, lambda job: import_work(path, data, current, content, job, converted),
            lambda outcome: self._imported(path, outcome, opens))
        if not started:
            self._importing = None
        return started

    def _start_convert(self, path: Path) -> bool:
        self._importing = path
        started = self._jobs().start(
            f"converting {path.name}", lambda job: convert_work(path, job),
            lambda outcome: self._converted(path, outcome))
        if not started:
            self._importing = None
        return started

    def _say_skipped(self, paths: list[Path]) -> None:
        names = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        self.window.statusBar().showMessage(f"Not importable, left out: {names}", 8000)

    def _job_cancelled(self) -> None:
        """The reader cancelled the running job (its outcome never arrives): the queue goes too."""
        if self._importing is not None and self.window.folders.jobs.busy:
            self._queue.clear()
            self._importing = None

    def _converted(self, path: Path, outcome: tuple[Converted | None, Exception | None]) -> None:
        converted, error = outcome
        if converted is None:
            self._imported(path, (None, None, error))
            return
        self.show_import_dialog(path, converted)

    def show_import_dialog(self, path: Path, converted: Converted) -> ImportDialog:
        """The import dialog on a converted document (non-modal; Import runs the import job)."""
        from reader.ui.features.updates.import_dialog import ImportDialog

        self._importing = path
        dialog = ImportDialog(path, converted, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import_edited(path, dialog.edited()))
        dialog.rejected.connect(lambda: self._not_imported(path))
        self.import_dialog = dialog
        dialog.open()  # not exec(): the window stays responsive and tests never block
        return dialog

    def _import_edited(self, path: Path, converted: Converted) -> None:
        self.import_dialog = None
        if not self._start_job(f"importing {path.name}", path, converted):
            self._queue.clear()

    def _not_imported(self, path: Path) -> None:
        self.import_dialog = None
        self.window.statusBar().showMessage(f"{path.name} not imported; your library is unchanged.", 8000)
        self._next()

    def _imported(self, path: Path, outcome: Imported, opens: str | None = None) -> None:
        """Show the import's outcome: the new library (and the briefing `opens`, a document
        just converted: the reader wants to read it), else the refusal as a message."""
        from reader.convert import ConvertError
        from reader.updates import PackError

        result, library, error = outcome
        w = self.window
        if isinstance(error, PackError):
            log.warning("import refused: %s", error)
            self._message("Briefing not imported",
                          f"{path.name} was refused; your library is unchanged.", error.problems)
            return
        if isinstance(error, ConvertError):
            log.warning("conversion refused: %s", error)
            self._message("Document not imported",
                          f"{path.name} could not be imported; your library is unchanged.", [error.reason])
            return
        if error is not None:
            self._message("Briefing not imported", f"{error}. Your library is unchanged.", [])
            return
        assert result is not None
        if library is not None:
            w.set_library(library)
            briefing = library.briefing(opens) if opens else None
            if briefing is not None:
                w.show_section(briefing.root)
        w.statusBar().showMessage(f"Imported: {result.summary()}", 10000)
        self._point_at_review()
        if self.changes:
            self.dock.show()
        self._next()

    def _message(self, title: str, text: str, details: list[str]) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.window)
        if details:
            box.setInformativeText("\n".join(details[:12]) + ("\n…" if len(details) > 12 else ""))
            box.setDetailedText("\n".join(details))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        self._box_open = True
        box.finished.connect(self._box_closed)
        box.open()  # not exec(): the window stays responsive and tests never block

    def _box_closed(self) -> None:
        self._box_open = False
        self._next()  # the next queued file once this one's message is read

    def _point_at_review(self) -> None:
        """Annotations on changed sections go through the review list: open it if any need it."""
        ctl = self.annotations()
        if ctl is None:
            return
        moved = ctl.moved_on({c.key for c in self.changes if c.kind is not ChangeKind.NEW})
        if moved:
            ctl.show_review()
            self.window.statusBar().showMessage(
                f"{moved} annotation(s) on changed sections to review.", 10000)


Imported = tuple["ImportResult | None", "Library | None", "Exception | None"]


def import_work(path: Path, data_dir: Path, current: Library, content: str | None,
                job: JobControl, converted: Converted | None = None) -> Imported:
    """An import in a job's thread: the pack (or `converted`, the document as the import dialog
    left it) checked and installed (cancellable until its first file is written), then the
    library reloaded by the one folder rule. No Qt object is touched."""
    # Reading packs (zip and all) and the converters load with the first import, not at start-up.
    from reader.convert import ConvertError
    from reader.convert.importing import import_document
    from reader.updates import PackError, PackInstallError

    def installing(done: int, total: int) -> None:
        if done == 0:
            job.commit()  # raises Cancelled if the reader cancelled while it was being checked
        job.step(done, total)

    try:
        result = import_document(path, data_dir, current, installing, converted=converted)
    except (PackError, PackInstallError, ConvertError) as exc:
        return None, None, exc
    if result.already_installed:
        return result, None, None
    return result, load_folders(content_folders(content, data_dir), job), None


def convert_work(path: Path, job: JobControl) -> tuple[Converted | None, Exception | None]:
    """A document converted in a job's thread, for the import dialog; nothing is written."""
    from reader.convert import ConvertError, convert_source

    job.step(0, 0)  # a cancel before it started
    try:
        return convert_source(path), None
    except ConvertError as exc:
        return None, exc


def _is_pack(path: Path) -> bool:
    from reader.convert.importing import is_pack

    return is_pack(path)


def marker_icon(color: str, size: int = 16) -> QIcon:
    """A coloured dot for the tree: visible even when a long title is elided."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(3, 3, size - 6, size - 6)
    painter.end()
    return QIcon(pixmap)


def self_test_check(ctl: UpdatesController, window: MainWindow) -> str:
    """The changes of the shown library compute, and a diff renders in the dock."""
    ctl.refresh()
    section = next(window.library.sections())
    ctl.dock.show_change(SectionChange(ChangeKind.NEW, section))
    if section.title not in ctl.dock.view.toPlainText():
        raise RuntimeError("the What Changed view did not render")
    ctl.dock.shown = None
    return f"updates: {len(ctl.changes)} change(s) since last read; diff view renders"


class UpdatesFeature(Feature):
    """Briefing updates: import, the tree's new/changed markers, What Changed and its diff."""

    controller: UpdatesController

    def install(self) -> None:
        # Read marks live in the annotation store: glue links them in when both are installed.
        self.controller = UpdatesController(self.window)

    def settle(self) -> None:
        # After the glue that links read marks (it settles first: feature_list.py).
        self.controller.first_refresh()

    def self_test(self) -> str:
        return self_test_check(self.controller, self.window)
